// The simulation worker: the library's own training loop (the same TypeScript and wasm as the
// CLI) on a thread of its own, so the page never blocks. It trains one rule after another, streams
// per-batch progress (throttled) and per-epoch records, and ends with the document `cimlearn train
// --json` prints for the same config. Stopping is done by the page terminating this worker.

import {
  type Dataset,
  datasetFromFiles,
  decodeCheckpoint,
  evaluateCheckpoint,
  loadDigits,
  loadEngine,
  type ResolvedRunConfig,
  resolveRunConfig,
  type TrainResult,
  threadSupport,
  train,
  webGunzip,
} from "../../src/browser-threads.js";
import type { DeployRequest, ResumeRequest, RunRequest, WorkerMessage, WorkerRequest } from "./protocol.js";

/** The part of DedicatedWorkerGlobalScope used here (the DOM lib types `self` as a window). */
interface WorkerScope {
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  onunhandledrejection: ((event: PromiseRejectionEvent) => void) | null;
  location: { href: string };
}
const scope = self as unknown as WorkerScope;
const post = (message: WorkerMessage, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

/** The wasm is shipped beside this script. */
const wasmBase = new URL(".", scope.location.href);

/** Kernel threads on every core when the page is cross-origin isolated (npm run web sends the headers); else one, and why. */
const support = threadSupport();
post({ type: "threads", threads: support.threads, ...(support.reason ? { reason: support.reason } : {}) });
const engineOptions = { baseUrl: wasmBase, threads: support.threads };

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

/** Trains `configs` one after another (from a checkpoint when `resumeFrom` is given), streaming progress; ends with the document `cimlearn train --json` prints. */
async function trainAll(configs: ResolvedRunConfig[], files: File[], resumeFrom?: Uint8Array): Promise<void> {
  let index: number | undefined;
  try {
    const first = configs[0];
    if (!first) throw new Error("no learning rule chosen");
    post({ type: "status", text: first.dataset === "digits" ? "loading the embedded digits…" : "reading the chosen files…" });
    const data = await loadData(first.dataset, files);
    const results: TrainResult[] = [];
    for (const [i, config] of configs.entries()) {
      index = i;
      post({ type: "start", index: i, algo: config.algo, epochs: config.epochs });
      const engine = await loadEngine(engineOptions);
      let last = 0;
      let checkpoint: Uint8Array | undefined;
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
        onCheckpoint(save) {
          checkpoint = save();
        },
        ...(resumeFrom ? { resumeFrom } : {}),
      });
      // A resumed run that had finished trains no epoch: its checkpoint is the one it came from.
      checkpoint ??= resumeFrom;
      engine.close();
      post(
        { type: "result", index: i, result, schedules: result.costs, ...(checkpoint ? { checkpoint } : {}) },
        checkpoint && checkpoint !== resumeFrom ? [checkpoint.buffer] : [],
      );
      results.push(result);
    }
    post({ type: "done", output: { runs: results } });
  } catch (error) {
    fail(error, index);
  }
}

function fail(error: unknown, index?: number): void {
  const e = error instanceof Error ? error : new Error(String(error));
  post({ type: "error", ...(index !== undefined ? { index } : {}), name: e.name, message: e.message });
}

function run(request: RunRequest): Promise<void> {
  try {
    // The same resolution as `cimlearn train --algo a,b`: the base config once per rule.
    return trainAll(
      request.algos.map((algo) => resolveRunConfig({ ...request.base, algo })),
      request.files,
    );
  } catch (error) {
    fail(error);
    return Promise.resolve();
  }
}

function resume(request: ResumeRequest): Promise<void> {
  try {
    const checkpoint = decodeCheckpoint(request.checkpoint);
    return trainAll([checkpoint.header.config], request.files, request.checkpoint);
  } catch (error) {
    fail(error);
    return Promise.resolve();
  }
}

async function deploy(request: DeployRequest): Promise<void> {
  try {
    const checkpoint = decodeCheckpoint(request.checkpoint);
    const data = await loadData(checkpoint.header.config.dataset, request.files);
    const options = {
      ...(request.driftNu !== undefined ? { driftNu: request.driftNu } : {}),
      ...(request.driftNuStd !== undefined ? { driftNuStd: request.driftNuStd } : {}),
      ...(request.readNoise !== undefined ? { readNoise: request.readNoise } : {}),
    };
    const results = [];
    for (const afterSeconds of request.after) {
      const engine = await loadEngine(engineOptions);
      results.push(evaluateCheckpoint(engine, data, checkpoint, { ...options, afterSeconds }));
      engine.close();
    }
    post({ type: "deployed", results });
  } catch (error) {
    fail(error);
  }
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request?.type === "run") void run(request);
  else if (request?.type === "resume") void resume(request);
  else if (request?.type === "deploy") void deploy(request);
};
scope.onunhandledrejection = (event) => {
  const e = event.reason instanceof Error ? event.reason : new Error(String(event.reason));
  post({ type: "error", name: e.name, message: e.message });
};
