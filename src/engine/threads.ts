// Kernel threads: workers (worker_threads in Node, Web Workers in browsers: threads-node.ts,
// threads-browser.ts) that instantiate the same module on the same shared memory and take a share
// of each large kernel call. Matrix products split by whole rows of C, so
// every element is summed in the same order as on one thread; device programming splits by rows
// too, and a device's random draws depend on its index only. Results are bit-identical for any
// thread count. Tasks pass through a small SharedArrayBuffer; workers sleep in Atomics.wait
// between them.

import { bitSerialScratchBytes, type KernelExports } from "./abi.js";
import type { Engine } from "./engine.js";
import { CimlearnError } from "./errors.js";

// Control words: 0 generation (bumped per task), 1 stop, 2 finished workers, 3 failed workers;
// then SLOT words per thread from word FIRST (the task's kind, then its i32 arguments); f64 α, β
// per thread after them.
const SLOT = 18;
const FIRST = 8;
const MAX_THREADS = 64;
const GEMM = 1;
const PROGRAM = 2;
const READ = 3;

/**
 * A kernel thread's body, as source: `(data, ready) => …` with `data` the worker's share of the pool
 * (KernelThreadData) and `ready` called once the module is instantiated. The environment wraps it
 * (Node: workerData; browsers: the first message).
 */
export const KERNEL_THREAD_SOURCE = `(data, ready) => {
const { wasm, memory, control, id, slot, first, floats, scratch, readScratch, randomScratch, sync, threads } = data;
const k = new WebAssembly.Instance(wasm, { env: { memory, abort() { throw new Error("kernel assertion"); } } }).exports;
k.useProgramScratch(scratch);
k.useReadScratch(readScratch);
k.useRandomScratch(randomScratch);
ready();
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
  const a = (i) => words[s + 1 + i];
  try {
    if (words[s] === ${GEMM} && a(2) > 0)
      k.gemm(a(0), a(1), a(2), a(3), a(4), f[2 * id], a(5), a(6), a(7), a(8), f[2 * id + 1], a(9), a(10), a(11));
    else if (words[s] === ${PROGRAM} && a(1) > a(0))
      k.programRows(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), a(11), a(12), a(13), a(14), a(15), a(16));
    else if (words[s] === ${READ})
      k.readBitSerialRows(a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), a(11), a(12), f[2 * id], a(13), a(14), a(15), a(16), sync, threads, id);
  } catch (e) {
    Atomics.add(words, 3, 1);
  }
  Atomics.add(words, 2, 1);
  Atomics.notify(words, 2);
}
}`;

/** What a kernel thread is given (structured-cloneable: the module and shared buffers are shared, not copied). */
export interface KernelThreadData {
  wasm: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  id: number;
  slot: number;
  first: number;
  floats: number;
  /** The worker's programming scratch (ThreadScratch.program). */
  scratch: number;
  /** Its read and randomNormalFast scratch (ThreadScratch.read, .random). */
  readScratch: number;
  randomScratch: number;
  /** The threads' shared block for agreeing on a read's ADC range, and their count. */
  sync: number;
  threads: number;
}

/** A started kernel thread: `ready` settles once it has instantiated the module (rejects if it failed to start). */
export interface KernelThread {
  ready: Promise<void>;
  terminate(): void;
}

/** Starts one kernel thread running KERNEL_THREAD_SOURCE on `data`. */
export type SpawnKernelThread = (data: KernelThreadData) => KernelThread;

type Gemm = KernelExports["gemm"];
type Program = KernelExports["program"];

/** What each worker needs beside the module: its own scratch in the shared memory. */
export interface ThreadScratch {
  /** gemmWorkspaceBytes() bytes. */
  gemm: number;
  /** PROGRAM_SCRATCH_BYTES bytes, 16-aligned. */
  program: number;
  /** PROGRAM_COUNT_SLOTS f64: the worker's share of a programming call's (or a read's) totals. */
  counts: number;
  /** READ_SCRATCH_BYTES and RANDOM_SCRATCH_BYTES bytes, 16-aligned. */
  read: number;
  random: number;
}

/**
 * A pool of `threads − 1` workers beside the calling thread. `gemm` and `program` have the
 * kernels' signatures and split the work between the threads when it is large enough to pay for
 * the hand-off (about 10 µs); `scratch` is each worker's own (the caller uses the module's).
 */
export class KernelPool {
  readonly threads: number;
  private readonly words: Int32Array;
  private readonly floats: Float64Array;
  private readonly workers: KernelThread[] = [];
  /**
   * Resolves once every worker has instantiated the module. Until then none may be given work, and
   * the caller's kernels must not run: instantiating rewrites the module's static data (scratch
   * included) in the shared memory.
   */
  readonly ready: Promise<void>;

  constructor(
    module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    threads: number,
    private readonly scratch: ThreadScratch[],
    private readonly single: Pick<KernelExports, "gemm" | "program" | "programRows" | "readBitSerial" | "readBitSerialRows"> & {
      countSlots: number;
      readCountSlots: number;
    },
    /** 16 + 16·threads bytes, zeroed: where the threads agree on a read's ADC range. */
    private readonly sync: number,
    spawn: SpawnKernelThread,
  ) {
    if (!Number.isInteger(threads) || threads < 2 || threads > MAX_THREADS)
      throw new CimlearnError(`threads: ${threads} must be 2 … ${MAX_THREADS} for a pool`);
    if (scratch.length !== threads - 1) throw new CimlearnError(`a pool of ${threads} threads needs ${threads - 1} workers' scratch`);
    this.threads = threads;
    const floatsAt = Math.ceil(((FIRST + SLOT * threads) * 4) / 8) * 8;
    const control = new SharedArrayBuffer(floatsAt + 16 * threads);
    this.words = new Int32Array(control);
    this.floats = new Float64Array(control, floatsAt);
    for (let id = 1; id < threads; id++) {
      const own = scratch[id - 1] as ThreadScratch;
      this.workers.push(
        spawn({
          wasm: module,
          memory,
          control,
          id,
          slot: SLOT,
          first: FIRST,
          floats: floatsAt,
          scratch: own.program,
          readScratch: own.read,
          randomScratch: own.random,
          sync,
          threads,
        }),
      );
    }
    this.ready = Promise.all(this.workers.map((w) => w.ready)).then(() => undefined);
  }

  /** C = α·op(A)·op(B) + β·C over the threads (the kernel's arguments and semantics). */
  readonly gemm: Gemm = (transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, work) => {
    const T = this.threads;
    if (M < 16 * T || M * N * K < 1 << 20) {
      this.single.gemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, work);
      return;
    }
    const rows = Math.ceil(M / T / 8) * 8;
    for (let t = 1; t < T; t++) {
      const r0 = t * rows;
      const m = Math.max(0, Math.min(rows, M - r0));
      const scratch = this.scratch[t - 1] as ThreadScratch;
      this.post(t, GEMM, [transA, transB, m, N, K, a + (transA ? r0 : r0 * lda) * 4, lda, b, ldb, c + r0 * ldc * 4, ldc, scratch.gemm]);
      this.floats[2 * t] = alpha;
      this.floats[2 * t + 1] = beta;
    }
    this.start();
    this.single.gemm(transA, transB, Math.min(rows, M), N, K, alpha, a, lda, b, ldb, beta, c, ldc, work);
    this.finish("gemm");
  };

  /**
   * Programs the array over the threads: contiguous row ranges, each starting at a device index
   * that is a multiple of 16 (the kernel's windows), each worker's totals in its own slots, added
   * after (whole numbers: the sum is exact in any order).
   */
  readonly program: Program = (
    rows,
    cols,
    g,
    dw,
    params,
    aLtp,
    aLtd,
    gMinArr,
    gMaxArr,
    flags,
    rowMaxSet,
    rowMaxReset,
    pulsesOut,
    wear,
    counts,
  ) => {
    const T = this.threads;
    const per = programRowsPerThread(rows, cols, T);
    if (rows * cols < 1 << 15 || per >= rows) {
      this.single.program(rows, cols, g, dw, params, aLtp, aLtd, gMinArr, gMaxArr, flags, rowMaxSet, rowMaxReset, pulsesOut, wear, counts);
      return;
    }
    const slots = this.single.countSlots;
    this.clearWorkerCounts(slots);
    for (let t = 1; t < T; t++) {
      const r0 = Math.min(rows, t * per);
      const r1 = Math.min(rows, r0 + per);
      const own = (this.scratch[t - 1] as ThreadScratch).counts;
      this.post(t, PROGRAM, [
        r0,
        r1,
        rows,
        cols,
        g,
        dw,
        params,
        aLtp,
        aLtd,
        gMinArr,
        gMaxArr,
        flags,
        rowMaxSet,
        rowMaxReset,
        pulsesOut,
        wear,
        own,
      ]);
    }
    this.start();
    this.single.programRows(
      0,
      per,
      rows,
      cols,
      g,
      dw,
      params,
      aLtp,
      aLtd,
      gMinArr,
      gMaxArr,
      flags,
      rowMaxSet,
      rowMaxReset,
      pulsesOut,
      wear,
      counts,
    );
    this.finish("program");
    this.addWorkerCounts(counts, slots);
  };

  /**
   * A bit-serial read over the threads: contiguous batch rows each, every thread with its share of
   * `scratch` (sized by the caller for the batch plus one row per extra thread: bitSerialScratchBytes)
   * and its own totals, added after (whole numbers).
   */
  readonly readBitSerial: KernelExports["readBitSerial"] = (
    batch,
    K,
    N,
    codes,
    ldc,
    bits,
    gPlus,
    gMinus,
    ldg,
    blockRows,
    params,
    outScale,
    y,
    ldy,
    scratch,
    counts,
  ) => {
    const T = this.threads;
    const per = Math.ceil(batch / T);
    if (batch < 2 * T || batch * K * N < 1 << 17) {
      this.single.readBitSerial(batch, K, N, codes, ldc, bits, gPlus, gMinus, ldg, blockRows, params, outScale, y, ldy, scratch, counts);
      return;
    }
    const share = bitSerialScratchBytes(per, N, bits, blockRows);
    this.clearWorkerCounts(this.single.readCountSlots);
    for (let t = 1; t < T; t++) {
      const r0 = Math.min(batch, t * per);
      const r1 = Math.min(batch, r0 + per);
      const own = (this.scratch[t - 1] as ThreadScratch).counts;
      this.post(t, READ, [r0, r1, batch, K, N, codes, ldc, bits, gPlus, gMinus, ldg, blockRows, params, y, ldy, scratch + t * share, own]);
      this.floats[2 * t] = outScale;
    }
    this.start();
    this.single.readBitSerialRows(
      0,
      per,
      batch,
      K,
      N,
      codes,
      ldc,
      bits,
      gPlus,
      gMinus,
      ldg,
      blockRows,
      params,
      outScale,
      y,
      ldy,
      scratch,
      counts,
      this.sync,
      T,
      0,
    );
    this.finish("readBitSerial");
    this.addWorkerCounts(counts, this.single.readCountSlots);
  };

  /** Zeroes the first `slots` f64 of every worker's count slots. */
  private clearWorkerCounts(slots: number): void {
    const f64 = new Float64Array(this.memory.buffer);
    for (const s of this.scratch) f64.fill(0, s.counts / 8, s.counts / 8 + slots);
  }

  /** counts[i] += every worker's count slot i (whole numbers: exact in any order). */
  private addWorkerCounts(counts: number, slots: number): void {
    const f64 = new Float64Array(this.memory.buffer);
    for (const s of this.scratch)
      for (let i = 0; i < slots; i++) f64[counts / 8 + i] = (f64[counts / 8 + i] as number) + (f64[s.counts / 8 + i] as number);
  }

  private post(t: number, kind: number, args: number[]): void {
    const s = FIRST + t * SLOT;
    this.words[s] = kind;
    for (let i = 0; i < args.length; i++) this.words[s + 1 + i] = args[i] as number;
  }

  private start(): void {
    const w = this.words;
    Atomics.store(w, 2, 0);
    Atomics.store(w, 3, 0);
    Atomics.add(w, 0, 1);
    Atomics.notify(w, 0);
  }

  private finish(kernel: string): void {
    const w = this.words;
    const T = this.threads;
    for (let spin = 0; spin < 20_000 && Atomics.load(w, 2) < T - 1; spin++);
    for (let done = Atomics.load(w, 2); done < T - 1; done = Atomics.load(w, 2)) Atomics.wait(w, 2, done);
    if (Atomics.load(w, 3) > 0) throw new CimlearnError(`a kernel thread failed in ${kernel}`);
  }

  /** Ends the workers (an engine that is dropped needs no call: they do not keep the process alive). */
  close(): void {
    Atomics.store(this.words, 1, 1);
    Atomics.add(this.words, 0, 1);
    Atomics.notify(this.words, 0);
    for (const w of this.workers) w.terminate();
  }
}

/**
 * Gives `engine` (instantiated on `memory`, a shared memory, from `module`, a shared-memory build)
 * `threads − 1` kernel threads: its gemm and program kernels then split their work between them.
 * Resolves once every thread is ready; the engine's kernels must not run before.
 */
export async function attachKernelThreads(
  engine: Engine,
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  threads: number,
  spawn: SpawnKernelThread,
): Promise<Engine> {
  const k = engine.kernels;
  const countSlots = k.PROGRAM_COUNT_SLOTS.value as number;
  const scratch = Array.from({ length: threads - 1 }, () => ({
    gemm: engine.arena.alloc(k.gemmWorkspaceBytes(), 16),
    program: engine.arena.alloc(k.PROGRAM_SCRATCH_BYTES.value as number, 16),
    counts: engine.arena.alloc(countSlots * 8, 16),
    read: engine.arena.alloc(k.READ_SCRATCH_BYTES.value as number, 16),
    random: engine.arena.alloc(k.RANDOM_SCRATCH_BYTES.value as number, 16),
  }));
  const sync = engine.arena.alloc(16 + 16 * threads, 16);
  new Uint8Array(memory.buffer, sync, 16 + 16 * threads).fill(0);
  const single = { gemm: k.gemm, program: k.program, readBitSerial: k.readBitSerial };
  const rows = {
    programRows: k.programRows,
    readBitSerialRows: k.readBitSerialRows,
    countSlots,
    readCountSlots: k.READ_COUNT_SLOTS.value as number,
  };
  const pool = new KernelPool(module, memory, threads, scratch, { ...single, ...rows }, sync, spawn);
  await pool.ready;
  const threaded = k as Pick<KernelExports, "gemm" | "program" | "readBitSerial">;
  threaded.gemm = pool.gemm;
  threaded.program = pool.program;
  threaded.readBitSerial = pool.readBitSerial;
  engine.threads = threads;
  engine.close = () => {
    pool.close();
    Object.assign(threaded, single);
    engine.threads = 1;
    engine.close = () => {};
  };
  return engine;
}

/**
 * Rows per thread when programming over `threads`: a multiple of the rows after which a row starts
 * at a device index that is a multiple of 16 again, so no two threads' rows share a 16-device window.
 */
export function programRowsPerThread(rows: number, cols: number, threads: number): number {
  const unit = 16 / gcd(cols, 16);
  return Math.ceil(rows / threads / unit) * unit;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
