// The accounting: (chip description, mapping, counts) → latency and energy of every layer and phase,
// split into NeuroSim's components. Pure: no I/O, no state. Energy is counts × per-action energy;
// latency is the serial work the mapping leaves (read cycles spread over the weight copies, data
// over the bus share of the layer's tiles), which does not depend on the values read.
//
// Phase latencies here are per image (forward, error, gradient) or per update (update); the
// schedule (schedule.ts) decides how they add up.

import type { ChipDescription } from "../chip/config.js";
import type { Algo, LayerMapping, Mapping } from "../chip/mapping.js";
import type { ModelSpec } from "../nn/spec.js";
import type { UnitCosts } from "./actions.js";
import { BUFFER_LINE_BITS, type GradientPath, type Layout } from "./area.js";
import { type Counts, errorReadLayers, layerTrafficBits, trainedLayers } from "./counts.js";

export const COMPONENTS = ["array", "adc", "accumulation", "buffer", "interconnect", "wgUnit", "update", "dram"] as const;
export type Component = (typeof COMPONENTS)[number];
export type Components = Record<Component, number>;

export const PHASES = ["forward", "error", "gradient", "update"] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseCost {
  /** Seconds per image (forward, error, gradient) or per update (update), by component. */
  latency: Components;
  /** Joules per epoch, by component. */
  energy: Components;
}

export type LayerCost = Record<Phase, PhaseCost>;

export function zeroComponents(): Components {
  return { array: 0, adc: 0, accumulation: 0, buffer: 0, interconnect: 0, wgUnit: 0, update: 0, dram: 0 };
}

const zeroPhase = (): PhaseCost => ({ latency: zeroComponents(), energy: zeroComponents() });

/** Weight-gradient unit parallelism for one layer (NeuroSim Chip.cpp): copies of the activation matrix in the unit, and passes when it does not fit. */
export function gradientParallelism(
  m: LayerMapping,
  chip: ChipDescription,
  unit: { rows: number; cols: number },
): { speedup: number; passes: number } {
  const l = m.layer;
  const bits = l.inChannels * chip.config.activationBits;
  const needCols = Math.ceil(bits / chip.config.wgUnit.cols);
  if (l.positions === 1) {
    // NeuroSim folds a one-position (dense-layer) matrix over the whole unit: every array row holds a copy (§3.13, docs).
    return { speedup: unit.rows * Math.max(1, Math.floor(bits / chip.config.wgUnit.cols)), passes: 1 };
  }
  const needRows = Math.ceil(l.positions / chip.config.wgUnit.rows);
  return {
    speedup: Math.max(1, Math.floor(unit.rows / needRows)) * Math.max(1, Math.floor(unit.cols / needCols)),
    passes: Math.ceil(needRows / unit.rows) * Math.ceil(needCols / unit.cols),
  };
}

interface Context {
  layout: Layout;
  costs: UnitCosts;
}

/**
 * Seconds to move `bits` through the global buffer: lines over the cores one access reaches, times
 * `shareFactor` = ceil(tiles / the layer's tiles) — a layer's tiles get their share of the H-tree root (NeuroSim).
 */
function bufferTime(ctx: Context, bits: number, shareFactor: number): number {
  return (bits / (BUFFER_LINE_BITS * ctx.layout.parallelCores)) * ctx.costs.buffer.global.lineLatency * shareFactor;
}

/** Seconds to carry `bits` over the global bus along the mean H-tree path. */
function wireTime(ctx: Context, bits: number): number {
  return (bits / ctx.layout.busWidth) * ctx.costs.wireDelay * ctx.layout.pathLength;
}

/** Latency and energy of every layer and phase; energies per epoch from `counts`, latencies per image / update. */
export function account(
  model: ModelSpec,
  chip: ChipDescription,
  mapping: Mapping,
  layout: Layout,
  costs: UnitCosts,
  algo: Algo,
  counts: Counts,
): LayerCost[] {
  const ctx: Context = { layout, costs };
  const c = chip.config;
  const trained = trainedLayers(algo, mapping.layers.length);
  const errors = errorReadLayers(algo, mapping.layers.length);
  const epochImages = chip.batch * chip.iterations;
  const perEpoch = epochImages / counts.images;
  const updatesPerEpoch = chip.iterations / counts.updates;
  const activationBuffer = costs.buffer.global.energy + costs.buffer.tile.energy + costs.buffer.pe.energy;

  return mapping.layers.map((m, i): LayerCost => {
    const l = m.layer;
    const n = counts.layers[i];
    if (!n) throw new RangeError(`counts for layer ${i + 1} missing`);
    const share = Math.ceil(mapping.tiles / m.tiles);
    const traffic = layerTrafficBits(m, chip);
    const cost: LayerCost = { forward: zeroPhase(), error: zeroPhase(), gradient: zeroPhase(), update: zeroPhase() };

    // Forward: ceil(positions / copies) input vectors, each activation bit-slice a read cycle of `mux` ADC steps.
    {
      const steps = Math.ceil(l.positions / m.duplication) * chip.activationCycles;
      const lat = cost.forward.latency;
      lat.array = steps * c.adc.mux * costs.arrayStep;
      lat.adc = steps * c.adc.mux * costs.adc.forward.latency;
      lat.accumulation = steps * costs.accumulationStep;
      lat.buffer = bufferTime(ctx, traffic.in + traffic.out, share);
      lat.interconnect = wireTime(ctx, traffic.in + traffic.out);
      lat.dram = n.forward.dramBits / counts.images / chip.dram.bandwidth;
      const e = cost.forward.energy;
      e.array = n.forward.activeRows * costs.cellReadForward * perEpoch;
      e.adc = n.forward.conversions * costs.adc.forward.energy * perEpoch;
      e.accumulation = n.forward.conversions * (c.adc.bits + c.activationBits + 1) * costs.addBitEnergy * perEpoch;
      e.buffer = n.forward.bufferBits * activationBuffer * perEpoch;
      e.interconnect = n.forward.interconnectBits * costs.wireEnergy * layout.pathLength * perEpoch;
      e.dram = n.forward.dramBits * chip.dram.energyPerBit * perEpoch;
    }

    if (errors[i]) {
      const lat = cost.error.latency;
      const e = cost.error.energy;
      const feedback = algo === "dfa" || algo === "drtp";
      // BP/FA: the transposed read of every input vector's position; DFA/DRTP: one read of B_l per image, all its sub-arrays at once.
      const cycles = algo === "drtp" ? 1 : chip.errorCycles;
      const stacked = feedback ? (mapping.feedback.find((f) => f.index === i)?.stacked ?? 1) : 1;
      const steps = feedback ? cycles * stacked : Math.ceil(l.positions / m.duplication) * cycles;
      const bits = n.error.bufferBits / counts.images;
      lat.array = steps * c.adc.error.mux * costs.arrayStep;
      lat.adc = steps * c.adc.error.mux * costs.adc.error.latency;
      lat.accumulation = steps * costs.accumulationStep;
      // The feedback block sits next to the global buffer: full bus width, no tile share.
      lat.buffer = feedback ? bufferTime(ctx, bits, 1) : bufferTime(ctx, traffic.in + traffic.out, share);
      lat.interconnect = wireTime(ctx, feedback ? bits : traffic.in + traffic.out);
      lat.dram = n.error.dramBits / counts.images / chip.dram.bandwidth;
      e.array = n.error.activeRows * (feedback ? costs.cellReadForward : costs.cellReadError) * perEpoch;
      e.adc = n.error.conversions * costs.adc.error.energy * perEpoch;
      e.accumulation = n.error.conversions * (c.adc.error.bits + c.errorBits + 1) * costs.addBitEnergy * perEpoch;
      e.buffer = n.error.bufferBits * (feedback ? costs.buffer.global.energy : activationBuffer) * perEpoch;
      e.interconnect = n.error.interconnectBits * costs.wireEnergy * layout.pathLength * perEpoch;
      e.dram = n.error.dramBits * chip.dram.energyPerBit * perEpoch;
    }

    if (trained[i]) {
      const unit = layout.gradientArrays[i] as { rows: number; cols: number };
      const gBits = layout.gradientBits[i] as number;
      const { speedup, passes } = gradientParallelism(m, chip, unit);
      const k2 = l.kernel * l.kernel;
      const reads = Math.ceil(l.outChannels / speedup) * chip.errorCycles * c.adc.gradient.mux;
      const rowsWritten = Math.min(l.positions, c.wgUnit.rows);
      const gradientBits = l.weights * gBits;
      const path = layout.gradientPaths[i] as GradientPath;
      const lat = cost.gradient.latency;
      lat.wgUnit =
        k2 * passes * (reads * costs.gradientStep + rowsWritten * costs.gradientRowWrite) +
        Math.ceil(l.weights / path.adders) * costs.clockPeriod;
      // Activations as in the forward read; each gradient into staging and out to DRAM, back and out to the accumulator.
      lat.buffer =
        bufferTime(ctx, traffic.in + traffic.out, share) +
        ((4 * gradientBits) / (BUFFER_LINE_BITS * path.ports)) * costs.buffer.global.lineLatency;
      lat.dram = n.gradient.dramBits / counts.images / chip.dram.bandwidth;
      const e = cost.gradient.energy;
      e.wgUnit =
        (n.gradient.conversions * costs.gradientConversionEnergy +
          n.gradient.bitsWritten * costs.gradientWriteEnergy +
          n.gradient.additions * (gBits + Math.ceil(Math.log2(chip.batch))) * costs.accumulatorBitEnergy) *
        perEpoch;
      e.buffer = n.gradient.bufferBits * costs.buffer.global.energy * perEpoch;
      e.dram = n.gradient.dramBits * chip.dram.energyPerBit * perEpoch;

      // Update: rows one after another, `parallelWrites` sub-arrays at a time; every copy is written.
      const u = n.update;
      const pulses = u.setPulses + u.resetPulses;
      const setShare = pulses > 0 ? u.setPulses / pulses : 0.5;
      const pulseWidth = setShare * chip.device.writePulseWidthLtp + (1 - setShare) * chip.device.writePulseWidthLtd;
      cost.update.latency.update = ((u.writePulseSlots / counts.updates) * pulseWidth) / path.parallelWrites;
      cost.update.energy.update =
        (u.setPulses * costs.setPulseEnergy + u.resetPulses * costs.resetPulseEnergy + u.writePulseSlots * costs.writeSlotEnergy) *
        m.duplication *
        updatesPerEpoch;
    }
    return cost;
  });
}
