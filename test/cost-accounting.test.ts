// The accounting between the chip's circuit figures and the report's components (src/cost/account.ts):
// nothing the chip model computes is lost or counted twice when a layer's phase totals are split
// into array, ADC, accumulation, buffer, interconnect, WG unit, programming and DRAM; each rule
// pays for the work it does (its error reads, its feedback arrays, its feedback writes). Expected
// values come from the chip model's own per-layer figures (DNN+NeuroSim's readLatency,
// readLatencyAG, writeLatencyWU and their parts), summed or compared here.

import { describe, expect, it } from "vitest";
import { COMPONENTS, type Components, type PhaseCost } from "../src/cost/account.js";
import { type CostReport, costInputOf, type Evaluated, estimateCost, evaluate, operationsPerImage } from "../src/cost/index.js";
import { resolveRunConfig } from "../src/experiment/config.js";
import { parseModelSpec } from "../src/nn/spec.js";
import { costSettings } from "./helpers.js";

function run(algo: string, extra: Record<string, unknown> = {}, model = "mlp:784-300-200-10"): Evaluated {
  const config = resolveRunConfig({ model: "mlp:784-10", dataset: "mnist", algo, batch: 20, iterations: 10, ...extra });
  return evaluate({ ...costInputOf({ ...config, model }), compareWithBp: false });
}

const sum = (c: Components) => COMPONENTS.reduce((s, k) => s + c[k], 0);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

// Every test evaluates its own chip: StrykerJS (npm run mutate) runs only the tests that cover a
// mutant, and work done while the file is collected belongs to none.
describe("read phases: the chip's totals split into components without loss", () => {
  it("forward: per layer the components add up to the chip's FW latency and energy; the ADC, accumulation and array share the peak in proportion to the core figures", () => {
    const e = run("bp");
    const images = e.images;
    e.chip.layers.forEach((r, i) => {
      const f = e.layers[i]?.forward as PhaseCost;
      expect(rel(sum(f.latency) * images, r.readLatency), `layer ${i + 1} latency`).toBeLessThan(1e-12);
      expect(rel(sum(f.energy), r.readDynamicEnergy), `layer ${i + 1} energy`).toBeLessThan(1e-12);
      const core = r.coreLatencyADC + r.coreLatencyAccum + r.coreLatencyOther;
      expect(rel(f.latency.adc * images, (r.readLatencyPeakFW * r.coreLatencyADC) / core)).toBeLessThan(1e-12);
      expect(rel(f.latency.accumulation * images, (r.readLatencyPeakFW * r.coreLatencyAccum) / core)).toBeLessThan(1e-12);
      expect(rel(f.latency.array * images, (r.readLatencyPeakFW * r.coreLatencyOther) / core)).toBeLessThan(1e-12);
      const coreE = r.coreEnergyADC + r.coreEnergyAccum + r.coreEnergyOther;
      expect(rel(f.energy.adc, (r.readDynamicEnergyPeakFW * r.coreEnergyADC) / coreE)).toBeLessThan(1e-12);
      expect(f.latency.wgUnit + f.latency.update + f.energy.wgUnit + f.energy.update).toBe(0);
    });
  });

  it("forward: the global buffer, H-tree and DRAM parts are kept whole; the rest goes to the in-tile buffer and interconnect in proportion to their own figures", () => {
    const e = run("bp");
    const images = e.images;
    e.chip.layers.forEach((r, i) => {
      const f = e.layers[i]?.forward as PhaseCost;
      const p = r.parts;
      expect(rel(f.global * images, p.fw.buffer[0] + p.fw.interconnect[0]), `layer ${i + 1}`).toBeLessThan(1e-12);
      expect(rel(f.latency.dram * images, p.fw.dram[0])).toBeLessThan(1e-12);
      expect(rel(f.energy.dram, p.fw.dram[1])).toBeLessThan(1e-12);
      // In-tile figures: the layer's buffer and H-tree totals less every phase's global part.
      const localBuffer = r.bufferLatency - p.fw.buffer[0] - p.ag.buffer[0] - p.wg.buffer[0];
      const localIc = r.icLatency - p.fw.interconnect[0] - p.ag.interconnect[0];
      expect(localBuffer).toBeGreaterThan(0);
      expect(localIc).toBeGreaterThan(0);
      const buffer = f.latency.buffer * images - p.fw.buffer[0];
      const ic = f.latency.interconnect * images - p.fw.interconnect[0];
      expect(buffer).toBeGreaterThan(0);
      expect(rel(buffer / ic, localBuffer / localIc), `layer ${i + 1} split`).toBeLessThan(1e-9);
      const rest = r.readLatency - r.readLatencyPeakFW - p.fw.buffer[0] - p.fw.interconnect[0] - p.fw.dram[0];
      expect(rel(buffer + ic, rest)).toBeLessThan(1e-9);
      const localBufferE = r.bufferDynamicEnergy - p.fw.buffer[1] - p.ag.buffer[1] - p.wg.buffer[1];
      const localIcE = r.icDynamicEnergy - p.fw.interconnect[1] - p.ag.interconnect[1];
      const bufferE = f.energy.buffer - p.fw.buffer[1];
      const icE = f.energy.interconnect - p.fw.interconnect[1];
      expect(rel(bufferE / icE, localBufferE / localIcE), `layer ${i + 1} energy split`).toBeLessThan(1e-9);
    });
  });

  it("error (BP): layer 1 reads nothing; the others split the chip's AG figures the same way", () => {
    const e = run("bp");
    const images = e.images;
    expect(sum(e.layers[0]?.error.latency as Components) + sum(e.layers[0]?.error.energy as Components)).toBe(0);
    e.chip.layers.forEach((r, i) => {
      if (i === 0) return;
      const a = e.layers[i]?.error as PhaseCost;
      const p = r.parts;
      expect(rel(sum(a.latency) * images, r.readLatencyAG), `layer ${i + 1}`).toBeLessThan(1e-12);
      expect(rel(sum(a.energy), r.readDynamicEnergyAG)).toBeLessThan(1e-12);
      expect(rel(a.global * images, p.ag.buffer[0] + p.ag.interconnect[0])).toBeLessThan(1e-12);
      expect(rel(a.latency.dram * images, p.ag.dram[0])).toBeLessThan(1e-12);
      const core = r.coreLatencyADC + r.coreLatencyAccum + r.coreLatencyOther;
      expect(rel(a.latency.adc * images, (r.readLatencyPeakAG * r.coreLatencyADC) / core)).toBeLessThan(1e-12);
    });
  });

  it("gradient: the WG unit's compute and accumulation, the buffers, the global part and DRAM, as the chip computes them", () => {
    const e = run("bp");
    const images = e.images;
    e.chip.layers.forEach((r, i) => {
      const g = e.layers[i]?.gradient as PhaseCost;
      const w = r.parts.wg;
      expect(rel(g.latency.wgUnit * images, w.compute[0] + w.accumulate[0]), `layer ${i + 1}`).toBeLessThan(1e-12);
      expect(rel(g.latency.buffer * images, w.buffer[0] + w.local[0])).toBeLessThan(1e-12);
      expect(rel(g.global * images, w.buffer[0])).toBeLessThan(1e-12);
      expect(rel(g.latency.dram * images, w.dram[0])).toBeLessThan(1e-12);
      expect(rel(g.energy.wgUnit, w.compute[1] + w.accumulate[1])).toBeLessThan(1e-12);
      expect(rel(g.energy.buffer, w.buffer[1] + w.local[1])).toBeLessThan(1e-12);
      expect(rel(g.energy.dram, w.dram[1])).toBeLessThan(1e-12);
      expect(w.dram[0]).toBeGreaterThan(0);
    });
  });

  it("with gradients summed on chip and local buffers the same identities hold (the local SRAM part is non-zero)", () => {
    const local = run("bp", { chip: { wgUnit: { sharing: "per-layer", accumulation: "on-chip" }, buffers: { backward: "local" } } });
    local.chip.layers.forEach((r, i) => {
      const g = local.layers[i]?.gradient as PhaseCost;
      expect(r.parts.wg.local[0]).toBeGreaterThan(0);
      expect(rel(g.latency.buffer * local.images, r.parts.wg.buffer[0] + r.parts.wg.local[0])).toBeLessThan(1e-12);
      expect(rel(g.energy.buffer, r.parts.wg.buffer[1] + r.parts.wg.local[1])).toBeLessThan(1e-12);
    });
  });

  it("update: the chip's WU write per weight update", () => {
    const e = run("bp");
    e.chip.layers.forEach((r, i) => {
      const u = e.layers[i]?.update as PhaseCost;
      expect(rel(u.latency.update * 10, r.writeLatencyWU), `layer ${i + 1}`).toBeLessThan(1e-12);
      expect(rel(u.energy.update, r.writeDynamicEnergyWU)).toBeLessThan(1e-12);
      expect(sum(u.latency)).toBe(u.latency.update);
    });
  });
});

describe("each rule pays for its own work", () => {
  it("output-only: only the last layer has a gradient and an update; no layer reads an error", () => {
    const o = run("output-only");
    o.layers.forEach((l, i) => {
      const last = i === o.layers.length - 1;
      expect(sum(l.error.latency), `layer ${i + 1}`).toBe(0);
      expect(sum(l.gradient.latency) > 0, `layer ${i + 1}`).toBe(last);
      expect(l.update.latency.update > 0).toBe(last);
    });
  });

  it("DFA: each hidden layer's error is its own feedback arrays' read, as the chip prices it; the output layer reads none", () => {
    const bp = run("bp");
    const d = run("dfa");
    const L = d.layers.length;
    expect(d.chip.feedback.map((f) => f.layer)).toEqual([0, 1]);
    for (const f of d.chip.feedback) {
      const a = d.layers[f.layer]?.error as PhaseCost;
      for (const k of ["array", "adc", "accumulation", "buffer", "interconnect", "dram"] as const) {
        expect(rel(a.latency[k] * d.images, f.latency[k]), `layer ${f.layer + 1} ${k}`).toBeLessThan(1e-12);
        expect(a.energy[k]).toBe(f.energy[k]);
      }
      expect(rel(a.global * d.images, f.global)).toBeLessThan(1e-12);
      expect(f.global).toBeGreaterThan(0);
    }
    expect(sum(d.layers[L - 1]?.error.latency as Components)).toBe(0);
    // The forward pass is BP's.
    d.layers.forEach((l, i) => {
      expect(l.forward.latency).toEqual(bp.layers[i]?.forward.latency);
    });
  });

  it("Kolen–Pollack writes B alongside W (the slower write, both energies); sign-symmetric rebuilds B after W (the times add); FA writes nothing more", () => {
    const bp = run("bp");
    // Without a run B is assumed written like W, so B's write costs what W's does.
    const kp = run("kp");
    const brsf = run("brsf");
    const fa = run("fa");
    bp.layers.forEach((l, i) => {
      const w = l.update;
      const hasB = i > 0;
      expect(rel(kp.layers[i]?.update.latency.update as number, w.latency.update), `kp layer ${i + 1}`).toBeLessThan(1e-12);
      expect(rel(kp.layers[i]?.update.energy.update as number, (hasB ? 2 : 1) * w.energy.update)).toBeLessThan(1e-12);
      expect(rel(brsf.layers[i]?.update.latency.update as number, (hasB ? 2 : 1) * w.latency.update), `brsf layer ${i + 1}`).toBeLessThan(
        1e-12,
      );
      expect(rel(brsf.layers[i]?.update.energy.update as number, (hasB ? 2 : 1) * w.energy.update)).toBeLessThan(1e-12);
      expect(fa.layers[i]?.update.latency.update).toBe(w.latency.update);
      expect(fa.layers[i]?.update.energy.update).toBe(w.energy.update);
    });
  });
});

describe("area: the rule's feedback arrays and Tiki-Taka's fast arrays", () => {
  const tilesOf = (e: Evaluated, i: number) =>
    (e.chip.floorplan.tilesRow[i] as number) *
    (e.chip.floorplan.tilesCol[i] as number) *
    (e.chip.floorplan.novel[i] ? e.chip.tileArea.novel : e.chip.tileArea.conventional);

  it("BP has none; FA mirrors the tiles of every layer but the first; DFA adds its own sub-arrays with their periphery", () => {
    const bp = run("bp");
    expect(bp.report.area.breakdown.feedbackArrays).toBe(0);
    expect(bp.report.area.breakdown.optimizerArrays).toBe(0);
    const fa = run("fa");
    expect(rel(fa.report.area.breakdown.feedbackArrays, tilesOf(fa, 1) + tilesOf(fa, 2))).toBeLessThan(1e-12);
    const dfa = run("dfa");
    const own = dfa.chip.feedback.reduce((s, f) => s + f.area.array + f.area.adc + f.area.accumulation + f.area.other, 0);
    expect(own).toBeGreaterThan(0);
    expect(rel(dfa.report.area.breakdown.feedbackArrays, own)).toBeLessThan(1e-12);
    // DFA's B (classes × units) is far smaller than FA's mirrored tiles.
    expect(own).toBeLessThan(fa.report.area.breakdown.feedbackArrays);
    for (const e of [bp, fa, dfa]) {
      const b = e.report.area.breakdown;
      expect(rel(e.report.area.total_m2, e.chip.area.total + b.feedbackArrays + b.optimizerArrays)).toBeLessThan(1e-12);
    }
  });

  it("Tiki-Taka adds a mirror of every layer's tiles, whatever the rule", () => {
    for (const algo of ["bp", "fa"]) {
      const e = run(algo, { optimizer: "tiki-taka" });
      const all = e.chip.floorplan.tilesRow.reduce((s, _, i) => s + tilesOf(e, i), 0);
      expect(all).toBeGreaterThan(tilesOf(e, 0));
      expect(rel(e.report.area.breakdown.optimizerArrays, all), algo).toBeLessThan(1e-12);
      expect(rel(e.report.area.total_m2, e.chip.area.total + e.report.area.breakdown.feedbackArrays + all)).toBeLessThan(1e-12);
    }
  });
});

describe("the report's counts and comparisons", () => {
  // mlp:784-300-200-10: the three layers' multiply-accumulates per image.
  const [m1, m2, m3] = [784 * 300, 300 * 200, 200 * 10];
  const all = m1 + m2 + m3;
  const model = parseModelSpec("mlp:784-300-200-10");

  it("operations per image (NeuroSim's 2 per MAC): BP reads forward, transposed (not layer 1) and computes every gradient; DFA/DRTP's error is classes × units; output-only trains the last layer", () => {
    expect(operationsPerImage(model, "bp", "unpadded", "full")).toBe(2 * (all + all + m2 + m3));
    expect(operationsPerImage(model, "fa", "unpadded", "full")).toBe(2 * (all + all + m2 + m3));
    for (const algo of ["dfa", "drtp"] as const)
      expect(operationsPerImage(model, algo, "unpadded", "full")).toBe(2 * (all + all + 10 * 300 + 10 * 200));
    expect(operationsPerImage(model, "output-only", "unpadded", "full")).toBe(2 * (all + m3));
  });

  it("the feedback table: FA's B on a mirror of the next layer's tiles, read transposed; DFA's on its own sub-arrays, read forward", () => {
    const fa = run("fa").report;
    expect(fa.feedback.map((f) => [f.layer, f.read])).toEqual([
      [2, "transposed"],
      [3, "transposed"],
    ]);
    for (const f of fa.feedback) expect(f.sub_arrays, `layer ${f.layer}`).toBe(fa.floorplan[f.layer - 1]?.tiles);
    const d = run("dfa");
    expect(d.report.feedback.map((f) => [f.layer, f.read])).toEqual([
      [1, "forward"],
      [2, "forward"],
    ]);
    for (const f of d.report.feedback) {
      expect(f.sub_arrays).toBe(d.chip.feedback.find((c) => c.layer === f.layer - 1)?.subArrays);
      expect(f.sub_arrays).toBeGreaterThan(0);
      expect(f.rows * f.cols).toBeGreaterThanOrEqual(10 * (f.layer === 1 ? 300 : 200));
    }
    expect(run("bp").report.feedback).toEqual([]);
  });

  it("DRTP's feedback read is the one-hot target (one pulse, one active line): cheaper than DFA's read of the output error", () => {
    const [dfa, drtp] = [run("dfa"), run("drtp")];
    for (const i of [0, 1]) {
      expect(sum(drtp.layers[i]?.error.energy as Components), `layer ${i + 1}`).toBeLessThan(
        sum(dfa.layers[i]?.error.energy as Components),
      );
      expect(sum(drtp.layers[i]?.error.latency as Components)).toBeLessThan(sum(dfa.layers[i]?.error.latency as Components));
    }
  });

  it("the speed-up over BP: BP's sequential epoch over the rule's; on the same timeline, BP pipelined with the rule's options; Amdahl from BP's error and gradient share over the layers that learn", () => {
    const input = costInputOf({ ...costSettings("dfa", "dfa-parallel"), model: "mlp:784-300-200-10" });
    const dfa = estimateCost(input);
    const bp = estimateCost({ ...input, algo: "bp", schedule: "sequential", scheduleOptions: {}, compareWithBp: false });
    const same = estimateCost({
      ...input,
      algo: "bp",
      schedule: "pipelined",
      scheduleOptions: { pipelineImages: false, updates: "overlapped" },
      compareWithBp: false,
    });
    const back = (r: CostReport) => r.phases.error.latency_s + r.phases.gradient.latency_s + r.phases.update.latency_s;
    const s = dfa.speedup as NonNullable<CostReport["speedup"]>;
    expect(s.vs).toBe("bp");
    expect(s.schedule).toBe("sequential");
    expect(rel(s.total, bp.total.latency_s / dfa.total.latency_s)).toBeLessThan(1e-12);
    expect(rel(s.backward, back(bp) / back(dfa))).toBeLessThan(1e-12);
    expect(rel(s.same_timeline?.total as number, same.total.latency_s / dfa.total.latency_s)).toBeLessThan(1e-12);
    expect(rel(s.same_timeline?.backward as number, back(same) / back(dfa))).toBeLessThan(1e-12);
    // dfa-parallel overlaps the updates, so they count as spreadable work.
    const p = (bp.phases.error.latency_s + bp.phases.gradient.latency_s + bp.phases.update.latency_s) / bp.total.latency_s;
    expect(rel(s.amdahl.parallel_fraction, p)).toBeLessThan(1e-12);
    expect(s.amdahl.layers).toBe(3);
    expect(rel(s.amdahl.bound, 1 / (1 - p + p / 3))).toBeLessThan(1e-12);
    // Sequential: no same-timeline comparison, the updates not spreadable.
    const seq = estimateCost({ ...input, algo: "fa", schedule: "sequential", scheduleOptions: {} }).speedup;
    expect(seq?.same_timeline).toBeUndefined();
    const bpSeq = estimateCost({ ...input, algo: "bp", schedule: "sequential", scheduleOptions: {}, compareWithBp: false });
    expect(
      rel(
        seq?.amdahl.parallel_fraction as number,
        (bpSeq.phases.error.latency_s + bpSeq.phases.gradient.latency_s) / bpSeq.total.latency_s,
      ),
    ).toBeLessThan(1e-12);
    // Output-only learns in one layer: nothing to spread, the bound is 1.
    const o = estimateCost({ ...input, algo: "output-only", schedule: "sequential", scheduleOptions: {} }).speedup;
    expect(o?.amdahl.layers).toBe(1);
    expect(o?.amdahl.bound).toBeCloseTo(1, 12);
    // BP has no speed-up over itself unless asked.
    expect(bp.speedup).toBeUndefined();
    expect(estimateCost({ ...input, algo: "bp", schedule: "sequential", scheduleOptions: {} }).speedup).toBeUndefined();
    expect(
      estimateCost({ ...input, algo: "bp", schedule: "sequential", scheduleOptions: {}, compareWithBp: true }).speedup?.total,
    ).toBeCloseTo(1, 12);
  });
});
