import { describe, expect, it } from "vitest";
import { costInputOf, estimateCost } from "../src/cost/index.js";
import { resolveRunConfig } from "../src/experiment/config.js";
import type { ReportData, ReportPoint } from "../src/report/data.js";
import { findingsMarkdown, woltersFindings } from "../src/report/wolters.js";

const ALGOS = ["bp", "fa", "dfa", "drtp"];

interface PartSpec {
  name: string;
  path: string;
  values: (number | string)[];
  labels: string[];
  /** Mean test accuracy per rule and axis step. */
  accuracy: Record<string, number[]>;
  /** Energy per epoch (sequential) and its DRAM share, per rule. */
  energy?: Record<string, { j: number; dram: number }>;
}

/** A finished sweep as the report reads it: parts with the rule axis first, one point per rule and step. */
function sweep(
  name: string,
  specs: PartSpec[],
  speedup: ReportData["speedup"]["series"] = [],
  config: Record<string, unknown> = { dataset: "fashion-mnist" },
): ReportData {
  const points: ReportPoint[] = [];
  const manifestPoints: unknown[] = [];
  const parts = specs.map((spec) => {
    const indices: number[] = [];
    ALGOS.forEach((algo, a) => {
      spec.values.forEach((value, v) => {
        const index = points.length;
        indices.push(index);
        const acc = spec.accuracy[algo]?.[v];
        const e = spec.energy?.[algo];
        const point = {
          index,
          part: spec.name,
          steps: [a, v],
          values: { algo, [spec.path]: value },
          series: algo,
          algo,
          model: "mlp:784-256-10",
          depth: 2,
          group: String(v),
          runs: 3,
          ok: 3,
          failed: 0,
          epochs: { mean: [], min: [], max: [] },
          schedule: "sequential",
          costs: e
            ? { sequential: { latency_s: 1, energy_j: e.j, phases: {}, components: { dram: { latency_s: 0, energy_j: e.j * e.dram } } } }
            : {},
        } as ReportPoint;
        if (acc !== undefined) point.accuracy = { mean: acc, min: acc, max: acc, n: 3 };
        points.push(point);
        manifestPoints.push({ config });
      });
    });
    return {
      name: spec.name,
      dimensions: [
        { id: "algo", label: "algorithm", paths: ["algo"], labels: ALGOS },
        { id: spec.path, label: spec.path, paths: [spec.path], labels: spec.labels },
      ],
      algoDimension: 0,
      points: indices,
    };
  });
  // The cost model's hardware study: DFA over BP per assumption, equal-width MLPs.
  const hardware = {
    points: [
      { shape: "equal width 128", assumption: "neurosim", n: 12, total: 1.9, backward: 2.2, bound: 5 },
      { shape: "equal width 128", assumption: "local-buffers", n: 12, total: 5.1, backward: 11.7, bound: 5.5 },
      { shape: "equal width 128", assumption: "local-buffers", n: 2, total: 1.8, backward: 2, bound: 1.9 },
    ],
  };
  return {
    title: name,
    dir: `results/${name}`,
    parts,
    points,
    manifest: { points: manifestPoints },
    speedup: { rows: [], series: speedup },
    hardware,
  } as unknown as ReportData;
}

const C2C = { path: "device.c2c", values: [0, 0.003, 0.01, 0.02, 0.05, 0.1], labels: ["0", "0.3 %", "1 %", "2 %", "5 %", "10 %"] };
const ADC = { path: "chip.adc.bits", values: [1, 2, 3, 4, 5, 6, 7, 8], labels: ["1", "2", "3", "4", "5", "6", "7", "8"] };
const WIDTH = { path: "model", values: ["mlp:784-8-10", "mlp:784-512-10"], labels: ["8", "512"] };
const spread = (mean: number) => ({ mean, min: mean, max: mean, n: 3 });

/** A stand-in sweep that behaves as the paper says, and an MLP-on-V2.1 one that does not. */
function paperLike(prefix: string, asPaper: boolean): PartSpec[] {
  const c2c = asPaper
    ? {
        bp: [0.8, 0.8, 0.78, 0.75, 0.6, 0.2],
        fa: [0.7, 0.7, 0.7, 0.6, 0.5, 0.2],
        dfa: [0.7, 0.7, 0.6, 0.3, 0.1, 0.1],
        drtp: [0.6, 0.6, 0.6, 0.5, 0.4, 0.1],
      }
    : {
        bp: [0.8, 0.8, 0.8, 0.8, 0.8, 0.7],
        fa: [0.7, 0.7, 0.7, 0.7, 0.7, 0.6],
        dfa: [0.7, 0.7, 0.7, 0.7, 0.7, 0.6],
        drtp: [0.6, 0.6, 0.6, 0.6, 0.6, 0.5],
      };
  // DFA's 8-bit margin over chance is 0.6; half of it (0.4) is first kept at 3 bits (paper) or at 5.
  const dfaAdc = asPaper ? [0.1, 0.2, 0.45, 0.6, 0.65, 0.7, 0.7, 0.7] : [0.1, 0.1, 0.1, 0.2, 0.5, 0.6, 0.7, 0.7];
  const adc = { bp: [0.1, 0.3, 0.6, 0.7, 0.8, 0.8, 0.8, 0.8], fa: dfaAdc, dfa: dfaAdc, drtp: dfaAdc };
  const width = asPaper
    ? { bp: [0.44, 0.85], fa: [0.3, 0.8], dfa: [0.08, 0.8], drtp: [0.1, 0.8] }
    : { bp: [0.77, 0.85], fa: [0.6, 0.8], dfa: [0.63, 0.8], drtp: [0.6, 0.8] };
  const energy = asPaper
    ? { bp: { j: 1, dram: 0.95 }, dfa: { j: 1.02, dram: 0.95 } }
    : { bp: { j: 1, dram: 0.4 }, dfa: { j: 0.7, dram: 0.4 } };
  return [
    { name: `${prefix}c2c`, ...C2C, accuracy: c2c, energy },
    { name: `${prefix}adc`, ...ADC, accuracy: adc },
    { name: `${prefix}width`, ...WIDTH, accuracy: width },
  ];
}

const depthSeries = (prefix: string, speedups: number[]) => [
  {
    part: `${prefix}depth`,
    algo: "dfa",
    points: speedups.map((s, i) => ({ depth: i + 2, speedup: spread(s), backward: spread(s * 1.5), energy: spread(1) })),
  },
];

describe("Reproducing Wolters et al.: the findings table", () => {
  const paper = sweep("paper", paperLike("mlp-", false), depthSeries("mlp-", [1.2, 1.3, 1.3, 1.4]));
  const standin = sweep("bp-vs-dfa", paperLike("", true), depthSeries("", [1.8, 2.6, 3.3, 4.1]));
  const f = woltersFindings(paper, standin);

  it("has a column per setting the sweeps hold, by their parts' names", () => {
    expect(f?.columns.map((c) => [c.id, c.sweep])).toEqual([
      ["mlp-v21", "paper"],
      ["standin", "bp-vs-dfa"],
    ]);
    expect(woltersFindings(sweep("other", [{ name: "noise", ...C2C, accuracy: {} }]))).toBeUndefined();
  });

  it("decides every finding by its stated criterion, and names the factor where the settings differ", () => {
    const verdicts = Object.fromEntries(f?.findings.map((x) => [x.id, x.cells.map((c) => c.verdict)]) ?? []);
    expect(verdicts).toEqual({
      c2c: ["not reproduced", "reproduced"],
      adc: ["not reproduced", "reproduced"],
      width: ["not reproduced", "reproduced"],
      "bp-best": ["reproduced", "reproduced"],
      energy: ["not reproduced", "reproduced"],
      "off-chip": ["not reproduced", "reproduced"],
      latency: ["not reproduced", "reproduced"],
    });
    const byId = (id: string) => f?.findings.find((x) => x.id === id);
    expect(byId("c2c")?.cells[1]?.text).toMatch(
      /^BP trains up to 5 %, DFA up to 1 %; at 5 % BP loses 20\.0 points, DFA loses 60\.0 points \(/,
    );
    expect(byId("c2c")?.cells[0]?.text).toMatch(/^BP trains up to 10 %, DFA up to 10 %/);
    expect(byId("adc")?.cells[1]?.text).toMatch(/bits needed: bp ≥ 3, fa ≥ 3, dfa ≥ 3, drtp ≥ 3/);
    expect(byId("adc")?.cells[0]?.text).toMatch(/dfa ≥ 5/);
    expect(byId("width")?.cells[1]?.text).toMatch(/^width 8: DFA 0\.08 vs BP 0\.44/);
    expect(byId("energy")?.cells[0]?.text).toMatch(/^energy \/ epoch DFA 0\.70× BP/);
    expect(byId("latency")?.cells[1]?.text).toMatch(/N = 5: 4\.10×/);
    expect(byId("c2c")?.explanation).toMatch(/^differs with the update recipe/);
    expect(byId("c2c")?.explanation).toMatch(
      /DFA's loss at 5 % C2C: 0\.0 points \(V2\.1 recipe, MLP \/ Fashion-MNIST\), 60\.0 points \(MLP stand-in \(device update\)\)$/,
    );
    expect(byId("bp-best")?.explanation).toMatch(/^the same verdict on every setting tested/);
    // The latency finding also names what the chip does to it, from the cost model alone.
    expect(byId("latency")?.explanation).toMatch(
      /N = 12\): 1\.90× per epoch on DNN\+NeuroSim's chip .* 5\.10× with nothing shared .* reach 11\.70× \(N\)/,
    );
  });

  it("a rule that does not train at the reference point makes the finding not testable there, saying why", () => {
    const dead = paperLike("vgg-", true);
    (dead[0] as PartSpec).accuracy.dfa = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
    const g = woltersFindings(sweep("paper", dead));
    const c2c = g?.findings.find((x) => x.id === "c2c");
    expect(c2c?.cells).toEqual([expect.objectContaining({ column: "vgg-v21", verdict: "not testable" })]);
    expect(c2c?.cells[0]?.text).toMatch(/^dfa does not train even without C2C/);
    expect(g?.findings.find((x) => x.id === "latency")?.cells[0]?.text).toMatch(/VGG-8's depth is fixed/);
  });

  it("on a narrowed VGG-8, the energy rows add V2.1's full VGG-8 from the cost model alone", () => {
    const config = resolveRunConfig({ dataset: "cifar10", model: "vgg8:16", batch: 20, update: "neurosim-v21", device: "fefet-v21" });
    const g = woltersFindings(sweep("paper", paperLike("vgg-", true), [], config as unknown as Record<string, unknown>));
    const full = (algo: string) =>
      estimateCost(costInputOf({ ...config, model: "vgg8", batch: 200, iterations: 250, algo, schedule: "sequential" } as typeof config));
    const [bp, dfa] = [full("bp"), full("dfa")];
    const ratio = (dfa.total.energy_j / bp.total.energy_j).toFixed(2);
    expect(g?.findings.find((x) => x.id === "energy")?.explanation).toContain(
      `full-width VGG-8 (batch 200, activity assumed): DFA ${ratio}× BP`,
    );
    const dram = (r: typeof bp) => Object.values(r.phases).reduce((a, p) => a + p.components.dram.energy_j, 0) / r.total.energy_j;
    expect(dram(bp)).toBeGreaterThan(0.5);
    expect(g?.findings.find((x) => x.id === "off-chip")?.explanation).toContain(`DRAM ${(dram(bp) * 100).toFixed(1)} % of BP's energy`);
  });

  it("writes a Markdown table with a row per finding and its criteria", () => {
    const md = findingsMarkdown(f as NonNullable<typeof f>);
    const lines = md.split("\n");
    expect(lines[0]).toBe("| Wolters et al. | V2.1 recipe, MLP / Fashion-MNIST | MLP stand-in (device update) | what decides it |");
    expect(lines.filter((l) => l.startsWith("| ") && l.includes("**"))).toHaveLength(7);
    expect(md).toContain("- DFA needs an ADC of at least 3 bits: the fewest bits");
  });
});
