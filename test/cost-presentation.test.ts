// The cost model's presentation layer read back against the report it presents: the text tables
// (src/cost/format.ts), the timeline picture (src/cost/gantt.ts), the speed-up study
// (src/cost/speedup-study.ts) and the explanations (src/cost/explain.ts). Expected values are
// computed here from the report's own numbers or from closed forms, not from the formatter.

import { describe, expect, it } from "vitest";
import { COMPONENTS, PHASES } from "../src/cost/account.js";
import { explainCost } from "../src/cost/explain.js";
import { describeSchedule, formatCostReport, sig } from "../src/cost/format.js";
import { type GanttChart, ganttSvg } from "../src/cost/gantt.js";
import { costInputOf, estimateCost } from "../src/cost/index.js";
import { HARDWARE_ASSUMPTIONS, speedupStudy, studyModel } from "../src/cost/speedup-study.js";
import { costOf, costSettings } from "./helpers.js";

const NO_SHARING = { wgUnit: { sharing: "per-layer", accumulation: "on-chip" }, buffers: { backward: "local" } };

const settings = costSettings;
const cost = costOf;

/** The cells of a text table's row that starts with `label` (columns are separated by two or more spaces). */
function row(text: string, label: string, after = ""): string[] {
  const from = after ? text.indexOf(after) : 0;
  const line = text
    .slice(from)
    .split("\n")
    .find((l) => l.startsWith(`${label}  `) || l === label);
  if (!line) throw new Error(`no row "${label}"`);
  return line.split(/ {2,}/);
}

const share = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`;

describe("sig: four significant digits", () => {
  it("plain between 1e-3 and 1e5, exponential outside, zero as 0, the sign kept", () => {
    expect(sig(0)).toBe("0");
    expect(sig(1)).toBe("1.000");
    expect(sig(0.001)).toBe("0.001000");
    expect(sig(0.000999)).toBe("9.990e-4");
    expect(sig(99994)).toBe("9.999e+4");
    expect(sig(100000)).toBe("1.000e+5");
    expect(sig(123456)).toBe("1.235e+5");
    expect(sig(-2.5)).toBe("-2.500");
    expect(sig(-0.0001234)).toBe("-1.234e-4");
    expect(sig(-123456)).toBe("-1.235e+5");
  });
});

// Every test computes its own report: StrykerJS (npm run mutate) runs only the tests that cover a
// mutant, and work done while the file is collected belongs to none.
const dfaReport = () => cost("mlp:784-256-128-10", "dfa", "dfa-parallel", {}, { feedback: { storage: "crossbar" } });

describe("formatCostReport", () => {
  it("starts with the header and the floorplan, then the area table: each part in mm² and its share of the total", () => {
    const dfa = dfaReport();
    const text = formatCostReport(dfa, "HEADER LINE", "FLOORPLAN BLOCK");
    expect(text.startsWith("HEADER LINE\n\nFLOORPLAN BLOCK\n\n")).toBe(true);
    const b = dfa.area.breakdown;
    expect(row(text, "CIM arrays")).toEqual(["CIM arrays", sig(b.arrays * 1e6), share(b.arrays, dfa.area.total_m2)]);
    expect(row(text, "ADC")).toEqual(["ADC", sig(b.adc * 1e6), share(b.adc, dfa.area.total_m2)]);
    expect(row(text, "weight-gradient unit")).toEqual(["weight-gradient unit", sig(b.wgUnit * 1e6), share(b.wgUnit, dfa.area.total_m2)]);
    expect(row(text, "total")).toEqual(["total", sig(dfa.area.total_m2 * 1e6), "100.0 %"]);
    // Feedback arrays exist for DFA on crossbars; no Tiki-Taka arrays without that optimizer.
    expect(b.feedbackArrays).toBeGreaterThan(0);
    expect(row(text, "feedback arrays")[1]).toBe(sig(b.feedbackArrays * 1e6));
    expect(text).not.toContain("Tiki-Taka");
    const bp = formatCostReport(cost("mlp:784-256-128-10", "bp", "sequential"), "", "");
    expect(bp).not.toContain("feedback arrays");
  });

  it("latency and energy tables: each component per phase, its total and share; the phase totals and shares; all-zero components left out", () => {
    const dfa = dfaReport();
    const text = formatCostReport(dfa, "HEADER LINE", "FLOORPLAN BLOCK");
    for (const [what, title] of [
      ["latency_s", "Latency per epoch (s)"],
      ["energy_j", "Energy per epoch (J)"],
    ] as const) {
      const header = row(text, title);
      expect(header).toEqual([title, ...PHASES, "total", "share"]);
      const total = PHASES.reduce((s, p) => s + dfa.phases[p][what], 0);
      const labels: Record<string, string> = { adc: "ADC", wgUnit: "WG unit", update: "WU programming", dram: "DRAM" };
      let listed = 0;
      for (const k of COMPONENTS) {
        const values = PHASES.map((p) => dfa.phases[p].components[k][what]);
        const sum = values.reduce((a, b) => a + b, 0);
        const label = labels[k] ?? k;
        if (sum === 0) continue;
        listed++;
        expect(row(text, label, title), `${title} ${k}`).toEqual([label, ...values.map(sig), sig(sum), share(sum, total)]);
      }
      expect(listed).toBeGreaterThan(4);
      expect(row(text, "total", title)).toEqual(["total", ...PHASES.map((p) => sig(dfa.phases[p][what])), sig(total), "100.0 %"]);
      expect(row(text, "share", title)).toEqual(["share", ...PHASES.map((p) => share(dfa.phases[p][what], total))]);
    }
    // The separator under each header is as wide as each column.
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.startsWith("Latency per epoch (s)"));
    const widths = (lines[at + 1] as string).split("  ").map((d) => d.length);
    expect((lines[at + 1] as string).replace(/[- ]/g, "")).toBe("");
    for (const line of lines.slice(at + 2, lines.indexOf("", at))) {
      // Right-aligned numbers end at their column's edge.
      expect(line.length).toBeLessThanOrEqual(widths.reduce((a, b) => a + b + 2, -2));
    }
    expect(lines[at]?.length).toBe(widths.reduce((a, b) => a + b + 2, -2));
  });

  it("a component whose every phase is zero gets no row", () => {
    const bp = cost("mlp:784-128-10", "bp", "sequential", {}, { feedback: { storage: "crossbar" } });
    const zero = COMPONENTS.filter((k) => PHASES.every((p) => bp.phases[p].components[k].energy_j === 0));
    const t = formatCostReport(bp, "", "");
    const energy = t.slice(t.indexOf("Energy per epoch (J)"));
    for (const k of zero) expect(energy).not.toMatch(new RegExp(`^${k === "dram" ? "DRAM" : k}  `, "m"));
  });

  it("the totals line, the operations line, the schedule and the speed-up with Amdahl's bound", () => {
    const dfa = dfaReport();
    const text = formatCostReport(dfa, "HEADER LINE", "FLOORPLAN BLOCK");
    const t = dfa.total;
    expect(text).toContain(
      `Training time per epoch: ${sig(t.latency_s)} s   energy: ${sig(t.energy_j)} J (dynamic ${sig(t.energy_j - dfa.leakage_j)} J + leakage ${sig(dfa.leakage_j)} J)`,
    );
    expect(text).toContain(
      `Operations per epoch: ${sig(dfa.operations)}   throughput: ${sig(dfa.tops)} TOPS   efficiency: ${sig(dfa.tops_per_w)} TOPS/W`,
    );
    expect(text).toContain(describeSchedule(dfa));
    const s = dfa.speedup;
    if (!s) throw new Error("DFA has a speed-up over BP");
    expect(text).toContain(
      `Speed-up over BP on the same chip (BP sequential): ${s.total.toFixed(2)}× per epoch, ${s.backward.toFixed(2)}× for error + gradient + update`,
    );
    expect(text).toContain(
      `over BP on the same timeline (BP's dependencies, the same overlap): ${s.same_timeline?.total.toFixed(2)}× per epoch`,
    );
    const a = s.amdahl;
    expect(text).toContain(
      `Amdahl: ${(100 * a.parallel_fraction).toFixed(1)} % of BP's sequential epoch is error and gradient work and updates a rule could spread over its ${a.layers} layers; with equal shares and nothing shared that allows at most ${a.bound.toFixed(2)}× (N = ${a.layers} only if it were all of the epoch)`,
    );
    // BP has no speed-up over itself; the sequential schedule has no same-timeline comparison.
    const bp = formatCostReport(cost("mlp:784-256-128-10", "bp", "sequential"), "", "");
    expect(bp).not.toContain("Speed-up");
    const fa = cost("mlp:784-256-128-10", "fa", "sequential");
    const faText = formatCostReport(fa, "", "");
    expect(faText).toContain("Speed-up over BP on the same chip (BP sequential): 1.00×");
    expect(faText).not.toContain("same timeline");
  });

  it("Amdahl's sentence names the updates only when the schedule overlaps them (dfa-parallel does by default)", () => {
    expect(dfaReport().timeline.options.updates).toBe("overlapped");
    const r = cost("mlp:784-256-128-10", "dfa", "dfa-parallel", NO_SHARING, { scheduleOptions: { updates: "serialized" } });
    expect(r.timeline.options.updates).toBe("serialized");
    expect(formatCostReport(r, "", "")).toContain("is error and gradient work a rule could spread");
  });
});

describe("describeSchedule", () => {
  it("DNN+NeuroSim's sequential schedule on its chip", () => {
    const r = cost("mlp:784-256-10", "bp", "sequential");
    expect(describeSchedule(r)).toBe(
      `Schedule sequential: one thing at a time (DNN+NeuroSim). Hardware: one shared weight-gradient unit, per-image gradients summed through DRAM, backward data in the global buffer. Batch: ${sig(r.timeline.batch_s)} s on the critical path.`,
    );
  });

  it("overlapping schedules name what overlaps; each hardware option names its part", () => {
    const dfa = cost("mlp:784-256-10", "dfa", "dfa-parallel", NO_SHARING);
    expect(describeSchedule(dfa)).toBe(
      `Schedule dfa-parallel: work starts once its inputs are ready and its hardware is free; one image at a time; updates of all layers at once. Hardware: a weight-gradient unit per layer, gradients summed on chip, backward data in a buffer per layer. Batch: ${sig(dfa.timeline.batch_s)} s on the critical path.`,
    );
    const piped = cost("mlp:784-256-10", "bp", "pipelined", NO_SHARING, { scheduleOptions: { updates: "overlapped" } });
    expect(describeSchedule(piped)).toContain("images pipelined through the layers; updates of all layers at once.");
    const serial = cost("mlp:784-256-10", "bp", "pipelined", NO_SHARING);
    expect(describeSchedule(serial)).toContain("images pipelined through the layers; updates one layer after another.");
  });
});

describe("ganttSvg", () => {
  const chart: GanttChart = {
    title: 'A <B> & "C"',
    images_shown: 1,
    batch_s: 2e-6,
    segments: [
      { layer: 0, phase: "forward", image: 0, resource: "arrays 1", start_s: 0, end_s: 1e-6 },
      { layer: 1, phase: "forward", image: 0, resource: "arrays 2", start_s: 1e-6, end_s: 1.5e-6 },
      { layer: 1, phase: "error", image: 0, resource: "WG unit", start_s: 1.5e-6, end_s: 2e-6 },
      { layer: 0, phase: "update", image: -1, resource: "update", start_s: 3e-6, end_s: 3.2e-6 },
      { layer: 1, phase: "update", image: -1, resource: "update", start_s: 3.2e-6, end_s: 3.6e-6 },
    ],
  };
  const width = 880;
  const left = 110;
  const plot = width - left - 10 - 24;
  const imageW = plot * 0.62;
  const updateX = left + imageW + 24;
  const updateW = plot - imageW;
  const draw = () => {
    const svg = ganttSvg([chart], width);
    const rects = [
      ...svg.matchAll(
        /<rect x="([\d.]+)" y="(\d+)" width="([\d.]+)" height="12" fill="([^"]+)" data-phase="(\w+)" data-layer="(\d)"><title>([^<]*)<\/title>/g,
      ),
    ];
    return { svg, rects };
  };

  it("each image's work on a shared time axis: x and width proportional to start and duration", () => {
    const { rects } = draw();
    expect(rects).toHaveLength(5);
    const [f1, f2, e2] = rects;
    expect(Number(f1?.[1])).toBeCloseTo(left, 2);
    expect(Number(f1?.[3])).toBeCloseTo(imageW / 2, 2);
    expect(Number(f2?.[1])).toBeCloseTo(left + imageW / 2, 2);
    expect(Number(f2?.[3])).toBeCloseTo(imageW / 4, 2);
    expect(Number(e2?.[1])).toBeCloseTo(left + (imageW * 3) / 4, 2);
    expect(f1?.[4]).toBe("#4e79a7");
    expect(e2?.[4]).toBe("#f28e2b");
    expect(f1?.[7]).toBe("layer 1 forward, image 1: 1 µs");
    expect(e2?.[7]).toBe("layer 2 error, image 1: 500 ns");
  });

  it("the updates from where they start, on their own axis, in their own colour", () => {
    const { rects } = draw();
    const [, , , u1, u2] = rects;
    expect(Number(u1?.[1])).toBeCloseTo(updateX, 2);
    expect(Number(u1?.[3])).toBeCloseTo(updateW / 3, 2);
    expect(Number(u2?.[1])).toBeCloseTo(updateX + updateW / 3, 2);
    expect(Number(u2?.[3])).toBeCloseTo((updateW * 2) / 3, 2);
    expect(u1?.[4]).toBe("#e15759");
    expect(u1?.[7]).toBe("layer 1 update: 200 ns");
  });

  it("rows: arrays in layer order, then the WG unit, then the updates; labels escaped; axis ticks in SI units", () => {
    const { svg, rects } = draw();
    const labels = [...svg.matchAll(/<text x="104" y="(\d+)" font-size="11" text-anchor="end">([^<]+)<\/text>/g)].map((m) => m[2]);
    expect(labels).toEqual(["arrays 1", "arrays 2", "WG unit", "update"]);
    // Each bar sits in its resource's row.
    const rowOf = (i: number) => (Number(rects[i]?.[2]) - 2 - 52) / 16;
    expect([0, 1, 2, 3, 4].map(rowOf)).toEqual([0, 1, 2, 3, 3]);
    expect(svg).toContain("A &lt;B> &amp; &quot;C&quot;");
    expect(svg).toContain("one image drawn (the batch's others repeat it); batch: 2 µs on the critical path");
    const ticks = [...svg.matchAll(/fill="#555">([^<]+)<\/text>/g)].map((m) => m[1]).slice(-10);
    expect(ticks).toEqual(["0 ns", "500 ns", "1 µs", "1.5 µs", "2 µs", "0 ns", "150 ns", "300 ns", "450 ns", "600 ns"]);
    // Numbers on bars only where they fit (wider than 14 px): all five bars here.
    expect([...svg.matchAll(/font-size="9" fill="#fff" text-anchor="middle">(\d)</g)].map((m) => m[1])).toEqual(["1", "2", "2", "1", "2"]);
    // Height: the header (18), the chart's title (34) and 4 rows of 16 plus 10, the axis (18), the legend (16).
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="gantt" width="880" height="160" viewBox="0 0 880 160"/);
    // Tick anchors: the first at its start, the last at its end; row lines span each plot.
    const anchors = [...svg.matchAll(/text-anchor="(\w+)" fill="#555">/g)].map((m) => m[1]).slice(-10);
    expect(anchors).toEqual(["start", "middle", "middle", "middle", "end", "start", "middle", "middle", "middle", "end"]);
    expect(svg).toContain(`<line x1="110" x2="${(left + imageW).toString()}" y1="68" y2="68" stroke="#eee"/>`);
    expect(svg).toContain(`<line x1="${updateX}" x2="${updateX + updateW}" y1="68" y2="68" stroke="#eee"/>`);
  });

  it("rows sort by kind whatever order the work lists them in; a millisecond axis", () => {
    const shuffled: GanttChart = {
      title: "t",
      images_shown: 1,
      batch_s: 2e-3,
      segments: [
        { layer: 1, phase: "update", image: -1, resource: "update", start_s: 3e-3, end_s: 4e-3 },
        { layer: 1, phase: "gradient", image: 0, resource: "dram", start_s: 1.5e-3, end_s: 2e-3 },
        { layer: 1, phase: "gradient", image: 0, resource: "WG unit", start_s: 1e-3, end_s: 1.5e-3 },
        { layer: 1, phase: "error", image: 0, resource: "global buffer", start_s: 1e-3, end_s: 1.2e-3 },
        { layer: 1, phase: "forward", image: 0, resource: "arrays 2", start_s: 5e-4, end_s: 1e-3 },
        { layer: 0, phase: "error", image: 0, resource: "feedback 1", start_s: 1e-3, end_s: 1.1e-3 },
        { layer: 0, phase: "forward", image: 0, resource: "arrays 1", start_s: 0, end_s: 5e-4 },
        { layer: 0, phase: "forward", image: 0, resource: "chip", start_s: 0, end_s: 1e-4 },
        { layer: 0, phase: "forward", image: 0, resource: "something else", start_s: 0, end_s: 1e-4 },
      ],
    };
    const svg = ganttSvg([shuffled]);
    const labels = [...svg.matchAll(/text-anchor="end">([^<]+)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(["chip", "arrays 1", "arrays 2", "feedback 1", "WG unit", "global buffer", "dram", "update", "something else"]);
    const ticks = [...svg.matchAll(/fill="#555">([^<]+)<\/text>/g)].map((m) => m[1]).slice(-10);
    expect(ticks.slice(0, 5)).toEqual(["0 ns", "500 µs", "1 ms", "1.5 ms", "2 ms"]);
    expect(ticks.slice(5)).toEqual(["0 ns", "250 µs", "500 µs", "750 µs", "1 ms"]);
  });

  it("several charts share one axis, so the shorter schedule draws shorter; many images are named as such", () => {
    const fast: GanttChart = {
      title: "fast",
      images_shown: 3,
      batch_s: 1e-6,
      segments: [{ layer: 0, phase: "gradient", image: 2, resource: "arrays 1", start_s: 0, end_s: 1e-6 }],
    };
    const two = ganttSvg([chart, fast], width);
    const bars = [...two.matchAll(/<rect x="([\d.]+)" y="(\d+)" width="([\d.]+)" height="12" fill="([^"]+)"/g)];
    const last = bars[bars.length - 1];
    expect(Number(last?.[3])).toBeCloseTo(imageW / 2, 2);
    expect(last?.[4]).toBe("#59a14f");
    expect(two).toContain("the batch's first 3 images drawn (the others follow)");
    // A very short bar still shows (half a pixel) and carries no number.
    const tiny = ganttSvg([
      { ...fast, segments: [...chart.segments, { layer: 4, phase: "forward", image: 0, resource: "arrays 5", start_s: 0, end_s: 1e-12 }] },
    ]);
    expect(tiny).toMatch(/width="0\.50" height="12" fill="#4e79a7" data-phase="forward" data-layer="5"/);
  });
});

describe("speedupStudy", () => {
  const base = settings("dfa", "dfa-parallel");

  it("studyModel: `equal` has n layers of width × width; `input` reads the inputs and ends in the classes", () => {
    expect(studyModel({ kind: "equal", width: 64 }, 3)).toBe("mlp:64-64-64-64");
    expect(studyModel({ kind: "input", inputs: 784, width: 100, classes: 10 }, 1)).toBe("mlp:784-10");
    expect(studyModel({ kind: "input", inputs: 784, width: 100, classes: 10 }, 3)).toBe("mlp:784-100-100-10");
  });

  it("a point per shape, assumption and depth, each the cost model's DFA-over-BP on that hardware", () => {
    const shapes = [
      { name: "equal", shape: { kind: "equal" as const, width: 64 } },
      { name: "input", shape: { kind: "input" as const, inputs: 784, width: 64, classes: 10 } },
    ];
    const points = speedupStudy(base, { depths: [2, 3], shapes });
    expect(points).toHaveLength(2 * HARDWARE_ASSUMPTIONS.length * 2);
    expect(points.map((p) => `${p.shape} ${p.assumption} ${p.n}`).slice(0, 4)).toEqual([
      "equal neurosim 2",
      "equal neurosim 3",
      "equal wg-per-layer 2",
      "equal wg-per-layer 3",
    ]);
    for (const p of points.filter((q) => q.n === 3)) {
      const a = HARDWARE_ASSUMPTIONS.find((h) => h.id === p.assumption);
      if (!a) throw new Error(p.assumption);
      const chip = {
        wgUnit: { sharing: a.chip.wgUnit.sharing, accumulation: a.chip.wgUnit.accumulation },
        buffers: { backward: a.chip.buffers.backward },
      };
      const r = cost(p.model, "dfa", "dfa-parallel", chip, { scheduleOptions: { pipelineImages: a.pipelineImages } });
      const vs = a.pipelineImages ? r.speedup?.same_timeline : r.speedup;
      expect(p.total, `${p.shape} ${p.assumption} ${p.n}`).toBeCloseTo(vs?.total as number, 12);
      expect(p.backward).toBeCloseTo(vs?.backward as number, 12);
      expect(p.bound).toBeCloseTo(r.speedup?.amdahl.bound as number, 12);
    }
  });

  it("the paper's claim holds only when nothing is shared: the backward speed-up approaches N there, and is smaller on DNN+NeuroSim's chip", () => {
    const assumptions = HARDWARE_ASSUMPTIONS.filter((a) => a.id === "neurosim" || a.id === "local-buffers");
    const points = speedupStudy(base, {
      depths: [2, 4, 8],
      shapes: [{ name: "equal", shape: { kind: "equal", width: 256 } }],
      assumptions,
    });
    const at = (id: string, n: number) => points.find((p) => p.assumption === id && p.n === n);
    for (const n of [2, 4, 8]) {
      const free = at("local-buffers", n);
      expect(free?.backward as number, `N = ${n}`).toBeGreaterThan(0.85 * n);
      expect(free?.backward as number).toBeLessThan(1.1 * n);
      expect(at("neurosim", n)?.backward as number).toBeLessThan(free?.backward as number);
    }
    expect(at("local-buffers", 8)?.backward as number).toBeGreaterThan(at("local-buffers", 4)?.backward as number);
  });

  it("takes the rule and a subset of the assumptions", () => {
    const one = [HARDWARE_ASSUMPTIONS[3] as (typeof HARDWARE_ASSUMPTIONS)[number]];
    const shapes = [{ name: "e", shape: { kind: "equal" as const, width: 64 } }];
    const drtp = speedupStudy(settings("drtp", "dfa-parallel"), { depths: [3], shapes, algo: "drtp", assumptions: one });
    expect(drtp).toHaveLength(1);
    const r = cost("mlp:64-64-64-64", "drtp", "dfa-parallel", NO_SHARING);
    expect(drtp[0]?.total).toBeCloseTo(r.speedup?.total as number, 12);
    expect(drtp[0]?.assumption).toBe("local-buffers");
  });
});

describe("explainCost: any number of the report, with its value and its terms", () => {
  const PREFIX: Record<string, number> = { G: 1e9, M: 1e6, k: 1e3, "": 1, m: 1e-3, µ: 1e-6, n: 1e-9, p: 1e-12, f: 1e-15 };
  /** A number as the explanation prints it ("3.2 µs", "1.234e+9", "17") back to a number. */
  const parse = (text: string) => {
    const m = /^(-?[\d.]+(?:e[+-]?\d+)?)(?: ([GMkmµnpf]?)(?:s|J|m²|W|b))?$/.exec(text.trim());
    if (!m) return Number.NaN;
    return Number(m[1]) * (PREFIX[m[2] ?? ""] as number);
  };
  const paths = (doc: unknown, prefix = ""): string[] =>
    typeof doc === "number"
      ? [prefix]
      : doc && typeof doc === "object"
        ? Object.entries(doc).flatMap(([k, v]) => paths(v, prefix ? `${prefix}.${k}` : k))
        : [];
  const at = (doc: unknown, path: string) => path.split(".").reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], doc);
  const inputOf = () => costInputOf({ ...settings("dfa", "dfa-parallel"), model: "mlp:784-64-32-10" });

  it("every number: its path, the value it has in the report (3 significant digits), and a formula", () => {
    const input = inputOf();
    const report = estimateCost(input);
    const doc = { ...report };
    // One path of each kind (layers.0.… stands for layers.1.…).
    const kinds = new Map(paths(report).map((p) => [p.replace(/\.\d+(\.|$)/g, ".N$1"), p]));
    const all = [...kinds.values()];
    expect(all.length).toBeGreaterThan(100);
    for (const path of all) {
      const text = explainCost(input, path, doc);
      const head = (text.split("\n")[0] as string).split(" = ");
      expect(head[0]?.startsWith(path), path).toBe(true);
      const value = at(report, path) as number;
      const shown = parse(head[1] as string);
      expect(Math.abs(shown - value) <= 5e-3 * Math.abs(value) + 1e-300, `${path}: ${head[1]} vs ${value}`).toBe(true);
      expect(text, path).toMatch(/\nformula: \S/);
    }
  });

  it("a phase's component: the layers' terms add up to it; a phase total: its components; a layer's phase: its components", () => {
    const input = inputOf();
    const report = estimateCost(input);
    const termsOf = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => parse(m[1] as string));
    for (const phase of PHASES) {
      for (const what of ["latency", "energy"] as const) {
        const field = what === "latency" ? "latency_s" : "energy_j";
        const value = report.phases[phase].components.adc[field];
        const text = explainCost(input, `phases.${phase}.${what}.adc`);
        expect(text.startsWith(`phases.${phase}.components.adc.${field} (`)).toBe(true);
        const terms = termsOf(text, /\n {2}layer \d+ \([\w]+\): ([\d.e+-]+ [GMkmµnpf]?[sJ])/g);
        expect(terms).toHaveLength(3);
        expect(Math.abs(terms.reduce((a, b) => a + b, 0) - value), `${phase} ${what}`).toBeLessThanOrEqual(0.01 * value + 1e-300);
        const total = explainCost(input, `phases.${phase}.${field}`);
        const parts = termsOf(total, /\n {2}\w+: ([\d.e+-]+ [GMkmµnpf]?[sJ])/g);
        expect(parts).toHaveLength(COMPONENTS.length);
        expect(Math.abs(parts.reduce((a, b) => a + b, 0) - report.phases[phase][field])).toBeLessThanOrEqual(
          0.01 * report.phases[phase][field],
        );
      }
      const layer = explainCost(input, `layers.1.phases.${phase}.latency_s`);
      const own = termsOf(layer, /\n {2}\w+: ([\d.e+-]+ [GMkmµnpf]?s)/g);
      expect(Math.abs(own.reduce((a, b) => a + b, 0) - (report.layers[1]?.phases[phase].latency_s as number))).toBeLessThanOrEqual(
        0.01 * (report.layers[1]?.phases[phase].latency_s as number) + 1e-300,
      );
    }
    const total = explainCost(input, "total.energy_j");
    const parts = termsOf(total, /\n {2}\w+: ([\d.e+-]+ [GMkmµnpf]?J)/g);
    expect(parts).toHaveLength(5);
    expect(Math.abs(parts.reduce((a, b) => a + b, 0) - report.total.energy_j)).toBeLessThanOrEqual(0.01 * report.total.energy_j);
  });

  it("the speed-up against BP's own figures, on the schedule it names; the overlapped time and the timeline's batch", () => {
    const input = inputOf();
    const report = estimateCost(input);
    const bpSeq = estimateCost({ ...input, algo: "bp", schedule: "sequential", scheduleOptions: {}, compareWithBp: false });
    const text = explainCost(input, "speedup.total");
    expect(text).toContain("sequential schedule, as DNN+NeuroSim");
    expect(text).toContain(`bp: ${(bpSeq.total.latency_s * 1e3).toPrecision(3)} ms`.replace(/\.?0+ ms$/, " ms"));
    const same = explainCost(input, "speedup.same_timeline.backward");
    expect(same).toContain("BP's dependencies on the same overlapping hardware (images pipelined: false, updates overlapped)");
    expect(explainCost(input, "speedup.amdahl.layers")).toContain(`p = ${report.speedup?.amdahl.parallel_fraction.toFixed(4)}, N = 3`);
    expect(explainCost(input, "speedup.amdahl.bound")).toContain("BP error + gradient + update");
    expect(explainCost(input, "phases.error.overlapped_s")).toMatch(/\n {2}on the path: /);
    const batch = explainCost(input, "timeline.batch_s");
    expect(batch).toContain(`× ${input.settings.batch} images`);
    expect(batch).toContain(`× ${input.settings.iterations}`);
    expect(explainCost(input, "timeline.images_shown")).toContain("the timeline's window");
    expect(explainCost(input, "feedback.0.rows")).toContain("rule: dfa");
    expect(explainCost(input, "floorplan.0.tiles")).toContain("ChipFloorPlan");
  });

  it("a path that is not a number names numbers under its longest existing prefix", () => {
    const input = inputOf();
    expect(() => explainCost(input, "phases.gradient.speed")).toThrow(/numbers there include phases\.gradient\.latency_s/);
    expect(() => explainCost(input, "area.breakdown.cells")).toThrow(/numbers there include area\.breakdown\.arrays/);
    expect(() => explainCost(input, "area.breakdown")).toThrow(/numbers there include area\.total_m2, area\.breakdown\.arrays/);
    expect(() => explainCost(input, "nothing")).toThrow(/"nothing" is not a number of the cost report; numbers there include \w/);
  });
});
