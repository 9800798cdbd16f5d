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
