// The device layer's edges: what a crossbar refuses (each field named), a read of all-zero inputs
// on a non-ideal periphery, drift's no-op conditions, and how a modified preset is labelled.

import { describe, expect, it } from "vitest";
import { DeviceArray } from "../src/device/array.js";
import { deviceLabel, resolveDevice } from "../src/device/config.js";
import { CrossbarArray, emptyReadCounts, exactUpdate, IDEAL_READ } from "../src/device/crossbar.js";
import { InputError } from "../src/engine/errors.js";
import { resolveRunConfig } from "../src/experiment/config.js";
import { engine } from "./helpers.js";

function crossbar(e: Awaited<ReturnType<typeof engine>>, o: Partial<ConstructorParameters<typeof CrossbarArray>[1]> = {}, maxBatch = 4) {
  return new CrossbarArray(
    e,
    {
      rows: 6,
      cols: 3,
      device: resolveDevice("ag-a-si"),
      mapping: "reference",
      subArrayRows: 4,
      forward: IDEAL_READ,
      seed: 1,
      arrayId: 0,
      ...o,
    },
    maxBatch,
  );
}

describe("CrossbarArray refuses what it cannot read", () => {
  it("DAC bits 0…16 and ADC bits 0…24, integers, per direction; sub-array rows 1…65536", async () => {
    const e = await engine();
    for (const dacBits of [-1, 1.5, 17]) {
      expect(() => crossbar(e, { forward: { ...IDEAL_READ, dacBits } })).toThrow(
        new InputError(`forward read: dacBits ${dacBits} must be an integer 0…16`),
      );
      expect(() => crossbar(e, { transposed: { ...IDEAL_READ, dacBits } })).toThrow(
        `transposed read: dacBits ${dacBits} must be an integer 0…16`,
      );
    }
    for (const adcBits of [-1, 2.5, 25])
      expect(() => crossbar(e, { forward: { ...IDEAL_READ, adcBits } })).toThrow(
        `forward read: adcBits ${adcBits} must be an integer 0…24`,
      );
    for (const subArrayRows of [0, 2.5, 65537])
      expect(() => crossbar(e, { subArrayRows })).toThrow(`subArrayRows ${subArrayRows} must be an integer 1…65536`);
    // The limits themselves are accepted.
    expect(() => crossbar(e, { forward: { ...IDEAL_READ, dacBits: 16, adcBits: 24 }, subArrayRows: 65536 })).not.toThrow();
    expect(() => crossbar(e, { forward: { ...IDEAL_READ, dacBits: 0, adcBits: 0 }, subArrayRows: 1 })).not.toThrow();
  });

  it("a read whose shapes do not fit, a transposed read it was not built for, a batch past its size", async () => {
    const e = await engine();
    const array = crossbar(e, { forward: { ...IDEAL_READ, adcBits: 5 } }, 2);
    const counts = emptyReadCounts();
    expect(() => array.read(e.arena.tensor([2, 5]), e.arena.tensor([2, 3]), false, counts)).toThrow(
      "crossbar read: x [2×5] and y [2×3] do not fit a 6→3 read",
    );
    expect(() => array.read(e.arena.tensor([2, 6]), e.arena.tensor([3, 3]), false, counts)).toThrow("do not fit a 6→3 read");
    expect(() => array.read(e.arena.tensor([2, 6]), e.arena.tensor([2, 4]), false, counts)).toThrow("do not fit a 6→3 read");
    expect(() => array.read(e.arena.tensor([2, 3]), e.arena.tensor([2, 6]), true, counts)).toThrow(
      "this crossbar has no transposed read configured",
    );
    expect(() => array.read(e.arena.tensor([3, 6]), e.arena.tensor([3, 3]), false, counts)).toThrow(
      "crossbar read: batch 3 exceeds the 2 it was built for",
    );
    expect(counts).toEqual(emptyReadCounts());
  });
});

describe("a read of all-zero inputs", () => {
  it("one-shot (ideal DAC, a real ADC): zero out, every block still read and converted (the reference column too); bit-serial: nothing counted", async () => {
    const e = await engine();
    for (const mapping of ["reference", "differential"] as const) {
      const oneShot = crossbar(e, { mapping, forward: { ...IDEAL_READ, adcBits: 5 } });
      const w = Float32Array.from({ length: 18 }, (_, i) => Math.sin(i) * 0.5);
      oneShot.setWeights(w);
      const x = e.arena.tensor([3, 6]);
      const y = e.arena.tensor([3, 3]);
      e.f32(y).fill(7);
      const counts = emptyReadCounts();
      oneShot.read(x, y, false, counts);
      expect(Array.from(e.f32(y))).toEqual(new Array(9).fill(0));
      // 6 rows on 4-row sub-arrays: 2 blocks; 3 columns, twice when differential, plus the reference column.
      expect(counts).toEqual({ reads: 3 * 2, activeRows: 0, conversions: 3 * 2 * (mapping === "differential" ? 6 : 4) });
      const serial = crossbar(e, { mapping, forward: { ...IDEAL_READ, dacBits: 4, adcBits: 5 } });
      const none = emptyReadCounts();
      serial.read(x, y, false, none);
      expect(none).toEqual(emptyReadCounts());
    }
  });
});

describe("drift", () => {
  it("does nothing at t ≤ t0 or with ν = νσ = 0; moves the conductances with ν = 0 and νσ > 0", async () => {
    const e = await engine();
    const array = crossbar(e);
    array.setWeights(Float32Array.from({ length: 18 }, (_, i) => Math.cos(i) * 0.5));
    const before = Array.from(e.f32(array.weights));
    array.drift(1, 1, 0.1, 0.05);
    array.drift(0.5, 1, 0.1, 0.05);
    array.drift(100, 1, 0, 0);
    expect(Array.from(e.f32(array.weights))).toEqual(before);
    array.drift(100, 1, 0, 0.05);
    expect(Array.from(e.f32(array.weights))).not.toEqual(before);
  });
});

describe("deviceLabel", () => {
  it("the preset alone, or with what differs: equal levels as one, unequal levels each, other fields by name (in the parameters' order)", () => {
    expect(deviceLabel(resolveDevice("ag-a-si"))).toBe("ag-a-si");
    const base = resolveDevice("ag-a-si");
    expect(deviceLabel(resolveDevice({ preset: "ag-a-si", nlLtp: base.nlLtp }))).toBe("ag-a-si");
    expect(deviceLabel(resolveDevice({ preset: "ag-a-si", levelsLtp: 16, levelsLtd: 16 }))).toBe("ag-a-si + levels 16");
    const [ltp, ltd] = [base.levelsLtp + 1, base.levelsLtd + 2];
    expect(deviceLabel(resolveDevice({ preset: "ag-a-si", levelsLtp: ltp, levelsLtd: ltd }))).toBe(
      `ag-a-si + levels LTP ${ltp}, levels LTD ${ltd}`,
    );
    expect(deviceLabel(resolveDevice({ preset: "ag-a-si", levelsLtd: ltd }))).toBe(`ag-a-si + levels LTD ${ltd}`);
    expect(deviceLabel(resolveDevice({ preset: "ag-a-si", c2c: 0.05, readNoise: 0.01 }))).toBe("ag-a-si + readNoise=0.01, c2c=0.05");
    expect(deviceLabel({ ...base, preset: "no-such-preset" })).toBe("no-such-preset");
  });

  it("a curve constant A of 0 is refused with the reason", () => {
    expect(() => resolveRunConfig({ device: { preset: "ag-a-si", aLtp: 0 } })).toThrow(
      /device\.aLtp.*must not be 0 \(use a large \|A\| for a linear device\)/,
    );
    expect(resolveRunConfig({ device: { preset: "ag-a-si", aLtp: -2 } }).device.aLtp).toBe(-2);
  });
});

describe("exactUpdate: which devices take w + Δw exactly", () => {
  it("only the ideal preset's physics with at least 65,536 levels; any curve, variation, stuck cell or fewer levels is programmed", () => {
    const ideal = resolveDevice("ideal");
    expect(exactUpdate(ideal)).toBe(true);
    for (const change of [
      { nlLtp: 1 },
      { nlLtd: -1 },
      { aLtp: 5 },
      { aLtd: 5 },
      { c2c: 0.01 },
      { d2dNl: 0.1 },
      { d2dGMin: 0.1 },
      { d2dGMax: 0.1 },
      { stuckAtGMin: 0.01 },
      { stuckAtGMax: 0.01 },
      { levelsLtp: 65_535 },
      { levelsLtd: 1024 },
    ])
      expect(exactUpdate({ ...ideal, ...change }), JSON.stringify(change)).toBe(false);
    expect(exactUpdate({ ...ideal, levelsLtp: 1 << 20, levelsLtd: 1 << 20 })).toBe(true);
    expect(exactUpdate(resolveDevice("ag-a-si"))).toBe(false);
  });
});

describe("DeviceArray: per-device bounds and the update's shape", () => {
  it("D2D on gMin alone or gMax alone still draws per-device bounds, which vary; none without D2D", async () => {
    const e = await engine();
    const base = resolveDevice("ag-a-si");
    for (const d2d of [
      { d2dGMin: 0.1, d2dGMax: 0 },
      { d2dGMin: 0, d2dGMax: 0.1 },
    ]) {
      const a = new DeviceArray(e, { rows: 8, cols: 8, device: { ...base, ...d2d }, seed: 3, arrayId: 0 });
      if (!a.gMin || !a.gMax) throw new Error(`${JSON.stringify(d2d)}: no per-device bounds`);
      const varied = d2d.d2dGMin > 0 ? e.f32(a.gMin) : e.f32(a.gMax);
      expect(new Set(varied).size, JSON.stringify(d2d)).toBeGreaterThan(32);
    }
    expect(new DeviceArray(e, { rows: 8, cols: 8, device: { ...base, d2dGMin: 0, d2dGMax: 0 }, seed: 3, arrayId: 0 }).gMin).toBeUndefined();
  });

  it("program refuses a Δw that is not f32 rows × cols, naming both shapes", async () => {
    const e = await engine();
    const a = new DeviceArray(e, { rows: 4, cols: 3, device: resolveDevice("ag-a-si"), seed: 1, arrayId: 0 });
    for (const dw of [e.arena.tensor([3, 4]), e.arena.tensor([4, 2]), e.arena.tensor([12])])
      expect(() => a.program(dw, 1, 0, "nearest")).toThrow(`program: dw must be f32 [4×3], got f32 [${dw.shape.join("×")}]`);
  });
});

describe("DeviceArray: faults on varied bounds, and what it refuses", () => {
  it("a cell stuck at gMin sits at its own drawn gMin when the bounds vary (flag 1), at gMax likewise (flag 2)", async () => {
    const e = await engine();
    const device = { ...resolveDevice("ag-a-si"), d2dGMin: 0.2, d2dGMax: 0.2, stuckAtGMin: 0.2, stuckAtGMax: 0.2 };
    const a = new DeviceArray(e, { rows: 16, cols: 16, device, seed: 5, arrayId: 0 });
    if (!a.flags || !a.gMin || !a.gMax) throw new Error("no faults or bounds");
    const flags = e.u8(a.flags);
    const [g, gMin, gMax] = [e.f32(a.g), e.f32(a.gMin), e.f32(a.gMax)];
    let seen = 0;
    for (let i = 0; i < flags.length; i++) {
      if (flags[i] === 1) expect(g[i], `cell ${i}`).toBe(gMin[i]);
      if (flags[i] === 2) expect(g[i], `cell ${i}`).toBe(gMax[i]);
      if (flags[i] !== 0) seen++;
    }
    expect(seen).toBeGreaterThan(50);
    expect(
      new Set(
        Array.from(flags.keys())
          .filter((i) => flags[i] === 1)
          .map((i) => g[i]),
      ).size,
    ).toBeGreaterThan(10);
  });

  it("D2D on the NL labels with curve constants given directly is refused; writeWeights wants f32 with one value per device", async () => {
    const e = await engine();
    const base = resolveDevice("ag-a-si");
    for (const given of [{ aLtp: 3 }, { aLtd: -3 }])
      expect(() => new DeviceArray(e, { rows: 2, cols: 2, device: { ...base, d2dNl: 0.1, ...given }, seed: 1, arrayId: 0 })).toThrow(
        "device: d2dNl varies the NL labels, so it cannot be combined with aLtp/aLtd given directly",
      );
    const a = new DeviceArray(e, { rows: 2, cols: 3, device: base, seed: 1, arrayId: 0 });
    expect(() => a.writeWeights(e.arena.tensor([5]), 1)).toThrow("writeWeights: w must be f32 with 6 values, got f32 [5]");
    expect(() => a.writeWeights(e.arena.tensor([6], "u8" as never), 1)).toThrow(/writeWeights: w must be f32 with 6 values, got u8 \[6\]/);
    expect(() => a.writeWeights(e.arena.tensor([3, 2]), 1)).not.toThrow();
  });
});
