// Seeded shuffling, validation splits and batch copies.

import { describe, expect, it } from "vitest";
import {
  batchCount,
  gatherBatch,
  gatherBatchInto,
  loadDigits,
  makeSplit,
  permutation,
  SHUFFLE_LAYER,
  Shuffler,
  validationSplit,
} from "../src/data/index.js";
import { fillBits, streamId } from "../src/engine/index.js";
import { engine } from "./helpers.js";

function isPermutation(p: ArrayLike<number>, n: number): boolean {
  if (p.length !== n) return false;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = p[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= n || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
}

describe("Shuffler", () => {
  it("gives a permutation that depends only on (seed, epoch): same in a fresh engine, different across epochs and seeds", async () => {
    const e1 = await engine();
    const e2 = await engine();
    const n = 10_000; // more than one 4,096-word chunk of random bits
    const s1 = new Shuffler(e1, n, 7);
    const s2 = new Shuffler(e2, n, 7);
    const epoch3 = s1.shuffle(3).slice();
    expect(isPermutation(epoch3, n)).toBe(true);
    s2.shuffle(0);
    s2.shuffle(5);
    expect(s2.shuffle(3)).toEqual(epoch3); // no dependence on earlier epochs
    const epoch4 = s1.shuffle(4).slice();
    expect(isPermutation(epoch4, n)).toBe(true);
    expect(epoch4).not.toEqual(epoch3);
    expect(new Shuffler(e2, n, 8).shuffle(3)).not.toEqual(epoch3);
    expect(permutation(e2, n, 7, 3)).toEqual(epoch3);
  });

  it("is the documented Fisher–Yates over fillBits of streamId('shuffle')", async () => {
    const e = await engine();
    const n = 50;
    const bitsT = e.arena.tensor([n - 1], "u32");
    fillBits(e, bitsT, { seed: 11, stream: streamId("shuffle", 0), step: 2 });
    const bits = e.u32(bitsT).slice();
    const want = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1, k = 0; i >= 1; i--, k++) {
      const j = Number((BigInt(bits[k] as number) * BigInt(i + 1)) >> 32n);
      [want[i], want[j]] = [want[j] as number, want[i] as number];
    }
    expect(Array.from(permutation(e, n, 11, 2))).toEqual(want);
  });

  it("mixes: every position sees many values over epochs, and the order is far from identity", async () => {
    const e = await engine();
    const n = 100;
    const s = new Shuffler(e, n, 1);
    const firstCounts = new Array<number>(n).fill(0);
    for (let epoch = 0; epoch < 2000; epoch++) {
      const first = s.shuffle(epoch)[0] as number;
      firstCounts[first] = (firstCounts[first] as number) + 1;
    }
    // 2,000 draws over 100 values: each ~20; a uniform draw stays within [3, 45] with overwhelming probability.
    expect(Math.min(...firstCounts)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...firstCounts)).toBeLessThanOrEqual(45);
    const fixed = s.shuffle(0).filter((v, i) => v === i).length;
    expect(fixed).toBeLessThan(8);
  });

  it("handles n = 0 and 1, and allocates nothing per shuffle", async () => {
    const e = await engine();
    expect(new Shuffler(e, 0, 1).shuffle(0).length).toBe(0);
    expect(Array.from(new Shuffler(e, 1, 1).shuffle(0))).toEqual([0]);
    const s = new Shuffler(e, 5000, 1);
    const used = e.arena.used;
    const order = s.order;
    for (let epoch = 0; epoch < 5; epoch++) expect(s.shuffle(epoch)).toBe(order);
    expect(e.arena.used).toBe(used);
  });

  it("uses a different stream for the validation split", async () => {
    const e = await engine();
    expect(permutation(e, 100, 3, 0, SHUFFLE_LAYER.validation)).not.toEqual(permutation(e, 100, 3, 0, SHUFFLE_LAYER.epoch));
  });
});

describe("validation split", () => {
  it("holds out a seeded subset, disjoint and complete, both parts in original order", async () => {
    const e = await engine();
    const digits = await loadDigits();
    const { train, validation } = validationSplit(e, digits.train, 64, 0.1, 5);
    expect(validation.count).toBe(144);
    expect(train.count).toBe(1437 - 144);
    // Recover original indices by matching rows (rows of the digits set are distinct enough with the label).
    const key = (s: typeof train, i: number) => `${s.labels[i]}:${Array.from(s.images.subarray(i * 64, i * 64 + 64)).join(",")}`;
    const all = new Map<string, number>();
    for (let i = 0; i < digits.train.count; i++) all.set(key(digits.train, i), i);
    const idx = (s: typeof train) => Array.from({ length: s.count }, (_, i) => all.get(key(s, i)) as number);
    const vi = idx(validation);
    const ti = idx(train);
    expect([...vi].sort((a, b) => a - b)).toEqual(vi);
    expect([...ti].sort((a, b) => a - b)).toEqual(ti);
    expect(new Set([...vi, ...ti]).size).toBe(all.size);
    const again = validationSplit(e, digits.train, 64, 144, 5);
    expect(again.validation.labels).toEqual(validation.labels);
    expect(validationSplit(e, digits.train, 64, 144, 6).validation.labels).not.toEqual(validation.labels);
    expect(() => validationSplit(e, digits.train, 64, 1437, 5)).toThrow(/validation split/);
    expect(() => validationSplit(e, digits.train, 64, 1.5, 5)).toThrow(/validation split/);
  });
});

describe("batches", () => {
  const split = makeSplit(
    Float32Array.from({ length: 5 * 3 }, (_, i) => i),
    Int32Array.from([4, 3, 2, 1, 0]),
    3,
  );

  it("copies samples by index into a preallocated buffer, with labels and one-hot targets", () => {
    const x = new Float32Array(2 * 3).fill(-1);
    const y = new Int32Array(2);
    const oh = new Float32Array(2 * 5).fill(9);
    const order = [4, 1, 0, 2, 3];
    expect(gatherBatch(split, 3, order, 0, x, y, { out: oh, classes: 5 })).toBe(2);
    expect(Array.from(x)).toEqual([12, 13, 14, 3, 4, 5]);
    expect(Array.from(y)).toEqual([0, 3]);
    expect(Array.from(oh)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    // The last, short batch: one sample left.
    expect(gatherBatch(split, 3, order, 4, x, y)).toBe(1);
    expect(Array.from(x.subarray(0, 3))).toEqual([9, 10, 11]);
    expect(batchCount(5, 2)).toBe(3);
    expect(batchCount(5, 2, true)).toBe(2);
  });

  it("copies into engine tensors", async () => {
    const e = await engine();
    const xt = e.arena.tensor([3, 3]);
    const yt = e.arena.tensor([3], "i32");
    const ot = e.arena.tensor([3, 5]);
    expect(gatherBatchInto(e, split, 3, [2, 2, 0], 0, xt, yt, ot)).toBe(3);
    expect(Array.from(e.f32(xt))).toEqual([6, 7, 8, 6, 7, 8, 0, 1, 2]);
    expect(Array.from(e.i32(yt))).toEqual([2, 2, 4]);
    expect(Array.from(e.f32(ot).subarray(10))).toEqual([0, 0, 0, 0, 1]);
    expect(() => gatherBatchInto(e, split, 4, [0], 0, xt)).toThrow(/expected \[batch×4\]/);
  });
});
