// Training throughput: samples per second through the whole in-situ training
// step (forward reads, error reads, gradients, device programming) of
// mlp:784-256-10 at batch 100, and of MLP+NeuroSim V3.0's 400-100-10 at batch 1,
// on synthetic inputs (no download).

import recipe from "../examples/mlp-neurosim-v3.json" with { type: "json" };
import type { Engine } from "../src/engine/index.js";
import { type RunConfig, resolveRunConfig } from "../src/experiment/config.js";
import { buildNetwork } from "../src/experiment/train.js";
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

export const trainSuite: BenchSuite = {
  kernel: "train",
  caseIds: CASES.map((c) => c.id),
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
      } finally {
        engine.arena.release(mark);
      }
    }
    return results;
  },
};
