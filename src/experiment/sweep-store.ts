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
// and the runs with a line are finished.

import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CostReport } from "../cost/index.js";
import type { Schedule } from "../cost/schedule.js";
import { InputError } from "../engine/errors.js";
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
}

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

export function manifestOf(expanded: ExpandedSweep, source: string): SweepManifest {
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
  /** Releases DIR/sweep.lock, which opening took. */
  unlock: () => void;
}

export const resultsPath = (dir: string) => join(dir, "results.jsonl");
export const runDir = (dir: string, id: string) => join(dir, "runs", id);

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
}

/** The stored sweep of a results directory. */
export function readManifest(dir: string): SweepManifest {
  const path = join(dir, "sweep.json");
  if (!existsSync(path)) throw new InputError(`${dir}: no sweep.json here; is it a directory written by \`cimlearn sweep --out\`?`);
  const manifest = readJson(path) as SweepManifest;
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
  if (!existsSync(path)) return { finished, tornBytes: 0 };
  const bytes = readFileSync(path);
  const end = bytes.lastIndexOf(0x0a) + 1;
  const tornBytes = bytes.length - end;
  if (tornBytes > 0 && repair) truncateSync(path, end);
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
 * differently, is refused with the first difference.
 */
export function openSweepDir(dir: string, manifest: SweepManifest): OpenedSweep {
  const sweepPath = join(dir, "sweep.json");
  let resumed = false;
  let stored = manifest;
  if (existsSync(sweepPath)) {
    stored = readManifest(dir);
    const changed = firstDifference(stored.sweep, manifest.sweep);
    if (changed) {
      throw new InputError(
        `--out ${dir} holds a different sweep (started ${stored.created} from ${stored.source}); the sweep file changed at ${changed}. Finished runs are kept only for the same sweep: use another --out directory, or delete ${dir} to start over`,
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
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new InputError(`--out ${dir} exists, is not empty and holds no sweep.json; choose a new directory for the sweep`);
    }
    mkdirSync(dir, { recursive: true });
    writeAtomically(sweepPath, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  // Only the lock's holder may repair the file: another sweep could be writing its last line.
  const unlock = lockSweepDir(dir);
  try {
    const { finished, tornBytes } = readResults(dir, stored, true);
    return { dir, manifest: stored, finished, repairedBytes: tornBytes, resumed, unlock };
  } catch (error) {
    unlock();
    throw error;
  }
}

/** Appends one line to results.jsonl with a single write of the complete line. */
export function appendResult(dir: string, line: ResultLine): void {
  appendFileSync(resultsPath(dir), Buffer.from(`${JSON.stringify(line)}\n`, "utf8"));
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
 * Takes DIR/sweep.lock for this process: a second `cimlearn sweep` on the same directory is
 * refused while the first runs. A lock whose process has ended (killed) is taken over. Returns
 * the function that releases it.
 */
export function lockSweepDir(dir: string): () => void {
  const path = join(dir, "sweep.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: "wx" });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new InputError(
          `--out ${dir} is in use by another \`cimlearn sweep\` (process ${pid}); wait for it, or stop it (its finished runs are kept)`,
        );
      }
      rmSync(path, { force: true }); // its process has ended: a stale lock
    }
  }
  throw new InputError(`--out ${dir}: cannot take ${path}`);
}
