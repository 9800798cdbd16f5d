import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeviceArray, type ProgramCounts, type PulseRounding } from "../src/device/array.js";
import { deviceConfigSchema, deviceOverridesSchema, resolveDevice } from "../src/device/config.js";
import { deviceCurve } from "../src/device/curve.js";
import type { DeviceParams } from "../src/device/params.js";
import { DEVICE_PRESET_IDS, DEVICE_PRESETS, findDevicePreset } from "../src/device/presets.js";
import { type Engine, fillNormal, fillUniform, InputError, streamId } from "../src/index.js";
import { curveP, curveU, maxGap, NL_GAP, refNlToA } from "../src/reference/curve.js";
import { programRef } from "../src/reference/program.js";
import { engine, lcgFill, tensorOf } from "./helpers.js";

// Synaptic devices (issue 3): the NL label ↔ A rule, the conductance curves,
// the programming kernel through DeviceArray (pulses, C2C, D2D, stuck faults,
// rounding, counts) and the device config. Facts and test vectors from
// DNN+NeuroSim V2.1 (wage_quantizer.py, Param.cpp) and MLP+NeuroSim V3.0 (its manual's device table).

// ---------------------------------------------------------------------------
// Independent references, float64.

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function meanSd(v: ArrayLike<number>): { mean: number; sd: number; n: number } {
  const n = v.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i] as number;
  const mean = s / n;
  let q = 0;
  for (let i = 0; i < n; i++) q += ((v[i] as number) - mean) ** 2;
  return { mean, sd: Math.sqrt(q / (n - 1)), n };
}

/** Sample mean within 5 standard errors of `mu` and sample σ within 5 standard errors of `sigma` (normal data). */
function expectNormalStats(v: ArrayLike<number>, mu: number, sigma: number, label: string): void {
  const { mean, sd, n } = meanSd(v);
  expect(Math.abs(mean - mu), `${label}: mean ${mean}, want ${mu}`).toBeLessThanOrEqual((5 * sigma) / Math.sqrt(n));
  expect(Math.abs(sd - sigma), `${label}: σ ${sd}, want ${sigma}`).toBeLessThanOrEqual((5 * sigma) / Math.sqrt(2 * n));
}

/** A binomial fraction k/n within 5 standard errors of p. */
function expectFraction(k: number, n: number, p: number, label: string): void {
  expect(Math.abs(k / n - p), `${label}: ${k}/${n}, want ${p}`).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / n));
}

// ---------------------------------------------------------------------------
// Fixtures.

function preset(id: string, overrides: Partial<DeviceParams> = {}): DeviceParams {
  const p = findDevicePreset(id);
  if (!p) throw new Error(`no preset ${id}`);
  return { ...p.params, ...overrides };
}

/** fefet-v21 with no variation, 32 levels and the given labels: the device of the §3.6 test vectors. */
function fefet(nlLtp: number, nlLtd: number, overrides: Partial<DeviceParams> = {}): DeviceParams {
  return preset("fefet-v21", { levelsLtp: 32, levelsLtd: 32, c2c: 0, nlLtp, nlLtd, ...overrides });
}

/** A linear device (ideal preset) with `levels` levels. */
function linear(levels: number, overrides: Partial<DeviceParams> = {}): DeviceParams {
  return preset("ideal", { levelsLtp: levels, levelsLtd: levels, ...overrides });
}

/** The value, which the test expects to be there. */
function must<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`${what} is missing`);
  return v;
}

function wOfG(d: DeviceParams, g: number): number {
  return (2 * (g - d.gMin)) / (d.gMax - d.gMin) - 1;
}

let e: Engine;
let mark = 0;
beforeAll(async () => {
  e = await engine();
});
beforeEach(() => {
  mark = e.arena.mark();
});
afterEach(() => {
  e.arena.release(mark);
});

function makeArray(device: DeviceParams, rows: number, cols: number, seed = 1, arrayId = 0, on: Engine = e): DeviceArray {
  return new DeviceArray(on, { rows, cols, device, seed, arrayId });
}

function setW(arr: DeviceArray, w: ArrayLike<number>): void {
  const m = e.arena.mark();
  try {
    arr.writeWeights(tensorOf(e, [arr.rows, arr.cols], w), (arr.device.gMax - arr.device.gMin) / 2);
  } finally {
    e.arena.release(m);
  }
}

interface ProgramOptions {
  dwScale?: number;
  step?: number;
  rounding?: PulseRounding;
  threshold?: number;
}

function program(arr: DeviceArray, dw: ArrayLike<number>, o: ProgramOptions = {}, on: Engine = e): ProgramCounts {
  const m = on.arena.mark();
  try {
    const t = tensorOf(on, [arr.rows, arr.cols], dw);
    return arr.program(t, o.dwScale ?? 0.5, o.step ?? 0, o.rounding ?? "nearest", o.threshold ?? 0);
  } finally {
    on.arena.release(m);
  }
}

function conductances(arr: DeviceArray, on: Engine = e): Float32Array {
  return on.f32(arr.g).slice();
}

/** Pulse counts realized on a linear device (weights move by 2/levels per pulse), from the conductance change. */
function pulsesOf(arr: DeviceArray, before: Float32Array, after: Float32Array): number[] {
  const d = arr.device;
  const out: number[] = [];
  const bad: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const p = (((after[i] as number) - (before[i] as number)) / (d.gMax - d.gMin)) * d.levelsLtp;
    if (Math.abs(p - Math.round(p)) >= 1e-3 && bad.length < 5) bad.push(`device ${i}: ${p} pulses is not an integer`);
    out.push(Math.round(p) + 0);
  }
  expect(bad).toEqual([]);
  return out;
}

// ---------------------------------------------------------------------------

describe("nonlinearity label ↔ curve constant A", () => {
  // §3.6 check values, as printed: the tolerance is half a unit of the last printed digit
  // plus the table's own 2.2e-5 relative distance from the rule.
  const CHECK: [number, string][] = [
    [0.01, "126.268958"],
    [0.1, "12.625807"],
    [0.5, "2.519877"],
    [1.0, "1.251653"],
    [1.46, "0.848677"],
    [1.75, "0.702081"],
    [2.0, "0.609"],
    [2.4, "0.499181"],
    [3.0, "0.3868"],
    [4.88, "0.200303"],
    [6.0, "0.135619"],
    [9.0, "0.02281"],
  ];
  const tolOf = (printed: string): number => {
    const decimals = printed.split(".")[1]?.length ?? 0;
    return 0.5 * 10 ** -decimals + 2.2e-5 * Number(printed);
  };

  it("nlToA gives the check values to their printed digits", () => {
    for (const [nl, printed] of CHECK) {
      const a = e.kernels.nlToA(nl);
      expect(Math.abs(a - Number(printed)), `NL ${nl}: A ${a}, table ${printed}`).toBeLessThanOrEqual(tolOf(printed));
    }
    // The manual's Ag:a-Si fit: A = 0.5 and −0.2 are labels 2.40 and −4.88.
    expect(e.kernels.aToNl(0.5)).toBeCloseTo(2.4, 2);
    expect(e.kernels.aToNl(-0.2)).toBeCloseTo(-4.88, 2);
  });

  it("negative labels give −A, NL 0 is linear (Infinity), and aToNl inverts nlToA", () => {
    const k = e.kernels;
    for (const [nl] of CHECK) expect(k.nlToA(-nl)).toBe(-k.nlToA(nl));
    expect(k.nlToA(0)).toBe(Number.POSITIVE_INFINITY);
    expect(k.aToNl(Number.POSITIVE_INFINITY)).toBe(0);
    // |NL| below 0.01 is NeuroSim's 0.01.
    expect(k.nlToA(0.001)).toBe(k.nlToA(0.01));
    for (let nl = -9; nl <= 9.0001; nl += 0.37) {
      if (Math.abs(nl) < 0.01) continue;
      expect(Math.abs(k.aToNl(k.nlToA(nl)) - nl), `NL ${nl}`).toBeLessThanOrEqual(1e-9);
    }
    // Larger |NL| is a more curved device: A falls strictly with |NL|.
    let last = Number.POSITIVE_INFINITY;
    for (let nl = 0.01; nl <= 9; nl += 0.05) {
      const a = k.nlToA(nl);
      expect(a).toBeLessThan(last);
      last = a;
    }
  });

  it("agrees with an independent golden-section solution of the rule", () => {
    // The reference itself reproduces the printed table.
    for (const [nl, printed] of CHECK) expect(Math.abs(refNlToA(nl) - Number(printed))).toBeLessThanOrEqual(tolOf(printed));
    for (const nl of [0.01, 0.03, 0.1, 0.25, 0.5, 0.77, 1, 1.46, 1.75, 2.4, 3.33, 4.88, 6, 7.5, 9, -0.6, -1.46, -4.88, -8.2]) {
      const got = e.kernels.nlToA(nl);
      const want = refNlToA(nl);
      expect(Math.abs(got / want - 1), `NL ${nl}: ${got} vs ${want}`).toBeLessThan(1e-8);
      // And the gap at the solution is the label's.
      expect(maxGap(Math.abs(got)) / NL_GAP).toBeCloseTo(Math.abs(nl), 8);
    }
  });
});

describe("derived test vectors of §3.6 (max_level 32) through DeviceArray.program", () => {
  // NL, A_pulses, B_w (first row of each NL), w, x_p, +1 pulse Δw, −1 pulse Δw.
  const VECTORS: { nl: number; aPulses?: number; bW?: number; w: number; xp: number; up: number; down: number }[] = [
    { nl: 1.75, aPulses: 22.466592, bW: 2.633894, w: -0.9375, xp: 0.5395, up: 0.11194, down: -0.11704 },
    { nl: 1.75, w: 0, xp: 10.7277, up: 0.07113, down: -0.07437 },
    { nl: 1.75, w: 0.5, xp: 18.935, up: 0.04936, down: -0.05161 },
    { nl: 1.75, w: 0.9375, xp: 29.8874, up: 0.03032, down: -0.0317 },
    { nl: 1.46, aPulses: 27.157664, bW: 2.889339, w: 0, xp: 11.5366, up: 0.0683, down: -0.07087 },
    { nl: -1.46, aPulses: -27.157664, bW: -0.889339, w: 0, xp: 20.4634, up: 0.07087, down: -0.0683 },
    { nl: -1.46, w: 0.9375, xp: 31.4061, up: 0.10603, down: -0.1022 },
  ];
  // Five printed decimals; the kernel's A is within 2.2e-5 (relative) of the table's A the vectors were derived with.
  const DW_TOL = 5e-6 + 1.5e-6;

  it("A_pulses and B_w", () => {
    for (const v of VECTORS) {
      if (v.aPulses === undefined || v.bW === undefined) continue;
      const arr = makeArray(fefet(v.nl, v.nl), 1, 1);
      const aPulses = arr.aLtpNominal * 32;
      expect(arr.aLtdNominal).toBe(arr.aLtpNominal);
      expect(Math.abs(aPulses - v.aPulses), `NL ${v.nl}: A_pulses ${aPulses}`).toBeLessThanOrEqual(2.2e-5 * Math.abs(v.aPulses) + 5e-7);
      const bW = 2 / -Math.expm1(-32 / aPulses);
      expect(Math.abs(bW - v.bW), `NL ${v.nl}: B_w ${bW}`).toBeLessThanOrEqual(2.2e-5 * Math.abs(v.bW) + 5e-7);
    }
  });

  it("the table is the closed form: x_p and the unclamped ±1 pulse changes", () => {
    // Checks this file's reference (with the table's own A) before it is used below.
    for (const v of VECTORS) {
      const a = must(VECTORS.find((r) => r.nl === v.nl && r.aPulses !== undefined)?.aPulses, `A_pulses of NL ${v.nl}`);
      const u = (v.w + 1) / 2;
      const xp = curveP(u, a, 32);
      expect(Math.abs(xp - v.xp), `NL ${v.nl} w ${v.w}: x_p ${xp}`).toBeLessThanOrEqual(0.5e-4 + 1e-6 * Math.abs(xp));
      expect(2 * (curveU(xp + 1, a, 32) - u)).toBeCloseTo(v.up, 5);
      expect(2 * (curveU(xp - 1, a, 32) - u)).toBeCloseTo(v.down, 5);
    }
  });

  it("one ±2/32 step at dwScale 0.5 is exactly one pulse and realizes the table's Δw (clamped at the bounds)", () => {
    for (const v of VECTORS) {
      const d = fefet(v.nl, v.nl);
      const range = d.gMax - d.gMin;
      // Device 0 gets +1 pulse, device 1 gets −1 pulse.
      const arr = makeArray(d, 1, 2);
      setW(arr, [v.w, v.w]);
      const before = conductances(arr);
      const counts = program(arr, [2 / 32, -2 / 32]);
      expect(counts.setPulses).toBe(1);
      expect(counts.resetPulses).toBe(1);
      expect(counts.devicesMoved).toBe(2);
      const after = conductances(arr);
      const up = (2 * ((after[0] as number) - (before[0] as number))) / range;
      const down = (2 * ((after[1] as number) - (before[1] as number))) / range;
      // Two table entries leave [−1, 1] (the table is the unclamped curve): the device stops exactly at its bound.
      if (v.w + v.up > 1) {
        expect(after[0]).toBe(Math.fround(d.gMax));
      } else {
        expect(Math.abs(up - v.up), `NL ${v.nl} w ${v.w}: +1 pulse Δw ${up}, table ${v.up}`).toBeLessThanOrEqual(DW_TOL);
      }
      if (v.w + v.down < -1) {
        expect(after[1]).toBe(Math.fround(d.gMin));
      } else {
        expect(Math.abs(down - v.down), `NL ${v.nl} w ${v.w}: −1 pulse Δw ${down}, table ${v.down}`).toBeLessThanOrEqual(DW_TOL);
      }
    }
  });
});

describe("conductance curves (pulseCurve, the `device` table) against the closed form", () => {
  const IDS = ["fefet-v21", "rram-v20", "ag-a-si", "taox-hfox", "pcmo", "alox-hfo2", "gst-pcm", "epiram", "hzo-fefet"];

  it("LTP from gMin and LTD from gMax follow G = Gmin + B(1 − e^(−P/A))·(Gmax − Gmin), saturating after `levels` pulses", () => {
    for (const id of IDS) {
      const d = preset(id);
      const range = d.gMax - d.gMin;
      const extra = 5;
      const pulses = Math.max(d.levelsLtp, d.levelsLtd) + extra;
      const { ltp, ltd } = deviceCurve(e, d, pulses);
      expect(ltp).toHaveLength(pulses + 1);
      expect(ltd).toHaveLength(pulses + 1);
      const aLtp = refNlToA(d.nlLtp) * d.levelsLtp;
      const aLtd = refNlToA(d.nlLtd) * d.levelsLtd;
      for (let p = 0; p <= pulses; p++) {
        const gLtp = d.gMin + curveU(Math.min(p, d.levelsLtp), aLtp, d.levelsLtp) * range;
        // LTD walks the LTD curve backward from its end (x = Pmax) by P pulses.
        const gLtd = d.gMin + curveU(Math.max(d.levelsLtd - p, 0), aLtd, d.levelsLtd) * range;
        expect(Math.abs((ltp[p] as number) - gLtp), `${id} LTP pulse ${p}`).toBeLessThanOrEqual(1e-8 * range);
        expect(Math.abs((ltd[p] as number) - gLtd), `${id} LTD pulse ${p}`).toBeLessThanOrEqual(1e-8 * range);
      }
      expect(ltp[0]).toBe(d.gMin);
      expect(ltd[0]).toBe(d.gMax);
      for (let p = 1; p <= d.levelsLtp; p++) expect(ltp[p] as number, `${id} LTP ${p}`).toBeGreaterThan(ltp[p - 1] as number);
      for (let p = 1; p <= d.levelsLtd; p++) expect(ltd[p] as number, `${id} LTD ${p}`).toBeLessThan(ltd[p - 1] as number);
      // Saturated: more pulses do not move past the bound.
      for (let p = d.levelsLtp; p <= pulses; p++) expect(Math.abs((ltp[p] as number) - d.gMax)).toBeLessThanOrEqual(1e-14 * range);
      for (let p = d.levelsLtd; p <= pulses; p++) expect(Math.abs((ltd[p] as number) - d.gMin)).toBeLessThanOrEqual(1e-14 * range);
    }
  });

  it("the V2.1 FeFET reaches exactly gMax after 32 LTP pulses", () => {
    const d = preset("fefet-v21");
    const { ltp } = deviceCurve(e, d, 32);
    expect(ltp[32]).toBe(d.gMax);
  });

  // pulseCurve evaluates the closed form at each pulse position, so both ends are exact.
  it("every preset's LTP curve reaches exactly gMax after `levels` pulses", () => {
    for (const id of IDS) {
      const d = preset(id);
      const { ltp } = deviceCurve(e, d, d.levelsLtp);
      expect(ltp[d.levelsLtp], id).toBe(d.gMax);
    }
  });

  it("a linear device (NL 0) takes equal steps; same-sign labels retrace one curve; opposite signs make LTD steep near gMax", () => {
    const lin = linear(32);
    const range = lin.gMax - lin.gMin;
    const { ltp, ltd } = deviceCurve(e, lin, 32);
    for (let p = 0; p <= 32; p++) {
      expect(Math.abs((ltp[p] as number) - (lin.gMin + (p / 32) * range))).toBeLessThanOrEqual(1e-15 * range);
      expect(Math.abs((ltd[p] as number) - (lin.gMax - (p / 32) * range))).toBeLessThanOrEqual(1e-15 * range);
    }
    const same = fefet(1.75, 1.75);
    const s = deviceCurve(e, same, 32);
    for (let p = 0; p <= 32; p++) {
      expect(Math.abs((s.ltd[p] as number) - (s.ltp[32 - p] as number))).toBeLessThanOrEqual(1e-13 * (same.gMax - same.gMin));
    }
    // Concave LTP: big steps at the bottom; retraced LTD: small steps at the top.
    expect((s.ltp[1] as number) - (s.ltp[0] as number)).toBeGreaterThan(2 * ((s.ltp[32] as number) - (s.ltp[31] as number)));
    expect((s.ltd[0] as number) - (s.ltd[1] as number)).toBeLessThan(0.5 * ((s.ltd[31] as number) - (s.ltd[32] as number)));
    const opposite = deviceCurve(e, fefet(1.75, -1.75), 32);
    expect((opposite.ltd[0] as number) - (opposite.ltd[1] as number)).toBeGreaterThan(
      2 * ((opposite.ltd[31] as number) - (opposite.ltd[32] as number)),
    );
  });
});

describe("programming: symmetry, asymmetry, monotonicity, clamping", () => {
  const START = [-0.9, -0.6, -0.3, 0, 0.25, 0.5, 0.8];

  it("same-sign equal A: +p then −p pulses return to the start (to f32 precision); unequal A does not", () => {
    for (const [nlLtp, nlLtd, exact] of [
      [1.75, 1.75, true],
      [-2.4, -2.4, true],
      [1.75, 1.46, false],
    ] as const) {
      const d = fefet(nlLtp, nlLtd);
      const range = d.gMax - d.gMin;
      const aLtp = e.kernels.nlToA(nlLtp) * 32;
      for (const p of [1, 3, 7]) {
        // Starts from which +p pulses stay below gMax (past it the device clamps and cannot retrace).
        const starts = START.filter((w) => curveP((w + 1) / 2, aLtp, 32) + p < 31.5);
        expect(starts.length).toBeGreaterThanOrEqual(4);
        const arr = makeArray(d, 1, starts.length);
        setW(arr, starts);
        const before = conductances(arr);
        program(arr, new Array(starts.length).fill((2 * p) / 32));
        program(arr, new Array(starts.length).fill((-2 * p) / 32));
        const after = conductances(arr);
        for (let i = 0; i < starts.length; i++) {
          const miss = Math.abs((after[i] as number) - (before[i] as number)) / range;
          if (exact) expect(miss, `NL ${nlLtp}/${nlLtd} p ${p} w ${starts[i]}`).toBeLessThanOrEqual(1e-6);
          else expect(miss, `NL ${nlLtp}/${nlLtd} p ${p} w ${starts[i]}`).toBeGreaterThan(1e-4);
        }
      }
    }
  });

  it("opposite-sign A: alternating ±1 pulses drift the conductance towards the middle, by a lot; same-sign does not drift", () => {
    const starts = [-0.85, 0.85];
    const run = (d: DeviceParams): number[] => {
      const arr = makeArray(d, 1, 2);
      setW(arr, starts);
      for (let cycle = 0; cycle < 20; cycle++) {
        program(arr, [2 / 32, 2 / 32]);
        program(arr, [-2 / 32, -2 / 32]);
      }
      return Array.from(conductances(arr), (g) => wOfG(d, g));
    };
    const [low, high] = run(fefet(1.46, -1.46)) as [number, number];
    // LTP (concave) steps are large near gMin, LTD (convex, walked backward) steps are large near gMax.
    expect(low - (starts[0] as number)).toBeGreaterThan(0.4);
    expect(high - (starts[1] as number)).toBeLessThan(-0.4);
    const [lowSym, highSym] = run(fefet(1.46, 1.46)) as [number, number];
    expect(Math.abs(lowSym - (starts[0] as number))).toBeLessThan(1e-5);
    expect(Math.abs(highSym - (starts[1] as number))).toBeLessThan(1e-5);
  });

  it("single-pulse steps are monotone along the curve and follow the closed form; more pulses move further", () => {
    for (const [nlLtp, nlLtd] of [
      [1.75, 1.46],
      [-2.4, -1.46],
    ] as const) {
      const d = fefet(nlLtp, nlLtd);
      const range = d.gMax - d.gMin;
      const arr = makeArray(d, 1, 2);
      setW(arr, [-1, 1]);
      const ups: number[] = [];
      const downs: number[] = [];
      let prev = conductances(arr);
      for (let p = 1; p <= 32; p++) {
        program(arr, [2 / 32, -2 / 32]);
        const now = conductances(arr);
        ups.push(((now[0] as number) - (prev[0] as number)) / range);
        downs.push(((now[1] as number) - (prev[1] as number)) / range);
        const aLtp = e.kernels.nlToA(nlLtp) * 32;
        const aLtd = e.kernels.nlToA(nlLtd) * 32;
        expect(Math.abs(((now[0] as number) - d.gMin) / range - curveU(p, aLtp, 32))).toBeLessThan(1e-6);
        expect(Math.abs(((now[1] as number) - d.gMin) / range - curveU(32 - p, aLtd, 32))).toBeLessThan(1e-6);
        prev = now;
      }
      for (let p = 0; p < 32; p++) {
        expect(ups[p]).toBeGreaterThan(0);
        expect(downs[p]).toBeLessThan(0);
      }
      // A > 0: concave, steps shrink along LTP, and LTD (retracing) steps grow; A < 0 the other way round.
      for (let p = 1; p < 32; p++) {
        if (nlLtp > 0) expect(ups[p] as number).toBeLessThan(ups[p - 1] as number);
        else expect(ups[p] as number).toBeGreaterThan(ups[p - 1] as number);
        if (nlLtd > 0) expect(-(downs[p] as number)).toBeGreaterThan(-(downs[p - 1] as number));
        else expect(-(downs[p] as number)).toBeLessThan(-(downs[p - 1] as number));
      }
    }
    // Δw grows strictly with the pulse count, both directions.
    const d = fefet(1.75, 1.46);
    const arr = makeArray(d, 1, 20);
    setW(arr, new Array(20).fill(0));
    const before = conductances(arr);
    program(
      arr,
      Array.from({ length: 20 }, (_, i) => (i < 10 ? (2 * (i + 1)) / 32 : (-2 * (i - 9)) / 32)),
    );
    const after = conductances(arr);
    for (let i = 1; i < 10; i++)
      expect((after[i] as number) - (before[i] as number)).toBeGreaterThan((after[i - 1] as number) - (before[i - 1] as number));
    for (let i = 11; i < 20; i++)
      expect((after[i] as number) - (before[i] as number)).toBeLessThan((after[i - 1] as number) - (before[i - 1] as number));
  });

  it("clamping: a huge change saturates exactly at gMax / gMin, with at most `levels` pulses per device", () => {
    for (const d of [fefet(1.75, 1.46), fefet(2.4, -4.88), linear(32), preset("ag-a-si", { c2c: 0 })]) {
      const n = START.length;
      const arr = makeArray(d, 2, n);
      setW(arr, [...START, ...START]);
      const counts = program(arr, [...new Array(n).fill(10), ...new Array(n).fill(-10)]);
      const g = conductances(arr);
      for (let i = 0; i < n; i++) {
        expect(g[i]).toBe(Math.fround(d.gMax));
        expect(g[n + i]).toBe(Math.fround(d.gMin));
      }
      expect(counts.setPulses).toBe(n * d.levelsLtp);
      expect(counts.resetPulses).toBe(n * d.levelsLtd);
      // Exactly `levels` pulses (a full-range step, dw = ±2) reach the bound from anywhere.
      setW(arr, [...START, ...START]);
      program(arr, [...new Array(n).fill(2), ...new Array(n).fill(-2)]);
      const near = conductances(arr);
      for (let i = 0; i < n; i++) {
        expect(near[i]).toBe(Math.fround(d.gMax));
        expect(near[n + i]).toBe(Math.fround(d.gMin));
      }
    }
  });
});

describe("stuck-at faults", () => {
  it("the stuck fractions match the rates, stuck devices sit at their bound and never move while being pulsed", () => {
    const rows = 200;
    const cols = 100;
    const n = rows * cols;
    const pMin = 0.05;
    const pMax = 0.03;
    const d = fefet(1.75, 1.46, { stuckAtGMin: pMin, stuckAtGMax: pMax, c2c: 0.01 });
    const arr = makeArray(d, rows, cols, 11, 3);
    const flags = e.u8(must(arr.flags, "flags")).slice();
    // Flag i comes from uniform element i of the array's fault stream.
    const u = tensorOf(e, [n], new Float32Array(n));
    fillUniform(e, u, { seed: 11, stream: streamId("faults", 3) });
    const uv = e.f32(u).slice();
    let atMin = 0;
    let atMax = 0;
    const g0 = conductances(arr);
    const bad: string[] = [];
    for (let i = 0; i < n; i++) {
      const want = (uv[i] as number) < Math.fround(pMin) ? 1 : (uv[i] as number) < Math.fround(pMin) + Math.fround(pMax) ? 2 : 0;
      if (flags[i] !== want && bad.length < 5) bad.push(`device ${i}: flag ${flags[i]}, want ${want}`);
      if (flags[i] === 1) {
        atMin++;
        if (g0[i] !== Math.fround(d.gMin) && bad.length < 5) bad.push(`device ${i} stuck at gMin sits at ${g0[i]}`);
      } else if (flags[i] === 2) {
        atMax++;
        if (g0[i] !== Math.fround(d.gMax) && bad.length < 5) bad.push(`device ${i} stuck at gMax sits at ${g0[i]}`);
      }
    }
    expect(bad).toEqual([]);
    expectFraction(atMin, n, pMin, "stuck at gMin");
    expectFraction(atMax, n, pMax, "stuck at gMax");
    expect(arr.stuckCount).toBe(atMin + atMax);

    // Writing initial weights skips them.
    setW(arr, lcgFill(n, 5, 0.5));
    const g1 = conductances(arr);
    let movedBySet = 0;
    for (let i = 0; i < n; i++) if (flags[i] !== 0 && g1[i] !== g0[i]) movedBySet++;
    expect(movedBySet).toBe(0);

    let stuckPulsed = 0;
    let moved = 0;
    let changed = 0;
    for (let step = 0; step < 10; step++) {
      const dw = lcgFill(n, 100 + step, 0.4);
      const before = conductances(arr);
      const c = program(arr, dw, { step });
      const after = conductances(arr);
      let wantStuck = 0;
      let wantMoved = 0;
      for (let i = 0; i < n; i++) {
        const p = roundHalfEven(Math.fround(dw[i] as number) * 0.5 * 32);
        if (p !== 0 && flags[i] !== 0) wantStuck++;
        if (p !== 0 && flags[i] === 0) wantMoved++;
        if (flags[i] === 0 && after[i] !== before[i]) changed++;
      }
      expect(c.stuckPulsed).toBe(wantStuck);
      expect(c.devicesMoved).toBe(wantMoved);
      stuckPulsed += c.stuckPulsed;
      moved += c.devicesMoved;
    }
    expect(stuckPulsed).toBeGreaterThan(10 * 0.5 * (atMin + atMax));
    expect(changed).toBeGreaterThan(0.5 * moved);
    const g2 = conductances(arr);
    let stuckMoved = 0;
    for (let i = 0; i < n; i++) if (flags[i] !== 0 && !Object.is(g2[i], g0[i])) stuckMoved++;
    expect(stuckMoved).toBe(0);
  });
});

describe("cycle-to-cycle variation", () => {
  const N = 20_000;
  const c2c = 0.01;

  /** Programs N mid-range devices with p pulses each, with C2C on and off, and returns the noise (S) and the device. */
  function noiseOf(
    mode: DeviceParams["c2cMode"],
    p: number,
    seed = 4,
    arrayId = 2,
    step = 7,
  ): { noise: Float64Array; clean: Float32Array; noisy: Float32Array } {
    const d = preset("ideal", { c2c, c2cMode: mode });
    const dw = new Float32Array(N).fill((2 * p) / d.levelsLtp);
    const noisyArr = makeArray(d, 100, N / 100, seed, arrayId);
    const cleanArr = makeArray({ ...d, c2c: 0 }, 100, N / 100, seed, arrayId);
    program(noisyArr, dw, { step });
    program(cleanArr, dw, { step });
    const noisy = conductances(noisyArr);
    const clean = conductances(cleanArr);
    const noise = new Float64Array(N);
    for (let i = 0; i < N; i++) noise[i] = (noisy[i] as number) - (clean[i] as number);
    return { noise, clean, noisy };
  }

  it("per-update: σ = c2c·(gMax − gMin) whatever the pulse count, mean 0", () => {
    const d = preset("ideal");
    const sigma = c2c * (d.gMax - d.gMin);
    for (const p of [1, 4, 9]) expectNormalStats(noiseOf("per-update", p).noise, 0, sigma, `per-update p ${p}`);
    for (const p of [-4]) expectNormalStats(noiseOf("per-update", p).noise, 0, sigma, `per-update p ${p}`);
  });

  it("sqrt-pulses: σ = c2c·(gMax − gMin)·√|p|", () => {
    const d = preset("ideal");
    const sigma = c2c * (d.gMax - d.gMin);
    for (const p of [4, 9, -9]) expectNormalStats(noiseOf("sqrt-pulses", p).noise, 0, sigma * Math.sqrt(Math.abs(p)), `sqrt p ${p}`);
  });

  // The programming kernel draws its Gaussians with randomNormalFast
  // (assembly/random.ts: Box–Muller in f32, one pair per
  // Philox word — elements 2w, 2w + 1 are r·cos θ, r·sin θ of word w of
  // randomBits, u₁ = ((w >>> 12) + ½)·2^−20, θ = 2π·(w mod 2^12)/2^12):
  // exact against that, and within rounding of the same formula in float64.
  it("the noise of device i is c2c·range·z_i, z_i element i of the (seed, cycle-to-cycle stream, step) normals", () => {
    const d = preset("ideal");
    const stream = streamId("cycle-to-cycle", 6);
    const words = e.arena.tensor([N / 2], "u32");
    e.kernels.randomBits(9, stream, 13, 0, N / 2, words.offset);
    const bits = e.u32(words).slice();
    const zv = new Float64Array(N);
    for (let w = 0; w < N / 2; w++) {
      const b = bits[w] as number;
      const r = Math.sqrt(-2 * Math.log(((b >>> 12) + 0.5) * 2 ** -20));
      const theta = (2 * Math.PI * (b & 0xfff)) / 4096;
      zv[2 * w] = r * Math.cos(theta);
      zv[2 * w + 1] = r * Math.sin(theta);
    }
    const zFast = e.arena.tensor([N]);
    e.kernels.randomNormalFast(9, stream, 13, 0, N, zFast.offset);
    const zf = e.f32(zFast).slice();
    const sigma = Math.fround(c2c * Math.fround(Math.fround(d.gMax) - Math.fround(d.gMin)));
    for (const [mode, p] of [
      ["per-update", 4],
      ["sqrt-pulses", 9],
    ] as const) {
      const { clean, noisy } = noiseOf(mode, p, 9, 6, 13);
      const s = mode === "sqrt-pulses" ? Math.fround(sigma * Math.fround(Math.sqrt(p))) : sigma;
      const bad: string[] = [];
      let loose = 0;
      for (let i = 0; i < N; i++) {
        const want = Math.fround((clean[i] as number) + Math.fround(s * (zf[i] as number)));
        if (noisy[i] !== want && bad.length < 5) bad.push(`${mode} device ${i}: ${noisy[i]}, want ${want}`);
        // In units of σ, against the float64 formula.
        const dz = Math.abs(((noisy[i] as number) - (clean[i] as number)) / s - (zv[i] as number));
        if (dz > 0.02 && bad.length < 5) bad.push(`${mode} device ${i}: z ${zv[i]}, noise/σ off by ${dz}`);
        if (dz > 1e-5 * Math.max(1, Math.abs(zv[i] as number)) + 2e-6 * Math.abs((clean[i] as number) / s)) loose++;
      }
      expect(bad).toEqual([]);
      expect(loose).toBeLessThan(N / 500);
    }
  });

  it("devices that get no pulse get no noise", () => {
    const d = preset("ideal", { c2c: 0.05 });
    const arr = makeArray(d, 10, 10);
    setW(arr, lcgFill(100, 1, 0.5));
    const before = conductances(arr);
    const dw = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 0.01 : 0));
    program(arr, dw);
    const after = conductances(arr);
    let moved = 0;
    for (let i = 0; i < 100; i++) {
      if (i % 3 === 0) moved += after[i] !== before[i] ? 1 : 0;
      else expect(after[i]).toBe(before[i]);
    }
    expect(moved).toBe(34);
  });
});

describe("pulse rounding", () => {
  it("stochastic: 0.3 desired pulses pulse 30% of devices, exactly those with floor(x + U_i) = 1", () => {
    const n = 20_000;
    const d = linear(32);
    for (const x of [0.3, -0.3, 1.3]) {
      const arr = makeArray(d, 100, n / 100, 21, 4);
      const before = conductances(arr);
      const dwValue = Math.fround((2 * x) / 32);
      program(arr, new Float32Array(n).fill(dwValue), { rounding: "stochastic", step: 5 });
      const p = pulsesOf(arr, before, conductances(arr));
      const u = tensorOf(e, [n], new Float32Array(n));
      fillUniform(e, u, { seed: 21, stream: streamId("stochastic-rounding", 4), step: 5 });
      const uv = e.f32(u);
      let extra = 0;
      for (let i = 0; i < n; i++) {
        const want = Math.floor(dwValue * 0.5 * 32 + (uv[i] as number));
        if (p[i] !== want) expect(p[i], `x ${x} device ${i}`).toBe(want);
        if (p[i] !== Math.floor(x)) extra++;
      }
      expectFraction(extra, n, x - Math.floor(x), `stochastic ${x}`);
    }
  });

  it("nearest is ties-to-even", () => {
    const d = linear(32);
    const xs = [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.49, 0.51, 1, -1, 0];
    const want = [0, 2, 2, 4, 0, -2, -2, 0, 1, 1, -1, 0];
    const arr = makeArray(d, 1, xs.length);
    const before = conductances(arr);
    program(
      arr,
      xs.map((x) => (2 * x) / 32),
    );
    expect(pulsesOf(arr, before, conductances(arr))).toEqual(want);
  });

  it("threshold: desired pulse counts below it are no update", () => {
    const d = linear(32);
    const xs = [0.9, -0.99, 1.2, -1.2, 0.999, 2.6];
    const arr = makeArray(d, 1, xs.length);
    const before = conductances(arr);
    const c = program(
      arr,
      xs.map((x) => (2 * x) / 32),
      { threshold: 1 },
    );
    expect(pulsesOf(arr, before, conductances(arr))).toEqual([0, 0, 1, -1, 0, 3]);
    expect(c.setPulses).toBe(4);
    expect(c.resetPulses).toBe(1);
    const many = makeArray(d, 10, 100);
    const none = program(many, new Float32Array(1000).fill((2 * 0.3) / 32), { rounding: "stochastic", threshold: 0.5 });
    expect(none).toEqual({ setPulses: 0, resetPulses: 0, devicesMoved: 0, stuckPulsed: 0, rowsWritten: 0, writePulseSlots: 0 });
    const some = program(many, new Float32Array(1000).fill((2 * 0.3) / 32), { rounding: "stochastic", threshold: 0.25 });
    expect(some.setPulses).toBeGreaterThan(200);
  });
});

describe("programming row by row", () => {
  it("rows of any width (windows cut by the row ends, the array's last window past its end): each device walks its own curve by its own change; stuck devices and rows without change stay bit-exact", () => {
    const d = fefet(1.75, -1.46, { d2dNl: 0.5, stuckAtGMin: 0.05 });
    const range = d.gMax - d.gMin;
    for (const [rows, cols] of [
      [23, 7],
      [9, 37],
      [5, 100],
    ] as const) {
      const n = rows * cols;
      const arr = makeArray(d, rows, cols, 7, 3);
      setW(arr, lcgFill(n, 5, 0.8));
      const before = conductances(arr);
      const dw = lcgFill(n, 6, 0.4);
      for (const r of [0, 2, rows - 2]) dw.fill(0, r * cols, r * cols + cols);
      for (let i = 0; i < n; i += 5) dw[i] = 0;
      const counts = program(arr, dw);
      const after = conductances(arr);
      const writes = e.u32(arr.writes);
      const flags = e.u8(must(arr.flags, "flags"));
      const aLtp = e.f32(must(arr.aLtp, "aLtp"));
      const aLtd = e.f32(must(arr.aLtd, "aLtd"));
      let rowsWritten = 0;
      for (let r = 0; r < rows; r++) {
        let written = false;
        for (let c = 0; c < cols; c++) {
          const i = r * cols + c;
          const p = roundHalfEven(Math.fround(dw[i] as number) * 16);
          if (p !== 0) written = true;
          // One write per pulsed device, stuck or not.
          expect(writes[i], `${rows}×${cols}: device ${i} writes`).toBe(p !== 0 ? 1 : 0);
          if (p === 0 || flags[i] !== 0) {
            expect(after[i], `${rows}×${cols}: device ${i} (p ${p}, flag ${flags[i]}) moved`).toBe(before[i]);
            continue;
          }
          const a = ((p > 0 ? aLtp[i] : aLtd[i]) as number) * 32;
          const u0 = ((before[i] as number) - d.gMin) / range;
          const want = Math.min(1, Math.max(0, curveU(curveP(u0, a, 32) + p, a, 32)));
          const got = ((after[i] as number) - d.gMin) / range;
          expect(Math.abs(got - want), `${rows}×${cols}: device ${i}, ${p} pulses`).toBeLessThan(2e-5);
        }
        if (written) rowsWritten++;
      }
      expect(counts.rowsWritten).toBe(rowsWritten);
      expect(rowsWritten).toBeLessThanOrEqual(rows - 3);
    }
  });

  it("writeWeights: G = mid + slope·w rounded to f32 and clamped (f64) to each device's own bounds; w clamped to [−1, 1]; stuck devices keep theirs", () => {
    const d = fefet(1.75, 1.46, { d2dGMax: 0.1, d2dGMin: 0.05, stuckAtGMax: 0.1 });
    const rows = 13;
    const cols = 11;
    const n = rows * cols;
    const arr = makeArray(d, rows, cols, 9, 4);
    const stuck = conductances(arr);
    const w = lcgFill(n, 12, 1.3);
    w[0] = 1;
    w[1] = -1;
    const mid = (d.gMin + d.gMax) / 2;
    for (const slope of [(d.gMax - d.gMin) / 2, -(d.gMax - d.gMin) / 2]) {
      const m = e.arena.mark();
      arr.writeWeights(tensorOf(e, [rows, cols], w), slope);
      e.arena.release(m);
      const g = conductances(arr);
      const lo = e.f32(must(arr.gMin, "gMin"));
      const hi = e.f32(must(arr.gMax, "gMax"));
      const flags = e.u8(must(arr.flags, "flags"));
      let clampedLow = 0;
      for (let i = 0; i < n; i++) {
        if (flags[i] !== 0) {
          expect(g[i], `stuck device ${i}`).toBe(stuck[i]);
          continue;
        }
        const v = Math.max(-1, Math.min(1, w[i] as number));
        const target = Math.fround(mid + v * slope);
        const want = Math.fround(Math.min(hi[i] as number, Math.max(lo[i] as number, target)));
        if (want === lo[i]) clampedLow++;
        expect(g[i], `device ${i}, w ${w[i]}`).toBe(want);
      }
      expect(clampedLow).toBeGreaterThan(0);
    }
    expect(() => arr.writeWeights(tensorOf(e, [2, 2], [0, 0, 0, 0]), 1)).toThrow(/writeWeights: w must be f32 with 143 values/);
  });
});

describe("programming a whole array against its float64 twin (src/reference/program.ts)", () => {
  it("every feature at once — D2D curves and bounds, stuck cells, C2C per update and √pulses, nearest and stochastic rounding, a threshold, ragged rows: pulses, totals, wear and rows exact; conductances within the f32 walk", () => {
    let checked = 0;
    for (const [rounding, threshold, c2cMode] of [
      ["nearest", 0, "per-update"],
      ["stochastic", 0, "sqrt-pulses"],
      ["nearest", 0.7, "sqrt-pulses"],
      ["stochastic", 0.7, "per-update"],
    ] as const) {
      const d = fefet(1.75, -1.46, { d2dNl: 0.3, d2dGMax: 0.05, d2dGMin: 0.05, c2c: 0.01, c2cMode, stuckAtGMin: 0.02, stuckAtGMax: 0.02 });
      const [rows, cols, step, seed, arrayId] = [37, 301, 7, 11, 3];
      const n = rows * cols;
      const arr = makeArray(d, rows, cols, seed, arrayId);
      setW(arr, lcgFill(n, 5, 0.8));
      // About ±3 pulses, some devices and two whole rows left alone.
      const dw = Float32Array.from(lcgFill(n, 6, 6 / 32), (v, i) => (i % 9 === 4 || Math.floor(i / cols) % 17 === 3 ? 0 : v));
      const before = Float64Array.from(conductances(arr));
      const wearBefore = e.u32(arr.writes).slice();
      const uniforms = tensorOf(e, [n], new Float32Array(n));
      fillUniform(e, uniforms, { seed, stream: streamId("stochastic-rounding", arrayId), step });
      const normals = e.arena.tensor([n]);
      e.kernels.randomNormalFast(seed, streamId("cycle-to-cycle", arrayId), step, 0, n, normals.offset);
      const twin = before.slice();
      const want = programRef({
        rows,
        cols,
        g: twin,
        dw,
        dwScale: 0.5,
        gMin: d.gMin,
        gMax: d.gMax,
        levelsLtp: d.levelsLtp,
        levelsLtd: d.levelsLtd,
        aLtp: e.f32(must(arr.aLtp, "aLtp")).slice(),
        aLtd: e.f32(must(arr.aLtd, "aLtd")).slice(),
        gMinArr: e.f32(must(arr.gMin, "gMin")).slice(),
        gMaxArr: e.f32(must(arr.gMax, "gMax")).slice(),
        flags: e.u8(must(arr.flags, "flags")).slice(),
        c2c: d.c2c,
        c2cSqrt: c2cMode === "sqrt-pulses",
        threshold,
        stochastic: rounding === "stochastic",
        uniforms: e.f32(uniforms).slice(),
        normals: e.f32(normals).slice(),
      });
      const counts = program(arr, dw, { rounding, threshold, step });
      const label = `${rounding}, threshold ${threshold}, C2C ${c2cMode}`;
      expect([counts.setPulses, counts.resetPulses, counts.devicesMoved, counts.stuckPulsed], label).toEqual([
        want.setPulses,
        want.resetPulses,
        want.devicesMoved,
        want.stuckPulsed,
      ]);
      expect(Array.from(e.i32(arr.rowMaxSet)), label).toEqual(Array.from(want.rowMaxSet));
      expect(Array.from(e.i32(arr.rowMaxReset)), label).toEqual(Array.from(want.rowMaxReset));
      const wear = e.u32(arr.writes);
      const range = d.gMax - d.gMin;
      const after = conductances(arr);
      const bad: string[] = [];
      for (let i = 0; i < n; i++) {
        if ((wear[i] as number) - (wearBefore[i] as number) !== (want.pulses[i] !== 0 ? 1 : 0)) bad.push(`device ${i} wear`);
        if (!(Math.abs((after[i] as number) - (twin[i] as number)) <= 2e-5 * range))
          bad.push(`device ${i}: ${after[i]} S, twin ${twin[i]} S (${want.pulses[i]} pulses, from ${before[i]} S)`);
      }
      expect(bad.slice(0, 5), label).toEqual([]);
      expect(want.setPulses + want.resetPulses, label).toBeGreaterThan(n);
      checked++;
    }
    expect(checked).toBe(4);
  });
});

describe("ProgramCounts", () => {
  it("SET/RESET sums, devices moved, rows written and Σ over rows of (max SET + max RESET)", () => {
    const d = linear(32);
    const pulses = [
      [2, -1, 0, 3],
      [0, 0, 0, 0],
      [-4, -4, 1, 0],
      [0, -2, 0, 0],
      [5, 0, 0, 0],
    ];
    const arr = makeArray(d, 5, 4);
    const c = program(
      arr,
      pulses.flat().map((p) => (2 * p) / 32),
    );
    expect(c).toEqual({
      setPulses: 2 + 3 + 1 + 5,
      resetPulses: 1 + 4 + 4 + 2,
      devicesMoved: 8,
      stuckPulsed: 0,
      rowsWritten: 4,
      writePulseSlots: 3 + 1 + (1 + 4) + 2 + 5,
    });

    // A larger random case against a count of our own.
    const rows = 37;
    const cols = 53;
    const dw = lcgFill(rows * cols, 8, 0.3);
    for (let i = 0; i < dw.length; i += 7) dw[i] = 0;
    for (let c0 = 0; c0 < cols; c0++) dw[5 * cols + c0] = 0; // row 5: nothing
    const big = makeArray(d, rows, cols);
    const got = program(big, dw);
    let set = 0;
    let reset = 0;
    let moved = 0;
    let rowsWritten = 0;
    let slots = 0;
    for (let r = 0; r < rows; r++) {
      let maxSet = 0;
      let maxReset = 0;
      for (let c0 = 0; c0 < cols; c0++) {
        const p = roundHalfEven(Math.fround(dw[r * cols + c0] as number) * 16);
        if (p > 0) set += p;
        if (p < 0) reset -= p;
        if (p !== 0) moved++;
        maxSet = Math.max(maxSet, p);
        maxReset = Math.max(maxReset, -p);
      }
      slots += maxSet + maxReset;
      if (maxSet + maxReset > 0) rowsWritten++;
    }
    expect(got).toEqual({ setPulses: set, resetPulses: reset, devicesMoved: moved, stuckPulsed: 0, rowsWritten, writePulseSlots: slots });
    expect(rowsWritten).toBe(rows - 1);
  });
});

describe("device-to-device variation", () => {
  it("labels: aToNl of the per-device A is NL + d2dNl·z_i, the same draw for LTP and LTD; mean ≈ NL, σ ≈ d2dNl", () => {
    const rows = 100;
    const cols = 200;
    const n = rows * cols;
    const sigma = 0.2;
    const d = fefet(1.75, 1.46, { d2dNl: sigma });
    const arr = makeArray(d, rows, cols, 17, 9);
    const aLtp = e.f32(must(arr.aLtp, "aLtp")).slice();
    const aLtd = e.f32(must(arr.aLtd, "aLtd")).slice();
    const z = tensorOf(e, [n], new Float32Array(n));
    fillNormal(e, z, { seed: 17, stream: streamId("device-to-device", 9) });
    const zv = e.f32(z).slice();
    const labels = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const ltp = e.kernels.aToNl(aLtp[i] as number);
      const ltd = e.kernels.aToNl(aLtd[i] as number);
      labels[i] = ltp;
      const want = 1.75 + sigma * (zv[i] as number);
      if (Math.abs(ltp - want) > 2e-6) expect(ltp, `device ${i}`).toBeCloseTo(want, 6);
      if (Math.abs(ltd - 1.46 - (ltp - 1.75)) > 4e-6) expect(ltd - 1.46, `device ${i}`).toBeCloseTo(ltp - 1.75, 6);
    }
    expectNormalStats(labels, 1.75, sigma, "D2D labels");
  });

  it("programming walks each device's own curve", () => {
    const d = fefet(1.75, -1.46, { d2dNl: 0.5 });
    const cols = 64;
    const arr = makeArray(d, 2, cols, 3, 1);
    setW(arr, new Array(2 * cols).fill(0));
    const before = conductances(arr);
    const dw = [...new Array(cols).fill(2 / 32), ...new Array(cols).fill(-2 / 32)];
    program(arr, dw);
    const after = conductances(arr);
    const aLtp = e.f32(must(arr.aLtp, "aLtp"));
    const aLtd = e.f32(must(arr.aLtd, "aLtd"));
    const range = d.gMax - d.gMin;
    let spread = 0;
    for (let i = 0; i < 2 * cols; i++) {
      const up = i < cols;
      const a = ((up ? aLtp[i] : aLtd[i]) as number) * 32;
      const u0 = ((before[i] as number) - d.gMin) / range;
      const want = curveU(curveP(u0, a, 32) + (up ? 1 : -1), a, 32);
      const got = ((after[i] as number) - d.gMin) / range;
      expect(Math.abs(got - want), `device ${i}`).toBeLessThan(1e-6);
      spread = Math.max(spread, Math.abs(got - ((after[up ? 0 : cols] as number) - d.gMin) / range));
    }
    expect(spread).toBeGreaterThan(1e-3);
  });

  /** A 100 × 200 array with D2D bounds, every even device driven far up and every odd one far down. */
  function saturatedBounds(): { lo: Float32Array; hi: Float32Array; g: Float32Array; counts: ProgramCounts } {
    const n = 100 * 200;
    const d = fefet(1.75, 1.46, { d2dGMax: 0.1, d2dGMin: 0.05 });
    const arr = makeArray(d, 100, 200, 5, 2);
    const lo = e.f32(must(arr.gMin, "gMin")).slice();
    const hi = e.f32(must(arr.gMax, "gMax")).slice();
    const counts = program(
      arr,
      Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 10 : -10)),
    );
    return { lo, hi, g: conductances(arr), counts };
  }

  it("bounds: gMax_i/gMax − 1 and gMin_i/gMin − 1 have σ d2dGMax and d2dGMin; programming saturates at each device's own bounds", () => {
    const d = fefet(1.75, 1.46);
    const { lo, hi, g, counts } = saturatedBounds();
    const n = lo.length;
    const relLo = Float64Array.from(lo, (v) => v / d.gMin - 1);
    const relHi = Float64Array.from(hi, (v) => v / d.gMax - 1);
    expectNormalStats(relHi, 0, 0.1, "gMax");
    expectNormalStats(relLo, 0, 0.05, "gMin");
    // Independent draws for the two bounds.
    let cross = 0;
    for (let i = 0; i < n; i++) cross += (relLo[i] as number) * (relHi[i] as number);
    expect(Math.abs(cross / n / (0.1 * 0.05))).toBeLessThan(5 / Math.sqrt(n));
    expect(counts.devicesMoved).toBe(n);
    // Within one f32 ulp of the device's own bound (exactness: see the next test), never past it.
    const bad: string[] = [];
    for (let i = 0; i < n; i++) {
      const want = (i % 2 === 0 ? hi[i] : lo[i]) as number;
      const got = g[i] as number;
      const ok = Math.abs(got - want) <= want * 2 ** -23 && got <= (hi[i] as number) && got >= (lo[i] as number);
      if (!ok && bad.length < 5) bad.push(`device ${i}: ${got}, bounds [${lo[i]}, ${hi[i]}]`);
    }
    expect(bad).toEqual([]);
  });

  // lo + u′·span rounded in f32 can fall an ulp short of a per-device gMax; the kernel selects the bound itself.
  it("a saturated device sits exactly at its own D2D gMax", () => {
    const { hi, g } = saturatedBounds();
    for (let i = 0; i < g.length; i += 2) if (g[i] !== hi[i]) expect(g[i], `device ${i}`).toBe(hi[i]);
  });
});

describe("determinism", () => {
  const device = fefet(1.75, -1.46, {
    d2dNl: 0.3,
    d2dGMax: 0.05,
    d2dGMin: 0.05,
    c2c: 0.02,
    c2cMode: "sqrt-pulses",
    stuckAtGMin: 0.01,
    stuckAtGMax: 0.01,
  });
  const rows = 48;
  const cols = 80;

  async function run(seed: number): Promise<{ g: Uint32Array; counts: ProgramCounts[] }> {
    const own = await engine();
    const arr = makeArray(device, rows, cols, seed, 7, own);
    setW(arr, lcgFill(rows * cols, 2, 0.8));
    const counts: ProgramCounts[] = [];
    for (let step = 0; step < 10; step++)
      counts.push(program(arr, lcgFill(rows * cols, 40 + step, 0.2), { step, rounding: "stochastic" }, own));
    return { g: new Uint32Array(conductances(arr, own).buffer), counts };
  }

  it("two engines with the same seed give bit-identical conductances after 10 steps; another seed does not", async () => {
    const a = await run(123);
    const b = await run(123);
    expect(b.counts).toEqual(a.counts);
    let same = true;
    for (let i = 0; i < a.g.length; i++) if (a.g[i] !== b.g[i]) same = false;
    expect(same).toBe(true);
    const c = await run(124);
    let differ = 0;
    for (let i = 0; i < a.g.length; i++) if (a.g[i] !== c.g[i]) differ++;
    expect(differ).toBeGreaterThan(0.9 * a.g.length);
  });
});

/** Every issue path, including those nested in union errors. */
function issuePaths(issues: readonly unknown[]): PropertyKey[][] {
  const out: PropertyKey[][] = [];
  for (const issue of issues as { path?: PropertyKey[]; errors?: unknown[][] }[]) {
    if (issue.path) out.push(issue.path);
    for (const branch of issue.errors ?? []) out.push(...issuePaths(branch));
  }
  return out;
}

describe("device config (src/device/config.ts)", () => {
  it("a preset id, and a preset with overrides, resolve to the full parameter set", () => {
    const plain = resolveDevice(deviceConfigSchema.parse("fefet-v21"));
    expect(plain).toEqual({ ...preset("fefet-v21"), preset: "fefet-v21" });
    const over = resolveDevice(deviceConfigSchema.parse({ preset: "ag-a-si", c2c: 0.01, nlLtd: -1.46, c2cMode: "per-update" }));
    expect(over).toEqual({ ...preset("ag-a-si"), c2c: 0.01, nlLtd: -1.46, c2cMode: "per-update", preset: "ag-a-si" });
  });

  it("unknown presets and keys, out-of-range values and gMin ≥ gMax are errors that name the field", () => {
    const unknown = deviceConfigSchema.safeParse("rram");
    expect(unknown.success).toBe(false);
    expect(JSON.stringify(unknown.error?.issues)).toContain("fefet-v21");
    expect(() => resolveDevice("rram" as never)).toThrow(InputError);
    expect(() => resolveDevice("rram" as never)).toThrow(/device: unknown preset "rram"; valid: fefet-v21/);
    expect(() => resolveDevice({ preset: "nope" } as never, "layers[1].device")).toThrow(/layers\[1\]\.device: unknown preset "nope"/);

    const key = deviceConfigSchema.safeParse({ preset: "fefet-v21", bogus: 1 });
    expect(key.success).toBe(false);
    expect(key.error?.issues[0]?.code).toBe("unrecognized_keys");
    expect(JSON.stringify(key.error?.issues)).toContain("bogus");

    for (const [field, value] of [
      ["c2c", -0.1],
      ["nlLtp", 12],
      ["nlLtd", -9.5],
      ["levelsLtp", 0],
      ["levelsLtd", 2.5],
      ["stuckAtGMin", 1.5],
      ["gMax", 0],
      ["gMin", -1e-6],
      ["aLtp", 0],
      ["readNoise", Number.NaN],
      ["c2cMode", "sometimes"],
      ["driftT0", 0],
    ] as const) {
      const r = deviceConfigSchema.safeParse({ preset: "fefet-v21", [field]: value });
      expect(r.success, `${field} = ${value}`).toBe(false);
      expect(
        issuePaths(r.error?.issues ?? []).some((path) => path.includes(field)),
        `${field}: ${JSON.stringify(r.error?.issues)}`,
      ).toBe(true);
    }

    const inverted = deviceConfigSchema.parse({ preset: "fefet-v21", gMin: 1e-5 });
    expect(() => resolveDevice(inverted)).toThrow(InputError);
    expect(() => resolveDevice(inverted)).toThrow(/gMin .* must be below gMax/);
    const d = preset("fefet-v21");
    expect(() => resolveDevice({ preset: "fefet-v21", gMin: d.gMax })).toThrow(/gMin/);
    expect(() => resolveDevice({ preset: "fefet-v21", stuckAtGMin: 0.6, stuckAtGMax: 0.6 })).toThrow(/stuckAtGMin \+ stuckAtGMax/);
  });

  it("every preset is valid, has a source, and the ids are the issue's", () => {
    expect([...DEVICE_PRESET_IDS].sort()).toEqual(
      ["fefet-v21", "rram-v20", "ag-a-si", "taox-hfox", "pcmo", "alox-hfo2", "gst-pcm", "epiram", "hzo-fefet", "ideal"].sort(),
    );
    for (const p of DEVICE_PRESETS) {
      const d = p.params;
      expect(deviceOverridesSchema.safeParse(d).success, p.id).toBe(true);
      expect(d.gMin, p.id).toBeGreaterThan(0);
      expect(d.gMin, p.id).toBeLessThan(d.gMax);
      for (const levels of [d.levelsLtp, d.levelsLtd]) {
        expect(Number.isInteger(levels) && levels >= 1, p.id).toBe(true);
      }
      for (const nl of [d.nlLtp, d.nlLtd]) {
        expect(nl, p.id).toBeGreaterThanOrEqual(-9);
        expect(nl, p.id).toBeLessThanOrEqual(9);
      }
      expect(p.source.length, p.id).toBeGreaterThan(10);
      expect(p.name.length, p.id).toBeGreaterThan(0);
      expect(resolveDevice(p.id)).toEqual({ ...d, preset: p.id });
    }
    // Spot checks against §3.6 / §4.1.
    const f = preset("fefet-v21");
    expect([f.levelsLtp, f.nlLtp, f.nlLtd, f.c2c, f.c2cMode]).toEqual([32, 1.75, 1.46, 0.003, "per-update"]);
    const ag = preset("ag-a-si");
    expect([ag.levelsLtp, ag.levelsLtd, ag.nlLtp, ag.nlLtd]).toEqual([97, 100, 2.4, -4.88]);
    expect(ag.gMax / ag.gMin).toBeCloseTo(12.5, 9);
    expect(1 / ag.gMax).toBeCloseTo(26e6, 0);
    const ideal = preset("ideal");
    expect([ideal.nlLtp, ideal.nlLtd, ideal.c2c, ideal.d2dNl, ideal.readNoise]).toEqual([0, 0, 0, 0, 0]);
  });
});
