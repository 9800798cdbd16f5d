// Cost-model throughput: `cimlearn cost` evaluations per second for VGG-8 with the DNN+NeuroSim
// V2.1 example config — resolving the config, floorplanning, the circuit model, accounting and
// scheduling (no I/O, no formatting). DNN+NeuroSim V2.1's C++ takes about 235 CPU-seconds for the
// same network on this machine (row r01 of test/fixtures/neurosim-v2.1-grid.json, cpu_s): it is
// not run here, its figure is quoted in the case's description.

import example from "../examples/neurosim-v2.1-vgg8.json" with { type: "json" };
import { costInputOf, estimateCost } from "../src/cost/index.js";
import type { Engine } from "../src/engine/index.js";
import { resolveConfig } from "../src/experiment/config.js";
import { measure } from "./timing.js";
import { type BenchContext, type BenchResult, type BenchSuite, round3, summarize } from "./types.js";

const CASES = [
  {
    id: "cost-vgg8",
    shape: "vgg8, bp, sequential (NeuroSim V2.1 example; DNN+NeuroSim V2.1's C++: ~235 CPU-s per evaluation)",
    overrides: {},
  },
  {
    id: "cost-vgg8-dfa",
    shape: "vgg8, dfa, dfa-parallel, per-layer WG units, with the BP comparison (two evaluations)",
    overrides: {
      algo: "dfa",
      schedule: "dfa-parallel",
      chip: { ...example.chip, wgUnit: { ...example.chip.wgUnit, sharing: "per-layer" } },
    },
  },
] as const;

export const costSuite: BenchSuite = {
  kernel: "cost",
  caseIds: CASES.map((c) => c.id),
  async run(_engine: Engine, context: BenchContext): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    for (const c of CASES.filter((x) => context.cases.length === 0 || context.cases.includes(x.id))) {
      const input = { ...example, ...c.overrides };
      let check = 0;
      const evaluate = () => {
        const report = estimateCost(costInputOf(resolveConfig(input)));
        if (!(report.total.latency_s > 0)) throw new Error(`bench ${c.id}: latency ${report.total.latency_s}`);
        check += report.total.energy_j;
      };
      const samples = measure([evaluate], context.rounds, context.clock, { warmupSeconds: 5, batchSeconds: 0.2 });
      const { median, max } = summarize(samples[0] as number[], 1);
      results.push({
        kernel: "cost",
        case: c.id,
        impl: "cimlearn",
        rate: round3(median),
        max: round3(max),
        unit: "evaluations/s",
        rounds: context.rounds,
        shape: c.shape,
      });
      context.log(
        `cost ${c.id}: ${median.toFixed(0)} evaluations/s (${(1e3 / median).toFixed(2)} ms each; checksum ${check > 0 ? "ok" : "bad"})`,
      );
    }
    return results;
  },
};
