// Runs a sweep on a pool of worker threads: each worker loads the dataset once and runs one run at
// a time in a fresh engine; this thread is the only writer of results.jsonl, appending each line
// as its run finishes. Progress (runs done / total, ETA, the best accuracy so far) goes to `log`.

import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { downloadDataset, locateDataset } from "../data/node.js";
import { CimlearnError } from "../engine/errors.js";
import { VERSION } from "../version.js";
import { describeValues, type ExpandedSweep, type SweepRun } from "./sweep.js";
import {
  appendResult,
  manifestOf,
  type OpenedSweep,
  openSweepDir,
  type ResultLine,
  runDir,
  runsOfShard,
  type SweepShard,
  shardLabel,
} from "./sweep-store.js";
import type { SweepTask } from "./sweep-task.js";
import type { FromWorker, ToWorker } from "./sweep-worker.js";

export interface SweepOptions {
  /** The results directory (created, or resumed). */
  out: string;
  /** The sweep file's path, recorded in sweep.json. */
  source?: string;
  /** Worker threads; default: the number of cores. */
  workers?: number;
  /** Run failed runs again (their new line supersedes the old one). */
  retryFailed?: boolean;
  /** Run only this shard's runs (`--shard I/N`); the directory records it. */
  shard?: SweepShard;
  /** The worker script; default dist/node/sweep-worker.js (beside the bundle). */
  workerUrl?: URL;
  /** Progress lines; default stderr. */
  log?: (line: string) => void;
  /** Called when a run is handed to a worker. */
  onStart?: (run: SweepRun) => void;
  /** Called after a finished run's line was appended. */
  onResult?: (line: ResultLine) => void;
  /** Stops the sweep: workers are terminated, runs in progress are lost (they run again on resume). */
  signal?: AbortSignal;
}

export interface SweepSummary {
  out: string;
  name: string;
  total: number;
  /** Finished before this call (skipped). */
  skipped: number;
  /** Finished in this call. */
  ran: number;
  ok: number;
  failed: number;
  /** Runs without a line (only when stopped). */
  unfinished: number;
  stopped: boolean;
  workers: number;
  seconds: number;
  /** Bytes of a torn last line of results.jsonl that were cut off when it was opened. */
  repaired_bytes: number;
  /** The shard this directory holds (absent: the whole sweep). */
  shard?: SweepShard;
  best?: { run: string; test_accuracy: number; values: Record<string, unknown> };
}

/** The worker script: beside this module in the bundle, else the built bundle of the source tree. */
export function defaultWorkerUrl(): URL {
  const candidates = [new URL("./sweep-worker.js", import.meta.url), new URL("../../dist/node/sweep-worker.js", import.meta.url)];
  for (const url of candidates) if (existsSync(fileURLToPath(url))) return url;
  throw new CimlearnError(
    `cannot find the sweep worker; looked in ${candidates.map((u) => fileURLToPath(u)).join(", ")}. Run \`npm run build\` first`,
  );
}

/** "1h02m", "3m05s", "42s" */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}

/** Makes sure every file dataset of the runs is on this machine (downloading it once, here) before workers load it. */
async function ensureDatasets(runs: SweepRun[], log: (line: string) => void): Promise<void> {
  const seen = new Set<string>();
  for (const { config } of runs) {
    const key = `${config.dataset}\0${config.dataDir ?? ""}`;
    if (seen.has(key) || config.dataset === "digits") continue;
    seen.add(key);
    const options = config.dataDir ? { dataDir: config.dataDir, log } : { log };
    if (!locateDataset(config.dataset, options)) await downloadDataset(config.dataset, options);
  }
}

interface Slot {
  worker: Worker;
  id: number;
  task?: SweepTask;
  /** Set once the slot's worker has been handled as ended. */
  ended: boolean;
}

/** Runs (or resumes) `expanded` into `options.out`; one sweep at a time per directory. */
export async function runSweep(expanded: ExpandedSweep, options: SweepOptions): Promise<SweepSummary> {
  const manifest = manifestOf(expanded, options.source ?? "", options.shard);
  const opened = openSweepDir(options.out, manifest);
  try {
    return await runOpened(expanded, options, opened);
  } finally {
    opened.unlock();
  }
}

async function runOpened(expanded: ExpandedSweep, options: SweepOptions, opened: OpenedSweep): Promise<SweepSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = performance.now();
  const finished = opened.finished;
  const runs = runsOfShard(expanded.runs, options.shard);
  const total = runs.length;
  const pending = runs.filter((r) => {
    const line = finished.get(r.id);
    return line === undefined || (options.retryFailed === true && line.status === "failed");
  });
  const skipped = total - pending.length;
  const requested = options.workers ?? availableParallelism();
  if (!Number.isInteger(requested) || requested < 1) throw new CimlearnError(`workers must be a whole number ≥ 1, got ${requested}`);
  const workers = Math.max(1, Math.min(requested, pending.length));
  const summary: SweepSummary = {
    out: options.out,
    name: expanded.name,
    total,
    skipped,
    ran: 0,
    ok: 0,
    failed: 0,
    unfinished: pending.length,
    stopped: false,
    workers: pending.length > 0 ? workers : 0,
    seconds: 0,
    repaired_bytes: opened.repairedBytes,
    ...(options.shard ? { shard: options.shard } : {}),
  };
  const updateBest = (line: ResultLine) => {
    if (line.status !== "ok" || line.test_accuracy === null) return;
    if (!summary.best || line.test_accuracy > summary.best.test_accuracy) {
      summary.best = { run: line.run, test_accuracy: line.test_accuracy, values: line.values };
    }
  };
  for (const line of finished.values()) updateBest(line);

  if (opened.removedTmp.length > 0) {
    log(`${options.out}: removed ${opened.removedTmp.join(", ")}, left by a start that was interrupted before it finished writing`);
  }
  if (opened.repairedBytes > 0) {
    log(`results.jsonl: cut off a torn last line (${opened.repairedBytes} bytes of an interrupted write); that run will run again`);
  }
  const shape = `${expanded.points.length} points × ${expanded.repeats} repeat${expanded.repeats > 1 ? "s" : ""}${options.shard ? `, ${shardLabel(options.shard)}` : ""}`;
  if (pending.length === 0) {
    log(`sweep ${expanded.name}: all ${total} runs (${shape}) in ${options.out} are finished; nothing to run`);
    summary.seconds = (performance.now() - started) / 1000;
    return summary;
  }
  log(
    `sweep ${expanded.name}: ${total} runs (${shape}) in ${options.out}${opened.resumed ? ` (resumed: ${skipped} finished before)` : ""}; ${pending.length} to run on ${workers} worker${workers > 1 ? "s" : ""}, cimlearn ${VERSION}`,
  );
  await ensureDatasets(pending, log);

  const points = expanded.points;
  const queue = pending.map(
    (r): SweepTask => ({
      run: r.id,
      point: r.point,
      repeat: r.repeat,
      seed: r.seed,
      part: points[r.point]?.part ?? "",
      values: points[r.point]?.values ?? {},
      config: r.config,
      dir: runDir(options.out, r.id),
    }),
  );
  const runsById = new Map(expanded.runs.map((r) => [r.id, r]));
  const url = options.workerUrl ?? defaultWorkerUrl();
  const poolStarted = performance.now();
  const width = String(total).length;

  return new Promise<SweepSummary>((resolve, reject) => {
    const slots: Slot[] = [];
    let settled = false;
    let nextId = 0;

    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener("abort", onAbort);
      for (const slot of slots) slot.ended = true;
      Promise.all(slots.map((s) => s.worker.terminate())).then(
        () => {
          summary.unfinished = pending.length - summary.ran;
          summary.seconds = (performance.now() - started) / 1000;
          if (error !== undefined) reject(error);
          else resolve(summary);
        },
        (e) => reject(error ?? e),
      );
    };

    const record = (line: ResultLine) => {
      appendResult(options.out, line);
      finished.set(line.run, line);
      summary.ran++;
      if (line.status === "ok") summary.ok++;
      else summary.failed++;
      updateBest(line);
      const elapsed = (performance.now() - poolStarted) / 1000;
      const remaining = pending.length - summary.ran;
      const eta = (elapsed / summary.ran) * remaining;
      const done = skipped + summary.ran;
      const what = line.status === "ok" ? `${((line.test_accuracy ?? 0) * 100).toFixed(2)} %` : `FAILED (${line.error?.message ?? "?"})`;
      const best = summary.best ? ` · best ${(summary.best.test_accuracy * 100).toFixed(2)} % ${summary.best.run}` : "";
      log(
        `[${String(done).padStart(width)}/${total}] ${line.run} ${describeValues(line.values) || "base"}, seed ${line.seed}: ${what} in ${line.seconds.toFixed(1)} s · ${formatDuration(elapsed)} elapsed, ETA ${remaining === 0 ? "0s" : formatDuration(eta)}${best}`,
      );
      options.onResult?.(line);
    };

    const dispatch = (slot: Slot) => {
      if (settled) return;
      const task = queue.shift();
      if (!task) {
        slot.task = undefined;
        if (slots.every((s) => s.task === undefined)) finish();
        return;
      }
      slot.task = task;
      options.onStart?.(runsById.get(task.run) as SweepRun);
      slot.worker.postMessage({ type: "run", task } satisfies ToWorker);
    };

    const crashed = (slot: Slot, reason: string) => {
      if (slot.ended || settled) return;
      slot.ended = true;
      const task = slot.task;
      slot.task = undefined;
      if (task) {
        try {
          record({
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
            error: { name: "WorkerError", message: `the worker thread ended during the run: ${reason}` },
            seconds: 0,
            finished: new Date().toISOString(),
          });
        } catch (error) {
          finish(error);
          return;
        }
      }
      const index = slots.indexOf(slot);
      if (queue.length > 0) {
        const replacement = spawn();
        slots[index] = replacement;
        dispatch(replacement);
      } else {
        slots.splice(index, 1);
        if (slots.every((s) => s.task === undefined)) finish();
      }
    };

    const spawn = (): Slot => {
      const slot: Slot = { worker: new Worker(url), id: nextId++, ended: false };
      slot.worker.on("message", (message: FromWorker) => {
        if (settled || slot.ended) return;
        if (message.type === "log") {
          log(`worker ${slot.id}: ${message.text}`);
          return;
        }
        try {
          record(message.line);
        } catch (error) {
          finish(error);
          return;
        }
        dispatch(slot);
      });
      slot.worker.on("error", (error) => crashed(slot, error.message));
      slot.worker.on("exit", (code) => crashed(slot, `exit code ${code}`));
      return slot;
    };

    const onAbort = () => {
      summary.stopped = true;
      log(`sweep stopped: ${skipped + summary.ran} of ${total} runs finished; run the same command again to resume`);
      finish();
    };
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener("abort", onAbort);
    for (let i = 0; i < workers; i++) slots.push(spawn());
    for (const slot of [...slots]) dispatch(slot);
  });
}
