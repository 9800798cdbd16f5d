import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Engine, fillUniform, streamId } from "../src/index.js";
import { engine, lcgFill, tensorOf } from "./helpers.js";

// WAGE quantizers (Wu et al., ICLR 2018, as DNN+NeuroSim V2.1's wage_quantizer.py applies them), stochastic
// rounding and the DAC's input encoding (assembly/quantize.ts): hand-computed
// values, properties over many inputs, and exact agreement with float32
// references written here.

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

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** kernels.wageQuantize on a copy of x. */
function wage(x: ArrayLike<number>, k: number, clip: boolean): Float32Array {
  const t = tensorOf(e, [x.length], x);
  const out = e.arena.tensor([x.length]);
  e.kernels.wageQuantize(out.offset, t.offset, x.length, k, clip ? 1 : 0);
  return e.f32(out).slice();
}

/** Q(C(x, k), k) or Q(x, k) in float32, from §3.4. */
function wageRef(x: number, k: number, clip: boolean): number {
  const v = Math.fround(x);
  if (k > 15) return v;
  if (k === 1) return v > 0 ? 1 : v < 0 ? -1 : 0;
  const s = 2 ** (k - 1);
  const limit = 1 - 1 / s;
  const c = clip ? Math.min(limit, Math.max(-limit, v)) : v;
  return roundHalfEven(c * s) / s;
}

/** Equality that treats −0 as 0. */
function values(a: ArrayLike<number>): number[] {
  return Array.from(a, (v) => v + 0);
}

describe("Q and C (kernels.wageQuantize)", () => {
  it("k = 5: hand-computed values, ties to even, clip to ±(1 − 1/16)", () => {
    const x = [0.3, 0.03125, 0.09375, -0.09375, 0.46875, 0.40625, -0.03125, 0.96875, 1.2, -5, 0.5];
    expect(values(wage(x, 5, true))).toEqual([0.3125, 0, 0.125, -0.125, 0.5, 0.375, 0, 0.9375, 0.9375, -0.9375, 0.5]);
    // Without the clip the same grid extends past ±1.
    expect(values(wage(x, 5, false))).toEqual([0.3125, 0, 0.125, -0.125, 0.5, 0.375, 0, 1, 1.1875, -5, 0.5]);
  });

  it("other widths: k = 2 and 8 by hand; k = 1 is sign (0 → 0); k ≥ 16 is the identity", () => {
    expect(values(wage([0.3, 0.2, 0.25, 0.75, -0.75, -0.3], 2, true))).toEqual([0.5, 0, 0, 0.5, -0.5, -0.5]);
    expect(values(wage([0.3, 0.2, 0.25, 0.75, -0.75, -0.3], 2, false))).toEqual([0.5, 0, 0, 1, -1, -0.5]);
    expect(values(wage([0.3, -0.1, 0.05, 2], 8, true))).toEqual([38 / 128, -13 / 128, 6 / 128, 127 / 128]);
    const signs = [0.3, -0.2, 0, -0, 5, -1e-30, 1e-30, -7];
    for (const clip of [true, false]) expect(values(wage(signs, 1, clip))).toEqual([1, -1, 0, 0, 1, -1, 1, -1]);
    const any = Array.from(lcgFill(37, 1, 3));
    for (const k of [16, 20, 32]) {
      for (const clip of [true, false]) expect(Array.from(wage(any, k, clip))).toEqual(Array.from(Float32Array.from(any)));
    }
  });

  it("works in place", () => {
    const x = lcgFill(23, 2, 1.5);
    const t = tensorOf(e, [23], x);
    e.kernels.wageQuantize(t.offset, t.offset, 23, 4, 1);
    expect(values(e.f32(t))).toEqual(values(Array.from(x, (v) => wageRef(v, 4, true))));
  });

  it("properties over many inputs: on the 1/S grid, clipped range, within half a step, idempotent, exact", () => {
    const n = 4099; // not a multiple of 4: the SIMD body and the scalar tail
    const x = lcgFill(n, 3, 2);
    // Exact grid points and ties, too.
    for (let i = 0; i < 64; i++) x[i] = (i - 32) / 16 + (i % 2 === 0 ? 1 / 32 : 0);
    for (let k = 2; k <= 15; k++) {
      const s = 2 ** (k - 1);
      const limit = 1 - 1 / s;
      for (const clip of [true, false]) {
        const q = wage(x, k, clip);
        const qq = wage(q, k, clip);
        const bad: string[] = [];
        for (let i = 0; i < n; i++) {
          const v = q[i] as number;
          const xi = x[i] as number;
          const target = clip ? Math.min(limit, Math.max(-limit, xi)) : xi;
          const why =
            v !== wageRef(xi, k, clip)
              ? `is not ${wageRef(xi, k, clip)}`
              : !Number.isInteger(v * s)
                ? "is off the grid"
                : qq[i] !== v
                  ? `Q(Q(x)) = ${qq[i]}`
                  : Math.abs(v - target) > 0.5 / s
                    ? "is more than half a step away"
                    : clip && Math.abs(v) > limit
                      ? "is outside the clip range"
                      : "";
          if (why && bad.length < 5) bad.push(`k ${k} clip ${clip}: Q(${xi}) = ${v} ${why}`);
        }
        expect(bad).toEqual([]);
      }
    }
  });
});

describe("shift and QE (kernels.powerOfTwoShift, wageQuantizeError)", () => {
  it("shift(x) = 2^round(log2 x): hand values, and the guard for x ≤ 0", () => {
    const k = e.kernels;
    expect(k.powerOfTwoShift(0.3)).toBe(0.25);
    expect(k.powerOfTwoShift(0.75)).toBe(1);
    expect(k.powerOfTwoShift(0.7)).toBe(0.5);
    expect(k.powerOfTwoShift(1)).toBe(1);
    expect(k.powerOfTwoShift(3)).toBe(4);
    expect(k.powerOfTwoShift(0.125)).toBe(0.125);
    expect(k.powerOfTwoShift(1e-5)).toBe(2 ** -17);
    expect(k.powerOfTwoShift(1000)).toBe(1024);
    for (const bad of [0, -1, Number.POSITIVE_INFINITY, Number.NaN]) expect(k.powerOfTwoShift(bad)).toBe(1);
    for (const v of lcgFill(500, 4)) {
      const x = Math.abs(v) * 10 + 1e-3;
      const s = k.powerOfTwoShift(x);
      const l = Math.log2(s);
      expect(Number.isInteger(l)).toBe(true);
      expect(Math.abs(l - Math.log2(Math.fround(x)))).toBeLessThanOrEqual(0.5 + 1e-12);
    }
  });

  it("maxAbs", () => {
    const t = tensorOf(e, [5], [0.3, -0.7, 0.1, 0, -0.2]);
    expect(e.kernels.maxAbs(t.offset, 5)).toBe(Math.fround(0.7));
    expect(e.kernels.maxAbs(t.offset, 0)).toBe(0);
  });

  it("QE([0.3, −0.1, 0.05], 8) = [127/128, −51/128, 26/128] with shift 0.25", () => {
    const g = tensorOf(e, [3], [0.3, -0.1, 0.05]);
    const out = e.arena.tensor([3]);
    expect(e.kernels.wageQuantizeError(out.offset, g.offset, 3, 8)).toBe(0.25);
    expect(Array.from(e.f32(out))).toEqual([127 / 128, -51 / 128, 26 / 128]);
  });

  it("QE drops the tensor's scale: Q(C(g / shift(max|g|), k), k) for any scale", () => {
    const n = 1001;
    for (const [scale, k] of [
      [1e-3, 8],
      [37, 8],
      [0.01, 5],
    ] as const) {
      const gv = lcgFill(n, 5, scale);
      const g = tensorOf(e, [n], gv);
      const out = e.arena.tensor([n]);
      const shift = e.kernels.wageQuantizeError(out.offset, g.offset, n, k);
      let m = 0;
      for (const v of gv) m = Math.max(m, Math.abs(v));
      expect(shift).toBe(2 ** Math.round(Math.log2(m)));
      const o = e.f32(out);
      for (let i = 0; i < n; i++) {
        const want = wageRef(Math.fround((gv[i] as number) * Math.fround(1 / shift)), k, true);
        if (o[i] !== want) expect(o[i], `scale ${scale} element ${i}`).toBe(want);
      }
    }
  });
});

describe("stochastic rounding (kernels.stochasticRound)", () => {
  function sr(x: ArrayLike<number>, seed: number, stream: number, step: number): Float32Array {
    const t = tensorOf(e, [x.length], x);
    const out = e.arena.tensor([x.length]);
    e.kernels.stochasticRound(out.offset, t.offset, x.length, seed, stream, step);
    return e.f32(out).slice();
  }

  it("is floor(x + U_i) with U_i element i of randomUniform(seed, stream, step), exactly", () => {
    const n = 5000;
    const x = lcgFill(n, 6, 4);
    const stream = streamId("stochastic-rounding", 2);
    const got = sr(x, 42, stream, 9);
    const u = e.arena.tensor([n]);
    fillUniform(e, u, { seed: 42, stream, step: 9 });
    const uv = e.f32(u);
    for (let i = 0; i < n; i++) {
      const want = Math.floor(Math.fround((x[i] as number) + (uv[i] as number)));
      if (got[i] !== want) expect(got[i], `element ${i}`).toBe(want);
    }
    // Another step or seed draws other numbers.
    const other = sr(x, 42, stream, 10);
    let differ = 0;
    for (let i = 0; i < n; i++) if (other[i] !== got[i]) differ++;
    expect(differ).toBeGreaterThan(n / 10);
  });

  it("is unbiased: the mean of SR(x) is x (within 5 standard errors), outputs are floor(x) or floor(x) + 1", () => {
    const n = 20_000;
    for (const v of [0.3, -1.7, 2.5, 0.01]) {
      const out = sr(new Float32Array(n).fill(v), 7, streamId("stochastic-rounding", 0), 1);
      const f = Math.floor(Math.fround(v));
      let s = 0;
      let outside = 0;
      for (const o of out) {
        if (o !== f && o !== f + 1) outside++;
        s += o;
      }
      expect(outside).toBe(0);
      const frac = Math.fround(v) - f;
      expect(Math.abs(s / n - Math.fround(v)), `x ${v}`).toBeLessThanOrEqual(5 * Math.sqrt((frac * (1 - frac)) / n));
    }
    // Mixed inputs: the mean error is zero.
    const x = lcgFill(n, 7, 3);
    const out = sr(x, 8, streamId("stochastic-rounding", 1), 0);
    let err = 0;
    let variance = 0;
    for (let i = 0; i < n; i++) {
      err += (out[i] as number) - (x[i] as number);
      const frac = (x[i] as number) - Math.floor(x[i] as number);
      variance += frac * (1 - frac);
    }
    expect(Math.abs(err / n)).toBeLessThanOrEqual((5 * Math.sqrt(variance)) / n);
    // Integers stay put.
    expect(Array.from(sr([3, -2, 0, 17], 1, 1, 1))).toEqual([3, -2, 0, 17]);
  });
});

describe("DAC encoding (kernels.dacEncode, dacQuantize)", () => {
  function encode(x: ArrayLike<number>, bits: number, scale: number): { codes: number[]; nonzero: number; values: number[] } {
    const t = tensorOf(e, [x.length], x);
    const c = e.arena.tensor([x.length], "i32");
    const q = e.arena.tensor([x.length]);
    const nonzero = e.kernels.dacEncode(c.offset, t.offset, x.length, bits, scale);
    e.kernels.dacQuantize(q.offset, t.offset, x.length, bits, scale);
    return { codes: Array.from(e.i32(c)), nonzero, values: Array.from(e.f32(q)) };
  }

  it("hand-computed: 2 bits (codes −3 … 3), ties to even, clipping at the scale", () => {
    const x = [0, 0.1, 0.17, 0.5, -0.5, 0.84, 1, 2, -2, -0.1];
    const { codes, nonzero, values: v } = encode(x, 2, 1);
    expect(codes.map((c) => c + 0)).toEqual([0, 0, 1, 2, -2, 3, 3, 3, -3, 0]);
    expect(nonzero).toBe(7);
    const third = Math.fround(1 / 3);
    expect(v.map((c) => c + 0)).toEqual(codes.map((c) => Math.fround(Math.abs(c) * third) * Math.sign(c) + 0));
  });

  it("codes stay within ±(2^b − 1), match a float32 reference exactly, and dacQuantize = code·scale/(2^b − 1)", () => {
    const n = 2003;
    const x = lcgFill(n, 9, 1.5);
    for (let i = 0; i < n; i += 11) x[i] = 0;
    for (const scale of [1, 0.37]) {
      const s = Math.fround(scale);
      for (let bits = 1; bits <= 12; bits++) {
        const L = 2 ** bits - 1;
        const { codes, nonzero, values: v } = encode(x, bits, scale);
        const factor = Math.fround(L / s);
        const back = Math.fround(s / L);
        let nz = 0;
        const bad: string[] = [];
        for (let i = 0; i < n; i++) {
          const xi = x[i] as number;
          const m = Math.min(L, Math.fround(Math.abs(xi) * factor));
          const want = (xi < 0 ? -1 : 1) * roundHalfEven(m) + 0;
          const c = codes[i] as number;
          if (c !== 0) nz++;
          const q = Math.fround(Math.abs(c) * back) * Math.sign(c);
          // Within half a step of the (clipped) input.
          const clipped = Math.sign(xi) * Math.min(Math.abs(xi), scale);
          const why =
            c !== want
              ? `code ${c}, want ${want}`
              : Math.abs(c) > L
                ? `code ${c} out of range`
                : v[i] !== q
                  ? `value ${v[i]}, want ${q}`
                  : Math.abs((v[i] as number) - clipped) > (0.5 * scale) / L + 1e-6
                    ? "more than half a step away"
                    : "";
          if (why && bad.length < 5) bad.push(`bits ${bits} scale ${scale} x ${xi}: ${why}`);
        }
        expect(bad).toEqual([]);
        expect(nonzero).toBe(nz);
        // Full scale is reached.
        expect(Math.max(...codes.map(Math.abs))).toBe(L);
      }
    }
  });

  it("is odd: encode(−x) = −encode(x)", () => {
    const x = Array.from(lcgFill(257, 10));
    const a = encode(x, 6, 1).codes;
    const b = encode(
      x.map((v) => -v),
      6,
      1,
    ).codes;
    expect(b.map((c) => c + 0)).toEqual(a.map((c) => -c + 0));
  });
});

describe("WAGE gradient quantization on the device update (quant.gradient with update: device)", () => {
  it("each weight moves by an integer number of steps of shift / 2^(bits−1); shift = 2^round(log2 max|Δ|), so at most √2·2^(bits−1) steps", async () => {
    const { loadEngine } = await import("../src/index.js");
    const { buildNetwork } = await import("../src/experiment/train.js");
    const { resolveRunConfig } = await import("../src/experiment/config.js");
    const e = await loadEngine();
    for (const bits of [2, 3]) {
      const net = buildNetwork(e, {
        ...resolveRunConfig({ device: "ideal", algo: "bp", batch: 4, lr: 0.5, momentum: 0, update: "device", quant: { gradient: bits } }),
        model: "mlp:6-5-3",
      });
      const x = e.arena.tensor([4, 6]);
      e.write(
        x,
        Float32Array.from({ length: 24 }, (_, i) => 0.5 + 0.5 * Math.sin(i)),
      );
      const layer = net.layers[1];
      if (!layer) throw new Error("no layer 2");
      const before = e.f32(layer.array.weights).slice();
      net.trainStep(x, Int32Array.from([0, 1, 2, 0]), 4);
      const moved = Array.from(e.f32(layer.array.weights), (w, i) => w - (before[i] as number)).filter((d) => d !== 0);
      expect(moved.length, `${bits} bits`).toBeGreaterThan(4);
      const unit = Math.min(...moved.map(Math.abs));
      const steps = moved.map((d) => d / unit);
      for (const s of steps) expect(Math.abs(s - Math.round(s)), `${bits} bits: ${s} steps`).toBeLessThan(1e-3);
      // The smallest move is at least one step, so no move is more than ⌈√2·2^(bits−1)⌉ of them.
      expect(Math.max(...steps.map(Math.abs))).toBeLessThanOrEqual(Math.ceil(Math.SQRT2 * 2 ** (bits - 1)) + 1e-3);
    }
  });
});
