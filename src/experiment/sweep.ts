// Sweep files: a base run config plus axes, expanded into runs and validated before anything runs.
//
//   {
//     "name": "bp-vs-dfa", "description": "…",
//     "base": { …run config… },
//     "axes": [                                        crossed with each other (and with every part's axes)
//       {"path": "algo", "values": ["bp", "dfa"]},
//       {"zip": [{"path": "chip.adc.bits", "values": [4, 6]},      zipped: advance together, one
//                {"path": "chip.adc.error.bits", "values": [4, 6]}],  dimension of the product
//        "label": "ADC bits"}
//     ],
//     "parts": [                                       optional: a union of sub-sweeps, each its own
//       {"name": "c2c", "base": {…}, "axes": […]}      product of the shared axes and its own
//     ],
//     "repeats": 3                                     every point runs with seeds seed, seed+1, seed+2
//   }
//
// An axis path is a path in the run config (`algo`, `device.c2c`, `chip.adc.bits`). Setting a field
// below `device` when the device is a preset id turns it into `{"preset": id, …override}`. Within a
// point, shorter paths are set first, so an axis over `device` combines with one over `device.c2c`.
// A part's `base` is applied to the sweep's base field by field, the same way.
//
// Expansion order: parts in order; within a part the product of its dimensions with the first
// dimension outermost; points are numbered across parts. Runs go repeat by repeat (every point's
// repeat 0, then every point's repeat 1, …) so a partial sweep already covers every point. Run r of a
// point uses seed `config.seed + r` (config.seed: the point's seed, default 1): repeats of different
// points share seeds, so comparisons between points are paired.

import { InputError } from "../engine/errors.js";
import * as z from "../engine/schema.js";
import { type ResolvedRunConfig, RUN_DEFAULTS, resolveRunConfig, runConfigSchema } from "./config.js";

const nonEmptyString = z.string().check(z.minLength(1));

const axisSchema = z.strictObject({
  path: z.string(),
  values: z.array(z.unknown()).check(z.minLength(1)),
  /** How the report names the axis; default: the path. */
  label: z.optional(nonEmptyString),
  /** How the report names each value (as many as values); default: the values themselves. */
  labels: z.optional(z.array(z.string())),
});

const zipSchema = z.strictObject({
  zip: z.array(axisSchema).check(z.minLength(2)),
  label: z.optional(nonEmptyString),
  /** How the report names each step of the group; default: its values joined with " / ". */
  labels: z.optional(z.array(z.string())),
});

const entrySchema = z.union([axisSchema, zipSchema]);

const partSchema = z.strictObject({
  name: z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]*$/, "must be lowercase letters, digits, '.', '_' or '-'")),
  description: z.optional(z.string()),
  base: z.optional(z.record(z.string(), z.unknown())),
  axes: z.optional(z.array(entrySchema)),
});

export const sweepFileSchema = z.strictObject({
  name: z.optional(nonEmptyString),
  description: z.optional(z.string()),
  base: z.record(z.string(), z.unknown()),
  axes: z.optional(z.array(entrySchema)),
  parts: z.optional(z.array(partSchema).check(z.minLength(1))),
  repeats: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(1000))),
});

export type SweepAxis = z.infer<typeof axisSchema>;
export type SweepZip = z.infer<typeof zipSchema>;
export type SweepAxisEntry = z.infer<typeof entrySchema>;
export type SweepPart = z.infer<typeof partSchema>;
export type SweepFile = z.infer<typeof sweepFileSchema>;

/** One dimension of a part's product: a single axis, or a zipped group whose axes advance together. */
export interface SweepDimension {
  /** The paths it sets, joined with " + " (a zipped group) — the key of its values in a point. */
  id: string;
  label: string;
  paths: string[];
  /** Per step, the value of each path. */
  steps: unknown[][];
  /** Per step, its name in the report. */
  names: string[];
  /** Where it is in the sweep file, for messages: `axes[1]`, `parts[0].axes[2]`. */
  where: string;
}

export interface SweepPartPlan {
  name: string;
  description?: string;
  dimensions: SweepDimension[];
  /** Indices of its points. */
  points: number[];
}

export interface SweepPoint {
  index: number;
  /** The part it belongs to; "" when the sweep has no parts. */
  part: string;
  /** Value of every path the point's dimensions set, by path. */
  values: Record<string, unknown>;
  /** Step of each of its part's dimensions. */
  steps: number[];
  /** The config before defaults (base, part base, axis values), seed of repeat 0. */
  config: Record<string, unknown>;
  /** The resolved config of repeat 0. */
  resolved: ResolvedRunConfig;
}

export interface SweepRun {
  /** `p007-r1`: point 7, repeat 1. */
  id: string;
  point: number;
  repeat: number;
  seed: number;
  config: ResolvedRunConfig;
}

export interface ExpandedSweep {
  /** The sweep file as parsed (comments and formatting gone): what a resume compares. */
  sweep: SweepFile;
  name: string;
  repeats: number;
  parts: SweepPartPlan[];
  points: SweepPoint[];
  runs: SweepRun[];
}

/** The run config's top-level field names: the first segment of every axis path. */
export const CONFIG_FIELDS: readonly string[] = Object.keys(runConfigSchema.shape);

const SEGMENT = /^[A-Za-z][A-Za-z0-9]*$/;

function fieldPath(path: PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A deep copy of JSON data. */
function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Sets `path` (dot-separated) in a raw run config. Missing objects are created; a device given as
 * a preset id (or not at all) becomes `{"preset": id}` before a field below it is set.
 */
export function setConfigPath(config: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = config;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i] as string;
    const next = node[key];
    if (node === config && key === "device" && (typeof next === "string" || next === undefined)) {
      node[key] = { preset: next ?? RUN_DEFAULTS.device };
    } else if (!isPlainObject(next)) {
      node[key] = {};
    }
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = clone(value);
}

/** `{a: {b: 1, c: [2]}}` → [["a.b", 1], ["a.c", [2]]]: leaves are non-objects, arrays and empty objects. */
function leaves(value: Record<string, unknown>, prefix = ""): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(v) && Object.keys(v).length > 0) out.push(...leaves(v, path));
    else out.push([path, v]);
  }
  return out;
}

/** Canonical JSON: object keys sorted, so equal data gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    isPlainObject(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

/** A short text for a value in messages and labels. */
export function formatValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `algo=dfa, device.c2c=0.01` */
export function describeValues(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(", ");
}

function checkPath(path: string, where: string): string | undefined {
  const segments = path.split(".");
  if (path === "" || !segments.every((s) => SEGMENT.test(s))) {
    return `${where}.path: "${path}" is not a config path (dot-separated field names, e.g. "device.c2c", "chip.adc.bits")`;
  }
  if (!CONFIG_FIELDS.includes(segments[0] as string)) {
    return `${where}.path: "${path}" names no config field: "${segments[0]}" is not one of ${CONFIG_FIELDS.join(", ")}`;
  }
  return undefined;
}

/** The dimensions of one entry list, with structural checks (paths, zip lengths, duplicate values). */
function dimensionsOf(entries: SweepAxisEntry[], prefix: string, errors: string[]): SweepDimension[] {
  return entries.map((entry, i) => {
    const where = `${prefix}[${i}]`;
    const axes: [SweepAxis, string][] = "zip" in entry ? entry.zip.map((a, j) => [a, `${where}.zip[${j}]`]) : [[entry, where]];
    for (const [axis, w] of axes) {
      const bad = checkPath(axis.path, w);
      if (bad) errors.push(bad);
      const seen = new Map<string, number>();
      axis.values.forEach((v, k) => {
        const key = canonicalJson(v);
        const first = seen.get(key);
        if (first !== undefined)
          errors.push(`${w}.values[${k}]: ${formatValue(v)} repeats values[${first}] (every value of an axis must differ)`);
        else seen.set(key, k);
      });
    }
    const lengths = axes.map(([a]) => a.values.length);
    if ("zip" in entry && new Set(lengths).size > 1) {
      errors.push(
        `${where}.zip: zipped axes advance together and need the same number of values; got ${axes.map(([a]) => `${a.path}: ${a.values.length}`).join(", ")}`,
      );
    }
    const n = Math.min(...lengths);
    const paths = axes.map(([a]) => a.path);
    const names = entry.labels;
    if (names && names.length !== n) errors.push(`${where}.labels: ${names.length} labels for ${n} values (one label per value)`);
    if ("zip" in entry) {
      entry.zip.forEach((a, j) => {
        if (a.labels) errors.push(`${where}.zip[${j}].labels: name the steps of a zipped group with the group's "labels"`);
      });
    }
    const steps = Array.from({ length: n }, (_, k) => axes.map(([a]) => a.values[k]));
    const label = entry.label ?? (axes.length === 1 ? (axes[0]?.[0].label ?? paths[0]) : paths.join(" + ")) ?? "";
    return {
      id: paths.join(" + "),
      label,
      paths,
      steps,
      names: names ?? steps.map((step) => step.map(formatValue).join(" / ")),
      where,
    };
  });
}

/** The message of a config error without resolveRunConfig's "invalid config: " prefix. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^invalid config: /, "");
}

/** Applies `values` (path → value) to a copy of `config`, shorter paths first. */
function withValues(config: Record<string, unknown>, values: [string, unknown][]): Record<string, unknown> {
  const out = clone(config);
  const ordered = [...values].sort((a, b) => a[0].split(".").length - b[0].split(".").length);
  for (const [path, value] of ordered) setConfigPath(out, path, value);
  return out;
}

/** Reads the sweep file's structure, naming the field of every problem. */
export function parseSweepFile(input: unknown, source = "sweep file"): SweepFile {
  const parsed = sweepFileSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const path = fieldPath(issue.path);
      if (issue.code === "unrecognized_keys") {
        const allowed =
          path === "" ? "name, description, base, axes, parts, repeats" : /parts\[\d+\]$/.test(path) ? "name, description, base, axes" : "";
        return `${path || "top level"}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}${allowed ? ` (allowed: ${allowed})` : ""}`;
      }
      if (issue.code === "invalid_union") {
        return `${path}: an axis is {"path": "field.path", "values": [...]} or a zipped group {"zip": [axis, axis, ...]}`;
      }
      return `${path || "top level"}: ${issue.message}`;
    });
    throw new InputError(`${source}: ${[...new Set(lines)].join("; ")}`);
  }
  return parsed.data;
}

/**
 * Expands a sweep file into points and runs, and validates every point with resolveRunConfig
 * before anything runs. Errors name the axis, the value and the field's message; all of them are
 * reported at once.
 */
/** Runs a sweep may expand to unless told otherwise: each is resolved and kept in memory before the first starts. */
export const MAX_SWEEP_RUNS = 100_000;

export function expandSweep(input: unknown, source = "sweep file", options: { maxRuns?: number } = {}): ExpandedSweep {
  const sweep = parseSweepFile(input, source);
  const repeats = sweep.repeats ?? 1;
  const errors: string[] = [];
  const shared = dimensionsOf(sweep.axes ?? [], "axes", errors);
  const partsIn: SweepPart[] = sweep.parts ?? [{ name: "" }];
  const names = new Set<string>();
  const plans = partsIn.map((part, p) => {
    const where = sweep.parts ? `parts[${p}]` : "";
    if (sweep.parts) {
      if (names.has(part.name)) errors.push(`${where}.name: "${part.name}" is used by another part (names must differ)`);
      names.add(part.name);
    }
    const own = dimensionsOf(part.axes ?? [], `${where ? `${where}.` : ""}axes`, errors);
    const dimensions = [...shared, ...own];
    const paths = new Map<string, string>();
    for (const d of dimensions) {
      d.paths.forEach((path) => {
        const other = paths.get(path);
        if (other !== undefined) errors.push(`${d.where}: path "${path}" is also set by ${other}${where ? ` (in ${where})` : ""}`);
        else paths.set(path, d.where);
      });
    }
    if (repeats > 1 && paths.has("seed")) {
      errors.push(`${paths.get("seed")}: "seed" cannot be an axis when repeats > 1 (repeat r of a point runs with seed + r); use repeats`);
    }
    const base = part.base ? withValues(sweep.base, leaves(part.base)) : clone(sweep.base);
    return { part, where, dimensions, base };
  });
  if (errors.length > 0) throw new InputError(`${source}: ${errors.join("; ")}`);
  // Counted before anything is expanded: a product of axes grows past memory long before it is listed.
  const maxRuns = options.maxRuns ?? MAX_SWEEP_RUNS;
  const runCount = plans.reduce((sum, p) => sum + p.dimensions.reduce((n, d) => n * d.steps.length, 1), 0) * repeats;
  if (runCount > maxRuns) {
    throw new InputError(
      `${source}: ${runCount.toLocaleString("en-US")} runs (${plans.map((p) => p.dimensions.map((d) => d.steps.length).join(" × ") || "1").join(" + ")}${repeats > 1 ? `, × ${repeats} repeats` : ""}), more than the limit of ${maxRuns.toLocaleString("en-US")}; split the sweep into parts of their own, or raise the limit (--max-runs N)`,
    );
  }

  // The base (and every part's base) must be a valid config on its own, field by field.
  const schemaError = (config: Record<string, unknown>) => {
    const r = runConfigSchema.safeParse(config);
    return r.success ? undefined : r.error;
  };
  if (schemaError(sweep.base)) {
    try {
      resolveRunConfig(sweep.base);
    } catch (error) {
      throw new InputError(`${source}: base: ${reason(error)}`);
    }
  }

  const points: SweepPoint[] = [];
  const parts: SweepPartPlan[] = [];
  const problems = new Set<string>();
  let pointNo = 0;
  for (const { part, where, dimensions, base } of plans) {
    if (where && schemaError(base)) {
      try {
        resolveRunConfig(base);
      } catch (error) {
        problems.add(`${where}.base: ${reason(error)}`);
        continue;
      }
    }
    const plan: SweepPartPlan = { name: part.name, dimensions, points: [] };
    if (part.description !== undefined) plan.description = part.description;
    const sizes = dimensions.map((d) => d.steps.length);
    const total = sizes.reduce((a, b) => a * b, 1);
    for (let flat = 0; flat < total; flat++, pointNo++) {
      const steps: number[] = [];
      let rest = flat;
      for (let d = dimensions.length - 1; d >= 0; d--) {
        steps[d] = rest % (sizes[d] as number);
        rest = Math.floor(rest / (sizes[d] as number));
      }
      const assigned: [string, unknown][] = [];
      dimensions.forEach((d, i) => {
        d.paths.forEach((path, j) => {
          assigned.push([path, d.steps[steps[i] as number]?.[j]]);
        });
      });
      const config = withValues(base, assigned);
      const values = Object.fromEntries(assigned);
      let resolved: ResolvedRunConfig;
      try {
        resolved = resolveRunConfig(config);
      } catch (error) {
        // Blame the axis values that are invalid on their own; otherwise the combination.
        const blamed = assigned.filter(([path, value]) => schemaError(withValues(base, [[path, value]])) !== undefined);
        if (blamed.length > 0) {
          for (const [path, value] of blamed) {
            const d = dimensions.find((x) => x.paths.includes(path)) as SweepDimension;
            const where = d.paths.length > 1 ? `${d.where}.zip[${d.paths.indexOf(path)}]` : d.where;
            let message: string;
            try {
              resolveRunConfig(withValues(base, [[path, value]]));
              message = reason(error);
            } catch (single) {
              message = reason(single);
            }
            problems.add(`axis ${where} (${path}), value ${formatValue(value)}: ${message}`);
          }
        } else {
          problems.add(`point ${pointNo}${part.name ? ` of part "${part.name}"` : ""} (${describeValues(values)}): ${reason(error)}`);
        }
        continue;
      }
      plan.points.push(points.length);
      points.push({ index: points.length, part: part.name, values, steps, config, resolved });
    }
    parts.push(plan);
  }
  if (problems.size > 0) {
    const list = [...problems];
    const shown = list.slice(0, 20);
    throw new InputError(
      `${source}: ${list.length} invalid ${list.length === 1 ? "value" : "values"}; nothing was run:\n  - ${shown.join("\n  - ")}${list.length > shown.length ? `\n  … and ${list.length - shown.length} more` : ""}`,
    );
  }

  const width = Math.max(3, String(Math.max(0, points.length - 1)).length);
  const runs: SweepRun[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const point of points) {
      const seed = point.resolved.seed + repeat;
      let config: ResolvedRunConfig;
      try {
        config = repeat === 0 ? point.resolved : resolveRunConfig({ ...point.config, seed });
      } catch (error) {
        throw new InputError(`${source}: repeat ${repeat} of point ${point.index} (${describeValues(point.values)}): ${reason(error)}`);
      }
      runs.push({ id: `p${String(point.index).padStart(width, "0")}-r${repeat}`, point: point.index, repeat, seed, config });
    }
  }
  return { sweep, name: sweep.name ?? "sweep", repeats, parts, points, runs };
}
