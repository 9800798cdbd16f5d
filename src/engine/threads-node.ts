// Kernel threads in Node: worker_threads running the pool's thread body (src/engine/threads.ts).

import { Worker } from "node:worker_threads";
import { CimlearnError } from "./errors.js";
import { KERNEL_THREAD_SOURCE, type KernelThread, type KernelThreadData } from "./threads.js";

// Deno and Bun run an eval'd worker as CommonJS: no top-level name may clash with `module` or `require`'s scope.
const SOURCE = `const { workerData, parentPort } = require("node:worker_threads");
(${KERNEL_THREAD_SOURCE})(workerData, () => parentPort.postMessage("ready"));`;

/** A worker_threads kernel thread; it does not keep the process alive. */
export function spawnNodeKernelThread(data: KernelThreadData): KernelThread {
  const worker = new Worker(SOURCE, { eval: true, workerData: data });
  worker.unref();
  const ready = new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", (e) => reject(new CimlearnError(`a kernel thread failed to start: ${e.message}`)));
  });
  return { ready, terminate: () => void worker.terminate() };
}
