// One run of a sweep, as a worker thread executes it: a fresh engine (its own wasm instance),
// training with the epochs written to the run's metrics.jsonl as they finish, then the cost of
// the counted events under every schedule the rule allows. Any error becomes a failed line (a
// filesystem failure as fileError's one line, naming the path).

import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { costInputOf } from "../cost/index.js";
import type { Dataset } from "../data/dataset.js";
import { withFs } from "../engine/fs-errors.js";
import { loadEngine } from "../engine/load-node.js";
import { VERSION } from "../version.js";
import type { ResolvedRunConfig } from "./config.js";
import type { ResultLine } from "./sweep-store.js";
import { type EpochRecord, train } from "./train.js";

export interface SweepTask {
  run: string;
  point: number;
  repeat: number;
  seed: number;
  part: string;
  values: Record<string, unknown>;
  config: ResolvedRunConfig;
  /** The run's folder (metrics.jsonl goes there). */
  dir: string;
}

/** Runs `task` on `data`; never throws for a failure of the run itself. */
export async function runTask(task: SweepTask, data: Dataset): Promise<ResultLine> {
  const started = performance.now();
  const history: EpochRecord[] = [];
  const head = {
    run: task.run,
    point: task.point,
    repeat: task.repeat,
    seed: task.seed,
    part: task.part,
    values: task.values,
  };
  try {
    withFs("create the run's folder", task.dir, () => mkdirSync(task.dir, { recursive: true }));
    const metrics = join(task.dir, "metrics.jsonl");
    withFs("write the run's metrics", metrics, () => writeFileSync(metrics, ""));
    // Fail before training when the cost model rejects the combination (e.g. a schedule the rule cannot run).
    costInputOf(task.config);
    const engine = await loadEngine();
    const result = train(engine, data, task.config, {
      onEpoch(record) {
        history.push(record);
        withFs("write the run's metrics", metrics, () => appendFileSync(metrics, `${JSON.stringify(record)}\n`));
      },
    });
    return {
      ...head,
      status: "ok",
      version: VERSION,
      config: task.config,
      test_accuracy: result.test_accuracy,
      history: result.history,
      events: result.events,
      layer_events: result.layer_events,
      cost: result.cost,
      costs: result.costs,
      endurance: result.endurance,
      ...(result.initial_alignment ? { initial_alignment: result.initial_alignment } : {}),
      seconds: (performance.now() - started) / 1000,
      finished: new Date().toISOString(),
    };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return {
      ...head,
      status: "failed",
      version: VERSION,
      config: task.config,
      test_accuracy: null,
      history,
      error: { name: e.name, message: e.message },
      seconds: (performance.now() - started) / 1000,
      finished: new Date().toISOString(),
    };
  }
}
