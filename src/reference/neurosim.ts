// A plain-TypeScript twin of DNN+NeuroSim V2.1's weight update (assembly/neurosim.ts `neurosimUpdate`)
// in float64: pulse counts exactly as the kernel decides them; the curve walk with JavaScript's
// Math.exp / Math.log (the kernel uses AssemblyScript's, equal to within an ulp or two, so a
// stochastic-rounding decision can differ where d + U lands within that of an integer). Not part of
// the package.

export interface NeurosimRefInput {
  rows: number;
  cols: number;
  /** Weights in [−1, 1] (the kernel's f32 values), updated in place. */
  w: Float64Array;
  /** Momentum gradients (f32 values). */
  g: ArrayLike<number>;
  gradScale: number;
  levels: number;
  /** Per-weight normalized curve constants (±Infinity: linear). */
  aLtp: ArrayLike<number>;
  aLtd: ArrayLike<number>;
  weightSteps: number;
  gradSteps: number;
  /** σ of the noise in weight units. */
  c2c: number;
  /** Element i of the (seed, rounding stream, step) uniforms and of the (seed, C2C stream, step) normals. */
  uniforms: ArrayLike<number>;
  normals: ArrayLike<number>;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Updates `input.w` as the kernel does; returns the totals and the per-row most SET / RESET pulses. */
export function neurosimUpdateRef(input: NeurosimRefInput): {
  setPulses: number;
  resetPulses: number;
  changed: number;
  rowMaxSet: Int32Array;
  rowMaxReset: Int32Array;
} {
  const { rows, cols, w, g, levels } = input;
  const limit = input.weightSteps > 0 ? 1 - 1 / input.weightSteps : 1;
  const clip = (v: number) => Math.min(limit, Math.max(-limit, v));
  const rowMaxSet = new Int32Array(rows);
  const rowMaxReset = new Int32Array(rows);
  let setPulses = 0;
  let resetPulses = 0;
  let changed = 0;
  for (let i = 0; i < rows * cols; i++) {
    const r = Math.floor(i / cols);
    const x = (g[i] as number) * input.gradScale;
    const p = Math.max(-levels, Math.min(levels, roundHalfEven((x / 2) * levels)));
    if (p === 0) continue;
    if (p < 0) {
      setPulses -= p;
      rowMaxSet[r] = Math.max(rowMaxSet[r] as number, -p);
    } else {
      resetPulses += p;
      rowMaxReset[r] = Math.max(rowMaxReset[r] as number, p);
    }
    const weight = w[i] as number;
    const a = (p < 0 ? input.aLtp[i] : input.aLtd[i]) as number;
    let moved: number;
    if (!Number.isFinite(a)) moved = weight - (2 * p) / levels;
    else {
      // x = −A·ln(1 − (w+1)/B), w′ = B·(1 − e^(−(x − p)/A)) − 1 with A = a·L, B = 2/(1 − e^(−L/A)).
      const ap = a * levels;
      const b = 2 / (1 - Math.exp(-levels / ap));
      const pos = -ap * Math.log(Math.max(1e-12, 1 - (weight + 1) / b));
      moved = b * (1 - Math.exp(-(pos - p) / ap)) - 1;
    }
    const d = weight - clip(moved);
    const q = Math.floor(d + (input.uniforms[i] as number)) / input.gradSteps;
    if (q === 0) continue;
    changed++;
    w[i] = Math.fround(clip(weight - q + input.c2c * (input.normals[i] as number)));
  }
  return { setPulses, resetPulses, changed, rowMaxSet, rowMaxReset };
}
