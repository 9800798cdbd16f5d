// What the report shows, gathered from a sweep directory: the runs (last line per run), per point
// the spread over repeats of accuracy and cost, and the DFA/DRTP-over-BP speed-up per depth — all
// grouped and averaged from what the runs recorded — and one thing computed here: the cost model's
// speed-up vs depth per hardware assumption on the sweep's chip (no run needed).

import { HARDWARE_ASSUMPTIONS, type SpeedupPoint, speedupStudy } from "../cost/speedup-study.js";
import { DATASET_INFO } from "../data/dataset.js";
import { deviceLabel } from "../device/config.js";
import { type ResultLine, readManifest, readResults, type ScheduleCost, type SweepManifest } from "../experiment/sweep-store.js";
import { BASELINE, DIRECT_RULES, isDirectRule } from "../learning/rules.js";
import { parseModelSpec } from "../nn/spec.js";

export interface Spread {
  mean: number;
  min: number;
  max: number;
  n: number;
}

/** A cost split by phase and by component (per epoch, mean over the point's finished runs). */
export interface CostSplit {
  latency_s: number;
  energy_j: number;
  phases: Record<string, { latency_s: number; energy_j: number }>;
  components: Record<string, { latency_s: number; energy_j: number }>;
}

export interface ReportPoint {
  index: number;
  part: string;
  steps: number[];
  values: Record<string, unknown>;
  /** The algorithm line it belongs to: the algorithm dimension's value (or the config's algo). */
  series: string;
  algo: string;
  model: string;
  /** Weight layers of the model (hidden layers + 1). */
  depth: number;
  /** Its steps without the algorithm dimension: points with the same group differ only in the algorithm. */
  group: string;
  runs: number;
  ok: number;
  failed: number;
  accuracy?: Spread;
  /** Test accuracy per epoch over the finished runs. */
  epochs: { mean: number[]; min: number[]; max: number[] };
  /** The run's own schedule. */
  schedule: string;
  latency?: Spread;
  energy?: Spread;
  area?: Spread;
  areaBreakdown?: Record<string, number>;
  /** Per schedule the rule allows. */
  costs: Record<string, CostSplit>;
  /** Mean over finished runs of the last epoch's update-vs-BP angle (degrees) per hidden layer. */
  alignment?: number[];
  /** Per epoch (0: untrained), the update-vs-BP angle in degrees, mean over finished runs and hidden layers. */
  alignmentEpochs?: number[];
  /** Writes of the most-written device, and the projected lifetime in epochs (when the device's endurance is known). */
  writesMax?: Spread;
  lifetime?: Spread;
}

export interface ReportPart {
  name: string;
  description?: string;
  dimensions: { id: string; label: string; paths: string[]; labels: string[] }[];
  /** Index of the dimension that sets `algo` (−1: none). */
  algoDimension: number;
  points: number[];
}

export interface SpeedupRow {
  part: string;
  group: string;
  values: string;
  depth: number;
  algo: string;
  repeat: number;
  bp_latency_s: number;
  latency_s: number;
  speedup: number;
  bp_backward_s: number;
  backward_s: number;
  backward_speedup: number;
  bp_energy_j: number;
  energy_j: number;
  energy_ratio: number;
}

export interface SpeedupSeries {
  part: string;
  algo: string;
  points: { depth: number; speedup: Spread; backward: Spread; energy: Spread }[];
}

export interface ReportData {
  title: string;
  description?: string;
  dir: string;
  generated: string;
  created: string;
  versions: string[];
  node: string;
  chartjs: string;
  repeats: number;
  seeds: number[];
  total: number;
  finished: number;
  ok: number;
  failed: number;
  parts: ReportPart[];
  points: ReportPoint[];
  runs: ResultLine[];
  failures: { run: string; values: string; seed: number; error: string }[];
  speedup: { rows: SpeedupRow[]; series: SpeedupSeries[] };
  /** One batch's timeline of BP (sequential) and of DFA/DRTP (dfa-parallel) at points that differ only in the rule (first repeat). */
  timelines: TimelinePair[];
  /** The cost model's DFA speed-up vs depth per hardware assumption, on the sweep's chip (no run involved). */
  hardware: HardwareStudy;
  manifest: SweepManifest;
}

export interface HardwareStudy {
  /** What the study ran on: the chip, device and epoch of the sweep's first point. */
  basis: string;
  width: number;
  assumptions: { id: string; label: string }[];
  points: SpeedupPoint[];
}

export interface TimelinePair {
  part: string;
  values: string;
  algo: string;
  bp: ScheduleCost["timeline"];
  rule: ScheduleCost["timeline"];
}

/** At most this many timeline pairs go into a report (each is a drawing). */
const MAX_TIMELINES = 40;

export function spread(values: number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { mean: sum / values.length, min, max, n: values.length };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export function stepLabel(step: unknown[] | undefined): string {
  return (step ?? []).map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(" / ");
}

function depthOf(model: string): number {
  try {
    return parseModelSpec(model).layers.length;
  } catch {
    return 0;
  }
}

function costSplit(costs: ScheduleCost[]): CostSplit {
  const phases: CostSplit["phases"] = {};
  const components: CostSplit["components"] = {};
  for (const phase of Object.keys(costs[0]?.phases ?? {})) {
    const reports = costs.map((c) => c.phases[phase as keyof ScheduleCost["phases"]]);
    phases[phase] = { latency_s: mean(reports.map((r) => r.latency_s)), energy_j: mean(reports.map((r) => r.energy_j)) };
    for (const [component, v] of Object.entries(reports[0]?.components ?? {})) {
      const entry = components[component] ?? { latency_s: 0, energy_j: 0 };
      entry.latency_s += mean(reports.map((r) => r.components[component as keyof typeof r.components]?.latency_s ?? 0));
      entry.energy_j += mean(reports.map((r) => r.components[component as keyof typeof r.components]?.energy_j ?? 0));
      components[component] = entry;
      void v;
    }
  }
  // Leakage runs for the whole epoch and belongs to no phase; it is its own component.
  const leakage = mean(costs.map((c) => c.leakage_j));
  if (leakage > 0) components.leakage = { latency_s: 0, energy_j: leakage };
  return {
    latency_s: mean(costs.map((c) => c.total.latency_s)),
    energy_j: mean(costs.map((c) => c.total.energy_j)),
    phases,
    components,
  };
}

const backwardOf = (c: ScheduleCost) => c.phases.error.latency_s + c.phases.gradient.latency_s + c.phases.update.latency_s;

/** Reads DIR (sweep.json and results.jsonl, without changing them) into the report's data. */
export function readReportData(dir: string, extra: { chartjs: string }): ReportData {
  const manifest = readManifest(dir);
  const { finished } = readResults(dir, manifest, false);
  const order = new Map(manifest.runs.map((r, i) => [r.id, i]));
  const runs = [...finished.values()].sort((a, b) => (order.get(a.run) ?? 0) - (order.get(b.run) ?? 0));
  const byPoint = new Map<number, ResultLine[]>();
  for (const line of runs) {
    const list = byPoint.get(line.point) ?? [];
    list.push(line);
    byPoint.set(line.point, list);
  }
  const runsPerPoint = new Map<number, number>();
  for (const r of manifest.runs) runsPerPoint.set(r.point, (runsPerPoint.get(r.point) ?? 0) + 1);

  const parts: ReportPart[] = manifest.parts.map((p) => {
    const part: ReportPart = {
      name: p.name,
      dimensions: p.dimensions.map((d) => ({ id: d.id, label: d.label, paths: d.paths, labels: d.names ?? d.steps.map(stepLabel) })),
      algoDimension: p.dimensions.findIndex((d) => d.paths.includes("algo")),
      points: p.points,
    };
    if (p.description !== undefined) part.description = p.description;
    return part;
  });
  const partByName = new Map(parts.map((p) => [p.name, p]));

  const points: ReportPoint[] = manifest.points.map((p) => {
    const part = partByName.get(p.part) as ReportPart;
    const lines = byPoint.get(p.index) ?? [];
    const ok = lines.filter((l) => l.status === "ok");
    const algoDim = part.algoDimension;
    const series = algoDim >= 0 ? (part.dimensions[algoDim]?.labels[p.steps[algoDim] as number] ?? p.config.algo) : p.config.algo;
    const group = p.steps.filter((_, i) => i !== algoDim).join(",");
    const epochsDone = Math.min(...ok.map((l) => l.history.length));
    const epochs = { mean: [] as number[], min: [] as number[], max: [] as number[] };
    for (let e = 0; ok.length > 0 && e < epochsDone; e++) {
      const s = spread(ok.map((l) => l.history[e]?.test_accuracy ?? 0)) as Spread;
      epochs.mean.push(s.mean);
      epochs.min.push(s.min);
      epochs.max.push(s.max);
    }
    const withCost = ok.filter((l) => l.cost);
    const costs: Record<string, CostSplit> = {};
    const schedules = new Set(withCost.flatMap((l) => Object.keys(l.costs ?? {})));
    for (const schedule of schedules) {
      const list = withCost
        .map((l) => l.costs?.[schedule as keyof NonNullable<ResultLine["costs"]>])
        .filter((c): c is ScheduleCost => c !== undefined);
      if (list.length > 0) costs[schedule] = costSplit(list);
    }
    const point: ReportPoint = {
      index: p.index,
      part: p.part,
      steps: p.steps,
      values: p.values,
      series,
      algo: p.config.algo,
      model: p.config.model,
      depth: depthOf(p.config.model),
      group,
      runs: runsPerPoint.get(p.index) ?? 0,
      ok: ok.length,
      failed: lines.length - ok.length,
      epochs,
      schedule: p.config.schedule,
      costs,
    };
    const accuracy = spread(ok.map((l) => l.test_accuracy ?? 0));
    if (accuracy) point.accuracy = accuracy;
    const angles = ok.map((l) => l.history[l.history.length - 1]?.alignment).filter((a) => a !== undefined && a.length > 0);
    if (angles.length > 0) point.alignment = (angles[0] ?? []).map((_, i) => mean(angles.map((a) => a?.[i]?.update_deg ?? 0)));
    const meanAngle = (a: { update_deg: number }[] | undefined) => (a && a.length > 0 ? mean(a.map((x) => x.update_deg)) : undefined);
    if (ok.length > 0 && ok.every((l) => meanAngle(l.initial_alignment) !== undefined)) {
      const perEpoch = [0, ...Array.from({ length: epochsDone }, (_, e) => e + 1)].map((e) =>
        mean(ok.map((l) => (e === 0 ? meanAngle(l.initial_alignment) : meanAngle(l.history[e - 1]?.alignment)) ?? 0)),
      );
      point.alignmentEpochs = perEpoch;
    }
    const writesMax = spread(ok.filter((l) => l.endurance).map((l) => l.endurance?.all.max ?? 0));
    if (writesMax) point.writesMax = writesMax;
    const lifetime = spread(ok.map((l) => l.endurance?.lifetime_epochs).filter((v): v is number => v !== undefined));
    if (lifetime) point.lifetime = lifetime;
    const latency = spread(withCost.map((l) => l.cost?.total.latency_s ?? 0));
    if (latency) point.latency = latency;
    const energy = spread(withCost.map((l) => l.cost?.total.energy_j ?? 0));
    if (energy) point.energy = energy;
    const area = spread(withCost.map((l) => l.cost?.area.total_m2 ?? 0));
    if (area) point.area = area;
    const first = withCost[0]?.cost;
    if (first) {
      point.areaBreakdown = Object.fromEntries(
        Object.keys(first.area.breakdown).map((k) => [
          k,
          mean(withCost.map((l) => (l.cost?.area.breakdown as unknown as Record<string, number> | undefined)?.[k] ?? 0)),
        ]),
      );
    }
    return point;
  });

  const speedup = speedups(parts, points, byPoint);
  const timelines = timelinePairs(parts, points, byPoint);
  const hardware = hardwareStudy(manifest);
  const ok = runs.filter((r) => r.status === "ok").length;
  const data: ReportData = {
    title: manifest.name,
    dir,
    generated: new Date().toISOString(),
    created: manifest.created,
    versions: [...new Set([manifest.version, ...runs.map((r) => r.version)])],
    node: process.version,
    chartjs: extra.chartjs,
    repeats: manifest.repeats,
    seeds: [...new Set(manifest.runs.map((r) => r.seed))].sort((a, b) => a - b),
    total: manifest.runs.length,
    finished: runs.length,
    ok,
    failed: runs.length - ok,
    parts,
    points,
    runs,
    failures: runs
      .filter((r) => r.status === "failed")
      .map((r) => ({
        run: r.run,
        values: Object.entries(r.values)
          .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
          .join(", "),
        seed: r.seed,
        error: r.error ? `${r.error.name}: ${r.error.message}` : "",
      })),
    speedup,
    timelines,
    hardware,
    manifest,
  };
  if (manifest.sweep.description !== undefined) data.description = manifest.sweep.description;
  return data;
}

/** Hidden width and depths of the hardware study. */
const STUDY_WIDTH = 128;
const STUDY_DEPTHS = Array.from({ length: 11 }, (_, i) => i + 2);

/** DFA's speed-up vs depth per hardware assumption, from the cost model, on the chip, device and epoch of the sweep's first point. */
function hardwareStudy(manifest: SweepManifest): HardwareStudy {
  const config = manifest.points[0]?.config;
  const study: HardwareStudy = {
    basis: "",
    width: STUDY_WIDTH,
    assumptions: HARDWARE_ASSUMPTIONS.map(({ id, label }) => ({ id, label })),
    points: [],
  };
  if (!config) return study;
  const info = DATASET_INFO[config.dataset];
  const inputs = info.shape.reduce((a, b) => a * b, 1);
  study.basis = `${config.chip.technology} nm, ${config.chip.subArray.rows}×${config.chip.subArray.cols} arrays, device ${deviceLabel(config.device)}, batch ${config.batch}, ${config.iterations} updates per epoch; assumed activity ${config.assume.activity}`;
  study.points = speedupStudy(
    { ...config, algo: BASELINE, schedule: "sequential", scheduleOptions: {} },
    {
      depths: STUDY_DEPTHS,
      shapes: [
        { name: `equal width ${STUDY_WIDTH}`, shape: { kind: "equal", width: STUDY_WIDTH } },
        { name: `${inputs}-input (${config.dataset})`, shape: { kind: "input", inputs, width: STUDY_WIDTH, classes: info.classes } },
      ],
    },
  );
  return study;
}

/** BP's sequential and the rule's dfa-parallel timeline, per group of points that differ only in the rule (their first finished repeat). */
function timelinePairs(parts: ReportPart[], points: ReportPoint[], byPoint: Map<number, ResultLine[]>): TimelinePair[] {
  const out: TimelinePair[] = [];
  for (const part of parts) {
    const groups = new Map<string, ReportPoint[]>();
    for (const i of part.points) {
      const p = points[i] as ReportPoint;
      groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
    }
    for (const list of groups.values()) {
      const bp = list.find((p) => p.algo === BASELINE);
      const bpLine = bp && (byPoint.get(bp.index) ?? []).find((l) => l.status === "ok" && l.costs?.sequential?.timeline);
      if (!bp || !bpLine) continue;
      for (const other of list.filter((p) => isDirectRule(p.algo))) {
        const line = (byPoint.get(other.index) ?? []).find((l) => l.status === "ok" && l.costs?.["dfa-parallel"]?.timeline);
        const rule = line?.costs?.["dfa-parallel"]?.timeline;
        const base = bpLine.costs?.sequential?.timeline;
        if (!rule || !base || out.length >= MAX_TIMELINES) continue;
        out.push({
          part: part.name,
          values: part.dimensions
            .filter((_, i) => i !== part.algoDimension)
            .map((d) => `${d.label}=${d.labels[other.steps[part.dimensions.indexOf(d)] as number]}`)
            .join(", "),
          algo: other.algo,
          bp: base,
          rule,
        });
      }
    }
  }
  return out;
}

/**
 * Latency of BP (sequential schedule) over DFA/DRTP (dfa-parallel schedule) for points that differ
 * only in the algorithm, repeat by repeat; the series are per part and rule, over depth.
 */
function speedups(parts: ReportPart[], points: ReportPoint[], byPoint: Map<number, ResultLine[]>): ReportData["speedup"] {
  const rows: SpeedupRow[] = [];
  for (const part of parts) {
    const groups = new Map<string, ReportPoint[]>();
    for (const i of part.points) {
      const p = points[i] as ReportPoint;
      const list = groups.get(p.group) ?? [];
      list.push(p);
      groups.set(p.group, list);
    }
    for (const [group, list] of groups) {
      const bp = list.find((p) => p.algo === BASELINE);
      if (!bp) continue;
      const bpRuns = new Map(
        (byPoint.get(bp.index) ?? []).filter((l) => l.status === "ok" && l.costs?.sequential).map((l) => [l.repeat, l]),
      );
      for (const other of list.filter((p) => isDirectRule(p.algo))) {
        for (const line of byPoint.get(other.index) ?? []) {
          const mine = line.costs?.["dfa-parallel"];
          const base = bpRuns.get(line.repeat)?.costs?.sequential;
          if (line.status !== "ok" || !mine || !base) continue;
          rows.push({
            part: part.name,
            group,
            values: part.dimensions
              .filter((_, i) => i !== part.algoDimension)
              .map((d) => `${d.id}=${d.labels[other.steps[part.dimensions.indexOf(d)] as number]}`)
              .join(", "),
            depth: other.depth,
            algo: other.algo,
            repeat: line.repeat,
            bp_latency_s: base.total.latency_s,
            latency_s: mine.total.latency_s,
            speedup: base.total.latency_s / mine.total.latency_s,
            bp_backward_s: backwardOf(base),
            backward_s: backwardOf(mine),
            backward_speedup: backwardOf(base) / backwardOf(mine),
            bp_energy_j: base.total.energy_j,
            energy_j: mine.total.energy_j,
            energy_ratio: mine.total.energy_j / base.total.energy_j,
          });
        }
      }
    }
  }
  // Series over depth: the parts whose points span several depths (all parts when none does).
  const depthsOf = (part: string) => new Set(rows.filter((r) => r.part === part).map((r) => r.depth)).size;
  const varying = parts.filter((p) => depthsOf(p.name) > 1).map((p) => p.name);
  const chosen = varying.length > 0 ? varying : parts.map((p) => p.name);
  const series: SpeedupSeries[] = [];
  for (const part of chosen) {
    for (const algo of DIRECT_RULES) {
      const mine = rows.filter((r) => r.part === part && r.algo === algo);
      if (mine.length === 0) continue;
      const depths = [...new Set(mine.map((r) => r.depth))].sort((a, b) => a - b);
      series.push({
        part,
        algo,
        points: depths.map((depth) => {
          const at = mine.filter((r) => r.depth === depth);
          return {
            depth,
            speedup: spread(at.map((r) => r.speedup)) as Spread,
            backward: spread(at.map((r) => r.backward_speedup)) as Spread,
            energy: spread(at.map((r) => r.energy_ratio)) as Spread,
          };
        }),
      });
    }
  }
  return { rows, series };
}
