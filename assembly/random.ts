// Counter-based random numbers: Philox4x32-10 (Salmon et al., "Parallel random
// numbers: as easy as 1, 2, 3", SC'11). Element e of (seed, stream, step) is
// lane e mod 4 of the block Philox(key = (seed, stream), counter = (e ÷ 4 as a
// 64-bit integer, step, 0)), so any element can be produced without the ones
// before it, and no two (seed, stream, step) share a block.

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
  let lo = i64x2.extmul_low_i32x4_u(c0, m0);
  let hi = i64x2.extmul_high_i32x4_u(c0, m0);
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

// (cos, sin) of 2π·j/4096, j = 0 … 1023 (the first quadrant), rounded to f32: the angles of randomNormalFast.
// prettier-ignore
const SINCOS: usize = memory.data<u32>([
  0x3f800000, 0x00000000, 0x3f7fffec, 0x3ac90fd5, 0x3f7fffb1, 0x3b490fc6, 0x3f7fff4e, 0x3b96cbc1,
  0x3f7ffec4, 0x3bc90f88, 0x3f7ffe13, 0x3bfb5330, 0x3f7ffd39, 0x3c16cb58, 0x3f7ffc39, 0x3c2fed02,
  0x3f7ffb11, 0x3c490e90, 0x3f7ff9c1, 0x3c622fff, 0x3f7ff84a, 0x3c7b514b, 0x3f7ff6ac, 0x3c8a3938,
  0x3f7ff4e6, 0x3c96c9b6, 0x3f7ff2f8, 0x3ca35a1c, 0x3f7ff0e3, 0x3cafea69, 0x3f7feea7, 0x3cbc7a9b,
  0x3f7fec43, 0x3cc90ab0, 0x3f7fe9b8, 0x3cd59aa6, 0x3f7fe705, 0x3ce22a7a, 0x3f7fe42b, 0x3ceeba2c,
  0x3f7fe129, 0x3cfb49ba, 0x3f7fde00, 0x3d03ec90, 0x3f7fdaaf, 0x3d0a342f, 0x3f7fd737, 0x3d107bb8,
  0x3f7fd397, 0x3d16c32c, 0x3f7fcfd1, 0x3d1d0a88, 0x3f7fcbe2, 0x3d2351cb, 0x3f7fc7cc, 0x3d2998f6,
  0x3f7fc38f, 0x3d2fe007, 0x3f7fbf2a, 0x3d3626fc, 0x3f7fba9e, 0x3d3c6dd5, 0x3f7fb5ea, 0x3d42b491,
  0x3f7fb10f, 0x3d48fb30, 0x3f7fac0d, 0x3d4f41af, 0x3f7fa6e3, 0x3d55880e, 0x3f7fa191, 0x3d5bce4c,
  0x3f7f9c18, 0x3d621469, 0x3f7f9678, 0x3d685a62, 0x3f7f90b1, 0x3d6ea038, 0x3f7f8ac2, 0x3d74e5e9,
  0x3f7f84ab, 0x3d7b2b74, 0x3f7f7e6d, 0x3d80b86c, 0x3f7f7808, 0x3d83db0a, 0x3f7f717b, 0x3d86fd94,
  0x3f7f6ac7, 0x3d8a200a, 0x3f7f63ec, 0x3d8d426a, 0x3f7f5ce9, 0x3d9064b4, 0x3f7f55bf, 0x3d9386e7,
  0x3f7f4e6d, 0x3d96a905, 0x3f7f46f4, 0x3d99cb0a, 0x3f7f3f54, 0x3d9cecf9, 0x3f7f378c, 0x3da00ecf,
  0x3f7f2f9d, 0x3da3308c, 0x3f7f2787, 0x3da65230, 0x3f7f1f49, 0x3da973ba, 0x3f7f16e4, 0x3dac952b,
  0x3f7f0e58, 0x3dafb680, 0x3f7f05a4, 0x3db2d7bb, 0x3f7efcc9, 0x3db5f8da, 0x3f7ef3c7, 0x3db919dd,
  0x3f7eea9d, 0x3dbc3ac3, 0x3f7ee14c, 0x3dbf5b8d, 0x3f7ed7d4, 0x3dc27c39, 0x3f7ece34, 0x3dc59cc6,
  0x3f7ec46d, 0x3dc8bd36, 0x3f7eba7f, 0x3dcbdd86, 0x3f7eb069, 0x3dcefdb7, 0x3f7ea62d, 0x3dd21dc8,
  0x3f7e9bc9, 0x3dd53db9, 0x3f7e913d, 0x3dd85d89, 0x3f7e868b, 0x3ddb7d37, 0x3f7e7bb1, 0x3dde9cc4,
  0x3f7e70b0, 0x3de1bc2e, 0x3f7e6588, 0x3de4db76, 0x3f7e5a38, 0x3de7fa9a, 0x3f7e4ec1, 0x3deb199a,
  0x3f7e4323, 0x3dee3876, 0x3f7e375e, 0x3df1572e, 0x3f7e2b72, 0x3df475c0, 0x3f7e1f5e, 0x3df7942c,
  0x3f7e1324, 0x3dfab273, 0x3f7e06c2, 0x3dfdd092, 0x3f7dfa38, 0x3e007745, 0x3f7ded88, 0x3e02062e,
  0x3f7de0b1, 0x3e039502, 0x3f7dd3b2, 0x3e0523c2, 0x3f7dc68c, 0x3e06b26e, 0x3f7db940, 0x3e084105,
  0x3f7dabcc, 0x3e09cf86, 0x3f7d9e30, 0x3e0b5df3, 0x3f7d906e, 0x3e0cec4a, 0x3f7d8285, 0x3e0e7a8b,
  0x3f7d7474, 0x3e1008b7, 0x3f7d663d, 0x3e1196cc, 0x3f7d57de, 0x3e1324ca, 0x3f7d4959, 0x3e14b2b2,
  0x3f7d3aac, 0x3e164083, 0x3f7d2bd8, 0x3e17ce3d, 0x3f7d1cdd, 0x3e195be0, 0x3f7d0dbc, 0x3e1ae96b,
  0x3f7cfe73, 0x3e1c76de, 0x3f7cef03, 0x3e1e0438, 0x3f7cdf6c, 0x3e1f917b, 0x3f7ccfae, 0x3e211ea5,
  0x3f7cbfc9, 0x3e22abb6, 0x3f7cafbd, 0x3e2438ad, 0x3f7c9f8a, 0x3e25c58c, 0x3f7c8f31, 0x3e275251,
  0x3f7c7eb0, 0x3e28defc, 0x3f7c6e08, 0x3e2a6b8d, 0x3f7c5d3a, 0x3e2bf804, 0x3f7c4c44, 0x3e2d8461,
  0x3f7c3b28, 0x3e2f10a2, 0x3f7c29e5, 0x3e309cc9, 0x3f7c187a, 0x3e3228d4, 0x3f7c06e9, 0x3e33b4c4,
  0x3f7bf531, 0x3e354098, 0x3f7be353, 0x3e36cc50, 0x3f7bd14d, 0x3e3857ec, 0x3f7bbf20, 0x3e39e36c,
  0x3f7baccd, 0x3e3b6ecf, 0x3f7b9a53, 0x3e3cfa15, 0x3f7b87b2, 0x3e3e853e, 0x3f7b74ea, 0x3e401049,
  0x3f7b61fc, 0x3e419b37, 0x3f7b4ee7, 0x3e432607, 0x3f7b3bab, 0x3e44b0b9, 0x3f7b2848, 0x3e463b4d,
  0x3f7b14be, 0x3e47c5c2, 0x3f7b010e, 0x3e495018, 0x3f7aed37, 0x3e4ada4f, 0x3f7ad93a, 0x3e4c6467,
  0x3f7ac516, 0x3e4dee60, 0x3f7ab0cb, 0x3e4f7838, 0x3f7a9c59, 0x3e5101f1, 0x3f7a87c1, 0x3e528b89,
  0x3f7a7302, 0x3e541501, 0x3f7a5e1c, 0x3e559e58, 0x3f7a4910, 0x3e57278f, 0x3f7a33dd, 0x3e58b0a4,
  0x3f7a1e84, 0x3e5a3997, 0x3f7a0904, 0x3e5bc26a, 0x3f79f35e, 0x3e5d4b1a, 0x3f79dd91, 0x3e5ed3a8,
  0x3f79c79d, 0x3e605c13, 0x3f79b183, 0x3e61e45c, 0x3f799b43, 0x3e636c83, 0x3f7984dc, 0x3e64f486,
  0x3f796e4e, 0x3e667c66, 0x3f79579a, 0x3e680422, 0x3f7940c0, 0x3e698bba, 0x3f7929bf, 0x3e6b132f,
  0x3f791298, 0x3e6c9a7f, 0x3f78fb4a, 0x3e6e21ab, 0x3f78e3d6, 0x3e6fa8b2, 0x3f78cc3b, 0x3e712f94,
  0x3f78b47b, 0x3e72b651, 0x3f789c93, 0x3e743ce8, 0x3f788486, 0x3e75c35a, 0x3f786c52, 0x3e7749a6,
  0x3f7853f8, 0x3e78cfcc, 0x3f783b77, 0x3e7a55cb, 0x3f7822d1, 0x3e7bdba4, 0x3f780a04, 0x3e7d6156,
  0x3f77f110, 0x3e7ee6e1, 0x3f77d7f7, 0x3e803622, 0x3f77beb7, 0x3e80f8c0, 0x3f77a551, 0x3e81bb4a,
  0x3f778bc5, 0x3e827dc0, 0x3f777213, 0x3e834022, 0x3f77583a, 0x3e840270, 0x3f773e3c, 0x3e84c4aa,
  0x3f772417, 0x3e8586ce, 0x3f7709cc, 0x3e8648df, 0x3f76ef5b, 0x3e870ada, 0x3f76d4c4, 0x3e87ccc1,
  0x3f76ba07, 0x3e888e93, 0x3f769f24, 0x3e895050, 0x3f76841b, 0x3e8a11f7, 0x3f7668ec, 0x3e8ad38a,
  0x3f764d97, 0x3e8b9507, 0x3f76321b, 0x3e8c566e, 0x3f76167a, 0x3e8d17c0, 0x3f75fab3, 0x3e8dd8fc,
  0x3f75dec6, 0x3e8e9a22, 0x3f75c2b3, 0x3e8f5b32, 0x3f75a67b, 0x3e901c2c, 0x3f758a1c, 0x3e90dd10,
  0x3f756d97, 0x3e919ddd, 0x3f7550ed, 0x3e925e94, 0x3f75341d, 0x3e931f35, 0x3f751727, 0x3e93dfbf,
  0x3f74fa0b, 0x3e94a031, 0x3f74dcc9, 0x3e95608d, 0x3f74bf62, 0x3e9620d2, 0x3f74a1d5, 0x3e96e100,
  0x3f748422, 0x3e97a117, 0x3f746649, 0x3e986116, 0x3f74484b, 0x3e9920fe, 0x3f742a27, 0x3e99e0ce,
  0x3f740bdd, 0x3e9aa086, 0x3f73ed6e, 0x3e9b6027, 0x3f73ced9, 0x3e9c1faf, 0x3f73b01f, 0x3e9cdf20,
  0x3f73913f, 0x3e9d9e78, 0x3f737239, 0x3e9e5db8, 0x3f73530e, 0x3e9f1cdf, 0x3f7333be, 0x3e9fdbee,
  0x3f731447, 0x3ea09ae5, 0x3f72f4ac, 0x3ea159c2, 0x3f72d4eb, 0x3ea21887, 0x3f72b504, 0x3ea2d733,
  0x3f7294f8, 0x3ea395c5, 0x3f7274c7, 0x3ea4543f, 0x3f725470, 0x3ea5129f, 0x3f7233f4, 0x3ea5d0e5,
  0x3f721352, 0x3ea68f12, 0x3f71f28c, 0x3ea74d25, 0x3f71d19f, 0x3ea80b1f, 0x3f71b08e, 0x3ea8c8fe,
  0x3f718f57, 0x3ea986c4, 0x3f716dfb, 0x3eaa446f, 0x3f714c7a, 0x3eab0201, 0x3f712ad4, 0x3eabbf77,
  0x3f710908, 0x3eac7cd4, 0x3f70e717, 0x3ead3a15, 0x3f70c501, 0x3eadf73c, 0x3f70a2c6, 0x3eaeb449,
  0x3f708066, 0x3eaf713a, 0x3f705de1, 0x3eb02e10, 0x3f703b37, 0x3eb0eacb, 0x3f701867, 0x3eb1a76b,
  0x3f6ff573, 0x3eb263ef, 0x3f6fd25a, 0x3eb32058, 0x3f6faf1b, 0x3eb3dca5, 0x3f6f8bb8, 0x3eb498d6,
  0x3f6f6830, 0x3eb554ec, 0x3f6f4483, 0x3eb610e6, 0x3f6f20b0, 0x3eb6ccc3, 0x3f6efcba, 0x3eb78884,
  0x3f6ed89e, 0x3eb8442a, 0x3f6eb45d, 0x3eb8ffb2, 0x3f6e8ff8, 0x3eb9bb1e, 0x3f6e6b6d, 0x3eba766e,
  0x3f6e46be, 0x3ebb31a0, 0x3f6e21eb, 0x3ebbecb6, 0x3f6dfcf2, 0x3ebca7af, 0x3f6dd7d5, 0x3ebd628b,
  0x3f6db293, 0x3ebe1d4a, 0x3f6d8d2d, 0x3ebed7eb, 0x3f6d67a1, 0x3ebf926f, 0x3f6d41f2, 0x3ec04cd5,
  0x3f6d1c1d, 0x3ec1071e, 0x3f6cf624, 0x3ec1c148, 0x3f6cd007, 0x3ec27b55, 0x3f6ca9c5, 0x3ec33544,
  0x3f6c835e, 0x3ec3ef15, 0x3f6c5cd4, 0x3ec4a8c8, 0x3f6c3624, 0x3ec5625c, 0x3f6c0f50, 0x3ec61bd2,
  0x3f6be858, 0x3ec6d529, 0x3f6bc13b, 0x3ec78e62, 0x3f6b99fb, 0x3ec8477c, 0x3f6b7295, 0x3ec90077,
  0x3f6b4b0c, 0x3ec9b953, 0x3f6b235e, 0x3eca7210, 0x3f6afb8c, 0x3ecb2aae, 0x3f6ad395, 0x3ecbe32c,
  0x3f6aab7b, 0x3ecc9b8b, 0x3f6a833c, 0x3ecd53ca, 0x3f6a5ad9, 0x3ece0bea, 0x3f6a3252, 0x3ecec3ea,
  0x3f6a09a7, 0x3ecf7bca, 0x3f69e0d7, 0x3ed0338a, 0x3f69b7e4, 0x3ed0eb2a, 0x3f698ecc, 0x3ed1a2aa,
  0x3f696591, 0x3ed25a09, 0x3f693c32, 0x3ed31148, 0x3f6912ae, 0x3ed3c867, 0x3f68e907, 0x3ed47f64,
  0x3f68bf3c, 0x3ed53641, 0x3f68954c, 0x3ed5ecfd, 0x3f686b39, 0x3ed6a399, 0x3f684103, 0x3ed75a13,
  0x3f6816a8, 0x3ed8106b, 0x3f67ec29, 0x3ed8c6a3, 0x3f67c187, 0x3ed97cb9, 0x3f6796c1, 0x3eda32ad,
  0x3f676bd8, 0x3edae880, 0x3f6740ca, 0x3edb9e31, 0x3f671599, 0x3edc53c1, 0x3f66ea45, 0x3edd092e,
  0x3f66becc, 0x3eddbe79, 0x3f669330, 0x3ede73a2, 0x3f666771, 0x3edf28a9, 0x3f663b8e, 0x3edfdd8d,
  0x3f660f88, 0x3ee0924f, 0x3f65e35e, 0x3ee146ee, 0x3f65b710, 0x3ee1fb6a, 0x3f658aa0, 0x3ee2afc4,
  0x3f655e0b, 0x3ee363fa, 0x3f653154, 0x3ee4180e, 0x3f650479, 0x3ee4cbfe, 0x3f64d77b, 0x3ee57fcb,
  0x3f64aa59, 0x3ee63375, 0x3f647d14, 0x3ee6e6fb, 0x3f644fac, 0x3ee79a5d, 0x3f642221, 0x3ee84d9c,
  0x3f63f473, 0x3ee900b7, 0x3f63c6a1, 0x3ee9b3ae, 0x3f6398ac, 0x3eea6681, 0x3f636a95, 0x3eeb1930,
  0x3f633c5a, 0x3eebcbbb, 0x3f630dfc, 0x3eec7e21, 0x3f62df7b, 0x3eed3063, 0x3f62b0d7, 0x3eede280,
  0x3f628210, 0x3eee9479, 0x3f625326, 0x3eef464c, 0x3f62241a, 0x3eeff7fb, 0x3f61f4ea, 0x3ef0a985,
  0x3f61c598, 0x3ef15aea, 0x3f619622, 0x3ef20c29, 0x3f61668a, 0x3ef2bd43, 0x3f6136d0, 0x3ef36e38,
  0x3f6106f2, 0x3ef41f07, 0x3f60d6f2, 0x3ef4cfb1, 0x3f60a6cf, 0x3ef58035, 0x3f607689, 0x3ef63093,
  0x3f604621, 0x3ef6e0cb, 0x3f601596, 0x3ef790dc, 0x3f5fe4e9, 0x3ef840c8, 0x3f5fb419, 0x3ef8f08e,
  0x3f5f8327, 0x3ef9a02d, 0x3f5f5212, 0x3efa4fa5, 0x3f5f20db, 0x3efafef7, 0x3f5eef81, 0x3efbae22,
  0x3f5ebe05, 0x3efc5d27, 0x3f5e8c67, 0x3efd0c04, 0x3f5e5aa6, 0x3efdbabb, 0x3f5e28c3, 0x3efe694a,
  0x3f5df6be, 0x3eff17b2, 0x3f5dc497, 0x3effc5f3, 0x3f5d924d, 0x3f003a06, 0x3f5d5fe1, 0x3f0090ff,
  0x3f5d2d53, 0x3f00e7e4, 0x3f5cfaa3, 0x3f013eb5, 0x3f5cc7d1, 0x3f019573, 0x3f5c94dd, 0x3f01ec1c,
  0x3f5c61c7, 0x3f0242b1, 0x3f5c2e8e, 0x3f029932, 0x3f5bfb34, 0x3f02ef9f, 0x3f5bc7b8, 0x3f0345f8,
  0x3f5b941a, 0x3f039c3d, 0x3f5b605a, 0x3f03f26d, 0x3f5b2c79, 0x3f044889, 0x3f5af875, 0x3f049e91,
  0x3f5ac450, 0x3f04f484, 0x3f5a9009, 0x3f054a62, 0x3f5a5ba0, 0x3f05a02c, 0x3f5a2716, 0x3f05f5e2,
  0x3f59f26a, 0x3f064b82, 0x3f59bd9c, 0x3f06a10e, 0x3f5988ad, 0x3f06f686, 0x3f59539c, 0x3f074be8,
  0x3f591e6a, 0x3f07a136, 0x3f58e916, 0x3f07f66f, 0x3f58b3a1, 0x3f084b92, 0x3f587e0b, 0x3f08a0a1,
  0x3f584853, 0x3f08f59b, 0x3f581279, 0x3f094a7f, 0x3f57dc7f, 0x3f099f4e, 0x3f57a663, 0x3f09f409,
  0x3f577026, 0x3f0a48ad, 0x3f5739c7, 0x3f0a9d3d, 0x3f570348, 0x3f0af1b7, 0x3f56cca7, 0x3f0b461c,
  0x3f5695e5, 0x3f0b9a6b, 0x3f565f02, 0x3f0beea5, 0x3f5627fe, 0x3f0c42c9, 0x3f55f0d9, 0x3f0c96d7,
  0x3f55b993, 0x3f0cead0, 0x3f55822c, 0x3f0d3eb3, 0x3f554aa4, 0x3f0d9281, 0x3f5512fb, 0x3f0de638,
  0x3f54db31, 0x3f0e39da, 0x3f54a347, 0x3f0e8d65, 0x3f546b3b, 0x3f0ee0db, 0x3f54330f, 0x3f0f343b,
  0x3f53fac3, 0x3f0f8784, 0x3f53c255, 0x3f0fdab8, 0x3f5389c7, 0x3f102dd5, 0x3f535118, 0x3f1080dc,
  0x3f531849, 0x3f10d3cd, 0x3f52df59, 0x3f1126a7, 0x3f52a649, 0x3f11796b, 0x3f526d18, 0x3f11cc19,
  0x3f5233c6, 0x3f121eb0, 0x3f51fa54, 0x3f127130, 0x3f51c0c2, 0x3f12c39a, 0x3f518710, 0x3f1315ee,
  0x3f514d3d, 0x3f13682a, 0x3f51134a, 0x3f13ba50, 0x3f50d937, 0x3f140c5f, 0x3f509f03, 0x3f145e58,
  0x3f5064af, 0x3f14b039, 0x3f502a3b, 0x3f150204, 0x3f4fefa8, 0x3f1553b7, 0x3f4fb4f4, 0x3f15a554,
  0x3f4f7a1f, 0x3f15f6d9, 0x3f4f3f2b, 0x3f164847, 0x3f4f0417, 0x3f16999f, 0x3f4ec8e4, 0x3f16eade,
  0x3f4e8d90, 0x3f173c07, 0x3f4e521c, 0x3f178d18, 0x3f4e1689, 0x3f17de12, 0x3f4ddad5, 0x3f182ef5,
  0x3f4d9f02, 0x3f187fc0, 0x3f4d6310, 0x3f18d073, 0x3f4d26fd, 0x3f19210f, 0x3f4ceacb, 0x3f197194,
  0x3f4cae79, 0x3f19c200, 0x3f4c7208, 0x3f1a1255, 0x3f4c3578, 0x3f1a6293, 0x3f4bf8c7, 0x3f1ab2b8,
  0x3f4bbbf8, 0x3f1b02c6, 0x3f4b7f09, 0x3f1b52bb, 0x3f4b41fa, 0x3f1ba299, 0x3f4b04cc, 0x3f1bf25f,
  0x3f4ac77f, 0x3f1c420c, 0x3f4a8a13, 0x3f1c91a2, 0x3f4a4c87, 0x3f1ce11f, 0x3f4a0edc, 0x3f1d3084,
  0x3f49d112, 0x3f1d7fd1, 0x3f499329, 0x3f1dcf06, 0x3f495521, 0x3f1e1e22, 0x3f4916fa, 0x3f1e6d26,
  0x3f48d8b3, 0x3f1ebc12, 0x3f489a4e, 0x3f1f0ae5, 0x3f485bca, 0x3f1f599f, 0x3f481d27, 0x3f1fa841,
  0x3f47de65, 0x3f1ff6cb, 0x3f479f84, 0x3f20453b, 0x3f476085, 0x3f209393, 0x3f472167, 0x3f20e1d2,
  0x3f46e22a, 0x3f212ff9, 0x3f46a2ce, 0x3f217e06, 0x3f466354, 0x3f21cbfb, 0x3f4623bb, 0x3f2219d7,
  0x3f45e403, 0x3f226799, 0x3f45a42d, 0x3f22b543, 0x3f456439, 0x3f2302d3, 0x3f452426, 0x3f23504b,
  0x3f44e3f5, 0x3f239da9, 0x3f44a3a5, 0x3f23eaee, 0x3f446337, 0x3f24381a, 0x3f4422ab, 0x3f24852c,
  0x3f43e200, 0x3f24d225, 0x3f43a138, 0x3f251f04, 0x3f436051, 0x3f256bcb, 0x3f431f4c, 0x3f25b877,
  0x3f42de29, 0x3f26050a, 0x3f429ce8, 0x3f265184, 0x3f425b89, 0x3f269de3, 0x3f421a0b, 0x3f26ea2a,
  0x3f41d870, 0x3f273656, 0x3f4196b7, 0x3f278268, 0x3f4154e1, 0x3f27ce61, 0x3f4112ec, 0x3f281a40,
  0x3f40d0da, 0x3f286605, 0x3f408ea9, 0x3f28b1b0, 0x3f404c5c, 0x3f28fd41, 0x3f4009f0, 0x3f2948b8,
  0x3f3fc767, 0x3f299415, 0x3f3f84c0, 0x3f29df57, 0x3f3f41fc, 0x3f2a2a80, 0x3f3eff1b, 0x3f2a758e,
  0x3f3ebc1b, 0x3f2ac082, 0x3f3e78ff, 0x3f2b0b5b, 0x3f3e35c5, 0x3f2b561b, 0x3f3df26e, 0x3f2ba0bf,
  0x3f3daef9, 0x3f2beb4a, 0x3f3d6b67, 0x3f2c35b9, 0x3f3d27b8, 0x3f2c800f, 0x3f3ce3ec, 0x3f2cca49,
  0x3f3ca003, 0x3f2d1469, 0x3f3c5bfc, 0x3f2d5e6f, 0x3f3c17d9, 0x3f2da859, 0x3f3bd398, 0x3f2df229,
  0x3f3b8f3b, 0x3f2e3bde, 0x3f3b4ac1, 0x3f2e8578, 0x3f3b0629, 0x3f2ecef7, 0x3f3ac175, 0x3f2f185b,
  0x3f3a7ca4, 0x3f2f61a5, 0x3f3a37b7, 0x3f2faad3, 0x3f39f2ac, 0x3f2ff3e6, 0x3f39ad85, 0x3f303cde,
  0x3f396842, 0x3f3085bb, 0x3f3922e1, 0x3f30ce7c, 0x3f38dd65, 0x3f311722, 0x3f3897cb, 0x3f315fad,
  0x3f385216, 0x3f31a81d, 0x3f380c43, 0x3f31f071, 0x3f37c655, 0x3f3238aa, 0x3f37804a, 0x3f3280c7,
  0x3f373a23, 0x3f32c8c9, 0x3f36f3df, 0x3f3310af, 0x3f36ad7f, 0x3f33587a, 0x3f366704, 0x3f33a029,
  0x3f36206c, 0x3f33e7bc, 0x3f35d9b8, 0x3f342f34, 0x3f3592e7, 0x3f34768f, 0x3f354bfb, 0x3f34bdcf,
  0x3f3504f3, 0x3f3504f3, 0x3f34bdcf, 0x3f354bfb, 0x3f34768f, 0x3f3592e7, 0x3f342f34, 0x3f35d9b8,
  0x3f33e7bc, 0x3f36206c, 0x3f33a029, 0x3f366704, 0x3f33587a, 0x3f36ad7f, 0x3f3310af, 0x3f36f3df,
  0x3f32c8c9, 0x3f373a23, 0x3f3280c7, 0x3f37804a, 0x3f3238aa, 0x3f37c655, 0x3f31f071, 0x3f380c43,
  0x3f31a81d, 0x3f385216, 0x3f315fad, 0x3f3897cb, 0x3f311722, 0x3f38dd65, 0x3f30ce7c, 0x3f3922e1,
  0x3f3085bb, 0x3f396842, 0x3f303cde, 0x3f39ad85, 0x3f2ff3e6, 0x3f39f2ac, 0x3f2faad3, 0x3f3a37b7,
  0x3f2f61a5, 0x3f3a7ca4, 0x3f2f185b, 0x3f3ac175, 0x3f2ecef7, 0x3f3b0629, 0x3f2e8578, 0x3f3b4ac1,
  0x3f2e3bde, 0x3f3b8f3b, 0x3f2df229, 0x3f3bd398, 0x3f2da859, 0x3f3c17d9, 0x3f2d5e6f, 0x3f3c5bfc,
  0x3f2d1469, 0x3f3ca003, 0x3f2cca49, 0x3f3ce3ec, 0x3f2c800f, 0x3f3d27b8, 0x3f2c35b9, 0x3f3d6b67,
  0x3f2beb4a, 0x3f3daef9, 0x3f2ba0bf, 0x3f3df26e, 0x3f2b561b, 0x3f3e35c5, 0x3f2b0b5b, 0x3f3e78ff,
  0x3f2ac082, 0x3f3ebc1b, 0x3f2a758e, 0x3f3eff1b, 0x3f2a2a80, 0x3f3f41fc, 0x3f29df57, 0x3f3f84c0,
  0x3f299415, 0x3f3fc767, 0x3f2948b8, 0x3f4009f0, 0x3f28fd41, 0x3f404c5c, 0x3f28b1b0, 0x3f408ea9,
  0x3f286605, 0x3f40d0da, 0x3f281a40, 0x3f4112ec, 0x3f27ce61, 0x3f4154e1, 0x3f278268, 0x3f4196b7,
  0x3f273656, 0x3f41d870, 0x3f26ea2a, 0x3f421a0b, 0x3f269de3, 0x3f425b89, 0x3f265184, 0x3f429ce8,
  0x3f26050a, 0x3f42de29, 0x3f25b877, 0x3f431f4c, 0x3f256bcb, 0x3f436051, 0x3f251f04, 0x3f43a138,
  0x3f24d225, 0x3f43e200, 0x3f24852c, 0x3f4422ab, 0x3f24381a, 0x3f446337, 0x3f23eaee, 0x3f44a3a5,
  0x3f239da9, 0x3f44e3f5, 0x3f23504b, 0x3f452426, 0x3f2302d3, 0x3f456439, 0x3f22b543, 0x3f45a42d,
  0x3f226799, 0x3f45e403, 0x3f2219d7, 0x3f4623bb, 0x3f21cbfb, 0x3f466354, 0x3f217e06, 0x3f46a2ce,
  0x3f212ff9, 0x3f46e22a, 0x3f20e1d2, 0x3f472167, 0x3f209393, 0x3f476085, 0x3f20453b, 0x3f479f84,
  0x3f1ff6cb, 0x3f47de65, 0x3f1fa841, 0x3f481d27, 0x3f1f599f, 0x3f485bca, 0x3f1f0ae5, 0x3f489a4e,
  0x3f1ebc12, 0x3f48d8b3, 0x3f1e6d26, 0x3f4916fa, 0x3f1e1e22, 0x3f495521, 0x3f1dcf06, 0x3f499329,
  0x3f1d7fd1, 0x3f49d112, 0x3f1d3084, 0x3f4a0edc, 0x3f1ce11f, 0x3f4a4c87, 0x3f1c91a2, 0x3f4a8a13,
  0x3f1c420c, 0x3f4ac77f, 0x3f1bf25f, 0x3f4b04cc, 0x3f1ba299, 0x3f4b41fa, 0x3f1b52bb, 0x3f4b7f09,
  0x3f1b02c6, 0x3f4bbbf8, 0x3f1ab2b8, 0x3f4bf8c7, 0x3f1a6293, 0x3f4c3578, 0x3f1a1255, 0x3f4c7208,
  0x3f19c200, 0x3f4cae79, 0x3f197194, 0x3f4ceacb, 0x3f19210f, 0x3f4d26fd, 0x3f18d073, 0x3f4d6310,
  0x3f187fc0, 0x3f4d9f02, 0x3f182ef5, 0x3f4ddad5, 0x3f17de12, 0x3f4e1689, 0x3f178d18, 0x3f4e521c,
  0x3f173c07, 0x3f4e8d90, 0x3f16eade, 0x3f4ec8e4, 0x3f16999f, 0x3f4f0417, 0x3f164847, 0x3f4f3f2b,
  0x3f15f6d9, 0x3f4f7a1f, 0x3f15a554, 0x3f4fb4f4, 0x3f1553b7, 0x3f4fefa8, 0x3f150204, 0x3f502a3b,
  0x3f14b039, 0x3f5064af, 0x3f145e58, 0x3f509f03, 0x3f140c5f, 0x3f50d937, 0x3f13ba50, 0x3f51134a,
  0x3f13682a, 0x3f514d3d, 0x3f1315ee, 0x3f518710, 0x3f12c39a, 0x3f51c0c2, 0x3f127130, 0x3f51fa54,
  0x3f121eb0, 0x3f5233c6, 0x3f11cc19, 0x3f526d18, 0x3f11796b, 0x3f52a649, 0x3f1126a7, 0x3f52df59,
  0x3f10d3cd, 0x3f531849, 0x3f1080dc, 0x3f535118, 0x3f102dd5, 0x3f5389c7, 0x3f0fdab8, 0x3f53c255,
  0x3f0f8784, 0x3f53fac3, 0x3f0f343b, 0x3f54330f, 0x3f0ee0db, 0x3f546b3b, 0x3f0e8d65, 0x3f54a347,
  0x3f0e39da, 0x3f54db31, 0x3f0de638, 0x3f5512fb, 0x3f0d9281, 0x3f554aa4, 0x3f0d3eb3, 0x3f55822c,
  0x3f0cead0, 0x3f55b993, 0x3f0c96d7, 0x3f55f0d9, 0x3f0c42c9, 0x3f5627fe, 0x3f0beea5, 0x3f565f02,
  0x3f0b9a6b, 0x3f5695e5, 0x3f0b461c, 0x3f56cca7, 0x3f0af1b7, 0x3f570348, 0x3f0a9d3d, 0x3f5739c7,
  0x3f0a48ad, 0x3f577026, 0x3f09f409, 0x3f57a663, 0x3f099f4e, 0x3f57dc7f, 0x3f094a7f, 0x3f581279,
  0x3f08f59b, 0x3f584853, 0x3f08a0a1, 0x3f587e0b, 0x3f084b92, 0x3f58b3a1, 0x3f07f66f, 0x3f58e916,
  0x3f07a136, 0x3f591e6a, 0x3f074be8, 0x3f59539c, 0x3f06f686, 0x3f5988ad, 0x3f06a10e, 0x3f59bd9c,
  0x3f064b82, 0x3f59f26a, 0x3f05f5e2, 0x3f5a2716, 0x3f05a02c, 0x3f5a5ba0, 0x3f054a62, 0x3f5a9009,
  0x3f04f484, 0x3f5ac450, 0x3f049e91, 0x3f5af875, 0x3f044889, 0x3f5b2c79, 0x3f03f26d, 0x3f5b605a,
  0x3f039c3d, 0x3f5b941a, 0x3f0345f8, 0x3f5bc7b8, 0x3f02ef9f, 0x3f5bfb34, 0x3f029932, 0x3f5c2e8e,
  0x3f0242b1, 0x3f5c61c7, 0x3f01ec1c, 0x3f5c94dd, 0x3f019573, 0x3f5cc7d1, 0x3f013eb5, 0x3f5cfaa3,
  0x3f00e7e4, 0x3f5d2d53, 0x3f0090ff, 0x3f5d5fe1, 0x3f003a06, 0x3f5d924d, 0x3effc5f3, 0x3f5dc497,
  0x3eff17b2, 0x3f5df6be, 0x3efe694a, 0x3f5e28c3, 0x3efdbabb, 0x3f5e5aa6, 0x3efd0c04, 0x3f5e8c67,
  0x3efc5d27, 0x3f5ebe05, 0x3efbae22, 0x3f5eef81, 0x3efafef7, 0x3f5f20db, 0x3efa4fa5, 0x3f5f5212,
  0x3ef9a02d, 0x3f5f8327, 0x3ef8f08e, 0x3f5fb419, 0x3ef840c8, 0x3f5fe4e9, 0x3ef790dc, 0x3f601596,
  0x3ef6e0cb, 0x3f604621, 0x3ef63093, 0x3f607689, 0x3ef58035, 0x3f60a6cf, 0x3ef4cfb1, 0x3f60d6f2,
  0x3ef41f07, 0x3f6106f2, 0x3ef36e38, 0x3f6136d0, 0x3ef2bd43, 0x3f61668a, 0x3ef20c29, 0x3f619622,
  0x3ef15aea, 0x3f61c598, 0x3ef0a985, 0x3f61f4ea, 0x3eeff7fb, 0x3f62241a, 0x3eef464c, 0x3f625326,
  0x3eee9479, 0x3f628210, 0x3eede280, 0x3f62b0d7, 0x3eed3063, 0x3f62df7b, 0x3eec7e21, 0x3f630dfc,
  0x3eebcbbb, 0x3f633c5a, 0x3eeb1930, 0x3f636a95, 0x3eea6681, 0x3f6398ac, 0x3ee9b3ae, 0x3f63c6a1,
  0x3ee900b7, 0x3f63f473, 0x3ee84d9c, 0x3f642221, 0x3ee79a5d, 0x3f644fac, 0x3ee6e6fb, 0x3f647d14,
  0x3ee63375, 0x3f64aa59, 0x3ee57fcb, 0x3f64d77b, 0x3ee4cbfe, 0x3f650479, 0x3ee4180e, 0x3f653154,
  0x3ee363fa, 0x3f655e0b, 0x3ee2afc4, 0x3f658aa0, 0x3ee1fb6a, 0x3f65b710, 0x3ee146ee, 0x3f65e35e,
  0x3ee0924f, 0x3f660f88, 0x3edfdd8d, 0x3f663b8e, 0x3edf28a9, 0x3f666771, 0x3ede73a2, 0x3f669330,
  0x3eddbe79, 0x3f66becc, 0x3edd092e, 0x3f66ea45, 0x3edc53c1, 0x3f671599, 0x3edb9e31, 0x3f6740ca,
  0x3edae880, 0x3f676bd8, 0x3eda32ad, 0x3f6796c1, 0x3ed97cb9, 0x3f67c187, 0x3ed8c6a3, 0x3f67ec29,
  0x3ed8106b, 0x3f6816a8, 0x3ed75a13, 0x3f684103, 0x3ed6a399, 0x3f686b39, 0x3ed5ecfd, 0x3f68954c,
  0x3ed53641, 0x3f68bf3c, 0x3ed47f64, 0x3f68e907, 0x3ed3c867, 0x3f6912ae, 0x3ed31148, 0x3f693c32,
  0x3ed25a09, 0x3f696591, 0x3ed1a2aa, 0x3f698ecc, 0x3ed0eb2a, 0x3f69b7e4, 0x3ed0338a, 0x3f69e0d7,
  0x3ecf7bca, 0x3f6a09a7, 0x3ecec3ea, 0x3f6a3252, 0x3ece0bea, 0x3f6a5ad9, 0x3ecd53ca, 0x3f6a833c,
  0x3ecc9b8b, 0x3f6aab7b, 0x3ecbe32c, 0x3f6ad395, 0x3ecb2aae, 0x3f6afb8c, 0x3eca7210, 0x3f6b235e,
  0x3ec9b953, 0x3f6b4b0c, 0x3ec90077, 0x3f6b7295, 0x3ec8477c, 0x3f6b99fb, 0x3ec78e62, 0x3f6bc13b,
  0x3ec6d529, 0x3f6be858, 0x3ec61bd2, 0x3f6c0f50, 0x3ec5625c, 0x3f6c3624, 0x3ec4a8c8, 0x3f6c5cd4,
  0x3ec3ef15, 0x3f6c835e, 0x3ec33544, 0x3f6ca9c5, 0x3ec27b55, 0x3f6cd007, 0x3ec1c148, 0x3f6cf624,
  0x3ec1071e, 0x3f6d1c1d, 0x3ec04cd5, 0x3f6d41f2, 0x3ebf926f, 0x3f6d67a1, 0x3ebed7eb, 0x3f6d8d2d,
  0x3ebe1d4a, 0x3f6db293, 0x3ebd628b, 0x3f6dd7d5, 0x3ebca7af, 0x3f6dfcf2, 0x3ebbecb6, 0x3f6e21eb,
  0x3ebb31a0, 0x3f6e46be, 0x3eba766e, 0x3f6e6b6d, 0x3eb9bb1e, 0x3f6e8ff8, 0x3eb8ffb2, 0x3f6eb45d,
  0x3eb8442a, 0x3f6ed89e, 0x3eb78884, 0x3f6efcba, 0x3eb6ccc3, 0x3f6f20b0, 0x3eb610e6, 0x3f6f4483,
  0x3eb554ec, 0x3f6f6830, 0x3eb498d6, 0x3f6f8bb8, 0x3eb3dca5, 0x3f6faf1b, 0x3eb32058, 0x3f6fd25a,
  0x3eb263ef, 0x3f6ff573, 0x3eb1a76b, 0x3f701867, 0x3eb0eacb, 0x3f703b37, 0x3eb02e10, 0x3f705de1,
  0x3eaf713a, 0x3f708066, 0x3eaeb449, 0x3f70a2c6, 0x3eadf73c, 0x3f70c501, 0x3ead3a15, 0x3f70e717,
  0x3eac7cd4, 0x3f710908, 0x3eabbf77, 0x3f712ad4, 0x3eab0201, 0x3f714c7a, 0x3eaa446f, 0x3f716dfb,
  0x3ea986c4, 0x3f718f57, 0x3ea8c8fe, 0x3f71b08e, 0x3ea80b1f, 0x3f71d19f, 0x3ea74d25, 0x3f71f28c,
  0x3ea68f12, 0x3f721352, 0x3ea5d0e5, 0x3f7233f4, 0x3ea5129f, 0x3f725470, 0x3ea4543f, 0x3f7274c7,
  0x3ea395c5, 0x3f7294f8, 0x3ea2d733, 0x3f72b504, 0x3ea21887, 0x3f72d4eb, 0x3ea159c2, 0x3f72f4ac,
  0x3ea09ae5, 0x3f731447, 0x3e9fdbee, 0x3f7333be, 0x3e9f1cdf, 0x3f73530e, 0x3e9e5db8, 0x3f737239,
  0x3e9d9e78, 0x3f73913f, 0x3e9cdf20, 0x3f73b01f, 0x3e9c1faf, 0x3f73ced9, 0x3e9b6027, 0x3f73ed6e,
  0x3e9aa086, 0x3f740bdd, 0x3e99e0ce, 0x3f742a27, 0x3e9920fe, 0x3f74484b, 0x3e986116, 0x3f746649,
  0x3e97a117, 0x3f748422, 0x3e96e100, 0x3f74a1d5, 0x3e9620d2, 0x3f74bf62, 0x3e95608d, 0x3f74dcc9,
  0x3e94a031, 0x3f74fa0b, 0x3e93dfbf, 0x3f751727, 0x3e931f35, 0x3f75341d, 0x3e925e94, 0x3f7550ed,
  0x3e919ddd, 0x3f756d97, 0x3e90dd10, 0x3f758a1c, 0x3e901c2c, 0x3f75a67b, 0x3e8f5b32, 0x3f75c2b3,
  0x3e8e9a22, 0x3f75dec6, 0x3e8dd8fc, 0x3f75fab3, 0x3e8d17c0, 0x3f76167a, 0x3e8c566e, 0x3f76321b,
  0x3e8b9507, 0x3f764d97, 0x3e8ad38a, 0x3f7668ec, 0x3e8a11f7, 0x3f76841b, 0x3e895050, 0x3f769f24,
  0x3e888e93, 0x3f76ba07, 0x3e87ccc1, 0x3f76d4c4, 0x3e870ada, 0x3f76ef5b, 0x3e8648df, 0x3f7709cc,
  0x3e8586ce, 0x3f772417, 0x3e84c4aa, 0x3f773e3c, 0x3e840270, 0x3f77583a, 0x3e834022, 0x3f777213,
  0x3e827dc0, 0x3f778bc5, 0x3e81bb4a, 0x3f77a551, 0x3e80f8c0, 0x3f77beb7, 0x3e803622, 0x3f77d7f7,
  0x3e7ee6e1, 0x3f77f110, 0x3e7d6156, 0x3f780a04, 0x3e7bdba4, 0x3f7822d1, 0x3e7a55cb, 0x3f783b77,
  0x3e78cfcc, 0x3f7853f8, 0x3e7749a6, 0x3f786c52, 0x3e75c35a, 0x3f788486, 0x3e743ce8, 0x3f789c93,
  0x3e72b651, 0x3f78b47b, 0x3e712f94, 0x3f78cc3b, 0x3e6fa8b2, 0x3f78e3d6, 0x3e6e21ab, 0x3f78fb4a,
  0x3e6c9a7f, 0x3f791298, 0x3e6b132f, 0x3f7929bf, 0x3e698bba, 0x3f7940c0, 0x3e680422, 0x3f79579a,
  0x3e667c66, 0x3f796e4e, 0x3e64f486, 0x3f7984dc, 0x3e636c83, 0x3f799b43, 0x3e61e45c, 0x3f79b183,
  0x3e605c13, 0x3f79c79d, 0x3e5ed3a8, 0x3f79dd91, 0x3e5d4b1a, 0x3f79f35e, 0x3e5bc26a, 0x3f7a0904,
  0x3e5a3997, 0x3f7a1e84, 0x3e58b0a4, 0x3f7a33dd, 0x3e57278f, 0x3f7a4910, 0x3e559e58, 0x3f7a5e1c,
  0x3e541501, 0x3f7a7302, 0x3e528b89, 0x3f7a87c1, 0x3e5101f1, 0x3f7a9c59, 0x3e4f7838, 0x3f7ab0cb,
  0x3e4dee60, 0x3f7ac516, 0x3e4c6467, 0x3f7ad93a, 0x3e4ada4f, 0x3f7aed37, 0x3e495018, 0x3f7b010e,
  0x3e47c5c2, 0x3f7b14be, 0x3e463b4d, 0x3f7b2848, 0x3e44b0b9, 0x3f7b3bab, 0x3e432607, 0x3f7b4ee7,
  0x3e419b37, 0x3f7b61fc, 0x3e401049, 0x3f7b74ea, 0x3e3e853e, 0x3f7b87b2, 0x3e3cfa15, 0x3f7b9a53,
  0x3e3b6ecf, 0x3f7baccd, 0x3e39e36c, 0x3f7bbf20, 0x3e3857ec, 0x3f7bd14d, 0x3e36cc50, 0x3f7be353,
  0x3e354098, 0x3f7bf531, 0x3e33b4c4, 0x3f7c06e9, 0x3e3228d4, 0x3f7c187a, 0x3e309cc9, 0x3f7c29e5,
  0x3e2f10a2, 0x3f7c3b28, 0x3e2d8461, 0x3f7c4c44, 0x3e2bf804, 0x3f7c5d3a, 0x3e2a6b8d, 0x3f7c6e08,
  0x3e28defc, 0x3f7c7eb0, 0x3e275251, 0x3f7c8f31, 0x3e25c58c, 0x3f7c9f8a, 0x3e2438ad, 0x3f7cafbd,
  0x3e22abb6, 0x3f7cbfc9, 0x3e211ea5, 0x3f7ccfae, 0x3e1f917b, 0x3f7cdf6c, 0x3e1e0438, 0x3f7cef03,
  0x3e1c76de, 0x3f7cfe73, 0x3e1ae96b, 0x3f7d0dbc, 0x3e195be0, 0x3f7d1cdd, 0x3e17ce3d, 0x3f7d2bd8,
  0x3e164083, 0x3f7d3aac, 0x3e14b2b2, 0x3f7d4959, 0x3e1324ca, 0x3f7d57de, 0x3e1196cc, 0x3f7d663d,
  0x3e1008b7, 0x3f7d7474, 0x3e0e7a8b, 0x3f7d8285, 0x3e0cec4a, 0x3f7d906e, 0x3e0b5df3, 0x3f7d9e30,
  0x3e09cf86, 0x3f7dabcc, 0x3e084105, 0x3f7db940, 0x3e06b26e, 0x3f7dc68c, 0x3e0523c2, 0x3f7dd3b2,
  0x3e039502, 0x3f7de0b1, 0x3e02062e, 0x3f7ded88, 0x3e007745, 0x3f7dfa38, 0x3dfdd092, 0x3f7e06c2,
  0x3dfab273, 0x3f7e1324, 0x3df7942c, 0x3f7e1f5e, 0x3df475c0, 0x3f7e2b72, 0x3df1572e, 0x3f7e375e,
  0x3dee3876, 0x3f7e4323, 0x3deb199a, 0x3f7e4ec1, 0x3de7fa9a, 0x3f7e5a38, 0x3de4db76, 0x3f7e6588,
  0x3de1bc2e, 0x3f7e70b0, 0x3dde9cc4, 0x3f7e7bb1, 0x3ddb7d37, 0x3f7e868b, 0x3dd85d89, 0x3f7e913d,
  0x3dd53db9, 0x3f7e9bc9, 0x3dd21dc8, 0x3f7ea62d, 0x3dcefdb7, 0x3f7eb069, 0x3dcbdd86, 0x3f7eba7f,
  0x3dc8bd36, 0x3f7ec46d, 0x3dc59cc6, 0x3f7ece34, 0x3dc27c39, 0x3f7ed7d4, 0x3dbf5b8d, 0x3f7ee14c,
  0x3dbc3ac3, 0x3f7eea9d, 0x3db919dd, 0x3f7ef3c7, 0x3db5f8da, 0x3f7efcc9, 0x3db2d7bb, 0x3f7f05a4,
  0x3dafb680, 0x3f7f0e58, 0x3dac952b, 0x3f7f16e4, 0x3da973ba, 0x3f7f1f49, 0x3da65230, 0x3f7f2787,
  0x3da3308c, 0x3f7f2f9d, 0x3da00ecf, 0x3f7f378c, 0x3d9cecf9, 0x3f7f3f54, 0x3d99cb0a, 0x3f7f46f4,
  0x3d96a905, 0x3f7f4e6d, 0x3d9386e7, 0x3f7f55bf, 0x3d9064b4, 0x3f7f5ce9, 0x3d8d426a, 0x3f7f63ec,
  0x3d8a200a, 0x3f7f6ac7, 0x3d86fd94, 0x3f7f717b, 0x3d83db0a, 0x3f7f7808, 0x3d80b86c, 0x3f7f7e6d,
  0x3d7b2b74, 0x3f7f84ab, 0x3d74e5e9, 0x3f7f8ac2, 0x3d6ea038, 0x3f7f90b1, 0x3d685a62, 0x3f7f9678,
  0x3d621469, 0x3f7f9c18, 0x3d5bce4c, 0x3f7fa191, 0x3d55880e, 0x3f7fa6e3, 0x3d4f41af, 0x3f7fac0d,
  0x3d48fb30, 0x3f7fb10f, 0x3d42b491, 0x3f7fb5ea, 0x3d3c6dd5, 0x3f7fba9e, 0x3d3626fc, 0x3f7fbf2a,
  0x3d2fe007, 0x3f7fc38f, 0x3d2998f6, 0x3f7fc7cc, 0x3d2351cb, 0x3f7fcbe2, 0x3d1d0a88, 0x3f7fcfd1,
  0x3d16c32c, 0x3f7fd397, 0x3d107bb8, 0x3f7fd737, 0x3d0a342f, 0x3f7fdaaf, 0x3d03ec90, 0x3f7fde00,
  0x3cfb49ba, 0x3f7fe129, 0x3ceeba2c, 0x3f7fe42b, 0x3ce22a7a, 0x3f7fe705, 0x3cd59aa6, 0x3f7fe9b8,
  0x3cc90ab0, 0x3f7fec43, 0x3cbc7a9b, 0x3f7feea7, 0x3cafea69, 0x3f7ff0e3, 0x3ca35a1c, 0x3f7ff2f8,
  0x3c96c9b6, 0x3f7ff4e6, 0x3c8a3938, 0x3f7ff6ac, 0x3c7b514b, 0x3f7ff84a, 0x3c622fff, 0x3f7ff9c1,
  0x3c490e90, 0x3f7ffb11, 0x3c2fed02, 0x3f7ffc39, 0x3c16cb58, 0x3f7ffd39, 0x3bfb5330, 0x3f7ffe13,
  0x3bc90f88, 0x3f7ffec4, 0x3b96cbc1, 0x3f7fff4e, 0x3b490fc6, 0x3f7fffb1, 0x3ac90fd5, 0x3f7fffec,
], 16);

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
