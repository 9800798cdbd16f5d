import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shardFlag } from "../src/cli/commands/sweep.js";
import { expandSweep } from "../src/experiment/sweep.js";
import { mergeSweeps } from "../src/experiment/sweep-merge.js";
import { runSweep } from "../src/experiment/sweep-run.js";
import { bundleWorker, tinySweep } from "./sweep-helpers.js";

// Array jobs without a broker: `sweep --shard I/N` runs a deterministic slice, `merge` combines the
// slices into what one unsharded sweep writes (apart from wall-clock times).

let worker: Awaited<ReturnType<typeof bundleWorker>>;
const root = mkdtempSync(join(tmpdir(), "cimlearn-shard-"));
beforeAll(async () => {
  worker = await bundleWorker();
});
afterAll(() => {
  worker?.remove();
  rmSync(root, { recursive: true, force: true });
});

const quiet = { log: () => {} };
const timings = (key: string, value: unknown) =>
  key === "seconds" || key === "samples_per_second" || key === "finished" ? undefined : value;

/** results.jsonl as run id → line without wall-clock fields. */
function results(dir: string): Map<string, string> {
  const lines = readFileSync(join(dir, "results.jsonl"), "utf8").trim().split("\n");
  return new Map(lines.map((l) => JSON.parse(l)).map((l) => [l.run as string, JSON.stringify(l, timings)]));
}

describe("sweep shards and merge", () => {
  it("three shards cover every run once, and merged equal the unsharded sweep (results, metrics files, report-ready)", async () => {
    const sweep = tinySweep({ repeats: 2 });
    const expanded = expandSweep(sweep);
    const whole = join(root, "whole");
    await runSweep(expanded, { out: whole, workers: 2, workerUrl: worker.url, ...quiet });
    const shards = [0, 1, 2].map((i) => join(root, `shard-${i}`));
    const ran: string[][] = [];
    for (const [index, out] of shards.entries()) {
      const started: string[] = [];
      const summary = await runSweep(expanded, {
        out,
        workers: 1,
        shard: { index, count: 3 },
        workerUrl: worker.url,
        onStart: (r) => started.push(r.id),
        ...quiet,
      });
      expect(summary.shard).toEqual({ index, count: 3 });
      ran.push(started);
    }
    // Positions i ≡ index (mod 3) of the sweep's run order, each run in exactly one shard.
    expect(ran.map((r) => r.length)).toEqual([3, 3, 2]);
    for (const [index, ids] of ran.entries())
      expect(ids.sort()).toEqual(
        expanded.runs
          .filter((_, i) => i % 3 === index)
          .map((r) => r.id)
          .sort(),
      );

    const merged = join(root, "merged");
    const summary = mergeSweeps(shards, merged);
    expect([summary.total, summary.finished, summary.ok, summary.missing_shards]).toEqual([8, 8, 8, []]);
    expect(results(merged)).toEqual(results(whole));
    // The merged directory is an unsharded sweep: resuming it with the sweep runs nothing.
    const started: string[] = [];
    await runSweep(expanded, { out: merged, workerUrl: worker.url, onStart: (r) => started.push(r.id), ...quiet });
    expect(started).toEqual([]);
    const metrics = readFileSync(join(merged, "runs", "p000-r0", "metrics.jsonl"), "utf8");
    expect(metrics).toBe(readFileSync(join(shards[0] as string, "runs", "p000-r0", "metrics.jsonl"), "utf8"));
  });

  it("refuses another shard in a shard's directory, a run finished by two inputs, another sweep, and a non-empty --out", async () => {
    const expanded = expandSweep(tinySweep({ repeats: 1 }));
    const a = join(root, "a");
    await runSweep(expanded, { out: a, shard: { index: 0, count: 2 }, workers: 1, workerUrl: worker.url, ...quiet });
    await expect(runSweep(expanded, { out: a, shard: { index: 1, count: 2 }, workerUrl: worker.url, ...quiet })).rejects.toThrow(
      /holds shard 0\/2 of this sweep, not shard 1\/2: give every shard its own --out/,
    );
    await expect(runSweep(expanded, { out: a, workerUrl: worker.url, ...quiet })).rejects.toThrow(
      /holds shard 0\/2 of this sweep, not the whole sweep/,
    );
    const whole = join(root, "b");
    await runSweep(expanded, { out: whole, workers: 1, workerUrl: worker.url, ...quiet });
    expect(() => mergeSweeps([a, whole], join(root, "m1"))).toThrow(
      /run p000-r0 is in both .*a and .*b: each run must come from one shard/,
    );
    const other = join(root, "other");
    await runSweep(expandSweep(tinySweep({ repeats: 1, name: "other" })), { out: other, workers: 1, workerUrl: worker.url, ...quiet });
    expect(() => mergeSweeps([a, other], join(root, "m2"))).toThrow(
      /holds another sweep than .*\(sweep.name: was tiny, now other\); only shards of one sweep merge/,
    );
    const busy = join(root, "busy");
    writeFileSync(join(root, "busy-file"), "");
    expect(() => mergeSweeps([a], join(root, "busy-file"))).toThrow(/exists and is not an empty folder/);
    // A missing shard is reported, not refused: the merged directory resumes it.
    const m = mergeSweeps([a], busy);
    expect(m.missing_shards).toEqual([1]);
  });

  it("--shard I/N is parsed strictly, naming the flag, the value and the allowed form", () => {
    expect(shardFlag("0/4")).toEqual({ index: 0, count: 4 });
    expect(shardFlag("3/4")).toEqual({ index: 3, count: 4 });
    for (const bad of ["4/4", "1/0", "-1/4", "1 / 4", "a/b", "1/4/5", "1", ""])
      expect(() => shardFlag(bad), bad).toThrow(/--shard must be I\/N with 0 ≤ I < N .*got/);
  });
});
