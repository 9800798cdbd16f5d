import { beforeAll, describe, expect, it } from "vitest";
import { type Engine, KernelError, type KernelExports, loadEngine } from "../src/index.js";
import { engine, expectClose, lcgFill } from "./helpers.js";

// Every elementwise kernel against a plain float64 reference, at lengths on
// both sides of the SIMD width (4), with guard cells around every buffer.

const LENGTHS = [0, 1, 3, 4, 5, 17, 64, 129, 1000];
/** Guard cells before and after every buffer; they must keep this value. */
const SENTINEL = -7777.25;
const GUARD_AFTER = 8;
/** What an output buffer holds before the kernel runs: every element must be overwritten. */
const GARBAGE = 31337.5;

const f = Math.fround;

/** Values a kernel must get right that an LCG would never produce. */
const ARITH_SPECIALS = [0, -0, Infinity, -Infinity, Number.NaN, 1e-40, -1e-40, 3.4e38, -3.4e38, 1, -1];
/** Arguments where exp or a naive formula would overflow or underflow. */
const ACTIVATION_SPECIALS = [
  30,
  -30,
  100,
  -100,
  88.5,
  -88.5,
  89,
  -89,
  104,
  -104,
  0,
  -0,
  1e-30,
  -1e-30,
  1e-40,
  Infinity,
  -Infinity,
  Number.NaN,
  9.5,
  -9.5,
];

interface InputSpec {
  /** lcgFill's scale: values in [−scale, scale). */
  scale: number;
  /** Added to every value (to shift a range, e.g. [0, 1) for a sigmoid output). */
  shift?: number;
  /** Put into every fifth element, starting at index 2, in turn. */
  specials: readonly number[];
}

interface KernelCase {
  name: string;
  inputs: readonly InputSpec[];
  /** The output starts as a copy of this input (axpy updates y); otherwise it starts as garbage. */
  outStartsAs?: number;
  call(k: KernelExports, out: number, ins: readonly number[], n: number): void;
  /** Element i of the expected output, from the inputs as stored (f32). */
  want(ins: readonly Float32Array[], i: number): number;
  /** Allowed |got − want| for an expected value; absent means bit-exact (any NaN matches any NaN). */
  tol?: (want: number) => number;
  /** Inputs the output may be the same buffer as. */
  inPlace: readonly number[];
}

const FILL_VALUE = 0.1; // not an f32: the kernel must see fround(0.1)
const SCALE = -1.7;
const AXPY_A = 0.3;
const LO = -0.5;
const HI = 0.25;

// The references, written the plain way. Each single f32 operation is modelled
// as the exact float64 result rounded once to f32 (Math.fround), which is what
// IEEE f32 arithmetic gives.
function refSigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
function refClamp(x: number, lo: number, hi: number): number {
  if (x < lo) return lo;
  if (x > hi) return hi;
  return x; // NaN is neither below lo nor above hi: it stays NaN
}
/** ulp-scale tolerance for a transcendental: a few ulps of f32. */
const transcendentalTol = (want: number): number => 4e-7 + 2e-7 * Math.abs(want);

const at = (a: Float32Array, i: number): number => a[i] as number;

const CASES: readonly KernelCase[] = [
  {
    name: "fill",
    inputs: [],
    call: (k, out, _ins, n) => k.fill(out, FILL_VALUE, n),
    want: () => f(FILL_VALUE),
    inPlace: [],
  },
  {
    name: "add",
    inputs: [
      { scale: 10, specials: ARITH_SPECIALS },
      { scale: 10, specials: [...ARITH_SPECIALS].reverse() },
    ],
    call: (k, out, [a, b], n) => k.add(out, a as number, b as number, n),
    want: ([a, b], i) => f(at(a as Float32Array, i) + at(b as Float32Array, i)),
    inPlace: [0, 1],
  },
  {
    name: "scale",
    inputs: [{ scale: 10, specials: ARITH_SPECIALS }],
    call: (k, out, [x], n) => k.scale(out, x as number, SCALE, n),
    want: ([x], i) => f(f(SCALE) * at(x as Float32Array, i)),
    inPlace: [0],
  },
  {
    name: "axpy",
    inputs: [
      { scale: 10, specials: ARITH_SPECIALS },
      { scale: 10, specials: [...ARITH_SPECIALS].reverse() },
    ],
    outStartsAs: 0,
    call: (k, y, [, x], n) => k.axpy(y, AXPY_A, x as number, n),
    want: ([y, x], i) => f(at(y as Float32Array, i) + f(f(AXPY_A) * at(x as Float32Array, i))),
    inPlace: [],
  },
  {
    name: "clamp",
    inputs: [{ scale: 1, specials: [...ARITH_SPECIALS, LO, HI, f(LO) - 2 ** -25, f(HI) + 2 ** -24] }],
    call: (k, out, [x], n) => k.clamp(out, x as number, LO, HI, n),
    want: ([x], i) => refClamp(at(x as Float32Array, i), f(LO), f(HI)),
    inPlace: [0],
  },
  {
    name: "binarize",
    inputs: [{ scale: 1, specials: [...ARITH_SPECIALS, 0.5, f(0.5) + 2 ** -24, f(0.5) - 2 ** -25] }],
    call: (k, out, [x], n) => k.binarize(out, x as number, n, 0.5),
    // 1 at or above the threshold, 0 below it (and for NaN).
    want: ([x], i) => (at(x as Float32Array, i) >= 0.5 ? 1 : 0),
    inPlace: [0],
  },
  {
    name: "relu",
    inputs: [{ scale: 10, specials: ARITH_SPECIALS }],
    call: (k, out, [x], n) => k.relu(out, x as number, n),
    // max(x, 0); −0 and NaN pass through unchanged, as f32x4.pmax does.
    // biome-ignore lint/complexity/useMathMinMax: keeps −0 as the kernel does (Math.max(0, −0) is +0)
    want: ([x], i) => (at(x as Float32Array, i) < 0 ? 0 : at(x as Float32Array, i)),
    inPlace: [0],
  },
  {
    name: "reluBackward",
    inputs: [
      { scale: 10, specials: ARITH_SPECIALS }, // dy
      { scale: 10, specials: [0, -0, 1e-40, -1e-40, Number.NaN, Infinity, -Infinity] }, // x
    ],
    call: (k, out, [dy, x], n) => k.reluBackward(out, dy as number, x as number, n),
    want: ([dy, x], i) => (at(x as Float32Array, i) > 0 ? at(dy as Float32Array, i) : 0),
    inPlace: [0, 1],
  },
  {
    name: "sigmoid",
    inputs: [{ scale: 10, specials: ACTIVATION_SPECIALS }],
    call: (k, out, [x], n) => k.sigmoid(out, x as number, n),
    want: ([x], i) => refSigmoid(at(x as Float32Array, i)),
    tol: transcendentalTol,
    inPlace: [0],
  },
  {
    name: "sigmoidBackward",
    inputs: [
      { scale: 10, specials: ARITH_SPECIALS }, // dy
      { scale: 0.5, shift: 0.5, specials: [0, 1, 0.5, -0, 1e-40, Number.NaN] }, // y = sigmoid output
    ],
    call: (k, out, [dy, y], n) => k.sigmoidBackward(out, dy as number, y as number, n),
    // dy·(y·(1 − y)), one f32 rounding per operation
    want: ([dy, y], i) => {
      const v = at(y as Float32Array, i);
      return f(at(dy as Float32Array, i) * f(v * f(1 - v)));
    },
    inPlace: [0, 1],
  },
  {
    name: "tanh",
    inputs: [{ scale: 10, specials: ACTIVATION_SPECIALS }],
    call: (k, out, [x], n) => k.tanh(out, x as number, n),
    want: ([x], i) => Math.tanh(at(x as Float32Array, i)),
    tol: transcendentalTol,
    inPlace: [0],
  },
  {
    name: "tanhBackward",
    inputs: [
      { scale: 10, specials: ARITH_SPECIALS }, // dy
      { scale: 1, specials: [0, 1, -1, 0.5, -0, 1e-40, Number.NaN] }, // y = tanh output
    ],
    call: (k, out, [dy, y], n) => k.tanhBackward(out, dy as number, y as number, n),
    // dy·(1 − y²), one f32 rounding per operation
    want: ([dy, y], i) => {
      const v = at(y as Float32Array, i);
      return f(at(dy as Float32Array, i) * f(1 - f(v * v)));
    },
    inPlace: [0, 1],
  },
];

function makeInput(n: number, salt: number, spec: InputSpec): Float32Array {
  const out = lcgFill(n, salt, spec.scale);
  for (let i = 0; i < n; i++) out[i] = (out[i] as number) + (spec.shift ?? 0);
  for (let i = 2, s = 0; i < n && spec.specials.length > 0; i += 5, s++) {
    out[i] = spec.specials[s % spec.specials.length] as number;
  }
  return out;
}

/**
 * Copies `data` into a fresh arena buffer between guard cells and returns the
 * pointer to its first element. `before` guard cells come first: 4 keeps the
 * pointer 16-byte aligned, other counts misalign it.
 */
function place(e: Engine, data: Float32Array, before: number): number {
  const t = e.arena.tensor([before + data.length + GUARD_AFTER]);
  const view = e.f32(t);
  view.fill(SENTINEL);
  view.set(data, before);
  return t.offset + before * 4;
}

function readAt(e: Engine, ptr: number, n: number): Float32Array {
  return new Float32Array(e.memory.buffer, ptr, n).slice();
}

/** Indices of the guard cells around a buffer that lost their sentinel. */
function brokenGuards(e: Engine, ptr: number, n: number, before: number): number[] {
  const all = new Float32Array(e.memory.buffer, ptr - before * 4, before + n + GUARD_AFTER);
  const bad: number[] = [];
  for (let i = 0; i < all.length; i++) {
    if (i >= before && i < before + n) continue;
    if (all[i] !== SENTINEL) bad.push(i - before);
  }
  return bad;
}

function sameF32(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/** Bit-exact comparison (−0 ≠ +0, any NaN matches any NaN) reporting the first mismatches. */
function expectExact(got: ArrayLike<number>, want: ArrayLike<number>, label: string): void {
  expect(got.length, label).toBe(want.length);
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i] as number;
    const w = want[i] as number;
    if (!sameF32(g, w)) {
      count++;
      if (bad.length < 5) bad.push(`[${i}] got ${Object.is(g, -0) ? "-0" : g}, want ${Object.is(w, -0) ? "-0" : w}`);
    }
  }
  if (count > 0) throw new Error(`${label}: ${count} mismatches: ${bad.join("; ")}`);
}

interface RunOptions {
  /** The output is input `alias`'s own buffer (in-place use). */
  alias?: number;
  /** Guard cells before each buffer (4: aligned, else misaligned). */
  before: number;
}

function runCase(e: Engine, c: KernelCase, n: number, salt: number, options: RunOptions): void {
  const { alias, before } = options;
  const label = `${c.name} n=${n}${alias === undefined ? "" : ` in place on input ${alias}`}${before % 4 === 0 ? "" : " misaligned"}`;
  const mark = e.arena.mark();
  const data = c.inputs.map((spec, j) => makeInput(n, salt + 17 * j, spec));
  const ptrs = data.map((d) => place(e, d, before));
  let out: number;
  if (alias !== undefined) {
    out = ptrs[alias] as number;
  } else if (c.outStartsAs !== undefined) {
    out = place(e, data[c.outStartsAs] as Float32Array, before);
  } else {
    out = place(e, new Float32Array(n).fill(GARBAGE), before);
  }

  c.call(e.kernels, out, ptrs, n);

  const got = readAt(e, out, n);
  const want = Array.from({ length: n }, (_, i) => c.want(data, i));
  if (c.tol) {
    const tol = c.tol;
    expectClose(
      got,
      want,
      want.map((w) => tol(w)),
      label,
    );
  } else {
    expectExact(got, want, label);
  }
  // Nothing outside [out, out + n) is written, and the inputs are left as they were.
  expect(brokenGuards(e, out, n, before), `${label}: output guards`).toEqual([]);
  ptrs.forEach((p, j) => {
    expect(brokenGuards(e, p, n, before), `${label}: input ${j} guards`).toEqual([]);
    if (p !== out) expectExact(readAt(e, p, n), data[j] as Float32Array, `${label}: input ${j} changed`);
  });
  e.arena.release(mark);
}

describe("elementwise kernels against float64 references", () => {
  let e: Engine;
  beforeAll(async () => {
    e = await engine();
  });

  for (const c of CASES) {
    const exactness = c.tol ? "within a few ulps" : "bit-exact";
    it(`${c.name}: ${exactness} at n = ${LENGTHS.join(", ")}, in place, aligned or not, nothing past n touched`, () => {
      let salt = 1;
      for (const n of LENGTHS) {
        for (const before of [4, 1, 3]) {
          runCase(e, c, n, salt, { before });
          for (const alias of c.inPlace) runCase(e, c, n, salt, { before, alias });
          salt++;
        }
      }
    });
  }

  it("outer: out[i·n + j] = (x[i]·y[j])·s in f32, bit-exact, for shapes on both sides of the SIMD width, nothing outside touched", () => {
    let salt = 40;
    for (const [m, n] of [
      [0, 5],
      [3, 0],
      [1, 1],
      [4, 3],
      [7, 4],
      [5, 17],
      [33, 10],
    ] as const) {
      for (const s of [1, -0.375, 1 / 3]) {
        const mark = e.arena.mark();
        const x = lcgFill(m, salt++, 2);
        const y = lcgFill(n, salt++, 3);
        if (m > 2) x[2] = 0;
        if (n > 1) y[1] = Number.NaN;
        const px = place(e, x, 4);
        const py = place(e, y, 1);
        const out = place(e, new Float32Array(m * n).fill(GARBAGE), 3);
        e.kernels.outer(m, n, px, py, s, out);
        const got = readAt(e, out, m * n);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            const want = f(f((x[i] as number) * (y[j] as number)) * f(s));
            expect(sameF32(got[i * n + j] as number, want), `${m}×${n}, s ${s}: [${i}, ${j}] ${got[i * n + j]}, want ${want}`).toBe(true);
          }
        }
        expect(brokenGuards(e, out, m * n, 3)).toEqual([]);
        e.arena.release(mark);
      }
    }
  });

  it("fill stores any f32 value (−0, ±∞, NaN, huge) and rounds its argument to f32", () => {
    for (const value of [-0, 0, Infinity, -Infinity, Number.NaN, 1e-40, 3.4e38, 1e39, 1 / 3]) {
      for (const n of LENGTHS) {
        const mark = e.arena.mark();
        const out = place(e, new Float32Array(n).fill(GARBAGE), 4);
        e.kernels.fill(out, value, n);
        expectExact(readAt(e, out, n), new Array(n).fill(f(value)), `fill(${value}) n=${n}`);
        expect(brokenGuards(e, out, n, 4)).toEqual([]);
        e.arena.release(mark);
      }
    }
  });

  it("clamp keeps NaN, keeps −0 in range, handles lo == hi and infinite bounds", () => {
    const x = Float32Array.from([Number.NaN, -0, 0, -5, 5, Infinity, -Infinity, 0.5, Number.NaN, 1e-40, -2, 2, Number.NaN]);
    const n = x.length;
    for (const [lo, hi] of [
      [-1, 1],
      [0.5, 0.5],
      [-Infinity, Infinity],
      [0, Infinity],
      [-0, 0],
    ] as const) {
      const mark = e.arena.mark();
      const px = place(e, x, 4);
      const out = place(e, new Float32Array(n).fill(GARBAGE), 4);
      e.kernels.clamp(out, px, lo, hi, n);
      const got = readAt(e, out, n);
      expectExact(
        got,
        Array.from(x, (v) => refClamp(v, lo, hi)),
        `clamp [${lo}, ${hi}]`,
      );
      // NaN in the SIMD part (index 0, 8) and in the scalar tail (index 12) alike.
      for (const i of [0, 8, 12]) expect(got[i], `clamp [${lo}, ${hi}] index ${i}`).toBeNaN();
      e.arena.release(mark);
    }
  });

  it("the debug build rejects clamp with lo > hi", async () => {
    const d = await loadEngine({ debug: true });
    const x = place(d, Float32Array.from([1, 2, 3]), 4);
    expect(() => d.kernels.clamp(x, x, 1, -1, 3)).toThrow(KernelError);
    expect(() => d.kernels.clamp(x, x, 1, -1, 3)).toThrow(/clamp: lo > hi \(assembly\/elementwise\.ts:\d+:\d+\)/);
  });

  it("reluBackward gives 0 where x == 0 or x == −0 (and NaN), dy where x > 0, in the SIMD part and the tail", () => {
    // Lengths 8 and 7: lanes of a SIMD block and a scalar tail.
    for (const n of [8, 7, 5]) {
      const x = Float32Array.from({ length: n }, (_, i) => [0, -0, 1e-45, -1e-45, Number.NaN, 2, 0, -3][i % 8] as number);
      const dy = Float32Array.from({ length: n }, (_, i) => 10 + i);
      const mark = e.arena.mark();
      const px = place(e, x, 4);
      const pdy = place(e, dy, 4);
      const out = place(e, new Float32Array(n).fill(GARBAGE), 4);
      e.kernels.reluBackward(out, pdy, px, n);
      const want = Array.from(x, (v, i) => (v > 0 ? (dy[i] as number) : 0));
      expectExact(readAt(e, out, n), want, `reluBackward n=${n}`);
      // and the result is +0, not −0, where the gradient is blocked
      expect(Object.is(readAt(e, out, n)[0], 0)).toBe(true);
      e.arena.release(mark);
    }
  });

  it("sigmoid and tanh at large magnitudes: no overflow, saturation to 0/1 and ±1, a few ulps of relative error, symmetry", () => {
    // A dense sweep of [−110, 110] plus the specials: the relative error (not just
    // the absolute) must be small wherever the result is a normal f32.
    const xs: number[] = [...ACTIVATION_SPECIALS];
    for (let i = -22000; i <= 22000; i++) xs.push(i / 200);
    const x = Float32Array.from(xs);
    const negX = x.map((v) => -v);
    const n = x.length;
    const mark = e.arena.mark();
    const px = place(e, x, 4);
    const pn = place(e, negX, 4);
    const s = place(e, new Float32Array(n), 4);
    const sNeg = place(e, new Float32Array(n), 4);
    const t = place(e, new Float32Array(n), 4);
    const tNeg = place(e, new Float32Array(n), 4);
    e.kernels.sigmoid(s, px, n);
    e.kernels.sigmoid(sNeg, pn, n);
    e.kernels.tanh(t, px, n);
    e.kernels.tanh(tNeg, pn, n);
    const sig = readAt(e, s, n);
    const sigNeg = readAt(e, sNeg, n);
    const th = readAt(e, t, n);
    const thNeg = readAt(e, tNeg, n);

    const MIN_NORMAL = 2 ** -126;
    const ulpTol = (w: number): number => (Math.abs(w) >= MIN_NORMAL ? 4 * 2 ** -23 * Math.abs(w) : 2 * 2 ** -149);
    const sigWant = Array.from(x, refSigmoid);
    const tanhWant = Array.from(x, Math.tanh);
    expectClose(sig, sigWant, sigWant.map(ulpTol), "sigmoid relative");
    expectClose(th, tanhWant, tanhWant.map(ulpTol), "tanh relative");

    const problems: string[] = [];
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      const y = sig[i] as number;
      const z = th[i] as number;
      if (Number.isNaN(v)) {
        if (!Number.isNaN(y) || !Number.isNaN(z)) problems.push(`NaN in: sigmoid ${y}, tanh ${z}`);
        continue;
      }
      if (!(y >= 0 && y <= 1)) problems.push(`sigmoid(${v}) = ${y} outside [0, 1]`);
      if (!(Math.abs(z) <= 1)) problems.push(`tanh(${v}) = ${z} outside [−1, 1]`);
      // σ(x) + σ(−x) = 1 up to the rounding of each
      const sum = y + (sigNeg[i] as number);
      if (!(Math.abs(sum - 1) <= 2 ** -22)) problems.push(`sigmoid(${v}) + sigmoid(${-v}) = ${sum}`);
      // tanh is odd, exactly
      if (!sameF32(thNeg[i] as number, -z)) problems.push(`tanh(${-v}) = ${thNeg[i]}, tanh(${v}) = ${z}`);
    }
    expect(problems.slice(0, 5), `${problems.length} problems`).toEqual([]);
    const valueAt = (arr: Float32Array, v: number): number => arr[xs.indexOf(v)] as number;
    for (const big of [30, 88.5, 89, 100, 104, Infinity]) {
      expect(valueAt(sig, big), `sigmoid(${big})`).toBe(1);
      expect(valueAt(th, big), `tanh(${big})`).toBe(1);
      expect(valueAt(th, -big), `tanh(${-big})`).toBe(-1);
    }
    expect(valueAt(sig, -Infinity)).toBe(0);
    // σ(−100) = e^−100 / (1 + e^−100) ≈ 3.7e−44: a subnormal f32, not 0 and not NaN.
    expect(valueAt(sig, -100)).toBeGreaterThan(0);
    e.arena.release(mark);
  });
});
