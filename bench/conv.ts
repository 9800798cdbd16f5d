// Convolutional training throughput: one training step (forward, BP error
// pass, weight gradients, device update) of DNN+NeuroSim's VGG-8 on a batch of
// 16 CIFAR-sized images with ideal devices, interleaved round by round with
// the matrix-product kernel on the gemm suite's `conv` case (1024×4608·4608×512,
// a VGG-8 layer unrolled), so the achieved fraction of the kernel's rate is
// measured under the same machine load.

import { availableParallelism } from "node:os";
import type { Engine } from "../src/engine/index.js";
import { loadEngine } from "../src/engine/load-node.js";
import { resolveRunConfig } from "../src/experiment/config.js";
import { buildNetwork } from "../src/experiment/train.js";
import { parseModelSpec } from "../src/nn/spec.js";
import { GEMM_CASES } from "./gemm.js";
import { measure } from "./timing.js";
import { type BenchContext, type BenchResult, type BenchSuite, round3, summarize } from "./types.js";

const BATCH = 16;
const CASE_ID = "vgg8-train";
const THREADS_ID = "vgg8-train-threads";

/**
 * Multiply-accumulates of one training step per image: every layer's forward product and weight
 * gradient, and every layer's error product but the first's (BP needs no error below the input).
 */
export function trainingMacsPerImage(model: string): number {
  const layers = parseModelSpec(model).layers;
  const forward = layers.reduce((s, l) => s + l.macs, 0);
  return 3 * forward - (layers[0]?.macs ?? 0);
}

function fill(out: Float32Array, salt: number): void {
  let s = (0x9e3779b9 ^ salt) >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / 16777216;
  }
}

export const convSuite: BenchSuite = {
  kernel: "conv",
  caseIds: [CASE_ID, THREADS_ID],
  async run(engine: Engine, context: BenchContext): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    if (context.cases.length === 0 || context.cases.includes(CASE_ID)) results.push(vggStep(engine, context));
    if ((context.cases.length === 0 || context.cases.includes(THREADS_ID)) && availableParallelism() > 1) {
      // Wall time (the process's CPU time counts every thread's): one thread against every core.
      const wall = { ...context, clock: { kind: "wall" as const, now: () => performance.now() / 1e3 } };
      const threads = availableParallelism();
      const [one, many] = [engine, await loadEngine({ threads })].map((e) => vggImages(e, wall)) as [
        ReturnType<typeof vggImages>,
        ReturnType<typeof vggImages>,
      ];
      const shape = `VGG-8 train step, batch ${BATCH}, ideal, ${threads} threads, wall time`;
      results.push({
        kernel: "conv",
        case: THREADS_ID,
        impl: "cimlearn",
        rate: round3(many.median),
        max: round3(many.max),
        unit: "images/s",
        rounds: context.rounds,
        shape,
      });
      results.push({
        kernel: "conv",
        case: THREADS_ID,
        impl: "1 thread",
        rate: round3(one.median),
        max: round3(one.max),
        unit: "images/s",
        rounds: context.rounds,
        shape,
      });
      context.log(
        `conv ${THREADS_ID}: ${many.median.toFixed(2)} images/s on ${threads} threads, ${(many.median / one.median).toFixed(2)}× one thread`,
      );
    }
    return results;
  },
};

/** VGG-8 training steps per second on `engine`, as images/s (median and best of the rounds). */
function vggImages(engine: Engine, context: BenchContext): { median: number; max: number } {
  const mark = engine.arena.mark();
  try {
    const net = buildNetwork(
      engine,
      resolveRunConfig({ model: "vgg8", dataset: "cifar10", algo: "bp", device: "ideal", batch: BATCH, lr: 1e-3 }),
    );
    const x = engine.arena.tensor([BATCH, 3072]);
    fill(engine.f32(x), 5);
    const labels = Int32Array.from({ length: BATCH }, (_, i) => i % 10);
    net.trainStep(x, labels, BATCH);
    return summarize(measure([() => net.trainStep(x, labels, BATCH)], Math.min(context.rounds, 5), context.clock)[0] as number[], BATCH);
  } finally {
    engine.arena.release(mark);
  }
}

function vggStep(engine: Engine, context: BenchContext): BenchResult {
  const mark = engine.arena.mark();
  try {
    const config = resolveRunConfig({ model: "vgg8", dataset: "cifar10", algo: "bp", device: "ideal", batch: BATCH, lr: 1e-3 });
    const net = buildNetwork(engine, config);
    const x = engine.arena.tensor([BATCH, 3072]);
    fill(engine.f32(x), 5);
    const labels = Int32Array.from({ length: BATCH }, (_, i) => i % 10);
    const step = () => {
      const r = net.trainStep(x, labels, BATCH);
      if (!Number.isFinite(r.loss)) throw new Error(`bench ${CASE_ID}: the loss is ${r.loss}`);
    };
    // The gemm suite's conv case, as it measures it (both operands packed on every call).
    const g = GEMM_CASES.find((c) => c.id === "conv") as (typeof GEMM_CASES)[number];
    const A = engine.arena.tensor([g.M, g.K]);
    const B = engine.arena.tensor([g.K, g.N]);
    const C = engine.arena.tensor([g.M, g.N]);
    fill(engine.f32(A), 1);
    fill(engine.f32(B), 2);
    const gemm = () => engine.gemm(C, A, B);
    const samples = measure([step, gemm], context.rounds, context.clock);
    const stepFlops = 2 * BATCH * trainingMacsPerImage("vgg8");
    const images = summarize(samples[0] as number[], BATCH);
    const achieved = summarize(samples[0] as number[], stepFlops / 1e9);
    const kernel = summarize(samples[1] as number[], (2 * g.M * g.K * g.N) / 1e9);
    const fraction = achieved.median / kernel.median;
    const result: BenchResult & { gflops_achieved: number; gflops_gemm_conv: number; fraction_of_gemm: number } = {
      kernel: "conv",
      case: CASE_ID,
      impl: "cimlearn",
      rate: round3(images.median),
      max: round3(images.max),
      unit: "images/s",
      rounds: context.rounds,
      shape: `VGG-8 train step (fwd, BP, grad, update), batch ${BATCH}, ideal: ${achieved.median.toFixed(1)} GFLOP/s = ${(100 * fraction).toFixed(0)} % of gemm conv ${kernel.median.toFixed(1)}`,
      gflops_achieved: round3(achieved.median),
      gflops_gemm_conv: round3(kernel.median),
      fraction_of_gemm: round3(fraction),
    };
    context.log(
      `conv ${CASE_ID}: ${images.median.toFixed(2)} images/s, ${achieved.median.toFixed(1)} GFLOP/s (${(stepFlops / 1e9).toFixed(1)} GFLOP per step) = ${(100 * fraction).toFixed(0)} % of the gemm conv case's ${kernel.median.toFixed(1)} GFLOP/s`,
    );
    return result;
  } finally {
    engine.arena.release(mark);
  }
}
