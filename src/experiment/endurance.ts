// Write endurance: how often training programs each device, and how long a chip lasts at that rate.
// A write is a programming event — an update that sends a device at least one pulse (the kernel
// counts them per device, src/device/array.ts `writes`).

import type { Engine } from "../engine/engine.js";
import type { Network } from "../nn/network.js";

export interface WriteStats {
  devices: number;
  /** Writes of the most-written device, and the mean over devices. */
  max: number;
  mean: number;
  /** Percentiles of writes per device (nearest rank). */
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  /** Devices per power-of-two bin of writes: [0, 0], [1, 1], [2, 3], [4, 7], … up to the maximum. */
  histogram: { from: number; to: number; devices: number }[];
}

export interface EnduranceReport {
  /** Updates the counts cover, and epochs. */
  updates: number;
  epochs: number;
  /** Per weight layer: its weight arrays' devices (both of a differential pair). */
  layers: (WriteStats & { layer: number })[];
  /** Feedback arrays on crossbars (their own devices), per layer that reads them. */
  feedback: (WriteStats & { layer: number })[];
  /** Tiki-Taka's fast arrays, per layer. */
  fast: (WriteStats & { layer: number })[];
  /** All devices together. */
  all: WriteStats;
  /** The device's endurance in writes, and where it comes from. */
  endurance?: number;
  endurance_source: string;
  /** Epochs until the most-written device reaches its endurance at this run's rate (absent when the endurance is unknown or nothing was written). */
  lifetime_epochs?: number;
}

/** Statistics of per-device write counts (one or more arrays of them). */
export function writeStats(parts: Uint32Array[]): WriteStats {
  let devices = 0;
  let max = 0;
  let sum = 0;
  for (const p of parts) {
    devices += p.length;
    for (let i = 0; i < p.length; i++) {
      const v = p[i] as number;
      sum += v;
      if (v > max) max = v;
    }
  }
  // Exact percentiles from a count per value (writes are bounded by the updates done).
  const perValue = new Float64Array(max + 1);
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      const v = p[i] as number;
      perValue[v] = (perValue[v] as number) + 1;
    }
  }
  const rank = (q: number): number => {
    const target = Math.max(1, Math.ceil(q * devices));
    let seen = 0;
    for (let v = 0; v <= max; v++) {
      seen += perValue[v] as number;
      if (seen >= target) return v;
    }
    return max;
  };
  const histogram: WriteStats["histogram"] = [{ from: 0, to: 0, devices: perValue[0] ?? 0 }];
  for (let from = 1; from <= max; from *= 2) {
    const to = Math.min(max, 2 * from - 1);
    let n = 0;
    for (let v = from; v <= to; v++) n += perValue[v] as number;
    histogram.push({ from, to, devices: n });
  }
  return {
    devices,
    max,
    mean: devices > 0 ? sum / devices : 0,
    p50: rank(0.5),
    p90: rank(0.9),
    p99: rank(0.99),
    p999: rank(0.999),
    histogram,
  };
}

/** The network's write counts so far, with the projected lifetime for the device's endurance. */
export function enduranceReport(engine: Engine, net: Network, updates: number, epochs: number, deviceName: string): EnduranceReport {
  const countsOf = (arrays: { plus: { writes: Parameters<Engine["u32"]>[0] }; minus?: { writes: Parameters<Engine["u32"]>[0] } }) =>
    [arrays.plus, arrays.minus].filter((a) => a !== undefined).map((a) => engine.u32(a.writes));
  const all: Uint32Array[] = [];
  const layers = net.layers.map((l) => {
    const parts = countsOf(l.array);
    all.push(...parts);
    return { layer: l.index + 1, ...writeStats(parts) };
  });
  const feedback: EnduranceReport["feedback"] = [];
  for (const l of net.layers) {
    const array = l.feedback?.array;
    if (!array) continue;
    const parts = countsOf(array);
    all.push(...parts);
    feedback.push({ layer: l.index + 1, ...writeStats(parts) });
  }
  const fast: EnduranceReport["fast"] = [];
  for (const [i, array] of (net.fastArrays ?? []).entries()) {
    const parts = countsOf(array);
    all.push(...parts);
    fast.push({ layer: i + 1, ...writeStats(parts) });
  }
  const stats = writeStats(all);
  const endurance = net.options.device.endurance;
  const report: EnduranceReport = {
    updates,
    epochs,
    layers,
    feedback,
    fast,
    all: stats,
    endurance_source:
      endurance !== undefined
        ? "device.endurance"
        : `unknown: no source for ${deviceName} gives a write endurance in programming events; set device.endurance for a projected lifetime`,
  };
  if (endurance !== undefined) {
    report.endurance = endurance;
    if (stats.max > 0 && epochs > 0) report.lifetime_epochs = endurance / (stats.max / epochs);
  }
  return report;
}
