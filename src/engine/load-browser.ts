import { compile, type Engine, instantiate } from "./engine.js";
import { CimlearnError } from "./errors.js";

export interface LoadOptions {
  /** Load the debug build (assertions on, function names kept). */
  debug?: boolean;
  /** Where the .wasm files are; default: beside this module. */
  baseUrl?: string | URL;
  /** The .wasm itself (e.g. what a bundler's asset import of `cimlearn/cimlearn.wasm` gives), overriding baseUrl. */
  wasmUrl?: string | URL;
  /** An already compiled module; `debug` must say which build it is. */
  wasmModule?: WebAssembly.Module;
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

async function fetchModule(url: URL): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new CimlearnError(`cannot fetch ${url}: HTTP ${response.status}`);
  return compile(await response.arrayBuffer(), url.href);
}

/** A new engine (its own memory) in a browser or worker. The compiled module is shared between engines. */
export async function loadEngine(options: LoadOptions = {}): Promise<Engine> {
  const debug = options.debug ?? false;
  if (options.wasmModule) return instantiate(options.wasmModule, debug);
  const url =
    options.wasmUrl !== undefined
      ? new URL(String(options.wasmUrl), globalThis.location?.href)
      : new URL(debug ? "cimlearn.debug.wasm" : "cimlearn.wasm", options.baseUrl ?? import.meta.url);
  let module = compiled.get(url.href);
  if (!module) {
    module = fetchModule(url);
    compiled.set(url.href, module);
    module.catch(() => compiled.delete(url.href));
  }
  return instantiate(await module, debug);
}
