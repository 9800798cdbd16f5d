// How a layer's desired change reaches its devices.
//   sgd:             programmed as it is (the device's pulse rounding decides the pulses).
//   mixed-precision: accumulated in a digital χ per weight; only whole pulses are programmed, once χ
//                    holds `threshold` of them (Nandakumar et al., Frontiers in Neuroscience 14, 406,
//                    2020). χ lives where the chip accumulates gradients (chip.wgUnit.accumulation).
//   tiki-taka:       programmed into a second, fast array A per layer (its own device, zero-shifted:
//                    weight 0 at the device's symmetric point); every `transferEvery` updates
//                    `transferRows` rows of A are read through the array's periphery and added,
//                    times `transferLr`, to those rows of the weights C (Gokmen & Haensch, Frontiers
//                    in Neuroscience 14, 103, 2020). The network reads C alone (γ = 0).

import type { DeviceParams } from "../device/params.js";
import { portableExpm1 } from "../engine/portable-math.js";

export const OPTIMIZERS = ["sgd", "mixed-precision", "tiki-taka"] as const;
export type OptimizerKind = (typeof OPTIMIZERS)[number];

export type Optimizer =
  | { kind: "sgd" }
  | { kind: "mixed-precision"; threshold: number }
  | { kind: "tiki-taka"; transferEvery: number; transferRows: number; transferLr: number; fastDevice: DeviceParams & { preset: string } };

/**
 * The symmetric point of a device: the normalized position u = (G − gMin)/(gMax − gMin) where one
 * potentiating and one depressing pulse move it by the same amount (the point random ± updates
 * drift to). On the programming kernel's curves one pulse moves u by expm1(m·s)·(u + 1/expm1(m)),
 * m = −1/a, s = ±1/levels: linear in u, so the point is where the two lines cancel. Devices whose
 * steps cancel everywhere (symmetric) or nowhere (linear with unequal levels) give mid-range.
 * `aLtp`, `aLtd`: the normalized curve constants (Infinity: linear).
 */
export function symmetricPoint(aLtp: number, aLtd: number, levelsLtp: number, levelsLtd: number): number {
  const line = (a: number, s: number): [number, number] => {
    const m = Number.isFinite(a) ? Math.max(-87, Math.min(87, -1 / a)) : 0;
    if (m === 0) return [0, s];
    const e = portableExpm1(m * s);
    return [e, e / portableExpm1(m)];
  };
  const [ep, fp] = line(aLtp, 1 / levelsLtp);
  const [ed, fd] = line(aLtd, -1 / levelsLtd);
  const slope = ep + ed;
  if (Math.abs(slope) < 1e-15) return 0.5;
  return Math.min(1, Math.max(0, -(fp + fd) / slope));
}
