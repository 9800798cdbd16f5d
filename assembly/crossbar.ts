// Analog reads of a crossbar array through its ADCs.
//
// A read applies inputs to `K` input lines (rows for a forward read, columns
// for a transposed read) and senses `N` output lines. The input lines are cut
// into sub-arrays of `blockRows`; each sub-array's output currents (partial
// sums, in siemens × input units) pass a column ADC, and the digitized partial
// sums are added across sub-arrays (and, for bit-serial inputs, shifted and
// added across input bits). Conductances are f32 siemens, K × N row-major with
// leading dimension `ldg` (a transposed read is given the transposed matrix).

import { philoxNormalAt } from "./random";

/** Parameters of a read, written by the host at `p` (see src/nn/crossbar.ts for the layout). */
export const READ_PARAM_BYTES: i32 = 64;
const R_ADC_BITS = 0; // i32; 0 = ideal ADC
const R_ADC_MODE = 4; // i32; 0 = min–max of the partial sums, 1 = fixed range [lo, hi]
const R_SEED = 8; // u32
const R_STREAM = 12; // u32
const R_STEP = 16; // u32
const R_ADC_LO = 24; // f64
const R_ADC_HI = 32; // f64
const R_NOISE = 40; // f64: σ of one device's read current, in siemens × input unit
const R_GREF = 48; // f64: reference-column conductance (0: no reference column)

/** Counts added at `counts` (f64): [0] sub-array reads, [1] active input lines summed over reads, [2] ADC conversions. */
export const READ_COUNT_SLOTS: i32 = 3;

/**
 * Digitizes one read's partial sums and adds outScale·(ADC(ps⁺) − ADC(ps⁻)) to
 * y (ldy) for the batch rows whose `active[b]` is nonzero (rows with nothing
 * applied were not read and add nothing). ps⁺ is batch × N; the subtrahend is
 * either a second batch × N block (`psMinus`, the G⁻ columns of differential
 * pairs), or one reference column per batch row (`ref`), or nothing (both 0).
 * Every physical column goes through an identical ADC: min–max mode spans
 * [min, max] over all the partial sums of this read (both column sets) in
 * 2^bits equal steps and reconstructs each code at its step's centre; fixed
 * mode uses [lo, hi] and clips; bits 0 is an ideal ADC.
 */
export function adcAccumulate(
  batch: i32,
  N: i32,
  psPlus: usize,
  psMinus: usize,
  ref: usize,
  active: usize,
  params: usize,
  outScale: f32,
  y: usize,
  ldy: i32,
): void {
  const bits = load<i32>(params + R_ADC_BITS);
  let lo: f32 = 0;
  let step: f32 = 0;
  let levels: f32 = 0;
  if (bits > 0) {
    levels = <f32>(1 << bits);
    let hi: f32;
    if (load<i32>(params + R_ADC_MODE) == 1) {
      lo = <f32>load<f64>(params + R_ADC_LO);
      hi = <f32>load<f64>(params + R_ADC_HI);
    } else {
      lo = Infinity;
      hi = -Infinity;
      for (let b = 0; b < batch; b++) {
        if (active != 0 && load<i32>(active + (<usize>b << 2)) == 0) continue;
        const o = <usize>b * N * 4;
        for (let j = 0; j < N; j++) {
          const v = load<f32>(psPlus + o + (<usize>j << 2));
          lo = min(lo, v);
          hi = max(hi, v);
        }
        if (psMinus != 0) {
          for (let j = 0; j < N; j++) {
            const v = load<f32>(psMinus + o + (<usize>j << 2));
            lo = min(lo, v);
            hi = max(hi, v);
          }
        } else if (ref != 0) {
          const v = load<f32>(ref + (<usize>b << 2));
          lo = min(lo, v);
          hi = max(hi, v);
        }
      }
      if (lo > hi) return; // nothing was read
    }
    step = (hi - lo) / levels;
  }
  for (let b = 0; b < batch; b++) {
    if (active != 0 && load<i32>(active + (<usize>b << 2)) == 0) continue;
    const rowP = psPlus + <usize>b * N * 4;
    const rowM = psMinus + <usize>b * N * 4;
    const r = ref != 0 ? adc(load<f32>(ref + (<usize>b << 2)), lo, step, levels) : 0;
    const yRow = y + <usize>b * ldy * 4;
    for (let j = 0; j < N; j++) {
      const o = <usize>j << 2;
      const minus = psMinus != 0 ? adc(load<f32>(rowM + o), lo, step, levels) : r;
      store<f32>(yRow + o, load<f32>(yRow + o) + outScale * (adc(load<f32>(rowP + o), lo, step, levels) - minus));
    }
  }
}

@inline
function adc(v: f32, lo: f32, step: f32, levels: f32): f32 {
  if (levels == 0 || step == 0) return v; // ideal, or a degenerate range (all partial sums equal)
  let q = Mathf.floor((v - lo) / step);
  if (q < 0) q = 0;
  if (q > levels - 1) q = levels - 1;
  return lo + (q + 0.5) * step;
}

/**
 * Bit-serial read: inputs are integer DAC codes (i32, batch × K, ldc; sign ×
 * magnitude < 2^bits), applied one bit-plane at a time, positive and negative
 * inputs in separate passes. For each sub-array, bit k and sign s, the array
 * sums the conductances of the rows whose code has that bit and sign (each
 * plane is a 0/1 matrix: additions only) on the G⁺ columns and, when given,
 * the G⁻ columns (else a reference column of conductance gRef, else nothing);
 * read noise is added per physical column; the ADCs digitize; and
 * y += outScale·2^k·(±1)·(ADC(ps⁺) − ADC(ps⁻)).
 * `scratch` needs 2·batch·N·4 + 2·batch·4 + batch·bits·2·(blockRows·2 + 4) bytes.
 */
export function readBitSerial(
  batch: i32,
  K: i32,
  N: i32,
  codes: usize,
  ldc: i32,
  bits: i32,
  gPlus: usize,
  gMinus: usize,
  ldg: i32,
  blockRows: i32,
  params: usize,
  outScale: f32,
  y: usize,
  ldy: i32,
  scratch: usize,
  counts: usize,
): void {
  assert(bits >= 1 && bits <= 16 && blockRows >= 1 && blockRows <= 65536, "readBitSerial: bad bits or blockRows");
  const psP = scratch;
  const psM = psP + <usize>batch * N * 4;
  const ref = psM + <usize>batch * N * 4;
  const activeRows = ref + <usize>batch * 4;
  const planes = batch * bits * 2;
  const listCounts = activeRows + <usize>batch * 4;
  const lists = listCounts + <usize>planes * 4;
  const noise = <f32>load<f64>(params + R_NOISE);
  const gRef = <f32>load<f64>(params + R_GREF);
  const seed = load<u32>(params + R_SEED);
  const stream = load<u32>(params + R_STREAM);
  const stepId = load<u32>(params + R_STEP);
  const columnSets = gMinus != 0 ? 2 : 1;
  let reads: f64 = 0;
  let active: f64 = 0;
  let conversions: f64 = 0;
  let block = 0;
  for (let k0 = 0; k0 < K; k0 += blockRows, block++) {
    const rowsHere = min(blockRows, K - k0);
    // Active-row lists per (batch row, bit, sign), as u16 offsets within the sub-array.
    for (let p = 0; p < planes; p++) store<i32>(listCounts + (<usize>p << 2), 0);
    for (let b = 0; b < batch; b++) {
      const cRow = codes + (<usize>b * ldc + k0) * 4;
      for (let i = 0; i < rowsHere; i++) {
        const q = load<i32>(cRow + (<usize>i << 2));
        if (q == 0) continue;
        const s = q < 0 ? 1 : 0;
        let m = q < 0 ? -q : q;
        let k = 0;
        while (m != 0) {
          if (m & 1) {
            const p = (b * bits + k) * 2 + s;
            const cp = listCounts + (<usize>p << 2);
            const c = load<i32>(cp);
            store<u16>(lists + (<usize>(p * blockRows + c) << 1), <u16>i);
            store<i32>(cp, c + 1);
          }
          m >>= 1;
          k++;
        }
      }
    }
    const offset = <usize>k0 * ldg * 4;
    for (let k = 0; k < bits; k++) {
      for (let s = 0; s < 2; s++) {
        let any = false;
        for (let b = 0; b < batch; b++) {
          const p = (b * bits + k) * 2 + s;
          const c = load<i32>(listCounts + (<usize>p << 2));
          store<i32>(activeRows + (<usize>b << 2), c);
          if (c == 0) continue;
          any = true;
          reads += 1;
          active += c;
          conversions += N * columnSets + (gMinus == 0 && gRef != 0 ? 1 : 0);
          const list = lists + (<usize>(p * blockRows) << 1);
          const plane = (((<u64>block * <u64>bits + <u64>k) * 2 + <u64>s) * <u64>batch + <u64>b) * <u64>(N * columnSets);
          const rowP = psP + <usize>b * N * 4;
          sumRows(list, c, gPlus + offset, ldg, N, rowP);
          addNoise(rowP, N, noise * Mathf.sqrt(<f32>c), seed, stream, stepId, plane);
          if (gMinus != 0) {
            const rowM = psM + <usize>b * N * 4;
            sumRows(list, c, gMinus + offset, ldg, N, rowM);
            addNoise(rowM, N, noise * Mathf.sqrt(<f32>c), seed, stream, stepId, plane + <u64>N);
          }
          store<f32>(ref + (<usize>b << 2), gRef * <f32>c);
        }
        if (!any) continue;
        const scale = outScale * <f32>(1 << k) * (s == 1 ? -1 : 1);
        adcAccumulate(batch, N, psP, gMinus != 0 ? psM : 0, gMinus == 0 && gRef != 0 ? ref : 0, activeRows, params, scale, y, ldy);
      }
    }
  }
  store<f64>(counts, load<f64>(counts) + reads);
  store<f64>(counts, load<f64>(counts, 8) + active, 8);
  store<f64>(counts, load<f64>(counts, 16) + conversions, 16);
}

@inline
function addNoise(row: usize, N: i32, sigma: f32, seed: u32, stream: u32, step: u32, base: u64): void {
  if (sigma == 0) return;
  for (let j = 0; j < N; j++) {
    const o = <usize>j << 2;
    store<f32>(row + o, load<f32>(row + o) + sigma * philoxNormalAt(seed, stream, step, base + <u64>j));
  }
}

// out[0:N] = Σ over the listed rows of g[row, 0:N].
function sumRows(list: usize, count: i32, g: usize, ldg: i32, N: i32, out: usize): void {
  const stride = <usize>ldg * 4;
  let j0 = 0;
  for (; j0 + 32 <= N; j0 += 32) {
    let s0 = f32x4.splat(0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    let s4 = s0;
    let s5 = s0;
    let s6 = s0;
    let s7 = s0;
    const col = g + (<usize>j0 << 2);
    for (let t = 0; t < count; t++) {
      const p = col + <usize>load<u16>(list + (<usize>t << 1)) * stride;
      s0 = f32x4.add(s0, v128.load(p));
      s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32));
      s3 = f32x4.add(s3, v128.load(p, 48));
      s4 = f32x4.add(s4, v128.load(p, 64));
      s5 = f32x4.add(s5, v128.load(p, 80));
      s6 = f32x4.add(s6, v128.load(p, 96));
      s7 = f32x4.add(s7, v128.load(p, 112));
    }
    const o = out + (<usize>j0 << 2);
    v128.store(o, s0);
    v128.store(o, s1, 16);
    v128.store(o, s2, 32);
    v128.store(o, s3, 48);
    v128.store(o, s4, 64);
    v128.store(o, s5, 80);
    v128.store(o, s6, 96);
    v128.store(o, s7, 112);
  }
  for (; j0 + 4 <= N; j0 += 4) {
    let s0 = f32x4.splat(0);
    const col = g + (<usize>j0 << 2);
    for (let t = 0; t < count; t++) s0 = f32x4.add(s0, v128.load(col + <usize>load<u16>(list + (<usize>t << 1)) * stride));
    v128.store(out + (<usize>j0 << 2), s0);
  }
  for (; j0 < N; j0++) {
    let s: f32 = 0;
    const col = g + (<usize>j0 << 2);
    for (let t = 0; t < count; t++) s += load<f32>(col + <usize>load<u16>(list + (<usize>t << 1)) * stride);
    store<f32>(out + (<usize>j0 << 2), s);
  }
}

/**
 * Read noise for one-shot (ideal-DAC) reads: ps[b, j] += σ·‖x_b‖·z with ‖x_b‖
 * = `norms[b]` (the input vector's 2-norm over this sub-array's lines) and z
 * element (start + b·N + j) of (seed, stream, step) — the exact distribution of
 * independent per-device noise of σ summed over the lines.
 */
export function addReadNoise(batch: i32, N: i32, ps: usize, norms: usize, params: usize, start: f64): void {
  const noise = <f32>load<f64>(params + R_NOISE);
  if (noise == 0) return;
  const seed = load<u32>(params + R_SEED);
  const stream = load<u32>(params + R_STREAM);
  const stepId = load<u32>(params + R_STEP);
  const base = <u64>start;
  for (let b = 0; b < batch; b++) {
    const sigma = noise * load<f32>(norms + (<usize>b << 2));
    const row = ps + <usize>b * N * 4;
    for (let j = 0; j < N; j++) {
      const o = <usize>j << 2;
      store<f32>(row + o, load<f32>(row + o) + sigma * philoxNormalAt(seed, stream, stepId, base + <u64>(b * N + j)));
    }
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

/** w[i] = (g⁺[i] − g⁻[i])·gain, or (g⁺[i] − gRef)·gain when gMinus is 0: the weights the conductances realize. */
export function conductanceToWeight(n: i32, gPlus: usize, gMinus: usize, gRef: f32, gain: f32, w: usize): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const ref = gMinus != 0 ? load<f32>(gMinus + o) : gRef;
    store<f32>(w + o, (load<f32>(gPlus + o) - ref) * gain);
  }
}

/** out (cols × rows) = inᵀ (rows × cols), both contiguous: keeps a transposed copy for transposed reads. */
export function transpose(rows: i32, cols: i32, src: usize, dst: usize): void {
  const T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = min(rows, i0 + T);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = min(cols, j0 + T);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          store<f32>(dst + (<usize>(j * rows + i) << 2), load<f32>(src + (<usize>(i * cols + j) << 2)));
        }
      }
    }
  }
}

/** sums[b] = Σ x[b, k0 : k0 + len] (the reference column's input for one-shot reads). */
export function rowSums(batch: i32, x: usize, ldx: i32, k0: i32, len: i32, sums: usize): void {
  for (let b = 0; b < batch; b++) {
    const row = x + (<usize>b * ldx + k0) * 4;
    let s: f32 = 0;
    for (let i = 0; i < len; i++) s += load<f32>(row + (<usize>i << 2));
    store<f32>(sums + (<usize>b << 2), s);
  }
}

/** Nonzero elements of x[b, k0 : k0 + len] summed over the batch rows (active input lines). */
export function countNonzero(batch: i32, x: usize, ldx: i32, k0: i32, len: i32): i32 {
  let count = 0;
  for (let b = 0; b < batch; b++) {
    const row = x + (<usize>b * ldx + k0) * 4;
    for (let i = 0; i < len; i++) if (load<f32>(row + (<usize>i << 2)) != 0) count++;
  }
  return count;
}
