// Training throughput: samples per second through the whole in-situ training
// step (forward reads, error reads, gradients, device programming) of
// mlp:784-256-10 at batch 100, and of MLP+NeuroSim V3.0's 400-100-10 at batch 1,
// on synthetic inputs (no download).

import { availableParallelism } from "node:os";
import recipe from "../examples/mlp-neurosim-v3.json" with { type: "json" };
import type { Engine } from "../src/engine/index.js";
import { loadEngine } from "../src/engine/load-node.js";
import { type RunConfig, resolveRunConfig } from "../src/experiment/config.js";
import { buildNetwork } from "../src/experiment/train.js";
import { loadTfPeer, type TfPeer } from "./gemm.js";
import { measure } from "./timing.js";
import { type BenchContext, type BenchResult, type BenchSuite, round3, summarize } from "./types.js";

// density: inputs are 0/1 with this probability of 1 (binarized images) instead of uniform in [0, 1).
const CASES: { id: string; shape: string; config: RunConfig; model?: string; batch?: number; density?: number }[] = [
  { id: "train-ideal", shape: "mlp:784-256-10, batch 100, bp, ideal device and periphery", config: { device: "ideal" } },
  {
    id: "train-b1-epiram",
    shape:
      "mlp:400-100-10, batch 1, MLP+NeuroSim V3.0's recipe on EpiRAM (examples/mlp-neurosim-v3.json: binarized inputs at Fashion-MNIST's 47 % density, binarized hidden layer, 8-bit ADC; its C++ trains 65.5 images per CPU-s here, test/fixtures/mlp-neurosim-v3.json)",
    model: "mlp:400-100-10",
    batch: 1,
    config: recipe as RunConfig,
    density: 0.47,
  },
  {
    id: "train-fefet-dac8-adc5",
    shape: "mlp:784-256-10, batch 100, bp, fefet-v21, 8-bit bit-serial DAC, 5-bit ADC",
    config: {
      device: "fefet-v21",
      periphery: { dac: "bit-serial", adc: "chip" },
      chip: { activationBits: 8, errorBits: 8, adc: { bits: 5 } },
    },
  },
];

const BATCHES_PER_CALL = 10;

/** Cases run on every core (src/engine/threads.ts) against the same case on one thread. */
const THREAD_CASES = [
  { id: "train-ideal-threads", of: "train-ideal" },
  { id: "train-fefet-threads", of: "train-fefet-dac8-adc5" },
] as const;

export const trainSuite: BenchSuite = {
  kernel: "train",
  caseIds: [...CASES.map((c) => c.id), ...THREAD_CASES.map((c) => c.id)],
  async run(engine: Engine, context: BenchContext): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    for (const c of CASES.filter((x) => context.cases.length === 0 || context.cases.includes(x.id))) {
      const mark = engine.arena.mark();
      try {
        const batch = c.batch ?? 100;
        const model = c.model ?? "mlp:784-256-10";
        const inputs = Number(model.split(":")[1]?.split("-")[0]);
        const config = resolveRunConfig({ ...c.config, dataset: "fashion-mnist", model, batch, algo: "bp" });
        const net = buildNetwork(engine, config);
        const x = engine.arena.tensor([batch, inputs]);
        const xs = engine.f32(x);
        let s = 3;
        for (let i = 0; i < xs.length; i++) {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          const u = (s >>> 8) / 16777216;
          xs[i] = c.density === undefined ? u : u < c.density ? 1 : 0;
        }
        const labels = Int32Array.from({ length: batch }, (_, i) => i % 10);
        // Batch 1: one sample per step, so many more steps per call.
        const steps = batch === 1 ? 100 * BATCHES_PER_CALL : BATCHES_PER_CALL;
        const step = () => {
          for (let b = 0; b < steps; b++) {
            if (batch === 1) labels[0] = b % 10;
            const r = net.trainStep(x, labels, batch);
            if (!Number.isFinite(r.loss)) throw new Error(`bench ${c.id}: the loss is ${r.loss}`);
          }
        };
        const samples = measure([step], context.rounds, context.clock);
        const { median, max } = summarize(samples[0] as number[], batch * steps);
        const result: BenchResult = {
          kernel: "train",
          case: c.id,
          impl: "cimlearn",
          rate: round3(median),
          max: round3(max),
          unit: "samples/s",
          rounds: context.rounds,
          shape: c.shape,
        };
        results.push(result);
        context.log(`train ${c.id}: ${Math.round(median)} samples/s (a 60,000-sample epoch in ${(60000 / median).toFixed(1)} s)`);
        if (c.id === "train-ideal") {
          // The bound: the step's multiply-accumulates (forward, error, gradient) at this run's
          // forward-784 GEMM rate; and TF.js-wasm training the same MLP with the same SGD.
          const bound = gemmBound(engine, context, model);
          results.push({ ...result, impl: "gemm-bound", rate: round3(bound), max: round3(bound) });
          context.log(`train ${c.id}: ${((100 * median) / bound).toFixed(0)} % of the GEMM-bound ${Math.round(bound)} samples/s`);
          if (context.peers) {
            const peer = await loadTfPeer(context.log);
            if (peer) {
              const tf = tfTrainPeer(peer, engine.f32(x), labels, batch, context);
              results.push({ ...result, impl: "tfjs-wasm", rate: round3(tf.median), max: round3(tf.max) });
              context.peerInfo["tfjs-wasm"] ??= `@tensorflow/tfjs-backend-wasm ${peer.version} (XNNPACK, SIMD, 1 thread)`;
              context.log(`train ${c.id}: tfjs-wasm ${Math.round(tf.median)} samples/s`);
            }
          }
        }
      } finally {
        engine.arena.release(mark);
      }
    }
    for (const t of THREAD_CASES.filter((x) => context.cases.length === 0 || context.cases.includes(x.id))) {
      const c = CASES.find((x) => x.id === t.of);
      const threads = availableParallelism();
      if (!c || threads < 2) continue;
      const threaded = await loadEngine({ threads });
      if (context.peers && t.id === "train-ideal-threads") {
        // TF.js's multithreaded wasm backend starts its pthread workers from blob: URLs, which Node's
        // worker_threads refuse (ERR_WORKER_PATH, tfjs-backend-wasm 4.22): it runs in browsers only.
        context.peerInfo["tfjs-wasm, all threads"] ??= "not measured: its threaded build cannot start workers under Node (blob: URLs)";
      }
      // Wall time: the process's CPU time counts every thread's.
      const wall = { ...context, clock: { kind: "wall" as const, now: () => performance.now() / 1e3 } };
      const rates = [engine, threaded].map((e) => stepRate(e, c, wall));
      const shape = `${c.shape}, ${threads} threads, wall time`;
      const [one, many] = rates as [{ median: number; max: number }, { median: number; max: number }];
      results.push({
        kernel: "train",
        case: t.id,
        impl: "cimlearn",
        rate: round3(many.median),
        max: round3(many.max),
        unit: "samples/s",
        rounds: context.rounds,
        shape,
      });
      results.push({
        kernel: "train",
        case: t.id,
        impl: "1 thread",
        rate: round3(one.median),
        max: round3(one.max),
        unit: "samples/s",
        rounds: context.rounds,
        shape,
      });
      context.log(
        `train ${t.id}: ${Math.round(many.median)} samples/s on ${threads} threads, ${(many.median / one.median).toFixed(2)}× one thread`,
      );
    }
    return results;
  },
};

/** Samples/s of `c`'s training step on `engine` (synthetic inputs), median and best of the rounds. */
function stepRate(engine: Engine, c: (typeof CASES)[number], context: BenchContext): { median: number; max: number } {
  const mark = engine.arena.mark();
  try {
    const batch = c.batch ?? 100;
    const model = c.model ?? "mlp:784-256-10";
    const inputs = Number(model.split(":")[1]?.split("-")[0]);
    const net = buildNetwork(engine, resolveRunConfig({ ...c.config, dataset: "fashion-mnist", model, batch, algo: "bp" }));
    const x = engine.arena.tensor([batch, inputs]);
    const xs = engine.f32(x);
    for (let i = 0; i < xs.length; i++) xs[i] = ((i * 2654435761) >>> 8) / 16777216;
    const labels = Int32Array.from({ length: batch }, (_, i) => i % 10);
    const step = () => {
      for (let b = 0; b < BATCHES_PER_CALL; b++) net.trainStep(x, labels, batch);
    };
    return summarize(measure([step], context.rounds, context.clock)[0] as number[], batch * BATCHES_PER_CALL);
  } finally {
    engine.arena.release(mark);
  }
}

/**
 * Samples/s if a training step cost only its matrix products: forward, error (through every weight
 * layer but the first) and gradient, 2 flops per multiply-accumulate, at the rate the engine's gemm
 * reaches on forward-784's shape (64×784 · 784×512) in this run.
 */
function gemmBound(engine: Engine, context: BenchContext, model: string): number {
  const sizes = (model.split(":")[1] ?? "").split("-").map(Number);
  let macs = 0;
  for (let i = 0; i + 1 < sizes.length; i++) {
    const w = ((sizes[i] as number) + 1) * (sizes[i + 1] as number);
    macs += (i === 0 ? 2 : 3) * w;
  }
  const mark = engine.arena.mark();
  try {
    const a = engine.arena.tensor([64, 784]);
    const b = engine.arena.tensor([784, 512]);
    const c = engine.arena.tensor([64, 512]);
    engine.f32(a).fill(0.5);
    engine.f32(b).fill(0.25);
    const flops = 2 * 64 * 784 * 512;
    const seconds = measure([() => engine.gemm(c, a, b)], context.rounds, context.clock)[0] as number[];
    const rate = summarize(seconds, flops).median;
    return rate / (2 * macs);
  } finally {
    engine.arena.release(mark);
  }
}

/**
 * TF.js (wasm backend, XNNPACK, one thread) training the same MLP on the same batch with the same
 * SGD with momentum 0.9: the step written out (ReLU hidden layer, softmax cross-entropy, biases),
 * with explicit transposes — its transposed-operand matMul is about 8× slower than transposing first.
 */
function tfTrainPeer(
  peer: TfPeer,
  xs: Float32Array,
  labels: Int32Array,
  batch: number,
  context: BenchContext,
): { median: number; max: number } {
  const tf = peer.tf;
  const lr = 0.02;
  const mu = 0.9;
  const w1 = tf.variable(tf.randomUniform([784, 256], -0.08, 0.08, "float32", 1));
  const b1 = tf.variable(tf.zeros([256]));
  const w2 = tf.variable(tf.randomUniform([256, 10], -0.15, 0.15, "float32", 2));
  const b2 = tf.variable(tf.zeros([10]));
  const vars = [w1, b1, w2, b2];
  const velocity = vars.map((v) => tf.variable(tf.zerosLike(v)));
  const x = tf.tensor2d(xs.slice(0, batch * 784), [batch, 784]);
  const xT = tf.transpose(x);
  const y = tf.cast(tf.oneHot(tf.tensor1d(labels, "int32"), 10), "float32");
  const step = () =>
    tf.tidy(() => {
      const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
      const z = tf.add(tf.matMul(h, w2), b2);
      const dz = tf.div(tf.sub(tf.softmax(z), y), batch);
      const grads = [] as ReturnType<typeof tf.matMul>[];
      const dh = tf.mul(tf.matMul(dz, tf.transpose(w2)), tf.step(h));
      grads.push(tf.matMul(xT, dh), tf.sum(dh, 0), tf.matMul(tf.transpose(h), dz), tf.sum(dz, 0));
      grads.forEach((g, i) => {
        const v = velocity[i] as (typeof velocity)[number];
        v.assign(tf.add(tf.mul(v, mu), g));
        (vars[i] as (typeof vars)[number]).assign(tf.sub(vars[i] as (typeof vars)[number], tf.mul(v, lr)));
      });
    });
  try {
    const steps = BATCHES_PER_CALL;
    const seconds = measure(
      [
        () => {
          for (let i = 0; i < steps; i++) step();
        },
      ],
      context.rounds,
      context.clock,
    )[0] as number[];
    return summarize(seconds, batch * steps);
  } finally {
    tf.dispose([...vars, ...velocity, x, xT, y]);
  }
}
