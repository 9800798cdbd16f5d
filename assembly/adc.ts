// The column ADCs of a crossbar read: every physical column through an identical converter (min–max,
// fixed-range or MLP+NeuroSim V3.0's truncating), and, when a read's batch rows are split between
// threads, the agreement on a min–max range over the whole batch.

import { READ_AT_ADC_BITS, READ_AT_ADC_HI, READ_AT_ADC_LO, READ_AT_ADC_MODE } from "./read-params";

// Set by the bit-serial read in progress (beginRangeAgreement): the threads' shared block (0: one
// thread), their count and this thread's index.
let rangeSync: usize = 0;
let rangeThreads: i32 = 1;
let rangeId: i32 = 0;
let rangeRounds: i32 = 0;
let agreedLo: f32 = 0;
let agreedHi: f32 = 0;

/** A read split between threads starts: its min–max ranges are agreed in `sync` from now on. */
export function beginRangeAgreement(sync: usize, threads: i32, id: i32): void {
  rangeSync = sync;
  rangeThreads = threads;
  rangeId = id;
  rangeRounds = 0;
}

/** The read ended: ranges are this thread's own again. */
export function endRangeAgreement(): void {
  rangeSync = 0;
}

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

