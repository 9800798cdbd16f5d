// The DNN+NeuroSim V2.1 weight-update path (its WAGE "QG" with the device
// model: Peng et al., DNN+NeuroSim V2.0, IEEE TCAD 40(11), 2021, and V2.1's Python training
// code, wage_quantizer.py's QG), restated: the weight is kept
// digitally in [−1, 1]; the device curve only decides how far a pulse train
// would move it, and the move is stochastically rounded to the gradient grid.

import { philoxNormalAt, philoxUniformAt } from "./random";

/** Parameters written by the host at `p` (f64 slots, then u32). */
export const NEUROSIM_PARAM_BYTES: i32 = 96;
export const NEUROSIM_AT_GRAD_SCALE: usize = 0; // grad_scale / shift(max|g|)
export const NEUROSIM_AT_LEVELS: usize = 8; // max(levels LTP, LTD): pulses across the full range
export const NEUROSIM_AT_A_LTP: usize = 16; // nominal normalized curve constants (Infinity: linear)
export const NEUROSIM_AT_A_LTD: usize = 24;
export const NEUROSIM_AT_WEIGHT_STEPS: usize = 32; // S(wl_weight) = 2^(bits − 1)
export const NEUROSIM_AT_GRAD_STEPS: usize = 40; // S(wl_grad)
export const NEUROSIM_AT_C2C: usize = 48; // σ of the noise in weight units (2·c2cVari: the weight span is 2)
export const NEUROSIM_AT_SEED: usize = 64; // u32
export const NEUROSIM_AT_STREAM_ROUND: usize = 68;
export const NEUROSIM_AT_STREAM_C2C: usize = 72;
export const NEUROSIM_AT_STEP: usize = 76;

/**
 * For each of rows × cols weights w (f32, in place) with momentum gradient g:
 *   p = round(g·gradScale/2·L) pulses (p < 0: the weight rises, LTP curve; p > 0: LTD curve),
 *   x = −A·ln(1 − (w+1)/B), w′ = B·(1 − e^(−(x − p)/A)) − 1, with A = A_norm·L, B = 2/(1 − e^(−L/A)),
 *   d = w − C(w′), q = ⌊d + U⌋/S_G (U element i of the rounding stream: one grid step
 *   with probability |d| for small d, so a full-range device move is one step),
 *   w ← C(w − q + σ·z·[q ≠ 0]) (z element i of the C2C stream),
 * C clipping to ±(1 − 1/S_W). Per-device curve constants (aLtp/aLtd, 0 = nominal)
 * carry D2D variation. Writes the most SET / RESET pulses per row and adds
 * [SET pulses, RESET pulses, weights changed] to `counts` (f64).
 */
export function neurosimUpdate(
  rows: i32,
  cols: i32,
  w: usize,
  g: usize,
  params: usize,
  aLtp: usize,
  aLtd: usize,
  rowMaxSet: usize,
  rowMaxReset: usize,
  counts: usize,
): void {
  const gradScale = load<f64>(params + NEUROSIM_AT_GRAD_SCALE);
  const levels = load<f64>(params + NEUROSIM_AT_LEVELS);
  const aLtpNom = load<f64>(params + NEUROSIM_AT_A_LTP);
  const aLtdNom = load<f64>(params + NEUROSIM_AT_A_LTD);
  const sW = load<f64>(params + NEUROSIM_AT_WEIGHT_STEPS);
  const sG = load<f64>(params + NEUROSIM_AT_GRAD_STEPS);
  const sigma = load<f64>(params + NEUROSIM_AT_C2C);
  const seed = load<u32>(params + NEUROSIM_AT_SEED);
  const streamRound = load<u32>(params + NEUROSIM_AT_STREAM_ROUND);
  const streamC2c = load<u32>(params + NEUROSIM_AT_STREAM_C2C);
  const step = load<u32>(params + NEUROSIM_AT_STEP);
  const limit = sW > 0 ? 1 - 1 / sW : 1;
  let setTotal: f64 = 0;
  let resetTotal: f64 = 0;
  let changed: f64 = 0;
  for (let r = 0; r < rows; r++) {
    let maxSet = 0;
    let maxReset = 0;
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const o = <usize>i << 2;
      const x = <f64>load<f32>(g + o) * gradScale;
      const p = max(-levels, min(levels, nearest<f64>((x / 2) * levels)));
      if (p == 0) continue;
      const weight = <f64>load<f32>(w + o);
      let moved: f64;
      let a: f64;
      if (p < 0) {
        setTotal -= p;
        if (<i32>-p > maxSet) maxSet = <i32>-p;
        a = aLtp != 0 ? <f64>load<f32>(aLtp + o) : aLtpNom;
      } else {
        resetTotal += p;
        if (<i32>p > maxReset) maxReset = <i32>p;
        a = aLtd != 0 ? <f64>load<f32>(aLtd + o) : aLtdNom;
      }
      if (!isFinite(a)) {
        moved = weight - (2 * p) / levels;
      } else {
        const ap = a * levels;
        const b = 2 / (1 - Math.exp(-levels / ap));
        let arg = 1 - (weight + 1) / b;
        if (arg < 1e-12) arg = 1e-12;
        const pos = -ap * Math.log(arg);
        moved = b * (1 - Math.exp(-(pos - p) / ap)) - 1;
      }
      if (moved > limit) moved = limit;
      if (moved < -limit) moved = -limit;
      const d = weight - moved;
      const q = Math.floor(d + <f64>philoxUniformAt(seed, streamRound, step, <u64>i)) / sG;
      if (q == 0) continue;
      changed += 1;
      let next = weight - q + sigma * <f64>philoxNormalAt(seed, streamC2c, step, <u64>i);
      if (next > limit) next = limit;
      if (next < -limit) next = -limit;
      store<f32>(w + o, <f32>next);
    }
    store<i32>(rowMaxSet + (<usize>r << 2), maxSet);
    store<i32>(rowMaxReset + (<usize>r << 2), maxReset);
  }
  store<f64>(counts, load<f64>(counts) + setTotal);
  store<f64>(counts, load<f64>(counts, 8) + resetTotal, 8);
  store<f64>(counts, load<f64>(counts, 16) + changed, 16);
}
