import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { compile, type Engine, instantiate } from "./engine.js";
import { CimlearnError, InputError } from "./errors.js";
import { relaxedSimdSupported, relaxedUnsupported, type SimdBuild, simdBuildOf } from "./simd.js";
import { attachKernelThreads } from "./threads.js";
import { spawnNodeKernelThread } from "./threads-node.js";

export interface LoadOptions {
  /** Load the debug build (assertions on, function names kept). */
  debug?: boolean;
  /** The .wasm to load (a file: URL or path) instead of the one beside the bundle. */
  wasmUrl?: string | URL;
  /** An already compiled module (e.g. shared with another runtime's loader); `debug` must say which build it is. */
  wasmModule?: WebAssembly.Module;
  /**
   * Threads for the matrix products (default 1): more loads the shared-memory build and starts
   * `threads − 1` workers (src/engine/threads.ts). Results are bit-identical for any count.
   */
  threads?: number;
  /**
   * "relaxed" loads the relaxed-SIMD build (fused multiply-add in the matrix products: faster where
   * the CPU has FMA, but rounded differently from the default "stock" build, so results differ in
   * the last bits). With `wasmUrl` or `wasmModule` it says which build that module is.
   */
  simd?: SimdBuild;
}

/**
 * Makes relaxed SIMD available or throws the reason (naming `option`, how it was asked for). Node 20
 * (V8 11.3) has it behind a V8 flag, which takes effect for modules compiled after it is set; Node ≥ 22,
 * Deno and Bun have it on.
 */
export function requireRelaxedSimd(option?: string): void {
  if (relaxedSimdSupported()) return;
  try {
    setFlagsFromString("--experimental-wasm-relaxed-simd");
  } catch {
    // A runtime without V8 flags: the check below says so.
  }
  if (relaxedSimdSupported()) return;
  const v = process.versions as NodeJS.ProcessVersions & { bun?: string; deno?: string };
  throw relaxedUnsupported(
    v.bun ? `Bun ${v.bun}` : v.deno ? `Deno ${v.deno}` : `Node ${v.node}, V8 ${v.v8.split(".").slice(0, 2).join(".")}`,
    option,
  );
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/**
 * Where the module is: beside the bundle (dist/node/) when installed, or in
 * build/ when running from the source tree (tests).
 */
function candidates(file: string): URL[] {
  return [new URL(`./${file}`, import.meta.url), new URL(`../../build/${file}`, import.meta.url)];
}

async function readModule(file: string, explicit?: URL): Promise<WebAssembly.Module> {
  const tried: string[] = [];
  for (const url of explicit ? [explicit] : candidates(file)) {
    const path = fileURLToPath(url);
    tried.push(path);
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch {
      continue;
    }
    return compile(bytes, path);
  }
  throw new CimlearnError(
    explicit ? `wasmUrl: cannot read ${tried[0]}` : `cannot find ${file}; looked in ${tried.join(", ")}. Run \`npm run build\` first`,
  );
}

/** A new engine (its own memory) in Node. The compiled module is shared between engines. */
export async function loadEngine(options: LoadOptions = {}): Promise<Engine> {
  const debug = options.debug ?? false;
  const threads = options.threads ?? 1;
  const simd = simdBuildOf(options.simd, debug);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new InputError(`threads: ${threads} must be a whole number from 1 to 64`);
  if (simd === "relaxed") requireRelaxedSimd();
  const built = (engine: Engine): Engine => {
    engine.build = simd;
    return engine;
  };
  if (threads > 1) {
    if (debug || options.wasmModule || options.wasmUrl)
      throw new InputError("threads > 1 loads the threaded release build: it does not go with debug, wasmModule or wasmUrl");
    return built(await loadThreaded(threads, simd === "relaxed" ? "cimlearn.relaxed.shared.wasm" : "cimlearn.shared.wasm"));
  }
  if (options.wasmModule) return built(instantiate(options.wasmModule, debug));
  const explicit =
    options.wasmUrl === undefined
      ? undefined
      : options.wasmUrl instanceof URL || /^file:/.test(String(options.wasmUrl))
        ? new URL(String(options.wasmUrl))
        : pathToFileURL(String(options.wasmUrl));
  const file = debug ? "cimlearn.debug.wasm" : simd === "relaxed" ? "cimlearn.relaxed.wasm" : "cimlearn.wasm";
  const key = explicit?.href ?? file;
  let module = compiled.get(key);
  if (!module) {
    module = readModule(file, explicit);
    compiled.set(key, module);
    module.catch(() => compiled.delete(key));
  }
  return built(instantiate(await module, debug));
}

/** The shared-memory build on a shared memory, with a pool of kernel threads for its matrix products. */
async function loadThreaded(threads: number, file: string): Promise<Engine> {
  let module = compiled.get(file);
  if (!module) {
    module = readModule(file);
    compiled.set(file, module);
    module.catch(() => compiled.delete(file));
  }
  const m = await module;
  // WebAssembly's 32-bit memory: up to 65,536 pages (4 GiB), reserved, not committed.
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
  return attachKernelThreads(instantiate(m, false, memory), m, memory, threads, spawnNodeKernelThread);
}
