// The entry point of a sweep's worker thread (bundled as dist/node/sweep-worker.js). It loads each
// dataset once, runs the tasks the pool sends one at a time, each in a fresh engine, and answers
// with the run's result line.

import { parentPort } from "node:worker_threads";
import type { Dataset } from "../data/dataset.js";
import { loadDataset } from "../data/node.js";
import { VERSION } from "../version.js";
import type { ResultLine } from "./sweep-store.js";
import { runTask, type SweepTask } from "./sweep-task.js";

export type ToWorker = { type: "run"; task: SweepTask };
export type FromWorker = { type: "result"; line: ResultLine } | { type: "log"; text: string };

if (!parentPort) throw new Error("sweep-worker must run in a worker thread");
const port = parentPort;

/** Loaded datasets by name and data directory; the two most recent are kept. */
const datasets = new Map<string, Promise<Dataset>>();

function dataset(name: string, dataDir: string | undefined): Promise<Dataset> {
  const key = `${name}\0${dataDir ?? ""}`;
  let data = datasets.get(key);
  if (!data) {
    data = loadDataset(name, {
      ...(dataDir ? { dataDir } : {}),
      log: (text) => port.postMessage({ type: "log", text } satisfies FromWorker),
    });
    datasets.set(key, data);
    data.catch(() => datasets.delete(key));
    while (datasets.size > 2) datasets.delete(datasets.keys().next().value as string);
  }
  return data;
}

port.on("message", async (message: ToWorker) => {
  if (message.type !== "run") return;
  const { task } = message;
  let line: ResultLine;
  try {
    const data = await dataset(task.config.dataset, task.config.dataDir);
    line = await runTask(task, data);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    line = {
      run: task.run,
      point: task.point,
      repeat: task.repeat,
      seed: task.seed,
      part: task.part,
      values: task.values,
      status: "failed",
      version: VERSION,
      config: task.config,
      test_accuracy: null,
      history: [],
      error: { name: e.name, message: e.message },
      seconds: 0,
      finished: new Date().toISOString(),
    };
  }
  port.postMessage({ type: "result", line } satisfies FromWorker);
});
