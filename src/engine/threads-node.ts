// Kernel threads in Node: worker_threads that instantiate the same module on the same shared
// memory and take a share of each large matrix product — whole rows of C, so every element is
// summed in the same order as on one thread and the results are bit-identical for any thread count.
// Tasks pass through a small SharedArrayBuffer; workers sleep in Atomics.wait between them.

import { Worker } from "node:worker_threads";
import type { KernelExports } from "./abi.js";
import { CimlearnError } from "./errors.js";

// Control words: 0 generation (bumped per task), 1 stop, 2 finished workers, 3 failed workers;
// then SLOT words per thread from word 8; f64 α, β per thread after them.
const SLOT = 12;
const FIRST = 8;
const MAX_THREADS = 64;

const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const { module, memory, control, id, slot, first, floats } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error("kernel assertion"); } } }).exports;
parentPort.postMessage("ready");
const words = new Int32Array(control);
const f = new Float64Array(control, floats);
// From 0, not the current value: a task posted before this worker started is still picked up.
let generation = 0;
for (;;) {
  // Spin briefly before sleeping: a woken thread takes tens of microseconds to run again.
  for (let spin = 0; spin < 20000 && Atomics.load(words, 0) === generation; spin++);
  Atomics.wait(words, 0, generation);
  generation = Atomics.load(words, 0);
  if (Atomics.load(words, 1) === 1) break;
  const s = first + id * slot;
  try {
    if (words[s + 2] > 0)
      k.gemm(words[s], words[s + 1], words[s + 2], words[s + 3], words[s + 4], f[2 * id], words[s + 5], words[s + 6], words[s + 7], words[s + 8], f[2 * id + 1], words[s + 9], words[s + 10], words[s + 11]);
  } catch (e) {
    Atomics.add(words, 3, 1);
  }
  Atomics.add(words, 2, 1);
  Atomics.notify(words, 2);
}
`;

type Gemm = KernelExports["gemm"];

/**
 * A pool of `threads − 1` workers beside the calling thread. `gemm` has the kernel's signature and
 * splits C's rows (in multiples of 8) between the threads when the product is large enough to pay
 * for the hand-off; `workspaces` are the workers' own gemm scratch (the caller's is the kernel's
 * `work` argument).
 */
export class KernelPool {
  readonly threads: number;
  private readonly words: Int32Array;
  private readonly floats: Float64Array;
  private readonly workers: Worker[] = [];
  /**
   * Resolves once every worker has instantiated the module. Until then none may be given work, and
   * the caller's kernels must not run: instantiating rewrites the module's static data (scratch
   * included) in the shared memory.
   */
  readonly ready: Promise<void>;

  constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    threads: number,
    private readonly workspaces: number[],
    private readonly single: Gemm,
  ) {
    if (!Number.isInteger(threads) || threads < 2 || threads > MAX_THREADS)
      throw new CimlearnError(`threads: ${threads} must be 2 … ${MAX_THREADS} for a pool`);
    this.threads = threads;
    const floatsAt = (FIRST + SLOT * threads) * 4;
    const control = new SharedArrayBuffer(Math.ceil(floatsAt / 8) * 8 + 16 * threads);
    this.words = new Int32Array(control);
    this.floats = new Float64Array(control, Math.ceil(floatsAt / 8) * 8);
    for (let id = 1; id < threads; id++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory, control, id, slot: SLOT, first: FIRST, floats: Math.ceil(floatsAt / 8) * 8 },
      });
      worker.unref();
      this.workers.push(worker);
    }
    this.ready = Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once("message", () => resolve());
            w.once("error", (e) => reject(new CimlearnError(`a kernel thread failed to start: ${e.message}`)));
          }),
      ),
    ).then(() => undefined);
  }

  /** C = α·op(A)·op(B) + β·C over the threads (the kernel's arguments and semantics). */
  readonly gemm: Gemm = (transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, work) => {
    const T = this.threads;
    // Below this a product takes less than the hand-off (about 10 µs).
    if (M < 16 * T || M * N * K < 1 << 20) {
      this.single(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, work);
      return;
    }
    const rows = Math.ceil(M / T / 8) * 8;
    const w = this.words;
    for (let t = 1; t < T; t++) {
      const r0 = t * rows;
      const m = Math.max(0, Math.min(rows, M - r0));
      const s = FIRST + t * SLOT;
      w[s] = transA;
      w[s + 1] = transB;
      w[s + 2] = m;
      w[s + 3] = N;
      w[s + 4] = K;
      w[s + 5] = a + (transA ? r0 : r0 * lda) * 4;
      w[s + 6] = lda;
      w[s + 7] = b;
      w[s + 8] = ldb;
      w[s + 9] = c + r0 * ldc * 4;
      w[s + 10] = ldc;
      w[s + 11] = this.workspaces[t - 1] as number;
      this.floats[2 * t] = alpha;
      this.floats[2 * t + 1] = beta;
    }
    Atomics.store(w, 2, 0);
    Atomics.store(w, 3, 0);
    Atomics.add(w, 0, 1);
    Atomics.notify(w, 0);
    this.single(transA, transB, Math.min(rows, M), N, K, alpha, a, lda, b, ldb, beta, c, ldc, work);
    for (let spin = 0; spin < 20_000 && Atomics.load(w, 2) < T - 1; spin++);
    for (let done = Atomics.load(w, 2); done < T - 1; done = Atomics.load(w, 2)) Atomics.wait(w, 2, done);
    if (Atomics.load(w, 3) > 0) throw new CimlearnError("a kernel thread failed in gemm");
  };

  /** Ends the workers (an engine that is dropped needs no call: they do not keep the process alive). */
  close(): void {
    Atomics.store(this.words, 1, 1);
    Atomics.add(this.words, 0, 1);
    Atomics.notify(this.words, 0);
    for (const w of this.workers) void w.terminate();
  }
}
