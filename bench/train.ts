// Training throughput: samples per second through the whole in-situ training
// step (forward reads, error reads, gradients, device programming) of
// mlp:784-256-10 at batch 100, on synthetic inputs (no download).

import type { Engine } from "../src/engine/index.js";
import { type RunConfig, resolveRunConfig } from "../src/experiment/config.js";
import { buildNetwork } from "../src/experiment/train.js";
import { measure } from "./timing.js";
import { type BenchContext, type BenchResult, type BenchSuite, round3, summarize } from "./types.js";

const CASES: { id: string; shape: string; config: RunConfig }[] = [
  { id: "train-ideal", shape: "mlp:784-256-10, batch 100, bp, ideal device and periphery", config: { device: "ideal" } },
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
        const config = resolveRunConfig({ ...c.config, dataset: "fashion-mnist", model: "mlp:784-256-10", batch: 100, algo: "bp" });
        const net = buildNetwork(engine, config);
        const x = engine.arena.tensor([100, 784]);
        const xs = engine.f32(x);
        let s = 3;
        for (let i = 0; i < xs.length; i++) {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          xs[i] = (s >>> 8) / 16777216;
        }
        const labels = Int32Array.from({ length: 100 }, (_, i) => i % 10);
        const step = () => {
          for (let b = 0; b < BATCHES_PER_CALL; b++) {
            const r = net.trainStep(x, labels, 100);
            if (!Number.isFinite(r.loss)) throw new Error(`bench ${c.id}: the loss is ${r.loss}`);
          }
        };
        const samples = measure([step], context.rounds, context.clock);
        const { median, max } = summarize(samples[0] as number[], 100 * BATCHES_PER_CALL);
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
