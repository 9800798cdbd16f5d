// The page's charts (Chart.js): accuracy and loss per epoch per rule, the device's conductance
// vs pulse number, and the cost per phase per rule.

import Chart from "chart.js/auto";
import { ALGORITHMS, type EpochRecord } from "../../src/browser.js";
import { si } from "./format.js";

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
/** Phases and area components, in a fixed order and colour. */
const STACK = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f"];

/** A rule keeps its colour whatever else is compared. */
export function ruleColor(algo: string): string {
  return PALETTE[Math.max(0, (ALGORITHMS as readonly string[]).indexOf(algo)) % PALETTE.length] as string;
}

Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

function lineOptions(yTitle: string, yFormat: (v: number) => string, extra: Record<string, unknown> = {}) {
  return {
    responsive: true,
    interaction: { mode: "nearest" as const, intersect: false },
    scales: {
      x: { title: { display: true, text: "epoch" } },
      y: { title: { display: true, text: yTitle }, ticks: { callback: (v: number | string) => yFormat(Number(v)) }, ...extra },
    },
    plugins: { legend: { position: "bottom" as const, labels: { boxWidth: 14 } } },
  };
}

export interface RuleHistory {
  algo: string;
  history: EpochRecord[];
}

/** Accuracy (test solid, train dashed) and loss per epoch, one colour per rule. */
export class TrainingCharts {
  readonly accuracy: Chart;
  readonly loss: Chart;

  constructor(accuracyCanvas: HTMLCanvasElement, lossCanvas: HTMLCanvasElement) {
    this.accuracy = new Chart(accuracyCanvas, {
      type: "line",
      data: { labels: [], datasets: [] },
      options: lineOptions("accuracy", (v) => `${Math.round(v * 100)} %`, { min: 0, max: 1 }),
    });
    this.loss = new Chart(lossCanvas, {
      type: "line",
      data: { labels: [], datasets: [] },
      options: lineOptions("cross-entropy loss", (v) => String(+v.toPrecision(3)), { beginAtZero: true }),
    });
  }

  update(runs: RuleHistory[], epochs: number): void {
    const labels = Array.from({ length: epochs }, (_, i) => String(i + 1));
    const series = (
      get: (r: EpochRecord) => number,
      name: string,
      dashed: boolean,
    ): { label: string; data: number[]; borderColor: string; backgroundColor: string; borderDash: number[]; pointRadius: number }[] =>
      runs.map((r) => ({
        label: `${r.algo} ${name}`,
        data: r.history.map(get),
        borderColor: ruleColor(r.algo),
        backgroundColor: ruleColor(r.algo),
        borderDash: dashed ? [5, 4] : [],
        pointRadius: epochs > 40 ? 0 : 2,
      }));
    this.accuracy.data.labels = labels;
    this.accuracy.data.datasets = [...series((h) => h.test_accuracy, "test", false), ...series((h) => h.train_accuracy, "train", true)];
    this.accuracy.update();
    this.loss.data.labels = labels;
    this.loss.data.datasets = [...series((h) => h.test_loss, "test", false), ...series((h) => h.train_loss, "train", true)];
    this.loss.update();
  }
}

/** Conductance after each potentiating pulse from Gmin (LTP) and each depressing pulse from Gmax (LTD). */
export class DeviceChart {
  readonly chart: Chart;
  constructor(canvas: HTMLCanvasElement) {
    this.chart = new Chart(canvas, {
      type: "line",
      data: { datasets: [] },
      options: {
        responsive: true,
        parsing: false,
        interaction: { mode: "nearest", intersect: false },
        scales: {
          x: { type: "linear", title: { display: true, text: "pulse number" }, min: 0 },
          y: { title: { display: true, text: "conductance" }, ticks: { callback: (v) => si(Number(v), "S") } },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 14 } },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${si(c.parsed.y ?? Number.NaN, "S")} after ${c.parsed.x} pulses` } },
        },
      },
    });
  }

  /** At most `maxPoints` points per curve (devices may have up to 2^20 levels). */
  update(curve: { ltp: number[]; ltd: number[] }, maxPoints = 600): void {
    const points = (g: number[]) => {
      const step = Math.max(1, Math.ceil(g.length / maxPoints));
      const out: { x: number; y: number }[] = [];
      for (let i = 0; i < g.length; i += step) out.push({ x: i, y: g[i] as number });
      if ((g.length - 1) % step !== 0) out.push({ x: g.length - 1, y: g[g.length - 1] as number });
      return out;
    };
    const pr = curve.ltp.length > 80 ? 0 : 2;
    this.chart.data.datasets = [
      { label: "LTP (from Gmin)", data: points(curve.ltp), borderColor: STACK[0], backgroundColor: STACK[0], pointRadius: pr },
      { label: "LTD (from Gmax)", data: points(curve.ltd), borderColor: STACK[2], backgroundColor: STACK[2], pointRadius: pr },
    ];
    this.chart.update();
  }
}

export interface StackedBars {
  /** One bar per rule. */
  labels: string[];
  /** One stack segment per phase or component. */
  segments: { label: string; values: number[] }[];
  /** Axis and tooltip format of a value. */
  format: (v: number) => string;
}

/** Stacked bars: latency or energy per phase, or area per component, one bar per rule. */
export class CostChart {
  readonly chart: Chart;
  private format: (v: number) => string = (v) => String(v);
  constructor(canvas: HTMLCanvasElement) {
    this.chart = new Chart(canvas, {
      type: "bar",
      data: { labels: [], datasets: [] },
      options: {
        responsive: true,
        indexAxis: "y",
        scales: {
          x: { stacked: true, beginAtZero: true, ticks: { callback: (v) => this.format(Number(v)) } },
          y: { stacked: true },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 14 } },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${this.format(c.parsed.x ?? Number.NaN)}` } },
        },
      },
    });
  }

  update(bars: StackedBars): void {
    this.format = bars.format;
    this.chart.data.labels = bars.labels;
    this.chart.data.datasets = bars.segments.map((s, i) => ({
      label: s.label,
      data: s.values,
      backgroundColor: STACK[i % STACK.length],
    }));
    this.chart.update();
  }
}
