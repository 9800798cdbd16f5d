// Shared test fixtures: engines, deterministic inputs, and tolerance checks.

import { type CostReport, costInputOf, estimateCost } from "../src/cost/index.js";
import { resolveRunConfig } from "../src/experiment/config.js";
import { type Engine, loadEngine, type Tensor } from "../src/index.js";

/** A fresh release-build engine (its own memory). */
export function engine(): Promise<Engine> {
  return loadEngine();
}

/** Deterministic values in [−1, 1) from a small LCG: test inputs need no statistical quality. */
export function lcgFill(n: number, salt: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = (0x2545f491 ^ Math.imul(salt, 0x9e3779b9)) >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s >>> 8) / 8388608 - 1) * scale;
  }
  return out;
}

/** A tensor in `e`'s arena holding `data`. */
export function tensorOf(e: Engine, shape: number[], data: ArrayLike<number>, dtype: Tensor["dtype"] = "f32"): Tensor {
  const t = e.arena.tensor(shape, dtype);
  e.write(t, data);
  return t;
}

/**
 * Asserts |got − want| ≤ tol[i] elementwise and reports the first few
 * mismatches with the largest difference (so a failure says where and by how much).
 */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number | ArrayLike<number>, label = ""): void {
  if (got.length !== want.length) throw new Error(`${label}: length ${got.length}, expected ${want.length}`);
  const bad: string[] = [];
  let maxDiff = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i] as number;
    const w = want[i] as number;
    const t = typeof tol === "number" ? tol : (tol[i] as number);
    const d = Math.abs(g - w);
    if (!(d <= t) && !(Number.isNaN(g) && Number.isNaN(w))) {
      maxDiff = Math.max(maxDiff, d);
      if (bad.length < 5) bad.push(`[${i}] got ${g}, want ${w}, tol ${t.toExponential(2)}`);
    }
  }
  if (bad.length > 0) throw new Error(`${label}: mismatch, max |diff| ${maxDiff.toExponential(3)}: ${bad.join("; ")}`);
}

/** A run config for the cost model's tests: MNIST, batch 20, 10 updates per epoch, the rule and schedule given. */
export function costSettings(algo: string, schedule: string, chip: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return resolveRunConfig({ model: "mlp:784-10", dataset: "mnist", algo, schedule, batch: 20, iterations: 10, chip, ...extra });
}

/** The cost report of `model` (any spec; the dataset check is not involved) on those settings. */
export function costOf(
  model: string,
  algo: string,
  schedule: string,
  chip: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): CostReport {
  return estimateCost(costInputOf({ ...costSettings(algo, schedule, chip, extra), model }));
}
