import { compile, type Engine, instantiate } from "./engine.js";
import { CimlearnError } from "./errors.js";
import { relaxedSimdSupported, relaxedUnsupported, type SimdBuild, simdBuildOf } from "./simd.js";

export interface LoadOptions {
  /** Load the debug build (assertions on, function names kept). */
  debug?: boolean;
  /** Where the .wasm files are; default: beside this module. */
  baseUrl?: string | URL;
  /** The .wasm itself (e.g. what a bundler's asset import of `cimlearn/cimlearn.wasm` gives), overriding baseUrl. */
  wasmUrl?: string | URL;
  /** An already compiled module; `debug` must say which build it is. */
  wasmModule?: WebAssembly.Module;
  /**
   * "relaxed" loads cimlearn.relaxed.wasm (fused multiply-add in the matrix products: faster where the
   * CPU has FMA, rounded differently from the default "stock" build). With `wasmUrl` or `wasmModule`
   * it says which build that module is.
   */
  simd?: SimdBuild;
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
  const simd = simdBuildOf(options.simd, debug);
  if (simd === "relaxed" && !relaxedSimdSupported()) throw relaxedUnsupported(globalThis.navigator?.userAgent ?? "this runtime");
  const file = debug ? "cimlearn.debug.wasm" : simd === "relaxed" ? "cimlearn.relaxed.wasm" : "cimlearn.wasm";
  const engine = instantiate(options.wasmModule ?? (await moduleAt(options, file)), debug);
  engine.build = simd;
  return engine;
}

/** The module at `wasmUrl`, else `file` beside `baseUrl`: fetched and compiled once. */
export function moduleAt(options: LoadOptions, file: string): Promise<WebAssembly.Module> {
  const url =
    options.wasmUrl !== undefined
      ? new URL(String(options.wasmUrl), globalThis.location?.href)
      : new URL(file, options.baseUrl ?? import.meta.url);
  let module = compiled.get(url.href);
  if (!module) {
    module = fetchModule(url);
    compiled.set(url.href, module);
    module.catch(() => compiled.delete(url.href));
  }
  return module;
}
