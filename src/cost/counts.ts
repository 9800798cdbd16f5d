// What a training run counts (src/nn, src/device: the field names match ReadCounts and
// ProgramCounts) and how the counts become the trace statistics the circuit model takes: the
// fraction of active input lines and what an update changes. Without a run, the statistics come
// from the stated assumptions (neurosim-inputs.ts).

import type { LayerTraceStats } from "./circuits/traces.js";
import { type Assumptions, pulseDistribution, stepDistribution } from "./neurosim-inputs.js";

/** Array reads of one phase (forward, or error: transposed or feedback reads). */
export interface ReadEvents {
  /** Sub-array read operations: one input bit-slice applied to one sub-array. */
  reads: number;
  /** Input lines driven (input bit 1), summed over the reads. */
  activeRows: number;
  /** ADC conversions (a sub-array read whose inputs are all 0 needs none). */
  conversions: number;
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

/** Events a training run counted for one layer. */
export interface MeasuredLayerEvents {
  forward: ReadEvents;
  error: ReadEvents;
  update: UpdateEvents;
  /** Writes of the feedback matrix this layer's error reads (B of the layer above: Kolen–Pollack, sign-symmetric). */
  feedbackUpdate?: UpdateEvents;
}

/** A training run's events, covering `images` images and `updates` weight updates. */
export interface Measured {
  layers: MeasuredLayerEvents[];
  images: number;
  updates: number;
}

/**
 * Trace statistics from a run's counts: the activity is the fraction of driven lines per read
 * (`rowsPerRead` lines per sub-array read); the update's pulses per changed cell keep the assumed
 * distribution, and the fraction of changed cells is what makes the counted pulses come out.
 */
export function measuredStats(
  measured: Measured,
  shapes: { rowsPerRead: number; errorRowsPerRead: number; cells: number }[],
  a: Assumptions,
  levels: number,
  weightBits: number,
  which: "update" | "feedback" = "update",
): LayerTraceStats[] {
  const pulses = pulseDistribution(a.updateSteps, levels, weightBits);
  const meanPulses = pulses.reduce((s, q, k) => s + q * (k + 1), 0);
  return measured.layers.map((m, i) => {
    const shape = shapes[i] as { rowsPerRead: number; errorRowsPerRead: number; cells: number };
    const ratio = (active: number, reads: number, rows: number, fallback: number) =>
      reads > 0 ? Math.min(1, active / (reads * rows)) : fallback;
    // Feedback writes: B_i mirrors W_i's tiles, and its writes are counted with the layer it feeds (i − 1).
    const u = which === "update" ? m.update : measured.layers[i - 1]?.feedbackUpdate;
    const setPulses = u?.setPulses ?? 0;
    const total = setPulses + (u?.resetPulses ?? 0);
    const perUpdate = measured.updates > 0 ? total / measured.updates : 0;
    return {
      activity: ratio(m.forward.activeRows, m.forward.reads, shape.rowsPerRead, a.activity),
      errorActivity: ratio(m.error.activeRows, m.error.reads, shape.errorRowsPerRead, a.errorActivity),
      weightMean: a.weightMean,
      weightStd: a.weightStd,
      updateFraction: Math.min(1, perUpdate / (shape.cells * meanPulses)),
      setShare: total > 0 ? setPulses / total : a.setShare,
      steps: stepDistribution(a.updateSteps),
    };
  });
}
