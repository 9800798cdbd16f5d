// What DNN+NeuroSim V2.1 reads from its trace files, as statistics: the cost of a sub-array read
// depends on the conductances of the cells on active input lines, and the cost of a weight
// update on how many cells change and by how many pulses. NeuroSim evaluates every input vector
// and every cell of a recorded image (ProcessingUnit.cpp: GetColumnResistance, GetRowResistance,
// GetWriteUpdateEstimation); cimlearn evaluates their expectation under the statistics below, so
// one evaluation costs microseconds instead of minutes.

import type { CircuitContext } from "./params.js";

/** Per layer: the input bits and weights a read sees, and what one weight update changes. */
export interface LayerTraceStats {
  /** Fraction of 1s in the layer's input bit-planes (NeuroSim activityRowRead, and the WG unit's activities). */
  activity: number;
  /** Fraction of active columns in the transposed (error) read (NeuroSim's activityBPColRead, fixed at 0.5 there). */
  errorActivity: number;
  /** Mean and standard deviation of the normalized weights in [−1, 1]. */
  weightMean: number;
  weightStd: number;
  /** Fraction of cells an update changes by at least the smallest conductance step. */
  updateFraction: number;
  /** Of those, the share that potentiates (SET). */
  setShare: number;
  /** Distribution of write pulses per changed cell: probability of 1, 2, … pulses. */
  pulses: number[];
}

/** Three-point Gauss–Hermite rule: E[f(w)] for w ~ N(mean, std), clipped to the weight range. */
function weightPoints(s: LayerTraceStats): { w: number; p: number }[] {
  const clip = (w: number) => Math.min(1, Math.max(-1, w));
  if (s.weightStd === 0) return [{ w: clip(s.weightMean), p: 1 }];
  const d = Math.sqrt(3) * s.weightStd;
  return [
    { w: clip(s.weightMean - d), p: 1 / 6 },
    { w: clip(s.weightMean), p: 2 / 3 },
    { w: clip(s.weightMean + d), p: 1 / 6 },
  ];
}

/**
 * Conductances of the cells that hold weight `w` (NeuroSim Chip.cpp, LoadInWeightData): a linear
 * map onto [Gmin, Gmax] when one cell holds the whole weight; otherwise NeuroSim's digit split, which
 * keeps the quotients (not the remainders) and divides them in integers — reproduced as it computes.
 */
export function cellConductances(w: number, ctx: CircuitContext): number[] {
  const p = ctx.param;
  if (p.memcelltype !== 1 && p.synapseBit === p.cellBit) {
    return [((w + 1) / 2) * (p.maxConductance - p.minConductance) + p.minConductance];
  }
  const levels = 2 ** p.synapseBit;
  let value = (levels / (p.algoWeightMax - p.algoWeightMin)) * (w - p.algoWeightMax) + levels;
  value = Math.trunc(value >= 0 ? value + 0.5 : value - 0.5);
  const range = 2 ** p.cellBit;
  const digits: number[] = [];
  for (let z = 0; z < p.numColPerSynapse; z++) {
    value = Math.trunc(value / range);
    digits.unshift(value);
  }
  return digits.map((d) => Math.trunc(d / (range - 1)) * (p.maxConductance - p.minConductance) + p.minConductance);
}

/** The cells' conductances at the quadrature points: per cell of a synapse, [conductance, weight] pairs. */
function conductancePoints(s: LayerTraceStats, ctx: CircuitContext): { g: number; p: number }[][] {
  const points = weightPoints(s).map(({ w, p }) => ({ cells: cellConductances(w, ctx), p }));
  const perCell = points[0]?.cells.length ?? 1;
  return Array.from({ length: perCell }, (_, c) => points.map(({ cells, p }) => ({ g: cells[c] as number, p })));
}

/** E[1 / (1/G + series)] over the weight distribution's points for one cell position. */
function meanSeriesConductance(points: { g: number; p: number }[], series: number): number {
  let sum = 0;
  for (const { g, p } of points) sum += p / (1 / g + series);
  return sum;
}

/**
 * Expected resistance of each column of a rows × cols block during a forward read
 * (GetColumnResistance): the parallel conductance of the cells on active rows, each in series
 * with its share of row and column wire (and the access transistor for RRAM). `columns`: which
 * columns (default all).
 */
export function columnResistances(
  rows: number,
  cols: number,
  s: LayerTraceStats,
  ctx: CircuitContext,
  resCellAccess: number,
  columns: readonly number[] = Array.from({ length: cols }, (_, j) => j),
): number[] {
  const p = ctx.param;
  const cell = ctx.cell;
  const points = conductancePoints(s, ctx);
  const access = cell.memCellType === "RRAM" && cell.accessType === "CMOS" ? cell.resistanceAccess : 0;
  const out: number[] = [];
  for (const j of columns) {
    let g = 0;
    if (cell.memCellType === "SRAM") {
      g = (s.activity * rows) / (resCellAccess + p.wireResistanceCol);
    } else {
      const cellPoints = points[j % points.length] as { g: number; p: number }[];
      const rowWire = (j + 1) * p.wireResistanceRow + access;
      for (let i = 0; i < rows; i++) g += meanSeriesConductance(cellPoints, rowWire + (rows - i) * p.wireResistanceCol);
      g *= s.activity;
      if (!p.parallelRead) g /= s.activity * rows;
    }
    out.push(1 / g);
  }
  return out;
}

/**
 * Expected resistance of each row during the transposed (error) read (GetRowResistance): NeuroSim
 * assumes half the columns active and, as coded, takes every cell's series resistance from the
 * row's last column.
 */
export function rowResistances(rows: number, cols: number, s: LayerTraceStats, ctx: CircuitContext, resCellAccess: number): number[] {
  const p = ctx.param;
  const cell = ctx.cell;
  const active = Math.ceil(Math.trunc(cols / 2));
  const points = conductancePoints(s, ctx);
  const out: number[] = [];
  for (let i = 0; i < rows; i++) {
    let rowG: number;
    if (cell.memCellType === "SRAM") {
      rowG = active / (resCellAccess + p.wireResistanceCol);
    } else {
      let series = (i + 1) * p.wireResistanceRow + 1 * p.wireResistanceCol;
      if (cell.memCellType === "RRAM" && cell.accessType === "CMOS") series += cell.resistanceAccess;
      rowG = active * meanSeriesConductance(points[(cols - 1) % points.length] as { g: number; p: number }[], series);
      if (!p.parallelBP) rowG /= active;
    }
    out.push(1 / rowG);
  }
  return out;
}

/** What GetWriteUpdateEstimation hands to the sub-array for one update of a rows × cols block. */
export interface WriteEstimate {
  activityColWrite: number;
  activityRowWrite: number;
  numWritePulseAVG: number;
  totalNumWritePulse: number;
  writeDynamicEnergyArray: number;
}

/** The line capacitances the write energy needs (SubArray capRow1, capRow2, capCol). */
export interface WriteLines {
  capRow1: number;
  capRow2: number;
  capCol: number;
}

/**
 * x^n for a whole n by squaring: the same IEEE operations in every JavaScript engine (Math.pow may
 * differ by an ulp between engines, and results must be identical in Node and the browser).
 */
function powInt(x: number, n: number): number {
  let result = 1;
  let base = x;
  let e = Math.trunc(n);
  while (e > 0) {
    if (e & 1) result *= base;
    base *= base;
    e >>= 1;
  }
  return result;
}

/** E[max of a row's pulses] over `cols` cells, each moving with probability `q` by the pulse distribution. */
function expectedRowMax(q: number, cols: number, pulses: number[]): number {
  let tail = 1;
  let sum = 0;
  for (let k = 0; k < pulses.length; k++) {
    // P(a cell moves in this direction with ≥ k+1 pulses) = q · P(pulses ≥ k+1).
    sum += 1 - powInt(1 - q * tail, cols);
    tail -= pulses[k] as number;
    if (tail <= 1e-15) break;
  }
  return sum;
}

/** For R ~ Binomial(n, q): P(R ≥ 1) and E[1/R; R ≥ 1] (0 when R = 0). */
function rowCountMoments(n: number, q: number): { anyRow: number; meanInverse: number } {
  if (q <= 0) return { anyRow: 0, meanInverse: 0 };
  if (q >= 1) return { anyRow: 1, meanInverse: 1 / n };
  const anyRow = 1 - powInt(1 - q, n);
  let meanInverse = 0;
  if (q <= 0.5) {
    // From R = 0 upwards (the mass sits low).
    let pr = powInt(1 - q, n);
    for (let r = 1; r <= n; r++) {
      pr *= ((n - r + 1) / r) * (q / (1 - q));
      meanInverse += pr / r;
      if (r > n * q && pr < 1e-15) break;
    }
  } else {
    // From R = n downwards, so that (1 − q)^n cannot underflow the sum.
    let pr = powInt(q, n);
    for (let r = n; r >= 1; r--) {
      meanInverse += pr / r;
      pr *= (r / (n - r + 1)) * ((1 - q) / q);
      if (r < n * q && pr < 1e-15) break;
    }
  }
  return { anyRow, meanInverse };
}

/** Expected write statistics of one update of a rows × cols block (GetWriteUpdateEstimation). */
export function writeEstimate(rows: number, cols: number, s: LayerTraceStats, ctx: CircuitContext, lines: WriteLines): WriteEstimate {
  const p = ctx.param;
  const cell = ctx.cell;
  const tech = ctx.tech;
  const pSet = s.updateFraction * s.setShare;
  const pReset = s.updateFraction * (1 - s.setShare);
  const sram = p.memcelltype === 1;
  const pulseDist = sram ? [1] : s.pulses;
  const meanPulses = pulseDist.reduce((a, q, k) => a + q * (k + 1), 0);
  // NeuroSim counts a row with both SETs and RESETs as a SET row, so RESET rows are the rows with
  // RESETs only, and it charges the RESET lines for (all RESET cells of the block ÷ RESET rows)
  // columns: rare RESET-only rows weigh a lot. The row counts are binomial; the column counts are
  // their expectations over it (as the sum over NeuroSim's sub-arrays would average them).
  const qSet = 1 - powInt(1 - pSet, cols);
  const qReset = powInt(1 - pSet, cols) - powInt(1 - pSet - pReset, cols);
  const rowSet = rows * qSet;
  const rowReset = rows * qReset;
  const colSetTotal = rows * cols * pSet;
  const colResetTotal = rows * cols * pReset;
  const setRows = rowCountMoments(rows, qSet);
  const resetRows = rowCountMoments(rows, qReset);
  const colSet = colSetTotal * setRows.meanInverse;
  const colReset = colResetTotal * resetRows.meanInverse;
  const setPulses = rows * expectedRowMax(pSet, cols, pulseDist);
  const resetPulses = rows * expectedRowMax(pReset, cols, pulseDist);
  const total = setPulses + resetPulses;
  const avg = Math.trunc(total / Math.max(1, (rowSet + rowReset) / 2));

  let energy = 0;
  if (!sram) {
    const changed = rows * cols * s.updateFraction;
    const gMean = weightPoints(s).reduce((a, { w, p: q }) => a + q * (cellConductances(w, ctx)[0] as number), 0);
    if (cell.memCellType === "FeFET") {
      // Polarization switched per changed cell, linear in the old and new conductance ("erase before program").
      const deltaPr = (2 * p.polarization * 2 * gMean) / (p.maxConductance - p.minConductance);
      energy += changed * deltaPr * 0.01 * cell.writeVoltage * (2 * tech.featureSize * tech.featureSize);
    } else {
      energy += changed * cell.writeVoltage * cell.writeVoltage * gMean * cell.writePulseWidth * meanPulses;
    }
    const v2 = cell.writeVoltage * cell.writeVoltage;
    const vdd2 = tech.vdd * tech.vdd;
    const unselected = (n: number, k: number) => (n >= k ? n - k : n);
    if (cell.accessType === "CMOS") {
      if (cell.memCellType === "FeFET") {
        energy += lines.capRow2 * vdd2 * setPulses;
        // (capCol + C_gate · R) · (cells ÷ R): the gate part is the cells themselves whenever R ≥ 1.
        energy += (lines.capCol * colSet + p.gateCapFeFET * colSetTotal * setRows.anyRow) * v2 * setPulses;
        energy += lines.capRow2 * vdd2 * resetPulses;
        energy += (lines.capCol * colReset + p.gateCapFeFET * colResetTotal * resetRows.anyRow) * v2 * resetPulses;
      } else {
        energy += lines.capRow2 * vdd2 * setPulses;
        energy += lines.capCol * v2 * unselected(cols, colSet) * setPulses;
        energy += lines.capRow1 * v2 * colSet * setPulses;
        energy += lines.capRow2 * vdd2 * resetPulses;
        energy += lines.capCol * v2 * colReset * resetPulses;
        energy += lines.capRow1 * v2 * unselected(cols, colReset) * resetPulses;
      }
    } else {
      const half2 = (cell.writeVoltage / 2) ** 2;
      const gHalf = (1 / cell.resMemCellOnAtHalfVw + 1 / cell.resMemCellOffAtHalfVw) / 2;
      energy += lines.capRow1 * v2 * setPulses;
      energy += lines.capRow1 * half2 * unselected(rows, rowSet) * avg;
      energy += lines.capCol * half2 * unselected(cols, colSet) * setPulses;
      energy += half2 * gHalf * cell.writePulseWidth * unselected(cols, colSet) * setPulses;
      energy += half2 * gHalf * cell.writePulseWidth * unselected(rows, rowSet) * setPulses;
      energy += lines.capRow1 * half2 * unselected(rows, rowReset) * avg;
      energy += lines.capCol * v2 * resetPulses;
      energy += lines.capCol * half2 * unselected(cols, colReset) * resetPulses;
      energy += half2 * gHalf * cell.writePulseWidth * unselected(cols, colReset) * resetPulses;
      energy += half2 * gHalf * cell.writePulseWidth * unselected(rows, rowReset) * resetPulses;
    }
  }
  return {
    activityColWrite: (colSet + colReset) / 2 / cols,
    activityRowWrite: (rowSet + rowReset) / 2 / rows,
    numWritePulseAVG: avg,
    totalNumWritePulse: total,
    writeDynamicEnergyArray: energy,
  };
}

/** Expected largest of n independent standard normal draws (Blom's approximation). */
function expectedNormalMax(n: number): number {
  if (n <= 1) return 0;
  const p = (n - 0.375) / (n + 0.25);
  // Inverse normal CDF (Acklam's rational approximation, central and upper regions).
  const a = [-39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472, 2.50662827745924];
  const b = [-54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857];
  const c = [-0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373, 4.37466414146497, 2.93816398269878];
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];
  const poly = (k: number[], x: number) => k.reduce((s, v) => s * x + v, 0);
  if (p > 0.97575) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/**
 * The weakest and the strongest column's resistance among `cols` columns in one read: NeuroSim
 * senses every column of a read and waits for the slowest, and with random weights the columns'
 * conductances (sums of activity·rows cells) spread about z(cols) standard deviations either side
 * of the mean. Only for the parallel read of resistive cells (else the mean).
 */
export function extremeColumnResistances(
  rows: number,
  cols: number,
  s: LayerTraceStats,
  ctx: CircuitContext,
  meanResistance: number,
): [number, number] {
  if (ctx.cell.memCellType === "SRAM" || !ctx.param.parallelRead) return [meanResistance, meanResistance];
  const points = conductancePoints(s, ctx);
  let variance = 0;
  for (const cell of points) {
    const mean = cell.reduce((a, { g, p }) => a + p * g, 0);
    variance += cell.reduce((a, { g, p }) => a + p * (g - mean) ** 2, 0) / points.length;
  }
  const active = s.activity * rows;
  const spread = Math.sqrt(active * variance) * expectedNormalMax(cols);
  const weak = 1 / meanResistance - spread;
  return [weak > 0 ? 1 / weak : meanResistance, 1 / (1 / meanResistance + spread)];
}
