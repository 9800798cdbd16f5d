// A sweep's results directory:
//
//   DIR/sweep.json        the resolved sweep: the sweep file as parsed, every point's resolved config,
//                         every run's id, point, repeat and seed
//   DIR/results.jsonl     one line per finished run (ok or failed), appended with one write of the
//                         complete line; a later line for the same run (--retry-failed) supersedes
//   DIR/runs/ID/metrics.jsonl   the run's epochs, written as they finish
//
// Opening a directory again resumes it: the stored sweep must equal the one given (else the
// directory is refused), a torn last line of results.jsonl (a kill during the write) is cut off,
// and the runs with a line are finished. DIR/sweep.lock names the process (pid, its start time,
// the host) of the one sweep that may write DIR; a lock whose process has ended, or whose pid now
// belongs to another process, is taken over, and so are NAME.tmp-PID files of writes a kill
// interrupted before their rename.

import {
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { CostReport } from "../cost/index.js";
import type { Schedule } from "../cost/schedule.js";
import { CimlearnError, InputError } from "../engine/errors.js";
import { fileError, withFs } from "../engine/fs-errors.js";
import type { PhaseEvents } from "../nn/network.js";
import { VERSION } from "../version.js";
import type { ResolvedRunConfig } from "./config.js";
import { canonicalJson, type ExpandedSweep, formatValue, type SweepFile } from "./sweep.js";
import type { EpochRecord } from "./train.js";

export const SWEEP_FORMAT = "cimlearn-sweep/1";

export interface SweepManifest {
  format: typeof SWEEP_FORMAT;
  /** cimlearn version that started the sweep. */
  version: string;
  /** When it was started (ISO 8601). */
  created: string;
  /** The sweep file it was started from. */
  source: string;
  name: string;
  repeats: number;
  sweep: SweepFile;
  parts: {
    name: string;
    description?: string;
    dimensions: { id: string; label: string; paths: string[]; steps: unknown[][]; names: string[] }[];
    points: number[];
  }[];
  points: { index: number; part: string; values: Record<string, unknown>; steps: number[]; config: ResolvedRunConfig }[];
  runs: { id: string; point: number; repeat: number; seed: number }[];
  /** A shard (`--shard I/N`) holds the runs whose position in `runs` is I modulo N; absent: every run. */
  shard?: SweepShard;
}

/** Shard `index` of `count` (0 ≤ index < count): the runs at positions index, index + count, … */
export interface SweepShard {
  index: number;
  count: number;
}

/** The runs of `shard` (every run without one), in the sweep's order. */
export function runsOfShard<T>(runs: readonly T[], shard: SweepShard | undefined): T[] {
  return shard ? runs.filter((_, i) => i % shard.count === shard.index) : [...runs];
}

export const shardLabel = (shard: SweepShard | undefined) => (shard ? `shard ${shard.index}/${shard.count}` : "the whole sweep");

import type { LayerAlignment } from "../learning/alignment.js";
import type { EnduranceReport } from "./endurance.js";
import type { ScheduleCost } from "./train.js";

export type { ScheduleCost };

/** One line of results.jsonl. */
export interface ResultLine {
  run: string;
  point: number;
  repeat: number;
  seed: number;
  part: string;
  /** The point's axis values, by path. */
  values: Record<string, unknown>;
  status: "ok" | "failed";
  version: string;
  config: ResolvedRunConfig;
  /** Test accuracy after the last epoch; null when the run failed. */
  test_accuracy: number | null;
  /** The epochs it finished (for a failed run, those before the failure). */
  history: EpochRecord[];
  events?: PhaseEvents;
  layer_events?: PhaseEvents[];
  /** The cost model's report for the run's own schedule, from its counted events. */
  cost?: CostReport;
  /** Latency and energy from the same counts under every schedule the rule allows. */
  costs?: Partial<Record<Schedule, ScheduleCost>>;
  /** Writes per device and the projected lifetime. */
  endurance?: EnduranceReport;
  /** The untrained network's alignment with BP (the per-epoch angles are in history). */
  initial_alignment?: LayerAlignment[];
  error?: { name: string; message: string };
  /** Wall-clock seconds of the run. */
  seconds: number;
  /** When it finished (ISO 8601). */
  finished: string;
}

export function manifestOf(expanded: ExpandedSweep, source: string, shard?: SweepShard): SweepManifest {
  return {
    format: SWEEP_FORMAT,
    version: VERSION,
    created: new Date().toISOString(),
    source,
    name: expanded.name,
    repeats: expanded.repeats,
    sweep: expanded.sweep,
    parts: expanded.parts.map((p) => ({
      name: p.name,
      ...(p.description !== undefined ? { description: p.description } : {}),
      dimensions: p.dimensions.map((d) => ({ id: d.id, label: d.label, paths: d.paths, steps: d.steps, names: d.names })),
      points: p.points,
    })),
    points: expanded.points.map((p) => ({ index: p.index, part: p.part, values: p.values, steps: p.steps, config: p.resolved })),
    runs: expanded.runs.map((r) => ({ id: r.id, point: r.point, repeat: r.repeat, seed: r.seed })),
    ...(shard ? { shard } : {}),
  };
}

/** The first place two JSON values differ: `axes[1].values[2]: was 0.01, now 0.02`. */
export function firstDifference(was: unknown, now: unknown, path = ""): string | undefined {
  if (canonicalJson(was) === canonicalJson(now)) return undefined;
  const bothArrays = Array.isArray(was) && Array.isArray(now);
  const bothObjects = !bothArrays && was !== null && now !== null && typeof was === "object" && typeof now === "object";
  if (bothArrays && (was as unknown[]).length === (now as unknown[]).length) {
    for (let i = 0; i < (was as unknown[]).length; i++) {
      const d = firstDifference((was as unknown[])[i], (now as unknown[])[i], `${path}[${i}]`);
      if (d) return d;
    }
  }
  if (bothObjects && !Array.isArray(was) && !Array.isArray(now)) {
    const a = was as Record<string, unknown>;
    const b = now as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[key], b[key], path ? `${path}.${key}` : key);
      if (d) return d;
    }
  }
  const show = (v: unknown) => (v === undefined ? "absent" : formatValue(v));
  return `${path || "the whole file"}: was ${show(was)}, now ${show(now)}`;
}

export interface OpenedSweep {
  dir: string;
  manifest: SweepManifest;
  /** The latest line of every run that has one. */
  finished: Map<string, ResultLine>;
  /** Bytes of a torn last line that were cut off (0: none). */
  repairedBytes: number;
  /** True when sweep.json already existed (a resume). */
  resumed: boolean;
  /** Leftover NAME.tmp-PID files of interrupted writes that opening removed. */
  removedTmp: string[];
  /** Releases DIR/sweep.lock, which opening took. */
  unlock: () => void;
}

export const resultsPath = (dir: string) => join(dir, "results.jsonl");
export const runDir = (dir: string, id: string) => join(dir, "runs", id);

/** The same error (same class, so the same exit code) with a hint after its message. */
function withHint(error: Error, hint: string): Error {
  if (error instanceof InputError) return new InputError(`${error.message}; ${hint}`);
  if (error instanceof CimlearnError) return new CimlearnError(`${error.message}; ${hint}`);
  return error;
}

/** The entry at `path`, undefined when there is none; any other failure is fileError's one line. */
function statOf(path: string, action: string) {
  return withFs(action, path, () => statSync(path, { throwIfNoEntry: false }));
}

/**
 * Writes `text` to `path` through `path.tmp-PID` and a rename, so a reader (or a kill) never
 * meets half a file. A failure is one line naming `path` (`action`: what was being written); the
 * temporary file is removed.
 */
export function writeAtomically(path: string, text: string, action: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (error) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the write's own error says what is wrong
    }
    throw fileError(error, action, path);
  }
}

const TMP_FILE = /^(.+)\.tmp-(\d+)$/;

/**
 * Removes the leftover `NAME.tmp-PID` files in `dir` (NAME one of `names`): writes that a kill
 * interrupted between writing the temporary file and renaming it. A file is left alone while its
 * process lives, unless `lockHeld` (this process holds the lock that guards every write of those
 * names, so any such file is a leftover, even one whose pid now belongs to another process).
 * Returns the removed files' names.
 */
export function removeStaleTmpFiles(dir: string, names: readonly string[], lockHeld: boolean): string[] {
  const removed: string[] = [];
  const files = withFs("list the folder", dir, () => readdirSync(dir, { withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
  for (const entry of files) {
    const m = TMP_FILE.exec(entry);
    if (!m || !names.includes(m[1] as string)) continue;
    const pid = Number(m[2]);
    if (!lockHeld && (pid === process.pid || alive(pid))) continue;
    const path = join(dir, entry);
    withFs("remove a leftover temporary file", path, () => rmSync(path, { force: true }));
    removed.push(entry);
  }
  return removed;
}

function readJson(path: string, action: string): unknown {
  const text = withFs(action, path, () => readFileSync(path, "utf8"));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
}

/** The stored sweep of a results directory. */
export function readManifest(dir: string): SweepManifest {
  const path = join(dir, "sweep.json");
  if (!statOf(path, "read the stored sweep")) {
    throw new InputError(`${dir}: no sweep.json here; is it a directory written by \`cimlearn sweep --out\`?`);
  }
  const manifest = readJson(path, "read the stored sweep") as SweepManifest;
  if (manifest === null || typeof manifest !== "object" || manifest.format !== SWEEP_FORMAT) {
    throw new InputError(
      `${path}: not a sweep written by this cimlearn (format ${JSON.stringify((manifest as { format?: unknown })?.format)}, expected "${SWEEP_FORMAT}")`,
    );
  }
  return manifest;
}

/**
 * The lines of results.jsonl, last line per run winning. `repair`: cut a torn last line off the
 * file (a write that a kill interrupted); otherwise it is only skipped.
 */
export function readResults(
  dir: string,
  manifest: SweepManifest,
  repair: boolean,
): { finished: Map<string, ResultLine>; tornBytes: number } {
  const path = resultsPath(dir);
  const finished = new Map<string, ResultLine>();
  if (!statOf(path, "read the results")) return { finished, tornBytes: 0 };
  const bytes = withFs("read the results", path, () => readFileSync(path));
  const end = bytes.lastIndexOf(0x0a) + 1;
  const tornBytes = bytes.length - end;
  if (tornBytes > 0 && repair) withFs("cut off the torn last line of the results", path, () => truncateSync(path, end));
  const ids = new Set(manifest.runs.map((r) => r.id));
  const text = bytes.subarray(0, end).toString("utf8");
  const lines = text.split("\n");
  lines.pop();
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let value: ResultLine;
    try {
      value = JSON.parse(line) as ResultLine;
    } catch (error) {
      throw new InputError(
        `${path} line ${i + 1}: not valid JSON (${(error as Error).message}); the file was changed by something other than cimlearn`,
      );
    }
    if (!ids.has(value.run)) {
      throw new InputError(`${path} line ${i + 1}: run "${String(value.run)}" is not a run of the sweep in ${join(dir, "sweep.json")}`);
    }
    finished.set(value.run, value);
  });
  return { finished, tornBytes };
}

/**
 * Opens (creating or resuming) the results directory of `manifest` and locks it (DIR/sweep.lock;
 * call `unlock` when done). A directory holding another sweep, or a sweep that now resolves
 * differently, is refused with the first difference; so is a path that is a file, or a folder
 * that holds other things and no sweep.
 */
export function openSweepDir(dir: string, manifest: SweepManifest): OpenedSweep {
  const sweepPath = join(dir, "sweep.json");
  const entry = statOf(dir, "open the results folder");
  if (entry && !entry.isDirectory()) {
    throw new InputError(`--out ${dir} is a file, not a folder; give a new directory for the sweep's results, or one a sweep wrote`);
  }
  if (!entry) {
    withFs("create the results folder", dir, () => mkdirSync(dir, { recursive: true }));
  } else if (!statOf(sweepPath, "read the stored sweep")) {
    // A start that was killed leaves only its lock and sweep.json.tmp-PID: both are taken over below.
    const others = withFs("list the results folder", dir, () => readdirSync(dir))
      .filter((name) => name !== "sweep.lock" && !(TMP_FILE.exec(name)?.[1] === "sweep.json"))
      .sort();
    if (others.length > 0) {
      const shown = others.length > 3 ? `${others.slice(0, 3).join(", ")}, …` : others.join(", ");
      throw new InputError(
        `--out ${dir} exists, is not empty and holds no sweep.json (it holds ${shown}); choose a new directory for the sweep`,
      );
    }
  }
  // Only the lock's holder writes sweep.json and may repair results.jsonl: another sweep could be writing its last line.
  const unlock = lockSweepDir(dir);
  try {
    const removedTmp = removeStaleTmpFiles(dir, ["sweep.json"], true);
    let resumed = false;
    let stored = manifest;
    if (statOf(sweepPath, "read the stored sweep")) {
      stored = readManifest(dir);
      const changed = firstDifference(stored.sweep, manifest.sweep);
      if (changed) {
        throw new InputError(
          `--out ${dir} holds a different sweep (started ${stored.created} from ${stored.source}); the sweep file changed at ${changed}. Finished runs are kept only for the same sweep: use another --out directory, or delete ${dir} to start over`,
        );
      }
      if (shardLabel(stored.shard) !== shardLabel(manifest.shard)) {
        throw new InputError(
          `--out ${dir} holds ${shardLabel(stored.shard)} of this sweep, not ${shardLabel(manifest.shard)}: give every shard its own --out directory (cimlearn merge combines them)`,
        );
      }
      for (const point of manifest.points) {
        const was = stored.points[point.index];
        const d = firstDifference(was?.config, point.config, "config");
        if (d) {
          throw new InputError(
            `--out ${dir}: the sweep file is unchanged, but point ${point.index} now resolves differently from when the sweep started (${d}; cimlearn ${stored.version} then, ${VERSION} now): the defaults changed, so new runs would not be comparable with the finished ones; use another --out directory, or delete ${dir} to start over`,
          );
        }
      }
      resumed = true;
    } else {
      writeAtomically(sweepPath, `${JSON.stringify(manifest, null, 2)}\n`, "write the sweep's record");
    }
    const { finished, tornBytes } = readResults(dir, stored, true);
    return { dir, manifest: stored, finished, repairedBytes: tornBytes, resumed, removedTmp, unlock };
  } catch (error) {
    unlock();
    throw error;
  }
}

/** fs.writeSync's shape: writes up to `length` bytes of `bytes` from `offset`, returns how many it wrote. */
export type WriteFn = (fd: number, bytes: Uint8Array, offset: number, length: number) => number;

/**
 * Appends one line to results.jsonl (the complete line in one write, as long as the system takes
 * it whole). A failure (a full disk) cuts the file back to the lines before it, so nothing already
 * written is damaged, and is one line: an InputError for a path problem, a CimlearnError for a
 * full disk or an I/O error. `write` is for tests.
 */
export function appendResult(dir: string, line: ResultLine, write: WriteFn = writeSync): void {
  const path = resultsPath(dir);
  const action = `append run ${line.run}'s result`;
  const hint = "the lines written before are intact; fix that and run the same command again to resume";
  const bytes = Buffer.from(`${JSON.stringify(line)}\n`, "utf8");
  let fd: number;
  try {
    fd = openSync(path, "a");
  } catch (error) {
    throw withHint(fileError(error, action, path), hint);
  }
  let size: number | undefined;
  let failure: unknown;
  try {
    size = fstatSync(fd).size;
    for (let done = 0; done < bytes.length; ) {
      const n = write(fd, bytes, done, bytes.length - done);
      if (!(n > 0)) throw Object.assign(new Error("the write wrote nothing"), { code: "EIO" });
      done += n;
    }
  } catch (error) {
    failure = error;
    if (size !== undefined) {
      try {
        ftruncateSync(fd, size);
      } catch {
        // a torn last line is cut off when the directory is opened again
      }
    }
  }
  try {
    closeSync(fd);
  } catch (error) {
    failure ??= error;
  }
  if (failure !== undefined) throw withHint(fileError(failure, action, path), hint);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * When process `pid` started, as Linux counts it (/proc/PID/stat field 22: clock ticks after
 * boot); undefined where that cannot be read (another system, or no such process). A pid and its
 * start time name one process: a later process given the same pid starts later.
 */
export function processStart(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Field 2, the command name, is in parentheses and may hold spaces or parentheses itself.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const start = fields[19];
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}

/** What DIR/sweep.lock holds: the holder's pid, its start time where known, its host. */
export interface LockOwner {
  pid: number;
  start?: string;
  host?: string;
}

/** The lock's holder; undefined when the file names none (a kill while it was written). Older locks hold only the pid. */
export function parseLock(text: string): LockOwner | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const value = JSON.parse(trimmed) as Partial<LockOwner> | null;
    if (value === null || typeof value !== "object" || !Number.isSafeInteger(value.pid) || (value.pid as number) <= 0) return undefined;
    return {
      pid: value.pid as number,
      ...(typeof value.start === "string" ? { start: value.start } : {}),
      ...(typeof value.host === "string" ? { host: value.host } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Whether the lock's holder still runs: "live", "stale" (its process ended, or its pid now belongs
 * to a process that started at another time), or "elsewhere" (another host: it cannot be told).
 */
export function lockState(owner: LockOwner | undefined): "live" | "stale" | "elsewhere" {
  if (!owner || owner.pid <= 0) return "stale";
  if (owner.host !== undefined && owner.host !== hostname()) return "elsewhere";
  if (!alive(owner.pid)) return "stale";
  if (owner.start !== undefined) {
    const now = processStart(owner.pid);
    if (now !== undefined && now !== owner.start) return "stale";
  }
  return "live";
}

/** This process as a lock names it. */
export function ownLock(): LockOwner {
  const start = processStart(process.pid);
  return { pid: process.pid, ...(start !== undefined ? { start } : {}), host: hostname() };
}

/**
 * Takes DIR/sweep.lock for this process: a second `cimlearn sweep` on the same directory is
 * refused while the first runs. A lock whose process has ended (killed), or whose pid was given
 * to another process since, is taken over. Returns the function that releases it.
 */
export function lockSweepDir(dir: string): () => void {
  const path = join(dir, "sweep.lock");
  const mine = `${JSON.stringify(ownLock())}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, mine, { flag: "wx" });
      return () => {
        try {
          rmSync(path, { force: true });
        } catch {
          // a lock left behind names this process, which will have ended: the next sweep takes it over
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw fileError(error, "take the sweep's lock", path);
    }
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue; // released meanwhile
      throw fileError(error, "read the sweep's lock", path);
    }
    const owner = parseLock(text);
    const state = lockState(owner);
    if (state === "live") {
      throw new InputError(
        `--out ${dir} is in use by another \`cimlearn sweep\` (process ${owner?.pid}); wait for it, or stop it (its finished runs are kept)`,
      );
    }
    if (state === "elsewhere") {
      throw new InputError(
        `--out ${dir} is in use by a \`cimlearn sweep\` on host ${owner?.host} (process ${owner?.pid}); wait for it, or, if it no longer runs, delete ${path}`,
      );
    }
    withFs("remove the stale lock", path, () => rmSync(path, { force: true })); // its process has ended
  }
  throw new InputError(`--out ${dir}: cannot take ${path}; another sweep keeps taking it`);
}
