// `cimlearn report DIR`: one self-contained HTML file (Chart.js and the data inlined, nothing fetched)
// with interactive charts, and the report's tables as CSV files beside it.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ganttSvg } from "../cost/gantt.js";
import { CimlearnError } from "../engine/errors.js";
import { removeStaleTmpFiles, writeAtomically } from "../experiment/sweep-store.js";
import { si } from "../units.js";
import { reportClient } from "./client.js";
import { type CsvTable, reportTables, toCsv } from "./csv.js";
import { type ReportData, readReportData, type Spread } from "./data.js";
import { type Findings, findingsMarkdown, woltersFindings } from "./wolters.js";

export { type ReportData, readReportData } from "./data.js";

/** Chart.js's browser build (UMD, minified) and its version, from the installed package. */
export function chartJsSource(): { source: string; version: string } {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve("chart.js");
  } catch (error) {
    throw new CimlearnError(
      `the report needs the chart.js package, which is not installed (${(error as Error).message}); run \`npm install\``,
    );
  }
  const path = join(dirname(entry), "chart.umd.min.js");
  let source: string;
  try {
    source = readFileSync(path, "utf8");
  } catch (error) {
    throw new CimlearnError(
      `cannot read Chart.js's browser build ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  const version = /Chart\.js v(\d+\.\d+\.\d+)/.exec(source)?.[1] ?? "unknown";
  return { source, version };
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Text safe inside a <script> element: no "</script" (or "<!--") can end it early. */
const scriptSafe = (text: string) => text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");

const pct = (s: Spread | undefined) =>
  s ? `${(s.mean * 100).toFixed(2)} % [${(s.min * 100).toFixed(2)}–${(s.max * 100).toFixed(2)}]` : "–";

function table(header: string[], rows: string[][]): string {
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #222; background: #fafafa; }
header, main { max-width: 1400px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 16px; }
h1 { margin: 0.3em 0; font-size: 1.6em; }
h2 { margin: 1.2em 0 0.4em; font-size: 1.25em; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; }
dl.facts dt { color: #666; }
dl.facts dd { margin: 0; }
pre { background: #f0f0f0; padding: 8px; overflow: auto; max-height: 420px; font-size: 12px; }
.controls { display: flex; flex-wrap: wrap; gap: 8px 18px; margin: 8px 0; }
.controls label { color: #444; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 12px; }
figure.chart { margin: 0; background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 8px 10px; }
figure.chart figcaption { font-weight: 600; font-size: 13px; margin-bottom: 4px; }
.canvas-holder { position: relative; height: 300px; }
#speedup figure.chart { max-width: 900px; }
table { border-collapse: collapse; font-size: 12px; margin: 6px 0; background: #fff; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; }
th { background: #f3f3f3; }
.note { color: #666; }
ul.csv { columns: 2; }
`;

function partSection(data: ReportData, partNo: number): string {
  const part = data.parts[partNo] as ReportData["parts"][number];
  const points = part.points.map((i) => data.points[i] as ReportData["points"][number]);
  const dims = part.dimensions.filter((_, i) => i !== part.algoDimension);
  const ok = points.reduce((s, p) => s + p.ok, 0);
  const failed = points.reduce((s, p) => s + p.failed, 0);
  const runs = points.reduce((s, p) => s + p.runs, 0);
  const rows = points.map((p) => [
    p.series,
    ...dims.map((d) => d.labels[p.steps[part.dimensions.indexOf(d)] as number] ?? ""),
    `${p.ok}/${p.runs}${p.failed ? ` (${p.failed} failed)` : ""}`,
    pct(p.accuracy),
    si(p.latency?.mean, "s"),
    si(p.energy?.mean, "J"),
    p.area ? `${(p.area.mean * 1e6).toPrecision(3)} mm²` : "–",
    p.alignment ? p.alignment.map((a) => `${a.toFixed(1)}°`).join(", ") : "–",
    p.writesMax ? p.writesMax.mean.toFixed(0) : "–",
    p.lifetime ? `${p.lifetime.mean.toPrecision(3)} epochs` : p.writesMax ? "endurance unknown" : "–",
  ]);
  const title = part.name ? `Part “${part.name}”` : "Results";
  const dimText = part.dimensions.map((d) => `${d.label} (${d.labels.length})`).join(" × ") || "no axes";
  return `<section class="part">
<h2>${escapeHtml(title)}</h2>
${part.description ? `<p>${escapeHtml(part.description)}</p>` : ""}
<p class="note">${escapeHtml(dimText)}: ${points.length} points, ${ok} of ${runs} runs finished ok${failed ? `, ${failed} failed` : ""}. Pick the other axes' values below; every chart follows. Click a legend entry to hide a line.</p>
<div id="part-${partNo}"></div>
<details><summary>Table: final test accuracy (mean [min–max] over repeats), cost per epoch, alignment with BP and write endurance, per point</summary>
${table(["algorithm", ...dims.map((d) => d.label), "runs ok", "test accuracy", "latency / epoch", "energy / epoch", "area", "update vs BP (last epoch, per hidden layer)", "max writes / device", "lifetime at this rate"], rows)}
</details>
</section>`;
}

/** One batch on the chip, BP (sequential) over the rule (dfa-parallel), drawn server-side; a select picks the point. */
function timelineSection(data: ReportData): string {
  if (data.timelines.length === 0) return "";
  const options = data.timelines
    .map((t, i) => `<option value="${i}">${escapeHtml(`${t.part}: ${t.values || "—"} · ${t.algo}`)}</option>`)
    .join("");
  const figures = data.timelines
    .map((t, i) => {
      const svg = ganttSvg([
        { title: "bp · sequential", ...t.bp },
        { title: `${t.algo} · dfa-parallel`, ...t.rule },
      ]);
      return `<figure class="timeline" data-timeline="${i}"${i === 0 ? "" : " hidden"}>${svg}</figure>`;
    })
    .join("\n");
  return `<section>
<h2>One batch on the chip: BP's timeline and the rule's</h2>
<p class="note">Each row is a piece of hardware (a layer's weight or feedback arrays, the weight-gradient unit(s), the global buffer, DRAM); each bar a layer's forward, error, gradient or update work, on one time axis. What overlaps is what the rule's dependencies and the hardware allow (the schedule's options and the chip's are listed with each run's cost).</p>
<label>Point: <select id="timeline-select" data-control="timeline">${options}</select></label>
${figures}
</section>`;
}

const VERDICT_COLOUR = { reproduced: "#e6f4ea", "not reproduced": "#fdecea", "not testable": "#f3f3f3" } as const;

/** "Reproducing Wolters et al.": one row per finding, a verdict per setting, what decides it. */
function findingsSection(f: Findings | undefined): string {
  if (!f) return "";
  const head = ["Wolters et al.", ...f.columns.map((c) => `${c.title} (${c.sweep})`), "what decides it"];
  const rows = f.findings
    .map((x) => {
      const cells = x.cells
        .map((c) => `<td style="background:${VERDICT_COLOUR[c.verdict]}"><b>${escapeHtml(c.verdict)}</b>: ${escapeHtml(c.text)}</td>`)
        .join("");
      return `<tr><td>${escapeHtml(x.claim)}<div class="note">${escapeHtml(x.criterion)}</div></td>${cells}<td>${escapeHtml(x.explanation)}</td></tr>`;
    })
    .join("\n");
  return `<section id="wolters">
<h2>Reproducing Wolters et al.</h2>
<p class="note">The findings of Wolters et al., “Biologically Plausible Learning on Neuromorphic Hardware Architectures” (MWSCAS 2023), checked on each setting these sweeps hold; neighbouring settings differ in one group of factors (network and data; update recipe), so where their verdicts differ, that group decides the finding. Also in findings.md and findings.csv beside this file.</p>
<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>
${rows}
</tbody></table>
${f.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join("\n")}
</section>`;
}

export function renderReport(data: ReportData, chartjs: string, tables: CsvTable[], findings?: Findings): string {
  const client = {
    points: data.points,
    parts: data.parts,
    speedup: { series: data.speedup.series },
    hardware: data.hardware,
  };
  const seeds =
    data.repeats > 1
      ? `${data.seeds.join(", ")} (run r of a point uses the point's seed + r, r = 0…${data.repeats - 1})`
      : data.seeds.join(", ");
  const facts: [string, string][] = [
    ["cimlearn", data.versions.join(", ")],
    ["Node.js", data.node],
    ["Chart.js", data.chartjs],
    ["started", data.created],
    ["report written", data.generated],
    [
      "runs",
      `${data.finished} of ${data.total} finished: ${data.ok} ok, ${data.failed} failed${data.finished < data.total ? " (the sweep is incomplete; rerun it to resume)" : ""}`,
    ],
    ["repeats", String(data.repeats)],
    ["seeds", seeds],
    ["directory", data.dir],
  ];
  const failures =
    data.failures.length === 0
      ? `<p class="note">No run failed.</p>`
      : table(
          ["run", "values", "seed", "error"],
          data.failures.map((f) => [f.run, f.values, String(f.seed), f.error]),
        );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cimlearn report: ${escapeHtml(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>cimlearn report: ${escapeHtml(data.title)}</h1>
${data.description ? `<p>${escapeHtml(data.description)}</p>` : ""}
<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>
<p>Tables as CSV (beside this file):</p>
<ul class="csv">${tables.map((t) => `<li><a href="${escapeHtml(t.file)}">${escapeHtml(t.file)}</a>: ${escapeHtml(t.description)} (${t.rows.length} rows)</li>`).join("")}</ul>
<details><summary>The sweep file</summary><pre>${escapeHtml(JSON.stringify(data.manifest.sweep, null, 2))}</pre></details>
<details><summary>The resolved sweep (sweep.json: every point's full config, every run's seed)</summary><pre>${escapeHtml(JSON.stringify(data.manifest, null, 2))}</pre></details>
</header>
<main>
${findingsSection(findings)}
<section>
<h2>DFA over BP: training-time speed-up vs depth</h2>
<p class="note">Latency per epoch of BP on the sequential schedule over the rule's on the dfa-parallel schedule, from each pair of runs at the same point and seed (the chip's cost model on the runs' counted events). Band: min–max over the pairs.</p>
<div id="speedup"></div>
</section>
<section>
<h2>What the speed-up needs: DFA over BP vs depth, per hardware assumption</h2>
<p class="note">From the cost model alone (no run), on the sweep's chip: ${escapeHtml(data.hardware.basis)}. MLPs of ${data.hardware.width}-wide layers, N = 2…12 weight layers, DFA on the dfa-parallel schedule over BP on the sequential one (with images pipelined: over BP pipelined on the same hardware). Each assumption removes one shared resource from the backward path: ${escapeHtml(data.hardware.assumptions.map((a) => a.label).join("; "))}. Dashed: y = N.</p>
<div id="speedup-hardware"></div>
</section>
${timelineSection(data)}
<div id="parts">
${data.parts.map((_, i) => partSection(data, i)).join("\n")}
</div>
<section>
<h2>Failed runs</h2>
${failures}
</section>
</main>
<script>${scriptSafe(chartjs)}</script>
<script id="report-data" type="application/json">${JSON.stringify(client).replace(/</g, "\\u003c")}</script>
<script>(${scriptSafe(reportClient.toString())})();</script>
</body>
</html>
`;
}

export interface WrittenReport {
  report: string;
  /** findings.md, when the sweeps hold parts the findings of Wolters et al. can be checked on. */
  findings?: string;
  csv: string[];
  runs: number;
  finished: number;
  ok: number;
  failed: number;
}

/**
 * Writes DIR/report.html and the CSV tables beside it, each through a temporary file and a rename
 * (leftovers of a report that was killed are removed first). A folder that cannot be written is
 * one line naming the file and the reason. `standIn`: a BP-vs-DFA sweep on the MLP stand-in whose
 * results join the findings table as their own column.
 */
export function writeReport(dir: string, options: { standIn?: string } = {}): WrittenReport {
  const { source, version } = chartJsSource();
  const data = readReportData(dir, { chartjs: version });
  const standIn = options.standIn === undefined ? undefined : readReportData(options.standIn, { chartjs: version });
  const findings = woltersFindings(data, standIn);
  const tables = reportTables(data, findings);
  const outputs = ["report.html", ...tables.map((t) => t.file), ...(findings ? ["findings.md"] : [])];
  removeStaleTmpFiles(dir, outputs, false);
  const csv: string[] = [];
  for (const t of tables) {
    const path = join(dir, t.file);
    writeAtomically(path, toCsv(t.header, t.rows), `write the table ${t.file}`);
    csv.push(path);
  }
  const report = join(dir, "report.html");
  writeAtomically(report, renderReport(data, source, tables, findings), "write the report");
  const written: WrittenReport = { report, csv, runs: data.total, finished: data.finished, ok: data.ok, failed: data.failed };
  if (findings) {
    written.findings = join(dir, "findings.md");
    writeAtomically(written.findings, `${findingsMarkdown(findings)}\n`, "write the findings");
  }
  return written;
}
