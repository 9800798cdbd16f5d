// The crossbar's converters in plain TypeScript: the input DAC (values and integer codes, with the
// scale max|x| of the whole input) and the column ADC in float32 steps, the twins
// test/crossbar.test.ts checks the kernels and CrossbarArray against. Not part of the package.

/** The DAC's values: sign·round(min(|x|/max|x|, 1)·(2^b − 1))·max|x|/(2^b − 1), with max over the whole input. */
export function dacQuantized(X: ArrayLike<number>, bits: number): Float64Array {
  let m = 0;
  for (let i = 0; i < X.length; i++) m = Math.max(m, Math.abs(X[i] as number));
  const L = 2 ** bits - 1;
  return Float64Array.from(X as ArrayLike<number>, (v) => (Math.sign(v) * Math.round(Math.min(Math.abs(v) / m, 1) * L) * m) / L);
}

/** Integer DAC codes. */
export function dacCodes(X: ArrayLike<number>, bits: number): Int32Array {
  let m = 0;
  for (let i = 0; i < X.length; i++) m = Math.max(m, Math.abs(X[i] as number));
  const L = 2 ** bits - 1;
  return Int32Array.from(X as ArrayLike<number>, (v) => Math.sign(v) * Math.round(Math.min(Math.abs(v) / m, 1) * L));
}

/** The ADC of assembly/adc.ts in float32 steps, for exact comparisons. */
export function adcRef(v: number, lo: number, step: number, levels: number): number {
  if (levels === 0 || step === 0) return v;
  let q = Math.floor(Math.fround(Math.fround(v - lo) / step));
  q = Math.min(Math.max(q, 0), levels - 1);
  return Math.fround(lo + Math.fround(Math.fround(q + 0.5) * step));
}
