// Filesystem failures of `cimlearn sweep` and `cimlearn report` are one line naming the path and the
// reason (exit code 2 for a path problem, 1 for a full disk), never a stack trace; an interrupted
// start or a lock whose pid was reused does not block a directory forever; the playground's server
// does not follow symbolic links out of its folder.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { request } from "node:http";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { CimlearnError, InputError } from "../src/engine/errors.js";
import { expandSweep } from "../src/experiment/sweep.js";
import { runSweep } from "../src/experiment/sweep-run.js";
import {
  appendResult,
  lockState,
  lockSweepDir,
  manifestOf,
  openSweepDir,
  processStart,
  type ResultLine,
  resultsPath,
} from "../src/experiment/sweep-store.js";
import { bundleWorker, tinySweep } from "./sweep-helpers.js";

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `cimlearn-${name}-`));
const cli = (...args: string[]) => spawnSync(process.execPath, ["dist/node/cli.js", ...args], { encoding: "utf8", timeout: 120_000 });
const oneRun = () => tinySweep({ axes: [{ path: "algo", values: ["bp"] }], repeats: 1 });
const twoRuns = () => tinySweep({ axes: [{ path: "algo", values: ["bp", "dfa"] }], repeats: 1 });

/** The command failed with `status` and one line on stderr, `cimlearn: …` matching `pattern`, no stack trace. */
function expectOneLine(r: ReturnType<typeof cli>, status: number, pattern: RegExp): void {
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^cimlearn: /);
  expect(r.stderr).toMatch(pattern);
  expect(r.status, r.stderr).toBe(status);
}

function writable(dir: string): boolean {
  const probe = join(dir, `.probe-${process.pid}`);
  try {
    writeFileSync(probe, "");
    rmSync(probe);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes `dirs` read-only: chmod 0555, and where that does not stop writes (root), the immutable
 * attribute. Skips the test, saying why, when neither works. Returns the function that undoes it.
 */
function makeReadOnly(dirs: string[], ctx: TestContext): () => void {
  const undo = () => {
    for (const dir of dirs) {
      spawnSync("chattr", ["-i", dir]);
      chmodSync(dir, 0o755);
    }
  };
  for (const dir of dirs) chmodSync(dir, 0o555);
  if (!dirs.some(writable)) return undo;
  for (const dir of dirs) spawnSync("chattr", ["+i", dir]);
  if (!dirs.some(writable)) return undo;
  undo();
  return ctx.skip("running as root, where chmod 0555 does not stop writes, and `chattr +i` is not available on this filesystem");
}

const sweepFile = (dir: string, sweep: Record<string, unknown>) => {
  const file = join(dir, "s.json");
  writeFileSync(file, JSON.stringify(sweep));
  return file;
};

describe("sweep and report: a path that cannot be written is one line, exit code 2", () => {
  it("sweep --out FILE (an existing file) names it and says it is a file", () => {
    const dir = tmp("fs-out-file");
    const file = sweepFile(dir, oneRun());
    const out = join(dir, "package.json");
    writeFileSync(out, "{}\n");
    expectOneLine(cli("sweep", file, "--out", out), 2, new RegExp(`--out ${out} is a file, not a folder`));
    expect(readFileSync(out, "utf8")).toBe("{}\n");
  });

  it("sweep --out below a file (ENOTDIR) names the path and the reason", () => {
    const dir = tmp("fs-out-notdir");
    const file = sweepFile(dir, oneRun());
    writeFileSync(join(dir, "plain"), "x");
    const out = join(dir, "plain", "out");
    expectOneLine(
      cli("sweep", file, "--out", out),
      2,
      new RegExp(`cannot open the results folder at "${out}": a part of the path is a file, not a folder \\(ENOTDIR\\)`),
    );
  });

  it("a sweep file that cannot be read is one line", () => {
    const dir = tmp("fs-sweep-file");
    expectOneLine(
      cli("sweep", join(dir, "missing.json"), "--out", join(dir, "o")),
      2,
      /cannot read the sweep file at ".*missing\.json": it does not exist \(ENOENT\)/,
    );
    expectOneLine(
      cli("sweep", dir, "--out", join(dir, "o")),
      2,
      /cannot read the sweep file at ".*": it is a folder, not a file \(EISDIR\)/,
    );
  });

  it("sweep --out a read-only folder (new or resumed) names the file it could not write", (ctx) => {
    const dir = tmp("fs-out-ro");
    const file = sweepFile(dir, oneRun());
    const empty = join(dir, "empty");
    mkdirSync(empty);
    const done = join(dir, "done");
    expect(cli("sweep", file, "--out", done).status).toBe(0);
    const undo = makeReadOnly([empty, done], ctx);
    try {
      for (const out of [empty, done]) {
        expectOneLine(
          cli("sweep", file, "--out", out),
          2,
          new RegExp(
            `cannot take the sweep's lock at "${out}/sweep\\.lock": (permission denied \\(EACCES\\)|operation not permitted \\(EPERM\\))`,
          ),
        );
      }
    } finally {
      undo();
    }
  });

  it("report on a read-only folder names the file it could not write", (ctx) => {
    const dir = tmp("fs-report-ro");
    const out = join(dir, "out");
    expect(cli("sweep", sweepFile(dir, oneRun()), "--out", out).status).toBe(0);
    const undo = makeReadOnly([out], ctx);
    try {
      expectOneLine(
        cli("report", out),
        2,
        new RegExp(
          `cannot write the table runs\\.csv at "${out}/runs\\.csv": (permission denied \\(EACCES\\)|operation not permitted \\(EPERM\\))`,
        ),
      );
    } finally {
      undo();
    }
    // Writable again: the report is written.
    expect(cli("report", out).status).toBe(0);
  });

  it("report: a folder in the way of report.html, or a file given as DIR, is one line; no temporary file is left", () => {
    const dir = tmp("fs-report-eisdir");
    const out = join(dir, "out");
    expect(cli("sweep", sweepFile(dir, oneRun()), "--out", out).status).toBe(0);
    mkdirSync(join(out, "report.html"));
    expectOneLine(
      cli("report", out),
      2,
      new RegExp(`cannot write the report at "${out}/report\\.html": it is a folder, not a file \\(EISDIR\\)`),
    );
    expect(readdirSync(out).filter((f) => f.includes(".tmp-"))).toEqual([]);
    expectOneLine(cli("report", join(out, "sweep.json")), 2, /sweep\.json is a file, not a folder/);
    expectOneLine(cli("report", join(out, "sweep.json", "x")), 2, /cannot open the sweep folder at ".*sweep\.json\/x": .*\(ENOTDIR\)/);
  });

  it("report removes the temporary files of a report that was killed, and keeps another live process's", () => {
    const dir = tmp("fs-report-tmp");
    const out = join(dir, "out");
    expect(cli("sweep", sweepFile(dir, oneRun()), "--out", out).status).toBe(0);
    const dead = Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
    writeFileSync(join(out, `report.html.tmp-${dead}`), "<half");
    writeFileSync(join(out, `runs.csv.tmp-${dead}`), "run,");
    writeFileSync(join(out, "report.html.tmp-1"), "<live"); // pid 1 lives
    writeFileSync(join(out, `notes.tmp-${dead}`), "mine"); // not the report's
    expect(cli("report", out).status).toBe(0);
    expect(readdirSync(out).filter((f) => f.includes(".tmp-"))).toEqual([`notes.tmp-${dead}`, "report.html.tmp-1"]);
  });
});

describe("results.jsonl: a failed append is one line and damages nothing", () => {
  const line = (run: string): ResultLine =>
    ({ run, point: 0, repeat: 0, seed: 1, part: "", values: {}, status: "ok", test_accuracy: 0.5, history: [] }) as unknown as ResultLine;

  it("a full disk (ENOSPC) mid-write: the file is cut back to its lines, the error is a CimlearnError (exit 1) naming the file", () => {
    const dir = tmp("fs-enospc");
    appendResult(dir, line("p000-r0"));
    const before = readFileSync(resultsPath(dir), "utf8");
    let calls = 0;
    const full = (fd: number, bytes: Uint8Array, offset: number, length: number): number => {
      if (calls++ === 0) {
        const half = Math.floor(length / 2);
        writeFileSync(fd, bytes.subarray(offset, offset + half));
        return half;
      }
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });
    };
    let error: unknown;
    try {
      appendResult(dir, line("p001-r0"), full);
    } catch (e) {
      error = e;
    }
    expect(calls).toBe(2);
    expect(error).toBeInstanceOf(CimlearnError);
    expect(error).not.toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `cannot append run p001-r0's result at "${resultsPath(dir)}": no space left on the device (ENOSPC); the lines written before are intact; fix that and run the same command again to resume`,
    );
    expect(readFileSync(resultsPath(dir), "utf8")).toBe(before);
    appendResult(dir, line("p001-r0"));
    expect(readFileSync(resultsPath(dir), "utf8").split("\n")).toHaveLength(3);
  });

  describe("in a running sweep", () => {
    let worker: { url: URL; remove: () => void };
    beforeAll(async () => {
      worker = await bundleWorker();
    });
    afterAll(() => worker?.remove());

    it("stops the sweep with the one-line error and releases the lock", async () => {
      const out = join(tmp("fs-append"), "out");
      const sweep = twoRuns();
      let started = 0;
      const run = runSweep(expandSweep(sweep), {
        out,
        workerUrl: worker.url,
        workers: 1,
        log: () => {},
        onStart: () => {
          // The second run's line will not fit: results.jsonl is replaced by a folder.
          if (++started === 2) {
            rmSync(resultsPath(out));
            mkdirSync(resultsPath(out));
          }
        },
      });
      await expect(run).rejects.toThrow(InputError);
      await expect(run).rejects.toThrow(
        new RegExp(`^cannot append run p001-r0's result at "${out}/results\\.jsonl": it is a folder, not a file \\(EISDIR\\)`),
      );
      expect(existsSync(join(out, "sweep.lock"))).toBe(false);
      rmSync(resultsPath(out), { recursive: true });
    });
  });
});

describe("sweep start: leftovers of a killed start, and the lock", () => {
  let worker: { url: URL; remove: () => void };
  beforeAll(async () => {
    worker = await bundleWorker();
  });
  afterAll(() => worker?.remove());
  const deadPid = () =>
    Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
  const run = (out: string, log: string[] = []) => runSweep(expandSweep(oneRun()), { out, workerUrl: worker.url, log: (l) => log.push(l) });

  it("a start killed before renaming sweep.json.tmp-PID (and its lock) does not block the folder: they are taken over", async () => {
    const out = tmp("fs-killed-start");
    const manifest = `${JSON.stringify(manifestOf(expandSweep(oneRun()), "s.json"), null, 2)}\n`;
    const dead = deadPid();
    writeFileSync(join(out, `sweep.json.tmp-${dead}`), manifest.slice(0, 100));
    writeFileSync(join(out, "sweep.lock"), `${JSON.stringify({ pid: dead, host: hostname() })}\n`);
    const log: string[] = [];
    expect(await run(out, log)).toMatchObject({ total: 1, ran: 1, ok: 1 });
    expect(log.join("\n")).toMatch(new RegExp(`removed sweep\\.json\\.tmp-${dead}, left by a start that was interrupted`));
    expect(readdirSync(out).sort()).toEqual(["results.jsonl", "runs", "sweep.json"]);
    // One whose pid now belongs to a live process is a leftover too: only the lock's holder writes sweep.json.
    const again = tmp("fs-killed-start");
    writeFileSync(join(again, "sweep.json.tmp-1"), manifest);
    expect(await run(again)).toMatchObject({ ran: 1 });
    expect(existsSync(join(again, "sweep.json.tmp-1"))).toBe(false);
    // Other files still make the folder someone else's.
    const other = tmp("fs-killed-start");
    writeFileSync(join(other, `sweep.json.tmp-${dead}`), manifest);
    writeFileSync(join(other, "notes.txt"), "mine");
    await expect(run(other)).rejects.toThrow(/exists, is not empty and holds no sweep\.json \(it holds notes\.txt\)/);
    expect(existsSync(join(other, `sweep.json.tmp-${dead}`))).toBe(true);
  });

  it("the command line resumes after such a kill", () => {
    const dir = tmp("fs-killed-start-cli");
    const file = sweepFile(dir, oneRun());
    const out = join(dir, "out");
    mkdirSync(out);
    writeFileSync(join(out, `sweep.json.tmp-${deadPid()}`), "{");
    const r = cli("sweep", file, "--out", out, "--json");
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ total: 1, ran: 1, ok: 1 });
  });

  it("a lock whose pid now belongs to another process (another start time) is taken over; a live holder is refused by pid", async () => {
    const out = tmp("fs-lock");
    const start = processStart(process.pid);
    expect(start).toMatch(/^\d+$/);
    const lock = join(out, "sweep.lock");
    expect(await run(out)).toMatchObject({ ran: 1 });
    // Our pid, but a process that started at another time: the holder has ended and the pid was reused.
    writeFileSync(lock, `${JSON.stringify({ pid: process.pid, start: "1", host: hostname() })}\n`);
    expect(lockState({ pid: process.pid, start: "1", host: hostname() })).toBe("stale");
    expect(await run(out)).toMatchObject({ skipped: 1, ran: 0 });
    expect(existsSync(lock)).toBe(false);
    // A live holder: this very process, as the lock names it.
    const unlock = lockSweepDir(out);
    expect(JSON.parse(readFileSync(lock, "utf8"))).toEqual({ pid: process.pid, start, host: hostname() });
    await expect(run(out)).rejects.toThrow(new RegExp(`is in use by another \`cimlearn sweep\` \\(process ${process.pid}\\)`));
    unlock();
    // Another live process holding it.
    const child: ChildProcess = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      const pid = child.pid as number;
      let childStart: string | undefined;
      for (let i = 0; i < 100 && childStart === undefined; i++) {
        childStart = processStart(pid);
        if (childStart === undefined) await new Promise((r) => setTimeout(r, 10));
      }
      writeFileSync(lock, `${JSON.stringify({ pid, start: childStart, host: hostname() })}\n`);
      await expect(run(out)).rejects.toThrow(new RegExp(`is in use by another \`cimlearn sweep\` \\(process ${pid}\\)`));
      const r = cli("sweep", sweepFile(tmp("fs-lock-file"), oneRun()), "--out", out);
      expectOneLine(r, 2, new RegExp(`is in use by another \`cimlearn sweep\` \\(process ${pid}\\); wait for it`));
    } finally {
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    }
    // It has ended: the lock is taken over.
    expect(await run(out)).toMatchObject({ skipped: 1, ran: 0 });
    // A lock from another host cannot be checked here: refused, saying how to free it.
    writeFileSync(lock, `${JSON.stringify({ pid: 1, start: "1", host: "elsewhere.example" })}\n`);
    await expect(run(out)).rejects.toThrow(/in use by a `cimlearn sweep` on host elsewhere\.example \(process 1\).*delete .*sweep\.lock/);
    // An empty lock (a kill while it was written) is taken over.
    writeFileSync(lock, "");
    expect(await run(out)).toMatchObject({ skipped: 1 });
    const opened = openSweepDir(out, manifestOf(expandSweep(oneRun()), "s.json"));
    opened.unlock();
    expect(opened.removedTmp).toEqual([]);
  });
});

describe("scripts/serve-web.mjs: only files inside dist/web", () => {
  let root: string;
  let server: ChildProcess;
  let port: number;
  beforeAll(async () => {
    // A copy of the script beside a dist/web of its own, so the real dist/web is not touched.
    root = tmp("serve-web");
    mkdirSync(join(root, "scripts"));
    copyFileSync("scripts/serve-web.mjs", join(root, "scripts", "serve-web.mjs"));
    const web = join(root, "dist", "web");
    mkdirSync(join(web, "sub"), { recursive: true });
    writeFileSync(join(web, "index.html"), "<p>home</p>");
    writeFileSync(join(web, "sub", "index.html"), "<p>sub</p>");
    writeFileSync(join(web, "inner.txt"), "inside");
    mkdirSync(join(root, "outside"));
    writeFileSync(join(root, "outside", "index.html"), "<p>outside</p>");
    writeFileSync(join(root, "outside", "secret.txt"), "secret");
    writeFileSync(join(root, "dist", "secret.txt"), "secret");
    symlinkSync(join(root, "outside", "secret.txt"), join(web, "leak.txt"));
    symlinkSync("../secret.txt", join(web, "leak-relative.txt"));
    symlinkSync(join(root, "outside"), join(web, "leakdir"));
    symlinkSync(join(root, "outside", "index.html"), join(web, "sub", "page.html"));
    symlinkSync("inner.txt", join(web, "alias.txt"));
    symlinkSync("sub", join(web, "alias-dir"));
    server = spawn(process.execPath, [join(root, "scripts", "serve-web.mjs"), "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    port = await new Promise<number>((resolve, reject) => {
      let text = "";
      server.stdout?.on("data", (chunk) => {
        text += chunk;
        const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
        if (m) resolve(Number(m[1]));
      });
      server.once("exit", (code) => reject(new Error(`serve-web exited with ${code}`)));
    });
  });
  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** GET `path` exactly as given (no URL normalization on this side). */
  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path, method: "GET" }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });

  it("serves the folder's files, and links that stay inside it", async () => {
    expect(await get("/")).toEqual({ status: 200, body: "<p>home</p>" });
    expect(await get("/sub/")).toEqual({ status: 200, body: "<p>sub</p>" });
    expect(await get("/inner.txt")).toEqual({ status: 200, body: "inside" });
    expect(await get("/alias.txt")).toEqual({ status: 200, body: "inside" });
    expect(await get("/alias-dir/")).toEqual({ status: 200, body: "<p>sub</p>" });
  });

  it("answers 404 for a symbolic link that leads out of it, file or folder", async () => {
    for (const path of ["/leak.txt", "/leak-relative.txt", "/leakdir/", "/leakdir/secret.txt", "/leakdir/index.html", "/sub/page.html"]) {
      const r = await get(path);
      expect(r, path).toEqual({ status: 404, body: "not found" });
    }
  });

  it("still refuses a path that climbs out (403) and answers 404 for what is not there", async () => {
    expect((await get("/..%2fsecret.txt")).status).toBe(403);
    expect((await get("/sub/..%2f..%2fsecret.txt")).status).toBe(403);
    expect((await get("/../secret.txt")).body).not.toBe("secret");
    expect((await get("/missing.txt")).status).toBe(404);
  });
});
