// Sweeps on a Redis-backed job queue (BullMQ): `cimlearn sweep FILE --out DIR --queue URL` enqueues
// every pending run as a job and collects the finished ones into DIR (results.jsonl, runs/ID/), the
// same layout the local pool writes, so report, resume and --retry-failed work unchanged;
// `cimlearn worker --queue URL --sweep FILE` runs jobs on any number of machines; `cimlearn collect
// DIR --queue URL` collects again after the submitting process ended.
//
// A job carries only the sweep's hash and a run id: a worker runs the config its own expansion of
// the sweep file gives that id (nothing else from Redis is trusted), and only for the sweep it was
// started for (the queue is named after the hash). A run's result line is appended to results.jsonl
// before its job is removed, and a run that already has a line is never appended again: collection
// is exactly once per run id, across collector restarts. A worker that dies mid-run leaves its job
// locked until the lock expires; BullMQ's stalled-job check then gives it to another worker. The
// collector re-enqueues, idempotently (job id = run id), every run that has no line and no job, so a
// Redis restart that lost the queue loses nothing already collected and nothing still to run.

import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { Worker as Thread } from "node:worker_threads";
import type { Job, RedisOptions, Worker as WorkerType } from "bullmq";
import type { Redis } from "ioredis";
import { CimlearnError, InputError } from "../engine/errors.js";
import { withFs } from "../engine/fs-errors.js";
import { VERSION } from "../version.js";
import { canonicalJson, describeValues, type ExpandedSweep } from "./sweep.js";
import { defaultWorkerUrl, formatDuration, type SweepSummary } from "./sweep-run.js";
import { appendResult, manifestOf, openSweepDir, type ResultLine, runDir } from "./sweep-store.js";
import type { SweepTask } from "./sweep-task.js";
import type { FromWorker, ToWorker } from "./sweep-worker.js";

/** A parsed --queue URL: the connection and the URL as printed (password hidden). */
export interface QueueTarget {
  connection: RedisOptions;
  label: string;
}

/**
 * `redis://[USER[:PASSWORD]@]HOST[:PORT][/DB]` or `rediss://…` (TLS). Without a user or password
 * in the URL, CIMLEARN_REDIS_USERNAME and CIMLEARN_REDIS_PASSWORD are used (a password in an
 * environment variable stays out of shell history and `ps`).
 */
export function parseQueueUrl(text: string, env: NodeJS.ProcessEnv = process.env): QueueTarget {
  const form = "redis://[USER[:PASSWORD]@]HOST[:PORT][/DB] or rediss://… for TLS";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`--queue must be a Redis URL, ${form}; got "${text}"`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:")
    throw new InputError(`--queue must be a Redis URL, ${form}; got the scheme "${url.protocol}"`);
  if (!url.hostname) throw new InputError(`--queue ${text}: no host; ${form}`);
  const db = url.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d{1,5}$/.test(db)) throw new InputError(`--queue ${text}: the database must be a number (…/0), got "${db}"`);
  if (url.search || url.hash) throw new InputError(`--queue ${text}: no query or fragment is allowed; ${form}`);
  const username = url.username ? decodeURIComponent(url.username) : env.CIMLEARN_REDIS_USERNAME;
  const password = url.password ? decodeURIComponent(url.password) : env.CIMLEARN_REDIS_PASSWORD;
  const port = url.port ? Number(url.port) : 6379;
  const connection: RedisOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port,
    db: db === "" ? 0 : Number(db),
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(url.protocol === "rediss:" ? { tls: { servername: url.hostname } } : {}),
    // BullMQ's workers block on Redis: a command waits for a reconnection instead of failing.
    maxRetriesPerRequest: null,
  };
  const who = username || password ? `${username ?? ""}${password ? ":***" : ""}@` : "";
  return { connection, label: `${url.protocol}//${who}${url.hostname}:${port}/${connection.db}` };
}

/** The sweep's identity on the queue: its file as parsed, every point's resolved config and every run. */
export function sweepHash(expanded: ExpandedSweep): string {
  const identity = canonicalJson({
    sweep: expanded.sweep,
    configs: expanded.points.map((p) => p.resolved),
    runs: expanded.runs.map((r) => [r.id, r.point, r.repeat, r.seed]),
  });
  return createHash("sha256").update(identity).digest("hex").slice(0, 20);
}

const queueName = (hash: string) => `cimlearn-${hash}`;
const collectorKey = (hash: string) => `cimlearn:${hash}:collector`;
const doneKey = (hash: string) => `cimlearn:${hash}:done`;

interface JobData {
  sweep: string;
  run: string;
}

async function bullmq(): Promise<typeof import("bullmq")> {
  try {
    return await import("bullmq");
  } catch (error) {
    throw new CimlearnError(`the queue backend needs the bullmq package (a dependency of cimlearn): ${(error as Error).message}`);
  }
}

/** A plain Redis connection for the sweep's own keys (the collector's claim, "done"), checked to answer within `seconds`. */
async function connect(target: QueueTarget, seconds = 15): Promise<Redis> {
  const { Redis } = await import("ioredis");
  const redis = new Redis({ ...target.connection, lazyConnect: true });
  redis.on("error", () => {}); // reconnection is ioredis's; a command that fails says why
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${seconds} s`)), seconds * 1000);
      }),
    ]);
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new InputError(`--queue: cannot reach Redis at ${target.label}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

export interface QueueSweepOptions {
  out: string;
  source?: string;
  queue: QueueTarget;
  retryFailed?: boolean;
  /** `sweep` enqueues the pending runs and collects; `collect` (a later process) collects and re-enqueues what is missing. */
  log?: (line: string) => void;
  /** Seconds between status lines (runs done, workers alive, ETA) while waiting; default 30. */
  statusSeconds?: number;
  /** Seconds between re-enqueueing the runs that have neither a line nor a job (a Redis restart lost them); default 10. */
  requeueSeconds?: number;
  signal?: AbortSignal;
}

/**
 * Enqueues the pending runs of `expanded` and collects results into `options.out` until every run
 * has a line (or `signal` stops it: the jobs stay queued, and `cimlearn collect` or the same
 * command continues).
 */
export async function runQueuedSweep(
  expanded: ExpandedSweep,
  options: QueueSweepOptions,
): Promise<SweepSummary & { queue: string; sweep_hash: string }> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = performance.now();
  const opened = openSweepDir(options.out, manifestOf(expanded, options.source ?? ""));
  const { Queue } = await bullmq();
  const hash = sweepHash(expanded);
  let redis: Redis | undefined;
  const queue = new Queue<JobData, ResultLine>(queueName(hash), { connection: options.queue.connection });
  queue.on("error", () => {}); // reconnection is ioredis's; a command that fails says why
  try {
    redis = await connect(options.queue);
    // One collector per sweep queue: two directories collecting one queue would split its results.
    const me = JSON.stringify({ host: hostname(), dir: realpathSync(options.out) });
    const claimed = await redis.set(collectorKey(hash), me, "NX");
    if (claimed !== "OK") {
      const holder = await redis.get(collectorKey(hash));
      if (holder !== null && holder !== me) {
        const h = JSON.parse(holder) as { host: string; dir: string };
        throw new InputError(
          `--queue ${options.queue.label}: sweep ${expanded.name} (${hash}) is being collected into ${h.host}:${h.dir}; collect there (cimlearn collect DIR --queue URL), or, if that directory is gone, delete the key ${collectorKey(hash)}`,
        );
      }
    }
    await redis.del(doneKey(hash));
    const finished = opened.finished;
    const total = expanded.runs.length;
    const isPending = (id: string) => {
      const line = finished.get(id);
      return line === undefined || (options.retryFailed === true && line.status === "failed" && !retried.has(id));
    };
    const retried = new Set<string>();
    const pendingAtStart = expanded.runs.filter((r) => isPending(r.id)).length;
    const summary: SweepSummary & { queue: string; sweep_hash: string } = {
      out: options.out,
      name: expanded.name,
      total,
      skipped: total - pendingAtStart,
      ran: 0,
      ok: 0,
      failed: 0,
      unfinished: pendingAtStart,
      stopped: false,
      workers: 0,
      seconds: 0,
      repaired_bytes: opened.repairedBytes,
      queue: options.queue.label,
      sweep_hash: hash,
    };
    for (const line of finished.values()) best(summary, line);
    const enqueue = async () => {
      const ids = expanded.runs.filter((r) => isPending(r.id)).map((r) => r.id);
      // Job id = run id: adding a run that has a job (waiting, active or not yet collected) adds nothing.
      for (let i = 0; i < ids.length; i += 500)
        await queue.addBulk(ids.slice(i, i + 500).map((run) => ({ name: "run", data: { sweep: hash, run }, opts: { jobId: run } })));
      return ids.length;
    };
    const count = await enqueue();
    log(
      `sweep ${expanded.name}: ${total} runs in ${options.out}${opened.resumed ? ` (resumed: ${summary.skipped} finished before)` : ""}; ${count} queued on ${options.queue.label} as ${queueName(hash)}, cimlearn ${VERSION}`,
    );
    if (count > 0)
      log(`start workers on any machine: cimlearn worker --queue ${options.queue.label} --sweep ${options.source ?? "SWEEP.json"}`);
    const width = String(total).length;
    const record = (line: ResultLine) => {
      appendResult(options.out, line);
      const dir = runDir(options.out, line.run);
      withFs("create the run's folder", dir, () => mkdirSync(dir, { recursive: true }));
      const metrics = join(dir, "metrics.jsonl");
      withFs("write the run's metrics", metrics, () => writeFileSync(metrics, line.history.map((e) => `${JSON.stringify(e)}\n`).join("")));
      finished.set(line.run, line);
      if (options.retryFailed) retried.add(line.run);
      summary.ran++;
      if (line.status === "ok") summary.ok++;
      else summary.failed++;
      best(summary, line);
      const elapsed = (performance.now() - started) / 1000;
      const remaining = pendingAtStart - summary.ran;
      const what = line.status === "ok" ? `${((line.test_accuracy ?? 0) * 100).toFixed(2)} %` : `FAILED (${line.error?.message ?? "?"})`;
      log(
        `[${String(summary.skipped + summary.ran).padStart(width)}/${total}] ${line.run} ${describeValues(line.values) || "base"}, seed ${line.seed}: ${what} in ${line.seconds.toFixed(1)} s · ${formatDuration(elapsed)} elapsed, ETA ${remaining <= 0 ? "0s" : formatDuration((elapsed / summary.ran) * remaining)}`,
      );
    };
    let lastStatus = performance.now();
    let lastEnqueue = performance.now();
    const statusEvery = (options.statusSeconds ?? 30) * 1000;
    while (expanded.runs.some((r) => isPending(r.id))) {
      if (options.signal?.aborted) {
        summary.stopped = true;
        log(
          `collection stopped: ${summary.skipped + summary.ran} of ${total} runs collected; the jobs stay queued: cimlearn collect ${options.out} --queue ${options.queue.label}`,
        );
        break;
      }
      const jobs = (await queue.getJobs(["completed", "failed"], 0, 99, true)) as Job<JobData, ResultLine>[];
      for (const job of jobs) {
        const run = job.data?.run;
        if (run !== undefined && isPending(run)) record(await lineOf(job, expanded, run));
        // After the line is on disk: a collector killed in between finds the line and only removes the job.
        await job.remove().catch(() => {});
      }
      if (jobs.length > 0) continue;
      const now = performance.now();
      if (now - lastEnqueue > (options.requeueSeconds ?? 10) * 1000) {
        lastEnqueue = now;
        await enqueue(); // jobs a Redis restart lost
      }
      if (now - lastStatus > statusEvery) {
        lastStatus = now;
        const workers = await queue.getWorkersCount().catch(() => Number.NaN);
        const elapsed = (now - started) / 1000;
        const remaining = pendingAtStart - summary.ran;
        log(
          `${summary.skipped + summary.ran}/${total} runs done · ${Number.isNaN(workers) ? "?" : workers} worker${workers === 1 ? "" : "s"} alive · ${formatDuration(elapsed)} elapsed, ETA ${summary.ran > 0 ? formatDuration((elapsed / summary.ran) * remaining) : "?"}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    summary.unfinished = expanded.runs.filter((r) => isPending(r.id)).length;
    if (!summary.stopped) {
      // Workers started with --exit-when-done see this and end.
      await redis.set(doneKey(hash), "1", "EX", 7 * 24 * 3600);
      await redis.del(collectorKey(hash));
      // Every run is on disk: the queue's own keys go (a late duplicate job included).
      await queue.obliterate({ force: true }).catch(() => {});
    }
    summary.seconds = (performance.now() - started) / 1000;
    return summary;
  } finally {
    opened.unlock();
    await queue.close().catch(() => {});
    redis?.disconnect();
  }
}

function best(summary: SweepSummary, line: ResultLine): void {
  if (line.status !== "ok" || line.test_accuracy === null) return;
  if (!summary.best || line.test_accuracy > summary.best.test_accuracy)
    summary.best = { run: line.run, test_accuracy: line.test_accuracy, values: line.values };
}

/** The result line of a finished job: its return value, or a failed line saying why the job failed. */
async function lineOf(job: Job<JobData, ResultLine>, expanded: ExpandedSweep, run: string): Promise<ResultLine> {
  const value = job.returnvalue;
  if ((await job.isCompleted()) && value && typeof value === "object" && value.run === run) return value;
  const r = expanded.runs.find((x) => x.id === run);
  const point = expanded.points[r?.point ?? -1];
  return {
    run,
    point: r?.point ?? -1,
    repeat: r?.repeat ?? 0,
    seed: r?.seed ?? 0,
    part: point?.part ?? "",
    values: point?.values ?? {},
    status: "failed",
    version: VERSION,
    config: r?.config as ResultLine["config"],
    test_accuracy: null,
    history: [],
    error: { name: "QueueError", message: `the job failed on the queue: ${job.failedReason || "no result"}` },
    seconds: 0,
    finished: new Date().toISOString(),
  };
}

export interface QueueWorkerOptions {
  queue: QueueTarget;
  /** The sweep this worker runs jobs of (its own expansion gives every run's config). */
  expanded: ExpandedSweep;
  /** Runs at once, each on its own thread; default 1. */
  threads?: number;
  /** A job whose worker stops renewing its lock this long is given to another worker; default 30. */
  stalledSeconds?: number;
  /** End once the sweep's collector has every run. */
  exitWhenDone?: boolean;
  workerUrl?: URL;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** Runs jobs of one sweep until stopped (or, with exitWhenDone, until the sweep is collected). Returns the runs it finished. */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<{ ran: number; sweep_hash: string }> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { Worker } = await bullmq();
  const expanded = options.expanded;
  const hash = sweepHash(expanded);
  const threads = options.threads ?? 1;
  const stalled = (options.stalledSeconds ?? 30) * 1000;
  const tasks = new Map(expanded.runs.map((r) => [r.id, r]));
  const scratch = mkdtempSync(join(tmpdir(), "cimlearn-worker-"));
  const url = options.workerUrl ?? defaultWorkerUrl();
  const idle: Thread[] = [];
  const spawnThread = () => new Thread(url);
  for (let i = 0; i < threads; i++) idle.push(spawnThread());
  const me = `${hostname()}:${process.pid}`;
  let ran = 0;

  const runOnThread = (task: SweepTask): Promise<ResultLine> => {
    const thread = idle.pop() ?? spawnThread();
    return new Promise<ResultLine>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === "log") return log(`worker ${me}: ${m.text}`);
        done();
        idle.push(thread);
        resolve(m.line);
      };
      const onExit = (code: number) => {
        done();
        reject(new CimlearnError(`the run's thread ended (exit code ${code})`));
      };
      const done = () => {
        thread.off("message", onMessage);
        thread.off("exit", onExit);
      };
      thread.on("message", onMessage);
      thread.on("exit", onExit);
      thread.postMessage({ type: "run", task } satisfies ToWorker);
    });
  };

  const processor = async (job: Job<JobData, ResultLine>): Promise<ResultLine> => {
    if (job.data?.sweep !== hash) throw new Error(`job of sweep ${String(job.data?.sweep)}; this worker runs sweep ${hash} only`);
    const run = tasks.get(job.data.run);
    if (!run) throw new Error(`run ${String(job.data.run)} is not a run of sweep ${expanded.name}`);
    const point = expanded.points[run.point];
    log(`worker ${me}: run ${run.id} started`);
    const line = await runOnThread({
      run: run.id,
      point: run.point,
      repeat: run.repeat,
      seed: run.seed,
      part: point?.part ?? "",
      values: point?.values ?? {},
      config: run.config,
      dir: join(scratch, run.id),
    });
    rmSync(join(scratch, run.id), { recursive: true, force: true });
    ran++;
    log(
      `worker ${me}: run ${run.id} ${line.status === "ok" ? `${((line.test_accuracy ?? 0) * 100).toFixed(2)} %` : `failed (${line.error?.message})`} in ${line.seconds.toFixed(1)} s`,
    );
    return line;
  };

  const worker: WorkerType<JobData, ResultLine> = new Worker<JobData, ResultLine>(queueName(hash), processor, {
    connection: options.queue.connection,
    concurrency: threads,
    lockDuration: stalled,
    stalledInterval: stalled,
    // A job whose worker died is given to another one; only a job that kills this many workers fails.
    maxStalledCount: 5,
    autorun: false,
  });
  worker.on("error", () => {}); // reconnection is ioredis's
  let redis: Redis | undefined;
  try {
    redis = await connect(options.queue);
    log(
      `worker ${me}: sweep ${expanded.name} (${hash}, ${expanded.runs.length} runs) from ${options.queue.label} as ${queueName(hash)}, ${threads} thread${threads > 1 ? "s" : ""}, cimlearn ${VERSION}`,
    );
    const running = worker.run();
    const keys = redis;
    await new Promise<void>((resolve) => {
      const check = async () => {
        if (options.signal?.aborted) return resolve();
        if (options.exitWhenDone && (await keys.exists(doneKey(hash)).catch(() => 0)) === 1) return resolve();
        setTimeout(check, 1000);
      };
      options.signal?.addEventListener("abort", () => resolve(), { once: true });
      void check();
    });
    await worker.close();
    await running;
    return { ran, sweep_hash: hash };
  } finally {
    await worker.close().catch(() => {});
    redis?.disconnect();
    for (const t of idle) void t.terminate();
    rmSync(scratch, { recursive: true, force: true });
  }
}
