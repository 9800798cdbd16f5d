// The simulation worker: the library's own training loop (the same TypeScript and wasm as the
// CLI) on a thread of its own, so the page never blocks. It trains one rule after another, streams
// per-batch progress (throttled) and per-epoch records, and ends with the document `cimlearn train
// --json` prints for the same config. Stopping is done by the page terminating this worker.

import {
  type Dataset,
  datasetFromFiles,
  loadDigits,
  loadEngine,
  resolveRunConfig,
  type TrainResult,
  train,
  webGunzip,
} from "../../src/browser.js";
import type { RunRequest, WorkerMessage } from "./protocol.js";

/** The part of DedicatedWorkerGlobalScope used here (the DOM lib types `self` as a window). */
interface WorkerScope {
  postMessage(message: WorkerMessage): void;
  onmessage: ((event: MessageEvent<RunRequest>) => void) | null;
  onunhandledrejection: ((event: PromiseRejectionEvent) => void) | null;
  location: { href: string };
}
const scope = self as unknown as WorkerScope;
const post = (message: WorkerMessage): void => scope.postMessage(message);

/** The wasm is shipped beside this script. */
const wasmBase = new URL(".", scope.location.href);

/** Per-batch progress at most this often (ms); the last batch of an epoch always goes. */
const PROGRESS_INTERVAL = 100;

let cachedData: { key: string; data: Promise<Dataset> } | undefined;

function loadData(name: string, files: File[]): Promise<Dataset> {
  const key = `${name}|${files.map((f) => `${f.name}:${f.size}:${f.lastModified}`).join("|")}`;
  if (cachedData?.key === key) return cachedData.data;
  const data = (async () => {
    if (name === "digits") return loadDigits();
    const bytes = new Map<string, Uint8Array>();
    for (const f of files) bytes.set(f.name, new Uint8Array(await f.arrayBuffer()));
    return datasetFromFiles(name, bytes, { gunzip: webGunzip, source: "the chosen files" });
  })();
  cachedData = { key, data };
  data.catch(() => {
    if (cachedData?.key === key) cachedData = undefined;
  });
  return data;
}

/** The run's counted events costed under every schedule its rule allows (as a sweep records them). */
async function run(request: RunRequest): Promise<void> {
  let index: number | undefined;
  try {
    // The same resolution as `cimlearn train --algo a,b`: the base config once per rule.
    const configs = request.algos.map((algo) => resolveRunConfig({ ...request.base, algo }));
    const first = configs[0];
    if (!first) throw new Error("no learning rule chosen");
    post({ type: "status", text: first.dataset === "digits" ? "loading the embedded digits…" : "reading the chosen files…" });
    const data = await loadData(first.dataset, request.files);
    const results: TrainResult[] = [];
    for (const [i, config] of configs.entries()) {
      index = i;
      post({ type: "start", index: i, algo: config.algo, epochs: config.epochs });
      const engine = await loadEngine({ baseUrl: wasmBase });
      let last = 0;
      const result = train(engine, data, config, {
        onBatch(epoch, done, total, loss, accuracy) {
          const now = performance.now();
          if (now - last < PROGRESS_INTERVAL && done < total) return;
          last = now;
          post({ type: "batch", index: i, epoch, done, total, loss, accuracy });
        },
        onEpoch(record) {
          post({ type: "epoch", index: i, record });
        },
      });
      post({ type: "result", index: i, result, schedules: result.costs });
      results.push(result);
    }
    post({ type: "done", output: results.length === 1 ? (results[0] as TrainResult) : { runs: results } });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: "error", ...(index !== undefined ? { index } : {}), name: e.name, message: e.message });
  }
}

scope.onmessage = (event) => {
  if (event.data?.type === "run") void run(event.data);
};
scope.onunhandledrejection = (event) => {
  const e = event.reason instanceof Error ? event.reason : new Error(String(event.reason));
  post({ type: "error", name: e.name, message: e.message });
};
