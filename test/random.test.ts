import { beforeAll, describe, expect, it } from "vitest";
import {
  type Engine,
  fillBits,
  fillNormal,
  fillUniform,
  InputError,
  loadEngine,
  RANDOM_PURPOSES,
  type RandomKey,
  type RandomPurpose,
  streamId,
} from "../src/index.js";
import { type Block, bitsRef, M0, M1, mulhilo, normalRef, philoxRef, uniformRef, W0, W1 } from "../src/reference/random.js";
import { engine } from "./helpers.js";

// Philox4x32-10 (Salmon et al., SC'11) and the fills built on it: known answers,
// an independent TypeScript implementation, random access, and the statistics
// of the uniform and normal outputs.

// ---------------------------------------------------------------------------
// Statistics.

/** erfc(x) for x ≥ 0 to about 1e−15: a positive-term series below 3, a continued fraction above. */
function erfcNonNegative(x: number): number {
  if (x < 3) {
    // erf(x) = 2/√π · e^(−x²) · Σ_k (2x²)^k · x / (1·3·5···(2k+1))
    let term = x;
    let sum = x;
    for (let k = 1; term > 1e-17 * sum; k++) {
      term *= (2 * x * x) / (2 * k + 1);
      sum += term;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …))))
  let t = x;
  for (let k = 80; k >= 1; k--) t = x + k / 2 / t;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / t;
}

/** The standard normal CDF Φ(z) = ½·erfc(−z/√2). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const tail = 0.5 * erfcNonNegative(x);
  return z < 0 ? tail : 1 - tail;
}

/** Kolmogorov–Smirnov statistic D = sup |F_n − F| of a sample against a continuous CDF. */
function ksStatistic(sample: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(sample).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i] as number);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] as number;
  return s / a.length;
}

function variance(a: ArrayLike<number>): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - m) ** 2;
  return s / (a.length - 1);
}

/** Pearson's sample correlation. */
function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = (a[i] as number) - ma;
    const y = (b[i] as number) - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

// ---------------------------------------------------------------------------

type Kind = "bits" | "uniform" | "normal";
const KINDS: readonly Kind[] = ["bits", "uniform", "normal"];

/** Runs one of the fills through the public API and returns a copy of its output. */
function draw(e: Engine, kind: Kind, key: RandomKey, n: number): Float32Array | Uint32Array {
  const mark = e.arena.mark();
  let out: Float32Array | Uint32Array;
  if (kind === "bits") {
    const t = e.arena.tensor([n], "u32");
    fillBits(e, t, key);
    out = e.u32(t).slice();
  } else {
    const t = e.arena.tensor([n]);
    (kind === "uniform" ? fillUniform : fillNormal)(e, t, key);
    out = e.f32(t).slice();
  }
  e.arena.release(mark);
  return out;
}

/** The bit patterns of an output, for bit-exact comparison of floats. */
function asBits(a: Float32Array | Uint32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

const hex = (words: ArrayLike<number>): string[] => Array.from(words, (w) => w.toString(16).padStart(8, "0"));

/** Random123's kat_vectors for philox4x32 10: counter[4], key[2] → output[4]. */
const KAT: readonly { counter: Block; key: [number, number]; want: string[] }[] = [
  { counter: [0, 0, 0, 0], key: [0, 0], want: ["6627e8d5", "e169c58d", "bc57ac4c", "9b00dbd8"] },
  {
    counter: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    key: [0xffffffff, 0xffffffff],
    want: ["408f276d", "41c83b0e", "a20bc7c6", "6d5451fd"],
  },
  {
    counter: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    key: [0xa4093822, 0x299f31d0],
    want: ["d16cfe09", "94fdcceb", "5001e420", "24126ea1"],
  },
];

describe("Philox4x32-10", () => {
  let e: Engine;
  beforeAll(async () => {
    e = await engine();
  });

  function philoxBlock(counter: Block, key: [number, number]): number[] {
    const mark = e.arena.mark();
    const out = e.arena.tensor([5], "u32");
    e.u32(out)[4] = 0xdeadbeef;
    e.kernels.philoxBlock(...counter, ...key, out.offset);
    const got = Array.from(e.u32(out));
    e.arena.release(mark);
    expect(got[4], "philoxBlock wrote past its 4 words").toBe(0xdeadbeef);
    return got.slice(0, 4);
  }

  it("philoxBlock reproduces Random123's known-answer vectors", () => {
    for (const { counter, key, want } of KAT) {
      expect(hex(philoxBlock(counter, key)), `counter ${hex(counter)} key ${hex(key)}`).toEqual(want);
    }
  });

  it("the TypeScript reference reproduces them too, and its 32×32→64 multiply agrees with BigInt", () => {
    for (const { counter, key, want } of KAT) expect(hex(philoxRef(counter, key))).toEqual(want);
    const words = [0, 1, 2, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, M0, M1, W0, W1, 0x243f6a88];
    for (const a of words) {
      for (const b of words) {
        const p = BigInt(a) * BigInt(b);
        expect(mulhilo(a, b), `${a} × ${b}`).toEqual([Number(p >> 32n), Number(p & 0xffffffffn)]);
      }
    }
  });

  it("philoxBlock equals the reference on arbitrary counters and keys", () => {
    let s = 0x12345678;
    const next = (): number => {
      s = (s * 69069 + 1) % 2 ** 32;
      return s;
    };
    for (let i = 0; i < 200; i++) {
      const counter: Block = [next(), next(), next(), next()];
      const key: [number, number] = [next(), next()];
      expect(philoxBlock(counter, key), `counter ${hex(counter)} key ${hex(key)}`).toEqual(philoxRef(counter, key));
    }
  });
});

describe("randomBits, randomUniform, randomNormal", () => {
  let e: Engine;
  beforeAll(async () => {
    e = await engine();
  });

  /** Keys with starts off the block boundary, past 2^32, across the counter's high word (⌊e/4⌋ = 2^32) and up to 2^53 − 1. */
  const CASES: readonly Required<RandomKey & { n: number }>[] = [
    { seed: 0, stream: 0, step: 0, start: 0, n: 64 },
    { seed: 42, stream: streamId("weights", 3), step: 7, start: 5, n: 37 },
    { seed: 7, stream: 1, step: 2, start: 2, n: 1 },
    { seed: 0xffffffff, stream: 0xffffffff, step: 0xffffffff, start: 2 ** 32 + 3, n: 50 },
    { seed: 123, stream: 9, step: 1, start: 2 ** 34 - 6, n: 13 },
    { seed: 5, stream: streamId("read-noise", 1000), step: 99, start: 2 ** 34 + 1, n: 22 },
    { seed: 1, stream: 2, step: 3, start: 2 ** 53 - 11, n: 11 },
    { seed: 2024, stream: 1, step: 0, start: 1e12 + 1, n: 1000 },
  ];

  /** Calls a kernel directly with n elements into a buffer with a sentinel after them. */
  function kernel(kind: Kind, c: (typeof CASES)[number]): Uint32Array {
    const mark = e.arena.mark();
    const out = e.arena.tensor([c.n + 1], "u32");
    e.u32(out).fill(0xdeadbeef);
    const fn = kind === "bits" ? e.kernels.randomBits : kind === "uniform" ? e.kernels.randomUniform : e.kernels.randomNormal;
    fn(c.seed, c.stream, c.step, c.start, c.n, out.offset);
    const got = e.u32(out).slice();
    e.arena.release(mark);
    expect(got[c.n], `${kind} wrote past n`).toBe(0xdeadbeef);
    return got.subarray(0, c.n);
  }

  it("element e is lane e mod 4 of Philox(key = (seed, stream), counter = (⌊e/4⌋ low, ⌊e/4⌋ high, step, 0))", () => {
    for (const c of CASES) {
      const label = JSON.stringify(c);
      const bits = Array.from(kernel("bits", c));
      expect(bits, label).toEqual(bitsRef(c.seed, c.stream, c.step, c.start, c.n));
    }
  });

  it("randomUniform is exactly (bits >>> 8) · 2^−24 of the same elements", () => {
    for (const c of CASES) {
      const label = JSON.stringify(c);
      const uniform = new Float32Array(kernel("uniform", c).buffer, 0, c.n);
      const want = bitsRef(c.seed, c.stream, c.step, c.start, c.n).map(uniformRef);
      expect(Array.from(uniform), label).toEqual(want);
      const fromKernelBits = Array.from(kernel("bits", c), uniformRef);
      expect(Array.from(uniform), label).toEqual(fromKernelBits);
    }
  });

  it("randomNormal is Box–Muller on the block's lane pairs (to an f32 ulp: log/cos/sin are the module's own)", () => {
    let exact = 0;
    let total = 0;
    for (const c of CASES) {
      const label = JSON.stringify(c);
      const normal = new Float32Array(kernel("normal", c).buffer, 0, c.n);
      for (let i = 0; i < c.n; i++) {
        const want = normalRef(c.seed, c.stream, c.step, c.start + i);
        const got = normal[i] as number;
        if (!(Math.abs(got - want) <= 2 ** -23 * Math.abs(want) + 1e-12)) {
          expect.fail(`${label}: element ${c.start + i}: got ${got}, want ${want}`);
        }
        if (got === want) exact++;
        total++;
      }
    }
    // An occasional last-bit difference is allowed, a systematic one is not.
    expect(exact / total).toBeGreaterThan(0.99);
  });

  it("random access: fill(start = s, n) is elements s … s + n − 1 of fill(start = 0, s + n), for every kind", () => {
    const key = { seed: 31337, stream: streamId("augment", 2), step: 4 };
    for (const kind of KINDS) {
      for (const s of [1, 2, 3, 4, 5, 6, 7, 8, 13, 100, 1001]) {
        for (const n of [1, 2, 3, 4, 9, 257]) {
          const whole = draw(e, kind, { ...key, start: 0 }, s + n);
          const part = draw(e, kind, { ...key, start: s }, n);
          expect(asBits(part), `${kind} start ${s} n ${n}`).toEqual(asBits(whole.subarray(s)));
        }
      }
      // Far out too: the same element however the run is cut.
      const far = 2 ** 40 + 2;
      const whole = draw(e, kind, { ...key, start: far }, 40);
      for (const s of [1, 3, 6]) {
        const part = draw(e, kind, { ...key, start: far + s }, 40 - s);
        expect(asBits(part), `${kind} far ${s}`).toEqual(asBits(whole.subarray(s)));
      }
    }
  });

  it("n = 0 writes nothing; n elements write exactly n", () => {
    for (const n of [0, 1, 3, 5]) {
      for (const kind of KINDS) kernel(kind, { seed: 1, stream: 1, step: 1, start: 3, n });
    }
  });

  it("the same key gives the same numbers in two separate engines, and in the debug build", async () => {
    const e1 = await engine();
    const e2 = await engine();
    const debug = await loadEngine({ debug: true });
    const key = { seed: 99, stream: streamId("faults", 7), step: 12, start: 6 };
    for (const kind of KINDS) {
      const a = asBits(draw(e1, kind, key, 1000));
      expect(asBits(draw(e2, kind, key, 1000)), kind).toEqual(a);
      expect(asBits(draw(debug, kind, key, 1000)), `${kind} debug`).toEqual(a);
    }
  });

  it("a different seed, stream or step gives a different, uncorrelated sequence", () => {
    const n = 20000;
    const limit = 4 / Math.sqrt(n);
    const base = { seed: 1, stream: streamId("weights"), step: 0 };
    const variants: RandomKey[] = [
      { ...base, seed: 2 },
      { ...base, seed: 1 + 2 ** 31 },
      { ...base, stream: streamId("weights", 1) },
      { ...base, stream: streamId("feedback") },
      { ...base, step: 1 },
      { ...base, step: 2 ** 32 - 1 },
      { ...base, start: 1 }, // the same sequence shifted by one (lag-1 autocorrelation)
      { ...base, start: 4 }, // shifted by one block
    ];
    const u0 = draw(e, "uniform", base, n);
    const z0 = draw(e, "normal", base, n);
    const b0 = draw(e, "bits", base, n);
    for (const key of variants) {
      const label = JSON.stringify(key);
      const u = draw(e, "uniform", key, n);
      const z = draw(e, "normal", key, n);
      const b = draw(e, "bits", key, n);
      expect(Math.abs(correlation(u0, u)), `${label}: uniform r`).toBeLessThan(limit);
      expect(Math.abs(correlation(z0, z)), `${label}: normal r`).toBeLessThan(limit);
      // 32-bit words agree by chance with probability 2^−32 each.
      let same = 0;
      for (let i = 0; i < n; i++) if (b[i] === b0[i]) same++;
      expect(same, `${label}: equal words`).toBeLessThanOrEqual(1);
    }
  });
});

describe("the distributions", () => {
  let e: Engine;
  beforeAll(async () => {
    e = await engine();
  });
  const n = 100_000;
  const ksCritical = 1.949 / Math.sqrt(n); // α = 0.001

  it("the reference Φ is accurate (checked against tabulated values)", () => {
    const table: [number, number][] = [
      [0, 0.5],
      [1, 0.8413447460685429],
      [-1, 0.15865525393145707],
      [2.5, 0.9937903346742238],
      [-3, 0.0013498980316300946],
      [-6, 9.865876450376983e-10],
    ];
    for (const [z, want] of table) expect(Math.abs(normalCdf(z) - want), `Φ(${z})`).toBeLessThanOrEqual(1e-15 + 1e-12 * want);
    // erfc on both sides of the switch from series to continued fraction
    expect(Math.abs(erfcNonNegative(2) / 0.004677734981047266 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(erfcNonNegative(3) / 2.209049699858544e-5 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(erfcNonNegative(5) / 1.5374597944280349e-12 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(1 - erfcNonNegative(0.5) - 0.5204998778130465)).toBeLessThan(1e-15);
  });

  it("uniform: every value in [0, 1) on the 2^−24 grid; mean 1/2 and variance 1/12 within 5 SE; KS at α = 0.001", () => {
    const u = draw(e, "uniform", { seed: 12345, stream: streamId("shuffle"), step: 3 }, n) as Float32Array;
    let bad = 0;
    for (const v of u) if (!(v >= 0 && v < 1 && Number.isInteger(v * 2 ** 24))) bad++;
    expect(bad, "values outside [0, 1) or off the grid").toBe(0);
    const m = mean(u);
    const v = variance(u);
    expect(Math.abs(m - 0.5), `mean ${m}`).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    // Var of the sample variance of U(0, 1): (μ4 − σ⁴)/n = (1/80 − 1/144)/n = 1/(180 n)
    expect(Math.abs(v - 1 / 12), `variance ${v}`).toBeLessThan(5 * Math.sqrt(1 / 180 / n));
    const d = ksStatistic(u, (x) => Math.min(1, Math.max(0, x)));
    expect(d, `KS D = ${d}`).toBeLessThan(ksCritical);
  });

  it("normal: finite and |z| < 7; mean 0 and variance 1 within 5 SE, for all and each lane; KS against Φ at α = 0.001", () => {
    const z = draw(e, "normal", { seed: 777, stream: streamId("read-noise", 5), step: 11, start: 3 }, n) as Float32Array;
    let bad = 0;
    for (const v of z) if (!(Number.isFinite(v) && Math.abs(v) < 7)) bad++;
    expect(bad, "non-finite or |z| ≥ 7").toBe(0);
    const m = mean(z);
    const v = variance(z);
    expect(Math.abs(m), `mean ${m}`).toBeLessThan(5 / Math.sqrt(n));
    // Var of the sample variance of N(0, 1): (μ4 − σ⁴)/n = 2/n
    expect(Math.abs(v - 1), `variance ${v}`).toBeLessThan(5 * Math.sqrt(2 / n));
    const d = ksStatistic(z, normalCdf);
    expect(d, `KS D = ${d}`).toBeLessThan(ksCritical);

    // Each of the four lanes (cos and sin of two pairs) on its own, and the two halves of a pair uncorrelated.
    // The run starts at element 3, so element i is lane (i + 3) mod 4.
    const lanes: number[][] = [[], [], [], []];
    for (let i = 0; i < n; i++) (lanes[(i + 3) % 4] as number[]).push(z[i] as number);
    lanes.forEach((lane, l) => {
      expect(Math.abs(mean(lane)), `lane ${l} mean`).toBeLessThan(5 / Math.sqrt(lane.length));
      expect(Math.abs(variance(lane) - 1), `lane ${l} variance`).toBeLessThan(5 * Math.sqrt(2 / lane.length));
    });
    const quarter = Math.min(...lanes.map((l) => l.length));
    const limit = 4 / Math.sqrt(quarter);
    const [l0, l1, l2, l3] = lanes.map((l) => l.slice(0, quarter)) as [number[], number[], number[], number[]];
    expect(Math.abs(correlation(l0, l1)), "cos/sin of a pair").toBeLessThan(limit);
    expect(Math.abs(correlation(l2, l3)), "cos/sin of the other pair").toBeLessThan(limit);
    expect(Math.abs(correlation(l0, l2)), "the two pairs").toBeLessThan(limit);
    // r² = z0² + z1² of a pair is Exp(1/2): mean 2 (a test of the radius, which the correlation misses)
    let r2 = 0;
    for (let i = 0; i < quarter; i++) r2 += (l0[i] as number) ** 2 + (l1[i] as number) ** 2;
    expect(Math.abs(r2 / quarter - 2), "mean r²").toBeLessThan(5 * (2 / Math.sqrt(quarter)));
  });
});

describe("streamId and key checks", () => {
  it("distinct purposes and layers give distinct u32 ids; the default layer is 0", () => {
    const layers = [0, 1, 2, 3, 1000, 2 ** 19, 2 ** 20 - 1];
    const seen = new Map<number, string>();
    for (const purpose of RANDOM_PURPOSES) {
      expect(streamId(purpose)).toBe(streamId(purpose, 0));
      for (const layer of layers) {
        const id = streamId(purpose, layer);
        expect(Number.isInteger(id) && id >= 0 && id <= 0xffffffff, `${purpose}/${layer}: ${id}`).toBe(true);
        const clash = seen.get(id);
        expect(clash, `${purpose}/${layer} has the id of ${clash}`).toBeUndefined();
        seen.set(id, `${purpose}/${layer}`);
      }
    }
    expect(seen.size).toBe(RANDOM_PURPOSES.length * layers.length);
  });

  it("a bad purpose or layer throws InputError naming it and its value", () => {
    expect(() => streamId("noise" as RandomPurpose)).toThrow(InputError);
    expect(() => streamId("noise" as RandomPurpose)).toThrow(/random purpose "noise" is not one of weights, feedback/);
    for (const layer of [-1, 1.5, 2 ** 20, Number.NaN, Infinity]) {
      expect(() => streamId("weights", layer)).toThrow(InputError);
      expect(() => streamId("weights", layer)).toThrow(`random stream layer ${layer} must be an integer in [0, 1048576)`);
    }
  });

  it("a bad seed, stream, step or start throws InputError naming the field and the value, before any kernel runs", async () => {
    const e = await engine();
    const t = e.arena.tensor([4]);
    const u = e.arena.tensor([4], "u32");
    const ok = { seed: 1, stream: 2, step: 3, start: 4 };
    const bad: [Partial<RandomKey>, RegExp][] = [
      [{ seed: -1 }, /random seed -1 must be an integer in \[0, 4294967295\]/],
      [{ seed: 2 ** 32 }, /random seed 4294967296 must be/],
      [{ seed: 0.5 }, /random seed 0\.5 must be/],
      [{ seed: Number.NaN }, /random seed NaN must be/],
      [{ stream: -3 }, /random stream -3 must be/],
      [{ step: 2 ** 32 }, /random step 4294967296 must be/],
      [{ step: 1.25 }, /random step 1\.25 must be/],
      [{ start: -1 }, /random start -1 must be an integer in \[0, 2\^53\)/],
      [{ start: 2 ** 53 }, /random start 9007199254740992 must be/],
      [{ start: 2.5 }, /random start 2\.5 must be/],
    ];
    for (const [change, message] of bad) {
      const key = { ...ok, ...change };
      for (const fill of [() => fillUniform(e, t, key), () => fillNormal(e, t, key), () => fillBits(e, u, key)]) {
        e.f32(t).fill(-1);
        e.u32(u).fill(7);
        expect(fill).toThrow(InputError);
        expect(fill).toThrow(message);
        expect(Array.from(e.f32(t))).toEqual([-1, -1, -1, -1]);
        expect(Array.from(e.u32(u))).toEqual([7, 7, 7, 7]);
      }
    }
    expect(() => fillUniform(e, u, ok)).toThrow(/fillUniform: output must be f32, got u32/);
    expect(() => fillNormal(e, u, ok)).toThrow(/fillNormal: output must be f32, got u32/);
    expect(() => fillBits(e, t, ok)).toThrow(/fillBits: output must be u32, got f32/);
  });
});
