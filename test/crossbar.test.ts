import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CrossbarArray,
  type CrossbarOptions,
  emptyReadCounts,
  IDEAL_READ,
  type ReadCounts,
  type ReadSettings,
  type WeightMapping,
} from "../src/device/crossbar.js";
import type { DeviceParams } from "../src/device/params.js";
import { findDevicePreset } from "../src/device/presets.js";
import { bitSerialScratchBytes, paramOffsets } from "../src/engine/abi.js";
import type { Engine, Tensor } from "../src/index.js";
import { bitSerialReadRef } from "../src/reference/bit-serial.js";
import { adcRef, dacCodes, dacQuantized } from "../src/reference/converters.js";
import { engine, expectClose, lcgFill, tensorOf } from "./helpers.js";

// Crossbar arrays (issue 3): ideal reads are the matrix product, programming
// realizes the requested change, the DAC's bit-serial read is the product of
// the quantized inputs, the column ADC's exact behaviour, read noise, and the
// event counts the cost model uses. Through CrossbarArray (src/device/crossbar.ts)
// and the raw kernels of assembly/bit-serial.ts, adc.ts, read-noise.ts and conductance.ts.

const EPS32 = 2 ** -24;
const MAPPINGS: WeightMapping[] = ["differential", "reference"];

function preset(id: string, overrides: Partial<DeviceParams> = {}): DeviceParams {
  const p = findDevicePreset(id);
  if (!p) throw new Error(`no preset ${id}`);
  return { ...p.params, ...overrides };
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

type Options = Partial<CrossbarOptions> & { rows: number; cols: number };

function crossbar(o: Options, maxBatch = 8, on: Engine = e): CrossbarArray {
  return new CrossbarArray(
    on,
    {
      device: preset("ideal"),
      mapping: "differential",
      subArrayRows: 64,
      forward: IDEAL_READ,
      transposed: IDEAL_READ,
      seed: 1,
      arrayId: 0,
      ...o,
    },
    maxBatch,
  );
}

/** One read of X (batch × K) through the array; returns y and the read's counts. */
function read(
  xb: CrossbarArray,
  X: ArrayLike<number>,
  batch: number,
  transposed = false,
  on: Engine = e,
): { y: Float32Array; counts: ReadCounts } {
  const K = transposed ? xb.cols : xb.rows;
  const N = transposed ? xb.rows : xb.cols;
  const m = on.arena.mark();
  try {
    const x = tensorOf(on, [batch, K], X);
    const y = on.arena.tensor([batch, N]);
    const counts = emptyReadCounts();
    xb.read(x, y, transposed, counts);
    return { y: on.f32(y).slice(), counts };
  } finally {
    on.arena.release(m);
  }
}

/**
 * y = X·W (forward; W rows × cols) or X·Wᵀ (transposed), in float64, with a
 * tolerance for a float32 evaluation: the summation error plus `perWeight`
 * (an error in each realized weight) times Σ|x|.
 */
function product(
  X: ArrayLike<number>,
  batch: number,
  W: ArrayLike<number>,
  rows: number,
  cols: number,
  transposed: boolean,
  perWeight = 1e-6,
): { value: Float64Array; tol: Float64Array } {
  const K = transposed ? cols : rows;
  const N = transposed ? rows : cols;
  const value = new Float64Array(batch * N);
  const tol = new Float64Array(batch * N);
  for (let b = 0; b < batch; b++) {
    let xAbs = 0;
    for (let i = 0; i < K; i++) xAbs += Math.abs(X[b * K + i] as number);
    for (let j = 0; j < N; j++) {
      let s = 0;
      let sAbs = 0;
      for (let i = 0; i < K; i++) {
        const w = (transposed ? W[j * cols + i] : W[i * cols + j]) as number;
        const p = (X[b * K + i] as number) * w;
        s += p;
        sAbs += Math.abs(p);
      }
      value[b * N + j] = s;
      tol[b * N + j] = (K + 8) * EPS32 * sAbs + perWeight * xAbs + 1e-30;
    }
  }
  return { value, tol };
}

/** Inputs in [−1, 1) with some exact zeros (and a whole zero row when `zeroRow` ≥ 0). */
function inputs(batch: number, K: number, salt: number, zeroRow = -1): Float32Array {
  const X = lcgFill(batch * K, salt);
  for (let i = 0; i < X.length; i += 5) X[i] = 0;
  if (zeroRow >= 0) X.fill(0, zeroRow * K, (zeroRow + 1) * K);
  return X;
}

/** The read parameter block of assembly/read-params.ts, at the offsets the module exports. */
interface ReadParams {
  adcBits?: number;
  adcMode?: 0 | 1 | 2;
  seed?: number;
  stream?: number;
  step?: number;
  lo?: number;
  hi?: number;
  noise?: number;
  gRef?: number;
}

function readParams(p: ReadParams): Tensor {
  const bytes = e.kernels.READ_PARAM_BYTES.value as number;
  const t = e.arena.tensor([bytes], "u8");
  const v = new DataView(e.memory.buffer, t.offset, bytes);
  // The offsets the module exports (test/abi.test.ts checks them against docs/abi.md).
  const at = paramOffsets(e.kernels, "read");
  v.setInt32(at.adcBits, p.adcBits ?? 0, true);
  v.setInt32(at.adcMode, p.adcMode ?? 0, true);
  v.setUint32(at.seed, p.seed ?? 0, true);
  v.setUint32(at.stream, p.stream ?? 0, true);
  v.setUint32(at.step, p.step ?? 0, true);
  v.setFloat64(at.adcLo, p.lo ?? 0, true);
  v.setFloat64(at.adcHi, p.hi ?? 0, true);
  v.setFloat64(at.noise, p.noise ?? 0, true);
  v.setFloat64(at.gRef, p.gRef ?? 0, true);
  return t;
}

// ---------------------------------------------------------------------------

describe("ideal arrays", () => {
  it("with every nonideality off, forward and transposed reads equal x·W and x·Wᵀ (both mappings) and count their events", () => {
    const rows = 150;
    const cols = 70;
    const batch = 5;
    const W = lcgFill(rows * cols, 1);
    for (const mapping of MAPPINGS) {
      const xb = crossbar({ rows, cols, mapping, subArrayRows: 64 }, batch);
      xb.setWeights(W);
      expectClose(e.f32(xb.weights), W, 1e-6, `${mapping}: realized weights`);
      for (const transposed of [false, true]) {
        const K = transposed ? cols : rows;
        const N = transposed ? rows : cols;
        const X = inputs(batch, K, 2, 3);
        const { y, counts } = read(xb, X, batch, transposed);
        const want = product(X, batch, W, rows, cols, transposed);
        expectClose(y, want.value, want.tol, `${mapping} transposed=${transposed}`);
        const reads = batch * Math.ceil(K / 64);
        const nonzero = X.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
        const columns = mapping === "differential" ? 2 * N : N + 1;
        expect(counts).toEqual({ reads, activeRows: nonzero, conversions: reads * columns });
      }
    }
  });

  it("weights outside [−1, 1] are clamped by setWeights", () => {
    const xb = crossbar({ rows: 2, cols: 3, mapping: "reference" }, 1);
    xb.setWeights([1.5, -3, 0.25, 1, -1, 0]);
    expectClose(e.f32(xb.weights), [1, -1, 0.25, 1, -1, 0], 1e-6, "clamped");
  });

  it("programming a linear device realizes the requested change to within one level (both mappings)", () => {
    const rows = 40;
    const cols = 30;
    const levels = 64;
    const device = preset("ideal", { levelsLtp: levels, levelsLtd: levels, c2c: 0 });
    const W0 = lcgFill(rows * cols, 3, 0.4);
    const dw = lcgFill(rows * cols, 4, 0.5);
    for (const mapping of MAPPINGS) {
      const xb = crossbar({ rows, cols, mapping, device }, 4);
      xb.setWeights(W0);
      const before = e.f32(xb.weights).slice();
      const c = xb.update(tensorOf(e, [rows, cols], dw), 0, "nearest");
      const after = e.f32(xb.weights).slice();
      let pulses = 0;
      for (let i = 0; i < rows * cols; i++) {
        const got = (after[i] as number) - (before[i] as number);
        const want = dw[i] as number;
        expect(Math.abs(got - want), `${mapping} weight ${i}: Δw ${got}, asked ${want}`).toBeLessThanOrEqual(2 / levels);
        // Nearest rounding: exactly the nearest whole number of levels (half a level at most away).
        const p = Math.round((want * levels) / 2);
        expect(Math.abs(got - (2 * p) / levels), `${mapping} weight ${i}`).toBeLessThan(1e-5);
        pulses += Math.abs(p);
      }
      // A differential pair pulses both devices.
      expect(c.setPulses + c.resetPulses).toBe(mapping === "differential" ? 2 * pulses : pulses);
      expect(c.rowsWritten).toBe(mapping === "differential" ? 2 * rows : rows);
      // The reads see the new weights.
      const X = inputs(3, rows, 5);
      const { y } = read(xb, X, 3);
      const want = product(X, 3, after, rows, cols, false);
      expectClose(y, want.value, want.tol, `${mapping}: read after update`);
      const { y: yT } = read(xb, inputs(3, cols, 6), 3, true);
      const wantT = product(inputs(3, cols, 6), 3, after, rows, cols, true);
      expectClose(yT, wantT.value, wantT.tol, `${mapping}: transposed read after update`);
    }
  });
});

describe("realized weights after an update", () => {
  it("every weight is (G⁺ − G⁻ or gRef)·gain of the conductances as programmed, in rows that were written and rows that were not (both mappings)", () => {
    const rows = 19;
    const cols = 13;
    const device = preset("ag-a-si", { c2c: 0.01 });
    for (const mapping of MAPPINGS) {
      const xb = crossbar({ rows, cols, mapping, device }, 2);
      xb.setWeights(lcgFill(rows * cols, 30, 0.6));
      for (let step = 0; step < 3; step++) {
        const dw = lcgFill(rows * cols, 31 + step, 0.3);
        for (let r = step; r < rows; r += 3) dw.fill(0, r * cols, r * cols + cols); // a third of the rows unwritten
        const m = e.arena.mark();
        const c = xb.update(tensorOf(e, [rows, cols], dw), step, "stochastic");
        e.arena.release(m);
        expect(c.rowsWritten).toBeGreaterThan(0);
        const plus = e.f32(xb.plus.g);
        const minus = xb.minus ? e.f32(xb.minus.g) : undefined;
        const w = e.f32(xb.weights);
        const gain = Math.fround(xb.gain);
        const gRef = Math.fround(xb.gRef);
        for (let i = 0; i < rows * cols; i++) {
          const want = Math.fround(Math.fround((plus[i] as number) - (minus ? (minus[i] as number) : gRef)) * gain);
          expect(w[i], `${mapping}, step ${step}: weight ${i}`).toBe(want);
        }
      }
    }
  });
});

describe("the ideal device's exact update", () => {
  it("moves every weight by exactly Δw (clamped to ±1), counts the mean pulses of stochastic rounding, and wears every moved cell (both mappings)", () => {
    const rows = 9;
    const cols = 7;
    for (const mapping of MAPPINGS) {
      const xb = crossbar({ rows, cols, mapping }, 2);
      const w0 = lcgFill(rows * cols, 40, 0.8);
      xb.setWeights(w0);
      const before = e.f32(xb.weights).slice();
      const dw = lcgFill(rows * cols, 41, 0.5);
      dw[0] = 0;
      dw[1] = 1.9; // past +1: clamped
      const c = xb.update(tensorOf(e, [rows, cols], dw), 0, "stochastic");
      const w = e.f32(xb.weights);
      let up = 0;
      let down = 0;
      for (let i = 0; i < rows * cols; i++) {
        const want = Math.max(-1, Math.min(1, (before[i] as number) + (dw[i] as number)));
        // The reference mapping's clamp is the cell's; the differential pair clamps each cell (±1 of range each side).
        if (mapping === "reference" || Math.abs(want) < 0.99) expect(w[i] as number, `${mapping} weight ${i}`).toBeCloseTo(want, 5);
        const pulses = (Math.abs(dw[i] as number) * 65536) / 2;
        if ((dw[i] as number) > 0) up += pulses;
        else down += pulses;
      }
      const cells = mapping === "differential" ? 2 : 1;
      // A rising weight potentiates the plus cell and depresses the minus cell: SET and RESET each get both.
      expect(c.setPulses).toBeCloseTo(mapping === "differential" ? up + down : up, -1);
      expect(c.resetPulses).toBeCloseTo(mapping === "differential" ? up + down : down, -1);
      expect(c.devicesMoved).toBe(cells * (rows * cols - 1));
      expect(e.u32(xb.plus.writes)[0]).toBe(0);
      expect(e.u32(xb.plus.writes)[1]).toBe(1);
    }
  });

  it("only the ideal preset's physics take it: fewer levels, C2C or a curve are programmed by pulses", async () => {
    const { exactUpdate } = await import("../src/device/crossbar.js");
    expect(exactUpdate(preset("ideal"))).toBe(true);
    expect(exactUpdate(preset("ideal", { levelsLtp: 64, levelsLtd: 64 }))).toBe(false);
    expect(exactUpdate(preset("ideal", { c2c: 0.01 }))).toBe(false);
    expect(exactUpdate(preset("ideal", { nlLtp: 1 }))).toBe(false);
    expect(exactUpdate(preset("fefet-v21"))).toBe(false);
    // 64 levels: every weight moves by whole pulses of 2/64.
    const xb = crossbar({ rows: 3, cols: 3, mapping: "reference", device: preset("ideal", { levelsLtp: 64, levelsLtd: 64 }) }, 2);
    xb.setWeights(new Float32Array(9));
    xb.update(tensorOf(e, [3, 3], new Float32Array(9).fill(0.1)), 0, "nearest");
    for (const v of e.f32(xb.weights)) expect(Math.round((v as number) * 32) / 32).toBeCloseTo(v as number, 5);
  });
});

describe("DAC: bit-serial reads with an ideal ADC", () => {
  it("CrossbarArray.read equals the product of the DAC-quantized inputs (signed, zero rows, ragged sizes, both mappings and directions)", () => {
    const rows = 150;
    const cols = 37;
    const batch = 5;
    const W = lcgFill(rows * cols, 7);
    for (const mapping of MAPPINGS) {
      for (const dacBits of [1, 4, 8]) {
        const settings: ReadSettings = { dacBits, adcBits: 0, adcRange: "min-max" };
        const xb = crossbar({ rows, cols, mapping, subArrayRows: 64, forward: settings, transposed: settings }, batch);
        xb.setWeights(W);
        for (const transposed of [false, true]) {
          const K = transposed ? cols : rows;
          const X = inputs(batch, K, 8 + dacBits, 2);
          const Xq = dacQuantized(X, dacBits);
          const { y } = read(xb, X, batch, transposed);
          const want = product(Xq, batch, W, rows, cols, transposed);
          const tol = Float64Array.from(want.tol, (t, i) => t + 4 * EPS32 * Math.abs(want.value[i] as number) + 1e-6);
          expectClose(y, want.value, tol, `${mapping} dac ${dacBits} transposed=${transposed}`);
          // Quantization is not a no-op at this precision.
          if (dacBits <= 4) {
            const exact = product(X, batch, W, rows, cols, transposed);
            let far = 0;
            for (let i = 0; i < y.length; i++) far = Math.max(far, Math.abs((y[i] as number) - (exact.value[i] as number)));
            expect(far).toBeGreaterThan(1e-2);
          }
        }
      }
    }
  });

  it("the bit-serial kernel path (fine ADC) agrees with the quantized product, forward and transposed", () => {
    const rows = 150;
    const cols = 37;
    const batch = 4;
    const sub = 64;
    const adcBits = 20;
    const dacBits = 6;
    const W = lcgFill(rows * cols, 9);
    for (const mapping of MAPPINGS) {
      const d = preset("ideal");
      const settings: ReadSettings = { dacBits, adcBits, adcRange: "min-max" };
      const xb = crossbar({ rows, cols, mapping, subArrayRows: sub, forward: settings, transposed: settings }, batch);
      xb.setWeights(W);
      for (const transposed of [false, true]) {
        const K = transposed ? cols : rows;
        const X = inputs(batch, K, 10, 1);
        let scale = 0;
        for (const v of X) scale = Math.max(scale, Math.abs(v));
        const { y } = read(xb, X, batch, transposed);
        const want = product(dacQuantized(X, dacBits), batch, W, rows, cols, transposed);
        // Each conversion is off by at most half an ADC step ≤ sub·gMax/2^bits/2, on both column sets, every bit and sign.
        const blocks = Math.ceil(K / sub);
        const adcTol = 2 * blocks * 2 * scale * xb.gain * Math.min(sub, K) * d.gMax * 2 ** -adcBits;
        const tol = Float64Array.from(want.tol, (t) => t + adcTol + 1e-6);
        expectClose(y, want.value, tol, `${mapping} transposed=${transposed}`);
      }
    }
  });

  it("kernels.readBitSerial with adcBits 0 adds outScale·Σ codes·(G⁺ − G⁻ or gRef)", () => {
    const k = e.kernels;
    const batch = 5;
    const K = 300;
    const blockRows = 128;
    const bits = 6;
    for (const N of [37, 3, 64]) {
      for (const variant of ["differential", "reference", "none"] as const) {
        const ldc = K + 3;
        const ldg = N + 5;
        const ldy = N + 2;
        const codes = new Int32Array(batch * ldc);
        const src = lcgFill(batch * ldc, N);
        for (let i = 0; i < codes.length; i++) codes[i] = Math.round((src[i] as number) * 63);
        for (let i = 0; i < codes.length; i += 7) codes[i] = 0;
        codes.fill(0, 2 * ldc, 3 * ldc); // batch row 2 applies nothing
        const gP = Float32Array.from(lcgFill(K * ldg, 20 + N), (v) => 0.6 + 0.5 * v);
        const gM = Float32Array.from(lcgFill(K * ldg, 30 + N), (v) => 0.6 + 0.5 * v);
        const gRef = variant === "reference" ? 0.55 : 0;
        const y0 = lcgFill(batch * ldy, 40);
        const outScale = 0.375;
        const m = e.arena.mark();
        const cT = tensorOf(e, [batch * ldc], codes, "i32");
        const pT = tensorOf(e, [K * ldg], gP);
        const mT = tensorOf(e, [K * ldg], gM);
        const yT = tensorOf(e, [batch * ldy], y0);
        const params = readParams({ adcBits: 0, gRef });
        const scratchBytes = 2 * batch * N * 4 + 2 * batch * 4 + batch * bits * 2 * (blockRows * 2 + 4);
        const scratch = e.arena.tensor([Math.ceil(scratchBytes / 4)]);
        const counts = e.arena.tensor([6]);
        k.readBitSerial(
          batch,
          K,
          N,
          cT.offset,
          ldc,
          bits,
          pT.offset,
          variant === "differential" ? mT.offset : 0,
          ldg,
          blockRows,
          params.offset,
          outScale,
          yT.offset,
          ldy,
          scratch.offset,
          counts.offset,
        );
        const y = e.f32(yT).slice();
        const cnt = Array.from(new Float64Array(e.memory.buffer, counts.offset, 3));
        e.arena.release(m);

        const want = new Float64Array(batch * ldy);
        const tol = new Float64Array(batch * ldy);
        for (let b = 0; b < batch; b++) {
          for (let j = 0; j < ldy; j++) {
            let s = 0;
            let sAbs = 0;
            if (j < N) {
              for (let i = 0; i < K; i++) {
                const c = codes[b * ldc + i] as number;
                const minus = variant === "differential" ? (gM[i * ldg + j] as number) : gRef;
                s += c * ((gP[i * ldg + j] as number) - minus);
                sAbs += Math.abs(c) * ((gP[i * ldg + j] as number) + Math.abs(minus));
              }
            }
            want[b * ldy + j] = (y0[b * ldy + j] as number) + outScale * s;
            tol[b * ldy + j] = (K + 64) * EPS32 * outScale * sAbs + EPS32 * Math.abs(want[b * ldy + j] as number);
          }
        }
        expectClose(y, want, tol, `N ${N} ${variant}`);
        // The zero row and the padding columns are untouched.
        for (let j = 0; j < ldy; j++) expect(y[2 * ldy + j]).toBe(y0[2 * ldy + j]);
        for (let b = 0; b < batch; b++) for (let j = N; j < ldy; j++) expect(y[b * ldy + j]).toBe(y0[b * ldy + j]);

        // Counts: one read per nonempty (sub-array, bit, sign, batch row) plane.
        let reads = 0;
        let active = 0;
        for (let k0 = 0; k0 < K; k0 += blockRows) {
          for (let bit = 0; bit < bits; bit++) {
            for (const sign of [1, -1]) {
              for (let b = 0; b < batch; b++) {
                let rowsOn = 0;
                for (let i = k0; i < Math.min(K, k0 + blockRows); i++) {
                  const c = codes[b * ldc + i] as number;
                  if (Math.sign(c) === sign && (Math.abs(c) >> bit) & 1) rowsOn++;
                }
                if (rowsOn > 0) {
                  reads++;
                  active += rowsOn;
                }
              }
            }
          }
        }
        const columns = variant === "differential" ? 2 * N : variant === "reference" ? N + 1 : N;
        expect(cnt, `N ${N} ${variant}`).toEqual([reads, active, reads * columns]);
      }
    }
  });

  it("kernels.readBitSerial with a coarse ADC (3–5 bits; min–max, fixed and V3 modes) equals its float32 twin bit for bit: odd and even bits, one sign (the paired pass) and both, three mappings", () => {
    const k = e.kernels;
    const [batch, K, blockRows] = [6, 300, 128];
    const N = 37;
    const [ldc, ldg, ldy] = [K + 3, N + 5, N + 2];
    let cases = 0;
    for (const bits of [3, 4])
      for (const signs of ["both", "positive", "negative"] as const)
        for (const variant of ["differential", "reference", "none"] as const)
          for (const [adcBits, adcMode] of [
            [3, 0],
            [5, 0],
            [4, 1],
            [4, 2],
          ] as const) {
            const top = 2 ** bits - 1;
            const src = lcgFill(batch * ldc, 7 * bits + adcBits);
            const codes = Int32Array.from(src, (v, i) => {
              const q = Math.round(v * top);
              const signed = signs === "both" ? q : signs === "positive" ? Math.abs(q) : -Math.abs(q);
              return i % 5 === 0 ? 0 : signed;
            });
            codes.fill(0, 2 * ldc, 3 * ldc); // batch row 2 applies nothing
            const gP = Float32Array.from(lcgFill(K * ldg, 20), (v) => 0.6 + 0.5 * v);
            const gM = Float32Array.from(lcgFill(K * ldg, 30), (v) => 0.6 + 0.5 * v);
            const gRef = variant === "reference" ? 0.55 : 0;
            const y0 = Float32Array.from(lcgFill(batch * ldy, 40));
            const read = {
              batch,
              K,
              N,
              codes,
              ldc,
              bits,
              gPlus: gP,
              ...(variant === "differential" ? { gMinus: gM } : {}),
              ldg,
              blockRows,
              adcBits,
              adcMode,
              lo: -3,
              hi: 70,
              gRef,
              outScale: 0.375,
            };
            const want = y0.slice();
            bitSerialReadRef(read, want, ldy);
            const m = e.arena.mark();
            const cT = tensorOf(e, [batch * ldc], codes, "i32");
            const pT = tensorOf(e, [K * ldg], gP);
            const mT = tensorOf(e, [K * ldg], gM);
            const yT = tensorOf(e, [batch * ldy], y0);
            const params = readParams({ adcBits, adcMode, lo: read.lo, hi: read.hi, gRef });
            const scratch = e.arena.tensor([bitSerialScratchBytes(batch, N, bits, blockRows) / 4]);
            const counts = e.arena.tensor([6]);
            k.readBitSerial(
              batch,
              K,
              N,
              cT.offset,
              ldc,
              bits,
              pT.offset,
              variant === "differential" ? mT.offset : 0,
              ldg,
              blockRows,
              params.offset,
              read.outScale,
              yT.offset,
              ldy,
              scratch.offset,
              counts.offset,
            );
            const got = e.f32(yT).slice();
            e.arena.release(m);
            const label = `bits ${bits}, ${signs}, ${variant}, ADC ${adcBits} bits mode ${adcMode}`;
            expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), label).toBe(true);
            // The coarse ADC matters: the read is not the exact product.
            expect(
              got.some((v, i) => v !== y0[i]),
              label,
            ).toBe(true);
            cases++;
          }
    expect(cases).toBe(72);
  });

  it("bit-serial counts are one read per nonempty (sub-array, bit, sign, batch row) plane, the same on the fast and the kernel path", () => {
    const rows = 150;
    const cols = 20;
    const batch = 4;
    const sub = 64;
    const dacBits = 5;
    const X = inputs(batch, rows, 12, 3);
    const codes = dacCodes(X, dacBits);
    let reads = 0;
    let active = 0;
    for (let b = 0; b < batch; b++) {
      for (let k0 = 0; k0 < rows; k0 += sub) {
        for (let bit = 0; bit < dacBits; bit++) {
          for (const sign of [1, -1]) {
            let on = 0;
            for (let i = k0; i < Math.min(rows, k0 + sub); i++) {
              const c = codes[b * rows + i] as number;
              if (Math.sign(c) === sign && (Math.abs(c) >> bit) & 1) on++;
            }
            if (on > 0) {
              reads++;
              active += on;
            }
          }
        }
      }
    }
    for (const mapping of MAPPINGS) {
      const columns = mapping === "differential" ? 2 * cols : cols + 1;
      for (const adcBits of [0, 8]) {
        const xb = crossbar({ rows, cols, mapping, subArrayRows: sub, forward: { dacBits, adcBits, adcRange: "min-max" } }, batch);
        xb.setWeights(lcgFill(rows * cols, 13));
        const { counts } = read(xb, X, batch);
        expect(counts, `${mapping} adc ${adcBits}`).toEqual({ reads, activeRows: active, conversions: reads * columns });
      }
    }
  });

  // Regression: the scratch of the bit-serial kernel must hold row lists strided
  // by the full sub-array height even when the array is smaller than one
  // sub-array (e.g. a 100×10 layer on the default 128-row sub-arrays). Sized by
  // min(subArrayRows, max(rows, cols)), the lists overran the scratch: wrong
  // outputs (batch 2) or "memory access out of bounds" (batch 8).
  it("the bit-serial kernel path works when the sub-array has more rows than the array", () => {
    const rows = 50;
    const cols = 10;
    const d = preset("ideal");
    const settings: ReadSettings = { dacBits: 8, adcBits: 12, adcRange: "min-max" };
    const W = lcgFill(rows * cols, 3);
    for (const [sub, batch] of [
      [100, 2],
      [128, 8],
      [65536, 3],
    ] as const) {
      const xb = crossbar({ rows, cols, subArrayRows: sub, forward: settings }, batch);
      xb.setWeights(W);
      const X = lcgFill(batch * rows, 4);
      let scale = 0;
      for (const v of X) scale = Math.max(scale, Math.abs(v));
      const { y } = read(xb, X, batch);
      const want = product(dacQuantized(X, 8), batch, W, rows, cols, false);
      const adcTol = 2 * 2 * scale * xb.gain * rows * d.gMax * 2 ** -12;
      expectClose(
        y,
        want.value,
        Float64Array.from(want.tol, (t) => t + adcTol),
        `sub ${sub} batch ${batch}`,
      );
    }
  });

  it("the same read with subArrayRows equal to the rows", () => {
    const rows = 50;
    const cols = 10;
    const batch = 8;
    const d = preset("ideal");
    const W = lcgFill(rows * cols, 3);
    const xb = crossbar({ rows, cols, subArrayRows: 50, forward: { dacBits: 8, adcBits: 12, adcRange: "min-max" } }, batch);
    xb.setWeights(W);
    const X = lcgFill(batch * rows, 4);
    let scale = 0;
    for (const v of X) scale = Math.max(scale, Math.abs(v));
    const { y } = read(xb, X, batch);
    const want = product(dacQuantized(X, 8), batch, W, rows, cols, false);
    const adcTol = 2 * 2 * scale * xb.gain * rows * d.gMax * 2 ** -12;
    expectClose(
      y,
      want.value,
      Float64Array.from(want.tol, (t) => t + adcTol),
      "sub 50",
    );
  });
});

describe("ADC (kernels.adcAccumulate)", () => {
  /** Runs adcAccumulate on batch × N partial sums and returns y (which starts at y0, default 0). */
  function adc(
    batch: number,
    N: number,
    psPlus: number[],
    p: ReadParams,
    options: { psMinus?: number[]; ref?: number[]; active?: number[]; outScale?: number; y0?: number[] } = {},
  ): Float32Array {
    const m = e.arena.mark();
    try {
      const plus = tensorOf(e, [batch * N], psPlus);
      const minus = options.psMinus ? tensorOf(e, [batch * N], options.psMinus) : undefined;
      const ref = options.ref ? tensorOf(e, [batch], options.ref) : undefined;
      const active = options.active ? tensorOf(e, [batch], options.active, "i32") : undefined;
      const y = tensorOf(e, [batch * N], options.y0 ?? new Array(batch * N).fill(0));
      const params = readParams(p);
      e.kernels.adcAccumulate(
        batch,
        N,
        plus.offset,
        minus?.offset ?? 0,
        ref?.offset ?? 0,
        active?.offset ?? 0,
        params.offset,
        options.outScale ?? 1,
        y.offset,
        N,
      );
      return e.f32(y).slice();
    } finally {
      e.arena.release(m);
    }
  }

  it("min–max mode: step (max − min)/2^bits, code floor((v − min)/step) clamped, value at the step's centre", () => {
    expect(e.kernels.READ_PARAM_BYTES.value).toBe(64);
    expect(e.kernels.READ_COUNT_SLOTS.value).toBe(3);
    // min 0, max 8, 3 bits: step 1.
    expect(Array.from(adc(1, 6, [0, 1, 2.5, 7, 8, 3.999], { adcBits: 3 }))).toEqual([0.5, 1.5, 2.5, 7.5, 7.5, 3.5]);
    // The range spans all batch rows; outScale multiplies; y accumulates.
    expect(Array.from(adc(2, 2, [-4, 0, 4, 12], { adcBits: 4 }, { outScale: 2, y0: [1, 1, 1, 1] }))).toEqual([
      1 + 2 * -3.5,
      1 + 2 * 0.5,
      1 + 2 * 4.5,
      1 + 2 * 11.5,
    ]);
    // All partial sums equal: a degenerate range passes them through.
    expect(Array.from(adc(1, 3, [2.25, 2.25, 2.25], { adcBits: 5 }))).toEqual([2.25, 2.25, 2.25]);
  });

  it("fixed mode: [lo, hi] in 2^bits steps, clipping outside", () => {
    const v = [-5, -2, -0.1, 0.5, 1.99, 2, 5.9, 6, 100];
    expect(Array.from(adc(1, v.length, v, { adcBits: 2, adcMode: 1, lo: -2, hi: 6 }))).toEqual([-1, -1, -1, 1, 1, 3, 5, 5, 5]);
    // Fixed mode ignores the data's own range.
    expect(Array.from(adc(1, 2, [0.3, 0.4], { adcBits: 1, adcMode: 1, lo: 0, hi: 4 }))).toEqual([1, 1]);
  });

  it("MLP+NeuroSim V3.0 mode: step hi/(2^bits − 1), codes truncated and not clipped, column and reference converted separately", () => {
    // hi 7, 3 bits: step 1; 7.99 → 7, 9.5 → 9 (beyond full scale, kept), reference 2.7 → 2.
    expect(Array.from(adc(1, 4, [0.4, 3.5, 7.99, 9.5], { adcBits: 3, adcMode: 2, hi: 7 }, { ref: [2.7] }))).toEqual([-2, 1, 5, 7]);
    // G⁻ columns alike; outScale multiplies codes × step (step 0.5 here: hi 1.5, 2 bits).
    expect(Array.from(adc(1, 2, [1.2, 0.3], { adcBits: 2, adcMode: 2, hi: 1.5 }, { psMinus: [0.6, 1.4], outScale: 2 }))).toEqual([
      2 * 0.5 * (2 - 1),
      2 * 0.5 * (0 - 2),
    ]);
  });

  it("ideal ADC (0 bits) passes the difference through", () => {
    const plus = Array.from(lcgFill(12, 1));
    const minus = Array.from(lcgFill(12, 2));
    const y0 = Array.from(lcgFill(12, 3));
    const got = adc(3, 4, plus, { adcBits: 0 }, { psMinus: minus, outScale: 0.7, y0 });
    const s = Math.fround(0.7);
    const want = plus.map((p, i) => Math.fround((y0[i] as number) + Math.fround(s * Math.fround(p - (minus[i] as number)))));
    expect(Array.from(got)).toEqual(want);
  });

  it("G⁻ columns and the reference column are digitized by the same ADC and subtracted", () => {
    // G⁻: min 0, max 8 over both column sets, step 1.
    expect(Array.from(adc(1, 2, [0, 4], { adcBits: 3 }, { psMinus: [8, 2] }))).toEqual([0.5 - 7.5, 4.5 - 2.5]);
    // Reference: range over {1, 5, 3} and the reference 2; 2 bits, step 1.
    expect(Array.from(adc(1, 3, [1, 5, 3], { adcBits: 2 }, { ref: [2] }))).toEqual([1.5 - 2.5, 4.5 - 2.5, 3.5 - 2.5]);
    // One reference per batch row.
    expect(Array.from(adc(2, 1, [4, 4], { adcBits: 0 }, { ref: [1, 3] }))).toEqual([3, 1]);
  });

  it("rows with active = 0 add nothing and do not stretch the min–max range", () => {
    const ps = [0, 4, 8, 1e6, -1e6, 3, 1, 2, 7.5];
    const y0 = [0, 0, 0, 42, 42, 42, 0, 0, 0];
    const got = adc(3, 3, ps, { adcBits: 3 }, { active: [1, 0, 1], y0 });
    const alone = adc(2, 3, [0, 4, 8, 1, 2, 7.5], { adcBits: 3 });
    expect(Array.from(got)).toEqual([alone[0], alone[1], alone[2], 42, 42, 42, alone[3], alone[4], alone[5]]);
    // Nothing active: nothing happens.
    expect(Array.from(adc(2, 2, [1, 2, 3, 4], { adcBits: 3 }, { active: [0, 0], y0: [5, 6, 7, 8] }))).toEqual([5, 6, 7, 8]);
  });

  it("codes lie in [0, 2^b − 1] and are monotone in the input; exact against a float32 model", () => {
    const n = 997;
    const v = Array.from(lcgFill(n, 5), (x) => 1 + 4 * x).sort((a, b) => a - b);
    for (let bits = 1; bits <= 10; bits++) {
      for (const mode of [0, 1] as const) {
        const p: ReadParams = mode === 0 ? { adcBits: bits } : { adcBits: bits, adcMode: 1, lo: -1, hi: 3 };
        const out = adc(1, n, v, p);
        const lo = mode === 0 ? Math.fround(v[0] as number) : -1;
        const hi = mode === 0 ? Math.fround(v[n - 1] as number) : 3;
        const step = Math.fround((hi - lo) / 2 ** bits);
        let lastCode = -1;
        const bad: string[] = [];
        for (let i = 0; i < n; i++) {
          const vi = v[i] as number;
          const got = out[i] as number;
          const code = (got - lo) / step - 0.5;
          const c = Math.round(code);
          const why =
            got !== adcRef(vi, lo, step, 2 ** bits)
              ? `${got}, want ${adcRef(vi, lo, step, 2 ** bits)}`
              : Math.abs(code - c) > 1e-3
                ? `code ${code} is not an integer`
                : c < 0 || c > 2 ** bits - 1
                  ? `code ${c} out of range`
                  : c < lastCode
                    ? `code ${c} below the previous ${lastCode}`
                    : vi >= lo && vi <= hi && Math.abs(got - vi) > step / 2 + 1e-6
                      ? "more than half a step away inside the range"
                      : "";
          if (why && bad.length < 5) bad.push(`bits ${bits} mode ${mode} input ${vi}: ${why}`);
          lastCode = Math.max(lastCode, c);
        }
        expect(bad).toEqual([]);
        expect(lastCode).toBe(2 ** bits - 1);
      }
    }
  });

  it("MLP+NeuroSim V3.0's read: one conversion over the whole column at full scale rows·(Gmax − Gmin), reference column converted alike", () => {
    const rows = 40;
    const cols = 6;
    const batch = 3;
    const device = preset("ideal");
    const xb = crossbar(
      { rows, cols, mapping: "reference", device, subArrayRows: 64, forward: { dacBits: 0, adcBits: 8, adcRange: "neurosim-v3" } },
      batch,
    );
    xb.setWeights(lcgFill(rows * cols, 21));
    // Binary inputs, as MLP+NeuroSim's.
    const X = Array.from(lcgFill(batch * rows, 22), (v) => (v > 0 ? 1 : 0));
    const { y } = read(xb, X, batch);
    const g = e.f32(xb.plus.g);
    const step = Math.fround(Math.fround(rows * (device.gMax - device.gMin)) / 255);
    for (let b = 0; b < batch; b++) {
      const on = X.slice(b * rows, (b + 1) * rows).reduce((s: number, v) => s + v, 0);
      const refCode = Math.trunc(Math.fround(on * xb.gRef) / step);
      for (let j = 0; j < cols; j++) {
        let isum = 0;
        for (let k = 0; k < rows; k++) if (X[b * rows + k]) isum += g[k * cols + j] as number;
        // Reconstructed as rows / 255 weight units per code: Gmax − Gmin counts as weight 1 (half the reference mapping's gain).
        const want = (step / (device.gMax - device.gMin)) * (Math.trunc(isum / step) - refCode);
        expect(xb.gain).toBeCloseTo(2 / (device.gMax - device.gMin), 0);
        expect(Math.abs((y[b * cols + j] as number) - want), `row ${b} column ${j}`).toBeLessThan(1e-5 + 1e-5 * Math.abs(want));
      }
    }
  });

  it("more ADC bits shrink the read error (4, 6, 8, 10 bits, both range modes)", () => {
    const rows = 200;
    const cols = 50;
    const batch = 8;
    const W = lcgFill(rows * cols, 14);
    const X = inputs(batch, rows, 15);
    const exact = product(X, batch, W, rows, cols, false).value;
    for (const adcRange of ["min-max", "fixed"] as const) {
      const errors: number[] = [];
      for (const adcBits of [4, 6, 8, 10]) {
        const xb = crossbar({ rows, cols, subArrayRows: 64, forward: { dacBits: 0, adcBits, adcRange } }, batch);
        xb.setWeights(W);
        const { y } = read(xb, X, batch);
        let s = 0;
        for (let i = 0; i < y.length; i++) s += ((y[i] as number) - (exact[i] as number)) ** 2;
        errors.push(Math.sqrt(s / y.length));
      }
      for (let i = 1; i < errors.length; i++) {
        // Two more bits: a quarter of the step; at least halve the error.
        expect(errors[i] as number, `${adcRange}: ${errors.join(", ")}`).toBeLessThan(0.5 * (errors[i - 1] as number));
      }
      expect(errors[0] as number, adcRange).toBeGreaterThan(1e-2);
    }
  });
});

describe("read noise", () => {
  const rows = 200;
  const cols = 300;
  const batch = 16;
  const readNoise = 0.01;

  function noisyRead(mapping: WeightMapping, seed: number, reads = 1): { errors: Float64Array[]; norms: number[]; xb: CrossbarArray } {
    const device = preset("ideal", { readNoise });
    const xb = crossbar(
      { rows, cols, mapping, device, subArrayRows: 64, seed, arrayId: 3, forward: { dacBits: 0, adcBits: 0, adcRange: "min-max" } },
      batch,
    );
    xb.setWeights(lcgFill(rows * cols, 16));
    const X = lcgFill(batch * rows, 17);
    // Rows of different norms.
    for (let b = 0; b < batch; b++) for (let i = 0; i < rows; i++) X[b * rows + i] = (X[b * rows + i] as number) * (0.25 + b / 8);
    const exact = product(X, batch, e.f32(xb.weights), rows, cols, false).value;
    const norms: number[] = [];
    for (let b = 0; b < batch; b++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += (X[b * rows + i] as number) ** 2;
      norms.push(Math.sqrt(s));
    }
    const errors: Float64Array[] = [];
    for (let r = 0; r < reads; r++) {
      const { y } = read(xb, X, batch);
      errors.push(Float64Array.from(y, (v, i) => v - (exact[i] as number)));
    }
    return { errors, norms, xb };
  }

  it("σ of the read error is readNoise·(gMax − gMin)·gain·‖x‖ (×√2 for a differential pair), mean 0", () => {
    const d = preset("ideal");
    for (const mapping of MAPPINGS) {
      const { errors, norms, xb } = noisyRead(mapping, 8);
      const sigma = readNoise * (d.gMax - d.gMin) * xb.gain * (mapping === "differential" ? Math.SQRT2 : 1);
      const err = errors[0] as Float64Array;
      const z = Float64Array.from(err, (v, i) => v / (sigma * (norms[Math.floor(i / cols)] as number)));
      const n = z.length;
      let s = 0;
      let q = 0;
      for (const v of z) {
        s += v;
        q += v * v;
      }
      const mean = s / n;
      const sd = Math.sqrt(q / n - mean * mean);
      expect(Math.abs(mean), `${mapping} mean`).toBeLessThan(5 / Math.sqrt(n));
      expect(Math.abs(sd - 1), `${mapping} σ ${sd}`).toBeLessThan(Math.max(5 / Math.sqrt(2 * n), 0.03));
    }
  });

  it("is deterministic for a seed, fresh on every read, and different for another seed", () => {
    const a = noisyRead("differential", 8, 2);
    const b = noisyRead("differential", 8, 2);
    const c = noisyRead("differential", 9, 1);
    expect(Array.from(b.errors[0] as Float64Array)).toEqual(Array.from(a.errors[0] as Float64Array));
    expect(Array.from(b.errors[1] as Float64Array)).toEqual(Array.from(a.errors[1] as Float64Array));
    let sameAcrossReads = 0;
    let sameAcrossSeeds = 0;
    const first = a.errors[0] as Float64Array;
    for (let i = 0; i < first.length; i++) {
      if (first[i] === (a.errors[1] as Float64Array)[i]) sameAcrossReads++;
      if (first[i] === (c.errors[0] as Float64Array)[i]) sameAcrossSeeds++;
    }
    expect(sameAcrossReads).toBeLessThan(first.length / 100);
    expect(sameAcrossSeeds).toBeLessThan(first.length / 100);
  });

  it("rows wider than one draw (1,024 normals) and bit-serial reads: σ as stated, no value reused across chunks or rows", () => {
    const [K, N, B] = [40, 2600, 3];
    const d = preset("ideal");
    const X = lcgFill(B * K, 21);
    for (const forward of [IDEAL_READ, { dacBits: 4, adcBits: 0, adcRange: "min-max" } as ReadSettings]) {
      const errorsAt = (readNoise: number) => {
        const xb = crossbar(
          { rows: K, cols: N, mapping: "reference", device: preset("ideal", { readNoise }), subArrayRows: 64, seed: 4, forward },
          B,
        );
        xb.setWeights(lcgFill(K * N, 22));
        const quiet = crossbar({ rows: K, cols: N, mapping: "reference", device: preset("ideal"), subArrayRows: 64, seed: 4, forward }, B);
        quiet.setWeights(lcgFill(K * N, 22));
        const noisy = read(xb, X, B).y;
        const clean = read(quiet, X, B).y;
        return { err: Float64Array.from(noisy, (v, i) => v - (clean[i] as number)), gain: xb.gain };
      };
      const { err, gain } = errorsAt(0.01);
      const rms = Math.sqrt(err.reduce((s, v) => s + v * v, 0) / err.length);
      if (forward.dacBits === 0) {
        // One read per row: σ = readNoise·(gMax − gMin)·gain·‖x_b‖.
        let expected = 0;
        for (let b = 0; b < B; b++) {
          let s = 0;
          for (let i = 0; i < K; i++) s += (X[b * K + i] as number) ** 2;
          expected += s;
        }
        expect(rms / (0.01 * (d.gMax - d.gMin) * gain * Math.sqrt(expected / B))).toBeCloseTo(1, 1);
      } else {
        // Bit-serial: the noise scales with the device's σ (twice the noise, twice the error).
        expect(rms).toBeGreaterThan(0);
        const twice = errorsAt(0.02).err;
        const rms2 = Math.sqrt(twice.reduce((s, v) => s + v * v, 0) / twice.length);
        expect(rms2 / rms).toBeCloseTo(2, 1);
      }
    }
    // The kernel itself: ps[b, j] += σ·‖x_b‖·z, z element (start + b·N + j) of randomNormalFast — exactly,
    // across the 1,024-element chunks it draws at a time.
    const k = e.kernels;
    const start = 777;
    const ps = e.arena.tensor([B * N]);
    const norms = e.arena.tensor([B]);
    e.f32(norms).set([0.5, 1, 2.25]);
    const z = e.arena.tensor([B * N]);
    k.randomNormalFast(9, 5, 3, start, B * N, z.offset);
    k.addReadNoise(B, N, ps.offset, norms.offset, readParams({ noise: 0.01, seed: 9, stream: 5, step: 3 }).offset, start);
    const got = e.f32(ps);
    const zs = e.f32(z);
    let mismatches = 0;
    for (let b = 0; b < B; b++) {
      const sigma = Math.fround(Math.fround(0.01) * (e.f32(norms)[b] as number));
      for (let j = 0; j < N; j++) if (got[b * N + j] !== Math.fround(sigma * (zs[b * N + j] as number))) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});

describe("event counts of one-shot reads", () => {
  it("reads = batch·⌈K/subArrayRows⌉, active rows = nonzero inputs, conversions = reads·columns, ideal or not", () => {
    const rows = 130;
    const cols = 45;
    const batch = 3;
    for (const mapping of MAPPINGS) {
      for (const forward of [IDEAL_READ, { dacBits: 0, adcBits: 8, adcRange: "min-max" } as ReadSettings]) {
        for (const sub of [32, 64, 130, 256]) {
          const xb = crossbar({ rows, cols, mapping, subArrayRows: sub, forward, transposed: forward }, batch);
          xb.setWeights(lcgFill(rows * cols, 18));
          for (const transposed of [false, true]) {
            const K = transposed ? cols : rows;
            const N = transposed ? rows : cols;
            const X = inputs(batch, K, 19, 1);
            const { counts } = read(xb, X, batch, transposed);
            const reads = batch * Math.ceil(K / sub);
            const nonzero = X.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
            const columns = mapping === "differential" ? 2 * N : N + 1;
            expect(counts, `${mapping} adc ${forward.adcBits} sub ${sub} transposed=${transposed}`).toEqual({
              reads,
              activeRows: nonzero,
              conversions: reads * columns,
            });
          }
        }
      }
    }
  });
});
