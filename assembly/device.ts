// Synaptic devices: the nonlinearity label ↔ curve constant, device-to-device
// draws, and programming a whole array with pulses.
//
// Conductance curve (NeuroSim manual Eq. 8.1–8.3, restated): after P of Pmax
// potentiating pulses a device sits at
//   u(P) = B·(1 − e^(−P/A)),  B = 1 / (1 − e^(−Pmax/A)),
// where u = (G − Gmin)/(Gmax − Gmin) ∈ [0, 1] and A = A_norm·Pmax. Depression
// walks the same form backward with its own A (same sign: one concave curve
// retraced, "symmetric"; opposite sign: steep near Gmax, "asymmetric").

import { bmAngle4, bmRadius4, PHILOX_KEY_BYTES, philox8, philoxKeys, philoxNormalAt, philoxUniformAt, uniform16 } from "./random";

// ---- nonlinearity label ↔ normalized A ------------------------------------

// The label is ≈ 10.1 × the largest vertical gap between the normalized LTP
// curve g_A(x) = (1 − e^(−x/A))/(1 − e^(−1/A)) and the line x, on x ∈ [0, 1]:
// max_x (g_A(x) − x) = NL_GAP·NL, NL_GAP = 0.07·√2: the rule that generates DNN+NeuroSim V2.1's
// 900-entry label → A table (Nonlinearity-NormA.htm, GetParamA), derived from the table itself.
const NL_GAP: f64 = 0.098995;

/** max over x ∈ [0, 1] of g_A(x) − x for A > 0, at x* = −A·ln(A·(1 − e^(−1/A))). */
export function curveGap(a: f64): f64 {
  const d = 1 - Math.exp(-1 / a);
  let x = -a * Math.log(a * d);
  if (x < 0) x = 0;
  if (x > 1) x = 1;
  return (1 - Math.exp(-x / a)) / d - x;
}

/**
 * Normalized curve constant A for a nonlinearity label, by bisection on the
 * (decreasing) gap: sign(NL)·A(|NL|). |NL| below 0.01 is taken as 0.01, as
 * NeuroSim's table does; NL = 0 means linear and returns +Infinity.
 */
export function nlToA(nl: f64): f64 {
  if (nl == 0) return Infinity;
  const target = NL_GAP * max(Math.abs(nl), 0.01);
  // The gap tends to 0 as A → ∞ and to 1 as A → 0; [1e-4, 1e4] brackets |NL| ∈ [0.01, 10].
  let lo: f64 = 1e-4;
  let hi: f64 = 1e4;
  for (let i = 0; i < 200; i++) {
    const mid = Math.sqrt(lo * hi);
    if (curveGap(mid) > target) lo = mid;
    else hi = mid;
    if (hi / lo < 1 + 1e-15) break;
  }
  const a = Math.sqrt(lo * hi);
  return nl < 0 ? -a : a;
}

/** The label of a normalized curve constant (inverse of nlToA). */
export function aToNl(a: f64): f64 {
  if (!isFinite(a)) return 0;
  const nl = curveGap(Math.abs(a)) / NL_GAP;
  return a < 0 ? -nl : nl;
}

// ---- device-to-device draws -------------------------------------------------

/**
 * Per-device normalized curve constants: A_i = nlToA(nl + σ·z_i), with z_i the
 * standard normal element i of (seed, stream, step = 0). A label whose draw
 * crosses 0 keeps the nominal sign at |NL| = 0.01 (the device cannot change
 * curvature direction). `levels`-independent: the kernel multiplies by Pmax.
 */
export function drawCurveConstants(n: i32, nl: f64, sigma: f64, seed: u32, stream: u32, out: usize): void {
  for (let i = 0; i < n; i++) {
    let label = nl + sigma * <f64>philoxNormalAt(seed, stream, 0, <u64>i);
    if (nl != 0 && (label == 0 || (label > 0) != (nl > 0))) label = nl > 0 ? 0.01 : -0.01;
    store<f32>(out + (<usize>i << 2), <f32>nlToA(label));
  }
}

/**
 * Per-device bounds with D2D variation: gMax_i = gMax·(1 + σmax·z), gMin_i =
 * gMin·(1 + σmin·z′) (z from element 2i, z′ from 2i + 1 of the stream), kept
 * positive and ordered.
 */
export function drawBounds(
  n: i32,
  gMin: f32,
  gMax: f32,
  sigmaMin: f32,
  sigmaMax: f32,
  seed: u32,
  stream: u32,
  outMin: usize,
  outMax: usize,
): void {
  for (let i = 0; i < n; i++) {
    let hi = gMax * (1 + sigmaMax * philoxNormalAt(seed, stream, 0, <u64>(2 * i)));
    let lo = gMin * (1 + sigmaMin * philoxNormalAt(seed, stream, 0, <u64>(2 * i + 1)));
    if (lo < gMin * 0.01) lo = gMin * 0.01;
    if (hi <= lo) hi = lo * 1.001;
    store<f32>(outMin + (<usize>i << 2), lo);
    store<f32>(outMax + (<usize>i << 2), hi);
  }
}

/**
 * Stuck-at faults: flag[i] = 1 (stuck at its gMin) when u_i < pMin, 2 (stuck
 * at its gMax) when u_i < pMin + pMax, else 0; u_i uniform element i. Stuck
 * devices are set to their bound.
 */
export function drawFaults(
  n: i32,
  pMin: f32,
  pMax: f32,
  seed: u32,
  stream: u32,
  flags: usize,
  g: usize,
  gMinArr: usize,
  gMaxArr: usize,
  gMin: f32,
  gMax: f32,
): i32 {
  let stuck = 0;
  for (let i = 0; i < n; i++) {
    const u = philoxUniformAt(seed, stream, 0, <u64>i);
    const o = <usize>i << 2;
    let f: u8 = 0;
    if (u < pMin) {
      f = 1;
      store<f32>(g + o, gMinArr != 0 ? load<f32>(gMinArr + o) : gMin);
    } else if (u < pMin + pMax) {
      f = 2;
      store<f32>(g + o, gMaxArr != 0 ? load<f32>(gMaxArr + o) : gMax);
    }
    store<u8>(flags + <usize>i, f);
    if (f != 0) stuck++;
  }
  return stuck;
}

// ---- programming --------------------------------------------------------------

/** Parameters of one `program` call, written by the host at `p` (f64 and u32 slots, see PROGRAM_* offsets). */
export const PROGRAM_PARAM_BYTES: i32 = 128;

// f64 slots
export const PROGRAM_AT_DW_SCALE: usize = 0; // pulses per unit of dw, before × levels: p = dw·dwScale·levels_dir
export const PROGRAM_AT_GMIN: usize = 8; // nominal bounds (S), used where no per-device array is given
export const PROGRAM_AT_GMAX: usize = 16;
export const PROGRAM_AT_A_LTP: usize = 24; // nominal normalized curve constants (Infinity: linear)
export const PROGRAM_AT_A_LTD: usize = 32;
export const PROGRAM_AT_LEVELS_LTP: usize = 40;
export const PROGRAM_AT_LEVELS_LTD: usize = 48;
export const PROGRAM_AT_C2C: usize = 56; // σ as a fraction of (gMax − gMin) nominal
export const PROGRAM_AT_THRESHOLD: usize = 64; // |desired pulses| below this is no update (before rounding)
// u32 slots
export const PROGRAM_AT_ROUNDING: usize = 96; // 0 nearest (ties to even), 1 stochastic floor(x + U)
export const PROGRAM_AT_C2C_SQRT: usize = 100; // 0 once per update, 1 × √|pulses|
export const PROGRAM_AT_SEED: usize = 104;
export const PROGRAM_AT_STREAM_C2C: usize = 108;
export const PROGRAM_AT_STREAM_ROUND: usize = 112;
export const PROGRAM_AT_STEP: usize = 116;

/**
 * Writes weights w (f32, clamped to [−1, 1]) into n devices directly (write
 * and verify, no pulse model): G = mid + slope·w, rounded to f32, clamped to
 * the device's bounds (per-device gMinArr/gMaxArr, or gMin/gMax when 0), in
 * f64. Stuck devices (flags nonzero; 0: none) keep their conductance.
 */
export function writeWeights(n: i32, w: usize, mid: f64, slope: f64, g: usize, gMinArr: usize, gMaxArr: usize, flags: usize, gMin: f64, gMax: f64): void {
  for (let i = 0; i < n; i++) {
    if (flags != 0 && load<u8>(flags + <usize>i) != 0) continue;
    const o = <usize>i << 2;
    const v = max(-1.0, min(1.0, <f64>load<f32>(w + o)));
    const target = <f64><f32>(mid + v * slope);
    const lo = gMinArr != 0 ? <f64>load<f32>(gMinArr + o) : gMin;
    const hi = gMaxArr != 0 ? <f64>load<f32>(gMaxArr + o) : gMax;
    store<f32>(g + o, <f32>min(hi, max(lo, target)));
  }
}

/** Totals written by rewriteCounts at `counts` (f64 × 5): SET pulses, RESET pulses, devices moved, rows written, write pulse slots. */
export const REWRITE_COUNT_SLOTS: i32 = 5;

/**
 * Counts what writing rows × cols normalized weights (row-major) from `old`
 * (0: all zero) to `now` costs on devices of `levels` pulses over the range
 * [−1, 1] (one pulse moves a weight 2/levels). A weight that moves by
 * d = |now − old|·scale·levels/2 pulses takes, by `mode`: 0 (write and
 * verify to a new level) ⌈d⌉ when d ≥ 1 (DNN+NeuroSim's write estimate,
 * ⌈ΔG / ((Gmax − Gmin)/levels)⌉ per cell that moves at least one step);
 * 1 (pulses rounded to nearest) d rounded half to even; 2 (stochastic
 * rounding) d, the expected count. SET when it rises. Rows are written one after another:
 * a row's time is its most SET plus its most RESET pulses. Adds 1 to
 * writesA[i] and writesB[i] (u32, when not 0) for every device written.
 * Adds the totals to `counts` (REWRITE_COUNT_SLOTS f64).
 */
export function rewriteCounts(
  rows: i32,
  cols: i32,
  old: usize,
  now: usize,
  scale: f64,
  levels: f64,
  mode: i32,
  writesA: usize,
  writesB: usize,
  counts: usize,
): void {
  const perUnit = scale * levels * 0.5;
  let set = 0.0;
  let reset = 0.0;
  let moved = 0.0;
  let rowsWritten = 0.0;
  let slots = 0.0;
  for (let r = 0; r < rows; r++) {
    let maxSet = 0.0;
    let maxReset = 0.0;
    for (let c = 0; c < cols; c++) {
      const o = <usize>(r * cols + c) << 2;
      const from = old != 0 ? <f64>load<f32>(old + o) : 0.0;
      const to = <f64>load<f32>(now + o);
      const d = Math.abs(to - from) * perUnit;
      const p = mode == 0 ? (d < 1 ? 0 : Math.ceil(d)) : mode == 1 ? nearest<f64>(d) : d;
      if (p == 0) continue;
      if (to > from) {
        set += p;
        maxSet = max(maxSet, p);
      } else {
        reset += p;
        maxReset = max(maxReset, p);
      }
      moved += 1;
      if (writesA != 0) store<u32>(writesA + o, load<u32>(writesA + o) + 1);
      if (writesB != 0) store<u32>(writesB + o, load<u32>(writesB + o) + 1);
    }
    if (maxSet + maxReset > 0) {
      rowsWritten += 1;
      slots += maxSet + maxReset;
    }
  }
  store<f64>(counts, load<f64>(counts) + set);
  store<f64>(counts + 8, load<f64>(counts + 8) + reset);
  store<f64>(counts + 16, load<f64>(counts + 16) + moved);
  store<f64>(counts + 24, load<f64>(counts + 24) + rowsWritten);
  store<f64>(counts + 32, load<f64>(counts + 32) + slots);
}

/** Totals written at `counts` (f64 × 4): SET pulses, RESET pulses, devices that moved or were pulsed, devices pulsed while stuck. */
export const PROGRAM_COUNT_SLOTS: i32 = 4;

/**
 * Programs rows × cols devices (row-major, contiguous) with desired changes
 * `dw` (f32, in weight units; positive = potentiate). Per device: desired
 * pulses x = dw·dwScale·levels_dir → integer p (nearest, ties to even, or
 * stochastic floor(x + U_i) with U_i element i of randomUniform(seed,
 * streamRound, step); x and x + U as f64 arithmetic gives them) → walk the
 * device's LTP (p > 0) or LTD (p < 0) curve from its current conductance →
 * C2C noise (if it was pulsed) → clamp to its [gMin, gMax]. Stuck devices do
 * not move but are pulsed. Optional per-device arrays (0 = use the nominal
 * value): aLtp, aLtd (normalized curve constants), gMinArr, gMaxArr, flags
 * (u8, nonzero = stuck). Writes, when not 0: rowMaxSet / rowMaxReset (i32 per
 * row: the most SET / RESET pulses any device of the row received — rows are
 * written one after another, columns in parallel) and pulsesOut (i32 per
 * device, signed); adds 1 to wear[i] (u32 per device) for every device pulsed.
 * Adds the totals to `counts`.
 *
 * The walk is evaluated in f32, four devices per SIMD vector, in closed
 * form: with u = (G − gMin)/(gMax − gMin) clamped to [0, 1], a the device's
 * normalized curve constant for the direction, L its levels, m = −1/a
 * (clamped to ±87: devices with |a| < 1/87 saturate) and s = p/L,
 *   u′ = clamp(u·e^(m·s) + expm1(m·s)/expm1(m), 0, 1)
 * (u′ = clamp(u + s, 0, 1) for a linear device, a = ±∞) — the walk along
 * u(P) = B·(1 − e^(−P/(a·L))) with P clamped to [0, L]. expm1 is a
 * polynomial accurate to a few f32 ulp, so the new conductance gMin +
 * u′·span (exactly gMax at u′ = 1) is within a few ulp of the exact curve
 * (times the curve's own conditioning e^(|m·s|) on the rounding of u). The C2C noise of device i is
 * σ·z_i with z_i element i of randomNormalFast(seed, streamC2c, step) (σ ×
 * √|p| in the √pulses mode).
 */
export function program(
  rows: i32,
  cols: i32,
  g: usize,
  dw: usize,
  params: usize,
  aLtp: usize,
  aLtd: usize,
  gMinArr: usize,
  gMaxArr: usize,
  flags: usize,
  rowMaxSet: usize,
  rowMaxReset: usize,
  pulsesOut: usize,
  wear: usize,
  counts: usize,
): void {
  programRows(0, rows, rows, cols, g, dw, params, aLtp, aLtd, gMinArr, gMaxArr, flags, rowMaxSet, rowMaxReset, pulsesOut, wear, counts);
}

/**
 * `program` for rows rowFrom … rowTo − 1 of the array only (every pointer still addresses the whole
 * array; a device's random draws depend on its index, not on the range). Threads may program
 * disjoint ranges at once when each range starts and ends at a device index that is a multiple of
 * 16: the kernel rewrites whole 16-device windows.
 */
export function programRows(
  rowFrom: i32,
  rowTo: i32,
  rows: i32,
  cols: i32,
  g: usize,
  dw: usize,
  params: usize,
  aLtp: usize,
  aLtd: usize,
  gMinArr: usize,
  gMaxArr: usize,
  flags: usize,
  rowMaxSet: usize,
  rowMaxReset: usize,
  pulsesOut: usize,
  wear: usize,
  counts: usize,
): void {
  const sc = scratch;
  const dwScale = load<f64>(params + PROGRAM_AT_DW_SCALE);
  const gMinNom = <f32>load<f64>(params + PROGRAM_AT_GMIN);
  const gMaxNom = <f32>load<f64>(params + PROGRAM_AT_GMAX);
  const aLtpNom = load<f64>(params + PROGRAM_AT_A_LTP);
  const aLtdNom = load<f64>(params + PROGRAM_AT_A_LTD);
  const levelsLtp = load<f64>(params + PROGRAM_AT_LEVELS_LTP);
  const levelsLtd = load<f64>(params + PROGRAM_AT_LEVELS_LTD);
  const c2cSigma = <f32>(load<f64>(params + PROGRAM_AT_C2C) * <f64>(gMaxNom - gMinNom));
  const threshold = load<f64>(params + PROGRAM_AT_THRESHOLD);
  const seed = load<u32>(params + PROGRAM_AT_SEED);
  const step = load<u32>(params + PROGRAM_AT_STEP);
  const stochastic = load<u32>(params + PROGRAM_AT_ROUNDING) == 1;
  pSqrt = load<u32>(params + PROGRAM_AT_C2C_SQRT) == 1;
  pNoise = c2cSigma != 0;
  pSymmetric = levelsLtp == levelsLtd;
  // Nearest rounding in f32 gives the f64 result exactly when dw·dwScale·levels is exact in f64 (±dwScale a
  // power of two, integer levels ≤ 2^22) and the threshold test cannot differ (threshold 0, or an exact f32 product);
  // the one case left, an f32 product landing on a half-integer, is redone in f64.
  const exactProducts = isPowerOfTwo(Math.abs(dwScale * levelsLtp)) && isPowerOfTwo(Math.abs(dwScale * levelsLtd));
  const fast32 =
    isPowerOfTwo(Math.abs(dwScale)) && isSmallInteger(levelsLtp) && isSmallInteger(levelsLtd) && (threshold == 0 || exactProducts);
  pMode = stochastic ? MODE_STOCHASTIC : fast32 ? MODE_NEAREST32 : MODE_NEAREST64;
  pExact = exactProducts; // exact f32 products: no half-integer can be a rounded one
  pThreshold0 = threshold == 0;
  v128.store(sc + PT, f64x2.splat(dwScale), T_DWSCALE);
  v128.store(sc + PT, f64x2.splat(levelsLtp), T_LEV_LTP64);
  v128.store(sc + PT, f64x2.splat(levelsLtd), T_LEV_LTD64);
  v128.store(sc + PT, f64x2.splat(-levelsLtp), T_NLEV_LTP64);
  v128.store(sc + PT, f64x2.splat(-levelsLtd), T_NLEV_LTD64);
  v128.store(sc + PT, f64x2.splat(threshold), T_THRESHOLD);
  v128.store(sc + PT, f32x4.splat(<f32>(1 / levelsLtp)), T_INVL_LTP);
  v128.store(sc + PT, f32x4.splat(<f32>(1 / levelsLtd)), T_INVL_LTD);
  v128.store(sc + PT, f32x4.splat(c2cSigma), T_SIGMA);
  v128.store(sc + PT, f32x4.splat(<f32>(dwScale * levelsLtp)), T_C_LTP);
  v128.store(sc + PT, f32x4.splat(<f32>(dwScale * levelsLtd)), T_C_LTD);
  v128.store(sc + PT, f32x4.splat(<f32>levelsLtp), T_L_LTP);
  v128.store(sc + PT, f32x4.splat(<f32>levelsLtd), T_L_LTD);
  v128.store(sc + PT, f32x4.splat(<f32>-levelsLtp), T_NL_LTP);
  v128.store(sc + PT, f32x4.splat(<f32>-levelsLtd), T_NL_LTD);
  let thr32 = <f32>threshold;
  if (<f64>thr32 < threshold) thr32 = reinterpret<f32>(reinterpret<u32>(thr32) + 1); // smallest f32 ≥ threshold (threshold ≥ 0)
  v128.store(sc + PT, f32x4.splat(thr32), T_THR32);
  // Absent per-device arrays read a block of nominal values instead.
  if (aLtp == 0) fillBlock(sc + NOM_ALTP, <f32>aLtpNom);
  if (aLtd == 0) fillBlock(sc + NOM_ALTD, <f32>aLtdNom);
  if (gMinArr == 0) fillBlock(sc + NOM_GMIN, gMinNom);
  if (gMaxArr == 0) fillBlock(sc + NOM_GMAX, gMaxNom);
  if (pNoise) philoxKeys(seed, load<u32>(params + PROGRAM_AT_STREAM_C2C), step, sc + KEYS_C2C);
  if (stochastic) philoxKeys(seed, load<u32>(params + PROGRAM_AT_STREAM_ROUND), step, sc + KEYS_ROUND);

  let setTotal: f64 = 0;
  let resetTotal: f64 = 0;
  let touched: f64 = 0;
  let stuckPulsed: f64 = 0;
  const zero = i32x4.splat(0);
  const n = rows * cols;
  for (let r = rowFrom; r < rowTo; r++) {
    for (let s = 0; s < 6; s++) v128.store(sc + ACC + (<usize>s << 4), zero);
    pQuads = 0;
    const rowStart = r * cols;
    const rowEnd = rowStart + cols;
    if (rowIsZero(dw, rowStart, rowEnd)) {
      // No device of the row is pulsed (a zero change rounds to no pulse in every mode): nothing moves or counts.
      if (rowMaxSet != 0) store<i32>(rowMaxSet + (<usize>r << 2), 0);
      if (rowMaxReset != 0) store<i32>(rowMaxReset + (<usize>r << 2), 0);
      if (pulsesOut != 0) memory.fill(pulsesOut + (<usize>rowStart << 2), 0, <usize>cols << 2);
      continue;
    }
    let w = rowStart & ~15;
    while (w < rowEnd) {
      // Whole 16-device windows inside the row go straight through, up to CHUNK at a time; a window
      // cut by the row's start or end is staged alone.
      const count = w < rowStart || w + 16 > rowEnd ? 16 : min(CHUNK, (rowEnd - w) & ~15);
      const end = w + count;
      const o = <usize>w << 2;
      const whole = w >= rowStart && end <= rowEnd;
      if (whole || end <= n) {
        // Whole windows go straight through; a window cut by the row's ends, inside the array, too, with the
        // outside lanes' changes zeroed so that they get no pulse and keep their conductance (rewritten unchanged).
        const first = max(w, rowStart);
        const last = min(end, rowEnd);
        if (!whole) maskWindow(dw + o, w, first, last);
        programChunk(
          w,
          count >> 2,
          whole ? dw + o : sc + S_DW,
          g + o,
          aLtp != 0 ? aLtp + o : sc + NOM_ALTP,
          aLtd != 0 ? aLtd + o : sc + NOM_ALTD,
          gMinArr != 0 ? gMinArr + o : sc + NOM_GMIN,
          gMaxArr != 0 ? gMaxArr + o : sc + NOM_GMAX,
          flags != 0 ? flags + <usize>w : 0,
          whole && pulsesOut != 0 ? pulsesOut + o : sc + S_PULSES,
          wear != 0 ? wear + o : 0,
        );
        if (!whole && pulsesOut != 0) for (let i = first; i < last; i++) store<i32>(pulsesOut + (<usize>i << 2), load<i32>(sc + S_PULSES + (<usize>(i - w) << 2)));
      } else {
        // The array's last window, running past its end: on a staged copy whose outside lanes get no pulses.
        // Absent per-device arrays need no copy: their block of nominal values is the same everywhere.
        const first = max(w, rowStart);
        const last = min(end, rowEnd);
        for (let i = w; i < end; i++) {
          const inside = i >= first && i < last;
          const oi = <usize>i << 2;
          const os = <usize>(i - w) << 2;
          store<f32>(sc + S_DW + os, inside ? load<f32>(dw + oi) : 0);
          store<f32>(sc + S_G + os, inside ? load<f32>(g + oi) : 0);
          if (aLtp != 0) store<f32>(sc + S_ALTP + os, inside ? load<f32>(aLtp + oi) : <f32>aLtpNom);
          if (aLtd != 0) store<f32>(sc + S_ALTD + os, inside ? load<f32>(aLtd + oi) : <f32>aLtdNom);
          if (gMinArr != 0) store<f32>(sc + S_GMIN + os, inside ? load<f32>(gMinArr + oi) : gMinNom);
          if (gMaxArr != 0) store<f32>(sc + S_GMAX + os, inside ? load<f32>(gMaxArr + oi) : gMaxNom);
          if (flags != 0) store<u8>(sc + S_FLAGS + <usize>(i - w), inside ? load<u8>(flags + <usize>i) : 0);
        }
        programChunk(
          w,
          count >> 2,
          sc + S_DW,
          sc + S_G,
          aLtp != 0 ? sc + S_ALTP : sc + NOM_ALTP,
          aLtd != 0 ? sc + S_ALTD : sc + NOM_ALTD,
          gMinArr != 0 ? sc + S_GMIN : sc + NOM_GMIN,
          gMaxArr != 0 ? sc + S_GMAX : sc + NOM_GMAX,
          flags != 0 ? sc + S_FLAGS : 0,
          sc + S_PULSES,
          0,
        );
        for (let i = first; i < last; i++) {
          const os = <usize>(i - w) << 2;
          store<f32>(g + (<usize>i << 2), load<f32>(sc + S_G + os));
          const p = load<i32>(sc + S_PULSES + os);
          if (pulsesOut != 0) store<i32>(pulsesOut + (<usize>i << 2), p);
          if (wear != 0 && p != 0) store<u32>(wear + (<usize>i << 2), load<u32>(wear + (<usize>i << 2)) + 1);
        }
      }
      w = end;
    }
    const maxSet = hmax(v128.load(sc + ACC, A_MAXP));
    const maxReset = -hmin(v128.load(sc + ACC, A_MINP));
    if (rowMaxSet != 0) store<i32>(rowMaxSet + (<usize>r << 2), maxSet);
    if (rowMaxReset != 0) store<i32>(rowMaxReset + (<usize>r << 2), maxReset);
    setTotal += hsum(v128.load(sc + ACC, A_SET));
    resetTotal += hsum(v128.load(sc + ACC, A_RESET));
    // Lanes of processed quads that did not move count −1 in A_STILL; stuck and pulsed lanes −1 in A_STUCK.
    touched += <f64>(4 * pQuads) + hsum(v128.load(sc + ACC, A_STILL));
    stuckPulsed -= hsum(v128.load(sc + ACC, A_STUCK));
  }
  store<f64>(counts, load<f64>(counts) + setTotal);
  store<f64>(counts, load<f64>(counts, 8) + resetTotal, 8);
  store<f64>(counts, load<f64>(counts, 16) + touched, 16);
  store<f64>(counts, load<f64>(counts, 24) + stuckPulsed, 24);
}

/** Whether dw[start : end] is all ±0 (NaN is not). */
function rowIsZero(dw: usize, start: i32, end: i32): bool {
  const magnitude = i32x4.splat(0x7fffffff);
  let i = start;
  for (; i + 16 <= end; i += 16) {
    const o = dw + (<usize>i << 2);
    const bits = v128.or(v128.or(v128.load(o), v128.load(o, 16)), v128.or(v128.load(o, 32), v128.load(o, 48)));
    if (v128.any_true(v128.and(bits, magnitude))) return false;
  }
  for (; i < end; i++) if ((load<u32>(dw + (<usize>i << 2)) & 0x7fffffff) != 0) return false;
  return true;
}

/** S_DW ← the 16 changes at `src` (devices w …), zero outside devices first … last − 1. */
function maskWindow(src: usize, w: i32, first: i32, last: i32): void {
  const sc = scratch;
  const lanes = v128.load(DC);
  for (let q = 0; q < 4; q++) {
    const index = i32x4.add(i32x4.splat(w + (q << 2)), lanes);
    const inside = v128.and(i32x4.ge_s(index, i32x4.splat(first)), i32x4.lt_s(index, i32x4.splat(last)));
    v128.store(sc + S_DW + (<usize>q << 4), v128.and(v128.load(src + (<usize>q << 4)), inside));
  }
}

function isPowerOfTwo(x: f64): bool {
  if (!(x > 0) || !isFinite(x)) return false;
  return (reinterpret<u64>(x) & 0x000fffffffffffff) == 0;
}

function isSmallInteger(x: f64): bool {
  return x >= 1 && x <= 4194304 && Math.floor(x) == x;
}

function fillBlock(p: usize, v: f32): void {
  const s = f32x4.splat(v);
  for (let i = 0; i < CHUNK; i += 4) v128.store(p + (<usize>i << 2), s);
}

// Devices per chunk: the passes of programChunk run over this many at a time.
const CHUNK = 128;
const CHUNK_BYTES = CHUNK * 4;
const MODE_NEAREST32 = 0;
const MODE_NEAREST64 = 1;
const MODE_STOCHASTIC = 2;
// Per-call splats (PT), written by `program`.
const T_DWSCALE = 0; // f64x2
const T_LEV_LTP64 = 16;
const T_LEV_LTD64 = 32;
const T_NLEV_LTP64 = 48;
const T_NLEV_LTD64 = 64;
const T_THRESHOLD = 80;
const T_INVL_LTP = 96; // f32x4
const T_INVL_LTD = 112;
const T_SIGMA = 128;
const T_C_LTP = 144; // dwScale·levels
const T_C_LTD = 160;
const T_L_LTP = 176;
const T_L_LTD = 192;
const T_NL_LTP = 208;
const T_NL_LTD = 224;
const T_THR32 = 240;
const PT: usize = 0;
const KEYS_C2C: usize = PT + 256;
const KEYS_ROUND: usize = KEYS_C2C + PHILOX_KEY_BYTES;
// Nominal values for absent per-device arrays.
const NOM_ALTP: usize = KEYS_ROUND + PHILOX_KEY_BYTES;
const NOM_ALTD: usize = NOM_ALTP + CHUNK_BYTES;
const NOM_GMIN: usize = NOM_ALTD + CHUNK_BYTES;
const NOM_GMAX: usize = NOM_GMIN + CHUNK_BYTES;
// Per-chunk scratch.
const C_WORDS: usize = NOM_GMAX + CHUNK_BYTES; // Philox words: 64 B per window of 16 (rounding) or group of 32 (C2C)
const C_TMP: usize = C_WORDS + CHUNK_BYTES + 64;
const C_R: usize = C_TMP + CHUNK_BYTES;
const C_UNIF: usize = C_R + CHUNK_BYTES / 2;
const C_NOISE: usize = C_UNIF + CHUNK_BYTES;
const C_P: usize = C_NOISE + CHUNK_BYTES + 64;
const C_STILL: usize = C_P + CHUNK_BYTES;
const C_U: usize = C_STILL + CHUNK_BYTES;
const C_S: usize = C_U + CHUNK_BYTES;
const C_X: usize = C_S + CHUNK_BYTES; // m·s for the chunk's quads, then m
const C_ANY: usize = C_X + 2 * CHUNK_BYTES; // i32 per window: any pulse (entries past the chunk are stale: they only cost work)
// Staged copy of a chunk cut by a row end.
const S_DW: usize = C_ANY + CHUNK / 4 + 16;
const S_G: usize = S_DW + CHUNK_BYTES;
const S_ALTP: usize = S_G + CHUNK_BYTES;
const S_ALTD: usize = S_ALTP + CHUNK_BYTES;
const S_GMIN: usize = S_ALTD + CHUNK_BYTES;
const S_GMAX: usize = S_GMIN + CHUNK_BYTES;
const S_PULSES: usize = S_GMAX + CHUNK_BYTES;
const S_FLAGS: usize = S_PULSES + CHUNK_BYTES;
// Row accumulators (i32x4): most positive p, most negative p, Σ SET, Σ RESET, −(lanes not moved), −(stuck lanes pulsed).
const A_MAXP = 0;
const A_MINP = 16;
const A_SET = 32;
const A_RESET = 48;
const A_STILL = 64;
const A_STUCK = 80;
const ACC: usize = S_FLAGS + CHUNK;
let pMode = 0;
let pSqrt = false;
let pNoise = false;
let pSymmetric = false;
let pExact = false;
let pThreshold0 = false;
let pQuads = 0;

// The buffers above are offsets into one block of scratch per instance: the module's own static
// block, or one given to a kernel thread, so threads programming different rows share nothing.
// Each function reads the base once (a local), not per access.
/** Bytes of a programming thread's scratch. */
export const PROGRAM_SCRATCH_BYTES: i32 = 256 + 2 * PHILOX_KEY_BYTES + 21 * CHUNK_BYTES + 2 * 64 + CHUNK_BYTES / 2 + CHUNK / 4 + 16 + CHUNK + 96;
let scratch: usize = memory.data(PROGRAM_SCRATCH_BYTES, 16);
/** Points this instance's programming scratch at `base` (PROGRAM_SCRATCH_BYTES, 16-byte aligned). */
export function useProgramScratch(base: usize): void {
  scratch = base;
}

// Constants (16-byte splats).
// prettier-ignore
const DC: usize = memory.data<u32>([
  0, 1, 2, 3, // 0 lane index
  0x3fb8aa3b, 0x3fb8aa3b, 0x3fb8aa3b, 0x3fb8aa3b, // 16 log2(e)
  0x4b400000, 0x4b400000, 0x4b400000, 0x4b400000, // 32 1.5·2^23 (round to integer)
  0x3f318000, 0x3f318000, 0x3f318000, 0x3f318000, // 48 ln2 hi 0.693359375
  0xb95e8083, 0xb95e8083, 0xb95e8083, 0xb95e8083, // 64 ln2 lo −2.12194440e-4
  0x39506967, 0x39506967, 0x39506967, 0x39506967, // 80 expf P0 1.9875691500e-4
  0x3ab743ce, 0x3ab743ce, 0x3ab743ce, 0x3ab743ce, // 96 P1 1.3981999507e-3
  0x3c088908, 0x3c088908, 0x3c088908, 0x3c088908, // 112 P2 8.3334519073e-3
  0x3d2aa9c1, 0x3d2aa9c1, 0x3d2aa9c1, 0x3d2aa9c1, // 128 P3 4.1665795894e-2
  0x3e2aaaaa, 0x3e2aaaaa, 0x3e2aaaaa, 0x3e2aaaaa, // 144 P4 1.6666665459e-1
  0x3f000000, 0x3f000000, 0x3f000000, 0x3f000000, // 160 P5 5.0000001201e-1; also 0.5
  0xb4c0007f, 0xb4c0007f, 0xb4c0007f, 0xb4c0007f, // 176 127 − 0x4b400000 (i32)
  0x3f800000, 0x3f800000, 0x3f800000, 0x3f800000, // 192 1.0
  0xc2ae0000, 0xc2ae0000, 0xc2ae0000, 0xc2ae0000, // 208 −87
  0x42ae0000, 0x42ae0000, 0x42ae0000, 0x42ae0000, // 224 87
  0xbf800000, 0xbf800000, 0xbf800000, 0xbf800000, // 240 −1.0
  0, 0x43380000, 0, 0x43380000, // 256 f64 1.5·2^52 (round to integer, low word = the integer)
  0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff, // 272 |x| mask
  0x3eb16873, 0x3eb16873, 0x3eb16873, 0x3eb16873, // 288 0.3465 (below ln2/2: k = 0)
], 16);

/**
 * One chunk of `quads` × 4 devices (a multiple of 16), global indices i0 …
 * (i0 a multiple of 16). Pointers address the chunk's first device (the
 * nominal blocks when a per-device array is absent); flags 0: none. Adds to
 * the row accumulators at ACC. The work runs in passes over the chunk, each
 * a loop of short independent iterations, so that the long dependency chains
 * of neighbouring vectors overlap.
 */
function programChunk(
  i0: i32,
  quads: i32,
  dw: usize,
  g: usize,
  aUp: usize,
  aDown: usize,
  lo: usize,
  hi: usize,
  flags: usize,
  pulses: usize,
  wear: usize,
): void {
  const sc = scratch;
  const windows = quads >> 2;
  let any: bool;
  if (pMode == MODE_NEAREST32) {
    // Specialized: symmetric levels, exact products (no ties to check), threshold 0 (only NaN fails it).
    if (pSymmetric && pExact && pThreshold0) any = pulsesPass32(quads, dw, pulses, true, false, true);
    else if (pSymmetric && pExact) any = pulsesPass32(quads, dw, pulses, true, false, false);
    else if (pSymmetric && pThreshold0) any = pulsesPass32(quads, dw, pulses, true, true, true);
    else if (pSymmetric) any = pulsesPass32(quads, dw, pulses, true, true, false);
    else if (pExact) any = pulsesPass32(quads, dw, pulses, false, false, false);
    else any = pulsesPass32(quads, dw, pulses, false, true, false);
  } else if (pMode == MODE_NEAREST64) {
    any = pulsesPass(quads, dw, pulses, MODE_NEAREST64);
  } else {
    philoxPass(i0, windows, sc + KEYS_ROUND);
    for (let w = 0; w < windows; w++) uniform16(sc + C_WORDS + (<usize>w << 6), sc + C_UNIF + (<usize>w << 6), sc + C_TMP);
    any = pulsesPass(quads, dw, pulses, MODE_STOCHASTIC);
  }
  if (!any) return;
  pQuads += quads;
  if (wear != 0) {
    // One write per pulsed device (lanes outside a masked window have no pulse and add 0).
    for (let q = 0; q < quads; q++) {
      const o = <usize>q << 4;
      v128.store(wear + o, i32x4.sub(v128.load(wear + o), i32x4.ne(v128.load(sc + C_P + o), i32x4.splat(0))));
    }
  }
  if (pNoise) gaussianPass(i0, windows);
  walkPrepare(quads, g, aUp, aDown, lo, hi, flags);
  expm1Pass(0, quads, true);
  expm1Pass(quads, quads, false);
  walkFinish(quads, g, lo, hi);
}

/** Pass A in f64 (MODE_NEAREST64, MODE_STOCHASTIC): pulse counts into C_P and `pulses`, the row's pulse statistics, the windows with a pulse; returns whether any device is pulsed. */
@inline
function pulsesPass(quads: i32, dw: usize, pulses: usize, mode: i32): bool {
  const sc = scratch;
  const zero = i32x4.splat(0);
  let maxP = v128.load(sc + ACC, A_MAXP);
  let minP = v128.load(sc + ACC, A_MINP);
  let setS = v128.load(sc + ACC, A_SET);
  let resetS = v128.load(sc + ACC, A_RESET);
  let anyAll = zero;
  for (let w = 0; w < quads >> 2; w++) {
    let anyW = zero;
    for (let q = 0; q < 4; q++) {
      const o = (<usize>w << 6) + (<usize>q << 4);
      const d = v128.load(dw + o);
      const u = mode == MODE_STOCHASTIC ? v128.load(sc + C_UNIF + o) : zero;
      const p = pulses64(d, u, mode == MODE_STOCHASTIC);
      v128.store(sc + C_P + o, p);
      v128.store(pulses + o, p);
      anyW = v128.or(anyW, p);
    }
    store<i32>(sc + C_ANY + (<usize>w << 2), v128.any_true(anyW));
    anyAll = v128.or(anyAll, anyW);
  }
  for (let q = 0; q < quads; q++) {
    const p = v128.load(sc + C_P + (<usize>q << 4));
    maxP = i32x4.max_s(maxP, p);
    minP = i32x4.min_s(minP, p);
    setS = i32x4.add(setS, i32x4.max_s(p, zero));
    resetS = i32x4.sub(resetS, i32x4.min_s(p, zero));
  }
  v128.store(sc + ACC, maxP, A_MAXP);
  v128.store(sc + ACC, minP, A_MINP);
  v128.store(sc + ACC, setS, A_SET);
  v128.store(sc + ACC, resetS, A_RESET);
  return v128.any_true(anyAll);
}

/**
 * Pass A for nearest rounding in f32 (see `program`): x = dw·(dwScale·levels)
 * clamped to ±levels and rounded by 1.5·2^23; unless the products are exact
 * (`ties` false), a window whose f32 products land on a half-integer (maybe a
 * rounded one) is redone in f64. Fused with the statistics; one window per
 * iteration.
 */
@inline
function pulsesPass32(quads: i32, dw: usize, pulses: usize, symmetric: bool, ties: bool, threshold0: bool): bool {
  const sc = scratch;
  const zero = i32x4.splat(0);
  let maxP = v128.load(sc + ACC, A_MAXP);
  let minP = v128.load(sc + ACC, A_MINP);
  let setS = v128.load(sc + ACC, A_SET);
  let resetS = v128.load(sc + ACC, A_RESET);
  let anyAll = zero;
  const magic = v128.load(DC, 32);
  const absMask = v128.load(DC, 272);
  for (let w = 0; w < quads >> 2; w++) {
    const o = <usize>w << 6;
    let anyW = zero;
    let tied = zero;
    for (let q = 0; q < 4; q++) {
      const oq = o + (<usize>q << 4);
      const d = v128.load(dw + oq);
      let c = v128.load(sc + PT, T_C_LTP);
      let levels = v128.load(sc + PT, T_L_LTP);
      let negLevels = v128.load(sc + PT, T_NL_LTP);
      if (!symmetric) {
        const up = f32x4.gt(d, f32x4.splat(0));
        c = v128.bitselect(c, v128.load(sc + PT, T_C_LTD), up);
        levels = v128.bitselect(levels, v128.load(sc + PT, T_L_LTD), up);
        negLevels = v128.bitselect(negLevels, v128.load(sc + PT, T_NL_LTD), up);
      }
      const x = f32x4.mul(d, c);
      const pass = threshold0 ? f32x4.eq(x, x) : f32x4.ge(v128.and(x, absMask), v128.load(sc + PT, T_THR32));
      const xc = f32x4.pmax(negLevels, f32x4.pmin(levels, x));
      const t = f32x4.add(xc, magic);
      if (ties) tied = v128.or(tied, f32x4.eq(v128.and(f32x4.sub(xc, f32x4.sub(t, magic)), absMask), v128.load(DC, 160)));
      const p = v128.and(i32x4.sub(t, magic), pass);
      v128.store(sc + C_P + oq, p);
      anyW = v128.or(anyW, p);
    }
    if (ties && v128.any_true(tied)) {
      anyW = zero;
      for (let q = 0; q < 4; q++) {
        const oq = o + (<usize>q << 4);
        const p = pulses64(v128.load(dw + oq), zero, false);
        v128.store(sc + C_P + oq, p);
        anyW = v128.or(anyW, p);
      }
    }
    for (let q = 0; q < 4; q++) {
      const oq = o + (<usize>q << 4);
      const p = v128.load(sc + C_P + oq);
      v128.store(pulses + oq, p);
      maxP = i32x4.max_s(maxP, p);
      minP = i32x4.min_s(minP, p);
      setS = i32x4.add(setS, i32x4.max_s(p, zero));
      resetS = i32x4.sub(resetS, i32x4.min_s(p, zero));
    }
    store<i32>(sc + C_ANY + (<usize>w << 2), v128.any_true(anyW));
    anyAll = v128.or(anyAll, anyW);
  }
  v128.store(sc + ACC, maxP, A_MAXP);
  v128.store(sc + ACC, minP, A_MINP);
  v128.store(sc + ACC, setS, A_SET);
  v128.store(sc + ACC, resetS, A_RESET);
  return v128.any_true(anyAll);
}

/** Four devices' pulse counts in f64 (the scalar definition), from dw and (stochastic) uniforms. */
@inline
function pulses64(d: v128, u: v128, stochastic: bool): v128 {
  const lowHalf = pulsesHalf(f64x2.promote_low_f32x4(d), f64x2.promote_low_f32x4(u), stochastic);
  const highHalf = pulsesHalf(f64x2.promote_low_f32x4(v128.shuffle<u64>(d, d, 1, 1)), f64x2.promote_low_f32x4(v128.shuffle<u64>(u, u, 1, 1)), stochastic);
  return v128.shuffle<u32>(lowHalf, highHalf, 0, 2, 4, 6);
}

/** Two devices' pulse counts (in the low words of the f64 lanes; 1.5·2^52 rounds to an integer and leaves it there). */
@inline
function pulsesHalf(d: v128, u: v128, stochastic: bool): v128 {
  const sc = scratch;
  let levels = v128.load(sc + PT, T_LEV_LTP64);
  let negLevels = v128.load(sc + PT, T_NLEV_LTP64);
  if (!pSymmetric) {
    const up = f64x2.gt(d, f64x2.splat(0));
    levels = v128.bitselect(levels, v128.load(sc + PT, T_LEV_LTD64), up);
    negLevels = v128.bitselect(negLevels, v128.load(sc + PT, T_NLEV_LTD64), up);
  }
  let x = f64x2.mul(f64x2.mul(d, v128.load(sc + PT, T_DWSCALE)), levels);
  const pass = f64x2.ge(f64x2.abs(x), v128.load(sc + PT, T_THRESHOLD));
  if (stochastic) x = f64x2.floor(f64x2.add(x, u));
  const q = f64x2.add(f64x2.pmax(negLevels, f64x2.pmin(levels, x)), v128.load(DC, 256));
  return v128.and(q, pass);
}

/** Philox words of the chunk's windows (one per device) into C_WORDS, two windows at a time. */
@inline
function philoxPass(i0: i32, windows: i32, keys: usize): void {
  const sc = scratch;
  const lanes = v128.load(DC);
  for (let w = 0; w < windows; w += 2) {
    const b = (i0 >> 2) + (w << 2);
    philox8(i32x4.add(i32x4.splat(b), lanes), i32x4.add(i32x4.splat(b + 4), lanes), keys, sc + C_WORDS + (<usize>w << 6), sc + C_WORDS + (<usize>(w + 1) << 6));
  }
}

/**
 * C2C Gaussians (randomNormalFast: one Philox word per pair) of the chunk's
 * groups of 32 devices with a pulse into C_NOISE: Philox words two groups at
 * a time, then radii, then angles.
 */
function gaussianPass(i0: i32, windows: i32): void {
  const sc = scratch;
  const groups = (windows + 1) >> 1;
  const lanes = v128.load(DC);
  for (let k = 0; k < groups; k += 2) {
    if ((load<i32>(sc + C_ANY + (<usize>k << 3)) | load<i32>(sc + C_ANY + (<usize>k << 3), 4) | load<i32>(sc + C_ANY + (<usize>k << 3), 8) | load<i32>(sc + C_ANY + (<usize>k << 3), 12)) == 0) continue;
    const b = (i0 >> 3) + (k << 2);
    philox8(i32x4.add(i32x4.splat(b), lanes), i32x4.add(i32x4.splat(b + 4), lanes), sc + KEYS_C2C, sc + C_WORDS + (<usize>k << 6), sc + C_WORDS + (<usize>(k + 1) << 6));
  }
  for (let k = 0; k < groups; k++) {
    if ((load<i32>(sc + C_ANY + (<usize>k << 3)) | load<i32>(sc + C_ANY + (<usize>k << 3), 4)) != 0) bmRadius4(sc + C_WORDS + (<usize>k << 6), sc + C_R + (<usize>k << 6));
  }
  for (let k = 0; k < groups; k++) {
    if ((load<i32>(sc + C_ANY + (<usize>k << 3)) | load<i32>(sc + C_ANY + (<usize>k << 3), 4)) != 0) bmAngle4(sc + C_WORDS + (<usize>k << 6), sc + C_R + (<usize>k << 6), sc + C_NOISE + (<usize>k << 7));
  }
}

/** Pass C1: position u, exponent scale m = −1/a (clamped), s = p/L and m·s, lanes that stay; two quads per iteration. */
function walkPrepare(quads: i32, g: usize, aUp: usize, aDown: usize, lo: usize, hi: usize, flags: usize): void {
  if (flags != 0) walkPrepareLoop(quads, g, aUp, aDown, lo, hi, flags, true);
  else walkPrepareLoop(quads, g, aUp, aDown, lo, hi, 0, false);
}

@inline
function walkPrepareLoop(quads: i32, g: usize, aUp: usize, aDown: usize, lo: usize, hi: usize, flags: usize, hasFlags: bool): void {
  const sc = scratch;
  let stillS = v128.load(sc + ACC, A_STILL);
  let stuckS = v128.load(sc + ACC, A_STUCK);
  const ms = <usize>quads << 4; // offset of the m vectors in C_X
  for (let q = 0; q < quads; q += 2) {
    const o = <usize>q << 4;
    const p0 = v128.load(sc + C_P + o);
    const p1 = v128.load(sc + C_P + o, 16);
    const zero = i32x4.splat(0);
    let still0 = i32x4.eq(p0, zero);
    let still1 = i32x4.eq(p1, zero);
    if (hasFlags) {
      const f = i16x8.extend_low_i8x16_u(v128.load64_zero(flags + (o >> 2)));
      const stuck0 = i32x4.gt_s(i32x4.extend_low_i16x8_u(f), zero);
      const stuck1 = i32x4.gt_s(i32x4.extend_high_i16x8_u(f), zero);
      stuckS = i32x4.add(stuckS, i32x4.add(v128.andnot(stuck0, still0), v128.andnot(stuck1, still1)));
      still0 = v128.or(still0, stuck0);
      still1 = v128.or(still1, stuck1);
    }
    stillS = i32x4.add(stillS, i32x4.add(still0, still1));
    v128.store(sc + C_STILL + o, still0);
    v128.store(sc + C_STILL + o, still1, 16);
    const up0 = i32x4.gt_s(p0, zero);
    const up1 = i32x4.gt_s(p1, zero);
    const lo0 = v128.load(lo + o);
    const lo1 = v128.load(lo + o, 16);
    const u0 = f32x4.div(f32x4.sub(v128.load(g + o), lo0), f32x4.sub(v128.load(hi + o), lo0));
    const u1 = f32x4.div(f32x4.sub(v128.load(g + o, 16), lo1), f32x4.sub(v128.load(hi + o, 16), lo1));
    const m0 = f32x4.div(v128.load(DC, 240), v128.bitselect(v128.load(aUp + o), v128.load(aDown + o), up0));
    const m1 = f32x4.div(v128.load(DC, 240), v128.bitselect(v128.load(aUp + o, 16), v128.load(aDown + o, 16), up1));
    v128.store(sc + C_U + o, f32x4.pmax(f32x4.splat(0), f32x4.pmin(v128.load(DC, 192), u0)));
    v128.store(sc + C_U + o, f32x4.pmax(f32x4.splat(0), f32x4.pmin(v128.load(DC, 192), u1)), 16);
    const mc0 = f32x4.pmax(v128.load(DC, 208), f32x4.pmin(v128.load(DC, 224), m0));
    const mc1 = f32x4.pmax(v128.load(DC, 208), f32x4.pmin(v128.load(DC, 224), m1));
    let invL0 = v128.load(sc + PT, T_INVL_LTP);
    let invL1 = invL0;
    if (!pSymmetric) {
      invL0 = v128.bitselect(invL0, v128.load(sc + PT, T_INVL_LTD), up0);
      invL1 = v128.bitselect(invL1, v128.load(sc + PT, T_INVL_LTD), up1);
    }
    const s0 = f32x4.mul(f32x4.convert_i32x4_s(p0), invL0);
    const s1 = f32x4.mul(f32x4.convert_i32x4_s(p1), invL1);
    v128.store(sc + C_S + o, s0);
    v128.store(sc + C_S + o, s1, 16);
    v128.store(sc + C_X + o, f32x4.mul(mc0, s0));
    v128.store(sc + C_X + o, f32x4.mul(mc1, s1), 16);
    v128.store(sc + C_X + o + ms, mc0);
    v128.store(sc + C_X + o + ms, mc1, 16);
  }
  v128.store(sc + ACC, stillS, A_STILL);
  v128.store(sc + ACC, stuckS, A_STUCK);
}

/**
 * expm1 in place over the first n vectors of C_X (n a multiple of 4), to a
 * few f32 ulp for |x| ≤ 87: x = k·ln2 + r, cephes expf's polynomial on
 * |r| ≤ ln2/2. Four vectors per iteration, interleaved, so that their
 * dependency chains overlap.
 */
function expm1Pass(first: i32, n: i32, tryFast: bool): void {
  const sc = scratch;
  const log2e = v128.load(DC, 16);
  const magic = v128.load(DC, 32);
  const ln2hi = v128.load(DC, 48);
  const ln2lo = v128.load(DC, 64);
  const bias = v128.load(DC, 176);
  const one = v128.load(DC, 192);
  for (let j = first; j < first + n; j += 4) {
    const a = sc + C_X + (<usize>j << 4);
    const x0 = v128.load(a);
    const x1 = v128.load(a, 16);
    const x2 = v128.load(a, 32);
    const x3 = v128.load(a, 48);
    if (tryFast) {
      // |x| ≤ 0.3465 everywhere: k = 0, r = x, and the result is the polynomial alone (+ 0, as 2^0·em + (2^0 − 1)).
      const big = f32x4.pmax(f32x4.pmax(f32x4.abs(x0), f32x4.abs(x1)), f32x4.pmax(f32x4.abs(x2), f32x4.abs(x3)));
      if (!v128.any_true(f32x4.gt(big, v128.load(DC, 288)))) {
        const zero = f32x4.splat(0);
        let q0 = f32x4.add(f32x4.mul(v128.load(DC, 80), x0), v128.load(DC, 96));
        let q1 = f32x4.add(f32x4.mul(v128.load(DC, 80), x1), v128.load(DC, 96));
        let q2 = f32x4.add(f32x4.mul(v128.load(DC, 80), x2), v128.load(DC, 96));
        let q3 = f32x4.add(f32x4.mul(v128.load(DC, 80), x3), v128.load(DC, 96));
        q0 = f32x4.add(f32x4.mul(q0, x0), v128.load(DC, 112));
        q1 = f32x4.add(f32x4.mul(q1, x1), v128.load(DC, 112));
        q2 = f32x4.add(f32x4.mul(q2, x2), v128.load(DC, 112));
        q3 = f32x4.add(f32x4.mul(q3, x3), v128.load(DC, 112));
        q0 = f32x4.add(f32x4.mul(q0, x0), v128.load(DC, 128));
        q1 = f32x4.add(f32x4.mul(q1, x1), v128.load(DC, 128));
        q2 = f32x4.add(f32x4.mul(q2, x2), v128.load(DC, 128));
        q3 = f32x4.add(f32x4.mul(q3, x3), v128.load(DC, 128));
        q0 = f32x4.add(f32x4.mul(q0, x0), v128.load(DC, 144));
        q1 = f32x4.add(f32x4.mul(q1, x1), v128.load(DC, 144));
        q2 = f32x4.add(f32x4.mul(q2, x2), v128.load(DC, 144));
        q3 = f32x4.add(f32x4.mul(q3, x3), v128.load(DC, 144));
        q0 = f32x4.add(f32x4.mul(q0, x0), v128.load(DC, 160));
        q1 = f32x4.add(f32x4.mul(q1, x1), v128.load(DC, 160));
        q2 = f32x4.add(f32x4.mul(q2, x2), v128.load(DC, 160));
        q3 = f32x4.add(f32x4.mul(q3, x3), v128.load(DC, 160));
        v128.store(a, f32x4.add(f32x4.add(f32x4.mul(q0, f32x4.mul(x0, x0)), x0), zero));
        v128.store(a, f32x4.add(f32x4.add(f32x4.mul(q1, f32x4.mul(x1, x1)), x1), zero), 16);
        v128.store(a, f32x4.add(f32x4.add(f32x4.mul(q2, f32x4.mul(x2, x2)), x2), zero), 32);
        v128.store(a, f32x4.add(f32x4.add(f32x4.mul(q3, f32x4.mul(x3, x3)), x3), zero), 48);
        continue;
      }
    }
    const t0 = f32x4.add(f32x4.mul(x0, log2e), magic);
    const t1 = f32x4.add(f32x4.mul(x1, log2e), magic);
    const t2 = f32x4.add(f32x4.mul(x2, log2e), magic);
    const t3 = f32x4.add(f32x4.mul(x3, log2e), magic);
    const k0 = f32x4.sub(t0, magic);
    const k1 = f32x4.sub(t1, magic);
    const k2 = f32x4.sub(t2, magic);
    const k3 = f32x4.sub(t3, magic);
    const r0 = f32x4.sub(f32x4.sub(x0, f32x4.mul(k0, ln2hi)), f32x4.mul(k0, ln2lo));
    const r1 = f32x4.sub(f32x4.sub(x1, f32x4.mul(k1, ln2hi)), f32x4.mul(k1, ln2lo));
    const r2 = f32x4.sub(f32x4.sub(x2, f32x4.mul(k2, ln2hi)), f32x4.mul(k2, ln2lo));
    const r3 = f32x4.sub(f32x4.sub(x3, f32x4.mul(k3, ln2hi)), f32x4.mul(k3, ln2lo));
    let p0 = f32x4.add(f32x4.mul(v128.load(DC, 80), r0), v128.load(DC, 96));
    let p1 = f32x4.add(f32x4.mul(v128.load(DC, 80), r1), v128.load(DC, 96));
    let p2 = f32x4.add(f32x4.mul(v128.load(DC, 80), r2), v128.load(DC, 96));
    let p3 = f32x4.add(f32x4.mul(v128.load(DC, 80), r3), v128.load(DC, 96));
    p0 = f32x4.add(f32x4.mul(p0, r0), v128.load(DC, 112));
    p1 = f32x4.add(f32x4.mul(p1, r1), v128.load(DC, 112));
    p2 = f32x4.add(f32x4.mul(p2, r2), v128.load(DC, 112));
    p3 = f32x4.add(f32x4.mul(p3, r3), v128.load(DC, 112));
    p0 = f32x4.add(f32x4.mul(p0, r0), v128.load(DC, 128));
    p1 = f32x4.add(f32x4.mul(p1, r1), v128.load(DC, 128));
    p2 = f32x4.add(f32x4.mul(p2, r2), v128.load(DC, 128));
    p3 = f32x4.add(f32x4.mul(p3, r3), v128.load(DC, 128));
    p0 = f32x4.add(f32x4.mul(p0, r0), v128.load(DC, 144));
    p1 = f32x4.add(f32x4.mul(p1, r1), v128.load(DC, 144));
    p2 = f32x4.add(f32x4.mul(p2, r2), v128.load(DC, 144));
    p3 = f32x4.add(f32x4.mul(p3, r3), v128.load(DC, 144));
    p0 = f32x4.add(f32x4.mul(p0, r0), v128.load(DC, 160));
    p1 = f32x4.add(f32x4.mul(p1, r1), v128.load(DC, 160));
    p2 = f32x4.add(f32x4.mul(p2, r2), v128.load(DC, 160));
    p3 = f32x4.add(f32x4.mul(p3, r3), v128.load(DC, 160));
    const e0 = f32x4.add(f32x4.mul(p0, f32x4.mul(r0, r0)), r0);
    const e1 = f32x4.add(f32x4.mul(p1, f32x4.mul(r1, r1)), r1);
    const e2 = f32x4.add(f32x4.mul(p2, f32x4.mul(r2, r2)), r2);
    const e3 = f32x4.add(f32x4.mul(p3, f32x4.mul(r3, r3)), r3);
    const s0 = i32x4.shl(i32x4.add(t0, bias), 23);
    const s1 = i32x4.shl(i32x4.add(t1, bias), 23);
    const s2 = i32x4.shl(i32x4.add(t2, bias), 23);
    const s3 = i32x4.shl(i32x4.add(t3, bias), 23);
    v128.store(a, f32x4.add(f32x4.mul(s0, e0), f32x4.sub(s0, one)));
    v128.store(a, f32x4.add(f32x4.mul(s1, e1), f32x4.sub(s1, one)), 16);
    v128.store(a, f32x4.add(f32x4.mul(s2, e2), f32x4.sub(s2, one)), 32);
    v128.store(a, f32x4.add(f32x4.mul(s3, e3), f32x4.sub(s3, one)), 48);
  }
}

/** Pass C3: u′ = clamp(u·e^(m·s) + expm1(m·s)/expm1(m)), G′ = gMin + u′·span + σ·z clamped to the bounds, for lanes that move; two quads per iteration. */
function walkFinish(quads: i32, g: usize, lo: usize, hi: usize): void {
  if (!pNoise) walkFinishLoop(quads, g, lo, hi, false, false);
  else if (!pSqrt) walkFinishLoop(quads, g, lo, hi, true, false);
  else walkFinishLoop(quads, g, lo, hi, true, true);
}

@inline
function walkFinishLoop(quads: i32, g: usize, lo: usize, hi: usize, noise: bool, sqrtPulses: bool): void {
  const sc = scratch;
  const ms = <usize>quads << 4;
  for (let q = 0; q < quads; q += 2) {
    const o = <usize>q << 4;
    const emP0 = v128.load(sc + C_X + o);
    const emP1 = v128.load(sc + C_X + o, 16);
    const emM0 = v128.load(sc + C_X + o + ms);
    const emM1 = v128.load(sc + C_X + o + ms, 16);
    const fzero = f32x4.splat(0);
    const ratio0 = v128.bitselect(v128.load(sc + C_S + o), f32x4.div(emP0, emM0), f32x4.eq(emM0, fzero));
    const ratio1 = v128.bitselect(v128.load(sc + C_S + o, 16), f32x4.div(emP1, emM1), f32x4.eq(emM1, fzero));
    const one = v128.load(DC, 192);
    const v0 = f32x4.add(f32x4.mul(v128.load(sc + C_U + o), f32x4.add(one, emP0)), ratio0);
    const v1 = f32x4.add(f32x4.mul(v128.load(sc + C_U + o, 16), f32x4.add(one, emP1)), ratio1);
    const uNew0 = f32x4.pmax(fzero, f32x4.pmin(one, v0));
    const uNew1 = f32x4.pmax(fzero, f32x4.pmin(one, v1));
    const lo0 = v128.load(lo + o);
    const lo1 = v128.load(lo + o, 16);
    const hi0 = v128.load(hi + o);
    const hi1 = v128.load(hi + o, 16);
    // u′ = 1 is exactly gMax (lo + span may round below it); u′ = 0 is exactly gMin already.
    let g0 = v128.bitselect(hi0, f32x4.add(lo0, f32x4.mul(uNew0, f32x4.sub(hi0, lo0))), f32x4.eq(uNew0, one));
    let g1 = v128.bitselect(hi1, f32x4.add(lo1, f32x4.mul(uNew1, f32x4.sub(hi1, lo1))), f32x4.eq(uNew1, one));
    if (noise) {
      let sigma0 = v128.load(sc + PT, T_SIGMA);
      let sigma1 = sigma0;
      if (sqrtPulses) {
        sigma0 = f32x4.mul(sigma0, f32x4.sqrt(f32x4.abs(f32x4.convert_i32x4_s(v128.load(sc + C_P + o)))));
        sigma1 = f32x4.mul(sigma1, f32x4.sqrt(f32x4.abs(f32x4.convert_i32x4_s(v128.load(sc + C_P + o, 16)))));
      }
      g0 = f32x4.add(g0, f32x4.mul(sigma0, v128.load(sc + C_NOISE + o)));
      g1 = f32x4.add(g1, f32x4.mul(sigma1, v128.load(sc + C_NOISE + o, 16)));
    }
    g0 = f32x4.pmax(lo0, f32x4.pmin(hi0, g0));
    g1 = f32x4.pmax(lo1, f32x4.pmin(hi1, g1));
    v128.store(g + o, v128.bitselect(v128.load(g + o), g0, v128.load(sc + C_STILL + o)));
    v128.store(g + o, v128.bitselect(v128.load(g + o, 16), g1, v128.load(sc + C_STILL + o, 16)), 16);
  }
}

@inline
function hsum(v: v128): f64 {
  return <f64>i32x4.extract_lane(v, 0) + <f64>i32x4.extract_lane(v, 1) + <f64>i32x4.extract_lane(v, 2) + <f64>i32x4.extract_lane(v, 3);
}

@inline
function hmax(v: v128): i32 {
  return max(max(i32x4.extract_lane(v, 0), i32x4.extract_lane(v, 1)), max(i32x4.extract_lane(v, 2), i32x4.extract_lane(v, 3)));
}

@inline
function hmin(v: v128): i32 {
  return min(min(i32x4.extract_lane(v, 0), i32x4.extract_lane(v, 1)), min(i32x4.extract_lane(v, 2), i32x4.extract_lane(v, 3)));
}

/**
 * Conductance after each of `pulses` pulses from gMin (LTP) and then from gMax
 * (LTD), for the device curve table: the closed form at each pulse position
 * (P pulses from gMin on the LTP curve, levelsLtd − P on the LTD curve),
 * exactly gMin and gMax at and past the ends.
 */
export function pulseCurve(pulses: i32, gMin: f64, gMax: f64, aLtp: f64, aLtd: f64, levelsLtp: f64, levelsLtd: f64, ltp: usize, ltd: usize): void {
  for (let k = 0; k <= pulses; k++) {
    store<f64>(ltp + (<usize>k << 3), curvePoint(<f64>k, aLtp * levelsLtp, levelsLtp, gMin, gMax));
    store<f64>(ltd + (<usize>k << 3), curvePoint(levelsLtd - <f64>k, aLtd * levelsLtd, levelsLtd, gMin, gMax));
  }
}

/** G at position P (pulses from gMin) on the curve with constant a (in pulses; ±Infinity: linear) of `pmax` pulses end to end. */
function curvePoint(P: f64, a: f64, pmax: f64, gMin: f64, gMax: f64): f64 {
  if (P >= pmax) return gMax;
  if (P <= 0) return gMin;
  const u = !isFinite(a) ? P / pmax : (1 / (1 - Math.exp(-pmax / a))) * (1 - Math.exp(-P / a));
  return gMin + u * (gMax - gMin);
}

/**
 * Drift: g[i] ← g[i]·(t/t0)^−νᵢ for n devices, t seconds after programming (nothing before t0), with
 * νᵢ = max(0, ν + νσ·z[i]) from standard normal draws z (f32; 0: every device ν). In the module's
 * own f64 pow, so every host gets the same conductances.
 */
export function drift(n: i32, g: usize, t: f64, t0: f64, nu: f64, nuStd: f64, z: usize): void {
  if (t <= t0) return;
  const ratio = t / t0;
  if (z == 0) {
    if (nu == 0) return;
    const factor = <f32>(ratio ** -nu);
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(g + o, load<f32>(g + o) * factor);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = max(0.0, nu + nuStd * <f64>load<f32>(z + o));
    store<f32>(g + o, <f32>(<f64>load<f32>(g + o) * ratio ** -v));
  }
}

/** (t/t0)^−ν for t > t0, else 1: the drift of one conductance, in the module's pow. */
export function driftFactor(t: f64, t0: f64, nu: f64): f64 {
  return t <= t0 ? 1 : (t / t0) ** -nu;
}

/**
 * The ideal device's continuous update of rows × cols cells (row-major): g += step·dw, clamped to
 * [gMin, gMax], with no pulses, levels or curve. Counted as stochastic rounding would count on
 * average: |dw|·pulsesPerUnit pulses per cell, SET where step·dw > 0; a row's time is its largest
 * SET plus its largest RESET count; every cell with dw ≠ 0 adds 1 to writes (u32, when not 0).
 * Adds to `counts` (REWRITE_COUNT_SLOTS f64: SET, RESET, cells moved, rows written, slots).
 */
export function updateExact(
  rows: i32,
  cols: i32,
  g: usize,
  dw: usize,
  step: f32,
  gMin: f32,
  gMax: f32,
  pulsesPerUnit: f32,
  writes: usize,
  counts: usize,
): void {
  const vStep = f32x4.splat(step);
  const vLo = f32x4.splat(gMin);
  const vHi = f32x4.splat(gMax);
  const vPer = f32x4.splat(pulsesPerUnit);
  const zero = f32x4.splat(0);
  const one = i32x4.splat(1);
  const rising = step > 0;
  let set = 0.0;
  let reset = 0.0;
  let moved = 0.0;
  let rowsWritten = 0.0;
  let slots = 0.0;
  for (let r = 0; r < rows; r++) {
    const base = <usize>(r * cols) << 2;
    let vSet = zero;
    let vReset = zero;
    let vMaxSet = zero;
    let vMaxReset = zero;
    let vMoved = i32x4.splat(0);
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const o = base + (<usize>c << 2);
      const d = v128.load(dw + o);
      v128.store(g + o, f32x4.pmin(f32x4.pmax(f32x4.add(v128.load(g + o), f32x4.mul(d, vStep)), vLo), vHi));
      const p = f32x4.mul(f32x4.abs(d), vPer);
      const up = rising ? f32x4.gt(d, zero) : f32x4.lt(d, zero);
      const pSet = v128.and(p, up);
      const pReset = v128.andnot(p, up);
      vSet = f32x4.add(vSet, pSet);
      vReset = f32x4.add(vReset, pReset);
      vMaxSet = f32x4.max(vMaxSet, pSet);
      vMaxReset = f32x4.max(vMaxReset, pReset);
      const nz = f32x4.ne(d, zero);
      vMoved = i32x4.sub(vMoved, nz);
      if (writes != 0) v128.store(writes + o, i32x4.add(v128.load(writes + o), v128.and(nz, one)));
    }
    let rSet = <f64>(f32x4.extract_lane(vSet, 0) + f32x4.extract_lane(vSet, 1) + f32x4.extract_lane(vSet, 2) + f32x4.extract_lane(vSet, 3));
    let rReset = <f64>(
      f32x4.extract_lane(vReset, 0) + f32x4.extract_lane(vReset, 1) + f32x4.extract_lane(vReset, 2) + f32x4.extract_lane(vReset, 3)
    );
    let mSet = max(max(f32x4.extract_lane(vMaxSet, 0), f32x4.extract_lane(vMaxSet, 1)), max(f32x4.extract_lane(vMaxSet, 2), f32x4.extract_lane(vMaxSet, 3)));
    let mReset = max(
      max(f32x4.extract_lane(vMaxReset, 0), f32x4.extract_lane(vMaxReset, 1)),
      max(f32x4.extract_lane(vMaxReset, 2), f32x4.extract_lane(vMaxReset, 3)),
    );
    let rMoved = i32x4.extract_lane(vMoved, 0) + i32x4.extract_lane(vMoved, 1) + i32x4.extract_lane(vMoved, 2) + i32x4.extract_lane(vMoved, 3);
    for (; c < cols; c++) {
      const o = base + (<usize>c << 2);
      const d = load<f32>(dw + o);
      store<f32>(g + o, min(gMax, max(gMin, load<f32>(g + o) + d * step)));
      if (d == 0) continue;
      const p = Mathf.abs(d) * pulsesPerUnit;
      if (rising ? d > 0 : d < 0) {
        rSet += p;
        mSet = max(mSet, p);
      } else {
        rReset += p;
        mReset = max(mReset, p);
      }
      rMoved++;
      if (writes != 0) store<u32>(writes + o, load<u32>(writes + o) + 1);
    }
    set += rSet;
    reset += rReset;
    moved += rMoved;
    if (rMoved > 0) {
      rowsWritten += 1;
      slots += <f64>mSet + <f64>mReset;
    }
  }
  store<f64>(counts, load<f64>(counts) + set);
  store<f64>(counts + 8, load<f64>(counts + 8) + reset);
  store<f64>(counts + 16, load<f64>(counts + 16) + moved);
  store<f64>(counts + 24, load<f64>(counts + 24) + rowsWritten);
  store<f64>(counts + 32, load<f64>(counts + 32) + slots);
}
