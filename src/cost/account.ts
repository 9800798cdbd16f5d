// The accounting: the circuit model's per-layer figures (DNN+NeuroSim V2.1's FW, AG, WG and WU
// per epoch) become cimlearn's phases — forward, error, gradient, update — for the chosen learning
// rule, each split into components. Pure: no I/O, no state.
//
// A phase's components add up to the phase exactly: the global buffer, global H-tree and DRAM
// shares are known from the chip model; the in-tile compute is split into array, ADC and
// accumulation in the proportions of NeuroSim's core breakdown, and the in-tile buffers and buses
// in the proportions of the layer's local buffer and interconnect figures.

import type { FeedbackMatrix } from "../chip/mapping.js";
import type { OptimizerKind } from "../learning/optimizer.js";
import { errorReadLayers, feedbackStore, feedbackWrites, type LearningRule, trainedLayers } from "../learning/rule.js";
import type { ChipEstimate, FeedbackCost, LayerReport } from "./circuits/chip.js";

export const COMPONENTS = ["array", "adc", "accumulation", "buffer", "interconnect", "wgUnit", "update", "dram"] as const;
export type Component = (typeof COMPONENTS)[number];
export type Components = Record<Component, number>;

export const PHASES = ["forward", "error", "gradient", "update"] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseCost {
  /** Seconds per image (forward, error, gradient) or per update (update), by component. */
  latency: Components;
  /** Of `latency`, the seconds spent in the global buffer and the global H-tree (the chip's one shared path). */
  global: number;
  /** Joules per epoch, by component. */
  energy: Components;
}

export type LayerCost = Record<Phase, PhaseCost>;

export function zeroComponents(): Components {
  return { array: 0, adc: 0, accumulation: 0, buffer: 0, interconnect: 0, wgUnit: 0, update: 0, dram: 0 };
}

const zeroPhase = (): PhaseCost => ({ latency: zeroComponents(), global: 0, energy: zeroComponents() });

/** Split `total` over `weights` in proportion (evenly when they are all zero). */
function share(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => total / weights.length);
  return weights.map((w) => (total * w) / sum);
}

/** A read phase (FW or AG) of one layer: `total` split into compute, local transfers and the known global parts. */
function readPhase(
  total: number,
  peak: number,
  globals: { buffer: number; interconnect: number; dram: number },
  core: [number, number, number],
  local: [number, number],
): Components {
  const c = zeroComponents();
  if (total <= 0) return c;
  const [adc, accumulation, array] = share(peak, core);
  const rest = Math.max(0, total - peak - globals.buffer - globals.interconnect - globals.dram);
  const [buffer, interconnect] = share(rest, local);
  c.adc = adc as number;
  c.accumulation = accumulation as number;
  c.array = array as number;
  c.buffer = (buffer as number) + globals.buffer;
  c.interconnect = (interconnect as number) + globals.interconnect;
  c.dram = globals.dram;
  return c;
}

/** In-tile (local) buffer and interconnect figures of a layer: its totals less the global parts. */
function localTransfers(r: LayerReport, what: 0 | 1): [number, number] {
  const p = r.parts;
  const globalBuffer = p.fw.buffer[what] + p.ag.buffer[what] + p.wg.buffer[what];
  const globalIc = p.fw.interconnect[what] + p.ag.interconnect[what];
  const buffer = (what === 0 ? r.bufferLatency : r.bufferDynamicEnergy) - globalBuffer;
  const ic = (what === 0 ? r.icLatency : r.icDynamicEnergy) - globalIc;
  return [Math.max(0, buffer), Math.max(0, ic)];
}

/** The writes of the feedback matrix B_i that mirrors W_i's tiles, for one epoch (as the chip's WU figures). */
export interface FeedbackWriteCost {
  latency: number;
  energy: number;
}

/**
 * Per layer: the rule's phases, latencies per image (update: per weight update), energies per epoch.
 * `feedbackWrites`: per layer, the writes of the B that mirrors its tiles (rules whose B changes).
 */
export function layerCosts(
  est: ChipEstimate,
  rule: LearningRule,
  feedback: FeedbackCost[],
  feedbackWriteCosts: FeedbackWriteCost[],
  images: number,
  updates: number,
): LayerCost[] {
  const L = est.layers.length;
  const trained = trainedLayers(rule, L);
  const errors = errorReadLayers(rule, L);
  // Direct rules read their own feedback arrays; mirror rules read a copy of the weight tiles, which costs as W's transposed read.
  const viaFeedback = feedbackStore(rule) === "direct";
  const writes = feedbackWrites(rule);
  return est.layers.map((r, i): LayerCost => {
    const cost: LayerCost = { forward: zeroPhase(), error: zeroPhase(), gradient: zeroPhase(), update: zeroPhase() };
    const p = r.parts;
    const coreLatency: [number, number, number] = [r.coreLatencyADC, r.coreLatencyAccum, r.coreLatencyOther];
    const coreEnergy: [number, number, number] = [r.coreEnergyADC, r.coreEnergyAccum, r.coreEnergyOther];
    const perImage = (c: Components) => {
      for (const k of COMPONENTS) c[k] /= images;
      return c;
    };
    const globals = (part: typeof p.fw, what: 0 | 1) => ({
      buffer: part.buffer[what],
      interconnect: part.interconnect[what],
      dram: part.dram[what],
    });

    cost.forward.latency = perImage(readPhase(r.readLatency, r.readLatencyPeakFW, globals(p.fw, 0), coreLatency, localTransfers(r, 0)));
    cost.forward.global = (p.fw.buffer[0] + p.fw.interconnect[0]) / images;
    cost.forward.energy = readPhase(r.readDynamicEnergy, r.readDynamicEnergyPeakFW, globals(p.fw, 1), coreEnergy, localTransfers(r, 1));

    if (errors[i]) {
      if (viaFeedback) {
        const f = feedback.find((x) => x.layer === i);
        if (f) {
          for (const k of ["array", "adc", "accumulation", "buffer", "interconnect", "dram"] as const) {
            cost.error.latency[k] = f.latency[k] / images;
            cost.error.energy[k] = f.energy[k];
          }
          cost.error.global = f.global / images;
        }
      } else {
        cost.error.latency = perImage(readPhase(r.readLatencyAG, r.readLatencyPeakAG, globals(p.ag, 0), coreLatency, localTransfers(r, 0)));
        cost.error.global = (p.ag.buffer[0] + p.ag.interconnect[0]) / images;
        cost.error.energy = readPhase(r.readDynamicEnergyAG, r.readDynamicEnergyPeakAG, globals(p.ag, 1), coreEnergy, localTransfers(r, 1));
      }
    }

    if (trained[i]) {
      cost.gradient.latency.wgUnit = (p.wg.compute[0] + p.wg.accumulate[0]) / images;
      cost.gradient.latency.buffer = (p.wg.buffer[0] + p.wg.local[0]) / images;
      cost.gradient.global = p.wg.buffer[0] / images;
      cost.gradient.latency.dram = p.wg.dram[0] / images;
      cost.gradient.energy.wgUnit = p.wg.compute[1] + p.wg.accumulate[1];
      cost.gradient.energy.buffer = p.wg.buffer[1] + p.wg.local[1];
      cost.gradient.energy.dram = p.wg.dram[1];
      // B_i (i > 0) on its mirror of W_i's tiles: Kolen–Pollack writes it alongside W on its own arrays;
      // a sign-symmetric B is rebuilt from W's new weights, after W's write.
      const b = i > 0 ? feedbackWriteCosts[i] : undefined;
      let latency = r.writeLatencyWU;
      let energy = r.writeDynamicEnergyWU;
      if (b) {
        switch (writes) {
          case "none":
            break;
          case "learned":
            latency = Math.max(latency, b.latency);
            energy += b.energy;
            break;
          case "follows-weights":
            latency += b.latency;
            energy += b.energy;
            break;
        }
      }
      cost.update.latency.update = latency / updates;
      cost.update.energy.update = energy;
    }
    return cost;
  });
}

export interface AreaBreakdown {
  /** Cells of the weight arrays. */
  arrays: number;
  /** ADCs of the weight arrays (forward and transposed reads). */
  adc: number;
  /** Shift-adders and adder trees. */
  accumulation: number;
  /** Switch matrices, multiplexers, decoders, buffers (global, tile, PE), pooling and activation units. */
  other: number;
  /** The global and tile H-trees. */
  interconnect: number;
  /** Weight-gradient unit(s) and the gradient accumulator. */
  wgUnit: number;
  /** Feedback matrices' arrays with their periphery (FA: a mirror of the weight tiles; DFA, DRTP: their own sub-arrays). */
  feedbackArrays: number;
  /** Tiki-Taka's fast arrays: a mirror of every layer's weight tiles. */
  optimizerArrays: number;
}

/** The chip's area by component, with the rule's feedback arrays. */
export function areaBreakdown(
  est: ChipEstimate,
  rule: LearningRule,
  feedback: FeedbackCost[],
  matrices: FeedbackMatrix[],
  optimizer: OptimizerKind = "sgd",
): AreaBreakdown {
  const a = est.area;
  const fp = est.floorplan;
  const tilesOf = (index: number) =>
    (fp.tilesRow[index] as number) * (fp.tilesCol[index] as number) * (fp.novel[index] ? est.tileArea.novel : est.tileArea.conventional);
  let feedbackArrays = 0;
  if (feedbackStore(rule) === "mirror") {
    for (const m of matrices) feedbackArrays += tilesOf(m.index);
  } else {
    for (const f of feedback) feedbackArrays += f.area.array + f.area.adc + f.area.accumulation + f.area.other;
  }
  return {
    arrays: a.array,
    adc: a.adc,
    accumulation: a.accumulation,
    other: a.other,
    interconnect: a.interconnect,
    wgUnit: a.weightGradient,
    feedbackArrays,
    optimizerArrays: optimizer === "tiki-taka" ? est.layers.reduce((s, _, i) => s + tilesOf(i), 0) : 0,
  };
}
