// Analog reads of a crossbar array through its ADCs.
//
// A read applies inputs to `K` input lines (rows for a forward read, columns
// for a transposed read) and senses `N` output lines. The input lines are cut
// into sub-arrays of `blockRows`; each sub-array's output currents (partial
// sums, in siemens × input units) pass a column ADC, and the digitized partial
// sums are added across sub-arrays (and, for bit-serial inputs, shifted and
// added across input bits). Conductances are f32 siemens, K × N row-major with
// leading dimension `ldg` (a transposed read is given the transposed matrix).

import { randomNormalFast } from "./random";

/** Parameters of a read, written by the host at `p` (see src/nn/crossbar.ts for the layout). */
export const READ_PARAM_BYTES: i32 = 64;
export const READ_AT_ADC_BITS: usize = 0; // i32; 0 = ideal ADC
export const READ_AT_ADC_MODE: usize = 4; // i32; 0 = min–max of the partial sums, 1 = fixed range [lo, hi], 2 = MLP+NeuroSim V3.0 (full scale hi)
export const READ_AT_SEED: usize = 8; // u32
export const READ_AT_STREAM: usize = 12; // u32
export const READ_AT_STEP: usize = 16; // u32
export const READ_AT_ADC_LO: usize = 24; // f64
export const READ_AT_ADC_HI: usize = 32; // f64
export const READ_AT_NOISE: usize = 40; // f64: σ of one device's read current, in siemens × input unit
export const READ_AT_GREF: usize = 48; // f64: reference-column conductance (0: no reference column)

/** Counts added at `counts` (f64): [0] sub-array reads, [1] active input lines summed over reads, [2] ADC conversions. */
export const READ_COUNT_SLOTS: i32 = 3;

// Set by readBitSerialRows for the read in progress: the threads' shared block (0: one thread), their
// count and this thread's index; the first row and the batch the read noise is indexed by.
let rangeSync: usize = 0;
let rangeThreads: i32 = 1;
let rangeId: i32 = 0;
let rangeRounds: i32 = 0;
let noiseRowFrom: i32 = 0;
let noiseBatch: i32 = 0;
let agreedLo: f32 = 0;
let agreedHi: f32 = 0;

/**
 * Every thread's [lo, hi] → the union (agreedLo, agreedHi), the same on every thread. The block:
 * i32 arrivals, i32 generation, then two banks of (lo, hi) per thread, used in turn: a thread can
 * write its next range only after every thread has arrived at this round's barrier, i.e. read the
 * previous bank.
 */
function agreeRange(lo: f32, hi: f32): void {
  if (!ASC_FEATURE_THREADS) return;
  const bank = rangeSync + 16 + <usize>((rangeRounds & 1) * rangeThreads) * 8;
  rangeRounds++;
  store<f32>(bank + (<usize>rangeId << 3), lo);
  store<f32>(bank + (<usize>rangeId << 3), hi, 4);
  barrier(rangeSync, rangeThreads);
  let l: f32 = Infinity;
  let h: f32 = -Infinity;
  for (let t = 0; t < rangeThreads; t++) {
    l = min(l, load<f32>(bank + (<usize>t << 3)));
    h = max(h, load<f32>(bank + (<usize>t << 3), 4));
  }
  agreedLo = l;
  agreedHi = h;
}

/** Waits until all `threads` threads have arrived (spinning briefly, then sleeping); the generation word orders the banks' reads and writes. */
function barrier(sync: usize, threads: i32): void {
  if (!ASC_FEATURE_THREADS) return;
  const generation = atomic.load<i32>(sync, 4);
  if (atomic.add<i32>(sync, 1) == threads - 1) {
    atomic.store<i32>(sync, 0);
    atomic.store<i32>(sync, generation + 1, 4);
    atomic.notify(sync + 4, threads);
    return;
  }
  for (let spin = 0; atomic.load<i32>(sync, 4) == generation; spin++) {
    if (spin > 100000) atomic.wait<i32>(sync + 4, generation, -1);
  }
}

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
  const bits = load<i32>(params + READ_AT_ADC_BITS);
  if (bits > 0 && load<i32>(params + READ_AT_ADC_MODE) == 2) {
    adcTruncating(batch, N, psPlus, psMinus, ref, active, <f32>(load<f64>(params + READ_AT_ADC_HI) / <f64>((1 << bits) - 1)), outScale, y, ldy);
    return;
  }
  let lo: f32 = 0;
  let step: f32 = 0;
  let levels: f32 = 0;
  if (bits > 0) {
    levels = <f32>(1 << bits);
    let hi: f32;
    if (load<i32>(params + READ_AT_ADC_MODE) == 1) {
      lo = <f32>load<f64>(params + READ_AT_ADC_LO);
      hi = <f32>load<f64>(params + READ_AT_ADC_HI);
    } else {
      // Min and max over the read's partial sums (SIMD pmin/pmax: the same as min/max without NaNs).
      let vlo = f32x4.splat(Infinity);
      let vhi = f32x4.splat(-Infinity);
      lo = Infinity;
      hi = -Infinity;
      for (let b = 0; b < batch; b++) {
        if (active != 0 && load<i32>(active + (<usize>b << 2)) == 0) continue;
        const o = <usize>b * N * 4;
        for (let set = 0; set < 2; set++) {
          const row = set == 0 ? psPlus + o : psMinus + o;
          if (set == 1 && psMinus == 0) break;
          let j = 0;
          for (; j + 8 <= N; j += 8) {
            const v0 = v128.load(row + (<usize>j << 2));
            const v1 = v128.load(row + (<usize>j << 2), 16);
            vlo = f32x4.pmin(vlo, f32x4.pmin(v0, v1));
            vhi = f32x4.pmax(vhi, f32x4.pmax(v0, v1));
          }
          for (; j < N; j++) {
            const v = load<f32>(row + (<usize>j << 2));
            lo = min(lo, v);
            hi = max(hi, v);
          }
        }
        if (psMinus == 0 && ref != 0) {
          const v = load<f32>(ref + (<usize>b << 2));
          lo = min(lo, v);
          hi = max(hi, v);
        }
      }
      lo = min(lo, min(min(f32x4.extract_lane(vlo, 0), f32x4.extract_lane(vlo, 1)), min(f32x4.extract_lane(vlo, 2), f32x4.extract_lane(vlo, 3))));
      hi = max(hi, max(max(f32x4.extract_lane(vhi, 0), f32x4.extract_lane(vhi, 1)), max(f32x4.extract_lane(vhi, 2), f32x4.extract_lane(vhi, 3))));
      if (rangeSync != 0) {
        // The range is the whole batch's: each thread posts its rows' extremes and takes everyone's.
        agreeRange(lo, hi);
        lo = agreedLo;
        hi = agreedHi;
      }
      if (lo > hi) return; // nothing was read
    }
    step = (hi - lo) / levels;
  }
  const exact = levels == 0 || step == 0; // ideal, or a degenerate range (all partial sums equal)
  for (let b = 0; b < batch; b++) {
    if (active != 0 && load<i32>(active + (<usize>b << 2)) == 0) continue;
    const rowP = psPlus + <usize>b * N * 4;
    const rowM = psMinus + <usize>b * N * 4;
    const r = ref != 0 ? adc(load<f32>(ref + (<usize>b << 2)), lo, step, levels) : 0;
    const yRow = y + <usize>b * ldy * 4;
    let j = 0;
    if (exact) j = adcRowExact(N, rowP, rowM, psMinus != 0, r, outScale, yRow);
    else if (psMinus != 0) j = adcRow(N, rowP, rowM, true, r, lo, step, levels, outScale, yRow);
    else j = adcRow(N, rowP, 0, false, r, lo, step, levels, outScale, yRow);
    for (; j < N; j++) {
      const o = <usize>j << 2;
      const minus = psMinus != 0 ? adc(load<f32>(rowM + o), lo, step, levels) : r;
      store<f32>(yRow + o, load<f32>(yRow + o) + outScale * (adc(load<f32>(rowP + o), lo, step, levels) - minus));
    }
  }
}

/**
 * MLP+NeuroSim V3.0's read (Train.cpp, CurrentToDigits): each current, the column's and the
 * reference's (or the G⁻ column's) alike, becomes ⌊I / step⌋ codes of step = full scale / (2^bits − 1),
 * without clipping, and the codes are subtracted: y += outScale·step·(code⁺ − code⁻).
 */
function adcTruncating(batch: i32, N: i32, psPlus: usize, psMinus: usize, ref: usize, active: usize, step: f32, outScale: f32, y: usize, ldy: i32): void {
  for (let b = 0; b < batch; b++) {
    if (active != 0 && load<i32>(active + (<usize>b << 2)) == 0) continue;
    const rowP = psPlus + <usize>b * N * 4;
    const rowM = psMinus + <usize>b * N * 4;
    const r = ref != 0 ? Mathf.trunc(load<f32>(ref + (<usize>b << 2)) / step) : 0;
    const yRow = y + <usize>b * ldy * 4;
    for (let j = 0; j < N; j++) {
      const o = <usize>j << 2;
      const minus = psMinus != 0 ? Mathf.trunc(load<f32>(rowM + o) / step) : r;
      store<f32>(yRow + o, load<f32>(yRow + o) + outScale * step * (Mathf.trunc(load<f32>(rowP + o) / step) - minus));
    }
  }
}

/** The vector part of a row with no quantization: y += outScale·(ps⁺ − (ps⁻ or r)); returns the columns done. */
@inline
function adcRowExact(N: i32, rowP: usize, rowM: usize, pair: bool, r: f32, outScale: f32, yRow: usize): i32 {
  const vR = f32x4.splat(r);
  const vScale = f32x4.splat(outScale);
  let j = 0;
  for (; j + 4 <= N; j += 4) {
    const o = <usize>j << 2;
    const minus = pair ? v128.load(rowM + o) : vR;
    v128.store(yRow + o, f32x4.add(v128.load(yRow + o), f32x4.mul(vScale, f32x4.sub(v128.load(rowP + o), minus))));
  }
  return j;
}

/** The vector part of a row: y += outScale·(ADC(ps⁺) − (ADC(ps⁻) or r)), eight columns per iteration; returns the columns done. */
@inline
function adcRow(N: i32, rowP: usize, rowM: usize, pair: bool, r: f32, lo: f32, step: f32, levels: f32, outScale: f32, yRow: usize): i32 {
  const vLo = f32x4.splat(lo);
  const vStep = f32x4.splat(step);
  const vTop = f32x4.splat(levels - 1);
  const vScale = f32x4.splat(outScale);
  const vR = f32x4.splat(r);
  let j = 0;
  for (; j + 8 <= N; j += 8) {
    const o = <usize>j << 2;
    const m0 = pair ? adcv(v128.load(rowM + o), vLo, vStep, vTop) : vR;
    const m1 = pair ? adcv(v128.load(rowM + o, 16), vLo, vStep, vTop) : vR;
    const a0 = adcv(v128.load(rowP + o), vLo, vStep, vTop);
    const a1 = adcv(v128.load(rowP + o, 16), vLo, vStep, vTop);
    v128.store(yRow + o, f32x4.add(v128.load(yRow + o), f32x4.mul(vScale, f32x4.sub(a0, m0))));
    v128.store(yRow + o, f32x4.add(v128.load(yRow + o, 16), f32x4.mul(vScale, f32x4.sub(a1, m1))), 16);
  }
  for (; j + 4 <= N; j += 4) {
    const o = <usize>j << 2;
    const m0 = pair ? adcv(v128.load(rowM + o), vLo, vStep, vTop) : vR;
    v128.store(yRow + o, f32x4.add(v128.load(yRow + o), f32x4.mul(vScale, f32x4.sub(adcv(v128.load(rowP + o), vLo, vStep, vTop), m0))));
  }
  return j;
}

@inline
function adc(v: f32, lo: f32, step: f32, levels: f32): f32 {
  if (levels == 0 || step == 0) return v; // ideal, or a degenerate range (all partial sums equal)
  let q = Mathf.floor((v - lo) / step);
  if (q < 0) q = 0;
  if (q > levels - 1) q = levels - 1;
  return lo + (q + 0.5) * step;
}

const HALF: usize = memory.data<f32>([0.5, 0.5, 0.5, 0.5], 16);

/** adc on four values (step ≠ 0, levels ≠ 0): the same arithmetic; pmax/pmin clamp the code as the comparisons do. */
@inline
function adcv(v: v128, lo: v128, step: v128, top: v128): v128 {
  const q = f32x4.pmin(top, f32x4.pmax(f32x4.splat(0), f32x4.floor(f32x4.div(f32x4.sub(v, lo), step))));
  return f32x4.add(lo, f32x4.mul(f32x4.add(q, v128.load(HALF)), step));
}

/**
 * Bit-serial read: inputs are integer DAC codes (i32, batch × K, ldc; sign ×
 * magnitude < 2^bits), applied one bit-plane at a time, positive and negative
 * inputs in separate passes. For each sub-array, bit k and sign s, the array
 * sums the conductances of the rows whose code has that bit and sign (each
 * plane is a 0/1 matrix: additions only) on the G⁺ columns and, when given,
 * the G⁻ columns (else a reference column of conductance gRef, else nothing);
 * read noise is added per physical column; the ADCs digitize; and
 * y += outScale·2^k·(±1)·(ADC(ps⁺) − ADC(ps⁻)), in the order of k, then s.
 * `scratch` needs 2·batch·N·4 + 2·batch·4 + batch·bits·2·(blockRows·2 + 4) bytes.
 *
 * Summation order (f32, per column, from 0): a plane's rows in increasing
 * order; except that when there are no G⁻ columns and a sub-array's codes all
 * have one sign, bits k and k + 1 (k even) are summed in one pass: ps_k is
 * the sum over the rows that have both bits, then continued over the rows
 * with only bit k, and ps_k+1 the same sum continued over the rows with only
 * bit k + 1 (each in increasing row order). The rows with both bits are then
 * added once for the two planes.
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
  readBitSerialRows(0, batch, batch, K, N, codes, ldc, bits, gPlus, gMinus, ldg, blockRows, params, outScale, y, ldy, scratch, counts, 0, 1, 0);
}

/**
 * `readBitSerial` for batch rows rowFrom … rowTo − 1 of `batch` (codes and y still address the whole
 * batch; `scratch` is sized for this thread's rows). Threads may read disjoint row ranges at once:
 * every choice that depends on the whole batch is made on the whole batch (which sub-arrays read two
 * bits in one pass; the read noise of a row depends on its index), and a min–max ADC's range, the
 * extremes of the read's partial sums over the whole batch, is agreed at a barrier: `sync` (0 on one
 * thread) is the threads' shared block of 16 + 16·threads bytes, `id` this thread's index. Every
 * thread takes part in every read's agreement, also when none of its rows is read.
 */
export function readBitSerialRows(
  rowFrom: i32,
  rowTo: i32,
  batchTotal: i32,
  K: i32,
  N: i32,
  codesAll: usize,
  ldc: i32,
  bits: i32,
  gPlus: usize,
  gMinus: usize,
  ldg: i32,
  blockRows: i32,
  params: usize,
  outScale: f32,
  yAll: usize,
  ldy: i32,
  scratch: usize,
  counts: usize,
  sync: usize,
  threads: i32,
  id: i32,
): void {
  assert(bits >= 1 && bits <= 16 && blockRows >= 1 && blockRows <= 65536, "readBitSerial: bad bits or blockRows");
  const batch = rowTo - rowFrom;
  const codes = codesAll + <usize>rowFrom * ldc * 4;
  const y = yAll + <usize>rowFrom * ldy * 4;
  rangeSync = sync;
  rangeThreads = threads;
  rangeId = id;
  rangeRounds = 0;
  noiseRowFrom = rowFrom;
  noiseBatch = batchTotal;
  const psP = scratch;
  const psM = psP + <usize>batch * N * 4;
  const ref = psM + <usize>batch * N * 4;
  const activeRows = ref + <usize>batch * 4;
  const planes = batch * bits * 2;
  const listCounts = activeRows + <usize>batch * 4;
  const lists = listCounts + <usize>planes * 4;
  const noise = <f32>load<f64>(params + READ_AT_NOISE);
  const gRef = <f32>load<f64>(params + READ_AT_GREF);
  const seed = load<u32>(params + READ_AT_SEED);
  const stream = load<u32>(params + READ_AT_STREAM);
  const stepId = load<u32>(params + READ_AT_STEP);
  const columnSets = gMinus != 0 ? 2 : 1;
  let reads: f64 = 0;
  let active: f64 = 0;
  let conversions: f64 = 0;
  let block = 0;
  v128.store(readScratch + TALLY, f64x2.splat(0));
  v128.store(readScratch + TALLY, f64x2.splat(0), 16);
  for (let k0 = 0; k0 < K; k0 += blockRows, block++) {
    const rowsHere = min(blockRows, K - k0);
    // Active-row lists per (batch row, bit, sign), as u16 offsets within the sub-array, in increasing order.
    for (let p = 0; p < planes; p++) store<i32>(listCounts + (<usize>p << 2), 0);
    const offset = <usize>k0 * ldg * 4;
    const listStride = <usize>(bits * 2 * blockRows) << 1; // bytes between batch rows' lists of a plane
    const signs = codeSigns(batchTotal, codesAll, ldc, k0, rowsHere);
    if (gMinus == 0 && bits >= 2 && (signs == 1 || signs == 2)) {
      // One sign only (no G⁻ columns): bits k, k + 1 in one pass, over rows with both (Z), only k (X), only k + 1 (Y):
      // ps_k = Σ_Z + Σ_X, ps_k+1 = Σ_Z + Σ_Y, each in row order; Z's lists use the other sign's slots.
      const s = signs == 1 ? 0 : 1;
      for (let b = 0; b < batch; b++) buildPairLists(codes + (<usize>b * ldc + k0) * 4, rowsHere, bits, lists, listCounts, b * bits * 2, blockRows, s);
      for (let k = 0; k < bits; k += 2) {
        if (k + 1 == bits) {
          // The last bit of an odd count: a plane by itself, in its own slot.
          const stats = planeStats(batch, listCounts, bits, k, s, -1, activeRows, ref, gRef, N, columnSets, gMinus);
          if (stats == 0 && sync == 0) continue;
          sumPlane(batch, activeRows, lists + (<usize>((k * 2 + s) * blockRows) << 1), listStride, gPlus + offset, ldg, N, psP);
          finishPlane(batch, N, psP, 0, activeRows, ref, params, noise, seed, stream, stepId, block, bits, k, s, columnSets, outScale, gMinus, gRef, y, ldy);
          continue;
        }
        const slotX = (k * 2 + s) * blockRows;
        const slotY = ((k + 1) * 2 + s) * blockRows;
        const slotZ = (k * 2 + 1 - s) * blockRows;
        for (let b = 0; b < batch; b++) {
          const cp = listCounts + (<usize>b * bits * 2 << 2);
          const cX = load<i32>(cp + (<usize>(k * 2 + s) << 2));
          const cY = load<i32>(cp + (<usize>((k + 1) * 2 + s) << 2));
          const cZ = load<i32>(cp + (<usize>(k * 2 + 1 - s) << 2));
          if (cX + cY + cZ == 0) continue;
          const base = lists + <usize>b * listStride;
          const outK = psP + <usize>b * N * 4;
          const outK1 = psM + <usize>b * N * 4;
          sumRows(base + (<usize>slotZ << 1), cZ, gPlus + offset, ldg, N, outK1, 0);
          sumRows(base + (<usize>slotX << 1), cX, gPlus + offset, ldg, N, outK, outK1);
          sumRows(base + (<usize>slotY << 1), cY, gPlus + offset, ldg, N, outK1, outK1);
        }
        if (planeStats(batch, listCounts, bits, k, s, k * 2 + 1 - s, activeRows, ref, gRef, N, columnSets, gMinus) != 0 || sync != 0) {
          finishPlane(batch, N, psP, 0, activeRows, ref, params, noise, seed, stream, stepId, block, bits, k, s, columnSets, outScale, gMinus, gRef, y, ldy);
        }
        if (planeStats(batch, listCounts, bits, k + 1, s, k * 2 + 1 - s, activeRows, ref, gRef, N, columnSets, gMinus) != 0 || sync != 0) {
          finishPlane(batch, N, psM, 0, activeRows, ref, params, noise, seed, stream, stepId, block, bits, k + 1, s, columnSets, outScale, gMinus, gRef, y, ldy);
        }
      }
    } else {
      for (let b = 0; b < batch; b++) buildLists(codes + (<usize>b * ldc + k0) * 4, rowsHere, bits, lists, listCounts, b * bits * 2, blockRows);
      for (let k = 0; k < bits; k++) {
        for (let s = 0; s < 2; s++) {
          if (planeStats(batch, listCounts, bits, k, s, -1, activeRows, ref, gRef, N, columnSets, gMinus) == 0 && sync == 0) continue;
          const planeLists = lists + (<usize>((k * 2 + s) * blockRows) << 1);
          sumPlane(batch, activeRows, planeLists, listStride, gPlus + offset, ldg, N, psP);
          if (gMinus != 0) sumPlane(batch, activeRows, planeLists, listStride, gMinus + offset, ldg, N, psM);
          finishPlane(batch, N, psP, gMinus != 0 ? psM : 0, activeRows, ref, params, noise, seed, stream, stepId, block, bits, k, s, columnSets, outScale, gMinus, gRef, y, ldy);
        }
      }
    }
    reads += load<f64>(readScratch + TALLY);
    active += load<f64>(readScratch + TALLY, 8);
    conversions += load<f64>(readScratch + TALLY, 16);
    v128.store(readScratch + TALLY, f64x2.splat(0));
    v128.store(readScratch + TALLY, f64x2.splat(0), 16);
  }
  store<f64>(counts, load<f64>(counts) + reads);
  store<f64>(counts, load<f64>(counts, 8) + active, 8);
  store<f64>(counts, load<f64>(counts, 16) + conversions, 16);
  rangeSync = 0;
  noiseRowFrom = 0;
  noiseBatch = 0;
}

/**
 * Appends the rows of one batch row's codes (rowsHere of them) to its lists:
 * row i goes to list (planeRow + 2k + s) for every bit k of |code| (s: code
 * < 0). Eight rows at a time: each list gets its rows' offsets from a table
 * indexed by the 8-bit mask of the rows that have the bit (stored whole, the
 * count advancing by the mask's population), without branches.
 */
function buildLists(cRow: usize, rowsHere: i32, bits: i32, lists: usize, listCounts: usize, planeRow: i32, blockRows: i32): void {
  let i0 = 0;
  for (; i0 + 8 <= rowsHere; i0 += 8) {
    const qa = v128.load(cRow + (<usize>i0 << 2));
    const qb = v128.load(cRow + (<usize>i0 << 2), 16);
    const neg = i16x8.bitmask(i16x8.narrow_i32x4_s(i32x4.shr_s(qa, 31), i32x4.shr_s(qb, 31)));
    const m = i16x8.narrow_i32x4_u(i32x4.abs(qa), i32x4.abs(qb));
    const base = i16x8.splat(<i16>i0);
    let p = planeRow;
    for (let k = 0; k < bits; k++, p += 2) {
      const has = i16x8.bitmask(i16x8.shl(m, 15 - k));
      appendRows(lists, listCounts, p, blockRows, has & ~neg, base);
      appendRows(lists, listCounts, p + 1, blockRows, has & neg, base);
    }
  }
  for (let i = i0; i < rowsHere; i++) {
    const q = load<i32>(cRow + (<usize>i << 2));
    if (q == 0) continue;
    const m = q < 0 ? -q : q;
    let p = planeRow + (q < 0 ? 1 : 0);
    for (let k = 0; k < bits; k++, p += 2) {
      if (((m >> k) & 1) == 0) continue;
      const cp = listCounts + (<usize>p << 2);
      const c = load<i32>(cp);
      store<u16>(lists + (<usize>(p * blockRows + c) << 1), <u16>i);
      store<i32>(cp, c + 1);
    }
  }
}

/** Appends the rows of `mask` (bit j: row base + j) to list p: all eight table offsets are written, the count moves by popcnt. */
@inline
function appendRows(lists: usize, listCounts: usize, p: i32, blockRows: i32, mask: i32, base: v128): void {
  const cp = listCounts + (<usize>p << 2);
  const c = load<i32>(cp);
  const offsets = i16x8.add(i16x8.extend_low_i8x16_u(v128.load64_zero(ROW_TABLE + (<usize>mask << 3))), base);
  v128.store(lists + (<usize>(p * blockRows + c) << 1), offsets);
  store<i32>(cp, c + popcnt(mask));
}

// For each 8-bit mask, the positions of its set bits in increasing order (8 bytes, unused ones 0).
// prettier-ignore
const ROW_TABLE: usize = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0,  0, 0, 0, 0, 0, 0, 0, 0,  1, 0, 0, 0, 0, 0, 0, 0,  0, 1, 0, 0, 0, 0, 0, 0,
  2, 0, 0, 0, 0, 0, 0, 0,  0, 2, 0, 0, 0, 0, 0, 0,  1, 2, 0, 0, 0, 0, 0, 0,  0, 1, 2, 0, 0, 0, 0, 0,
  3, 0, 0, 0, 0, 0, 0, 0,  0, 3, 0, 0, 0, 0, 0, 0,  1, 3, 0, 0, 0, 0, 0, 0,  0, 1, 3, 0, 0, 0, 0, 0,
  2, 3, 0, 0, 0, 0, 0, 0,  0, 2, 3, 0, 0, 0, 0, 0,  1, 2, 3, 0, 0, 0, 0, 0,  0, 1, 2, 3, 0, 0, 0, 0,
  4, 0, 0, 0, 0, 0, 0, 0,  0, 4, 0, 0, 0, 0, 0, 0,  1, 4, 0, 0, 0, 0, 0, 0,  0, 1, 4, 0, 0, 0, 0, 0,
  2, 4, 0, 0, 0, 0, 0, 0,  0, 2, 4, 0, 0, 0, 0, 0,  1, 2, 4, 0, 0, 0, 0, 0,  0, 1, 2, 4, 0, 0, 0, 0,
  3, 4, 0, 0, 0, 0, 0, 0,  0, 3, 4, 0, 0, 0, 0, 0,  1, 3, 4, 0, 0, 0, 0, 0,  0, 1, 3, 4, 0, 0, 0, 0,
  2, 3, 4, 0, 0, 0, 0, 0,  0, 2, 3, 4, 0, 0, 0, 0,  1, 2, 3, 4, 0, 0, 0, 0,  0, 1, 2, 3, 4, 0, 0, 0,
  5, 0, 0, 0, 0, 0, 0, 0,  0, 5, 0, 0, 0, 0, 0, 0,  1, 5, 0, 0, 0, 0, 0, 0,  0, 1, 5, 0, 0, 0, 0, 0,
  2, 5, 0, 0, 0, 0, 0, 0,  0, 2, 5, 0, 0, 0, 0, 0,  1, 2, 5, 0, 0, 0, 0, 0,  0, 1, 2, 5, 0, 0, 0, 0,
  3, 5, 0, 0, 0, 0, 0, 0,  0, 3, 5, 0, 0, 0, 0, 0,  1, 3, 5, 0, 0, 0, 0, 0,  0, 1, 3, 5, 0, 0, 0, 0,
  2, 3, 5, 0, 0, 0, 0, 0,  0, 2, 3, 5, 0, 0, 0, 0,  1, 2, 3, 5, 0, 0, 0, 0,  0, 1, 2, 3, 5, 0, 0, 0,
  4, 5, 0, 0, 0, 0, 0, 0,  0, 4, 5, 0, 0, 0, 0, 0,  1, 4, 5, 0, 0, 0, 0, 0,  0, 1, 4, 5, 0, 0, 0, 0,
  2, 4, 5, 0, 0, 0, 0, 0,  0, 2, 4, 5, 0, 0, 0, 0,  1, 2, 4, 5, 0, 0, 0, 0,  0, 1, 2, 4, 5, 0, 0, 0,
  3, 4, 5, 0, 0, 0, 0, 0,  0, 3, 4, 5, 0, 0, 0, 0,  1, 3, 4, 5, 0, 0, 0, 0,  0, 1, 3, 4, 5, 0, 0, 0,
  2, 3, 4, 5, 0, 0, 0, 0,  0, 2, 3, 4, 5, 0, 0, 0,  1, 2, 3, 4, 5, 0, 0, 0,  0, 1, 2, 3, 4, 5, 0, 0,
  6, 0, 0, 0, 0, 0, 0, 0,  0, 6, 0, 0, 0, 0, 0, 0,  1, 6, 0, 0, 0, 0, 0, 0,  0, 1, 6, 0, 0, 0, 0, 0,
  2, 6, 0, 0, 0, 0, 0, 0,  0, 2, 6, 0, 0, 0, 0, 0,  1, 2, 6, 0, 0, 0, 0, 0,  0, 1, 2, 6, 0, 0, 0, 0,
  3, 6, 0, 0, 0, 0, 0, 0,  0, 3, 6, 0, 0, 0, 0, 0,  1, 3, 6, 0, 0, 0, 0, 0,  0, 1, 3, 6, 0, 0, 0, 0,
  2, 3, 6, 0, 0, 0, 0, 0,  0, 2, 3, 6, 0, 0, 0, 0,  1, 2, 3, 6, 0, 0, 0, 0,  0, 1, 2, 3, 6, 0, 0, 0,
  4, 6, 0, 0, 0, 0, 0, 0,  0, 4, 6, 0, 0, 0, 0, 0,  1, 4, 6, 0, 0, 0, 0, 0,  0, 1, 4, 6, 0, 0, 0, 0,
  2, 4, 6, 0, 0, 0, 0, 0,  0, 2, 4, 6, 0, 0, 0, 0,  1, 2, 4, 6, 0, 0, 0, 0,  0, 1, 2, 4, 6, 0, 0, 0,
  3, 4, 6, 0, 0, 0, 0, 0,  0, 3, 4, 6, 0, 0, 0, 0,  1, 3, 4, 6, 0, 0, 0, 0,  0, 1, 3, 4, 6, 0, 0, 0,
  2, 3, 4, 6, 0, 0, 0, 0,  0, 2, 3, 4, 6, 0, 0, 0,  1, 2, 3, 4, 6, 0, 0, 0,  0, 1, 2, 3, 4, 6, 0, 0,
  5, 6, 0, 0, 0, 0, 0, 0,  0, 5, 6, 0, 0, 0, 0, 0,  1, 5, 6, 0, 0, 0, 0, 0,  0, 1, 5, 6, 0, 0, 0, 0,
  2, 5, 6, 0, 0, 0, 0, 0,  0, 2, 5, 6, 0, 0, 0, 0,  1, 2, 5, 6, 0, 0, 0, 0,  0, 1, 2, 5, 6, 0, 0, 0,
  3, 5, 6, 0, 0, 0, 0, 0,  0, 3, 5, 6, 0, 0, 0, 0,  1, 3, 5, 6, 0, 0, 0, 0,  0, 1, 3, 5, 6, 0, 0, 0,
  2, 3, 5, 6, 0, 0, 0, 0,  0, 2, 3, 5, 6, 0, 0, 0,  1, 2, 3, 5, 6, 0, 0, 0,  0, 1, 2, 3, 5, 6, 0, 0,
  4, 5, 6, 0, 0, 0, 0, 0,  0, 4, 5, 6, 0, 0, 0, 0,  1, 4, 5, 6, 0, 0, 0, 0,  0, 1, 4, 5, 6, 0, 0, 0,
  2, 4, 5, 6, 0, 0, 0, 0,  0, 2, 4, 5, 6, 0, 0, 0,  1, 2, 4, 5, 6, 0, 0, 0,  0, 1, 2, 4, 5, 6, 0, 0,
  3, 4, 5, 6, 0, 0, 0, 0,  0, 3, 4, 5, 6, 0, 0, 0,  1, 3, 4, 5, 6, 0, 0, 0,  0, 1, 3, 4, 5, 6, 0, 0,
  2, 3, 4, 5, 6, 0, 0, 0,  0, 2, 3, 4, 5, 6, 0, 0,  1, 2, 3, 4, 5, 6, 0, 0,  0, 1, 2, 3, 4, 5, 6, 0,
  7, 0, 0, 0, 0, 0, 0, 0,  0, 7, 0, 0, 0, 0, 0, 0,  1, 7, 0, 0, 0, 0, 0, 0,  0, 1, 7, 0, 0, 0, 0, 0,
  2, 7, 0, 0, 0, 0, 0, 0,  0, 2, 7, 0, 0, 0, 0, 0,  1, 2, 7, 0, 0, 0, 0, 0,  0, 1, 2, 7, 0, 0, 0, 0,
  3, 7, 0, 0, 0, 0, 0, 0,  0, 3, 7, 0, 0, 0, 0, 0,  1, 3, 7, 0, 0, 0, 0, 0,  0, 1, 3, 7, 0, 0, 0, 0,
  2, 3, 7, 0, 0, 0, 0, 0,  0, 2, 3, 7, 0, 0, 0, 0,  1, 2, 3, 7, 0, 0, 0, 0,  0, 1, 2, 3, 7, 0, 0, 0,
  4, 7, 0, 0, 0, 0, 0, 0,  0, 4, 7, 0, 0, 0, 0, 0,  1, 4, 7, 0, 0, 0, 0, 0,  0, 1, 4, 7, 0, 0, 0, 0,
  2, 4, 7, 0, 0, 0, 0, 0,  0, 2, 4, 7, 0, 0, 0, 0,  1, 2, 4, 7, 0, 0, 0, 0,  0, 1, 2, 4, 7, 0, 0, 0,
  3, 4, 7, 0, 0, 0, 0, 0,  0, 3, 4, 7, 0, 0, 0, 0,  1, 3, 4, 7, 0, 0, 0, 0,  0, 1, 3, 4, 7, 0, 0, 0,
  2, 3, 4, 7, 0, 0, 0, 0,  0, 2, 3, 4, 7, 0, 0, 0,  1, 2, 3, 4, 7, 0, 0, 0,  0, 1, 2, 3, 4, 7, 0, 0,
  5, 7, 0, 0, 0, 0, 0, 0,  0, 5, 7, 0, 0, 0, 0, 0,  1, 5, 7, 0, 0, 0, 0, 0,  0, 1, 5, 7, 0, 0, 0, 0,
  2, 5, 7, 0, 0, 0, 0, 0,  0, 2, 5, 7, 0, 0, 0, 0,  1, 2, 5, 7, 0, 0, 0, 0,  0, 1, 2, 5, 7, 0, 0, 0,
  3, 5, 7, 0, 0, 0, 0, 0,  0, 3, 5, 7, 0, 0, 0, 0,  1, 3, 5, 7, 0, 0, 0, 0,  0, 1, 3, 5, 7, 0, 0, 0,
  2, 3, 5, 7, 0, 0, 0, 0,  0, 2, 3, 5, 7, 0, 0, 0,  1, 2, 3, 5, 7, 0, 0, 0,  0, 1, 2, 3, 5, 7, 0, 0,
  4, 5, 7, 0, 0, 0, 0, 0,  0, 4, 5, 7, 0, 0, 0, 0,  1, 4, 5, 7, 0, 0, 0, 0,  0, 1, 4, 5, 7, 0, 0, 0,
  2, 4, 5, 7, 0, 0, 0, 0,  0, 2, 4, 5, 7, 0, 0, 0,  1, 2, 4, 5, 7, 0, 0, 0,  0, 1, 2, 4, 5, 7, 0, 0,
  3, 4, 5, 7, 0, 0, 0, 0,  0, 3, 4, 5, 7, 0, 0, 0,  1, 3, 4, 5, 7, 0, 0, 0,  0, 1, 3, 4, 5, 7, 0, 0,
  2, 3, 4, 5, 7, 0, 0, 0,  0, 2, 3, 4, 5, 7, 0, 0,  1, 2, 3, 4, 5, 7, 0, 0,  0, 1, 2, 3, 4, 5, 7, 0,
  6, 7, 0, 0, 0, 0, 0, 0,  0, 6, 7, 0, 0, 0, 0, 0,  1, 6, 7, 0, 0, 0, 0, 0,  0, 1, 6, 7, 0, 0, 0, 0,
  2, 6, 7, 0, 0, 0, 0, 0,  0, 2, 6, 7, 0, 0, 0, 0,  1, 2, 6, 7, 0, 0, 0, 0,  0, 1, 2, 6, 7, 0, 0, 0,
  3, 6, 7, 0, 0, 0, 0, 0,  0, 3, 6, 7, 0, 0, 0, 0,  1, 3, 6, 7, 0, 0, 0, 0,  0, 1, 3, 6, 7, 0, 0, 0,
  2, 3, 6, 7, 0, 0, 0, 0,  0, 2, 3, 6, 7, 0, 0, 0,  1, 2, 3, 6, 7, 0, 0, 0,  0, 1, 2, 3, 6, 7, 0, 0,
  4, 6, 7, 0, 0, 0, 0, 0,  0, 4, 6, 7, 0, 0, 0, 0,  1, 4, 6, 7, 0, 0, 0, 0,  0, 1, 4, 6, 7, 0, 0, 0,
  2, 4, 6, 7, 0, 0, 0, 0,  0, 2, 4, 6, 7, 0, 0, 0,  1, 2, 4, 6, 7, 0, 0, 0,  0, 1, 2, 4, 6, 7, 0, 0,
  3, 4, 6, 7, 0, 0, 0, 0,  0, 3, 4, 6, 7, 0, 0, 0,  1, 3, 4, 6, 7, 0, 0, 0,  0, 1, 3, 4, 6, 7, 0, 0,
  2, 3, 4, 6, 7, 0, 0, 0,  0, 2, 3, 4, 6, 7, 0, 0,  1, 2, 3, 4, 6, 7, 0, 0,  0, 1, 2, 3, 4, 6, 7, 0,
  5, 6, 7, 0, 0, 0, 0, 0,  0, 5, 6, 7, 0, 0, 0, 0,  1, 5, 6, 7, 0, 0, 0, 0,  0, 1, 5, 6, 7, 0, 0, 0,
  2, 5, 6, 7, 0, 0, 0, 0,  0, 2, 5, 6, 7, 0, 0, 0,  1, 2, 5, 6, 7, 0, 0, 0,  0, 1, 2, 5, 6, 7, 0, 0,
  3, 5, 6, 7, 0, 0, 0, 0,  0, 3, 5, 6, 7, 0, 0, 0,  1, 3, 5, 6, 7, 0, 0, 0,  0, 1, 3, 5, 6, 7, 0, 0,
  2, 3, 5, 6, 7, 0, 0, 0,  0, 2, 3, 5, 6, 7, 0, 0,  1, 2, 3, 5, 6, 7, 0, 0,  0, 1, 2, 3, 5, 6, 7, 0,
  4, 5, 6, 7, 0, 0, 0, 0,  0, 4, 5, 6, 7, 0, 0, 0,  1, 4, 5, 6, 7, 0, 0, 0,  0, 1, 4, 5, 6, 7, 0, 0,
  2, 4, 5, 6, 7, 0, 0, 0,  0, 2, 4, 5, 6, 7, 0, 0,  1, 2, 4, 5, 6, 7, 0, 0,  0, 1, 2, 4, 5, 6, 7, 0,
  3, 4, 5, 6, 7, 0, 0, 0,  0, 3, 4, 5, 6, 7, 0, 0,  1, 3, 4, 5, 6, 7, 0, 0,  0, 1, 3, 4, 5, 6, 7, 0,
  2, 3, 4, 5, 6, 7, 0, 0,  0, 2, 3, 4, 5, 6, 7, 0,  1, 2, 3, 4, 5, 6, 7, 0,  0, 1, 2, 3, 4, 5, 6, 7,
], 16);


/**
 * Active rows of plane (k, s) per batch row into activeRows, gRef·count into
 * ref, the plane's events into TALLY; returns the number of batch rows read.
 * The count is that of list slot (k, s), plus that of slot `extra` when ≥ 0
 * (paired mode: Z, the rows with both bits of the pair).
 */
@inline
function planeStats(
  batch: i32,
  listCounts: usize,
  bits: i32,
  k: i32,
  s: i32,
  extra: i32,
  activeRows: usize,
  ref: usize,
  gRef: f32,
  N: i32,
  columnSets: i32,
  gMinus: usize,
): i32 {
  let readsHere = 0;
  let activeHere = 0;
  for (let b = 0; b < batch; b++) {
    const cp = listCounts + (<usize>b * bits * 2 << 2);
    let c = load<i32>(cp + (<usize>(k * 2 + s) << 2));
    if (extra >= 0) c += load<i32>(cp + (<usize>extra << 2));
    store<i32>(activeRows + (<usize>b << 2), c);
    if (c == 0) continue;
    readsHere++;
    activeHere += c;
    store<f32>(ref + (<usize>b << 2), gRef * <f32>c);
  }
  store<f64>(readScratch + TALLY, load<f64>(readScratch + TALLY) + <f64>readsHere);
  store<f64>(readScratch + TALLY, load<f64>(readScratch + TALLY, 8) + <f64>activeHere, 8);
  store<f64>(readScratch + TALLY, load<f64>(readScratch + TALLY, 16) + <f64>readsHere * <f64>(N * columnSets + (gMinus == 0 && gRef != 0 ? 1 : 0)), 16);
  return readsHere;
}

/** Read noise (when on) on a plane's partial sums, then its ADC step into y. */
function finishPlane(
  batch: i32,
  N: i32,
  psA: usize,
  psB: usize,
  activeRows: usize,
  ref: usize,
  params: usize,
  noise: f32,
  seed: u32,
  stream: u32,
  stepId: u32,
  block: i32,
  bits: i32,
  k: i32,
  s: i32,
  columnSets: i32,
  outScale: f32,
  gMinus: usize,
  gRef: f32,
  y: usize,
  ldy: i32,
): void {
  if (noise != 0) {
    for (let b = 0; b < batch; b++) {
      const c = load<i32>(activeRows + (<usize>b << 2));
      if (c == 0) continue;
      const plane = (((<u64>block * <u64>bits + <u64>k) * 2 + <u64>s) * <u64>noiseBatch + <u64>(noiseRowFrom + b)) * <u64>(N * columnSets);
      addNoise(psA + <usize>b * N * 4, N, noise * Mathf.sqrt(<f32>c), seed, stream, stepId, plane);
      if (psB != 0) addNoise(psB + <usize>b * N * 4, N, noise * Mathf.sqrt(<f32>c), seed, stream, stepId, plane + <u64>N);
    }
  }
  const scale = outScale * <f32>(1 << k) * (s == 1 ? -1 : 1);
  adcAccumulate(batch, N, psA, psB, gMinus == 0 && gRef != 0 ? ref : 0, activeRows, params, scale, y, ldy);
}

/** Which signs the codes of batch × rowsHere (from column k0) have: bit 0 some positive, bit 1 some negative. */
function codeSigns(batch: i32, codes: usize, ldc: i32, k0: i32, rowsHere: i32): i32 {
  let pos = i32x4.splat(0);
  let neg = pos;
  let scalar = 0;
  for (let b = 0; b < batch; b++) {
    const row = codes + (<usize>b * ldc + k0) * 4;
    let i = 0;
    for (; i + 4 <= rowsHere; i += 4) {
      const q = v128.load(row + (<usize>i << 2));
      pos = v128.or(pos, i32x4.gt_s(q, i32x4.splat(0)));
      neg = v128.or(neg, q);
    }
    for (; i < rowsHere; i++) {
      const q = load<i32>(row + (<usize>i << 2));
      scalar |= (q > 0 ? 1 : 0) | (q < 0 ? 2 : 0);
    }
  }
  return scalar | (v128.any_true(pos) ? 1 : 0) | ((i32x4.bitmask(neg) != 0) ? 2 : 0);
}

/**
 * Lists of the paired mode for one batch row (codes of one sign, s): for each
 * pair of bits (k, k + 1), rows with only bit k go to slot (k, s), only bit
 * k + 1 to slot (k + 1, s), both to slot (k, 1 − s); the last bit of an odd
 * count to slot (k, s). Eight rows at a time through the table, as buildLists.
 */
function buildPairLists(cRow: usize, rowsHere: i32, bits: i32, lists: usize, listCounts: usize, planeRow: i32, blockRows: i32, s: i32): void {
  let i0 = 0;
  for (; i0 + 8 <= rowsHere; i0 += 8) {
    const qa = v128.load(cRow + (<usize>i0 << 2));
    const qb = v128.load(cRow + (<usize>i0 << 2), 16);
    const m = i16x8.narrow_i32x4_u(i32x4.abs(qa), i32x4.abs(qb));
    const base = i16x8.splat(<i16>i0);
    for (let k = 0; k < bits; k += 2) {
      const hk = i16x8.bitmask(i16x8.shl(m, 15 - k));
      const p = planeRow + k * 2;
      if (k + 1 == bits) {
        appendRows(lists, listCounts, p + s, blockRows, hk, base);
        break;
      }
      const hk1 = i16x8.bitmask(i16x8.shl(m, 14 - k));
      appendRows(lists, listCounts, p + s, blockRows, hk & ~hk1, base);
      appendRows(lists, listCounts, p + 2 + s, blockRows, hk1 & ~hk, base);
      appendRows(lists, listCounts, p + 1 - s, blockRows, hk & hk1, base);
    }
  }
  for (let i = i0; i < rowsHere; i++) {
    const q = load<i32>(cRow + (<usize>i << 2));
    if (q == 0) continue;
    const m = q < 0 ? -q : q;
    for (let k = 0; k < bits; k += 2) {
      const bk = (m >> k) & 1;
      const bk1 = k + 1 < bits ? (m >> (k + 1)) & 1 : 0;
      if (bk == 0 && bk1 == 0) continue;
      const p = planeRow + k * 2 + (bk != 0 && bk1 != 0 ? 1 - s : bk != 0 ? s : 2 + s);
      const cp = listCounts + (<usize>p << 2);
      const c = load<i32>(cp);
      store<u16>(lists + (<usize>(p * blockRows + c) << 1), <u16>i);
      store<i32>(cp, c + 1);
    }
  }
}

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

/** row[j] += σ·z_j, z_j element (base + j) of randomNormalFast(seed, stream, step), drawn a chunk at a time (SIMD, as the C2C noise). */
function addNoise(row: usize, N: i32, sigma: f32, seed: u32, stream: u32, step: u32, base: u64): void {
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

// For every batch row b with activeRows[b] ≠ 0: out[b·N : b·N + N] = sumRows of its list (lists + b·listStride).
function sumPlane(batch: i32, activeRows: usize, lists: usize, listStride: usize, g: usize, ldg: i32, N: i32, out: usize): void {
  for (let b = 0; b < batch; b++) {
    const c = load<i32>(activeRows + (<usize>b << 2));
    if (c != 0) sumRows(lists + <usize>b * listStride, c, g, ldg, N, out + <usize>b * N * 4, 0);
  }
}

// out[0:N] = Σ over the listed rows of g[row, 0:N], each column summed in list order, starting from 0 or, when
// `from` is not 0, from from[0:N] (which may be `out`). Seven accumulators
// (28 columns) at a time: V8 11.3 loads a row's vectors before adding them, so the loaded vectors and the
// accumulators are live together; with eight of each it spills an accumulator to the stack.
@inline
function sumRows(list: usize, count: i32, g: usize, ldg: i32, N: i32, out: usize, from: usize): void {
  const stride = <usize>ldg * 4;
  let j0 = 0;
  for (; j0 + 28 <= N; j0 += 28) {
    let s0 = f32x4.splat(0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    let s4 = s0;
    let s5 = s0;
    let s6 = s0;
    if (from != 0) {
      const f = from + (<usize>j0 << 2);
      s0 = v128.load(f);
      s1 = v128.load(f, 16);
      s2 = v128.load(f, 32);
      s3 = v128.load(f, 48);
      s4 = v128.load(f, 64);
      s5 = v128.load(f, 80);
      s6 = v128.load(f, 96);
    }
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
    }
    const o = out + (<usize>j0 << 2);
    v128.store(o, s0);
    v128.store(o, s1, 16);
    v128.store(o, s2, 32);
    v128.store(o, s3, 48);
    v128.store(o, s4, 64);
    v128.store(o, s5, 80);
    v128.store(o, s6, 96);
  }
  for (; j0 + 8 <= N; j0 += 8) {
    let s0 = f32x4.splat(0);
    let s1 = s0;
    if (from != 0) {
      s0 = v128.load(from + (<usize>j0 << 2));
      s1 = v128.load(from + (<usize>j0 << 2), 16);
    }
    const col = g + (<usize>j0 << 2);
    for (let t = 0; t < count; t++) {
      const p = col + <usize>load<u16>(list + (<usize>t << 1)) * stride;
      s0 = f32x4.add(s0, v128.load(p));
      s1 = f32x4.add(s1, v128.load(p, 16));
    }
    v128.store(out + (<usize>j0 << 2), s0);
    v128.store(out + (<usize>j0 << 2), s1, 16);
  }
  for (; j0 + 4 <= N; j0 += 4) {
    let s0 = from != 0 ? v128.load(from + (<usize>j0 << 2)) : f32x4.splat(0);
    const col = g + (<usize>j0 << 2);
    for (let t = 0; t < count; t++) s0 = f32x4.add(s0, v128.load(col + <usize>load<u16>(list + (<usize>t << 1)) * stride));
    v128.store(out + (<usize>j0 << 2), s0);
  }
  for (; j0 < N; j0++) {
    let s: f32 = from != 0 ? load<f32>(from + (<usize>j0 << 2)) : 0;
    const col = g + (<usize>j0 << 2);
    for (let t = 0; t < count; t++) s += load<f32>(col + <usize>load<u16>(list + (<usize>t << 1)) * stride);
    store<f32>(out + (<usize>j0 << 2), s);
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

/** w[i] = (g⁺[i] − g⁻[i])·gain, or (g⁺[i] − gRef)·gain when gMinus is 0: the weights the conductances realize. */
export function conductanceToWeight(n: i32, gPlus: usize, gMinus: usize, gRef: f32, gain: f32, w: usize): void {
  convertSpan(0, n, gPlus, gMinus, gRef, gain, w);
}

/**
 * conductanceToWeight over the rows (cols wide) that were programmed: row r
 * when any of the given i32 row arrays (0: absent) is nonzero at r — the rows
 * with a SET or RESET pulse of `program`. The other rows' conductances did not
 * move, so their weights stand.
 */
export function conductanceToWeightRows(
  rows: i32,
  cols: i32,
  gPlus: usize,
  gMinus: usize,
  gRef: f32,
  gain: f32,
  w: usize,
  rowsA: usize,
  rowsB: usize,
  rowsC: usize,
  rowsD: usize,
): void {
  for (let r = 0; r < rows; r++) {
    const o = <usize>r << 2;
    let written = load<i32>(rowsA + o) | load<i32>(rowsB + o);
    if (rowsC != 0) written |= load<i32>(rowsC + o);
    if (rowsD != 0) written |= load<i32>(rowsD + o);
    if (written != 0) convertSpan(r * cols, r * cols + cols, gPlus, gMinus, gRef, gain, w);
  }
}

// The same f32 operations four lanes at a time.
@inline
function convertSpan(start: i32, end: i32, gPlus: usize, gMinus: usize, gRef: f32, gain: f32, w: usize): void {
  const vRef = f32x4.splat(gRef);
  const vGain = f32x4.splat(gain);
  let i = start;
  if (gMinus != 0) {
    for (; i + 4 <= end; i += 4) {
      const o = <usize>i << 2;
      v128.store(w + o, f32x4.mul(f32x4.sub(v128.load(gPlus + o), v128.load(gMinus + o)), vGain));
    }
  } else {
    for (; i + 4 <= end; i += 4) {
      const o = <usize>i << 2;
      v128.store(w + o, f32x4.mul(f32x4.sub(v128.load(gPlus + o), vRef), vGain));
    }
  }
  for (; i < end; i++) {
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
