// The public API for browsers with kernel threads (`cimlearn/threads`): everything the browser
// entry exports, with a loadEngine that also takes `threads` (Web Workers on a shared memory; the
// page must be cross-origin isolated and the engine loaded in a worker). A separate entry so that
// pages without threads do not download the thread code.

export * from "./browser.js";
export { loadEngine, type ThreadedLoadOptions as LoadOptions, threadSupport } from "./engine/load-browser-threads.js";
