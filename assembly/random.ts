// Counter-based random numbers: Philox4x32-10 (Salmon et al., "Parallel random
// numbers: as easy as 1, 2, 3", SC'11). Element e of (seed, stream, step) is
// lane e mod 4 of the block Philox(key = (seed, stream), counter = (e ÷ 4 as a
// 64-bit integer, step, 0)), so any element can be produced without the ones
// before it, and no two (seed, stream, step) share a block.

import { SINCOS } from "./tables/sincos";

const M0: u64 = 0xd2511f53;
const M1: u64 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;

// The four outputs of the last block computed.
let x0: u32 = 0;
let x1: u32 = 0;
let x2: u32 = 0;
let x3: u32 = 0;

@inline
function philox(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  for (let r = 0; r < 10; r++) {
    const p0 = M0 * <u64>c0;
    const p1 = M1 * <u64>c2;
    const n0 = (<u32>(p1 >> 32)) ^ c1 ^ k0;
    const n2 = (<u32>(p0 >> 32)) ^ c3 ^ k1;
    c1 = <u32>p1;
    c3 = <u32>p0;
    c0 = n0;
    c2 = n2;
    k0 += W0;
    k1 += W1;
  }
  x0 = c0;
  x1 = c1;
  x2 = c2;
  x3 = c3;
}

/** Raw Philox4x32-10 block for a full 128-bit counter and 64-bit key, written as 4 u32 at `out`. */
export function philoxBlock(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32, out: usize): void {
  philox(c0, c1, c2, c3, k0, k1);
  store<u32>(out, x0);
  store<u32>(out, x1, 4);
  store<u32>(out, x2, 8);
  store<u32>(out, x3, 12);
}

/** Raw 32-bit outputs, elements start … start+n−1 of the stream (start: integer below 2^53). */
export function randomBits(seed: u32, stream: u32, step: u32, start: f64, n: i32, out: usize): void {
  let e = <u64>start;
  for (let i = 0; i < n; i++, e++) {
    const lane = <i32>(e & 3);
    if (i == 0 || lane == 0) philox(<u32>(e >> 2), <u32>(e >> 34), step, 0, seed, stream);
    store<u32>(out + (<usize>i << 2), laneOf(lane));
  }
}

/** Uniform f32 in [0, 1): the top 24 bits of each output, times 2^-24 (exact). */
export function randomUniform(seed: u32, stream: u32, step: u32, start: f64, n: i32, out: usize): void {
  let e = <u64>start;
  for (let i = 0; i < n; i++, e++) {
    const lane = <i32>(e & 3);
    if (i == 0 || lane == 0) philox(<u32>(e >> 2), <u32>(e >> 34), step, 0, seed, stream);
    store<f32>(out + (<usize>i << 2), <f32>(laneOf(lane) >>> 8) * 5.9604644775390625e-8);
  }
}

/**
 * Standard normal f32 by Box–Muller, computed in f64 with the module's own
 * log/cos/sin: lanes (0, 1) of a block give r·cos θ and r·sin θ from its
 * outputs (x0, x1), lanes (2, 3) the same from (x2, x3).
 */
export function randomNormal(seed: u32, stream: u32, step: u32, start: f64, n: i32, out: usize): void {
  let e = <u64>start;
  for (let i = 0; i < n; i++, e++) {
    const lane = <i32>(e & 3);
    if (i == 0 || lane == 0) philox(<u32>(e >> 2), <u32>(e >> 34), step, 0, seed, stream);
    store<f32>(out + (<usize>i << 2), boxMuller(lane));
  }
}

// Box–Muller on the current block: lanes (0, 1) from (x0, x1), lanes (2, 3) from (x2, x3).
@inline
function boxMuller(lane: i32): f32 {
  const pair = lane >> 1;
  const u = pair == 0 ? x0 : x2;
  const v = pair == 0 ? x1 : x3;
  // u1 in (0, 1] so the logarithm is finite; u2 in [0, 1).
  const u1 = (<f64>u + 1.0) * 2.3283064365386963e-10;
  const theta = <f64>v * 2.3283064365386963e-10 * 6.283185307179586;
  const r = Math.sqrt(-2.0 * Math.log(u1));
  return <f32>((lane & 1) == 0 ? r * Math.cos(theta) : r * Math.sin(theta));
}

@inline
function laneOf(lane: i32): u32 {
  return lane == 0 ? x0 : lane == 1 ? x1 : lane == 2 ? x2 : x3;
}

// ---- element access for kernels that draw per device ----------------------
// Two cached blocks, so a kernel alternating between two streams (say C2C noise
// and stochastic rounding) still computes each block once.

let cacheKey0: u64 = 0;
let cacheKey1: u64 = 0;
let c0x0: u32 = 0;
let c0x1: u32 = 0;
let c0x2: u32 = 0;
let c0x3: u32 = 0;
let c1x0: u32 = 0;
let c1x1: u32 = 0;
let c1x2: u32 = 0;
let c1x3: u32 = 0;
let lastSlot: i32 = 0;

// Leaves the block of element `e` in x0..x3.
function blockAt(seed: u32, stream: u32, step: u32, e: u64): void {
  const keyA = ((<u64>seed) << 32) | <u64>stream;
  const block = e >> 2;
  if (cacheKey0 == keyA && c0step == step && c0block == block) {
    x0 = c0x0;
    x1 = c0x1;
    x2 = c0x2;
    x3 = c0x3;
    return;
  }
  if (cacheKey1 == keyA && c1step == step && c1block == block) {
    x0 = c1x0;
    x1 = c1x1;
    x2 = c1x2;
    x3 = c1x3;
    return;
  }
  philox(<u32>(e >> 2), <u32>(e >> 34), step, 0, seed, stream);
  // Replace the slot not used last.
  if (lastSlot == 1) {
    cacheKey0 = keyA;
    c0step = step;
    c0block = block;
    c0x0 = x0;
    c0x1 = x1;
    c0x2 = x2;
    c0x3 = x3;
    lastSlot = 0;
  } else {
    cacheKey1 = keyA;
    c1step = step;
    c1block = block;
    c1x0 = x0;
    c1x1 = x1;
    c1x2 = x2;
    c1x3 = x3;
    lastSlot = 1;
  }
}
// Block indices start impossible (above 2^62), so the empty cache never matches.
let c0step: u32 = 0;
let c0block: u64 = 0xffffffffffffffff;
let c1step: u32 = 0;
let c1block: u64 = 0xffffffffffffffff;

/** Element e of randomUniform(seed, stream, step). */
export function philoxUniformAt(seed: u32, stream: u32, step: u32, e: u64): f32 {
  blockAt(seed, stream, step, e);
  return <f32>(laneOf(<i32>(e & 3)) >>> 8) * 5.9604644775390625e-8;
}

/** Element e of randomNormal(seed, stream, step). */
export function philoxNormalAt(seed: u32, stream: u32, step: u32, e: u64): f32 {
  blockAt(seed, stream, step, e);
  return boxMuller(<i32>(e & 3));
}

// ---- vectorized generation (four Philox blocks per SIMD pass, f32 Gaussians) ---
//
// The kernels that draw per device (programming: stochastic rounding, C2C
// noise) compute four consecutive Philox blocks at once, one block per SIMD
// lane (the 32×32→64 products by i64x2.extmul), two such sets interleaved.
// The bits are exactly those of randomBits, the uniforms those of
// randomUniform. The Gaussian is randomNormalFast: Box–Muller in f32 (a
// polynomial log, tabulated sin/cos), one pair of normals per 32-bit word.

/** Bytes of a stream's key table (see philoxKeys). */
export const PHILOX_KEY_BYTES: i32 = 21 * 16;

// Constants as 16-byte splats, loaded from memory: V8 re-materializes v128.const inside loops.
// prettier-ignore
const RC: usize = memory.data<u32>([
  0xd2511f53, 0xd2511f53, 0xd2511f53, 0xd2511f53, // 0 M0
  0xcd9e8d57, 0xcd9e8d57, 0xcd9e8d57, 0xcd9e8d57, // 16 M1
  0, 1, 2, 3, // 32 lane index
  0x3f000000, 0x3f000000, 0x3f000000, 0x3f000000, // 48 0.5f
  0x34000000, 0x34000000, 0x34000000, 0x34000000, // 64 2^-23
  0x004afb0d, 0x004afb0d, 0x004afb0d, 0x004afb0d, // 80 0x3f800000 − 0x3f3504f3 (logf reduction)
  0x007fffff, 0x007fffff, 0x007fffff, 0x007fffff, // 96 mantissa mask
  0x3f3504f3, 0x3f3504f3, 0x3f3504f3, 0x3f3504f3, // 112 √½ bits
  0x0000007f, 0x0000007f, 0x0000007f, 0x0000007f, // 128 127
  0x40000000, 0x40000000, 0x40000000, 0x40000000, // 144 2.0f
  0x3f2aaaaa, 0x3f2aaaaa, 0x3f2aaaaa, 0x3f2aaaaa, // 160 Lg1 0.66666662693
  0x3eccce13, 0x3eccce13, 0x3eccce13, 0x3eccce13, // 176 Lg2 0.40000972152
  0x3e91e9ee, 0x3e91e9ee, 0x3e91e9ee, 0x3e91e9ee, // 192 Lg3 0.28498786688
  0x3e789e26, 0x3e789e26, 0x3e789e26, 0x3e789e26, // 208 Lg4 0.24279078841
  0x3f317180, 0x3f317180, 0x3f317180, 0x3f317180, // 224 ln2_hi 6.9313812256e-01
  0x3717f7d1, 0x3717f7d1, 0x3717f7d1, 0x3717f7d1, // 240 ln2_lo 9.0580006145e-06
  0xc0000000, 0xc0000000, 0xc0000000, 0xc0000000, // 256 −2.0f
  0x20000000, 0x20000000, 0x20000000, 0x20000000, // 272 2^29 (u32)
  0x30c90fdb, 0x30c90fdb, 0x30c90fdb, 0x30c90fdb, // 288 2π·2^-32
  0xbe2aaaa3, 0xbe2aaaa3, 0xbe2aaaa3, 0xbe2aaaa3, // 304 S1 −1.6666654611e-1
  0x3c08839e, 0x3c08839e, 0x3c08839e, 0x3c08839e, // 320 S2 8.3321608736e-3
  0xb94ca1f9, 0xb94ca1f9, 0xb94ca1f9, 0xb94ca1f9, // 336 S3 −1.9515295891e-4
  0x3d2aaaa5, 0x3d2aaaa5, 0x3d2aaaa5, 0x3d2aaaa5, // 352 C1 4.166664568298827e-2
  0xbab6061a, 0xbab6061a, 0xbab6061a, 0xbab6061a, // 368 C2 −1.388731625493765e-3
  0x37ccf5ce, 0x37ccf5ce, 0x37ccf5ce, 0x37ccf5ce, // 384 C3 2.443315711809948e-5
  0x3f800000, 0x3f800000, 0x3f800000, 0x3f800000, // 400 1.0f
  0x33800000, 0x33800000, 0x33800000, 0x33800000, // 416 2^-24
  1, 1, 1, 1, // 432 i32 1
  2, 2, 2, 2, // 448 i32 2
  0x2fc90fdb, 0x2fc90fdb, 0x2fc90fdb, 0x2fc90fdb, // 464 2π·2^-34
  0x80000000, 0x80000000, 0x80000000, 0x80000000, // 480 sign bit
  0x35800000, 0x35800000, 0x35800000, 0x35800000, // 496 2^-20
  148, 148, 148, 148, // 512 127 + 21 (i32)
  0xfff, 0xfff, 0xfff, 0xfff, // 528 angle bits
  0x3ff, 0x3ff, 0x3ff, 0x3ff, // 544 table index bits
  0x400, 0x400, 0x400, 0x400, // 560 1024
  0x800, 0x800, 0x800, 0x800, // 576 bit 11
], 16);

/**
 * Fills a stream's key table at `keys` (PHILOX_KEY_BYTES, 16-aligned): the
 * per-round key splats, with round 1 partly folded since its c2 = step and
 * c3 = 0 are the same in every block.
 */
export function philoxKeys(seed: u32, stream: u32, step: u32, keys: usize): void {
  const p1 = <u64>M1 * <u64>step;
  // [0] hi(M1·step) ^ seed: round 1's new c0 before ^ c1; [1] lo(M1·step): round 1's new c1; [2] stream: round 1's k1
  v128.store(keys, i32x4.splat(<i32>((<u32>(p1 >> 32)) ^ seed)));
  v128.store(keys, i32x4.splat(<i32>(<u32>p1)), 16);
  v128.store(keys, i32x4.splat(<i32>stream), 32);
  let k0 = seed;
  let k1 = stream;
  for (let r = 1; r < 10; r++) {
    k0 += W0;
    k1 += W1;
    v128.store(keys + <usize>(48 + (r - 1) * 32), i32x4.splat(<i32>k0));
    v128.store(keys + <usize>(64 + (r - 1) * 32), i32x4.splat(<i32>k1));
  }
}

/**
 * Philox4x32-10 of the four blocks with counters (c0[j], c1[j], step, 0),
 * j = 0 … 3, under the key table `keys`; writes word w of block j to
 * out[4w + j] (64 bytes: four vectors, one per word, lane j = block j).
 */
@inline
export function philox4(c0: v128, c1: v128, keys: usize, out: usize): void {
  const m0 = v128.load(RC);
  // Round 1: c2 = step and c3 = 0 in every lane.
  const lo = i64x2.extmul_low_i32x4_u(c0, m0);
  const hi = i64x2.extmul_high_i32x4_u(c0, m0);
  let x0 = v128.xor(v128.load(keys), c1);
  let x1 = v128.load(keys, 16);
  let x2 = v128.xor(v128.shuffle<u32>(lo, hi, 1, 3, 5, 7), v128.load(keys, 32));
  let x3 = v128.shuffle<u32>(lo, hi, 0, 2, 4, 6);
  for (let r = 0; r < 9; r++) {
    const k = keys + <usize>(48 + r * 32);
    const m1 = v128.load(RC, 16);
    const m0r = v128.load(RC);
    const lo1 = i64x2.extmul_low_i32x4_u(x2, m1);
    const hi1 = i64x2.extmul_high_i32x4_u(x2, m1);
    const lo0 = i64x2.extmul_low_i32x4_u(x0, m0r);
    const hi0 = i64x2.extmul_high_i32x4_u(x0, m0r);
    x0 = v128.xor(v128.xor(v128.shuffle<u32>(lo1, hi1, 1, 3, 5, 7), x1), v128.load(k));
    x2 = v128.xor(v128.xor(v128.shuffle<u32>(lo0, hi0, 1, 3, 5, 7), x3), v128.load(k, 16));
    x1 = v128.shuffle<u32>(lo1, hi1, 0, 2, 4, 6);
    x3 = v128.shuffle<u32>(lo0, hi0, 0, 2, 4, 6);
  }
  v128.store(out, x0);
  v128.store(out, x1, 16);
  v128.store(out, x2, 32);
  v128.store(out, x3, 48);
}

/**
 * philox4 for two independent sets of four blocks, interleaved (two
 * dependency chains in flight): counters (c0a[j], 0, step, 0) → outA and
 * (c0b[j], 0, step, 0) → outB. The high counter word must be 0.
 */
@inline
export function philox8(c0a: v128, c0b: v128, keys: usize, outA: usize, outB: usize): void {
  const m0 = v128.load(RC);
  let lo = i64x2.extmul_low_i32x4_u(c0a, m0);
  let hi = i64x2.extmul_high_i32x4_u(c0a, m0);
  let a0 = v128.load(keys);
  let a1 = v128.load(keys, 16);
  let a2 = v128.xor(v128.shuffle<u32>(lo, hi, 1, 3, 5, 7), v128.load(keys, 32));
  let a3 = v128.shuffle<u32>(lo, hi, 0, 2, 4, 6);
  lo = i64x2.extmul_low_i32x4_u(c0b, m0);
  hi = i64x2.extmul_high_i32x4_u(c0b, m0);
  let b0 = a0;
  let b1 = a1;
  let b2 = v128.xor(v128.shuffle<u32>(lo, hi, 1, 3, 5, 7), v128.load(keys, 32));
  let b3 = v128.shuffle<u32>(lo, hi, 0, 2, 4, 6);
  const m1 = v128.load(RC, 16);
  for (let r = 0; r < 9; r++) {
    const k = keys + <usize>(48 + r * 32);
    let lo1 = i64x2.extmul_low_i32x4_u(a2, m1);
    let hi1 = i64x2.extmul_high_i32x4_u(a2, m1);
    let lo0 = i64x2.extmul_low_i32x4_u(a0, m0);
    let hi0 = i64x2.extmul_high_i32x4_u(a0, m0);
    a0 = v128.xor(v128.xor(v128.shuffle<u32>(lo1, hi1, 1, 3, 5, 7), a1), v128.load(k));
    a2 = v128.xor(v128.xor(v128.shuffle<u32>(lo0, hi0, 1, 3, 5, 7), a3), v128.load(k, 16));
    a1 = v128.shuffle<u32>(lo1, hi1, 0, 2, 4, 6);
    a3 = v128.shuffle<u32>(lo0, hi0, 0, 2, 4, 6);
    lo1 = i64x2.extmul_low_i32x4_u(b2, m1);
    hi1 = i64x2.extmul_high_i32x4_u(b2, m1);
    lo0 = i64x2.extmul_low_i32x4_u(b0, m0);
    hi0 = i64x2.extmul_high_i32x4_u(b0, m0);
    b0 = v128.xor(v128.xor(v128.shuffle<u32>(lo1, hi1, 1, 3, 5, 7), b1), v128.load(k));
    b2 = v128.xor(v128.xor(v128.shuffle<u32>(lo0, hi0, 1, 3, 5, 7), b3), v128.load(k, 16));
    b1 = v128.shuffle<u32>(lo1, hi1, 0, 2, 4, 6);
    b3 = v128.shuffle<u32>(lo0, hi0, 0, 2, 4, 6);
  }
  v128.store(outA, a0);
  v128.store(outA, a1, 16);
  v128.store(outA, a2, 32);
  v128.store(outA, a3, 48);
  v128.store(outB, b0);
  v128.store(outB, b1, 16);
  v128.store(outB, b2, 32);
  v128.store(outB, b3, 48);
}

/** 4×4 transpose of the u32 matrix at `src` (four vectors) into `dst`: block-major words become element order. */
@inline
export function transpose4(src: usize, dst: usize): void {
  const a = v128.load(src);
  const b = v128.load(src, 16);
  const c = v128.load(src, 32);
  const d = v128.load(src, 48);
  const t0 = v128.shuffle<u32>(a, b, 0, 4, 1, 5);
  const t1 = v128.shuffle<u32>(a, b, 2, 6, 3, 7);
  const t2 = v128.shuffle<u32>(c, d, 0, 4, 1, 5);
  const t3 = v128.shuffle<u32>(c, d, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<u64>(t0, t2, 0, 2));
  v128.store(dst, v128.shuffle<u64>(t0, t2, 1, 3), 16);
  v128.store(dst, v128.shuffle<u64>(t1, t3, 0, 2), 32);
  v128.store(dst, v128.shuffle<u64>(t1, t3, 1, 3), 48);
}

/**
 * Squared Box–Muller radii −2 ln u₁ of the 16 words at `words` (four
 * vectors; word w gives u₁ = ((w >>> 12) + ½)·2^−20 ∈ [2^−21, 1 − 2^−21]),
 * ln as musl's logf; written as four vectors at `out`. Two chains at a time,
 * interleaved.
 */
@inline
export function bmRadius4(words: usize, out: usize): void {
  // u1 = (2m + 1)·2^−21 with m = w >>> 12: its log is that of the odd integer 2m + 1 (exact in f32), less 21·ln2.
  // 2m + 1 = 2^k·(1 + f), 1 + f ∈ [√½, √2); ln = s·(hfsq + R) + k·ln2_lo − hfsq + f + k·ln2_hi, s = f/(2 + f)
  const offset = v128.load(RC, 80);
  const bias = v128.load(RC, 512);
  const mantissa = v128.load(RC, 96);
  const sqrtHalf = v128.load(RC, 112);
  const one = v128.load(RC, 400);
  const two = v128.load(RC, 144);
  const half = v128.load(RC, 48);
  for (let i = 0; i < 4; i++) {
    const o = <usize>i << 4;
    const x = f32x4.convert_i32x4_s(v128.or(i32x4.shr_u(v128.load(words + o), 11), v128.load(RC, 432)));
    const ix = i32x4.add(x, offset);
    const k = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_s(ix, 23), bias));
    const f = f32x4.sub(i32x4.add(v128.and(ix, mantissa), sqrtHalf), one);
    const s = f32x4.div(f, f32x4.add(two, f));
    const z = f32x4.mul(s, s);
    const w = f32x4.mul(z, z);
    const t1 = f32x4.mul(w, f32x4.add(v128.load(RC, 176), f32x4.mul(w, v128.load(RC, 208))));
    const t2 = f32x4.mul(z, f32x4.add(v128.load(RC, 160), f32x4.mul(w, v128.load(RC, 192))));
    const hfsq = f32x4.mul(half, f32x4.mul(f, f));
    const a = f32x4.add(f32x4.mul(s, f32x4.add(hfsq, f32x4.add(t2, t1))), f32x4.mul(k, v128.load(RC, 240)));
    const ln = f32x4.add(f32x4.add(f32x4.sub(a, hfsq), f), f32x4.mul(k, v128.load(RC, 224)));
    v128.store(out + o, f32x4.mul(v128.load(RC, 256), ln));
  }
}


/**
 * The 32 Gaussians of four Philox blocks (words at `words` as philox4 writes
 * them, squared radii at `radius`) in element order at `out` (32 f32):
 * element 2w and 2w + 1 are r·cos θ and r·sin θ of word w (word w = lane
 * w mod 4 of block w ÷ 4), with θ = 2π·(w mod 2^12)·2^−12: quadrant q =
 * bits 10–11, and cos, sin of the rest (2π·j/4096, j < 1024) from a table
 * of their f32 roundings; cos θ, sin θ are ±cos, ±sin of it by q.
 */
@inline
export function bmAngle4(words: usize, radius: usize, out: usize): void {
  // idx = w mod 4096 = q·1024 + j; q odd swaps cos and sin (sin ^ cos ^ the one chosen is the other); bit 11 of
  // idx (q ≥ 2) negates sin, bit 11 of idx + 1024 (q = 1, 2) negates cos.
  // Word k of block j (lane j of vector k) is elements 8j + 2k, 8j + 2k + 1.
  for (let h = 0; h < 2; h++) {
    const wo = words + (<usize>h << 5);
    const ro = radius + (<usize>h << 5);
    const r0 = f32x4.sqrt(v128.load(ro + (0 << 4)));
    const r1 = f32x4.sqrt(v128.load(ro + (1 << 4)));
    const idx0 = v128.and(v128.load(wo + (0 << 4)), v128.load(RC, 528));
    const idx1 = v128.and(v128.load(wo + (1 << 4)), v128.load(RC, 528));
    const j0 = i32x4.shl(v128.and(idx0, v128.load(RC, 544)), 3);
    const j1 = i32x4.shl(v128.and(idx1, v128.load(RC, 544)), 3);
    let a0 = v128.load64_zero(SINCOS + <usize>i32x4.extract_lane(j0, 0));
    let a1 = v128.load64_zero(SINCOS + <usize>i32x4.extract_lane(j1, 0));
    let b0 = v128.load64_zero(SINCOS + <usize>i32x4.extract_lane(j0, 2));
    let b1 = v128.load64_zero(SINCOS + <usize>i32x4.extract_lane(j1, 2));
    a0 = v128.load64_lane(SINCOS + <usize>i32x4.extract_lane(j0, 1), a0, 1);
    a1 = v128.load64_lane(SINCOS + <usize>i32x4.extract_lane(j1, 1), a1, 1);
    b0 = v128.load64_lane(SINCOS + <usize>i32x4.extract_lane(j0, 3), b0, 1);
    b1 = v128.load64_lane(SINCOS + <usize>i32x4.extract_lane(j1, 3), b1, 1);
    const cs0 = v128.shuffle<u32>(a0, b0, 0, 2, 4, 6);
    const cs1 = v128.shuffle<u32>(a1, b1, 0, 2, 4, 6);
    const sn0 = v128.shuffle<u32>(a0, b0, 1, 3, 5, 7);
    const sn1 = v128.shuffle<u32>(a1, b1, 1, 3, 5, 7);
    const swap0 = i32x4.shr_s(i32x4.shl(idx0, 21), 31);
    const swap1 = i32x4.shr_s(i32x4.shl(idx1, 21), 31);
    const cosP0 = v128.bitselect(sn0, cs0, swap0);
    const cosP1 = v128.bitselect(sn1, cs1, swap1);
    const c0 = f32x4.mul(r0, v128.xor(cosP0, v128.and(i32x4.shl(i32x4.add(idx0, v128.load(RC, 560)), 20), v128.load(RC, 480))));
    const c1 = f32x4.mul(r1, v128.xor(cosP1, v128.and(i32x4.shl(i32x4.add(idx1, v128.load(RC, 560)), 20), v128.load(RC, 480))));
    const n0 = f32x4.mul(r0, v128.xor(v128.xor(cosP0, v128.xor(sn0, cs0)), i32x4.shl(v128.and(idx0, v128.load(RC, 576)), 20)));
    const n1 = f32x4.mul(r1, v128.xor(v128.xor(cosP1, v128.xor(sn1, cs1)), i32x4.shl(v128.and(idx1, v128.load(RC, 576)), 20)));
    const oh = out + (<usize>h << 4);
    const lo0 = v128.shuffle<u32>(c0, n0, 0, 4, 1, 5);
    const lo1 = v128.shuffle<u32>(c1, n1, 0, 4, 1, 5);
    const hi0 = v128.shuffle<u32>(c0, n0, 2, 6, 3, 7);
    const hi1 = v128.shuffle<u32>(c1, n1, 2, 6, 3, 7);
    v128.store(oh, v128.shuffle<u64>(lo0, lo1, 0, 2));
    v128.store(oh, v128.shuffle<u64>(lo0, lo1, 1, 3), 32);
    v128.store(oh, v128.shuffle<u64>(hi0, hi1, 0, 2), 64);
    v128.store(oh, v128.shuffle<u64>(hi0, hi1, 1, 3), 96);
  }
}

/** Uniforms (x >>> 8)·2^−24 of four blocks' words at `words`, in element order at `out` (exactly randomUniform's values). */
@inline
export function uniform16(words: usize, out: usize, tmp: usize): void {
  const s = v128.load(RC, 416);
  for (let w = 0; w < 4; w++) {
    const o = <usize>w << 4;
    v128.store(tmp + o, f32x4.mul(f32x4.convert_i32x4_s(i32x4.shr_u(v128.load(words + o), 8)), s));
  }
  transpose4(tmp, out);
}

// randomNormalFast's scratch, offsets into one block per instance: the module's own, or one a kernel
// thread is given (useRandomScratch), so threads drawing at once share nothing.
const FAST_KEYS: usize = 0;
const FAST_WORDS: usize = FAST_KEYS + PHILOX_KEY_BYTES;
const FAST_RADIUS: usize = FAST_WORDS + 64;
const FAST_OUT: usize = FAST_RADIUS + 64;
/** Bytes of a thread's randomNormalFast scratch. */
export const RANDOM_SCRATCH_BYTES: i32 = PHILOX_KEY_BYTES + 64 + 64 + 128;
let fastScratch: usize = memory.data(RANDOM_SCRATCH_BYTES, 16);
/** Points this instance's randomNormalFast scratch at `base` (RANDOM_SCRATCH_BYTES, 16-byte aligned). */
export function useRandomScratch(base: usize): void {
  fastScratch = base;
}

/**
 * Standard normal f32, elements start … start+n−1, by Box–Muller in f32, one
 * pair per 32-bit Philox word: elements 2w and 2w + 1 are r·cos θ and
 * r·sin θ of word w (element w of randomBits), with u₁ = ((w >>> 12) + ½)·2^−20
 * from its top 20 bits, r = √(−2 ln u₁) (ln: musl's logf polynomial), and
 * θ = 2π·(w mod 2^12)·2^−12 from its low 12 bits (cos θ, sin θ from a table
 * of f32-rounded values, exact quadrant symmetry). Each value is within a
 * few f32 ulp of that formula. Its law: |z| ≤ 5.40 (u₁ ≥ 2^−21), and the CDF
 * of each element is the standard normal's to within 2^−20 ≈ 10^−6 (the u₁
 * grid; the 4096 angles leave the marginal exact up to rounding — a
 * trapezoid rule of a smooth periodic integrand). The C2C noise of `program`
 * is this stream.
 */
export function randomNormalFast(seed: u32, stream: u32, step: u32, start: f64, n: i32, out: usize): void {
  if (n <= 0) return;
  const sc = fastScratch;
  philoxKeys(seed, stream, step, sc + FAST_KEYS);
  const first = <u64>start;
  const last = first + <u64>n;
  for (let e = first & ~(<u64>31); e < last; e += 32) {
    const b = e >> 3; // 32 elements: 16 words, four blocks
    const c0 = i32x4.add(i32x4.splat(<i32>(<u32>b)), v128.load(RC, 32));
    // The high counter word carries when the low word wraps inside the four blocks.
    const c1 = i32x4.sub(i32x4.splat(<i32>(<u32>(b >> 32))), i32x4.lt_u(c0, i32x4.splat(<i32>(<u32>b))));
    philox4(c0, c1, sc + FAST_KEYS, sc + FAST_WORDS);
    bmRadius4(sc + FAST_WORDS, sc + FAST_RADIUS);
    bmAngle4(sc + FAST_WORDS, sc + FAST_RADIUS, sc + FAST_OUT);
    const lo = e < first ? first : e;
    const hi = e + 32 > last ? last : e + 32;
    for (let i = lo; i < hi; i++) {
      store<f32>(out + (<usize>(i - first) << 2), load<f32>(sc + FAST_OUT + (<usize>(i - e) << 2)));
    }
  }
}
