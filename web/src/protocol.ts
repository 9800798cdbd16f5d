// Messages between the page and the simulation worker. Plain data only (structured clone).

import type { DeployResult, EpochRecord, RunConfig, ScheduleCost, TrainResult } from "../../src/browser.js";

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

/** Page → worker: continue the run a checkpoint holds (as `cimlearn train --resume`); its later epochs stream like a run's. */
export interface ResumeRequest {
  type: "resume";
  checkpoint: Uint8Array;
  files: File[];
}

/** Page → worker: read a checkpoint's chip after each of `after` seconds of drift (as `cimlearn evaluate`). */
export interface DeployRequest {
  type: "deploy";
  checkpoint: Uint8Array;
  files: File[];
  after: number[];
  driftNu?: number;
  driftNuStd?: number;
  readNoise?: number;
}

export type WorkerRequest = RunRequest | ResumeRequest | DeployRequest;

export type WorkerMessage =
  | { type: "status"; text: string }
  /** Sent once the worker starts: the kernel threads its engines use, and why only one when so. */
  | { type: "threads"; threads: number; reason?: string }
  | { type: "start"; index: number; algo: string; epochs: number }
  | { type: "batch"; index: number; epoch: number; done: number; total: number; loss: number; accuracy: number }
  | { type: "epoch"; index: number; record: EpochRecord }
  /** A rule finished; `checkpoint`: its state after the last epoch (what `train --out` writes). */
  | { type: "result"; index: number; result: TrainResult; schedules: Record<string, ScheduleCost>; checkpoint?: Uint8Array }
  /** Everything finished: what `cimlearn train --json` prints for the same config. */
  | { type: "done"; output: { runs: TrainResult[] } }
  | { type: "deployed"; results: DeployResult[] }
  | { type: "error"; index?: number; name: string; message: string };
