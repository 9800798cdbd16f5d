// "Reproducing Wolters et al.": the findings of Wolters et al., "Biologically Plausible Learning on
// Neuromorphic Hardware Architectures" (MWSCAS 2023), checked one by one against finished sweeps —
// the paper study on DNN+NeuroSim V2.1's recipe (examples/paper.json: parts vgg-* and mlp-*) and the
// BP-vs-DFA study on the MLP stand-in (examples/bp-vs-dfa.json: parts without a prefix). Each
// finding gets a verdict per setting by a stated criterion, and where the settings disagree, the
// factor that separates them (the settings differ in one group of factors at a time).

import { type CostReport, costInputOf, estimateCost } from "../cost/index.js";
import { DATASET_INFO } from "../data/dataset.js";
import type { ResolvedRunConfig } from "../experiment/config.js";
import { BASELINE } from "../learning/rules.js";
import type { ReportData, ReportPoint } from "./data.js";

export type Verdict = "reproduced" | "not reproduced" | "not testable";

/** One setting the findings are checked on: a sweep and the prefix of its parts' names. */
export interface FindingColumn {
  id: "vgg-v21" | "mlp-v21" | "standin";
  title: string;
  data: ReportData;
  prefix: string;
}

export interface FindingCell {
  column: FindingColumn["id"];
  verdict: Verdict;
  text: string;
}

export interface Finding {
  id: string;
  /** What the paper states. */
  claim: string;
  /** How a verdict is decided. */
  criterion: string;
  cells: FindingCell[];
  /** Which factor changes the outcome, where the settings disagree (measured: the settings differ in one factor group each). */
  explanation: string;
}

export interface Findings {
  columns: { id: FindingColumn["id"]; title: string; sweep: string; dir: string }[];
  findings: Finding[];
  /** Measurements that qualify the settings themselves (e.g. a reduced size's deviation from the recipe). */
  notes: string[];
}

const TITLES: Record<FindingColumn["id"], string> = {
  "vgg-v21": "V2.1 recipe, VGG-8 / CIFAR-10",
  "mlp-v21": "V2.1 recipe, MLP / Fashion-MNIST",
  standin: "MLP stand-in (device update)",
};

/** What separates two neighbouring settings. */
const FACTORS = {
  network: "network and data (VGG-8 on CIFAR-10 vs an MLP on Fashion-MNIST, both on V2.1's recipe)",
  recipe:
    "the update recipe (V2.1's QG update: normalized gradient × lr 1, momentum and dampening 0.9, WAGE 8/8/5-bit quantizers, squared error, WAGE init; vs cimlearn's device update: lr 0.02 on pulse programming, cross-entropy, float errors)",
};

/** Accuracy a rule must keep to count as training: half its margin over chance at the part's reference point. */
const KEEP = 0.5;
/** A reference point below chance + this trains too little to judge a degradation from it. */
const MIN_MARGIN = 0.05;

const pc = (x: number | undefined) => (x === undefined ? "–" : `${(x * 100).toFixed(1)} %`);
const pct1 = (x: number) => `${Number((x * 100).toPrecision(2))} %`;

/** The settings found in a paper study and, optionally, a stand-in study (by their parts' names). */
export function findingColumns(main: ReportData, standIn?: ReportData): FindingColumn[] {
  const columns: FindingColumn[] = [];
  const has = (d: ReportData, prefix: string) => d.parts.some((p) => p.name.startsWith(prefix) && /(c2c|adc|width|depth)$/.test(p.name));
  if (has(main, "vgg-")) columns.push({ id: "vgg-v21", title: TITLES["vgg-v21"], data: main, prefix: "vgg-" });
  if (has(main, "mlp-")) columns.push({ id: "mlp-v21", title: TITLES["mlp-v21"], data: main, prefix: "mlp-" });
  const plain = (d: ReportData) => d.parts.some((p) => ["c2c", "adc", "width", "depth"].includes(p.name));
  if (standIn && plain(standIn)) columns.push({ id: "standin", title: TITLES.standin, data: standIn, prefix: "" });
  else if (plain(main)) columns.push({ id: "standin", title: TITLES.standin, data: main, prefix: "" });
  return columns;
}

interface CurvePoint {
  label: string;
  x: number;
  accuracy: number | undefined;
  point: ReportPoint;
}

function chanceOf(col: FindingColumn, point: ReportPoint): number {
  const config = col.data.manifest.points[point.index]?.config;
  return config ? 1 / DATASET_INFO[config.dataset].classes : 0.1;
}

/** A rule's points along a part's (one non-rule) axis, in axis order; x from `xOf`. */
function curve(col: FindingColumn, name: string, algo: string, xOf: (p: ReportPoint, label: string) => number): CurvePoint[] {
  const part = col.data.parts.find((p) => p.name === col.prefix + name);
  if (!part) return [];
  const axis = part.dimensions.findIndex((_, i) => i !== part.algoDimension);
  const out: CurvePoint[] = [];
  for (const i of part.points) {
    const p = col.data.points[i] as ReportPoint;
    if (p.algo !== algo) continue;
    const label = axis >= 0 ? (part.dimensions[axis]?.labels[p.steps[axis] as number] ?? "") : "";
    out.push({ label, x: xOf(p, label), accuracy: p.accuracy?.mean, point: p });
  }
  return out.sort((a, b) => a.x - b.x);
}

const num = (v: unknown) => (typeof v === "number" ? v : Number.NaN);
const c2cOf = (p: ReportPoint) => num(p.values["device.c2c"]);
const adcOf = (p: ReportPoint) => num(p.values["chip.adc.bits"]);
const widthOf = (_: ReportPoint, label: string) => Number(label);

/**
 * Along a curve whose reference point is `ref` (where the rule is expected to train best): the
 * points that keep half the reference's margin over chance. Undefined when the reference itself
 * does not train (nothing to degrade from).
 */
function trains(col: FindingColumn, c: CurvePoint[], ref: CurvePoint | undefined): boolean[] | undefined {
  if (!ref || ref.accuracy === undefined) return undefined;
  const chance = chanceOf(col, ref.point);
  if (ref.accuracy < chance + MIN_MARGIN) return undefined;
  const bar = chance + KEEP * (ref.accuracy - chance);
  return c.map((p) => p.accuracy !== undefined && p.accuracy >= bar);
}

const notTestable = (column: FindingColumn["id"], text: string): FindingCell => ({ column, verdict: "not testable", text });

function c2cCell(col: FindingColumn): FindingCell {
  const rules = [BASELINE, "dfa"].map((algo) => {
    const c = curve(col, "c2c", algo, c2cOf);
    const ok = trains(
      col,
      c,
      c.find((p) => p.x === 0),
    );
    // The largest variation up to which every point trains.
    let limit: number | undefined;
    if (ok) for (let i = 0; i < c.length && ok[i]; i++) limit = (c[i] as CurvePoint).x;
    return { algo, c, ok, limit };
  });
  const [bp, dfa] = rules as [(typeof rules)[0], (typeof rules)[0]];
  if (bp.c.length === 0 || dfa.c.length === 0) return notTestable(col.id, "no C2C part with BP and DFA");
  const curves = rules.map((r) => `${r.algo} ${r.c.map((p) => pc(p.accuracy)).join(" / ")}`).join("; ");
  const at = `accuracy at C2C ${bp.c.map((p) => p.label).join(" / ")}: ${curves}`;
  const unfinished = rules.filter((r) => r.c.find((p) => p.x === 0)?.accuracy === undefined).map((r) => r.algo);
  if (unfinished.length > 0) return notTestable(col.id, `no finished ${unfinished.join(" and ")} runs at C2C 0`);
  const untrained = rules.filter((r) => !r.ok).map((r) => r.algo);
  if (untrained.length > 0)
    return notTestable(col.id, `${untrained.join(" and ")} ${untrained.length > 1 ? "do" : "does"} not train even without C2C (${at})`);
  const span = (r: (typeof rules)[0]) => (r.limit === undefined ? "at no C2C > 0" : `up to ${pct1(r.limit)}`);
  const reproduced = (bp.limit ?? -1) >= 0.05 && (dfa.limit ?? -1) >= 0.01 && (dfa.limit ?? -1) < 0.05;
  // How much each loses at 5 %: which rule is the more sensitive, whatever the verdict.
  const loss = (r: (typeof rules)[0]) => {
    const a0 = r.c.find((p) => p.x === 0)?.accuracy;
    const a5 = r.c.find((p) => p.x === 0.05)?.accuracy;
    return a0 === undefined || a5 === undefined ? undefined : (a0 - a5) * 100;
  };
  const [lb, ld] = [loss(bp), loss(dfa)];
  const change = (d: number) => (d >= 0 ? `loses ${d.toFixed(1)} points` : `gains ${(-d).toFixed(1)}`);
  const drops = lb === undefined || ld === undefined ? "" : `; at 5 % BP ${change(lb)}, DFA ${change(ld)}`;
  return {
    column: col.id,
    verdict: reproduced ? "reproduced" : "not reproduced",
    text: `BP trains ${span(bp)}, DFA ${span(dfa)}${drops} (${at})`,
  };
}

function adcCell(col: FindingColumn): FindingCell {
  const algos = [BASELINE, "fa", "dfa", "drtp"];
  const rules = algos.map((algo) => {
    const c = curve(col, "adc", algo, adcOf);
    const ok = trains(col, c, c[c.length - 1]);
    // The fewest bits from which every point up trains.
    let least: number | undefined;
    if (ok) for (let i = c.length - 1; i >= 0 && ok[i]; i--) least = (c[i] as CurvePoint).x;
    return { algo, c, ok, least };
  });
  const dfa = rules[2] as (typeof rules)[0];
  if (dfa.c.length === 0) return notTestable(col.id, "no ADC part with DFA");
  const top = dfa.c[dfa.c.length - 1];
  if (top?.accuracy === undefined) return notTestable(col.id, `no finished DFA runs at ${top?.label} bits`);
  if (!dfa.ok) return notTestable(col.id, `DFA does not train even at ${top.label} bits (${pc(top.accuracy)})`);
  const needs = rules
    .filter((r) => r.c.length > 0)
    .map((r) => `${r.algo} ${r.least === undefined ? "–" : `≥ ${r.least}`}`)
    .join(", ");
  const shown = [2, 3, 4, 8].filter((b) => dfa.c.some((p) => p.x === b));
  const acc = (r: (typeof rules)[0]) => shown.map((b) => pc(r.c.find((p) => p.x === b)?.accuracy)).join(" / ");
  const text = `bits needed: ${needs} (accuracy at ${shown.join(" / ")} bits: bp ${acc(rules[0] as (typeof rules)[0])}, dfa ${acc(dfa)})`;
  return { column: col.id, verdict: dfa.least === 3 ? "reproduced" : "not reproduced", text };
}

function widthCell(col: FindingColumn): FindingCell {
  const bp = curve(col, "width", BASELINE, widthOf);
  const dfa = curve(col, "width", "dfa", widthOf);
  const narrow = bp[0];
  const dNarrow = dfa.find((p) => p.x === narrow?.x);
  if (!narrow || !dNarrow || narrow.accuracy === undefined || dNarrow.accuracy === undefined)
    return notTestable(
      col.id,
      col.id === "vgg-v21" ? "no width part in this sweep (the full size has VGG-8 widths 8 … 128)" : "no width part",
    );
  const chance = chanceOf(col, narrow.point);
  const wide = bp[bp.length - 1];
  const dWide = dfa[dfa.length - 1];
  const reproduced = narrow.x === 8 && dNarrow.accuracy <= chance + 0.05 && narrow.accuracy >= chance + 0.2;
  return {
    column: col.id,
    verdict: reproduced ? "reproduced" : "not reproduced",
    text: `width ${narrow.label}: DFA ${(dNarrow.accuracy ?? 0).toFixed(2)} vs BP ${narrow.accuracy.toFixed(2)} (width ${wide?.label}: ${(dWide?.accuracy ?? 0).toFixed(2)} vs ${(wide?.accuracy ?? 0).toFixed(2)})`,
  };
}

/** Points that differ only in the rule, per part of the setting, where some rule trains. */
function bestCell(col: FindingColumn): FindingCell {
  let best = 0;
  let groups = 0;
  const losses: string[] = [];
  for (const part of col.data.parts.filter((p) => p.name.startsWith(col.prefix) && /(c2c|adc|width|depth)$/.test(p.name))) {
    const byGroup = new Map<string, ReportPoint[]>();
    for (const i of part.points) {
      const p = col.data.points[i] as ReportPoint;
      byGroup.set(p.group, [...(byGroup.get(p.group) ?? []), p]);
    }
    for (const list of byGroup.values()) {
      const bp = list.find((p) => p.algo === BASELINE)?.accuracy?.mean;
      const others = list.filter((p) => p.algo !== BASELINE && p.accuracy).map((p) => p.accuracy?.mean as number);
      if (bp === undefined || others.length === 0) continue;
      const top = Math.max(bp, ...others);
      if (top < chanceOf(col, list[0] as ReportPoint) + MIN_MARGIN) continue;
      groups++;
      if (bp >= Math.max(...others) - 0.01) best++;
      else losses.push(part.name.slice(col.prefix.length));
    }
  }
  if (groups === 0) return notTestable(col.id, "no point where a rule trains");
  const where = [...new Set(losses)];
  return {
    column: col.id,
    verdict: best / groups >= 0.8 ? "reproduced" : "not reproduced",
    text: `BP best (or within 1 point) at ${best} of ${groups} points${where.length > 0 ? `; behind at points of ${where.join(", ")}` : ""}`,
  };
}

/** BP and DFA at the same point of the C2C part at the device's own C2C (the first point where both have a cost). */
function costPair(col: FindingColumn): { bp: ReportPoint; dfa: ReportPoint } | undefined {
  const bp = curve(col, "c2c", BASELINE, c2cOf);
  const dfa = curve(col, "c2c", "dfa", c2cOf);
  const pairs = bp
    .map((b) => ({ bp: b.point, dfa: dfa.find((d) => d.x === b.x)?.point }))
    .filter((p): p is { bp: ReportPoint; dfa: ReportPoint } => p.dfa !== undefined && !!p.bp.costs.sequential && !!p.dfa.costs.sequential);
  return pairs.find((p) => c2cOf(p.bp) > 0) ?? pairs[0];
}

function energyCell(col: FindingColumn): FindingCell {
  const pair = costPair(col);
  if (!pair) return notTestable(col.id, "no BP and DFA runs with a cost");
  const bp = pair.bp.costs.sequential?.energy_j as number;
  const dfa = pair.dfa.costs.sequential?.energy_j as number;
  const ratio = dfa / bp;
  return {
    column: col.id,
    verdict: Math.abs(ratio - 1) <= 0.1 ? "reproduced" : "not reproduced",
    text: `energy / epoch DFA ${ratio.toFixed(2)}× BP (${fmtJ(dfa)} vs ${fmtJ(bp)})`,
  };
}

const fmtJ = (j: number) =>
  j >= 1 ? `${j.toPrecision(3)} J` : j >= 1e-3 ? `${(j * 1e3).toPrecision(3)} mJ` : `${(j * 1e6).toPrecision(3)} µJ`;

function offChipCell(col: FindingColumn): FindingCell {
  const pair = costPair(col);
  if (!pair) return notTestable(col.id, "no BP and DFA runs with a cost");
  const share = (p: ReportPoint, component: string) => {
    const c = p.costs.sequential;
    return c ? (c.components[component]?.energy_j ?? 0) / c.energy_j : 0;
  };
  const bp = share(pair.bp, "dram");
  const dfa = share(pair.dfa, "dram");
  return {
    column: col.id,
    verdict: bp >= 0.9 && dfa >= 0.9 ? "reproduced" : "not reproduced",
    text: `DRAM ${pc(bp)} of BP's energy, ${pc(dfa)} of DFA's (global buffer: ${pc(share(pair.bp, "buffer"))}, ${pc(share(pair.dfa, "buffer"))})`,
  };
}

function latencyCell(col: FindingColumn): FindingCell {
  const series = col.data.speedup.series.find((s) => s.part === `${col.prefix}depth` && s.algo === "dfa");
  if (!series || series.points.length < 2)
    return notTestable(col.id, col.id === "vgg-v21" ? "VGG-8's depth is fixed (the depth sweep runs on MLPs)" : "no depth part");
  const pts = series.points;
  const grows = pts.every((p, i) => i === 0 || p.speedup.mean >= (pts[i - 1]?.speedup.mean ?? 0) * 0.98);
  const last = pts[pts.length - 1] as (typeof pts)[0];
  const energy = pts.map((p) => p.energy.mean);
  return {
    column: col.id,
    verdict: grows && last.speedup.mean >= last.depth / 2 ? "reproduced" : "not reproduced",
    text: `DFA (dfa-parallel) over BP (sequential): ${pts.map((p) => `N = ${p.depth}: ${p.speedup.mean.toFixed(2)}×`).join(", ")}; backward phases at N = ${last.depth}: ${last.backward.mean.toFixed(2)}×; energy DFA/BP ${Math.min(...energy).toFixed(2)}–${Math.max(...energy).toFixed(2)}`,
  };
}

/**
 * The chip decides the latency finding: the cost model alone (the report's hardware study, on the
 * first setting's chip) at the deepest equal-width MLP, under DNN+NeuroSim's chip and with nothing
 * shared on the backward path.
 */
function hardwareNote(columns: FindingColumn[]): string | undefined {
  const points = columns[0]?.data.hardware?.points.filter((p) => p.shape.startsWith("equal")) ?? [];
  const n = Math.max(...points.map((p) => p.n));
  const at = (assumption: string) => points.find((p) => p.n === n && p.assumption === assumption);
  const shared = at("neurosim");
  const free = at("local-buffers");
  if (!shared || !free) return undefined;
  return `and with the chip (cost model, equal-width MLPs, N = ${n}): ${shared.total.toFixed(2)}× per epoch on DNN+NeuroSim's chip (one weight-gradient unit, every gradient through the global buffer and DRAM), ${free.total.toFixed(2)}× with nothing shared on the backward path, whose phases then reach ${free.backward.toFixed(2)}× (N); the forward pass stays layer after layer (Amdahl)`;
}

/** DFA's accuracy lost at 5 % C2C on each setting: how much the setting's factors change DFA's sensitivity. */
function c2cSensitivityNote(columns: FindingColumn[]): string | undefined {
  const losses = columns.flatMap((col) => {
    const c = curve(col, "c2c", "dfa", c2cOf);
    const ref = c.find((p) => p.x === 0);
    const a5 = c.find((p) => p.x === 0.05)?.accuracy;
    // Where DFA does not train without C2C, it has nothing to lose.
    if (!trains(col, c, ref) || ref?.accuracy === undefined || a5 === undefined) return [];
    return [`${((ref.accuracy - a5) * 100).toFixed(1)} points (${col.title})`];
  });
  return losses.length > 1 ? `DFA's loss at 5 % C2C: ${losses.join(", ")}` : undefined;
}

/** DRAM's share of a cost report's energy (every phase's DRAM component). */
function dramShare(r: Pick<CostReport, "phases" | "total">): number {
  return Object.values(r.phases).reduce((sum, p) => sum + (p.components.dram?.energy_j ?? 0), 0) / r.total.energy_j;
}

/**
 * The energy rows' network factor, from the cost model alone (activity assumed, no run): DNN+NeuroSim
 * V2.1's VGG-8 itself at its batch 200 on the VGG setting's chip and device, BP and DFA sequential.
 */
function fullVgg(columns: FindingColumn[]): { bp: CostReport; dfa: CostReport } | undefined {
  const col = columns.find((c) => c.id === "vgg-v21");
  const point = col?.data.points.find((p) => p.part === "vgg-c2c");
  const config = point && (col?.data.manifest.points[point.index]?.config as ResolvedRunConfig | undefined);
  // Only a VGG-8 narrowed (vgg8:W) on CIFAR-10 has V2.1's VGG-8 to compare with.
  if (config?.dataset !== "cifar10" || !config.model.startsWith("vgg8:")) return undefined;
  const full = (algo: string): CostReport => {
    const c = { ...config, model: "vgg8", batch: 200, iterations: 250, algo, schedule: "sequential" } as ResolvedRunConfig;
    return estimateCost(costInputOf(c));
  };
  return { bp: full(BASELINE), dfa: full("dfa") };
}

function fullVggEnergyNote(columns: FindingColumn[]): string | undefined {
  const f = fullVgg(columns);
  if (!f) return undefined;
  return `cost model alone on V2.1's full-width VGG-8 (batch 200, activity assumed): DFA ${(f.dfa.total.energy_j / f.bp.total.energy_j).toFixed(2)}× BP`;
}

function fullVggDramNote(columns: FindingColumn[]): string | undefined {
  const f = fullVgg(columns);
  if (!f) return undefined;
  return `cost model alone on V2.1's full-width VGG-8 (batch 200, activity assumed): DRAM ${pc(dramShare(f.bp))} of BP's energy, ${pc(dramShare(f.dfa))} of DFA's`;
}

interface Spec {
  id: string;
  claim: string;
  criterion: string;
  cell: (col: FindingColumn) => FindingCell;
  /** Where the verdicts differ for a reason the sweeps measure beyond the setting's factors. */
  also?: (columns: FindingColumn[]) => string | undefined;
}

const SPECS: Spec[] = [
  {
    id: "c2c",
    claim: "BP still converges at 5 % cycle-to-cycle variation; DFA only up to 1 %",
    criterion: `a rule trains at a point if it keeps ${KEEP * 100} % of its margin over chance at C2C 0; reproduced if BP trains up to 5 % and DFA up to 1 % but not 5 %`,
    cell: c2cCell,
    also: c2cSensitivityNote,
  },
  {
    id: "adc",
    claim: "DFA needs an ADC of at least 3 bits",
    criterion: `the fewest bits from which up to 8 every point keeps ${KEEP * 100} % of the rule's 8-bit margin over chance; reproduced if DFA's is 3`,
    cell: adcCell,
  },
  {
    id: "width",
    claim: "a width-8 network reaches 0.08 with DFA vs 0.44 with BP",
    criterion: "at width 8: reproduced if DFA stays within 5 points of chance while BP is 20 points above it",
    cell: widthCell,
  },
  {
    id: "bp-best",
    claim: "BP stays the most accurate rule under the hardware's imperfections",
    criterion: "reproduced if BP is best (or within 1 point of the best) at ≥ 80 % of the points where some rule trains",
    cell: bestCell,
  },
  {
    id: "energy",
    claim: "BP and DFA use the same energy",
    criterion: "energy per epoch (cost model, sequential schedule, at the device's own C2C): reproduced if DFA is within 10 % of BP",
    cell: energyCell,
    also: fullVggEnergyNote,
  },
  {
    id: "off-chip",
    claim: "about 95 % of the energy is off-chip buffer (DRAM) access",
    criterion: "share of DRAM in the energy per epoch (cost model): reproduced if ≥ 90 % for BP and DFA",
    cell: offChipCell,
    also: fullVggDramNote,
  },
  {
    id: "latency",
    claim: "DFA's only gain is a training-latency cut approaching N for N layers",
    criterion:
      "DFA on the dfa-parallel schedule over BP on the sequential one, per depth: reproduced if it grows with N and reaches N/2 at the deepest",
    cell: latencyCell,
    also: hardwareNote,
  },
];

function explain(cells: FindingCell[]): string {
  const testable = cells.filter((c) => c.verdict !== "not testable");
  if (testable.length === 0) return "not testable on these sweeps";
  const verdicts = new Set(testable.map((c) => c.verdict));
  if (verdicts.size === 1)
    return testable.length > 1
      ? "the same verdict on every setting tested: neither network and data nor the update recipe changes it"
      : "tested on one setting only";
  const v = (id: FindingColumn["id"]) => cells.find((c) => c.column === id && c.verdict !== "not testable")?.verdict;
  const factors: string[] = [];
  const [vgg, mlp, standin] = [v("vgg-v21"), v("mlp-v21"), v("standin")];
  if (vgg && mlp && vgg !== mlp) factors.push(FACTORS.network);
  if (mlp && standin && mlp !== standin) factors.push(FACTORS.recipe);
  if (factors.length === 0 && vgg && standin && vgg !== standin) factors.push(`${FACTORS.network}, or ${FACTORS.recipe}`);
  return `differs with ${factors.join("; and with ")}`;
}

/** The findings, checked on every setting the sweeps hold. */
export function woltersFindings(main: ReportData, standIn?: ReportData): Findings | undefined {
  const columns = findingColumns(main, standIn);
  if (columns.length === 0) return undefined;
  const findings = SPECS.map((spec) => {
    const cells = columns.map((col) => spec.cell(col));
    const explanation = [explain(cells), spec.also?.(columns)].filter((x) => x !== undefined).join("; ");
    return { id: spec.id, claim: spec.claim, criterion: spec.criterion, cells, explanation };
  });
  return {
    columns: columns.map((c) => ({ id: c.id, title: c.title, sweep: c.data.title, dir: c.data.dir })),
    findings,
    notes: errorBitsNote(main),
  };
}

/** The reduced paper study's one deviation from the recipe (float errors in VGG), measured by its vgg-error-bits part. */
function errorBitsNote(main: ReportData): string[] {
  const part = main.parts.find((p) => p.name === "vgg-error-bits");
  if (!part) return [];
  const col: FindingColumn = { id: "vgg-v21", title: TITLES["vgg-v21"], data: main, prefix: "vgg-" };
  const bits = (p: ReportPoint) => num(p.values["quant.error"]);
  const rows = [BASELINE, "dfa"].map((algo) => {
    const c = curve(col, "error-bits", algo, bits);
    return `${algo} ${c.map((p) => `${p.x === 0 ? "float" : `${p.x}-bit`} ${pc(p.accuracy)}`).join(", ")}`;
  });
  return [`VGG-8 errors (WAGE QE) on this sweep's network: ${rows.join("; ")}.`];
}

/** The findings as a Markdown table (for the README and findings.md). */
export function findingsMarkdown(f: Findings): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const head = `| Wolters et al. | ${f.columns.map((c) => esc(c.title)).join(" | ")} | what decides it |`;
  const rule = `|${"---|".repeat(f.columns.length + 2)}`;
  const rows = f.findings.map(
    (x) => `| ${esc(x.claim)} | ${x.cells.map((c) => `**${c.verdict}**: ${esc(c.text)}`).join(" | ")} | ${esc(x.explanation)} |`,
  );
  const criteria = f.findings.map((x) => `- ${esc(x.claim)}: ${esc(x.criterion)}.`);
  const notes = f.notes.map((n) => `- ${esc(n)}`);
  return [head, rule, ...rows, "", "Criteria:", "", ...criteria, ...(notes.length > 0 ? ["", ...notes] : [])].join("\n");
}
