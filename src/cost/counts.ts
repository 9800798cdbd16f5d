// The hardware events the cost model prices: per layer and phase, what the arrays, ADCs, buffers,
// DRAM and programming circuits did. A training run fills them by counting (src/nn, src/device:
// the read and program field names match ReadCounts and ProgramCounts); without one,
// `expectedCounts` derives them from the shapes and the stated assumptions.
//
// Counts are per logical weight matrix: duplicated copies (the mapping's "speed-up") share the
// work of one matrix, so they change latency, not these counts — except programming, where every
// copy is written; the accounting multiplies the update energy by the copies.

import type { ChipDescription } from "../chip/config.js";
import type { Algo, FeedbackMapping, LayerMapping, Mapping } from "../chip/mapping.js";
import type { LayerShape, ModelSpec } from "../nn/spec.js";

/** Array reads of one phase (forward, or error: transposed or feedback reads). */
export interface ReadEvents {
  /** Sub-array read operations: one input bit-slice applied to one sub-array. */
  reads: number;
  /** Input lines driven (input bit 1), summed over the reads. */
  activeRows: number;
  /** ADC conversions (a sub-array read whose inputs are all 0 needs none). */
  conversions: number;
}

/** Data moved for one phase. */
export interface TransferEvents {
  /** Bits read from plus bits written to the global buffer. */
  bufferBits: number;
  /** Bits carried over the global H-tree between the buffer and the tiles. */
  interconnectBits: number;
  /** Bits moved to plus bits moved from DRAM. */
  dramBits: number;
}

/** The weight-gradient unit's work (SRAM compute-in-memory arrays, NeuroSim WeightGradientUnit). */
export interface GradientEvents {
  /**
   * ADC conversions of its arrays, weighted by the rows they cover (a column read over m of the
   * array's rows counts m/rows, as NeuroSim charges the unit's energy by the fraction of its cells used).
   */
  conversions: number;
  /** Bits written into its arrays (the layer's input activations, once per kernel position). */
  bitsWritten: number;
  /** Additions of the gradient accumulator (one per weight per image: batch accumulation). */
  additions: number;
}

/** Programming of the weight arrays (field names as ProgramCounts in src/device/array.ts). */
export interface UpdateEvents {
  /** Potentiating (SET) and depressing (RESET) pulses, summed over cells. */
  setPulses: number;
  resetPulses: number;
  /** Sub-array rows that received at least one pulse (rows are written one after another). */
  rowsWritten: number;
  /** Σ over written rows of (most SET pulses in the row + most RESET pulses in the row): the write time in pulse widths. */
  writePulseSlots: number;
}

export interface LayerCounts {
  forward: ReadEvents & TransferEvents;
  /** Error phase: BP/FA transposed read of this layer's (or its mirror's) array; DFA/DRTP read of its feedback matrix. */
  error: ReadEvents & TransferEvents;
  gradient: GradientEvents & TransferEvents;
  update: UpdateEvents;
}

export interface Counts {
  /** "assumed": derived from shapes and assumptions; "measured": reads and updates counted by a training run. */
  source: "assumed" | "measured";
  /** Images the forward, error and gradient counts cover. */
  images: number;
  /** Weight updates (batches) the update counts cover. */
  updates: number;
  layers: LayerCounts[];
}

/** What `cimlearn cost` assumes when no training run supplies counts. */
export interface Assumptions {
  /** Fraction of 1s in an activation bit-slice (NeuroSim's activityRowRead default and the manual's 0.5). */
  activity: number;
  /** Fraction of 1s in an error bit-slice (same default). */
  errorActivity: number;
  /** Fraction of a matrix's cells that an update moves (each by one weight LSB, half up, half down). */
  updateFraction: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = { activity: 0.5, errorActivity: 0.5, updateFraction: 0.5 };

/** Layers whose weights learn: all of them, or only the last for output-only training. */
export function trainedLayers(algo: Algo, layers: number): boolean[] {
  return Array.from({ length: layers }, (_, i) => algo !== "output-only" || i === layers - 1);
}

/** Layers with an error-phase read: BP/FA read layers 2…L (producing δ_1…δ_{L−1}), DFA/DRTP read B_1…B_{L−1}. */
export function errorReadLayers(algo: Algo, layers: number): boolean[] {
  return Array.from({ length: layers }, (_, i) => {
    if (algo === "bp" || algo === "fa") return i > 0;
    if (algo === "dfa" || algo === "drtp") return i < layers - 1;
    return false;
  });
}

/** P(a read of `rows` lines has at least one active line) for independent bits of density `activity`. */
export function nonZeroRead(activity: number, rows: number): number {
  return 1 - (1 - activity) ** rows;
}

/** Output bits of the weight-gradient unit: log2(ADC levels) + activation bits + adder-tree stages (NeuroSim outPrecision). */
export function gradientPrecision(chip: ChipDescription, arraysInRow: number): number {
  return chip.config.adc.gradient.bits + chip.config.activationBits + Math.ceil(Math.log2(Math.max(1, arraysInRow)));
}

/** Bits moved between the global buffer and a layer's tiles per image (NeuroSim Chip.cpp numBitToLoadOut + numBitToLoadIn). */
export function layerTrafficBits(m: LayerMapping, chip: ChipDescription): { in: number; out: number } {
  const l = m.layer;
  const a = chip.config.activationBits;
  // Inputs: the unrolled window per output position; the novel mapping reuses a window across a kernel row (÷ kernel).
  const inBits = (l.rows * a * l.positions) / (m.novel ? l.kernel : 1);
  const outBits = (l.outChannels * a * l.positions) / (l.pool * l.pool);
  return { in: inBits, out: outBits };
}

/** Input feature-map bits (H·W·C·activation bits); NeuroSim's code omits the channels (§3.13 quirk 6), we count them. */
export function inputMapBits(m: LayerMapping, chip: ChipDescription): number {
  const l = m.layer;
  return l.inHeight * l.inWidth * l.inChannels * chip.config.activationBits;
}

/** The shared weight-gradient unit's arrays: sized for the trained layer with the largest input map, as NeuroSim sizes it. */
export function gradientUnitArrays(
  chip: ChipDescription,
  layers: LayerMapping[],
  trained: readonly boolean[],
): { rows: number; cols: number } {
  const size = (m: LayerMapping) => m.layer.inHeight * m.layer.inWidth * m.layer.inChannels;
  const candidates = layers.filter((_, i) => trained[i]);
  let biggest = candidates[0] ?? (layers[0] as LayerMapping);
  for (const m of candidates) if (size(m) > size(biggest)) biggest = m;
  return gradientArraysFor(biggest, chip);
}

/** Arrays a layer's gradient matrix (positions × inChannels·activation bits) needs: rounded up, so the largest layer fits. */
export function gradientArraysFor(m: LayerMapping, chip: ChipDescription): { rows: number; cols: number } {
  const l = m.layer;
  return {
    rows: Math.ceil(l.positions / chip.config.wgUnit.rows),
    cols: Math.ceil((l.inChannels * chip.config.activationBits) / chip.config.wgUnit.cols),
  };
}

/** Pulses one weight LSB takes: levels / 2^weightBits of the conductance range, at least one. */
export function pulsesPerLsb(chip: ChipDescription): { set: number; reset: number } {
  const lsb = 2 ** chip.config.weightBits;
  return {
    set: Math.max(1, Math.round(chip.device.levelsLtp / lsb)),
    reset: Math.max(1, Math.round(chip.device.levelsLtd / lsb)),
  };
}

const zeroRead = (): ReadEvents & TransferEvents => ({
  reads: 0,
  activeRows: 0,
  conversions: 0,
  bufferBits: 0,
  interconnectBits: 0,
  dramBits: 0,
});

function forwardCounts(m: LayerMapping, chip: ChipDescription, a: Assumptions): ReadEvents & TransferEvents {
  const l = m.layer;
  const cycles = chip.activationCycles;
  const traffic = layerTrafficBits(m, chip);
  const rowsPerBlock = m.rows / m.rowBlocks;
  return {
    reads: l.positions * cycles * m.subArraysPerCopy,
    activeRows: l.positions * cycles * m.rows * m.colBlocks * a.activity,
    conversions: l.positions * cycles * m.cols * m.rowBlocks * nonZeroRead(a.activity, rowsPerBlock),
    bufferBits: traffic.in + traffic.out,
    interconnectBits: traffic.in + traffic.out,
    dramBits: 2 * inputMapBits(m, chip),
  };
}

/** BP/FA: the transposed read of a layer's matrix (error in on the columns, out on the rows), moving what the forward read moves (NeuroSim). */
function transposedCounts(m: LayerMapping, chip: ChipDescription, a: Assumptions): ReadEvents & TransferEvents {
  const l = m.layer;
  const cycles = chip.errorCycles;
  const traffic = layerTrafficBits(m, chip);
  const colsPerBlock = m.cols / m.colBlocks;
  return {
    reads: l.positions * cycles * m.subArraysPerCopy,
    activeRows: l.positions * cycles * m.cols * m.rowBlocks * a.errorActivity,
    conversions: l.positions * cycles * m.rows * m.colBlocks * nonZeroRead(a.errorActivity, colsPerBlock),
    bufferBits: traffic.in + traffic.out,
    interconnectBits: traffic.in + traffic.out,
    dramBits: 2 * inputMapBits(m, chip),
  };
}

/**
 * DFA/DRTP: one read of B_l per image with the output error (DRTP: the one-hot target, a single
 * bit-slice with one active line) as input; the error vector comes from the buffer, δ_l goes back
 * to it and, for the gradient, to DRAM and back.
 */
function feedbackCounts(
  f: FeedbackMapping,
  layer: LayerShape,
  model: ModelSpec,
  chip: ChipDescription,
  algo: Algo,
  a: Assumptions,
): ReadEvents & TransferEvents {
  const drtp = algo === "drtp";
  const cycles = drtp ? 1 : chip.errorCycles;
  const activity = drtp ? 1 / model.classes : a.errorActivity;
  const readBits = (f.cols / chip.colsPerSynapse) * chip.config.errorBits;
  // δ_l over the whole output map: the read itself, or with channel feedback the channel signals
  // spread over the positions (masked by f′) — written once more, and what the gradient needs.
  const deltaBits = layer.neurons * chip.config.errorBits;
  const spread = readBits === deltaBits ? 0 : deltaBits;
  const inBits = model.classes * (drtp ? 1 : chip.config.errorBits);
  return {
    reads: cycles * f.rowBlocks * f.colBlocks,
    activeRows: cycles * f.rows * f.colBlocks * activity,
    conversions: cycles * f.cols * f.rowBlocks * nonZeroRead(activity, f.rows / f.rowBlocks),
    bufferBits: inBits + readBits + spread,
    interconnectBits: inBits + readBits + spread,
    dramBits: 2 * deltaBits,
  };
}

function gradientCounts(m: LayerMapping, chip: ChipDescription, a: Assumptions, arraysInRow: number): GradientEvents & TransferEvents {
  const l = m.layer;
  const bitsPerPosition = l.inChannels * chip.config.activationBits;
  const rowBlocks = Math.ceil(l.positions / chip.config.wgUnit.rows);
  const rowsPerBlock = l.positions / rowBlocks;
  const traffic = layerTrafficBits(m, chip);
  const gradientBits = l.weights * gradientPrecision(chip, arraysInRow);
  // NeuroSim charges the unit's reads in proportion to the cells the activations occupy (its
  // "fraction of the unit used"): a column conversion over m of the array's rows counts m/rows.
  return {
    conversions:
      ((l.kernel * l.kernel * l.outChannels * chip.errorCycles * l.positions * bitsPerPosition) / chip.config.wgUnit.rows) *
      nonZeroRead(a.errorActivity, rowsPerBlock),
    bitsWritten: l.kernel * l.kernel * l.positions * bitsPerPosition,
    additions: l.weights,
    // Activations in and out as for the forward read; each image's gradient written to DRAM and read back (buffer both ways each time).
    bufferBits: traffic.in + traffic.out + 4 * gradientBits,
    interconnectBits: 0,
    dramBits: 2 * inputMapBits(m, chip) + 2 * gradientBits,
  };
}

function updateCounts(m: LayerMapping, chip: ChipDescription, a: Assumptions): UpdateEvents {
  const cells = m.rows * m.cols;
  const moved = cells * a.updateFraction;
  const pulses = pulsesPerLsb(chip);
  // Rows per copy: each row block's rows appear once per column block.
  const rows = m.rows * m.colBlocks;
  const colsPerBlock = m.cols / m.colBlocks;
  const pRowSet = nonZeroRead(a.updateFraction / 2, colsPerBlock);
  const pRowWritten = nonZeroRead(a.updateFraction, colsPerBlock);
  return {
    setPulses: (moved / 2) * pulses.set,
    resetPulses: (moved / 2) * pulses.reset,
    rowsWritten: rows * pRowWritten,
    writePulseSlots: rows * pRowSet * (pulses.set + pulses.reset),
  };
}

/** Counts of one epoch's worth of work derived from shapes alone (stated assumptions instead of a training run's events). */
export function expectedCounts(
  model: ModelSpec,
  chip: ChipDescription,
  mapping: Mapping,
  algo: Algo,
  a: Assumptions = DEFAULT_ASSUMPTIONS,
): Counts {
  const trained = trainedLayers(algo, mapping.layers.length);
  const errors = errorReadLayers(algo, mapping.layers.length);
  const unit = gradientUnitArrays(chip, mapping.layers, trained);
  const images = chip.batch * chip.iterations;
  const layers = mapping.layers.map((m, i): LayerCounts => {
    const perImage = {
      forward: forwardCounts(m, chip, a),
      error: zeroRead(),
      gradient: trained[i]
        ? gradientCounts(m, chip, a, chip.config.wgUnit.sharing === "shared" ? unit.rows : gradientArraysFor(m, chip).rows)
        : { conversions: 0, bitsWritten: 0, additions: 0, bufferBits: 0, interconnectBits: 0, dramBits: 0 },
      update: trained[i] ? updateCounts(m, chip, a) : { setPulses: 0, resetPulses: 0, rowsWritten: 0, writePulseSlots: 0 },
    };
    if (errors[i]) {
      const f = mapping.feedback.find((x) => x.index === i);
      perImage.error =
        algo === "dfa" || algo === "drtp"
          ? feedbackCounts(f as FeedbackMapping, m.layer, model, chip, algo, a)
          : transposedCounts(m, chip, a);
    }
    return {
      forward: scale(perImage.forward, images),
      error: scale(perImage.error, images),
      gradient: scale(perImage.gradient, images),
      update: scale(perImage.update, chip.iterations),
    };
  });
  return { source: "assumed", images, updates: chip.iterations, layers };
}

function scale<T extends object>(record: T, factor: number): T {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, (v as number) * factor])) as T;
}

/** Events a training run counted, per layer: reads of both phases and the programming; the rest follows from the shapes. */
export interface MeasuredLayerEvents {
  forward: ReadEvents;
  error: ReadEvents;
  update: UpdateEvents;
}

/**
 * Counts from a training run: its measured reads and programming replace the assumed ones; the
 * data movement and the weight-gradient unit's work follow from the shapes (they do not depend on
 * the values), scaled to the images the run covered.
 */
export function measuredCounts(expected: Counts, measured: readonly MeasuredLayerEvents[], images: number, updates: number): Counts {
  if (measured.length !== expected.layers.length) {
    throw new RangeError(`measured events for ${measured.length} layers, the model has ${expected.layers.length}`);
  }
  const perImage = images / expected.images;
  return {
    source: "measured",
    images,
    updates,
    layers: expected.layers.map((l, i) => {
      const m = measured[i] as MeasuredLayerEvents;
      return {
        forward: { ...scale(l.forward, perImage), ...m.forward },
        error: { ...scale(l.error, perImage), ...m.error },
        gradient: scale(l.gradient, perImage),
        update: { ...m.update },
      };
    }),
  };
}
