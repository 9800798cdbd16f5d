// Elementary functions in arithmetic only (+ − × ÷ and √, which IEEE 754 rounds exactly): the same
// bits in every JavaScript engine. Math.exp, Math.acos and their kin are left to each engine's
// library and differ in the last bits between Node's V8 and a browser's, which would make the same
// run print different numbers in the two.

/** x^n for a non-negative integer n, by squaring. */
export function powInt(x: number, n: number): number {
  let result = 1;
  let base = x;
  let e = Math.trunc(n);
  while (e > 0) {
    if (e & 1) result *= base;
    base *= base;
    e >>= 1;
  }
  return result;
}

/** e^x to about 1 ulp: x = k·ln2 + r, |r| ≤ ln2/2, Taylor series of e^r to 13 terms. */
export function portableExp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > 709) return Number.POSITIVE_INFINITY;
  if (x < -700) return 0;
  const k = Math.round(x / Math.LN2);
  // ln 2 split so that k · LN2_HI is exact (fdlibm's constants).
  const r = x - k * 0.6931471803691238 - k * 1.9082149292705877e-10;
  let term = 1;
  let sum = 1;
  for (let n = 1; n <= 13; n++) {
    term *= r / n;
    sum += term;
  }
  return k >= 0 ? sum * powInt(2, k) : sum / powInt(2, -k);
}

/** e^x − 1, accurate near 0 (Taylor series for |x| < 0.5). */
export function portableExpm1(x: number): number {
  if (!(Math.abs(x) < 0.5)) return portableExp(x) - 1;
  let term = x;
  let sum = x;
  for (let n = 2; n <= 20; n++) {
    term *= x / n;
    sum += term;
  }
  return sum;
}

export function portableTanh(x: number): number {
  if (x > 20) return 1;
  if (x < -20) return -1;
  const e = portableExp(2 * x);
  return (e - 1) / (e + 1);
}

export function portableSigmoid(x: number): number {
  return 1 / (1 + portableExp(-x));
}

/** atan(t) for t ≥ 0: t > 1 reflected, then two argument halvings, then the series to t^31. */
function atanNonNegative(t: number): number {
  if (t > 1) return Math.PI / 2 - atanNonNegative(1 / t);
  let u = t;
  for (let i = 0; i < 2; i++) u = u / (1 + Math.sqrt(1 + u * u));
  const u2 = u * u;
  let term = u;
  let sum = u;
  for (let n = 3; n <= 31; n += 2) {
    term *= -u2;
    sum += term / n;
  }
  return 4 * sum;
}

/** acos(x) in degrees for x in [−1, 1] (clamped): 2·atan(√((1 − x)/(1 + x))). */
export function portableAcosDeg(x: number): number {
  const c = Math.max(-1, Math.min(1, x));
  if (c === -1) return 180;
  return (2 * atanNonNegative(Math.sqrt((1 - c) / (1 + c))) * 180) / Math.PI;
}
