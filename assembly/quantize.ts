// Quantizers: WAGE (Wu et al. 2018, as DNN+NeuroSim V2.1 uses it), stochastic
// rounding, and the DAC's input encoding. Rounding to nearest is ties-to-even,
// like torch.round in the reference implementation.

import { philoxUniformAt } from "./random";

/** S(k) = 2^(k−1): the number of steps per unit for k bits. */
@inline
function stepsPerUnit(k: i32): f32 {
  return <f32>(1 << (k - 1));
}

/**
 * out = Q(C(x, k), k) when `clip` is 1, else Q(x, k), elementwise:
 * C clips to [−1 + 1/S, 1 − 1/S] (no clip for k = 1 or k > 15);
 * Q(x, k) = round(x·S)/S; k = 1 gives sign(x) (0 at 0); k > 15 is the identity.
 */
export function wageQuantize(out: usize, x: usize, n: i32, k: i32, clip: i32): void {
  assert(k >= 1, "wageQuantize: bits must be at least 1");
  if (k > 15) {
    if (out != x) memory.copy(out, x, <usize>n << 2);
    return;
  }
  if (k == 1) {
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      const v = load<f32>(x + o);
      store<f32>(out + o, v > 0 ? 1 : v < 0 ? -1 : 0);
    }
    return;
  }
  const s = stepsPerUnit(k);
  const inv: f32 = 1 / s;
  const limit: f32 = 1 - inv;
  const vs = f32x4.splat(s);
  const vinv = f32x4.splat(inv);
  const vhi = f32x4.splat(limit);
  const vlo = f32x4.splat(-limit);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    let v = v128.load(x + o);
    if (clip) v = f32x4.pmin(f32x4.pmax(v, vlo), vhi);
    v128.store(out + o, f32x4.mul(f32x4.nearest(f32x4.mul(v, vs)), vinv));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let v = load<f32>(x + o);
    if (clip) {
      if (v < -limit) v = -limit;
      if (v > limit) v = limit;
    }
    store<f32>(out + o, nearest<f32>(v * s) * inv);
  }
}

/** shift(x) = 2^round(log2 x), the nearest power of two (x > 0; 1 for x ≤ 0 or non-finite). */
export function powerOfTwoShift(x: f32): f32 {
  if (!(x > 0) || !isFinite(x)) return 1;
  return <f32>(2.0 ** nearest<f64>(Math.log2(<f64>x)));
}

/** max |x[i]| over n elements (0 for n = 0; NaN is skipped). */
export function maxAbs(x: usize, n: i32): f32 {
  let m: f32 = 0;
  for (let i = 0; i < n; i++) {
    const v = abs<f32>(load<f32>(x + (<usize>i << 2)));
    if (v > m) m = v;
  }
  return m;
}

/**
 * WAGE error quantizer QE(g, k) = Q(C(g / shift(max|g|), k), k): the tensor's
 * absolute scale is dropped. Returns the shift used.
 */
export function wageQuantizeError(out: usize, g: usize, n: i32, k: i32): f32 {
  const s = powerOfTwoShift(maxAbs(g, n));
  const inv: f32 = 1 / s;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(g + o) * inv);
  }
  wageQuantize(out, out, n, k, 1);
  return s;
}

/** out = floor(x + U[0,1)) with U element i of (seed, stream, step): unbiased stochastic rounding. */
export function stochasticRound(out: usize, x: usize, n: i32, seed: u32, stream: u32, step: u32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, Mathf.floor(load<f32>(x + o) + philoxUniformAt(seed, stream, step, <u64>i)));
  }
}

/**
 * DAC encoding: codes[i] = sign(x)·round(min(|x|/scale, 1)·(2^bits − 1)) as
 * i32, so that x ≈ codes·scale/(2^bits − 1). Returns the number of nonzero codes.
 */
export function dacEncode(codes: usize, x: usize, n: i32, bits: i32, scale: f32): i32 {
  assert(bits >= 1 && bits <= 16, "dacEncode: bits must be 1…16");
  assert(scale > 0, "dacEncode: scale must be positive");
  const levels = <f32>((1 << bits) - 1);
  const factor = levels / scale;
  let nonzero = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    let m = abs<f32>(v) * factor;
    if (m > levels) m = levels;
    let q = <i32>nearest<f32>(m);
    if (v < 0) q = -q;
    if (q != 0) nonzero++;
    store<i32>(codes + o, q);
  }
  return nonzero;
}

/** out = sign(x)·round(min(|x|/scale, 1)·(2^bits − 1))·scale/(2^bits − 1): the values a `bits`-bit DAC applies. */
export function dacQuantize(out: usize, x: usize, n: i32, bits: i32, scale: f32): void {
  assert(bits >= 1 && bits <= 16, "dacQuantize: bits must be 1…16");
  const levels = <f32>((1 << bits) - 1);
  const factor = levels / scale;
  const back = scale / levels;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    let m = abs<f32>(v) * factor;
    if (m > levels) m = levels;
    const q = nearest<f32>(m) * back;
    store<f32>(out + o, v < 0 ? -q : q);
  }
}
