// The public API for Node.

export * from "./data/node.js";
export * from "./engine/index.js";
export { type LoadOptions, loadEngine } from "./engine/load-node.js";
export { VERSION } from "./version.js";
