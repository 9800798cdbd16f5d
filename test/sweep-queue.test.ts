import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandSweep } from "../src/experiment/sweep.js";
import { parseQueueUrl, runQueuedSweep, runQueueWorker, sweepHash } from "../src/experiment/sweep-queue.js";
import { runSweep } from "../src/experiment/sweep-run.js";
import { bundleWorker } from "./sweep-helpers.js";

// The queue backend with its real parts: Debian's redis-server on a loopback port (.ci/run installs
// it), the built CLI as the submitting process, the collector and three worker processes. One worker
// is killed (SIGKILL) in the middle of a run and the submitting process too; `cimlearn collect` takes
// over; every run ends up in results.jsonl once, with the lines the local thread pool writes.

const REDIS = "/usr/bin/redis-server";
const CLI = join(process.cwd(), "dist", "node", "cli.js");
const root = mkdtempSync(join(tmpdir(), "cimlearn-queue-"));
const children: ChildProcess[] = [];
let redis: ChildProcess | undefined;
let url = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(REDIS, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    if (spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).stdout.trim() === "PONG") return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer on port ${port}`);
}

/** The CLI as a child process; `lines` collects its stderr lines as they come. */
function cli(args: string[]): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const lines: string[] = [];
  let tail = "";
  child.stderr?.on("data", (d: Buffer) => {
    const parts = (tail + d.toString()).split("\n");
    tail = parts.pop() ?? "";
    lines.push(...parts);
  });
  child.stdout?.on("data", () => {});
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, lines, exited };
}

async function until(what: string, test: () => boolean, seconds = 60): Promise<void> {
  for (let t = 0; t < seconds * 20; t++) {
    if (test()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const timings = (key: string, value: unknown) =>
  key === "seconds" || key === "samples_per_second" || key === "finished" ? undefined : value;

function lines(dir: string): { run: string; status: string; text: string }[] {
  const path = join(dir, "results.jsonl");
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const v = JSON.parse(l);
      return { run: v.run, status: v.status, text: JSON.stringify(v, timings) };
    });
}

const available = existsSync(REDIS) && existsSync(CLI);
// In CI the server must be there (.ci/run installs it): a missing one fails instead of skipping.
const describeQueue = available || process.env.CI ? describe : describe.skip;

beforeAll(async () => {
  if (!available && !process.env.CI) return;
  const port = await freePort();
  redis = await startRedis(port);
  url = `redis://127.0.0.1:${port}/0`;
});

afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  redis?.kill("SIGKILL");
  rmSync(root, { recursive: true, force: true });
});

describeQueue("sweeps on a Redis job queue (BullMQ)", () => {
  it("3 worker processes, one killed mid-run, the submitter killed and `collect` taking over: every run once, bit-identical to the local pool", async () => {
    const sweep = {
      name: "queue",
      base: { dataset: "digits", model: "mlp:64-512-512-10", epochs: 4, device: "fefet-v21" },
      axes: [{ path: "algo", values: ["bp", "fa", "dfa"] }],
      repeats: 2,
    };
    const file = join(root, "sweep.json");
    writeFileSync(file, JSON.stringify(sweep));
    const out = join(root, "queued");

    const submit = cli(["sweep", file, "--out", out, "--queue", url]);
    await until("the runs to be queued", () => submit.lines.some((l) => /6 queued on redis:\/\/127\.0\.0\.1:\d+\/0/.test(l)));
    const workers = [0, 1, 2].map(() => cli(["worker", "--queue", url, "--sweep", file, "--stalled-seconds", "2", "--exit-when-done"]));
    // Kill a worker in the middle of its first run: its job stalls and goes to another worker.
    const victim = workers[0] as ReturnType<typeof cli>;
    await until("a run to start on worker 0", () => victim.lines.some((l) => / run p\d+-r\d+ started/.test(l)));
    const killedRun = /run (p\d+-r\d+) started/.exec(victim.lines.find((l) => / started/.test(l)) ?? "")?.[1];
    victim.child.kill("SIGKILL");
    // Kill the submitting process once it has collected two runs; `collect` goes on from the directory.
    await until("two collected runs", () => lines(out).length >= 2);
    submit.child.kill("SIGKILL");
    await submit.exited;
    const collect = cli(["collect", out, "--queue", url]);
    expect(await collect.exited).toBe(0);
    for (const w of workers.slice(1)) expect(await w.exited, "a worker with --exit-when-done ends once the sweep is collected").toBe(0);

    const got = lines(out);
    expect(got.map((l) => l.run).sort()).toEqual(["p000-r0", "p000-r1", "p001-r0", "p001-r1", "p002-r0", "p002-r1"]);
    expect(got.every((l) => l.status === "ok")).toBe(true);
    expect(got.map((l) => l.run)).toContain(killedRun);

    // The same sweep on the local thread pool: the same lines (wall-clock times aside).
    const worker = await bundleWorker();
    try {
      const local = join(root, "local");
      await runSweep(expandSweep(sweep), { out: local, workers: 2, workerUrl: worker.url, log: () => {} });
      const byRun = new Map(lines(local).map((l) => [l.run, l.text]));
      for (const l of got) expect(l.text, l.run).toBe(byRun.get(l.run));
    } finally {
      worker.remove();
    }
    // Collecting a finished sweep again appends nothing.
    const again = cli(["collect", out, "--queue", url]);
    expect(await again.exited).toBe(0);
    expect(lines(out)).toHaveLength(6);
  }, 120_000);

  it("refuses a second collector directory for one queued sweep, a changed sweep in the directory, and a worker of another sweep runs nothing of it", async () => {
    const sweep = {
      name: "refuse",
      base: { dataset: "digits", model: "mlp:64-16-10", epochs: 1 },
      axes: [{ path: "algo", values: ["bp", "dfa"] }],
    };
    const file = join(root, "refuse.json");
    writeFileSync(file, JSON.stringify(sweep));
    const first = cli(["sweep", file, "--out", join(root, "first"), "--queue", url]);
    await until("the first collector", () => first.lines.some((l) => /2 queued/.test(l)));
    const second = cli(["sweep", file, "--out", join(root, "second"), "--queue", url]);
    expect(await second.exited).toBe(2);
    expect(second.lines.join("\n")).toMatch(/is being collected into .*first; collect there \(cimlearn collect DIR --queue URL\)/);
    // A changed sweep file against the first directory: refused as a local sweep is.
    writeFileSync(join(root, "changed.json"), JSON.stringify({ ...sweep, base: { ...sweep.base, epochs: 2 } }));
    first.child.kill("SIGKILL");
    await first.exited;
    const changed = cli(["sweep", join(root, "changed.json"), "--out", join(root, "first"), "--queue", url]);
    expect(await changed.exited).toBe(2);
    expect(changed.lines.join("\n")).toMatch(/holds a different sweep .* changed at base\.epochs/);
    // The queue is named after the sweep's hash: a worker of another sweep waits on another queue.
    expect(sweepHash(expandSweep(sweep))).not.toBe(sweepHash(expandSweep({ ...sweep, base: { ...sweep.base, epochs: 2 } })));
  }, 60_000);
});

describeQueue("a Redis restart", () => {
  it("loses nothing collected: the collector re-enqueues what the restart lost, every run is collected once", async () => {
    const sweep = {
      name: "restart",
      base: { dataset: "digits", model: "mlp:64-512-512-10", epochs: 4, device: "fefet-v21" },
      axes: [{ path: "algo", values: ["bp", "fa", "dfa", "drtp"] }],
    };
    const expanded = expandSweep(sweep);
    const out = join(root, "restart");
    const queue = parseQueueUrl(url.replace(/\/0$/, "/1"));
    const worker = await bundleWorker();
    const stop = new AbortController();
    const logged: string[] = [];
    try {
      const working = runQueueWorker({
        queue,
        expanded,
        threads: 1,
        stalledSeconds: 2,
        exitWhenDone: true,
        workerUrl: worker.url,
        log: () => {},
        signal: stop.signal,
      });
      const collecting = runQueuedSweep(expanded, { out, queue, requeueSeconds: 1, log: (l) => logged.push(l) });
      await until("one collected run", () => lines(out).length >= 1);
      // Runs still queued or running when Redis goes: they exist nowhere but in what the collector knows.
      expect(lines(out).length).toBeLessThan(4);
      const port = /:(\d+)\//.exec(url)?.[1] as string;
      redis?.kill("SIGKILL");
      await new Promise((r) => redis?.on("exit", r));
      redis = await startRedis(Number(port)); // empty: no persistence
      const summary = await collecting;
      expect(summary.unfinished).toBe(0);
      await working;
      const got = lines(out);
      expect(got.map((l) => l.run).sort()).toEqual(expanded.runs.map((r) => r.id).sort());
      expect(got.every((l) => l.status === "ok")).toBe(true);
    } finally {
      stop.abort();
      worker.remove();
    }
  }, 90_000);
});

describe("--queue URLs", () => {
  it("parse host, port, database, user and password (from the URL or the environment) and TLS, and print the password hidden", () => {
    const a = parseQueueUrl("redis://127.0.0.1:6390/3", {});
    expect(a.connection).toMatchObject({ host: "127.0.0.1", port: 6390, db: 3 });
    expect(a.connection.password).toBeUndefined();
    expect(a.label).toBe("redis://127.0.0.1:6390/3");
    const b = parseQueueUrl("rediss://sweeper:s%40cret@redis.example:6380", {});
    expect(b.connection).toMatchObject({
      host: "redis.example",
      port: 6380,
      db: 0,
      username: "sweeper",
      password: "s@cret",
      tls: { servername: "redis.example" },
    });
    expect(b.label).toBe("rediss://sweeper:***@redis.example:6380/0");
    const c = parseQueueUrl("redis://localhost", { CIMLEARN_REDIS_PASSWORD: "pw", CIMLEARN_REDIS_USERNAME: "u" });
    expect(c.connection).toMatchObject({ port: 6379, username: "u", password: "pw" });
    expect(c.label).toBe("redis://u:***@localhost:6379/0");
    for (const [bad, message] of [
      ["localhost:6379", /--queue must be a Redis URL, redis:\/\/\[USER\[:PASSWORD\]@\]HOST\[:PORT\]\[\/DB\]/],
      ["http://localhost", /got the scheme "http:"/],
      ["redis://localhost/x", /the database must be a number/],
      ["redis://localhost/0?password=x", /no query or fragment/],
    ] as const)
      expect(() => parseQueueUrl(bad, {}), bad).toThrow(message);
  });
});
