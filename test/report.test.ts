import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandSweep } from "../src/experiment/sweep.js";
import { runSweep } from "../src/experiment/sweep-run.js";
import { writeReport } from "../src/report/index.js";
import { launchChromium } from "./chromium.js";
import { bundleWorker } from "./sweep-helpers.js";

/** The fixture: BP and DFA over C2C, over depth, and a part where BP fails (a schedule it cannot run). */
const FIXTURE = {
  name: "fixture",
  description: "A small sweep for the report tests.",
  base: { model: "mlp:64-16-10", dataset: "digits", epochs: 2, device: "ideal", trainSamples: 300 },
  axes: [{ path: "algo", values: ["bp", "dfa"] }],
  parts: [
    { name: "c2c", axes: [{ path: "device.c2c", values: [0, 0.02], label: "C2C" }] },
    {
      name: "depth",
      axes: [
        {
          path: "model",
          values: ["mlp:64-16-10", "mlp:64-16-16-10", "mlp:64-16-16-16-10"],
          labels: ["1", "2", "3"],
          label: "hidden layers",
        },
      ],
    },
    { name: "bad", base: { schedule: "dfa-parallel" } },
  ],
  repeats: 2,
};

let dir: string;
let worker: { url: URL; remove: () => void };
beforeAll(async () => {
  worker = await bundleWorker();
  dir = join(mkdtempSync(join(tmpdir(), "cimlearn-report-")), "sweep");
  await runSweep(expandSweep(FIXTURE), { out: dir, workerUrl: worker.url, workers: 2, log: () => {} });
});
afterAll(() => worker?.remove());

const csv = (name: string) =>
  readFileSync(join(dir, name), "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split(","));

describe("cimlearn report", () => {
  it("writes report.html and a CSV file for every table, linked from it", () => {
    const written = writeReport(dir);
    expect(written).toMatchObject({ runs: 24, finished: 24, ok: 22, failed: 2 });
    const files = [
      "runs.csv",
      "epochs.csv",
      "alignment.csv",
      "endurance.csv",
      "points.csv",
      "costs.csv",
      "area.csv",
      "speedup.csv",
      "speedup-hardware.csv",
      "timelines.csv",
      "failures.csv",
      "findings.csv",
    ];
    expect(written.csv.map((p) => p.slice(dir.length + 1))).toEqual(files);
    const html = readFileSync(written.report, "utf8");
    for (const f of files) {
      expect(existsSync(join(dir, f))).toBe(true);
      expect(html).toContain(`<a href="${f}">`);
    }
    const runs = csv("runs.csv");
    expect(runs[0]?.slice(0, 8)).toEqual(["run", "part", "point", "repeat", "seed", "status", "algo", "model"]);
    expect(runs[0]).toContain("device.c2c");
    expect(runs).toHaveLength(25);
    expect(csv("epochs.csv")).toHaveLength(1 + 22 * 2);
    // Alignment: per ok run, the untrained network and 2 epochs × its hidden layers (c2c: 8 runs × 1; depth: 4 runs
    // each of 1, 2, 3; bad: 2 DFA runs × 1); BP's own angle is 0.
    const alignment = csv("alignment.csv");
    const ah = alignment[0] as string[];
    expect(alignment).toHaveLength(1 + 3 * (8 + 4 * (1 + 2 + 3) + 2));
    for (const row of alignment.slice(1)) {
      const angle = Number(row[ah.indexOf("update_deg")]);
      if (row[ah.indexOf("algo")] === "bp") expect(angle).toBeLessThan(1e-3);
      else expect(angle).toBeGreaterThan(1);
    }
    // Endurance: per ok run, all devices and each weight layer.
    const endurance = csv("endurance.csv");
    const eh = endurance[0] as string[];
    expect(endurance).toHaveLength(1 + 8 * 3 + 4 * (3 + 4 + 5) + 2 * 3);
    for (const row of endurance.slice(1)) expect(Number(row[eh.indexOf("max")])).toBeGreaterThanOrEqual(Number(row[eh.indexOf("p99")]));
    expect(csv("points.csv")).toHaveLength(1 + 12);
    // BP/DFA pairs per repeat: 2 C2C points + 3 depths, 2 repeats (the "bad" part's BP failed).
    const speedup = csv("speedup.csv");
    expect(speedup).toHaveLength(1 + 10);
    const h = speedup[0] as string[];
    for (const row of speedup.slice(1)) {
      expect(Number(row[h.indexOf("speedup")])).toBeCloseTo(
        Number(row[h.indexOf("bp_latency_s")]) / Number(row[h.indexOf("latency_s")]),
        9,
      );
    }
    expect(speedup.slice(1).map((r) => r[h.indexOf("depth")])).toContain("4");
    // Timelines: one BP/DFA pair per group (2 C2C points + 3 depths), drawn, and listed piece by piece.
    expect(html.match(/<figure class="timeline"/g)).toHaveLength(5);
    expect(html).toMatch(/<option value="4">depth: hidden layers=3 · dfa<\/option>/);
    const timelines = csv("timelines.csv");
    const th = timelines[0] as string[];
    expect(th).toEqual(["part", "values", "algo", "schedule", "layer", "phase", "image", "resource", "start_s", "end_s"]);
    // BP sequential: one resource, pieces back to back; DFA dfa-parallel: layers' gradients side by side.
    const bpRows = timelines.slice(1).filter((r) => r[th.indexOf("algo")] === "bp");
    expect(new Set(bpRows.map((r) => r[th.indexOf("resource")]))).toEqual(new Set(["chip"]));
    const dfaRows = timelines.slice(1).filter((r) => r[th.indexOf("schedule")] === "dfa-parallel" && r[0] === "depth");
    expect(dfaRows.some((r) => r[th.indexOf("resource")] === "feedback 1")).toBe(true);
    // The hardware study: 2 shapes × 5 assumptions × N = 2…12, each with a speed-up; removing shared resources never slows DFA down.
    const hw = csv("speedup-hardware.csv");
    const hh = hw[0] as string[];
    expect(hw).toHaveLength(1 + 2 * 5 * 11);
    const at = (shape: number, assumption: string, n: number) =>
      Number(
        hw.slice(1).filter((r) => r[hh.indexOf("assumption")] === assumption && r[hh.indexOf("n")] === String(n))[shape]?.[
          hh.indexOf("speedup")
        ],
      );
    for (const n of [2, 6, 12]) {
      expect(at(0, "wg-per-layer", n)).toBeGreaterThanOrEqual(at(0, "neurosim", n) * 0.999);
      expect(at(0, "local-buffers", n)).toBeGreaterThanOrEqual(at(0, "on-chip-accumulation", n) * 0.999);
      expect(at(0, "local-buffers", n)).toBeLessThanOrEqual(n);
    }
    const failures = readFileSync(join(dir, "failures.csv"), "utf8");
    expect(failures.trim().split("\n")).toHaveLength(3);
    expect(failures).toMatch(/schedule: ""dfa-parallel"" needs a rule/);
  });

  it("is self-contained: the chart library and data are inlined, nothing refers to the network", () => {
    const html = readFileSync(writeReport(dir).report, "utf8");
    expect(html).toMatch(/Chart\.js v4\.\d+\.\d+/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).not.toMatch(/(src|href)="https?:/);
    // Header: versions, seeds with their derivation, the full resolved sweep.
    expect(html).toContain("<dt>cimlearn</dt><dd>0.1.0</dd>");
    expect(html).toContain("1, 2 (run r of a point uses the point's seed + r");
    expect(html).toContain("The resolved sweep (sweep.json");
    expect(html).toContain("&quot;mlp:64-16-16-16-10&quot;");
  });

  it("the CLI writes the report and refuses a directory that is not a sweep", () => {
    const r = spawnSync(process.execPath, ["dist/node/cli.js", "report", dir, "--json"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ report: join(dir, "report.html"), finished: 24 });
    const empty = mkdtempSync(join(tmpdir(), "cimlearn-report-empty-"));
    const bad = spawnSync(process.execPath, ["dist/node/cli.js", "report", empty], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no sweep\.json here/);
    // The stand-in's sweep joins the findings as a column; a missing one is named.
    const joined = spawnSync(process.execPath, ["dist/node/cli.js", "report", dir, "--stand-in", dir, "--json"], { encoding: "utf8" });
    expect(joined.status, joined.stderr).toBe(0);
    expect(JSON.parse(joined.stdout).findings).toBe(join(dir, "findings.md"));
    const md = readFileSync(join(dir, "findings.md"), "utf8");
    expect(md).toMatch(/^\| Wolters et al\. \| MLP stand-in \(device update\) \| what decides it \|/);
    expect(md).toContain("| BP and DFA use the same energy | **");
    const missing = spawnSync(process.execPath, ["dist/node/cli.js", "report", dir, "--stand-in", join(empty, "nope")], {
      encoding: "utf8",
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`--stand-in ${join(empty, "nope")}: no such directory`);
  });

  it("opens in headless Chromium without the network and draws every chart; the controls redraw them", async () => {
    // The bundled CLI's report (what users open), then the one written from the source tree.
    const r = spawnSync(process.execPath, ["dist/node/cli.js", "report", dir], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const report = join(dir, "report.html");
    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await context.route("**/*", (route) => {
        requests.push(route.request().url());
        return route.request().url().startsWith("file:") ? route.continue() : route.abort();
      });
      const url = pathToFileURL(report).href;
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { __reportReady?: boolean }).__reportReady === true, null, {
        timeout: 15_000,
      });
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);

      // Speed-up 1, and per part: accuracy vs epoch, alignment vs epoch, one per swept axis, area, latency, energy.
      const ids = await page.$$eval("figure.chart", (figs) => figs.map((f) => f.getAttribute("data-chart")));
      expect(ids).toEqual([
        "speedup",
        "speedup-hardware",
        "c2c:epochs",
        "c2c:alignment",
        "c2c:axis:device.c2c",
        "c2c:area",
        "c2c:latency",
        "c2c:energy",
        "depth:epochs",
        "depth:alignment",
        "depth:axis:model",
        "depth:area",
        "depth:latency",
        "depth:energy",
        "bad:epochs",
        "bad:alignment",
        "bad:area",
        "bad:latency",
        "bad:energy",
      ]);
      // Every canvas has been drawn on.
      const inked = await page.$$eval("canvas", (canvases) =>
        canvases.map((c) => {
          const d = (c as HTMLCanvasElement)
            .getContext("2d")
            ?.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
          let n = 0;
          if (d) for (let i = 3; i < d.length; i += 4) if ((d[i] as number) > 0) n++;
          return n;
        }),
      );
      expect(inked).toHaveLength(19);
      for (const n of inked) expect(n).toBeGreaterThan(2000);

      type Win = {
        __reportCharts: { canvas: HTMLCanvasElement; data: { labels?: unknown[]; datasets: { label: string; data: unknown[] }[] } }[];
      };
      const chartData = (id: string) =>
        page.evaluate((id) => {
          const chart = (window as unknown as Win).__reportCharts.find(
            (c) => c.canvas.closest("figure")?.getAttribute("data-chart") === id,
          );
          return chart ? { labels: chart.data.labels, datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })) } : null;
        }, id);

      // Lines per algorithm with min–max bands.
      const epochs = await chartData("c2c:epochs");
      expect(epochs?.labels).toEqual(["1", "2"]);
      expect(epochs?.datasets.map((d) => d.label)).toEqual(["bp (min)", "bp (max)", "bp", "dfa (min)", "dfa (max)", "dfa"]);
      // Alignment vs epoch from the untrained network on: BP at 0°, DFA above.
      const alignment = await chartData("c2c:alignment");
      expect(alignment?.labels).toEqual(["0", "1", "2"]);
      expect(alignment?.datasets.map((d) => d.label)).toEqual(["bp", "dfa"]);
      for (const v of (alignment?.datasets[0]?.data ?? []) as number[]) expect(v).toBeLessThan(1e-3);
      for (const v of (alignment?.datasets[1]?.data ?? []) as number[]) expect(v).toBeGreaterThan(10);
      const axis = await chartData("depth:axis:model");
      expect(axis?.labels).toEqual(["1", "2", "3"]);
      // The speed-up chart has the y = N reference line over the depths.
      const speedup = await chartData("speedup");
      expect(speedup?.datasets.find((d) => d.label === "y = N")?.data).toEqual([
        { x: 2, y: 2 },
        { x: 4, y: 4 },
      ]);
      const latency = await chartData("c2c:latency");
      expect(latency?.labels).toEqual(["bp · sequential", "bp · pipelined", "dfa · sequential", "dfa · dfa-parallel", "dfa · pipelined"]);
      expect(latency?.datasets.map((d) => d.label)).toContain("gradient");

      // The hardware study: one line per assumption and y = N; the network select redraws it.
      const hwChart = await chartData("speedup-hardware");
      expect(hwChart?.datasets.map((d) => d.label)).toHaveLength(6);
      expect(hwChart?.datasets[5]?.label).toBe("y = N");
      const hwBefore = JSON.stringify(hwChart?.datasets[0]?.data);
      await page.selectOption('select[data-control="hardware-shape"]', { index: 1 });
      expect(JSON.stringify((await chartData("speedup-hardware"))?.datasets[0]?.data)).not.toBe(hwBefore);

      // The timeline picker shows one figure at a time, each a drawn SVG with bars per phase.
      const visible = () =>
        page.$$eval("figure.timeline", (fs) => fs.filter((f) => !(f as HTMLElement).hidden).map((f) => f.getAttribute("data-timeline")));
      expect(await visible()).toEqual(["0"]);
      await page.selectOption('select[data-control="timeline"]', "3");
      expect(await visible()).toEqual(["3"]);
      const phases = await page.$$eval('figure.timeline[data-timeline="3"] rect[data-phase]', (rs) => [
        ...new Set(rs.map((r) => r.getAttribute("data-phase"))),
      ]);
      expect(phases.sort()).toEqual(["error", "forward", "gradient", "update"]);

      // Picking another C2C value redraws the part's charts; the cost split and metric selects work.
      const before = JSON.stringify((await chartData("c2c:epochs"))?.datasets);
      await page.selectOption('select[data-control="dim-1"] >> nth=0', "1");
      expect(JSON.stringify((await chartData("c2c:epochs"))?.datasets)).not.toBe(before);
      await page.selectOption('select[data-control="split"] >> nth=0', "1");
      expect((await chartData("c2c:latency"))?.datasets.map((d) => d.label)).toContain("wgUnit");
      await page.selectOption('select[data-control="metric"] >> nth=0', "2");
      const energy = await chartData("c2c:axis:device.c2c");
      expect((energy?.datasets[2]?.data[0] as number) > 0 && (energy?.datasets[2]?.data[0] as number) < 1).toBe(true);
      const whole = JSON.stringify((await chartData("speedup"))?.datasets);
      await page.selectOption('select[data-control="speedup-metric"]', "backward");
      expect(JSON.stringify((await chartData("speedup"))?.datasets)).not.toBe(whole);
      expect(errors).toEqual([]);

      writeReport(dir);
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { __reportReady?: boolean }).__reportReady === true, null, {
        timeout: 15_000,
      });
      expect(await page.evaluate(() => (window as unknown as Win).__reportCharts.length)).toBe(19);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
