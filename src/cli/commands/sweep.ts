// `cimlearn sweep SWEEP.json --out DIR`: run (or resume) a sweep on a pool of worker threads.

import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { InputError } from "../../engine/errors.js";
import { withFs } from "../../engine/fs-errors.js";
import { describeValues, expandSweep } from "../../experiment/sweep.js";
import { parseQueueUrl, runQueuedSweep } from "../../experiment/sweep-queue.js";
import { runSweep, type SweepSummary } from "../../experiment/sweep-run.js";
import type { FlagValues } from "../args.js";
import { positiveInteger } from "../args.js";
import { type Command, helpFlag } from "../command.js";
import { formatTable } from "../format.js";

/** Reads and parses a sweep file, naming the file in every error. */
export function readSweepFile(path: string): unknown {
  const text = withFs("read the sweep file", path, () => readFileSync(path, "utf8"));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
}

/** `--shard I/N`: shard I (0 ≤ I < N) of N. */
export function shardFlag(value: string | boolean | string[] | undefined): { index: number; count: number } | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) {
    throw new InputError(
      `--shard must be I/N with 0 ≤ I < N (e.g. 0/4 … 3/4; a Slurm array: --array=0-3 and --shard $SLURM_ARRAY_TASK_ID/4), got "${value}"`,
    );
  }
  return { index, count };
}

function workersFlag(value: string | boolean | string[] | undefined): number | undefined {
  if (typeof value !== "string") return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 256) throw new InputError(`--workers must be an integer from 1 to 256, got "${value}"`);
  return n;
}

export const sweepCommand: Command = {
  name: "sweep",
  summary: "run a sweep of training runs on a pool of worker threads; rerun to resume",
  usage:
    "cimlearn sweep SWEEP.json --out DIR [--workers N | --shard I/N | --queue redis://HOST:PORT/DB] [--retry-failed] [--dry-run] [--max-runs N] [--json]",
  maxPositionals: 1,
  flags: {
    out: {
      type: "string",
      value: "DIR",
      help: "results directory: sweep.json, results.jsonl, runs/ID/metrics.jsonl (an existing one resumes)",
    },
    workers: { type: "string", value: "N", help: `worker threads (default: the number of cores, here ${availableParallelism()})` },
    shard: {
      type: "string",
      value: "I/N",
      help: "run only shard I of N (0 ≤ I < N: the runs at positions I, I + N, …), e.g. one task of a cluster's array job; cimlearn merge combines the shards' directories",
    },
    queue: {
      type: "string",
      value: "URL",
      help: "run on a Redis job queue (BullMQ) instead of local threads: redis://[USER[:PASSWORD]@]HOST[:PORT][/DB] or rediss:// (TLS); password also from CIMLEARN_REDIS_PASSWORD. Enqueues the runs, collects results into --out; start `cimlearn worker` processes anywhere",
    },
    "retry-failed": { type: "boolean", help: "on resume, run the failed runs again too" },
    "dry-run": { type: "boolean", help: "validate and list the points and runs; run nothing" },
    "max-runs": { type: "string", value: "N", help: "runs the sweep may expand to (default 100000)" },
    json: { type: "boolean", help: "print the summary (or, with --dry-run, the plan) as one JSON document on stdout" },
    ...helpFlag,
  },
  async run(values: FlagValues, positionals: string[]) {
    const file = positionals[0];
    if (file === undefined) throw new InputError("`cimlearn sweep` needs a sweep file: cimlearn sweep SWEEP.json --out DIR");
    const workers = workersFlag(values.workers);
    const shard = shardFlag(values.shard);
    const maxRuns = typeof values["max-runs"] === "string" ? positiveInteger("max-runs", values["max-runs"]) : undefined;
    const expanded = expandSweep(readSweepFile(file), file, maxRuns !== undefined ? { maxRuns } : {});
    if (values["dry-run"]) {
      const plan = {
        name: expanded.name,
        points: expanded.points.length,
        repeats: expanded.repeats,
        runs: expanded.runs.length,
        seeds: [...new Set(expanded.runs.map((r) => r.seed))].sort((a, b) => a - b),
        parts: expanded.parts.map((p) => ({
          name: p.name,
          points: p.points.length,
          dimensions: p.dimensions.map((d) => ({ id: d.id, steps: d.steps.length })),
        })),
      };
      if (values.json) {
        process.stdout.write(
          `${JSON.stringify({ ...plan, list: expanded.points.map((p) => ({ point: p.index, part: p.part, values: p.values })) }, null, 2)}\n`,
        );
        return;
      }
      const rows = expanded.parts.map((p) => [
        p.name || "(all)",
        String(p.points.length),
        p.dimensions.map((d) => `${d.id} (${d.steps.length})`).join(" × ") || "—",
      ]);
      process.stdout.write(
        `${expanded.name}: ${plan.points} points × ${plan.repeats} repeats = ${plan.runs} runs, seeds ${plan.seeds.join(", ")}\n\n${formatTable(["part", "points", "dimensions"], rows)}\n`,
      );
      return;
    }
    if (typeof values.out !== "string")
      throw new InputError("`cimlearn sweep` needs --out DIR (where results go; an existing sweep directory resumes)");
    const queue = typeof values.queue === "string" ? parseQueueUrl(values.queue) : undefined;
    if (queue && (workers !== undefined || shard))
      throw new InputError(
        `--queue does not go with ${workers !== undefined ? "--workers" : "--shard"}: the queue's workers are \`cimlearn worker\` processes`,
      );
    const summary: SweepSummary = queue
      ? await runQueuedSweep(expanded, { out: values.out, source: file, queue, retryFailed: values["retry-failed"] === true })
      : await runSweep(expanded, {
          out: values.out,
          source: file,
          ...(workers !== undefined ? { workers } : {}),
          retryFailed: values["retry-failed"] === true,
          ...(shard ? { shard } : {}),
        });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return;
    }
    const best = summary.best
      ? `; best ${(summary.best.test_accuracy * 100).toFixed(2)} % (${summary.best.run}: ${describeValues(summary.best.values) || "base"})`
      : "";
    process.stdout.write(
      `${summary.name}${summary.shard ? ` (shard ${summary.shard.index}/${summary.shard.count})` : ""}: ${summary.skipped + summary.ran} of ${summary.total} runs finished (${summary.ran} now: ${summary.ok} ok, ${summary.failed} failed) in ${summary.seconds.toFixed(1)} s${best}\nresults: ${summary.out}/results.jsonl; report: cimlearn report ${summary.out}\n`,
    );
  },
};
