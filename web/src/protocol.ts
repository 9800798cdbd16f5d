// Messages between the page and the simulation worker. Plain data only (structured clone).

import type { EpochRecord, RunConfig, ScheduleCost, TrainResult } from "../../src/browser.js";

export type { ScheduleCost };

/** Page → worker: train `base` once per rule, one after another (as `cimlearn train --algo a,b` does). */
export interface RunRequest {
  type: "run";
  /** The run config without `algo`, exactly what `cimlearn train --config` would read. */
  base: RunConfig;
  algos: string[];
  /** Files chosen for mnist / fashion-mnist / cifar10 (none for the embedded digits). */
  files: File[];
}

export type WorkerMessage =
  | { type: "status"; text: string }
  | { type: "start"; index: number; algo: string; epochs: number }
  | { type: "batch"; index: number; epoch: number; done: number; total: number; loss: number; accuracy: number }
  | { type: "epoch"; index: number; record: EpochRecord }
  | { type: "result"; index: number; result: TrainResult; schedules: Record<string, ScheduleCost> }
  /** Everything finished: what `cimlearn train --json` prints for the same config. */
  | { type: "done"; output: TrainResult | { runs: TrainResult[] } }
  | { type: "error"; index?: number; name: string; message: string };
