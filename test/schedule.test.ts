// Schedules as timelines on the chip's hardware: the critical path is the epoch, overlap follows
// the rule's dependencies and the hardware's sharing, and the DFA speed-up approaches N only when
// nothing on the backward path is shared. Expectations are recomputed here from the report's
// per-layer phase latencies, not read back from the timeline.

import { describe, expect, it } from "vitest";
import { PHASES } from "../src/cost/account.js";
import { type CostReport, costInputOf, estimateCost } from "../src/cost/index.js";
import { InputError } from "../src/engine/errors.js";
import { resolveRunConfig } from "../src/experiment/config.js";
import { costOf } from "./helpers.js";

/** An equal-width MLP: `n` weight layers of width × width (the dataset check is not involved: the cost model takes the spec). */
function equalMlp(n: number, width = 256): string {
  return `mlp:${Array.from({ length: n + 1 }, () => width).join("-")}`;
}

const cost = costOf;

const NO_SHARING = {
  wgUnit: { sharing: "per-layer", accumulation: "on-chip" },
  buffers: { backward: "local" },
};

const backward = (r: CostReport) => r.phases.error.latency_s + r.phases.gradient.latency_s + r.phases.update.latency_s;
const layerTime = (r: CostReport, l: number, p: (typeof PHASES)[number]) => r.layers[l]?.phases[p].latency_s ?? 0;

describe("the timeline", () => {
  it("sequential: the epoch is the sum of every layer's every phase (DNN+NeuroSim)", () => {
    const r = cost(equalMlp(4), "bp", "sequential");
    let sum = 0;
    for (let l = 0; l < 4; l++) for (const p of PHASES) sum += layerTime(r, l, p);
    expect(r.total.latency_s / sum).toBeCloseTo(1, 12);
  });

  it("its critical path is the reported epoch, and the drawn window agrees with it", () => {
    for (const [algo, schedule, chip] of [
      ["bp", "sequential", {}],
      ["bp", "pipelined", NO_SHARING],
      ["dfa", "dfa-parallel", {}],
      ["dfa", "dfa-parallel", NO_SHARING],
    ] as const) {
      const r = cost(equalMlp(5), algo, schedule, chip);
      const t = r.timeline;
      expect(t.batch_s * 10, `${algo} ${schedule}`).toBeCloseTo(r.total.latency_s, 9);
      expect(PHASES.reduce((s, p) => s + r.phases[p].latency_s, 0) / r.total.latency_s).toBeCloseTo(1, 12);
      if (!t.options.pipelineImages) {
        // One image drawn: its span × batch, then the updates.
        const image = t.segments.filter((s) => s.image === 0);
        const updates = t.segments.filter((s) => s.image < 0);
        const imageEnd = Math.max(...image.map((s) => s.end_s));
        const updateSpan = updates.length ? Math.max(...updates.map((s) => s.end_s)) - imageEnd : 0;
        expect(imageEnd * 20 + updateSpan).toBeCloseTo(t.batch_s, 12);
      }
      // No resource does two things at once.
      const byResource = new Map<string, [number, number][]>();
      for (const s of t.segments) byResource.set(s.resource, [...(byResource.get(s.resource) ?? []), [s.start_s, s.end_s]]);
      for (const [resource, spans] of byResource) {
        spans.sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < spans.length; i++) {
          expect((spans[i] as [number, number])[0], resource).toBeGreaterThanOrEqual((spans[i - 1] as [number, number])[1] - 1e-18);
        }
      }
    }
  });

  it("DFA with nothing shared on the backward path: the backward phases speed up by N (within 10 %), as recomputed from the layers", () => {
    for (const n of [3, 5, 9]) {
      const bp = cost(equalMlp(n), "bp", "sequential", NO_SHARING);
      const dfa = cost(equalMlp(n), "dfa", "dfa-parallel", NO_SHARING);
      // BP: every layer's error, gradient and update one after another.
      let bpBackward = 0;
      for (let l = 0; l < n; l++) bpBackward += layerTime(bp, l, "error") + layerTime(bp, l, "gradient") + layerTime(bp, l, "update");
      expect(backward(bp) / bpBackward).toBeCloseTo(1, 12);
      // DFA: per image the slowest layer's error + gradient; per update the slowest layer's update.
      let perImage = 0;
      let perUpdate = 0;
      for (let l = 0; l < n; l++) {
        perImage = Math.max(perImage, layerTime(dfa, l, "error") + layerTime(dfa, l, "gradient"));
        perUpdate = Math.max(perUpdate, layerTime(dfa, l, "update"));
      }
      expect(backward(dfa) / (perImage + perUpdate)).toBeCloseTo(1, 9);
      const speedup = bpBackward / (perImage + perUpdate);
      expect(dfa.speedup?.backward).toBeCloseTo(speedup, 9);
      expect(speedup / n, `N = ${n}: ${speedup.toFixed(2)}×`).toBeGreaterThan(0.9);
      expect(speedup / n).toBeLessThan(1.1);
    }
  });

  it("one shared weight-gradient unit queues the gradients; one per layer runs them side by side", () => {
    const shared = cost(equalMlp(5), "dfa", "dfa-parallel", { wgUnit: { accumulation: "on-chip" }, buffers: { backward: "local" } });
    const perLayer = cost(equalMlp(5), "dfa", "dfa-parallel", NO_SHARING);
    let sum = 0;
    let slowest = 0;
    for (let l = 0; l < 5; l++) {
      sum += layerTime(shared, l, "gradient");
      slowest = Math.max(slowest, layerTime(perLayer, l, "gradient"));
    }
    // Only each gradient's transfer to its own buffer overlaps the next gradient on the shared unit.
    expect(shared.phases.gradient.latency_s / sum).toBeGreaterThan(0.9);
    expect(perLayer.phases.gradient.latency_s / slowest).toBeLessThan(1.1);
  });

  it("the forward latency does not depend on the gradient unit's sharing (±1 %)", () => {
    for (const model of [equalMlp(5), "mlp:784-512-512-512-10"]) {
      const shared = cost(model, "dfa", "dfa-parallel");
      const perLayer = cost(model, "dfa", "dfa-parallel", { wgUnit: { sharing: "per-layer" } });
      expect(perLayer.phases.forward.latency_s / shared.phases.forward.latency_s).toBeGreaterThan(0.99);
      expect(perLayer.phases.forward.latency_s / shared.phases.forward.latency_s).toBeLessThan(1.01);
    }
  });

  it("pipelining images helps BP too: the fair comparison is printed beside the sequential one", () => {
    const seq = cost(equalMlp(5), "bp", "sequential", NO_SHARING);
    const piped = cost(equalMlp(5), "bp", "pipelined", NO_SHARING);
    expect(piped.total.latency_s).toBeLessThan(seq.total.latency_s);
    // Each layer's arrays serve one image at a time: the forward can go no faster than its slowest layer per image.
    let slowest = 0;
    for (let l = 0; l < 5; l++) slowest = Math.max(slowest, layerTime(piped, l, "forward"));
    expect(piped.total.latency_s).toBeGreaterThanOrEqual(slowest * 0.999);
    const dfa = cost(equalMlp(5), "dfa", "dfa-parallel", NO_SHARING, { scheduleOptions: { pipelineImages: true } });
    expect(dfa.timeline.options).toMatchObject({ overlap: "resources", pipelineImages: true, updates: "overlapped" });
    expect(dfa.speedup?.same_timeline?.total).toBeGreaterThan(1);
    expect(dfa.speedup?.same_timeline?.total).toBeLessThan(dfa.speedup?.total as number);
  });

  it("Amdahl's bound is printed with the speed-up: the fraction of BP's epoch DFA can spread, over N layers", () => {
    const dfa = cost(equalMlp(5), "dfa", "dfa-parallel", NO_SHARING);
    const bp = cost(equalMlp(5), "bp", "sequential", NO_SHARING);
    const a = dfa.speedup?.amdahl;
    const p = (backward(bp) - 0) / bp.total.latency_s;
    expect(a?.parallel_fraction).toBeCloseTo(p, 12);
    expect(a?.layers).toBe(5);
    expect(a?.bound).toBeCloseTo(1 / (1 - p + p / 5), 12);
    // Not a ceiling for DFA itself: its error reads (B_l from the output) are other work than BP's transposed reads.
    const shared = cost(equalMlp(5), "dfa", "dfa-parallel");
    expect(shared.speedup?.total).toBeLessThan(shared.speedup?.amdahl.bound as number);
  });

  it("the hardware options charge their area; energy depends on the schedule only through leakage", () => {
    const plain = cost(equalMlp(4), "dfa", "dfa-parallel");
    const accumulating = cost(equalMlp(4), "dfa", "dfa-parallel", { wgUnit: { accumulation: "on-chip" } });
    const local = cost(equalMlp(4), "dfa", "dfa-parallel", { buffers: { backward: "local" } });
    expect(accumulating.area.breakdown.wgUnit).toBeGreaterThan(plain.area.breakdown.wgUnit);
    expect(local.area.breakdown.other).toBeGreaterThan(plain.area.breakdown.other);
    // No DRAM round trip for the gradients when they are summed on chip.
    expect(accumulating.phases.gradient.components.dram.energy_j).toBeLessThan(plain.phases.gradient.components.dram.energy_j);
    const seq = cost(equalMlp(4), "dfa", "sequential", NO_SHARING);
    const par = cost(equalMlp(4), "dfa", "dfa-parallel", NO_SHARING);
    for (const p of PHASES) expect(par.phases[p].energy_j).toBeCloseTo(seq.phases[p].energy_j, 15);
  });

  it("bad input: BP under dfa-parallel, and overlap options on the sequential schedule, are refused naming the field", () => {
    expect(() => cost(equalMlp(3), "bp", "dfa-parallel")).toThrow(InputError);
    expect(() => cost(equalMlp(3), "bp", "dfa-parallel")).toThrow(/schedule: "dfa-parallel" needs .*algo "bp" chains the error/);
    expect(() => cost(equalMlp(3), "dfa", "sequential", {}, { scheduleOptions: { pipelineImages: true } })).toThrow(
      /scheduleOptions\.pipelineImages: true needs a schedule that overlaps work/,
    );
    expect(() => cost(equalMlp(3), "dfa", "sequential", { wgUnit: { accumulation: "sram" } })).toThrow(/chip\.wgUnit\.accumulation/);
  });
});

describe("--explain for the timeline and the speed-up", () => {
  it("explains the batch's critical path, Amdahl's bound and both BP comparisons with their terms", async () => {
    const { explainCost } = await import("../src/cost/explain.js");
    const config = resolveRunConfig({
      model: "mlp:784-10",
      dataset: "mnist",
      algo: "dfa",
      schedule: "dfa-parallel",
      batch: 20,
      iterations: 10,
      chip: NO_SHARING,
    });
    const input = costInputOf({ ...config, model: equalMlp(4) });
    const r = estimateCost(input);
    const batch = explainCost(input, "timeline.batch_s");
    expect(batch).toMatch(/one image's critical path on the hardware × the batch/);
    expect(batch).toMatch(/one image: [\d.]+ \S?s × 20 images/);
    const bound = explainCost(input, "speedup.amdahl.bound");
    expect(bound).toMatch(/1 \/ \(\(1 − p\) \+ p \/ N\)/);
    expect(bound).toContain(`N = 4`);
    expect(bound).toContain(`speedup.amdahl.bound = ${(r.speedup?.amdahl.bound ?? Number.NaN).toPrecision(4)}`);
    const same = explainCost(input, "speedup.same_timeline.backward");
    expect(same).toMatch(/BP's dependencies on the same overlapping hardware/);
    expect(explainCost(input, "speedup.total")).toMatch(/sequential schedule, as DNN\+NeuroSim/);
  });
});
