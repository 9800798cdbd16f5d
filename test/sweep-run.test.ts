import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../src/engine/errors.js";
import { expandSweep } from "../src/experiment/sweep.js";
import { runSweep, type SweepOptions } from "../src/experiment/sweep-run.js";
import { manifestOf, openSweepDir, type ResultLine } from "../src/experiment/sweep-store.js";
import { bundleWorker, tinySweep } from "./sweep-helpers.js";

let worker: { url: URL; remove: () => void };
beforeAll(async () => {
  worker = await bundleWorker();
});
afterAll(() => worker?.remove());

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `cimlearn-${name}-`));
const quiet = { log: () => {} };
function lines(dir: string): ResultLine[] {
  return readFileSync(join(dir, "results.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as ResultLine);
}
function run(sweep: Record<string, unknown>, out: string, options: Partial<SweepOptions> = {}) {
  return runSweep(expandSweep(sweep), { out, workerUrl: worker.url, ...quiet, ...options });
}

describe("cimlearn sweep: the worker pool", () => {
  it("runs every point and repeat in worker threads, writing sweep.json, results.jsonl and per-run metrics", async () => {
    const out = join(tmp("sweep"), "out");
    const summary = await run(tinySweep(), out, { workers: 2 });
    expect(summary).toMatchObject({ total: 8, ran: 8, ok: 8, failed: 0, skipped: 0, stopped: false, workers: 2 });
    const manifest = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8"));
    expect(manifest.runs).toHaveLength(8);
    expect(manifest.points[3].config.device).toMatchObject({ preset: "ideal", c2c: 0.01 });
    const results = lines(out);
    expect(results.map((l) => l.run).sort()).toEqual(manifest.runs.map((r: { id: string }) => r.id).sort());
    for (const l of results) {
      expect(l.status).toBe("ok");
      expect(l.config.seed).toBe(l.seed);
      expect(l.seed).toBe(1 + l.repeat);
      expect(l.test_accuracy).toBeGreaterThan(0);
      expect(l.test_accuracy).toBeLessThanOrEqual(1);
      expect(l.history).toHaveLength(1);
      expect(l.events?.forward.reads).toBeGreaterThan(0);
      expect(l.cost?.total.energy_j).toBeGreaterThan(0);
      // The run's own schedule in `costs` is its full cost report's.
      expect(l.costs?.sequential?.total).toEqual(l.cost?.total);
      expect(Object.keys(l.costs ?? {}).sort()).toEqual(
        l.config.algo === "dfa" ? ["dfa-parallel", "pipelined", "sequential"] : ["pipelined", "sequential"],
      );
      const metrics = readFileSync(join(out, "runs", l.run, "metrics.jsonl"), "utf8")
        .trim()
        .split("\n");
      expect(JSON.parse(metrics[0] as string).test_accuracy).toBe(l.test_accuracy);
    }
    // Deterministic whatever the number of workers.
    const one = join(tmp("sweep"), "out");
    await run(tinySweep(), one, { workers: 1 });
    const byRun = (ls: ResultLine[]) => Object.fromEntries(ls.map((l) => [l.run, [l.test_accuracy, l.cost?.total.energy_j]]));
    expect(byRun(lines(one))).toEqual(byRun(results));
  });

  it("costs a run under every schedule from its own counts (the same as a run configured with that schedule)", async () => {
    const out = join(tmp("sweep"), "out");
    await run(
      tinySweep({
        axes: [{ path: "schedule", values: ["sequential", "dfa-parallel"] }],
        repeats: 1,
        base: { ...(tinySweep().base as object), algo: "dfa" },
      }),
      out,
    );
    const [seq, par] = lines(out).sort((a, b) => a.point - b.point) as [ResultLine, ResultLine];
    expect(seq.test_accuracy).toBe(par.test_accuracy); // the schedule changes the cost, not training
    expect(par.costs?.sequential?.total.latency_s).toBeCloseTo(seq.cost?.total.latency_s as number, 12);
    expect(par.costs?.sequential?.total.energy_j).toBeCloseTo(seq.cost?.total.energy_j as number, 12);
    expect(seq.costs?.["dfa-parallel"]?.total.latency_s).toBeCloseTo(par.cost?.total.latency_s as number, 12);
  });

  it("records a failing run with its error and goes on; a resume skips it unless --retry-failed", async () => {
    const out = join(tmp("sweep"), "out");
    const sweep = tinySweep({
      axes: [{ path: "algo", values: ["bp", "dfa"] }],
      parts: [{ name: "seq" }, { name: "par", base: { schedule: "dfa-parallel" } }],
      repeats: 1,
    });
    const summary = await run(sweep, out, { workers: 2 });
    expect(summary).toMatchObject({ total: 4, ran: 4, ok: 3, failed: 1 });
    const failed = lines(out).filter((l) => l.status === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ part: "par", values: { algo: "bp" }, test_accuracy: null });
    expect(failed[0]?.error?.message).toMatch(/schedule: "dfa-parallel" needs a rule whose hidden layers learn from the output alone/);
    const started: string[] = [];
    const again = await run(sweep, out, { onStart: (r) => started.push(r.id) });
    expect(again).toMatchObject({ skipped: 4, ran: 0 });
    expect(started).toEqual([]);
    const retried = await run(sweep, out, { onStart: (r) => started.push(r.id), retryFailed: true });
    expect(retried).toMatchObject({ skipped: 3, ran: 1, failed: 1 });
    expect(started).toEqual([failed[0]?.run]);
    expect(lines(out)).toHaveLength(5); // the retry's line supersedes the first
  });

  it("resumes after an interruption: finished runs are kept and skipped, only unfinished ones run", async () => {
    const out = join(tmp("sweep"), "out");
    const sweep = tinySweep({ repeats: 3 });
    const stop = new AbortController();
    let seen = 0;
    const first = await run(sweep, out, {
      workers: 2,
      signal: stop.signal,
      onResult: () => {
        if (++seen === 3) stop.abort();
      },
    });
    expect(first.stopped).toBe(true);
    expect(first.ran).toBe(3);
    const before = readFileSync(join(out, "results.jsonl"), "utf8");
    const done = lines(out).map((l) => l.run);
    expect(done).toHaveLength(3);
    const started: string[] = [];
    const second = await run(sweep, out, { workers: 2, onStart: (r) => started.push(r.id) });
    expect(second).toMatchObject({ total: 12, skipped: 3, ran: 9, ok: 9, stopped: false });
    const all = expandSweep(sweep).runs.map((r) => r.id);
    expect(started.sort()).toEqual(all.filter((id) => !done.includes(id)).sort());
    expect(readFileSync(join(out, "results.jsonl"), "utf8").startsWith(before)).toBe(true);
    expect(
      lines(out)
        .map((l) => l.run)
        .sort(),
    ).toEqual([...all].sort());
  });

  it("records the run of a worker thread that crashes as failed, and replaces the worker", async () => {
    const dir = tmp("sweep-crash");
    const crashing = join(dir, "crashing-worker.mjs");
    writeFileSync(
      crashing,
      'import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => { throw new Error("boom"); });\n',
    );
    const out = join(dir, "out");
    const summary = await run(tinySweep({ repeats: 1 }), out, { workers: 2, workerUrl: pathToFileURL(crashing) });
    expect(summary).toMatchObject({ total: 4, ran: 4, ok: 0, failed: 4 });
    for (const l of lines(out)) {
      expect(l.status).toBe("failed");
      expect(l.error?.message).toMatch(/the worker thread ended during the run: boom/);
    }
  });

  it("refuses a changed sweep file, and a non-empty directory that holds no sweep", async () => {
    const out = join(tmp("sweep"), "out");
    await run(tinySweep({ repeats: 1 }), out);
    const changed = tinySweep({
      repeats: 1,
      axes: [
        { path: "algo", values: ["bp", "dfa"] },
        { path: "device.c2c", values: [0, 0.02] },
      ],
    });
    await expect(run(changed, out)).rejects.toThrow(InputError);
    await expect(run(changed, out)).rejects.toThrow(
      /holds a different sweep .*the sweep file changed at axes\[1\]\.values\[1\]: was 0\.01, now 0\.02.*use another --out directory, or delete/,
    );
    // Same file, but the stored resolution differs (as when a default changed in a newer cimlearn).
    const stored = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8"));
    stored.points[2].config.momentum = 0.5;
    writeFileSync(join(out, "sweep.json"), JSON.stringify(stored));
    await expect(run(tinySweep({ repeats: 1 }), out)).rejects.toThrow(
      /the sweep file is unchanged, but point 2 now resolves differently from when the sweep started \(config\.momentum: was 0\.5, now 0\.9/,
    );
    const other = tmp("sweep");
    writeFileSync(join(other, "notes.txt"), "mine");
    await expect(run(tinySweep(), other)).rejects.toThrow(/exists, is not empty and holds no sweep\.json/);
  });

  it("allows one sweep at a time per directory, and takes over the lock of a killed one", async () => {
    const out = join(tmp("sweep"), "out");
    const sweep = tinySweep({ repeats: 1 });
    await run(sweep, out);
    expect(existsSync(join(out, "sweep.lock"))).toBe(false);
    writeFileSync(join(out, "sweep.lock"), `${process.pid}\n`); // a live process holds it
    await expect(run(sweep, out)).rejects.toThrow(new RegExp(`is in use by another \`cimlearn sweep\` \\(process ${process.pid}\\)`));
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(join(out, "sweep.lock"), `${dead.stdout}\n`); // its process has ended
    expect(await run(sweep, out)).toMatchObject({ skipped: 4, ran: 0 });
    expect(existsSync(join(out, "sweep.lock"))).toBe(false);
  });

  it("detects and cuts off a torn last line of results.jsonl", async () => {
    const out = join(tmp("sweep"), "out");
    const sweep = tinySweep({ repeats: 1 });
    await run(sweep, out);
    const whole = readFileSync(join(out, "results.jsonl"), "utf8");
    const kept = whole.split("\n").slice(0, 2).join("\n");
    const torn = whole.split("\n")[2]?.slice(0, 150) as string;
    writeFileSync(join(out, "results.jsonl"), `${kept}\n${torn}`);
    const opened = openSweepDir(out, manifestOf(expandSweep(sweep), "s.json"));
    opened.unlock();
    expect(opened.repairedBytes).toBe(torn.length);
    expect(opened.finished.size).toBe(2);
    expect(readFileSync(join(out, "results.jsonl"), "utf8")).toBe(`${kept}\n`);
    // A resume after the repair runs the two runs without a line.
    appendFileSync(join(out, "results.jsonl"), torn);
    const log: string[] = [];
    const summary = await run(sweep, out, { log: (l) => log.push(l) });
    expect(summary).toMatchObject({ skipped: 2, ran: 2, repaired_bytes: torn.length });
    expect(log.join("\n")).toMatch(/results\.jsonl: cut off a torn last line \(150 bytes of an interrupted write\)/);
    expect(lines(out)).toHaveLength(4);
  });
});

describe("cimlearn sweep (command line)", () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ["dist/node/cli.js", ...args], { encoding: "utf8", timeout: 120_000 });

  it("survives a kill mid-sweep: no finished run is lost, a torn line is repaired, only unfinished runs run again", async () => {
    const dir = tmp("sweep-kill");
    const file = join(dir, "sweep.json");
    writeFileSync(
      file,
      JSON.stringify(tinySweep({ base: { model: "mlp:64-32-10", dataset: "digits", epochs: 3, device: "ideal" }, repeats: 4 })),
    );
    const out = join(dir, "out");
    const child = spawn(process.execPath, ["dist/node/cli.js", "sweep", file, "--out", out, "--workers", "1"], { stdio: "ignore" });
    const results = join(out, "results.jsonl");
    const count = () => (existsSync(results) ? readFileSync(results, "utf8").split("\n").length - 1 : 0);
    const deadline = Date.now() + 60_000;
    while (count() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const written = readFileSync(results, "utf8");
    const before = written.slice(0, written.lastIndexOf("\n") + 1); // a kill during a write may have torn the last line
    const finishedBefore = before
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => (JSON.parse(l) as ResultLine).run);
    expect(finishedBefore.length).toBeGreaterThanOrEqual(3);
    expect(finishedBefore.length).toBeLessThan(16);
    // As if the kill had landed in the middle of a write.
    appendFileSync(results, '{"run":"p003-r2","status":"ok","hist');
    const r = cli("sweep", file, "--out", out, "--json");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/cut off a torn last line/);
    expect(r.stderr).toMatch(new RegExp(`resumed: ${finishedBefore.length} finished before`));
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ total: 16, skipped: finishedBefore.length, ran: 16 - finishedBefore.length, failed: 0 });
    const after = readFileSync(results, "utf8");
    expect(after.startsWith(before)).toBe(true);
    const ids = lines(out).map((l) => l.run);
    expect(new Set(ids).size).toBe(16);
    expect(ids).toHaveLength(16);
  });

  it("--dry-run lists the plan; bad input exits with code 2 and a message", () => {
    const dir = tmp("sweep-cli");
    const file = join(dir, "s.json");
    writeFileSync(file, JSON.stringify(tinySweep()));
    const plan = cli("sweep", file, "--dry-run", "--json");
    expect(plan.status, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ points: 4, repeats: 2, runs: 8, seeds: [1, 2] });
    expect(cli("sweep", file).stderr).toMatch(/needs --out DIR/);
    expect(cli("sweep", file, "--out", join(dir, "o"), "--workers", "0").stderr).toMatch(
      /--workers must be an integer from 1 to 256, got "0"/,
    );
    expect(cli("sweep", "--out", join(dir, "o")).stderr).toMatch(/needs a sweep file/);
    mkdirSync(join(dir, "bad"));
    writeFileSync(join(dir, "bad", "s.json"), JSON.stringify(tinySweep({ axes: [{ path: "device.c2c", values: [-1] }] })));
    const bad = cli("sweep", join(dir, "bad", "s.json"), "--out", join(dir, "bad", "o"));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/axis axes\[0\] \(device\.c2c\), value -1: .*c2c/);
    expect(existsSync(join(dir, "bad", "o"))).toBe(false);
  });
});
