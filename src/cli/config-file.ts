// Run configs on the command line: a JSON file, and `--set PATH=VALUE` assignments on top of it
// (shared by `cimlearn train` and `cimlearn cost`).

import { readFileSync } from "node:fs";
import { InputError } from "../engine/errors.js";
import { fileError } from "../engine/fs-errors.js";
import { preview } from "../engine/preview.js";
import { checkRunConfig, RUN_DEFAULTS } from "../experiment/config.js";

/** Reads a JSON config file, naming the file in every error. */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw fileError(error, "read the --config file", path);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`--config ${path}: not valid JSON: ${preview((error as Error).message, 120)}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new InputError(`--config ${path}: must hold a JSON object, got ${preview(value)}`);
  // The file's own mistakes name the file (flags and --set are checked with the merged config).
  checkRunConfig(value, `--config ${path}`);
  return value as Record<string, unknown>;
}

/** A plain decimal number: no hex, octal or binary prefixes, no Infinity, nothing that rounds to 0 or overflows. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A number-valued flag, or an InputError naming it. */
export function numberFlag(flag: string, value: string): number {
  const n = Number(value);
  if (!DECIMAL.test(value.trim()) || !Number.isFinite(n)) throw new InputError(`--${flag} must be a decimal number, got ${preview(value)}`);
  if (n === 0 && /[1-9]/.test(value.replace(/[eE].*$/, "")))
    throw new InputError(`--${flag}: ${preview(value)} is too small to represent (it would be 0)`);
  return n;
}

/** Keys a --set path may not name: they would reach Object.prototype instead of the config. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** `--set a.b.c=value`: value as JSON when it parses, else as a string. */
export function applySet(config: Record<string, unknown>, assignment: string): void {
  const eq = assignment.indexOf("=");
  if (eq <= 0) throw new InputError(`--set expects PATH=VALUE (e.g. chip.adc.bits=4), got ${preview(assignment)}`);
  const path = assignment.slice(0, eq).split(".");
  const bad = path.find((key) => key === "" || FORBIDDEN_KEYS.has(key));
  if (bad !== undefined)
    throw new InputError(
      `--set ${assignment.slice(0, Math.min(eq, 80))}: ${bad === "" ? "an empty field name" : `"${bad}" is not a config field`}`,
    );
  const raw = assignment.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  let node = config;
  for (const key of path.slice(0, -1)) {
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    // A device given as a preset id (or not at all) becomes the preset plus this override.
    if (node === config && key === "device" && (typeof next === "string" || next === undefined))
      node[key] = { preset: next ?? RUN_DEFAULTS.device };
    else if (next === undefined || next === null || typeof next !== "object") node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

/** The chip.adc fields the error and gradient ADCs inherit unless they set their own. */
const INHERITED_ADC_FIELDS = ["type", "bits", "mux"];

/**
 * Warnings for `--set` assignments a more specific field of the config overrides: `chip.adc.bits`
 * reaches the error and gradient ADCs only where they do not set their own bits.
 */
export function shadowedSets(config: Record<string, unknown>, assignments: readonly string[]): string[] {
  const paths = new Set(assignments.map((a) => a.slice(0, Math.max(0, a.indexOf("=")))));
  const adc = (config.chip as Record<string, unknown> | undefined)?.adc as Record<string, unknown> | undefined;
  const out: string[] = [];
  for (const field of INHERITED_ADC_FIELDS) {
    const path = `chip.adc.${field}`;
    if (!paths.has(path)) continue;
    const shadowing = ["error", "gradient"].filter((sub) => {
      const specific = (adc?.[sub] as Record<string, unknown> | undefined)?.[field];
      return specific !== undefined && !paths.has(`chip.adc.${sub}.${field}`);
    });
    if (shadowing.length === 0) continue;
    const which = shadowing.map(
      (sub) => `chip.adc.${sub}.${field} (${JSON.stringify((adc?.[sub] as Record<string, unknown> | undefined)?.[field])})`,
    );
    out.push(
      `warning: --set ${path} does not reach ${which.join(" or ")}, which the config sets; set ${shadowing.length > 1 ? "them" : "it"} too (e.g. --set chip.adc.${shadowing[0]}.${field}=…)`,
    );
  }
  return out;
}
