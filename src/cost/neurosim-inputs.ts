// From a cimlearn run config to the inputs of the circuit model (src/cost/circuits): DNN+NeuroSim
// V2.1's Param.cpp fields, its NetWork.csv rows and the trace statistics. Each field below names
// the Param.cpp field it sets; docs/cost-model.md has the table.

import type { ResolvedChipConfig } from "../chip/config.js";
import type { DeviceParams } from "../device/params.js";
import { InputError } from "../engine/errors.js";
import type { LayerShape, ModelSpec } from "../nn/spec.js";
import type { NetLayer } from "./circuits/floorplan.js";
import { type CircuitContext, type ContextOverrides, makeContext, nodeWireDefaults } from "./circuits/params.js";
import type { LayerTraceStats } from "./circuits/traces.js";

/** What the circuit model needs of a run config. */
export interface CircuitSettings {
  chip: ResolvedChipConfig;
  device: DeviceParams;
  /** A differential pair of cells per weight doubles the columns (NeuroSim has one cell group per weight). */
  differential: boolean;
  batch: number;
  iterations: number;
  /** Hidden-layer activation: ReLU units, or a sigmoid look-up for sigmoid and tanh. */
  activation: "relu" | "sigmoid" | "tanh";
}

/** NeuroSim memcelltype: 1 SRAM, 2 resistive (RRAM and other two-terminal cells), 3 FeFET. */
function memCellType(chip: ResolvedChipConfig, device: DeviceParams): number {
  const cell = chip.cellType === "device" ? device.cell : chip.cellType;
  if (cell === "sram") return 1;
  if (cell === "fefet") return 3;
  return 2;
}

/** Param.cpp fields for a resolved chip config and device. */
export function paramOverrides(s: CircuitSettings): ContextOverrides {
  const { chip, device } = s;
  if (chip.adc.error.type !== chip.adc.type || chip.adc.gradient.type !== chip.adc.type) {
    throw new InputError(
      `chip.adc: the forward (${chip.adc.type}), error (${chip.adc.error.type}) and gradient (${chip.adc.gradient.type}) ADC types differ; the circuit model (NeuroSim's SARADC switch) uses one ADC type for every read — set chip.adc.type only`,
    );
  }
  const wires = nodeWireDefaults(chip.technology);
  // NeuroSim drives LTP and LTD with one write voltage and takes the cell's as √(V_LTP² + V_LTD²).
  const writeVoltage = Math.sqrt((device.writeVoltageLtp ** 2 + device.writeVoltageLtd ** 2) / 2);
  return {
    technode: chip.technology,
    wireWidth: wires.wireWidth,
    featuresize: wires.featuresize,
    deviceroadmap: chip.roadmap === "hp" ? 1 : 2,
    temp: chip.temperature,
    clkFreq: chip.clock,
    memcelltype: memCellType(chip, device),
    accesstype: chip.cellAccess === "1t1r" ? 1 : 4,
    resistanceOn: 1 / device.gMax,
    resistanceOff: 1 / device.gMin,
    maxNumLevelLTP: device.levelsLtp,
    maxNumLevelLTD: device.levelsLtd,
    writeVoltage,
    writePulseWidth: (device.writePulseWidthLtp + device.writePulseWidthLtd) / 2,
    readVoltage: device.readVoltage,
    readPulseWidth: device.readPulseWidth,
    numRowSubArray: chip.subArray.rows,
    numColSubArray: chip.subArray.cols,
    cellBit: chip.cellBits,
    // A differential pair doubles the cells per weight: as if each weight had twice the bits to store.
    synapseBit: chip.weightBits * (s.differential ? 2 : 1),
    numBitInput: chip.activationBits,
    sarADC: chip.adc.type === "sar",
    currentMode: chip.adc.sense === "current",
    levelOutput: 2 ** chip.adc.bits,
    numColMuxed: chip.adc.mux,
    levelOutputAG: 2 ** chip.adc.error.bits,
    numRowMuxedAG: chip.adc.error.mux,
    levelOutputWG: 2 ** chip.adc.gradient.bits,
    numRowMuxedWG: chip.adc.gradient.mux,
    numRowSubArrayWG: chip.wgUnit.rows,
    numColSubArrayWG: chip.wgUnit.cols,
    globalBufferType: chip.buffers.global === "sram",
    tileBufferType: chip.buffers.tile === "sram",
    peBufferType: chip.buffers.pe === "sram",
    novelMapping: chip.mapping === "novel",
    maxGlobalBusWidth: chip.maxBusWidth,
    dramType: chip.dram === "gddr5" ? 1 : 2,
    batchSize: s.batch,
    numIteration: s.iterations,
    reLu: s.activation === "relu",
  };
}

export function circuitContext(s: CircuitSettings): CircuitContext {
  return makeContext(paramOverrides(s));
}

/**
 * NetWork.csv rows: input map, kernel, output channels, pooling, stride. NeuroSim counts a
 * convolution's positions on the unpadded input ((H − K + 1)/stride per side); `padded` counts
 * them on the zero-padded map, as the network computes them.
 */
export function networkRows(model: ModelSpec, positions: "unpadded" | "padded"): NetLayer[] {
  return model.layers.map((l: LayerShape) => {
    if (l.kind === "dense") {
      return { ifmH: 1, ifmW: 1, ifmC: l.inChannels * l.inHeight * l.inWidth, kH: 1, kW: 1, ofmC: l.outChannels, pool: false, stride: 1 };
    }
    const pad = positions === "padded" ? 2 * l.padding : 0;
    return {
      ifmH: l.inHeight + pad,
      ifmW: l.inWidth + pad,
      ifmC: l.inChannels,
      kH: l.kernel,
      kW: l.kernel,
      ofmC: l.outChannels,
      pool: l.pool > 1,
      stride: l.stride,
    };
  });
}

/** The trace statistics a shape-only estimate assumes (`assume.*` in a run config). */
export interface Assumptions {
  /** Fraction of 1s in an activation bit-plane (NeuroSim: measured from the traces; the manual's figure shows 0.5). */
  activity: number;
  /** Fraction of active columns in the transposed (error) read (NeuroSim fixes it at 0.5). */
  errorActivity: number;
  /** Fraction of weights one update changes. */
  updateFraction: number;
  /** Changed weights move by 1 … updateSteps weight LSBs, equally likely. */
  updateSteps: number;
  /** Share of the changes that potentiate. */
  setShare: number;
  /** Mean and standard deviation of the weights (normalized to [−1, 1]). */
  weightMean: number;
  weightStd: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  activity: 0.5,
  errorActivity: 0.5,
  updateFraction: 0.5,
  updateSteps: 1,
  setShare: 0.5,
  weightMean: 0,
  weightStd: 0.5,
};

/**
 * Pulses per changed cell: a change of k weight LSBs moves the conductance by k·(range / 2^weightBits),
 * i.e. ceil(k · levels / 2^weightBits) pulses of range/levels (NeuroSim GetWriteUpdateEstimation).
 */
export function pulseDistribution(steps: number, levels: number, weightBits: number): number[] {
  const dist: number[] = [];
  for (let k = 1; k <= steps; k++) {
    // The small relative slack keeps an exact multiple from rounding up on floating-point noise.
    const pulses = Math.max(1, Math.ceil((k * levels) / 2 ** weightBits - 1e-9));
    while (dist.length < pulses) dist.push(0);
    dist[pulses - 1] = (dist[pulses - 1] as number) + 1 / steps;
  }
  return dist;
}

/** A changed weight's move: 1 … `steps` weight LSBs, equally likely. */
export function stepDistribution(steps: number): number[] {
  return Array.from({ length: steps }, () => 1 / steps);
}

/** Per-layer statistics from assumptions (every layer alike). */
export function assumedStats(layers: number, a: Assumptions): LayerTraceStats[] {
  const steps = stepDistribution(a.updateSteps);
  return Array.from({ length: layers }, () => ({
    activity: a.activity,
    errorActivity: a.errorActivity,
    weightMean: a.weightMean,
    weightStd: a.weightStd,
    updateFraction: a.updateFraction,
    setShare: a.setShare,
    steps,
  }));
}
