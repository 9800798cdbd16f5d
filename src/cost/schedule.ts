// Schedules: how the layers' phase latencies add up to an epoch. Each schedule yields, per phase
// and layer, how many times that layer's phase latency lies on the critical path per image (per
// update for the update phase); the epoch latency is the weighted sum. Energy does not depend on
// the schedule (leakage, which runs for the whole epoch, does).
//
//   sequential    layer after layer, phase after phase, image after image (NeuroSim, pipeline = false).
//   dfa-parallel  forward layer after layer; then every layer's error read and gradient at once,
//                 since each needs only the output error (reference §2.7). With one shared
//                 weight-gradient unit the gradients queue for it; with one per layer they overlap,
//                 and so do the updates. Only for algorithms whose hidden layers do not wait for the
//                 next layer's error: dfa, drtp, output-only.
//   pipelined     images flow through the layers: per batch the forward and error passes take the
//                 slowest layer's time per image plus one fill; gradients and updates stay layer by
//                 layer (the shared unit and the buffer limit them — NeuroSim does not pipeline them).

import type { Algo } from "../chip/mapping.js";
import { InputError } from "../engine/errors.js";
import { COMPONENTS, type Component, type LayerCost, type Phase } from "./account.js";

export const SCHEDULES = ["sequential", "dfa-parallel", "pipelined"] as const;
export type Schedule = (typeof SCHEDULES)[number];

/** Per phase, per layer: multiplicity on the critical path (per image; per update for "update"). */
export type PathWeights = Record<Phase, number[]>;

const phaseTotal = (c: LayerCost, p: Phase) => COMPONENTS.reduce((s, k) => s + c[p].latency[k], 0);

export function checkSchedule(schedule: Schedule, algo: Algo): void {
  if (schedule === "dfa-parallel" && (algo === "bp" || algo === "fa")) {
    throw new InputError(
      `schedule: "dfa-parallel" needs a rule whose hidden layers learn from the output alone (algo dfa, drtp or output-only); algo "${algo}" chains the error layer by layer — use "sequential" or "pipelined"`,
    );
  }
}

export function pathWeights(
  schedule: Schedule,
  algo: Algo,
  layers: readonly LayerCost[],
  batch: number,
  sharedGradientUnit: boolean,
): PathWeights {
  checkSchedule(schedule, algo);
  const L = layers.length;
  const ones = () => new Array<number>(L).fill(1);
  const zeros = () => new Array<number>(L).fill(0);
  if (schedule === "sequential") return { forward: ones(), error: ones(), gradient: ones(), update: ones() };

  if (schedule === "pipelined") {
    const piped = (phase: Phase) => {
      const w = new Array<number>(L).fill(1 / batch);
      let slowest = 0;
      layers.forEach((c, i) => {
        if (phaseTotal(c, phase) > phaseTotal(layers[slowest] as LayerCost, phase)) slowest = i;
      });
      w[slowest] = (w[slowest] as number) + (batch - 1) / batch;
      return w;
    };
    return { forward: piped("forward"), error: piped("error"), gradient: ones(), update: ones() };
  }

  // dfa-parallel
  const error = zeros();
  const gradient = zeros();
  const errorTime = layers.map((c) => phaseTotal(c, "error"));
  const gradientTime = layers.map((c) => phaseTotal(c, "gradient"));
  if (sharedGradientUnit) {
    // The unit takes the layers in the order their errors are ready; the critical path is the last
    // error it had to wait for, then every gradient queued behind it.
    const order = layers.map((_, i) => i).sort((a, b) => (errorTime[a] as number) - (errorTime[b] as number));
    let t = 0;
    let path: { error: number; gradients: number[] } = { error: -1, gradients: [] };
    for (const i of order) {
      if ((errorTime[i] as number) >= t) {
        path = { error: i, gradients: [i] };
        t = (errorTime[i] as number) + (gradientTime[i] as number);
      } else {
        path.gradients.push(i);
        t += gradientTime[i] as number;
      }
    }
    if (path.error >= 0) error[path.error] = 1;
    for (const i of path.gradients) gradient[i] = 1;
    return { forward: ones(), error, gradient, update: ones() };
  }
  let critical = 0;
  layers.forEach((_, i) => {
    if ((errorTime[i] as number) + (gradientTime[i] as number) > (errorTime[critical] as number) + (gradientTime[critical] as number))
      critical = i;
  });
  error[critical] = 1;
  gradient[critical] = 1;
  const update = zeros();
  let slowestUpdate = 0;
  layers.forEach((c, i) => {
    if (phaseTotal(c, "update") > phaseTotal(layers[slowestUpdate] as LayerCost, "update")) slowestUpdate = i;
  });
  update[slowestUpdate] = 1;
  return { forward: ones(), error, gradient, update };
}

/** Epoch latency of each phase, split by component, along the critical path. */
export function criticalPath(
  layers: readonly LayerCost[],
  weights: PathWeights,
  images: number,
  updates: number,
): Record<Phase, Record<Component, number>> {
  const out = {} as Record<Phase, Record<Component, number>>;
  for (const phase of ["forward", "error", "gradient", "update"] as const) {
    const times = phase === "update" ? updates : images;
    const row = {} as Record<Component, number>;
    for (const k of COMPONENTS) {
      row[k] = times * layers.reduce((s, c, i) => s + (weights[phase][i] as number) * c[phase].latency[k], 0);
    }
    out[phase] = row;
  }
  return out;
}
