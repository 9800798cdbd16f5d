// What the page knows about allowed values, read from the run-config schema itself (zod), so the
// form's ranges, choices and messages are the CLI's — there is no second validator.

import { runConfigSchema } from "../../src/browser.js";

// zod's internals are read structurally (def.type, def.checks, shape, options), typed loosely.
type Node = {
  _zod: { def: { type: string; innerType?: Node; checks?: { _zod: { def: Record<string, unknown> } }[]; options?: Node[] } };
  shape?: Record<string, Node>;
  options?: unknown[];
};

function unwrap(node: Node): Node {
  let n = node;
  while (n._zod.def.innerType && (n._zod.def.type === "optional" || n._zod.def.type === "default" || n._zod.def.type === "nullable"))
    n = n._zod.def.innerType;
  return n;
}

/** The schema node at a dotted config path (`chip.adc.bits`, `device.nlLtp`: the object branch of the device union). */
export function schemaAt(path: string): Node | undefined {
  let node: Node | undefined = unwrap(runConfigSchema as unknown as Node);
  for (const key of path.split(".")) {
    if (!node) return undefined;
    if (node._zod.def.type === "union") node = node._zod.def.options?.find((o) => unwrap(o).shape !== undefined);
    const shape: Record<string, Node> | undefined = node ? unwrap(node).shape : undefined;
    node = shape?.[key] ? unwrap(shape[key]) : undefined;
  }
  return node;
}

export interface NumberRange {
  min?: number;
  minInclusive: boolean;
  max?: number;
  maxInclusive: boolean;
  integer: boolean;
}

/** The bounds the schema puts on a numeric field. */
export function rangeAt(path: string): NumberRange | undefined {
  let node = schemaAt(path);
  // A number-or-list field (lr): the form edits the number.
  if (node?._zod.def.type === "union") node = node._zod.def.options?.map(unwrap).find((o) => o._zod.def.type === "number");
  if (node?._zod.def.type !== "number") return undefined;
  const range: NumberRange = { minInclusive: true, maxInclusive: true, integer: false };
  for (const check of node._zod.def.checks ?? []) {
    const d = check._zod.def;
    if (d.check === "number_format" && (d.format === "safeint" || d.format === "int32")) range.integer = true;
    if (d.check === "greater_than" && typeof d.value === "number" && (range.min === undefined || d.value >= range.min)) {
      range.min = d.value;
      range.minInclusive = d.inclusive === true;
    }
    if (d.check === "less_than" && typeof d.value === "number" && (range.max === undefined || d.value <= range.max)) {
      range.max = d.value;
      range.maxInclusive = d.inclusive === true;
    }
  }
  return range;
}

const num = (n: number) => (Math.abs(n) >= 10_000 ? n.toLocaleString("en-US") : String(n));

/** "1–10", "> 0", "≥ 0", "0–0.999", with "whole numbers" for integers. */
export function describeRange(r: NumberRange): string {
  let text: string;
  if (r.min !== undefined && r.max !== undefined && r.minInclusive && r.maxInclusive) text = `${num(r.min)}–${num(r.max)}`;
  else {
    const parts: string[] = [];
    if (r.min !== undefined) parts.push(`${r.minInclusive ? "≥" : ">"} ${num(r.min)}`);
    if (r.max !== undefined) parts.push(`${r.maxInclusive ? "≤" : "<"} ${num(r.max)}`);
    text = parts.join(", ") || "any number";
  }
  return r.integer ? `${text}, whole` : text;
}

/** The choices of an enum field (`schedule`, `periphery.adc`, `algo`). */
export function optionsAt(path: string): string[] {
  const node = schemaAt(path);
  return node?._zod.def.type === "enum" ? ((node as unknown as { options: string[] }).options ?? []) : [];
}

export interface FieldIssue {
  /** Dotted config path. */
  path: string;
  message: string;
}

interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  errors?: ZodIssueLike[][];
  keys?: string[];
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v = input;
  for (const k of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function flatten(issue: ZodIssueLike, input: unknown, prefix: PropertyKey[], out: FieldIssue[]): void {
  const full = [...prefix, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors && issue.errors.length > 1) {
    // As the CLI's messages: the branch that matches the value's type (a preset id, or an object of overrides).
    const branch = issue.errors[typeof valueAt(input, full) === "string" ? 0 : issue.errors.length - 1] ?? [];
    if (branch.length > 0) {
      for (const i of branch) flatten(i, input, full, out);
      return;
    }
  }
  const message = issue.code === "unrecognized_keys" ? `unknown key ${(issue.keys ?? []).join(", ")}` : issue.message;
  out.push({ path: full.map(String).join("."), message });
}

/** The schema's issues with `input`, one per field, with dotted paths. */
export function schemaIssues(input: unknown): FieldIssue[] {
  const parsed = runConfigSchema.safeParse(input);
  if (parsed.success) return [];
  const out: FieldIssue[] = [];
  for (const issue of parsed.error.issues) flatten(issue as unknown as ZodIssueLike, input, [], out);
  return out;
}

/** An error thrown by resolveRunConfig / the cost model ("chip.cellBits: 5 exceeds chip.weightBits 4; …") as a path and message. */
export function issueOfError(error: unknown): FieldIssue {
  const message = error instanceof Error ? error.message : String(error);
  const m = /^(?:invalid config: )?([A-Za-z][\w.]*): ([\s\S]*)$/.exec(message);
  return m ? { path: m[1] as string, message: m[2] as string } : { path: "", message };
}
