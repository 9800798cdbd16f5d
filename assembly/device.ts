// Synaptic devices: the nonlinearity label ↔ curve constant, device-to-device
// draws, and programming a whole array with pulses.
//
// Conductance curve (NeuroSim manual Eq. 8.1–8.3, restated): after P of Pmax
// potentiating pulses a device sits at
//   u(P) = B·(1 − e^(−P/A)),  B = 1 / (1 − e^(−Pmax/A)),
// where u = (G − Gmin)/(Gmax − Gmin) ∈ [0, 1] and A = A_norm·Pmax. Depression
// walks the same form backward with its own A (same sign: one concave curve
// retraced, "symmetric"; opposite sign: steep near Gmax, "asymmetric").

import { philoxNormalAt, philoxUniformAt } from "./random";

// ---- nonlinearity label ↔ normalized A ------------------------------------

// The label is ≈ 10.1 × the largest vertical gap between the normalized LTP
// curve g_A(x) = (1 − e^(−x/A))/(1 − e^(−1/A)) and the line x, on x ∈ [0, 1]:
// max_x (g_A(x) − x) = NL_GAP·NL (reference/paper-and-neurosim.md §3.6).
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
const P_DW_SCALE = 0; // pulses per unit of dw, before × levels: p = dw·dwScale·levels_dir
const P_GMIN = 8; // nominal bounds (S), used where no per-device array is given
const P_GMAX = 16;
const P_A_LTP = 24; // nominal normalized curve constants (Infinity: linear)
const P_A_LTD = 32;
const P_LEVELS_LTP = 40;
const P_LEVELS_LTD = 48;
const P_C2C = 56; // σ as a fraction of (gMax − gMin) nominal
const P_THRESHOLD = 64; // |desired pulses| below this is no update (before rounding)
// u32 slots
const P_ROUNDING = 96; // 0 nearest (ties to even), 1 stochastic floor(x + U)
const P_C2C_SQRT = 100; // 0 once per update, 1 × √|pulses|
const P_SEED = 104;
const P_STREAM_C2C = 108;
const P_STREAM_ROUND = 112;
const P_STEP = 116;

/** Totals written at `counts` (f64 × 4): SET pulses, RESET pulses, devices that moved or were pulsed, devices pulsed while stuck. */
export const PROGRAM_COUNT_SLOTS: i32 = 4;

/**
 * Programs rows × cols devices (row-major, contiguous) with desired changes
 * `dw` (f32, in weight units; positive = potentiate). Per device: desired
 * pulses x = dw·dwScale·levels_dir → integer p (nearest or stochastic) →
 * walk the device's LTP (p > 0) or LTD (p < 0) curve from its current
 * conductance → C2C noise (if it was pulsed) → clamp to its [gMin, gMax].
 * Stuck devices do not move but are pulsed. Optional per-device arrays (0 =
 * use the nominal value): aLtp, aLtd (normalized curve constants), gMinArr,
 * gMaxArr, flags (u8, nonzero = stuck). Writes, when not 0: rowMaxSet /
 * rowMaxReset (i32 per row: the most SET / RESET pulses any device of the row
 * received — rows are written one after another, columns in parallel) and
 * pulsesOut (i32 per device, signed). Adds the totals to `counts`.
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
  counts: usize,
): void {
  const dwScale = load<f64>(params + P_DW_SCALE);
  const gMinNom = <f32>load<f64>(params + P_GMIN);
  const gMaxNom = <f32>load<f64>(params + P_GMAX);
  const aLtpNom = load<f64>(params + P_A_LTP);
  const aLtdNom = load<f64>(params + P_A_LTD);
  const levelsLtp = load<f64>(params + P_LEVELS_LTP);
  const levelsLtd = load<f64>(params + P_LEVELS_LTD);
  const c2cSigma = <f32>(load<f64>(params + P_C2C) * <f64>(gMaxNom - gMinNom));
  const threshold = load<f64>(params + P_THRESHOLD);
  const stochastic = load<u32>(params + P_ROUNDING) == 1;
  const c2cSqrt = load<u32>(params + P_C2C_SQRT) == 1;
  const seed = load<u32>(params + P_SEED);
  const streamC2c = load<u32>(params + P_STREAM_C2C);
  const streamRound = load<u32>(params + P_STREAM_ROUND);
  const step = load<u32>(params + P_STEP);

  let setTotal: f64 = 0;
  let resetTotal: f64 = 0;
  let touched: f64 = 0;
  let stuckPulsed: f64 = 0;
  for (let r = 0; r < rows; r++) {
    let maxSet = 0;
    let maxReset = 0;
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const o = <usize>i << 2;
      const d = <f64>load<f32>(dw + o);
      let p = 0;
      if (d != 0) {
        const levels = d > 0 ? levelsLtp : levelsLtd;
        const x = d * dwScale * levels;
        if (Math.abs(x) >= threshold) {
          const q = stochastic ? Math.floor(x + <f64>philoxUniformAt(seed, streamRound, step, <u64>i)) : nearest<f64>(x);
          p = <i32>max(-levels, min(levels, q));
        }
      }
      if (pulsesOut != 0) store<i32>(pulsesOut + o, p);
      if (p == 0) continue;
      if (p > 0) {
        setTotal += p;
        if (p > maxSet) maxSet = p;
      } else {
        resetTotal -= p;
        if (-p > maxReset) maxReset = -p;
      }
      if (flags != 0 && load<u8>(flags + <usize>i) != 0) {
        stuckPulsed += 1;
        continue;
      }
      touched += 1;
      const lo = gMinArr != 0 ? load<f32>(gMinArr + o) : gMinNom;
      const hi = gMaxArr != 0 ? load<f32>(gMaxArr + o) : gMaxNom;
      const span = <f64>(hi - lo);
      let u = (<f64>load<f32>(g + o) - <f64>lo) / span;
      if (u < 0) u = 0;
      if (u > 1) u = 1;
      if (p > 0) {
        const a = aLtp != 0 ? <f64>load<f32>(aLtp + o) : aLtpNom;
        u = walk(u, <f64>p, a * levelsLtp, levelsLtp);
      } else {
        const a = aLtd != 0 ? <f64>load<f32>(aLtd + o) : aLtdNom;
        u = walk(u, <f64>p, a * levelsLtd, levelsLtd);
      }
      let gNew = <f32>(<f64>lo + u * span);
      if (c2cSigma != 0) {
        const z = philoxNormalAt(seed, streamC2c, step, <u64>i);
        const sigma = c2cSqrt ? c2cSigma * Mathf.sqrt(<f32>abs(p)) : c2cSigma;
        gNew += sigma * z;
      }
      if (gNew < lo) gNew = lo;
      if (gNew > hi) gNew = hi;
      store<f32>(g + o, gNew);
    }
    if (rowMaxSet != 0) store<i32>(rowMaxSet + (<usize>r << 2), maxSet);
    if (rowMaxReset != 0) store<i32>(rowMaxReset + (<usize>r << 2), maxReset);
  }
  store<f64>(counts, load<f64>(counts) + setTotal);
  store<f64>(counts, load<f64>(counts, 8) + resetTotal, 8);
  store<f64>(counts, load<f64>(counts, 16) + touched, 16);
  store<f64>(counts, load<f64>(counts, 24) + stuckPulsed, 24);
}

/**
 * Position u ∈ [0, 1] after `p` pulses (negative: backward) along the curve
 * with constant `a` (in pulses; ±Infinity: linear) and `pmax` pulses end to end.
 */
@inline
function walk(u: f64, p: f64, a: f64, pmax: f64): f64 {
  if (!isFinite(a)) {
    const v = u + p / pmax;
    return v < 0 ? 0 : v > 1 ? 1 : v;
  }
  const b = 1 / (1 - Math.exp(-pmax / a));
  let pos = -a * Math.log(1 - u / b) + p;
  if (pos < 0) pos = 0;
  if (pos > pmax) pos = pmax;
  return b * (1 - Math.exp(-pos / a));
}

/** Conductance after each of `pulses` pulses from gMin (LTP) and then from gMax (LTD), for the device curve table. */
export function pulseCurve(pulses: i32, gMin: f64, gMax: f64, aLtp: f64, aLtd: f64, levelsLtp: f64, levelsLtd: f64, ltp: usize, ltd: usize): void {
  let u: f64 = 0;
  store<f64>(ltp, gMin);
  for (let k = 1; k <= pulses; k++) {
    u = walk(u, 1, aLtp * levelsLtp, levelsLtp);
    store<f64>(ltp + (<usize>k << 3), gMin + u * (gMax - gMin));
  }
  u = 1;
  store<f64>(ltd, gMax);
  for (let k = 1; k <= pulses; k++) {
    u = walk(u, -1, aLtd * levelsLtd, levelsLtd);
    store<f64>(ltd + (<usize>k << 3), gMin + u * (gMax - gMin));
  }
}

/** Drift: g[i] ← g[i]·(t/t0)^−ν for n devices (t ≥ t0 seconds after programming). */
export function drift(n: i32, g: usize, t: f64, t0: f64, nu: f64): void {
  if (nu == 0 || t <= t0) return;
  const factor = <f32>Math.pow(t / t0, -nu);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(g + o, load<f32>(g + o) * factor);
  }
}
