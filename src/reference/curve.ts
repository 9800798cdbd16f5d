// The device curve in plain TypeScript, float64: DNN+NeuroSim's conductance curve (manual Eq. 8.1–8.3,
// normalized) and its nonlinearity label ↔ curve constant rule, solved independently of the kernel
// (golden-section search and bisection), the twins test/device.test.ts checks assembly/device.ts
// against. Not part of the package.

/** The gap constant of the NL rule: max_x (g_A(x) − x) = 0.0989950·NL (the rule behind DNN+NeuroSim V2.1's label → A table). */
export const NL_GAP = 0.098995;

/** g_A(x) = (1 − e^(−x/A))/(1 − e^(−1/A)), with expm1 for large A. */
export function gA(x: number, a: number): number {
  return Math.expm1(-x / a) / Math.expm1(-1 / a);
}

/** max over x ∈ [0, 1] of g_A(x) − x, by golden-section search (A > 0: the difference is unimodal). */
export function maxGap(a: number): number {
  const f = (x: number): number => gA(x, a) - x;
  const r = (Math.sqrt(5) - 1) / 2;
  let lo = 0;
  let hi = 1;
  let x1 = hi - r * (hi - lo);
  let x2 = lo + r * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let i = 0; i < 120 && hi - lo > 1e-13; i++) {
    if (f1 < f2) {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + r * (hi - lo);
      f2 = f(x2);
    } else {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - r * (hi - lo);
      f1 = f(x1);
    }
  }
  return Math.max(f1, f2, f(lo), f(hi));
}

/** The NL rule solved for A by bisection in log A (the gap falls as A grows). */
export function refNlToA(nl: number): number {
  const target = NL_GAP * Math.abs(nl);
  let lo = 1e-3;
  let hi = 1e4;
  for (let i = 0; i < 200 && hi / lo > 1 + 1e-15; i++) {
    const mid = Math.sqrt(lo * hi);
    if (maxGap(mid) > target) lo = mid;
    else hi = mid;
  }
  return Math.sign(nl) * Math.sqrt(lo * hi);
}

/** Normalized curve position u ∈ [0, 1] after P pulses from 0 (the NeuroSim manual's Eq. 8.1 normalized, A and Pmax in pulses; unclamped). */
export function curveU(p: number, a: number, pmax: number): number {
  const b = 1 / -Math.expm1(-pmax / a);
  return -b * Math.expm1(-p / a);
}

/** The pulse position of u on that curve (inverse of curveU). */
export function curveP(u: number, a: number, pmax: number): number {
  const b = 1 / -Math.expm1(-pmax / a);
  return -a * Math.log1p(-u / b);
}
