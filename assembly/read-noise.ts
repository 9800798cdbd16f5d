// Read noise: per-device current noise summed over a read's active lines, drawn from counter-based
// normals (randomNormalFast) so that any element is reproducible on any thread.

import { randomNormalFast } from "./random";
import { READ_AT_NOISE, READ_AT_SEED, READ_AT_STEP, READ_AT_STREAM } from "./read-params";

/** Normals drawn per pass of `addNoise` (a multiple of the generator's 32-element step). */
const NOISE_CHUNK: i32 = 1024;

// The reads' scratch, offsets into one block per instance: the module's own, or one a kernel thread
// is given (useReadScratch), so threads reading at once share nothing. TALLY: the current
// sub-array's events (reads, active lines, conversions; f64). NOISE: a chunk of normals.
const TALLY: usize = 0;
const NOISE: usize = 32;
/** Bytes of a thread's read scratch. */
export const READ_SCRATCH_BYTES: i32 = 32 + NOISE_CHUNK * 4;
let readScratch: usize = memory.data(READ_SCRATCH_BYTES, 16);
/** Points this instance's read scratch at `base` (READ_SCRATCH_BYTES, 16-byte aligned). */
export function useReadScratch(base: usize): void {
  readScratch = base;
}


/** The current sub-array's event tallies (reads, active lines, conversions; f64) in this instance's read scratch. */
export function readTally(): usize {
  return readScratch + TALLY;
}

/** row[j] += σ·z_j, z_j element (base + j) of randomNormalFast(seed, stream, step), drawn a chunk at a time (SIMD, as the C2C noise). */
export function addNoise(row: usize, N: i32, sigma: f32, seed: u32, stream: u32, step: u32, base: u64): void {
  if (sigma == 0) return;
  const normals = readScratch + NOISE;
  const s4 = f32x4.splat(sigma);
  for (let j0 = 0; j0 < N; j0 += NOISE_CHUNK) {
    const n = min(NOISE_CHUNK, N - j0);
    randomNormalFast(seed, stream, step, <f64>(base + <u64>j0), n, normals);
    const out = row + (<usize>j0 << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + o, f32x4.add(v128.load(out + o), f32x4.mul(s4, v128.load(normals + o))));
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      store<f32>(out + o, load<f32>(out + o) + sigma * load<f32>(normals + o));
    }
  }
}

/**
 * Read noise for one-shot (ideal-DAC) reads: ps[b, j] += σ·‖x_b‖·z with ‖x_b‖
 * = `norms[b]` (the input vector's 2-norm over this sub-array's lines) and z
 * element (start + b·N + j) of randomNormalFast(seed, stream, step) — the
 * distribution of independent per-device noise of σ summed over the lines.
 */
export function addReadNoise(batch: i32, N: i32, ps: usize, norms: usize, params: usize, start: f64): void {
  const noise = <f32>load<f64>(params + READ_AT_NOISE);
  if (noise == 0) return;
  const seed = load<u32>(params + READ_AT_SEED);
  const stream = load<u32>(params + READ_AT_STREAM);
  const stepId = load<u32>(params + READ_AT_STEP);
  for (let b = 0; b < batch; b++) {
    const sigma = noise * load<f32>(norms + (<usize>b << 2));
    addNoise(ps + <usize>b * N * 4, N, sigma, seed, stream, stepId, <u64>start + <u64>(b * N));
  }
}

/** norms[b] = ‖x[b, k0 : k0 + len]‖₂ for each batch row (ldx elements per row). */
export function rowNorms(batch: i32, x: usize, ldx: i32, k0: i32, len: i32, norms: usize): void {
  for (let b = 0; b < batch; b++) {
    const row = x + (<usize>b * ldx + k0) * 4;
    let s: f32 = 0;
    for (let i = 0; i < len; i++) {
      const v = load<f32>(row + (<usize>i << 2));
      s += v * v;
    }
    store<f32>(norms + (<usize>b << 2), Mathf.sqrt(s));
  }
}

