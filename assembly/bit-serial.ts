// Bit-serial reads: integer DAC codes applied one bit-plane at a time, each plane a sum of the rows
// whose code has that bit (additions only), digitized per sub-array and shifted and added.

import { adcAccumulate, beginRangeAgreement, endRangeAgreement } from "./adc";
import { addNoise, readTally } from "./read-noise";
import { READ_AT_GREF, READ_AT_NOISE, READ_AT_SEED, READ_AT_STEP, READ_AT_STREAM } from "./read-params";
import { ROW_TABLE } from "./tables/row-lists";

// The read in progress: its tallies in this instance's scratch, its first row and the batch the read
// noise is indexed by (the whole batch's, when threads split it).
let tally: usize = 0;
let noiseRowFrom: i32 = 0;
let noiseBatch: i32 = 0;

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
  if (sync != 0) beginRangeAgreement(sync, threads, id);
  tally = readTally();
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
  v128.store(tally, f64x2.splat(0));
  v128.store(tally, f64x2.splat(0), 16);
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
    reads += load<f64>(tally);
    active += load<f64>(tally, 8);
    conversions += load<f64>(tally, 16);
    v128.store(tally, f64x2.splat(0));
    v128.store(tally, f64x2.splat(0), 16);
  }
  store<f64>(counts, load<f64>(counts) + reads);
  store<f64>(counts, load<f64>(counts, 8) + active, 8);
  store<f64>(counts, load<f64>(counts, 16) + conversions, 16);
  endRangeAgreement();
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
  store<f64>(tally, load<f64>(tally) + <f64>readsHere);
  store<f64>(tally, load<f64>(tally, 8) + <f64>activeHere, 8);
  store<f64>(tally, load<f64>(tally, 16) + <f64>readsHere * <f64>(N * columnSets + (gMinus == 0 && gRef != 0 ? 1 : 0)), 16);
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

