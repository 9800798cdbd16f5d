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
    if (b[key] === 0 && key === "feedbackArrays") continue;
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
  if (report.speedup) {
    lines.push(
      `Speed-up over BP on the same chip (${report.speedup.schedule} schedule): ${report.speedup.total.toFixed(2)}× per epoch, ${report.speedup.backward.toFixed(2)}× for error + gradient + update`,
    );
  }
  return lines.join("\n");
}
