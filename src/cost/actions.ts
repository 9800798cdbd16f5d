// Per-action costs: the latency, energy and area of one action of each circuit, at the chip's
// technology node. Given at 32 nm (the NeuroSim V2.1 default) and scaled by the rules in
// src/chip/technology.ts.
//
// Sources, per constant (reference = ../shared/reference/paper-and-neurosim.md):
//   [P]   NeuroSim V2.1 Param.cpp values (§3.8).
//   [NS]  NeuroSim V2.1 circuit models (MultilevelSenseAmp.cpp, SarADC.cpp, Buffer.cpp, DRAM.cpp,
//         constant.h), restated as formulas.
//   [CAL] calibrated: the one free factor of a component, fitted so that the VGG-8 / CIFAR-10
//         example (§3.12, manual Figs. 32–34) comes out at its published component total, with
//         every other quantity following from the shapes. docs/cost-model.md shows each fit.
//   [EST] estimate from first principles where neither source gives a number; stated with it.

import type { AdcRead, BufferType, ChipDescription } from "../chip/config.js";

/** Latency (s) and energy (J) of one conversion, area (m²) of one converter. */
export interface AdcCost {
  latency: number;
  energy: number;
  area: number;
}

export interface BufferCost {
  /** m² per stored bit. */
  area: number;
  /** J per bit read or written. */
  energy: number;
  /** s per line access (one line: BUFFER_LINE_BITS bits of one core). */
  lineLatency: number;
}

export interface UnitCosts {
  adc: { forward: AdcCost; error: AdcCost; gradient: AdcCost };
  /** Sub-array read time per multiplexer step, besides the ADC: drivers, switch matrices, line settling. */
  arrayStep: number;
  /** Cell read energy of one active input line during one sub-array read: cols · V_read² · Ḡ · t_sense. */
  cellReadForward: number;
  cellReadError: number;
  /** Shift-add / adder trees: energy per adder bit per operation, latency per read cycle, area per adder bit. */
  addBitEnergy: number;
  accumulationStep: number;
  accumulationBitArea: number;
  /** Row and column periphery (switch matrices, multiplexers, decoders) per line of a sub-array. */
  peripheryLineArea: number;
  buffer: Record<"global" | "tile" | "pe", BufferCost>;
  /** Global H-tree: energy per bit per metre, delay per bus word per metre, area per wire per metre. */
  wireEnergy: number;
  wireDelay: number;
  wireArea: number;
  /** Weight-gradient unit: read time per multiplexer step, SRAM row write time, energy per conversion (ADC included) and per bit written, SRAM cell area. */
  gradientStep: number;
  gradientRowWrite: number;
  gradientConversionEnergy: number;
  gradientWriteEnergy: number;
  sramCellArea: number;
  /** Gradient accumulator: area and energy per adder bit; one addition pass per clock. */
  accumulatorBitArea: number;
  accumulatorBitEnergy: number;
  clockPeriod: number;
  /** Programming: energy per pulse in a cell (SET, RESET) and of driving a written row's lines for one pulse slot. */
  setPulseEnergy: number;
  resetPulseEnergy: number;
  writeSlotEnergy: number;
  /** Leakage power of one sub-array with its periphery. */
  subArrayLeakage: number;
}

// ---- 32 nm reference values ----

/** Feature size at the reference node (m). */
const F32 = 32e-9;

/** [NS] MultilevelSenseAmp, current mode, LP 32 nm: column power 3.0875 µW per reference level. */
const MLSA_POWER_PER_LEVEL = 3.0875e-6;
/** [CAL] MLSA conversion time (NeuroSim clamps its fit to 1–10 ns): ADC latency, 1.98 s. */
const MLSA_LATENCY = 1.1646e-9;
/** [CAL] MLSA energy factor on the NeuroSim power fit: ADC energy, 3.57 J. */
const ADC_ENERGY_FACTOR = 4.057;
/** [CAL] MLSA area per reference level (a current sense amplifier and its reference): ADC area, 18.8 mm². */
const MLSA_AREA_PER_LEVEL = 6.87e-12;
/** [NS] SarADC, LP 32 nm: power (1.1294·bits + 8.8998) µW, conversion (bits + 1) ns. */
const SAR_POWER = (bits: number) => (1.1294 * bits + 8.8998) * 1e-6;
const SAR_CYCLE = 1e-9;
/**
 * [NS]/[EST] SarADC area: (269 + 109·(bits − 1)) NMOS + (209 + 73·(bits − 1)) PMOS minimum
 * transistors [NS]; a minimum transistor takes 28 F (NeuroSim MAX_TRANSISTOR_HEIGHT) × 5 F
 * (poly 1 F + gap 2.8 F + contact 1.3 F, constant.h, rounded up) [EST].
 */
const MIN_TRANSISTOR_AREA = 28 * 5 * F32 * F32;

/** [CAL] Array read time per multiplexer step: "synaptic array w/o ADC" latency, 1.96 s. */
const ARRAY_STEP = 1.1508e-9;
/** [CAL] Energy per adder bit per shift-add: accumulation energy, 0.28 J. */
const ADD_BIT_ENERGY = 4.84e-15;
/** [CAL] Shift-add and adder-tree time per read cycle: accumulation latency, 1.12 s. */
const ACCUMULATION_STEP = 5.263e-9;
/** [CAL] Area per shift-add / adder-tree bit (adder, register, tree share): accumulation area, 7.58 mm². */
const ACCUMULATION_BIT_AREA = 11.62e-12;
/** [CAL] Periphery per sub-array line (switch matrix, mux, decoder share): the rest of "other", 8.76 mm². */
const PERIPHERY_LINE_AREA = 8.79e-12;

/**
 * Register-file buffer (NeuroSim's default, DFF based): a flip-flop is 28 F × 60 F (one inverter
 * height × 12 inverter widths, Buffer.cpp) [NS]/[EST]; [CAL] energy per bit accessed: buffer
 * energy, 0.20 J; [CAL] time per line: the decoder plus half a clock (Buffer.cpp) — buffer
 * latency, 125 s.
 */
const REGISTER_BIT_AREA = 28 * 60 * F32 * F32;
const REGISTER_BIT_ENERGY = 4.25e-15;
const REGISTER_DECODE = 11.54e-9;
/**
 * [EST] SRAM buffer: 8 F × 20 F cell [P] + 30 % periphery; per bit, half reads (bit line swings
 * V_sense = 0.1 V [P]) and half writes (full swing) on a 128-row bit line of 0.2 fF/µm [NS];
 * same line time as the register file (the decoder dominates both).
 */
const SRAM_CELL_AREA = 8 * 20 * F32 * F32;
const WIRE_CAP = 0.2e-15 / 1e-6; // F/m [NS]
const SRAM_BITLINE_CAP = 128 * 20 * F32 * WIRE_CAP;
const VDD32 = 0.9;
const SRAM_BIT_ENERGY = (SRAM_BITLINE_CAP * VDD32 * 0.1 + SRAM_BITLINE_CAP * VDD32 * VDD32) / 2;

/** [CAL] H-tree energy per bit per metre of path: interconnect energy, 0.63 J. */
const WIRE_ENERGY = 0.1e-12 / 1e-3;
/** [CAL] H-tree delay per bus word per metre of path: interconnect latency, 4.47 s. */
const WIRE_DELAY = 4.32e-9 / 1e-3;
/** [CAL] H-tree area per wire per metre of tree: interconnect area, 2.03 mm². */
const WIRE_AREA = 1.013e-8;

/** [CAL] Weight-gradient read time per multiplexer step: weight-gradient latency, 47.0 s. */
const GRADIENT_STEP = 2.245e-9;
/** [EST] SRAM row write: one clock cycle. */
const GRADIENT_ROW_WRITE_CYCLES = 1;
/**
 * [CAL] Weight-gradient energy per conversion besides the ADC itself (precharge, switch matrix,
 * multiplexer, shift-add): weight-gradient energy, 28.7 J.
 */
const GRADIENT_CONVERSION_OVERHEAD = 0.95e-12;
/** [EST] SRAM write per bit: a full swing of a 128-row bit line (0.2 fF/µm, 20 F cells). */
const GRADIENT_WRITE_ENERGY = SRAM_BITLINE_CAP * VDD32 * VDD32;
/** [CAL] Gradient-accumulator adder bit (ripple-carry full adder): weight-gradient area, 10.7 mm². */
const ACCUMULATOR_BIT_AREA = 1.194e-12;
/** [EST] Energy per full-adder bit operation: ~10 minimum gate capacitances (≈ 1.5 fF at 32 nm) at V_dd². */
const ACCUMULATOR_BIT_ENERGY = 1.5e-15 * VDD32 * VDD32;
/** [CAL] Leakage of a sub-array with its periphery: NeuroSim's tile leakage (5.73 µW per 64-sub-array tile, 14.8 µW per 144). */
const SUBARRAY_LEAKAGE = 0.1e-6;
/** [NS] FeFET polarization 20 µC/cm² (Param.cpp), switched over 2 F² of gate per cell. */
const FEFET_POLARIZATION = 0.2; // C/m²

function mlsa(read: AdcRead, chip: ChipDescription): AdcCost {
  const levels = 2 ** read.bits - 1;
  const s = chip.scale;
  const latency = MLSA_LATENCY * s.delay;
  return {
    latency,
    energy: ADC_ENERGY_FACTOR * MLSA_POWER_PER_LEVEL * levels * MLSA_LATENCY * s.energy,
    area: MLSA_AREA_PER_LEVEL * levels * s.area,
  };
}

function sar(read: AdcRead, chip: ChipDescription): AdcCost {
  const s = chip.scale;
  const cycles = read.bits + 1;
  const transistors = 269 + 109 * (read.bits - 1) + 209 + 73 * (read.bits - 1);
  return {
    latency: cycles * SAR_CYCLE * s.delay,
    energy: ADC_ENERGY_FACTOR * SAR_POWER(read.bits) * cycles * SAR_CYCLE * s.energy,
    area: transistors * MIN_TRANSISTOR_AREA * s.area,
  };
}

function adcCost(read: AdcRead, chip: ChipDescription): AdcCost {
  return read.type === "mlsa" ? mlsa(read, chip) : sar(read, chip);
}

function bufferCost(type: BufferType, chip: ChipDescription): BufferCost {
  const s = chip.scale;
  const lineLatency = REGISTER_DECODE * s.delay + 0.5 / chip.config.clock;
  if (type === "register") return { area: REGISTER_BIT_AREA * s.area, energy: REGISTER_BIT_ENERGY * s.energy, lineLatency };
  return { area: 1.3 * SRAM_CELL_AREA * s.area, energy: SRAM_BIT_ENERGY * s.wireEnergy * (chip.tech.feature / F32), lineLatency };
}

/** Mean cell conductance of weights spread over [gMin, gMax]. */
function meanConductance(chip: ChipDescription): number {
  return (chip.device.gMax + chip.device.gMin) / 2;
}

/** Energy of one programming pulse in one cell. */
function pulseEnergy(chip: ChipDescription, voltage: number, width: number, levels: number): number {
  const d = chip.device;
  if (d.cell === "fefet") {
    // Each pulse switches 1/levels of the polarization swing (2·P_s) under the gate (2 F²), at the write voltage.
    return ((2 * FEFET_POLARIZATION) / levels) * 2 * chip.tech.feature * chip.tech.feature * voltage;
  }
  // Resistive cells: V² · Ḡ · pulse width.
  return voltage * voltage * meanConductance(chip) * width;
}

/** The per-action costs of `chip`. */
export function unitCosts(chip: ChipDescription): UnitCosts {
  const c = chip.config;
  const s = chip.scale;
  const d = chip.device;
  const adc = { forward: adcCost(c.adc, chip), error: adcCost(c.adc.error, chip), gradient: adcCost(c.adc.gradient, chip) };
  const cellPitch = Math.sqrt(chip.cellArea);
  // One written row drives its word line and every column line of the sub-array once per pulse slot.
  const lineLength = c.subArray.cols * cellPitch + c.subArray.cols * c.subArray.rows * cellPitch;
  const writeVoltage = Math.max(d.writeVoltageLtp, d.writeVoltageLtd);
  return {
    adc,
    arrayStep: ARRAY_STEP * s.delay,
    cellReadForward: c.subArray.cols * d.readVoltage ** 2 * meanConductance(chip) * adc.forward.latency,
    cellReadError: c.subArray.rows * d.readVoltage ** 2 * meanConductance(chip) * adc.error.latency,
    addBitEnergy: ADD_BIT_ENERGY * s.energy,
    accumulationStep: ACCUMULATION_STEP * s.delay,
    accumulationBitArea: ACCUMULATION_BIT_AREA * s.area,
    peripheryLineArea: PERIPHERY_LINE_AREA * s.area,
    buffer: { global: bufferCost(c.buffers.global, chip), tile: bufferCost(c.buffers.tile, chip), pe: bufferCost(c.buffers.pe, chip) },
    wireEnergy: WIRE_ENERGY * s.wireEnergy,
    wireDelay: WIRE_DELAY * s.wireDelay,
    wireArea: WIRE_AREA * (chip.tech.wireWidth / 40e-9),
    gradientStep: GRADIENT_STEP * s.delay,
    gradientRowWrite: GRADIENT_ROW_WRITE_CYCLES / c.clock,
    gradientConversionEnergy: adc.gradient.energy + GRADIENT_CONVERSION_OVERHEAD * s.energy,
    gradientWriteEnergy: GRADIENT_WRITE_ENERGY * s.wireEnergy * (chip.tech.feature / F32),
    sramCellArea: SRAM_CELL_AREA * s.area,
    accumulatorBitArea: ACCUMULATOR_BIT_AREA * s.area,
    accumulatorBitEnergy: ACCUMULATOR_BIT_ENERGY * s.energy,
    clockPeriod: 1 / c.clock,
    setPulseEnergy: pulseEnergy(chip, d.writeVoltageLtp, d.writePulseWidthLtp, d.levelsLtp),
    resetPulseEnergy: pulseEnergy(chip, d.writeVoltageLtd, d.writePulseWidthLtd, d.levelsLtd),
    writeSlotEnergy: lineLength * WIRE_CAP * writeVoltage * writeVoltage,
    subArrayLeakage: SUBARRAY_LEAKAGE * s.leakage,
  };
}
