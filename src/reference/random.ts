// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11) in plain
// TypeScript, written from the paper without Math.imul: the twin test/random.test.ts checks the
// kernels' generator against, with the layout cimlearn's streams use. Not part of the package.

export const M0 = 0xd2511f53;
export const M1 = 0xcd9e8d57;
export const W0 = 0x9e3779b9;
export const W1 = 0xbb67ae85;

/** The 64-bit product of two u32 as [high word, low word], from 16-bit halves (every partial product is exact in a double). */
export function mulhilo(a: number, b: number): [number, number] {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const ll = aLo * bLo;
  const lh = aLo * bHi;
  const hl = aHi * bLo;
  const hh = aHi * bHi;
  // The middle 32 bits: carries out of the low half plus the low halves of the cross terms.
  const mid = Math.floor(ll / 0x10000) + (lh % 0x10000) + (hl % 0x10000);
  const lo = (mid % 0x10000) * 0x10000 + (ll % 0x10000);
  const hi = hh + Math.floor(lh / 0x10000) + Math.floor(hl / 0x10000) + Math.floor(mid / 0x10000);
  return [hi, lo];
}

export type Block = [number, number, number, number];

/** Philox4x32 with 10 rounds: counter (c0, c1, c2, c3), key (k0, k1), all u32. */
export function philoxRef(counter: Block, key: [number, number]): Block {
  let [c0, c1, c2, c3] = counter;
  let [k0, k1] = key;
  for (let round = 0; round < 10; round++) {
    const [hi0, lo0] = mulhilo(M0, c0);
    const [hi1, lo1] = mulhilo(M1, c2);
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
    // The key schedule (Weyl sequence); the bump after the last round is unused.
    k0 = (k0 + W0) % 2 ** 32;
    k1 = (k1 + W1) % 2 ** 32;
  }
  return [c0, c1, c2, c3];
}

/**
 * The generator's layout: element e of (seed, stream, step) is lane e mod 4 of
 * the block with key (seed, stream) and counter (⌊e/4⌋ low word, ⌊e/4⌋ high word, step, 0).
 */
export function blockOf(seed: number, stream: number, step: number, e: number): Block {
  const index = Math.floor(e / 4);
  return philoxRef([index % 2 ** 32, Math.floor(index / 2 ** 32), step, 0], [seed, stream]);
}

export function bitsRef(seed: number, stream: number, step: number, start: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = start + i;
    out.push(blockOf(seed, stream, step, e)[e % 4] as number);
  }
  return out;
}

/** Uniform in [0, 1): the top 24 bits times 2^−24. */
export function uniformRef(bits: number): number {
  return (bits >>> 8) * 2 ** -24;
}

/** Box–Muller on lanes (0, 1) or (2, 3) of the block, in float64, rounded to f32. */
export function normalRef(seed: number, stream: number, step: number, e: number): number {
  const block = blockOf(seed, stream, step, e);
  const lane = e % 4;
  const pair = lane < 2 ? 0 : 2;
  const u = block[pair] as number;
  const v = block[pair + 1] as number;
  const u1 = (u + 1) * 2 ** -32; // in (0, 1]: the logarithm is finite
  const theta = v * 2 ** -32 * 2 * Math.PI;
  const r = Math.sqrt(-2 * Math.log(u1));
  return Math.fround(lane % 2 === 0 ? r * Math.cos(theta) : r * Math.sin(theta));
}
