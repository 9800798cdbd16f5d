// A plain-TypeScript twin of device programming (assembly/device.ts `program`), in float64: pulse
// counts exactly as the kernel decides them, conductances along the closed-form curve walk (the
// kernel's f32 walk is within a few ulp of it, times the curve's conditioning). Tests compare the
// kernel with it on whole arrays with every feature on; not part of the package.

export interface ProgramRefInput {
  rows: number;
  cols: number;
  /** Conductances (S), updated in place. */
  g: Float64Array;
  /** Desired changes (weight units; the kernel's f32 values). */
  dw: ArrayLike<number>;
  dwScale: number;
  gMin: number;
  gMax: number;
  levelsLtp: number;
  levelsLtd: number;
  /** Per-device normalized curve constants (±Infinity: linear). */
  aLtp: ArrayLike<number>;
  aLtd: ArrayLike<number>;
  /** Per-device bounds (D2D); absent: the nominal ones. */
  gMinArr?: ArrayLike<number>;
  gMaxArr?: ArrayLike<number>;
  /** Nonzero: stuck. */
  flags?: ArrayLike<number>;
  c2c: number;
  c2cSqrt: boolean;
  threshold: number;
  stochastic: boolean;
  /** Element i of the (seed, stochastic-rounding stream, step) uniforms, for stochastic rounding. */
  uniforms?: ArrayLike<number>;
  /** Element i of the (seed, cycle-to-cycle stream, step) fast normals, for C2C noise. */
  normals?: ArrayLike<number>;
}

export interface ProgramRefResult {
  pulses: Int32Array;
  setPulses: number;
  resetPulses: number;
  devicesMoved: number;
  stuckPulsed: number;
  rowMaxSet: Int32Array;
  rowMaxReset: Int32Array;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Programs `input.g` as the kernel does; returns the pulses and the totals. */
export function programRef(input: ProgramRefInput): ProgramRefResult {
  const { rows, cols, g, dw } = input;
  const n = rows * cols;
  const pulses = new Int32Array(n);
  const rowMaxSet = new Int32Array(rows);
  const rowMaxReset = new Int32Array(rows);
  let setPulses = 0;
  let resetPulses = 0;
  let devicesMoved = 0;
  let stuckPulsed = 0;
  const sigmaNominal = Math.fround(input.c2c * Math.fround(Math.fround(input.gMax) - Math.fround(input.gMin)));
  for (let i = 0; i < n; i++) {
    const d = dw[i] as number;
    const up = d > 0;
    const levels = up ? input.levelsLtp : input.levelsLtd;
    let x = d * input.dwScale * levels;
    const pass = Math.abs(x) >= input.threshold;
    x = input.stochastic ? Math.floor(x + (input.uniforms?.[i] as number)) : roundHalfEven(Math.max(-levels, Math.min(levels, x)));
    const p = pass ? Math.max(-levels, Math.min(levels, x)) : 0;
    pulses[i] = p;
    if (p === 0) continue;
    const r = Math.floor(i / cols);
    if (p > 0) {
      setPulses += p;
      rowMaxSet[r] = Math.max(rowMaxSet[r] as number, p);
    } else {
      resetPulses -= p;
      rowMaxReset[r] = Math.max(rowMaxReset[r] as number, -p);
    }
    if (input.flags && input.flags[i] !== 0) {
      stuckPulsed++;
      continue;
    }
    devicesMoved++;
    const lo = input.gMinArr ? (input.gMinArr[i] as number) : input.gMin;
    const hi = input.gMaxArr ? (input.gMaxArr[i] as number) : input.gMax;
    const span = hi - lo;
    const u = Math.min(1, Math.max(0, ((g[i] as number) - lo) / span));
    const a = (p > 0 ? input.aLtp[i] : input.aLtd[i]) as number;
    const s = p / (p > 0 ? input.levelsLtp : input.levelsLtd);
    let next: number;
    if (!Number.isFinite(a)) next = u + s;
    else {
      // u(P) = (1 − e^(−P/(a·L)))/(1 − e^(−1/a)) walked by s = p/L from u: with m = −1/a (clamped to ±87),
      // u′ = u·e^(m·s) + expm1(m·s)/expm1(m).
      const m = Math.max(-87, Math.min(87, -1 / a));
      next = u * Math.exp(m * s) + Math.expm1(m * s) / Math.expm1(m);
    }
    let value = lo + Math.min(1, Math.max(0, next)) * span;
    if (input.c2c !== 0) value += (input.c2cSqrt ? sigmaNominal * Math.sqrt(Math.abs(p)) : sigmaNominal) * (input.normals?.[i] as number);
    g[i] = Math.min(hi, Math.max(lo, value));
  }
  return { pulses, setPulses, resetPulses, devicesMoved, stuckPulsed, rowMaxSet, rowMaxReset };
}
