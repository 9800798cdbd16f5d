// Matrix-product throughput on crossbar-shaped cases, for cimlearn's kernel and
// its peers, interleaved round by round in one process so that the machine's
// noise hits them alike. Every implementation's result is checked against a
// float64 reference before it is timed; warm-up is excluded; the reported
// figure is the median over rounds.

import type { Engine, Tensor } from "../src/engine/index.js";
import { firstGemmMismatch, gemmRows } from "../src/reference/gemm.js";
import { measure } from "./timing.js";
import { type BenchContext, type BenchResult, type BenchSuite, round3, summarize } from "./types.js";

export interface GemmCase {
  id: string;
  /** What the case stands for in training on a crossbar. */
  role: string;
  transA: boolean;
  transB: boolean;
  M: number;
  K: number;
  N: number;
  /** The right operand is a weight matrix, packed once outside the timed region (as fixed weights are). */
  prepackB: boolean;
}

export const GEMM_CASES: readonly GemmCase[] = [
  { id: "vector", role: "one input through a 784×512 array", transA: false, transB: false, M: 1, K: 784, N: 512, prepackB: true },
  { id: "forward-784", role: "forward read, batch 64", transA: false, transB: false, M: 64, K: 784, N: 512, prepackB: false },
  { id: "forward-512", role: "forward read, batch 256", transA: false, transB: false, M: 256, K: 512, N: 512, prepackB: false },
  { id: "conv", role: "VGG-8 conv layer unrolled (im2col)", transA: false, transB: false, M: 1024, K: 4608, N: 512, prepackB: false },
  { id: "error", role: "transposed read of a 784×512 array", transA: false, transB: true, M: 64, K: 512, N: 784, prepackB: false },
  { id: "gradient", role: "outer-product gradient Xᵀ·E", transA: true, transB: false, M: 784, K: 64, N: 512, prepackB: false },
];

export type GemmImpl = "cimlearn" | "cimlearn-relaxed" | "js" | "tfjs-wasm";

export function describeCase(c: GemmCase): string {
  return `${c.transA ? "Aᵀ" : "A"}·${c.transB ? "Bᵀ" : "B"} ${c.M}×${c.K}·${c.K}×${c.N}`;
}

/** Stored shapes of A and B for a case. */
function storedShapes(c: GemmCase): { a: [number, number]; b: [number, number] } {
  return {
    a: c.transA ? [c.K, c.M] : [c.M, c.K],
    b: c.transB ? [c.N, c.K] : [c.K, c.N],
  };
}

/** A deterministic fill in [−1, 1) (the bench needs no statistical quality). */
function fillDeterministic(out: Float32Array, salt: number): void {
  let s = (0x9e3779b9 ^ salt) >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / 8388608 - 1;
  }
}

/** The plain-JavaScript peer (src/reference/gemm.ts, the twin the kernel tests use), rows [0, rows) of C. */
export function jsGemm(c: GemmCase, a: Float32Array, b: Float32Array, out: Float32Array, rows: number): void {
  gemmRows(c.transA, c.transB, c.M, c.N, c.K, a, b, out, rows);
}

/** Checks sampled entries of `out` (rows [0, rows)) against the float64 product, within the float32 sum's bound. */
export function checkAgainstReference(
  c: GemmCase,
  a: Float32Array,
  b: Float32Array,
  out: ArrayLike<number>,
  rows: number,
  impl: string,
): void {
  const wrong = firstGemmMismatch(c.transA, c.transB, c.M, c.N, c.K, a, b, out, rows);
  if (wrong) throw new Error(`bench ${c.id}/${impl}: ${wrong}`);
}

interface Contender {
  impl: GemmImpl;
  rows: number;
  run(): void;
  dispose(): void;
}

/** Most flops one timed call of the plain-JS loop may take (it runs near 1 GFLOP/s). */
const JS_FLOP_CAP = 1.2e8;

/** cimlearn's product of the case on `engine`, checked against the float64 reference. */
function ourContender(engine: Engine, impl: GemmImpl, c: GemmCase, a: Float32Array, b: Float32Array): Contender {
  const shapes = storedShapes(c);
  const mark = engine.arena.mark();
  const A = engine.arena.tensor(shapes.a);
  const B = engine.arena.tensor(shapes.b);
  const C = engine.arena.tensor([c.M, c.N]);
  engine.f32(A).set(a);
  engine.f32(B).set(b);
  const packed = c.prepackB ? engine.packB(B, { transB: c.transB }) : undefined;
  const run = (): void => {
    if (packed) engine.gemmPacked(C, A, packed, { transA: c.transA });
    else engine.gemm(C, A, B as Tensor, { transA: c.transA, transB: c.transB });
  };
  run();
  // Fused multiply-adds round once where the stock build rounds twice: within the same bound.
  checkAgainstReference(c, a, b, engine.f32(C), c.M, impl);
  return { impl, rows: c.M, run, dispose: () => engine.arena.release(mark) };
}

async function contenders(
  engine: Engine,
  c: GemmCase,
  peers: TfPeer | undefined,
  withJs: boolean,
  relaxed: Engine | undefined,
): Promise<Contender[]> {
  const shapes = storedShapes(c);
  const a = new Float32Array(shapes.a[0] * shapes.a[1]);
  const b = new Float32Array(shapes.b[0] * shapes.b[1]);
  fillDeterministic(a, 1);
  fillDeterministic(b, 2);
  const list: Contender[] = [ourContender(engine, "cimlearn", c, a, b)];
  if (relaxed) list.push(ourContender(relaxed, "cimlearn-relaxed", c, a, b));

  if (withJs) {
    const rows = Math.max(1, Math.min(c.M, Math.floor(JS_FLOP_CAP / (2 * c.K * c.N))));
    const jsOut = new Float32Array(c.M * c.N);
    jsGemm(c, a, b, jsOut, rows);
    checkAgainstReference(c, a, b, jsOut, rows, "js");
    list.push({ impl: "js", rows, run: () => jsGemm(c, a, b, jsOut, rows), dispose: () => {} });
  }

  if (peers) {
    const ta = peers.tf.tensor2d(a, shapes.a);
    const tb = peers.tf.tensor2d(b, shapes.b);
    const once = peers.tf.matMul(ta, tb, c.transA, c.transB);
    checkAgainstReference(c, a, b, once.dataSync(), c.M, "tfjs-wasm");
    once.dispose();
    list.push({
      impl: "tfjs-wasm",
      rows: c.M,
      // The wasm backend runs eagerly: the product is done when matMul returns.
      run: () => peers.tf.matMul(ta, tb, c.transA, c.transB).dispose(),
      dispose: () => {
        ta.dispose();
        tb.dispose();
      },
    });
  }
  return list;
}

export interface TfPeer {
  tf: typeof import("@tensorflow/tfjs-core");
  version: string;
}

/** TensorFlow.js with its wasm backend (XNNPACK, SIMD), if installed; its console chatter goes to stderr. */
export async function loadTfPeer(log: (line: string) => void): Promise<TfPeer | undefined> {
  try {
    const tf = await import("@tensorflow/tfjs-core");
    await import("@tensorflow/tfjs-backend-wasm");
    const original = console.log;
    console.log = (...args: unknown[]) => log(args.join(" "));
    try {
      if (!(await tf.setBackend("wasm"))) throw new Error("setBackend('wasm') failed");
      await tf.ready();
    } finally {
      console.log = original;
    }
    return { tf, version: tf.version_core };
  } catch (error) {
    log(`tfjs-wasm peer not measured: ${(error as Error).message}`);
    return undefined;
  }
}

export const gemmSuite: BenchSuite = {
  kernel: "gemm",
  caseIds: GEMM_CASES.map((c) => c.id),
  async run(engine: Engine, context: BenchContext): Promise<BenchResult[]> {
    const cases = GEMM_CASES.filter((c) => context.cases.length === 0 || context.cases.includes(c.id));
    if (cases.length === 0) return [];
    const peer = context.peers ? await loadTfPeer(context.log) : undefined;
    if (context.peers)
      context.peerInfo.js = `plain JavaScript: src/reference twins (a triple loop over Float32Array; programming in float64), V8 ${process.versions.v8}`;
    if (peer) context.peerInfo["tfjs-wasm"] = `@tensorflow/tfjs-backend-wasm ${peer.version} (XNNPACK, SIMD, 1 thread)`;
    if (context.relaxed) context.peerInfo["cimlearn-relaxed"] = "cimlearn's relaxed-SIMD build (f32x4.relaxed_madd in the matrix products)";
    const results: BenchResult[] = [];
    for (const c of cases) {
      const list = await contenders(engine, c, peer, context.peers, context.relaxed);
      try {
        const samples = measure(
          list.map((x) => x.run),
          context.rounds,
          context.clock,
        );
        const mine = list.map((x, i) => {
          const { median, max } = summarize(samples[i] as number[], (2 * x.rows * c.K * c.N) / 1e9);
          const result: BenchResult = {
            kernel: "gemm",
            case: c.id,
            impl: x.impl,
            gflops: round3(median),
            max: round3(max),
            rounds: context.rounds,
            shape: describeCase(c),
          };
          if (x.rows < c.M) result.rows = x.rows;
          return result;
        });
        results.push(...mine);
        context.log(`gemm ${c.id}: ${mine.map((r) => `${r.impl} ${r.gflops?.toFixed(1)}`).join(", ")} GFLOP/s`);
      } finally {
        for (const x of list.reverse()) x.dispose();
      }
    }
    return results;
  },
};
