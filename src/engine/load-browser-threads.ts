// The browser loader with kernel threads: Web Workers on a shared memory (src/engine/threads.ts).
// Browsers give SharedArrayBuffer only to cross-origin isolated pages, and only a worker may wait
// (Atomics.wait), so a threaded engine lives in a worker of such a page.

import { type Engine, instantiate } from "./engine.js";
import { CimlearnError, InputError } from "./errors.js";
import { type LoadOptions, loadEngine as loadSingle, moduleAt } from "./load-browser.js";
import { relaxedSimdSupported, relaxedUnsupported, simdBuildOf } from "./simd.js";
import { attachKernelThreads, KERNEL_THREAD_SOURCE, type KernelThread, type KernelThreadData } from "./threads.js";

export interface ThreadedLoadOptions extends LoadOptions {
  /**
   * Threads for the matrix products and device programming (default 1): more loads the
   * shared-memory build and starts `threads − 1` Web Workers. Results are bit-identical for any
   * count. Needs a cross-origin isolated page and a worker (threadSupport() says whether).
   */
  threads?: number;
}

/** How many threads an engine loaded here may have (all cores), or 1 and why. */
export function threadSupport(): { threads: number; reason?: string } {
  const g = globalThis as { crossOriginIsolated?: boolean; document?: unknown; navigator?: { hardwareConcurrency?: number } };
  if (typeof SharedArrayBuffer === "undefined" || g.crossOriginIsolated !== true)
    return {
      threads: 1,
      reason:
        "the page is not cross-origin isolated (it needs the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)",
    };
  if (g.document !== undefined)
    return { threads: 1, reason: "a page's main thread may not wait for other threads: load the engine in a worker" };
  return { threads: Math.min(64, Math.max(1, g.navigator?.hardwareConcurrency ?? 1)) };
}

/** A new engine in a browser or worker; with `threads` > 1, on kernel threads (see ThreadedLoadOptions). */
export async function loadEngine(options: ThreadedLoadOptions = {}): Promise<Engine> {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new InputError(`threads: ${threads} must be a whole number from 1 to 64`);
  if (threads === 1) return loadSingle(options);
  if (options.debug || options.wasmModule || options.wasmUrl)
    throw new InputError("threads > 1 loads the threaded release build: it does not go with debug, wasmModule or wasmUrl");
  const { reason } = threadSupport();
  if (reason) throw new InputError(`threads: ${threads} cannot run here: ${reason}`);
  const simd = simdBuildOf(options.simd, false);
  if (simd === "relaxed" && !relaxedSimdSupported()) throw relaxedUnsupported(globalThis.navigator?.userAgent ?? "this runtime");
  const module = await moduleAt(options, simd === "relaxed" ? "cimlearn.relaxed.shared.wasm" : "cimlearn.shared.wasm");
  // WebAssembly's 32-bit memory: up to 65,536 pages (4 GiB), reserved, not committed.
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
  const engine = instantiate(module, false, memory);
  engine.build = simd;
  return attachKernelThreads(engine, module, memory, threads, spawnWebKernelThread);
}

// The thread body starts on the first message (its share of the pool) and never returns.
const SOURCE = `onmessage = (e) => (${KERNEL_THREAD_SOURCE})(e.data, () => postMessage("ready"));`;

function spawnWebKernelThread(data: KernelThreadData): KernelThread {
  const url = URL.createObjectURL(new Blob([SOURCE], { type: "text/javascript" }));
  const worker = new Worker(url);
  const ready = new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (e) => reject(new CimlearnError(`a kernel thread failed to start: ${e.message}`));
  }).finally(() => URL.revokeObjectURL(url));
  worker.postMessage(data);
  return { ready, terminate: () => worker.terminate() };
}
