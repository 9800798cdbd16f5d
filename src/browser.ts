// The public API for browsers and web workers: the same engine, loaded with fetch.

export * from "./data/index.js";
export * from "./engine/index.js";
export { type LoadOptions, loadEngine } from "./engine/load-browser.js";
export { VERSION } from "./version.js";
