// Human-readable tables of a CostReport. Formatting only: SI values converted to display units.

import { COMPONENTS, type Component, PHASES } from "./account.js";
import type { CostReport } from "./index.js";

const COMPONENT_LABELS: Record<Component, string> = {
  array: "array",
  adc: "ADC",
  accumulation: "accumulation",
  buffer: "buffer",
  interconnect: "interconnect",
  wgUnit: "WG unit",
  update: "WU programming",
  dram: "DRAM",
};

const AREA_LABELS: Record<keyof CostReport["area"]["breakdown"], string> = {
  arrays: "CIM arrays",
  adc: "ADC",
  accumulation: "accumulation",
  other: "other periphery + buffers",
  interconnect: "interconnect",
  wgUnit: "weight-gradient unit",
  feedbackArrays: "feedback arrays",
  optimizerArrays: "Tiki-Taka fast arrays",
};

/** 4 significant digits, plain or exponential. */
export function sig(x: number): string {
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(3);
  return x.toPrecision(4);
}

const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : "—");

function table(rows: string[][]): string {
  const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const out = rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join("  ")
      .trimEnd(),
  );
  out.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  return out.join("\n");
}

function phaseTable(report: CostReport, what: "latency_s" | "energy_j", title: string): string {
  const total = PHASES.reduce((s, p) => s + report.phases[p][what], 0);
  const rows: string[][] = [[title, ...PHASES, "total", "share"]];
  for (const k of COMPONENTS) {
    const values = PHASES.map((p) => report.phases[p].components[k][what]);
    const sum = values.reduce((a, b) => a + b, 0);
    if (sum === 0) continue;
    rows.push([COMPONENT_LABELS[k], ...values.map(sig), sig(sum), pct(sum, total)]);
  }
  rows.push(["total", ...PHASES.map((p) => sig(report.phases[p][what])), sig(total), "100.0 %"]);
  rows.push(["share", ...PHASES.map((p) => pct(report.phases[p][what], total)), "", ""]);
  return table(rows);
}

export function formatCostReport(report: CostReport, header: string, floorplan: string): string {
  const b = report.area.breakdown;
  const areaRows: string[][] = [["Area", "mm²", "share"]];
  for (const key of Object.keys(AREA_LABELS) as (keyof typeof AREA_LABELS)[]) {
    if (b[key] === 0 && (key === "feedbackArrays" || key === "optimizerArrays")) continue;
    areaRows.push([AREA_LABELS[key], sig(b[key] * 1e6), pct(b[key], report.area.total_m2)]);
  }
  areaRows.push(["total", sig(report.area.total_m2 * 1e6), "100.0 %"]);
  const lines = [
    header,
    "",
    floorplan,
    "",
    table(areaRows),
    "",
    phaseTable(report, "latency_s", "Latency per epoch (s)"),
    "",
    phaseTable(report, "energy_j", "Energy per epoch (J)"),
    "",
    `Training time per epoch: ${sig(report.total.latency_s)} s   energy: ${sig(report.total.energy_j)} J (dynamic ${sig(report.total.energy_j - report.leakage_j)} J + leakage ${sig(report.leakage_j)} J)`,
    `Operations per epoch: ${sig(report.operations)}   throughput: ${sig(report.tops)} TOPS   efficiency: ${sig(report.tops_per_w)} TOPS/W`,
  ];
  lines.push(describeSchedule(report));
  const s = report.speedup;
  if (s) {
    lines.push(
      `Speed-up over BP on the same chip (BP ${s.schedule}): ${s.total.toFixed(2)}× per epoch, ${s.backward.toFixed(2)}× for error + gradient + update`,
    );
    if (s.same_timeline) {
      lines.push(
        `  over BP on the same timeline (BP's dependencies, the same overlap): ${s.same_timeline.total.toFixed(2)}× per epoch, ${s.same_timeline.backward.toFixed(2)}× for error + gradient + update`,
      );
    }
    const a = s.amdahl;
    lines.push(
      `  Amdahl: ${(100 * a.parallel_fraction).toFixed(1)} % of BP's sequential epoch is error and gradient work${report.timeline.options.updates === "overlapped" ? " and updates" : ""} a rule could spread over its ${a.layers} layers; with equal shares and nothing shared that allows at most ${a.bound.toFixed(2)}× (N = ${a.layers} only if it were all of the epoch)`,
    );
  }
  return lines.join("\n");
}

/** The schedule as the hardware assumptions it stands for. */
export function describeSchedule(report: CostReport): string {
  const o = report.timeline.options;
  const h = report.timeline.hardware;
  const overlap =
    o.overlap === "none"
      ? "one thing at a time (DNN+NeuroSim)"
      : `work starts once its inputs are ready and its hardware is free; ${o.pipelineImages ? "images pipelined through the layers" : "one image at a time"}; updates ${o.updates === "overlapped" ? "of all layers at once" : "one layer after another"}`;
  const hardware = [
    h.wgUnit === "shared" ? "one shared weight-gradient unit" : "a weight-gradient unit per layer",
    h.accumulation === "dram" ? "per-image gradients summed through DRAM" : "gradients summed on chip",
    h.backwardBuffers === "global" ? "backward data in the global buffer" : "backward data in a buffer per layer",
  ].join(", ");
  return `Schedule ${report.schedule}: ${overlap}. Hardware: ${hardware}. Batch: ${sig(report.timeline.batch_s)} s on the critical path.`;
}
