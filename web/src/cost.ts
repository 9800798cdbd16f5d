// The cost panel: chip area, and latency and energy per epoch per phase (FW forward, AG error,
// WG weight gradient, WU weight update) per rule, and each rule's speed-up over BP. Before a run
// (and after a setting changes) it shows the cost model's estimate from the shapes; after a run,
// the cost of the run's own counted events.

import {
  BASELINE,
  type CostReport,
  costInputOf,
  estimateCost,
  ganttSvg,
  type ResolvedRunConfig,
  scheduleCosts,
} from "../../src/browser.js";
import type { CostChart, StackedBars } from "./charts.js";
import { si } from "./format.js";
import type { ScheduleCost } from "./protocol.js";

export interface RuleCost {
  algo: string;
  /** The cost under the run's schedule (TrainResult.cost, or the estimate). */
  report: CostReport;
  /** Latency and energy under every schedule the rule allows. */
  schedules: Record<string, ScheduleCost>;
}

const PHASES = [
  ["forward", "FW"],
  ["error", "AG"],
  ["gradient", "WG"],
  ["update", "WU"],
] as const;

const AREA_PARTS: [keyof CostReport["area"]["breakdown"], string][] = [
  ["arrays", "arrays"],
  ["adc", "ADCs"],
  ["accumulation", "accumulation"],
  ["other", "buffers, decoders, mux"],
  ["interconnect", "interconnect"],
  ["wgUnit", "weight-gradient unit"],
  ["feedbackArrays", "feedback arrays"],
];

/** The estimate from shapes (assumed activity) for each resolved config, under every schedule its rule allows. */
export function estimateRules(configs: ResolvedRunConfig[]): RuleCost[] {
  return configs.map((config) => {
    const report = estimateCost(costInputOf(config));
    return { algo: config.algo, report, schedules: scheduleCosts(config, undefined, report) as Record<string, ScheduleCost> };
  });
}

export interface Speedup {
  /** Over BP, both under the run's schedule. */
  run?: number;
  /** This rule under dfa-parallel over BP under sequential (NeuroSim's). */
  parallel?: number;
}

/** Speed-ups over BP: against the BP run when BP was compared, else against the cost model's BP on the same chip. */
export function speedups(rules: RuleCost[]): Map<string, Speedup> {
  const out = new Map<string, Speedup>();
  const bp = rules.find((r) => r.algo === BASELINE);
  for (const r of rules) {
    if (r.algo === BASELINE) continue;
    const s: Speedup = {};
    const schedule = r.report.schedule;
    const bpSame = bp?.schedules[schedule]?.total.latency_s;
    const run = bpSame !== undefined ? bpSame / r.report.total.latency_s : r.report.speedup?.total;
    if (run !== undefined) s.run = run;
    const par = r.schedules["dfa-parallel"];
    const bpSeq = bp?.schedules.sequential?.total.latency_s;
    const parallel = par ? (bpSeq !== undefined ? bpSeq / par.total.latency_s : par.speedup?.total) : undefined;
    if (parallel !== undefined) s.parallel = parallel;
    out.set(r.algo, s);
  }
  return out;
}

function cell(tag: "td" | "th", text: string, attrs: Record<string, string> = {}): HTMLElement {
  const e = document.createElement(tag);
  e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

export type CostView = "latency" | "energy" | "area";

/** A cost-table row: its data key, label, value per rule, and formatting. */
type CostRow = [string, string, (r: RuleCost) => number | undefined, (v: number | undefined) => string];

export class CostPanel {
  constructor(
    private readonly table: HTMLTableElement,
    private readonly source: HTMLElement,
    private readonly summary: HTMLElement,
    private readonly chart: CostChart,
    private readonly timeline: HTMLElement,
  ) {}

  /** BP's sequential timeline and every other rule's dfa-parallel one (its own schedule's when it cannot run that). */
  private drawTimeline(rules: RuleCost[]): void {
    const charts = rules.flatMap((r) => {
      const schedule = r.algo === BASELINE ? "sequential" : r.schedules["dfa-parallel"] ? "dfa-parallel" : r.report.schedule;
      const line = r.schedules[schedule]?.timeline ?? (schedule === r.report.schedule ? r.report.timeline : undefined);
      return line ? [{ title: `${r.algo} · ${schedule}`, ...line }] : [];
    });
    this.timeline.innerHTML = charts.length > 0 ? ganttSvg(charts) : "";
  }

  render(rules: RuleCost[], measured: boolean, view: CostView): void {
    this.drawTimeline(rules);
    if (rules.length === 0) {
      this.source.textContent = "Fix the settings marked in red to see the cost.";
      this.table.replaceChildren();
      this.summary.textContent = "";
      this.chart.update({ labels: [], segments: [], format: (v) => String(v) });
      return;
    }
    const speed = speedups(rules);
    this.source.textContent = measured
      ? `From the run's counted events (array reads, ADC conversions, write pulses), per epoch, ${rules[0]?.report.schedule} schedule.`
      : `Estimate from the shapes (assumed activity), per epoch, ${rules[0]?.report.schedule} schedule; a run replaces it with its counted events.`;
    this.table.dataset.source = measured ? "measured" : "estimate";

    const head = document.createElement("tr");
    head.append(cell("th", ""), ...rules.map((r) => cell("th", r.algo, { "data-rule": r.algo })));
    const perPhase = (what: "latency" | "energy", unit: string): CostRow[] =>
      PHASES.map(([p, short]) => [
        `${what}.${p}`,
        `  ${short} (${p})`,
        (r) => r.report.phases[p][what === "latency" ? "latency_s" : "energy_j"],
        (v) => si(v, unit),
      ]);
    const rows: CostRow[] = [
      ["area", "chip area", (r) => r.report.area.total_m2, (v) => (v === undefined ? "–" : `${+(v * 1e6).toPrecision(3)} mm²`)],
      ["latency", "latency / epoch", (r) => r.report.total.latency_s, (v) => si(v, "s")],
      ...perPhase("latency", "s"),
      ["energy", "energy / epoch", (r) => r.report.total.energy_j, (v) => si(v, "J")],
      ...perPhase("energy", "J"),
      ["tops_per_w", "TOPS/W", (r) => r.report.tops_per_w, (v) => (v === undefined ? "–" : String(+v.toPrecision(3)))],
      [
        "speedup",
        `speed-up over bp (${rules[0]?.report.schedule ?? ""})`,
        (r) => (r.algo === BASELINE ? 1 : speed.get(r.algo)?.run),
        (v) => (v === undefined ? "–" : `${v.toFixed(2)}×`),
      ],
      [
        "speedup.parallel",
        "speed-up, dfa-parallel",
        (r) => speed.get(r.algo)?.parallel,
        (v) => (v === undefined ? "–" : `${v.toFixed(2)}×`),
      ],
    ];
    const body = rows.map(([metric, label, get, format]) => {
      const tr = document.createElement("tr");
      if (metric.includes(".") && !metric.startsWith("speedup")) tr.className = "sub";
      tr.appendChild(cell("th", label.trim(), { scope: "row" }));
      for (const r of rules) {
        const v = get(r);
        tr.appendChild(
          cell("td", format(v), { "data-rule": r.algo, "data-metric": metric, ...(v !== undefined ? { "data-value": String(v) } : {}) }),
        );
      }
      return tr;
    });
    this.table.replaceChildren(head, ...body);

    const lines: string[] = [];
    for (const [algo, s] of speed) {
      const parts: string[] = [];
      if (s.run !== undefined) parts.push(`${s.run.toFixed(2)}× faster than bp per epoch (${rules[0]?.report.schedule} schedule)`);
      if (s.parallel !== undefined) parts.push(`${s.parallel.toFixed(2)}× with its layers' backward work in parallel (dfa-parallel)`);
      if (parts.length) lines.push(`${algo}: ${parts.join("; ")}`);
    }
    this.summary.textContent = lines.join(". ");

    let bars: StackedBars;
    if (view === "area") {
      bars = {
        labels: rules.map((r) => r.algo),
        segments: AREA_PARTS.map(([k, label]) => ({ label, values: rules.map((r) => r.report.area.breakdown[k] * 1e6) })),
        format: (v) => `${+v.toPrecision(3)} mm²`,
      };
    } else {
      const key = view === "latency" ? "latency_s" : "energy_j";
      bars = {
        labels: rules.map((r) => r.algo),
        segments: PHASES.map(([p, short]) => ({ label: `${short} ${p}`, values: rules.map((r) => r.report.phases[p][key]) })),
        format: (v) => si(v, view === "latency" ? "s" : "J"),
      };
    }
    this.chart.update(bars);
  }
}
