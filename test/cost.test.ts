import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMPONENTS, PHASES } from "../src/cost/account.js";
import { measuredStats } from "../src/cost/counts.js";
import { explainCost } from "../src/cost/explain.js";
import { type CostReport, costInputOf, estimateCost, operationsPerImage } from "../src/cost/index.js";
import { DEFAULT_ASSUMPTIONS, pulseDistribution } from "../src/cost/neurosim-inputs.js";
import { InputError } from "../src/engine/errors.js";
import { resolveConfig } from "../src/experiment/config.js";
import { parseModelSpec } from "../src/nn/spec.js";

const example = JSON.parse(readFileSync("examples/neurosim-v2.1-vgg8.json", "utf8"));

function cost(config: Record<string, unknown>, flags = {}): CostReport {
  return estimateCost(costInputOf(resolveConfig(config, flags)));
}

const componentSum = (r: CostReport, k: (typeof COMPONENTS)[number], what: "latency_s" | "energy_j") =>
  PHASES.reduce((s, p) => s + r.phases[p].components[k][what], 0);
const dynamic = (r: CostReport) => r.total.energy_j - r.leakage_j;

describe("invariants", () => {
  const r = cost(example);

  it("components sum to phases, phases (and leakage) to the totals", () => {
    for (const p of PHASES) {
      const lat = COMPONENTS.reduce((s, k) => s + r.phases[p].components[k].latency_s, 0);
      const en = COMPONENTS.reduce((s, k) => s + r.phases[p].components[k].energy_j, 0);
      expect(lat).toBeCloseTo(r.phases[p].latency_s, 9);
      expect(en).toBeCloseTo(r.phases[p].energy_j, 9);
    }
    expect(PHASES.reduce((s, p) => s + r.phases[p].latency_s, 0)).toBeCloseTo(r.total.latency_s, 9);
    expect(PHASES.reduce((s, p) => s + r.phases[p].energy_j, 0) + r.leakage_j).toBeCloseTo(r.total.energy_j, 9);
    expect(COMPONENTS.reduce((s, k) => s + componentSum(r, k, "energy_j"), 0)).toBeCloseTo(dynamic(r), 9);
  });

  it("layers add up to the phases under the sequential schedule", () => {
    for (const p of PHASES) {
      expect(r.layers.reduce((s, l) => s + l.phases[p].latency_s, 0)).toBeCloseTo(r.phases[p].latency_s, 9);
      expect(r.layers.reduce((s, l) => s + l.phases[p].energy_j, 0)).toBeCloseTo(r.phases[p].energy_j, 9);
    }
  });

  it("operations follow NeuroSim's count: 2 × MACs (on IFM H·W) × 3 less layer 1's error, × batch × iterations", () => {
    // VGG-8, NeuroSim NetWork.csv: 1.8438e9 MACs per image over the IFM sizes → 3.688e9 ops per image with layer 1's AG removed.
    const perImage = operationsPerImage(parseModelSpec("vgg8"), "bp", "unpadded", "full");
    const macs = [
      32 * 32 * 3 * 9 * 128,
      32 * 32 * 128 * 9 * 128,
      16 * 16 * 128 * 9 * 256,
      16 * 16 * 256 * 9 * 256,
      8 * 8 * 256 * 9 * 512,
      8 * 8 * 512 * 9 * 512,
      8192 * 1024,
      1024 * 10,
    ];
    const sum = macs.reduce((a, b) => a + b, 0);
    expect(perImage).toBe(2 * (3 * sum - (macs[0] as number)));
    expect(r.operations).toBe(perImage * 200 * 250);
  });

  it("doubling the batch (iterations fixed) doubles FW, AG and WG energy per epoch; the update energy stays", () => {
    const twice = cost({ ...example, batch: 400 });
    // (The gradient buffer NeuroSim sizes from log2(batch) moves the buffer figures by parts per 10⁵.)
    for (const p of ["forward", "error", "gradient"] as const) expect(twice.phases[p].energy_j / r.phases[p].energy_j).toBeCloseTo(2, 3);
    expect(twice.phases.update.energy_j).toBeCloseTo(r.phases.update.energy_j, 12);
  });

  it("GDDR5 prices DRAM at 14 pJ/b instead of HBM2's 3.9 (NeuroSim DRAM.cpp)", () => {
    const g = cost({ ...example, chip: { ...example.chip, dram: "gddr5" } });
    expect(componentSum(g, "dram", "energy_j") / componentSum(r, "dram", "energy_j")).toBeCloseTo(14 / 3.9, 9);
  });

  it("an older node costs more area and energy", () => {
    const at65 = cost({ ...example, chip: { ...example.chip, technology: 65 } });
    const at22 = cost({ ...example, chip: { ...example.chip, technology: 22 } });
    expect(at65.area.total_m2).toBeGreaterThan(r.area.total_m2);
    expect(r.area.total_m2).toBeGreaterThan(at22.area.total_m2);
    expect(dynamic(at65)).toBeGreaterThan(dynamic(r));
  });

  it("the trace statistics move what they should: activity the reads, update fraction the programming", () => {
    const busy = cost({ ...example, assume: { ...example.assume, activity: 0.9 } });
    const idle = cost({ ...example, assume: { ...example.assume, activity: 0.05 } });
    expect(busy.phases.forward.components.adc.energy_j).toBeGreaterThan(idle.phases.forward.components.adc.energy_j);
    expect(busy.phases.update.energy_j).toBeCloseTo(idle.phases.update.energy_j, 12);
    const more = cost({ ...example, assume: { ...example.assume, updateFraction: 0.9, updateSteps: 3 } });
    // (Not much sparser: NeuroSim charges rare RESET-only rows' lines for all of a block's RESET cells.)
    const less = cost({ ...example, assume: { ...example.assume, updateFraction: 0.5, updateSteps: 1 } });
    expect(more.phases.update.latency_s).toBeGreaterThan(less.phases.update.latency_s);
    expect(more.phases.update.energy_j).toBeGreaterThan(less.phases.update.energy_j);
    expect(more.phases.forward.energy_j).toBeCloseTo(less.phases.forward.energy_j, 12);
  });

  it("explainCost (the library's --explain): the same number, its formula and where its inputs come from", () => {
    const input = costInputOf(resolveConfig(example));
    const text = explainCost(input, "phases.forward.energy.adc");
    expect(text).toContain(`= `);
    expect(text).toMatch(/^phases\.forward\.components\.adc\.energy_j \(forward/);
    expect(text).toMatch(/MultilevelSenseAmp\.cpp/);
    expect(text).toMatch(/ADCs: mlsa current: forward 6 b \/ 8 columns/);
    // The terms are the layers' own figures: they add up to the number explained.
    const terms = [...text.matchAll(/\n {2}layer \d+ \([\w]+\): ([\d.]+) (m|µ|n)?J/g)].map(
      (m) => Number(m[1]) * { m: 1e-3, µ: 1e-6, n: 1e-9, "": 1 }[m[2] ?? ""]!,
    );
    expect(terms).toHaveLength(8);
    expect(terms.reduce((a, b) => a + b, 0) / r.phases.forward.components.adc.energy_j).toBeCloseTo(1, 2);
    expect(() => explainCost(input, "phases.forward.speed")).toThrow(InputError);
  });

  it("convPositions: NeuroSim counts a convolution's positions on the unpadded map; `padded` counts the map the network computes", () => {
    const padded = cost({ ...example, chip: { ...example.chip, convPositions: "padded" } });
    // VGG-8's first layer: 30 × 30 positions unpadded, 32 × 32 padded; its input map grows from 32² to 34².
    expect(padded.operations / r.operations).toBeGreaterThan(1);
    expect(padded.layers[0]?.phases.forward.latency_s).toBeGreaterThan(r.layers[0]?.phases.forward.latency_s as number);
    const conv1 = (doc: CostReport) => doc.layers[0]?.phases.gradient.energy_j as number;
    expect(conv1(padded) / conv1(r)).toBeGreaterThan(1);
  });

  it("every phase's ADC is reported as resolved", () => {
    expect(r.adc).toEqual({
      forward: { type: "mlsa", bits: 6, mux: 8 },
      error: { type: "mlsa", bits: 6, mux: 8 },
      gradient: { type: "mlsa", bits: 6, mux: 8 },
    });
  });
});

describe("every model, rule and schedule", () => {
  it("gives finite, positive totals", () => {
    for (const model of ["vgg8", "cnn-small", "mlp:64-64-10", "mlp:784-256-10"]) {
      const dataset = model === "vgg8" ? "cifar10" : model === "mlp:64-64-10" ? "digits" : "mnist";
      for (const algo of ["bp", "fa", "dfa", "drtp", "output-only"]) {
        for (const schedule of ["sequential", "pipelined", "dfa-parallel"]) {
          if (schedule === "dfa-parallel" && (algo === "bp" || algo === "fa")) continue;
          const r = cost({ model, dataset, algo, schedule, iterations: 10 });
          const label = `${model} ${algo} ${schedule}`;
          for (const x of [r.area.total_m2, r.total.latency_s, r.total.energy_j, r.tops, r.tops_per_w]) {
            expect(Number.isFinite(x) && x > 0, label).toBe(true);
          }
        }
      }
    }
  });
});

describe("outside NeuroSim's range", () => {
  it("small networks and 1-bit inputs, where NeuroSim's buffer models break, get finite figures (documented extensions)", () => {
    for (const chip of [
      { subArray: { rows: 32, cols: 32 } },
      { activationBits: 1, errorBits: 1 },
      { subArray: { rows: 32, cols: 32 }, activationBits: 1, errorBits: 1 },
    ]) {
      const r = cost({ model: "mlp:64-64-10", chip });
      for (const x of [r.area.total_m2, r.total.latency_s, r.total.energy_j])
        expect(Number.isFinite(x) && x > 0, JSON.stringify(chip)).toBe(true);
    }
  });

  it("a physically impossible chip is refused naming the fields (a 1T1R access transistor wider than its cell)", () => {
    expect(() => cost({ model: "mlp:64-64-10", device: { preset: "rram-v20", gMax: 1e-3, gMin: 1e-5 } })).toThrow(
      /chip\.cellAccess: "1t1r" with the device's Ron 1\.00e\+3 Ω needs an access transistor [\d.]+ F wide, wider than the 4 F cell .* chip\.cellAccess "crossbar"/,
    );
  });

  it("any mix of options gives finite, non-negative figures or a clear InputError — never another error (seeded sample)", () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
    let evaluated = 0;
    for (let i = 0; i < 40; i++) {
      const [model, dataset] = pick([
        ["cnn-small", "mnist"],
        ["mlp:784-256-10", "mnist"],
        ["mlp:64-64-10", "digits"],
        ["cnn:1x28x28-c8k5-mp2-c16-mp2-fc10", "mnist"],
      ] as const);
      const sa = pick([32, 64, 128, 256]);
      const config = {
        model,
        dataset,
        algo: pick(["bp", "fa", "dfa", "drtp", "output-only"]),
        batch: pick([1, 16, 200]),
        iterations: pick([1, 250]),
        device: pick(["fefet-v21", "rram-v20", "ag-a-si", "gst-pcm"]),
        mapping: pick(["reference", "differential"]),
        chip: {
          technology: pick([7, 14, 22, 32, 45, 65, 130]),
          roadmap: pick(["lstp", "hp"]),
          temperature: pick([300, 400]),
          cellType: pick(["device", "rram", "fefet", "sram"]),
          cellAccess: pick(["1t1r", "crossbar"]),
          subArray: { rows: sa, cols: sa },
          cellBits: pick([1, 2, 5]),
          activationBits: pick([1, 4, 8]),
          errorBits: 8,
          adc: { type: pick(["mlsa", "sar"]), sense: pick(["current", "voltage"]), bits: pick([1, 3, 6, 8]), mux: pick([1, 8, 16]) },
          buffers: { global: pick(["register", "sram"]), tile: pick(["register", "sram"]), pe: pick(["register", "sram"]) },
          mapping: pick(["novel", "conventional"]),
          wgUnit: { sharing: pick(["shared", "per-layer"]) },
        },
        assume: { activity: pick([0, 0.5, 1]), updateFraction: pick([0, 0.3, 1]), updateSteps: pick([1, 3]) },
      };
      let r: CostReport;
      try {
        r = cost(config);
      } catch (error) {
        expect(error, JSON.stringify(config)).toBeInstanceOf(InputError);
        continue;
      }
      evaluated++;
      const numbers = [r.area.total_m2, ...Object.values(r.area.breakdown), r.total.latency_s, r.total.energy_j];
      for (const p of PHASES)
        for (const k of COMPONENTS) numbers.push(r.phases[p].components[k].latency_s, r.phases[p].components[k].energy_j);
      for (const x of numbers) expect(Number.isFinite(x) && x >= 0, JSON.stringify(config)).toBe(true);
    }
    expect(evaluated).toBeGreaterThan(20);
  });
});

describe("learning rules and schedules", () => {
  const mlp = (algo: string, schedule = "sequential", sharing = "shared") =>
    cost({
      model: "mlp:784-512-512-512-10",
      dataset: "mnist",
      algo,
      schedule,
      batch: 100,
      iterations: 600,
      chip: { wgUnit: { sharing } },
    });

  it("BP and DFA use the same forward, gradient and update energy; only the error phase differs", () => {
    const bp = mlp("bp");
    const dfa = mlp("dfa");
    for (const p of ["forward", "gradient", "update"] as const) {
      expect(dfa.phases[p].energy_j, p).toBeCloseTo(bp.phases[p].energy_j, 12);
    }
    expect(dfa.phases.error.energy_j).not.toBeCloseTo(bp.phases.error.energy_j, 6);
    // DFA reads B_1..B_{L−1}; the output layer needs no error read; BP reads W_2..W_L.
    expect(dfa.layers.map((l) => l.phases.error.energy_j > 0)).toEqual([true, true, true, false]);
    expect(bp.layers.map((l) => l.phases.error.energy_j > 0)).toEqual([false, true, true, true]);
  });

  it("a weight-gradient unit per layer leaves the forward pass alone (±1 %) and adds area", () => {
    const shared = mlp("dfa");
    const perLayer = mlp("dfa", "sequential", "per-layer");
    expect(perLayer.phases.forward.latency_s / shared.phases.forward.latency_s).toBeCloseTo(1, 2);
    expect(perLayer.area.breakdown.wgUnit).toBeGreaterThan(shared.area.breakdown.wgUnit);
  });

  it("dfa-parallel shows the error time it overlaps, and energy does not depend on the schedule (except leakage)", () => {
    const seq = mlp("dfa", "sequential", "per-layer");
    const par = mlp("dfa", "dfa-parallel", "per-layer");
    for (const p of PHASES) expect(par.phases[p].energy_j).toBeCloseTo(seq.phases[p].energy_j, 12);
    expect(par.phases.error.latency_s + par.phases.error.overlapped_s).toBeCloseTo(seq.phases.error.latency_s, 9);
    expect(par.phases.error.overlapped_s).toBeGreaterThan(0);
    expect(par.total.latency_s).toBeLessThan(seq.total.latency_s);
    expect(seq.phases.error.overlapped_s).toBe(0);
  });

  it("dfa-parallel needs a rule whose hidden layers learn from the output alone", () => {
    expect(() => mlp("bp", "dfa-parallel")).toThrow(InputError);
    expect(() => mlp("fa", "dfa-parallel")).toThrow(/schedule: "dfa-parallel" needs .* algo "fa" chains the error layer by layer/);
    expect(mlp("output-only", "dfa-parallel").phases.error.energy_j).toBe(0);
  });

  it("feedback arrays: FA mirrors the weight tiles, DFA stores small B_l, channel feedback smaller still", () => {
    const bp = cost(example);
    const dfa = cost(example, { algo: "dfa" });
    const fa = cost(example, { algo: "fa" });
    const channels = cost({ ...example, feedback: { conv: "channels" } }, { algo: "dfa" });
    expect(bp.area.breakdown.feedbackArrays).toBe(0);
    expect(dfa.area.total_m2).toBeCloseTo(bp.area.total_m2 + dfa.area.breakdown.feedbackArrays, 15);
    expect(fa.area.breakdown.feedbackArrays).toBeGreaterThan(dfa.area.breakdown.feedbackArrays);
    expect(channels.area.breakdown.feedbackArrays).toBeLessThan(dfa.area.breakdown.feedbackArrays / 10);
    // FA reads its mirror as BP reads W: the same error phase.
    expect(fa.phases.error.energy_j).toBeCloseTo(bp.phases.error.energy_j, 12);
    expect(fa.speedup?.total).toBeCloseTo(1, 9);
  });
});

describe("measured counts", () => {
  it("become the statistics NeuroSim reads from its traces: active lines per read, changed cells per update", () => {
    const pulses = pulseDistribution(3, 60, 5);
    // ceil(k · 60/32) pulses for k = 1, 2, 3 LSBs.
    expect(pulses.map((p, i) => [i + 1, p]).filter(([, p]) => (p as number) > 0)).toEqual([
      [2, 1 / 3],
      [4, 1 / 3],
      [6, 1 / 3],
    ]);
    const a = { ...DEFAULT_ASSUMPTIONS, updateSteps: 3 };
    const [s] = measuredStats(
      {
        layers: [
          {
            forward: { reads: 100, activeRows: 100 * 128 * 0.2, conversions: 0 },
            error: { reads: 10, activeRows: 10 * 64 * 0.4, conversions: 0 },
            update: { setPulses: 3000, resetPulses: 1000, rowsWritten: 0, writePulseSlots: 0 },
          },
        ],
        images: 100,
        updates: 10,
      },
      [{ rowsPerRead: 128, errorRowsPerRead: 64, cells: 1000 }],
      a,
      60,
      5,
    );
    expect(s?.activity).toBeCloseTo(0.2, 12);
    expect(s?.errorActivity).toBeCloseTo(0.4, 12);
    expect(s?.setShare).toBeCloseTo(0.75, 12);
    // 400 pulses per update over 1000 cells of 4 pulses each on average: 10 % of the cells changed.
    expect(s?.updateFraction).toBeCloseTo(0.1, 12);
    // No update and no read yet (a run stopped before its first step): nothing changed, the activities are the assumed ones.
    const [none] = measuredStats(
      {
        layers: [
          {
            forward: { reads: 0, activeRows: 0, conversions: 0 },
            error: { reads: 0, activeRows: 0, conversions: 0 },
            update: { setPulses: 0, resetPulses: 0, rowsWritten: 0, writePulseSlots: 0 },
          },
        ],
        images: 0,
        updates: 0,
      },
      [{ rowsPerRead: 128, errorRowsPerRead: 64, cells: 1000 }],
      a,
      60,
      5,
    );
    expect(none).toMatchObject({ updateFraction: 0, activity: a.activity, errorActivity: a.errorActivity, setShare: a.setShare });
  });

  it("a changing feedback matrix B_i is written on its mirror of W_i's tiles from its own counts: alongside W (kp), after W (sign-symmetric)", () => {
    const layerEvents = (fb: number) =>
      [784, 256, 256].map(() => ({
        forward: { reads: 800, activeRows: 800 * 64, conversions: 0 },
        error: { reads: 0, activeRows: 0, conversions: 0 },
        update: { setPulses: 500, resetPulses: 500, rowsWritten: 40, writePulseSlots: 80 },
        // Counted with the layer B feeds (i − 1): layer i's B is layers[i − 1].feedbackUpdate.
        feedbackUpdate: { setPulses: fb, resetPulses: fb, rowsWritten: fb > 0 ? 40 : 0, writePulseSlots: fb > 0 ? 80 : 0 },
      }));
    const cost = (algo: string, fb: number) => {
      const c = resolveConfig({ model: "mlp:784-256-256-10", dataset: "mnist", batch: 10, iterations: 100, algo });
      return estimateCost({ ...costInputOf(c), compareWithBp: false, measured: { layers: layerEvents(fb), images: 1000, updates: 100 } });
    };
    const update = (r: CostReport, i: number) => r.layers[i]?.phases.update as { latency_s: number; energy_j: number };
    const fixed = cost("fa", 0);
    for (const algo of ["usf", "kp"]) {
      // No B pulses: B's update still moves its data in (the chip's WU transfers), but no cell is written.
      const still = cost(algo, 0);
      expect(update(still, 0).energy_j).toBeCloseTo(update(fixed, 0).energy_j, 20);
      for (const i of [1, 2]) {
        expect(update(still, i).energy_j, `${algo} layer ${i + 1}`).toBeGreaterThan(update(fixed, i).energy_j);
        expect(update(still, i).energy_j, `${algo} layer ${i + 1}`).toBeLessThan(2 * update(fixed, i).energy_j);
      }
      // B written as much as W: twice W's energy on layers 2 and 3; the latency twice W's after W (usf), W's alongside it (kp).
      const same = cost(algo, 500);
      expect(update(same, 0).energy_j).toBeCloseTo(update(fixed, 0).energy_j, 20);
      for (const i of [1, 2]) {
        expect(update(same, i).energy_j / update(fixed, i).energy_j).toBeCloseTo(2, 9);
        expect(update(same, i).latency_s / update(fixed, i).latency_s).toBeCloseTo(algo === "usf" ? 2 : 1, 9);
      }
    }
    // More B pulses, more energy.
    expect(update(cost("brsf", 5000), 1).energy_j).toBeGreaterThan(update(cost("brsf", 500), 1).energy_j);
    // Alongside W (kp) the update takes the slower of the two writes; after W (usf) their sum, so usf − fa is B's write.
    for (const fb of [50, 5000]) {
      const [kp, usf] = [cost("kp", fb), cost("usf", fb)];
      for (const i of [1, 2]) {
        const w = update(fixed, i).latency_s;
        const b = update(usf, i).latency_s - w;
        expect(b > w, `B pulses ${fb}`).toBe(fb > 500);
        expect(update(kp, i).latency_s / Math.max(w, b), `B pulses ${fb}, layer ${i + 1}`).toBeCloseTo(1, 9);
      }
    }
  });

  it("a run's counts change the read and update figures, not the data movement", () => {
    const c = resolveConfig({ model: "mlp:784-128-10", dataset: "mnist", batch: 10, iterations: 100 });
    const input = costInputOf(c);
    const assumed = estimateCost({ ...input, compareWithBp: false });
    const layers = [784, 128].map((rows) => ({
      forward: { reads: 8 * 50 * 2, activeRows: 8 * 50 * 2 * Math.min(rows, 128) * 0.1, conversions: 0 },
      error: { reads: 0, activeRows: 0, conversions: 0 },
      update: { setPulses: 50, resetPulses: 50, rowsWritten: 10, writePulseSlots: 20 },
    }));
    const measured = estimateCost({ ...input, measured: { layers, images: 50, updates: 5 } });
    expect(measured.counts.source).toBe("measured");
    expect(measured.phases.forward.components.adc.energy_j).toBeLessThan(assumed.phases.forward.components.adc.energy_j);
    expect(measured.phases.forward.components.dram.energy_j).toBeCloseTo(assumed.phases.forward.components.dram.energy_j, 12);
    expect(measured.phases.update.energy_j).toBeLessThan(assumed.phases.update.energy_j);
  });
});
