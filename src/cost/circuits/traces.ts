// What DNN+NeuroSim V2.1 reads from its trace files, as statistics: the cost of a sub-array read
// depends on the conductances of the cells on active input lines, and the cost of a weight
// update on how many cells change and by how many pulses. NeuroSim evaluates every input vector
// and every cell of a recorded image (ProcessingUnit.cpp: GetColumnResistance, GetRowResistance,
// GetWriteUpdateEstimation); cimlearn evaluates their expectation under the statistics below, so
// one evaluation costs microseconds instead of minutes.

import { portableExp, powInt } from "../../engine/portable-math.js";
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
  /** How far a changed weight moves: probability of 1, 2, … weight LSB levels (the cost model turns them into pulses per cell). */
  steps: number[];
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
  const value = (levels / (p.algoWeightMax - p.algoWeightMin)) * (w - p.algoWeightMax) + levels;
  const level = Math.trunc(value >= 0 ? value + 0.5 : value - 0.5);
  const n = p.numColPerSynapse;
  return Array.from({ length: n }, (_, u) => levelConductance(level, u, n, ctx));
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

/**
 * Normal CDF from the complementary error function (Numerical Recipes' Chebyshev fit, fractional
 * error below 1.2e-7): enough for weight-level probabilities.
 */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851638 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * portableExp(-z * z + poly);
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * Probability of each integer weight level 0…2^synapseBit that NeuroSim's LoadInWeightData rounds a
 * weight to (level = ⌊2^(b−1)·(w + 1) + 0.5⌋), for weights ~ N(mean, std) clipped to [−1, 1].
 */
function weightLevels(s: LayerTraceStats, levels: number): number[] {
  const out = new Array<number>(levels + 1).fill(0);
  if (s.weightStd === 0) {
    const w = Math.min(1, Math.max(-1, s.weightMean));
    out[Math.trunc((levels / 2) * (w + 1) + 0.5)] = 1;
    return out;
  }
  let below = 0;
  for (let v = 0; v < levels; v++) {
    // Level v's upper edge, in weight units: (v + ½)·2/levels − 1 (clipped weights land on the end levels).
    const cdf = normalCdf((((v + 0.5) * 2) / levels - 1 - s.weightMean) / s.weightStd);
    out[v] = cdf - below;
    below = cdf;
  }
  out[levels] = 1 - below;
  return out;
}

/**
 * The conductance NeuroSim's LoadInWeightData gives cell `u` (of `n`) of a weight at integer level
 * `v`, in its floating-point operations: one cell holding the whole weight maps it linearly; split
 * weights keep quotient digits ⌊v / range^(n−u)⌋, divided in integers by range − 1.
 */
function levelConductance(v: number, u: number, n: number, ctx: CircuitContext): number {
  const p = ctx.param;
  const levels = 2 ** p.synapseBit;
  if (p.memcelltype !== 1 && p.synapseBit === p.cellBit) {
    const w = (2 * v) / levels - 1;
    return ((w + 1) / 2) * (p.maxConductance - p.minConductance) + p.minConductance;
  }
  const range = 2 ** p.cellBit;
  const digit = Math.trunc(v / range ** (n - u));
  return Math.trunc(digit / (range - 1)) * (p.maxConductance - p.minConductance) + p.minConductance;
}

/** How the cells of one weight (or of the first cells of one, at a block's edge) change in one direction of an update. */
interface DirectionChange {
  /** P(at least one of the cells changes this way). */
  any: number;
  /** Expected number of cells changed this way. */
  cells: number;
  /** Distribution of the largest pulse count among them: pulse count → probability (0 pulses omitted). */
  maxPulses: Map<number, number>;
  /** Expected energy the cells themselves take (J). */
  energy: number;
}

interface UnitChange {
  set: DirectionChange;
  reset: DirectionChange;
  /** P(any cell changes). */
  any: number;
}

/**
 * How `cells` cells (positions 0…cells−1 of an n-cell weight) change in one update
 * (GetWriteUpdateEstimation, per cell): a changed weight moves by k LSB levels (probability
 * s.steps[k−1]), up with probability s.setShare, from a level of the weight distribution; each cell
 * whose conductance moves by at least (Gmax − Gmin)/levels takes ⌈ΔG / that⌉ pulses.
 */
function unitChange(s: LayerTraceStats, ctx: CircuitContext, n: number, cells: number): UnitChange {
  // Blocks and layers with the same statistics share it: computed once per evaluation context.
  let cache = unitChanges.get(ctx);
  if (!cache) {
    cache = new Map();
    unitChanges.set(ctx, cache);
  }
  const key = `${s.weightMean}|${s.weightStd}|${s.updateFraction}|${s.setShare}|${s.steps.join(",")}|${n}|${cells}`;
  let change = cache.get(key);
  if (!change) {
    change = computeUnitChange(s, ctx, n, cells);
    cache.set(key, change);
  }
  return change;
}

const unitChanges = new WeakMap<CircuitContext, Map<string, UnitChange>>();

function computeUnitChange(s: LayerTraceStats, ctx: CircuitContext, n: number, cells: number): UnitChange {
  const p = ctx.param;
  const cell = ctx.cell;
  const tech = ctx.tech;
  const sram = p.memcelltype === 1;
  const levels = 2 ** p.synapseBit;
  const maxNumWritePulse = Math.max(p.maxNumLevelLTP, p.maxNumLevelLTD);
  const minDelta = (p.maxConductance - p.minConductance) / maxNumWritePulse;
  const empty = (): DirectionChange => ({ any: 0, cells: 0, maxPulses: new Map(), energy: 0 });
  const out: UnitChange = { set: empty(), reset: empty(), any: 0 };
  const g = (v: number) => Array.from({ length: cells }, (_, u) => levelConductance(v, u, n, ctx));
  const conductances = Array.from({ length: levels + 1 }, (_, v) => g(v));
  const levelP = weightLevels(s, levels);
  for (let v = 0; v <= levels; v++) {
    const pv = levelP[v] as number;
    if (pv === 0) continue;
    for (let k = 1; k <= s.steps.length; k++) {
      const pk = s.steps[k - 1] as number;
      if (pk === 0) continue;
      for (let direction = 0; direction < 2; direction++) {
        const up = direction === 0;
        const event = pv * pk * s.updateFraction * (up ? s.setShare : 1 - s.setShare);
        if (event === 0) continue;
        // The weight is now at v and came from k levels away (clipped to the weight range).
        const old = up ? Math.max(0, v - k) : Math.min(levels, v + k);
        const gNew = conductances[v] as number[];
        const gOld = conductances[old] as number[];
        let setMax = 0;
        let resetMax = 0;
        let changed = false;
        for (let u = 0; u < cells; u++) {
          const a = gNew[u] as number;
          const b = gOld[u] as number;
          const delta = Math.abs(a - b);
          if (sram ? a === b : delta < minDelta) continue;
          changed = true;
          const pulses = sram ? 1 : Math.ceil(delta / minDelta);
          const d = a > b ? out.set : out.reset;
          d.cells += event;
          if (a > b) setMax = Math.max(setMax, pulses);
          else resetMax = Math.max(resetMax, pulses);
          if (sram) continue;
          if (cell.memCellType === "FeFET") {
            // Polarization switched, linear in the new and old conductance ("erase before program").
            const deltaPr = (2 * p.polarization * (a + b)) / (p.maxConductance - p.minConductance);
            d.energy += event * deltaPr * 0.01 * cell.writeVoltage * (2 * tech.featureSize * tech.featureSize);
          } else {
            d.energy += (event * cell.writeVoltage * cell.writeVoltage * cell.writePulseWidth * pulses) / ((1 / a + 1 / b) / 2);
          }
        }
        if (changed) out.any += event;
        if (setMax > 0) {
          out.set.any += event;
          out.set.maxPulses.set(setMax, (out.set.maxPulses.get(setMax) ?? 0) + event);
        }
        if (resetMax > 0) {
          out.reset.any += event;
          out.reset.maxPulses.set(resetMax, (out.reset.maxPulses.get(resetMax) ?? 0) + event);
        }
      }
    }
  }
  return out;
}

/**
 * E[largest pulse count in a row] of `units` whole weights and one partial weight (each unit's
 * largest count independent): Σ over the counts c_j of (c_j − c_{j−1})·P(row max ≥ c_j).
 */
function expectedRowMax(whole: DirectionChange, units: number, part: DirectionChange | null): number {
  const counts = [...new Set([...whole.maxPulses.keys(), ...(part?.maxPulses.keys() ?? [])])].sort((a, b) => a - b);
  const atLeast = (d: DirectionChange, c: number) => {
    let sum = 0;
    for (const [m, q] of d.maxPulses) if (m >= c) sum += q;
    return sum;
  };
  let sum = 0;
  let previous = 0;
  for (const c of counts) {
    const below = powInt(1 - atLeast(whole, c), units) * (part ? 1 - atLeast(part, c) : 1);
    sum += (c - previous) * (1 - below);
    previous = c;
  }
  return sum;
}

/** Expected write statistics of one update of a rows × cols block (GetWriteUpdateEstimation). */
export function writeEstimate(rows: number, cols: number, s: LayerTraceStats, ctx: CircuitContext, lines: WriteLines): WriteEstimate {
  const p = ctx.param;
  const cell = ctx.cell;
  const tech = ctx.tech;
  const sram = p.memcelltype === 1;
  // A row holds whole weights of n cells and, where the block's edge cuts one, its first cells.
  const n = p.numColPerSynapse;
  const units = Math.trunc(cols / n);
  const whole = unitChange(s, ctx, n, n);
  const part = cols % n > 0 ? unitChange(s, ctx, n, cols % n) : null;
  const none = (a: number, b: number) => powInt(1 - a, units) * (1 - b);
  // NeuroSim counts a row with both SETs and RESETs as a SET row, so RESET rows are the rows with
  // RESETs only, and it charges the RESET lines for (all RESET cells of the block ÷ RESET rows)
  // columns: rare RESET-only rows weigh a lot. The row counts are binomial; the column counts are
  // their expectations over it (as the sum over NeuroSim's sub-arrays would average them).
  const noSet = none(whole.set.any, part?.set.any ?? 0);
  const qSet = 1 - noSet;
  const qReset = noSet - none(whole.any, part?.any ?? 0);
  const rowSet = rows * qSet;
  const rowReset = rows * qReset;
  const colSetTotal = rows * (units * whole.set.cells + (part?.set.cells ?? 0));
  const colResetTotal = rows * (units * whole.reset.cells + (part?.reset.cells ?? 0));
  const setRows = rowCountMoments(rows, qSet);
  const resetRows = rowCountMoments(rows, qReset);
  const colSet = colSetTotal * setRows.meanInverse;
  const colReset = colResetTotal * resetRows.meanInverse;
  const setPulses = rows * expectedRowMax(whole.set, units, part?.set ?? null);
  const resetPulses = rows * expectedRowMax(whole.reset, units, part?.reset ?? null);
  const total = setPulses + resetPulses;
  const avg = Math.trunc(total / Math.max(1, (rowSet + rowReset) / 2));

  let energy = 0;
  if (!sram) {
    energy += rows * (units * (whole.set.energy + whole.reset.energy) + (part ? part.set.energy + part.reset.energy : 0));
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
