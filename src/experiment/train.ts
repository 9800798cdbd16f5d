// One training run as the library gives it: simulate (src/experiment/simulate.ts: the network on the
// chip, trained, every hardware event counted), then account (src/cost prices the counted events
// under the run's own schedule and every other schedule its rule allows).

import type { Measured } from "../cost/counts.js";
import { type CostReport, costInputOf, estimateCost } from "../cost/index.js";
import { checkSchedule, SCHEDULE_OPTIONS, SCHEDULES, type Schedule } from "../cost/schedule.js";
import type { Dataset } from "../data/dataset.js";
import type { Engine } from "../engine/engine.js";
import { learningRule } from "../learning/rules.js";
import type { ResolvedRunConfig } from "./config.js";
import { type Simulation, simulate, type TrainHooks } from "./simulate.js";

export { buildNetwork, layerRates, learningRate, readSettings } from "./build.js";
export type { EpochRecord } from "./records.js";
export { DivergenceError, evaluate, notTraining, type Simulation, simulate, type TrainHooks } from "./simulate.js";

export interface TrainResult extends Omit<Simulation, "measured"> {
  /** Area, and latency and energy per phase per epoch, from this run's counted events (src/cost). */
  cost: CostReport;
  /** Latency and energy from the same counts under every schedule the rule allows. */
  costs: Partial<Record<Schedule, ScheduleCost>>;
}

/** The cost of a run under one schedule (the full report of the run's own schedule is `cost`). */
export type ScheduleCost = Pick<CostReport, "total" | "phases" | "leakage_j" | "timeline"> & { speedup?: CostReport["speedup"] };

/** The run's counts (or, without them, the assumptions) costed under every schedule its rule allows; `own` is the run's own schedule's report. */
export function scheduleCosts(
  config: ResolvedRunConfig,
  measured: Measured | undefined,
  own: CostReport,
): Partial<Record<Schedule, ScheduleCost>> {
  const out: Partial<Record<Schedule, ScheduleCost>> = {};
  for (const schedule of SCHEDULES) {
    try {
      checkSchedule(schedule, learningRule(config.algo));
    } catch {
      continue;
    }
    // The config's overrides of what may overlap apply to the schedules that overlap work.
    const overrides = SCHEDULE_OPTIONS[schedule].overlap === "none" ? {} : config.scheduleOptions;
    const report =
      schedule === config.schedule ? own : estimateCost(costInputOf({ ...config, schedule, scheduleOptions: overrides }, measured));
    const entry: ScheduleCost = { total: report.total, phases: report.phases, leakage_j: report.leakage_j, timeline: report.timeline };
    if (report.speedup) entry.speedup = report.speedup;
    out[schedule] = entry;
  }
  return out;
}

/** A simulated run priced: its cost under its own schedule, and under every schedule its rule allows. */
export function account(simulation: Simulation): TrainResult {
  const { measured, endurance, warnings, arrays, ...run } = simulation;
  const cost = estimateCost(costInputOf(run.config, measured));
  const costs = scheduleCosts(run.config, measured, cost);
  return { ...run, cost, costs, endurance, ...(warnings ? { warnings } : {}), arrays };
}

/** Trains `config` on `source` on the simulated chip and prices the run (simulate, then account). */
export function train(engine: Engine, source: Dataset, config: ResolvedRunConfig, hooks: TrainHooks = {}): TrainResult {
  return account(simulate(engine, source, config, hooks));
}
