// `cimlearn merge DIR… --out OUT`: the results directories of one sweep's shards (`sweep --shard I/N`,
// e.g. a Slurm array job's tasks) combined into one directory, as one unsharded sweep would have
// written it: sweep.json without a shard, results.jsonl in the sweep's run order, runs/ID/metrics.jsonl.
// Directories of another sweep, or of the same sweep resolved differently, are refused with the first
// difference; so is a run that two inputs both finished. OUT is written only once all inputs check.

import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../engine/errors.js";
import { withFs } from "../engine/fs-errors.js";
import {
  firstDifference,
  lockSweepDir,
  type ResultLine,
  readManifest,
  readResults,
  resultsPath,
  runDir,
  type SweepManifest,
  shardLabel,
  writeAtomically,
} from "./sweep-store.js";

export interface MergeSummary {
  out: string;
  name: string;
  /** Runs of the sweep. */
  total: number;
  /** Runs with a result in the merged directory. */
  finished: number;
  ok: number;
  failed: number;
  inputs: { dir: string; shard: string; runs: number }[];
  /** Shards of the sweep none of the inputs holds (when they are shards of one count). */
  missing_shards: number[];
}

/** Merges the sweep directories `inputs` into the new directory `out`. */
export function mergeSweeps(inputs: readonly string[], out: string): MergeSummary {
  if (inputs.length === 0) throw new InputError("`cimlearn merge` needs the sweep directories to merge: cimlearn merge DIR… --out OUT");
  const outEntry = withFs("open the output folder", out, () => statSync(out, { throwIfNoEntry: false }));
  if (outEntry && (!outEntry.isDirectory() || withFs("list the output folder", out, () => readdirSync(out)).length > 0)) {
    throw new InputError(`--out ${out} exists and is not an empty folder; merge into a new directory`);
  }
  const unlocks: (() => void)[] = [];
  try {
    const opened: { dir: string; manifest: SweepManifest; lines: Map<string, ResultLine> }[] = [];
    for (const dir of inputs) {
      const entry = withFs("open the sweep folder", dir, () => statSync(dir, { throwIfNoEntry: false }));
      if (!entry?.isDirectory()) throw new InputError(`${dir}: not a directory (give the --out folders of \`cimlearn sweep\`)`);
      if (opened.some((o) => o.dir === dir)) throw new InputError(`${dir} is given twice`);
      // A shard still running is refused (its lock is live): its results are not final.
      unlocks.push(lockSweepDir(dir));
      const manifest = readManifest(dir);
      opened.push({ dir, manifest, lines: readResults(dir, manifest, false).finished });
    }
    const first = opened[0] as (typeof opened)[number];
    for (const o of opened.slice(1)) {
      const d = firstDifference(first.manifest.sweep, o.manifest.sweep, "sweep");
      if (d) throw new InputError(`${o.dir} holds another sweep than ${first.dir} (${d}); only shards of one sweep merge`);
      for (const point of first.manifest.points) {
        const p = firstDifference(point.config, o.manifest.points[point.index]?.config, "config");
        if (p) {
          throw new InputError(
            `${o.dir}: point ${point.index} resolves differently from ${first.dir} (${p}; cimlearn ${o.manifest.version} there, ${first.manifest.version} here): its runs are not comparable`,
          );
        }
      }
    }
    const owner = new Map<string, string>();
    for (const o of opened) {
      for (const run of o.lines.keys()) {
        const other = owner.get(run);
        if (other) throw new InputError(`run ${run} is in both ${other} and ${o.dir}: each run must come from one shard`);
        owner.set(run, o.dir);
      }
    }
    const counts = new Set(opened.map((o) => o.manifest.shard?.count ?? 0));
    const missing: number[] = [];
    if (counts.size === 1 && !counts.has(0)) {
      const count = [...counts][0] as number;
      const have = new Set(opened.map((o) => o.manifest.shard?.index));
      for (let i = 0; i < count; i++) if (!have.has(i)) missing.push(i);
    }

    const { shard: _shard, ...whole } = first.manifest;
    withFs("create the output folder", out, () => mkdirSync(out, { recursive: true }));
    writeAtomically(
      join(out, "sweep.json"),
      `${JSON.stringify({ ...whole, created: new Date().toISOString() }, null, 2)}\n`,
      "write the sweep's record",
    );
    const lines: ResultLine[] = [];
    for (const run of first.manifest.runs) {
      const dir = owner.get(run.id);
      const line = dir === undefined ? undefined : opened.find((o) => o.dir === dir)?.lines.get(run.id);
      if (!dir || !line) continue;
      lines.push(line);
      const metrics = join(runDir(dir, run.id), "metrics.jsonl");
      if (existsSync(metrics)) {
        const to = runDir(out, run.id);
        withFs("create a run's folder", to, () => mkdirSync(to, { recursive: true }));
        withFs("copy a run's metrics", metrics, () => copyFileSync(metrics, join(to, "metrics.jsonl")));
      }
    }
    const path = resultsPath(out);
    withFs("write the merged results", path, () => writeFileSync(path, lines.map((l) => `${JSON.stringify(l)}\n`).join("")));
    return {
      out,
      name: first.manifest.name,
      total: first.manifest.runs.length,
      finished: lines.length,
      ok: lines.filter((l) => l.status === "ok").length,
      failed: lines.filter((l) => l.status === "failed").length,
      inputs: opened.map((o) => ({ dir: o.dir, shard: shardLabel(o.manifest.shard), runs: o.lines.size })),
      missing_shards: missing,
    };
  } finally {
    for (const unlock of unlocks) unlock();
  }
}
