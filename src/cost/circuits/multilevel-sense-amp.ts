// NeuroSim V2.1 MultilevelSenseAmp.cpp: the flash-style multilevel sense amplifier ("MLSA" ADC) of a
// sub-array: levelOutput−1 current- or voltage-mode comparators per ADC, with latency and energy fitted
// to Cadence simulations as functions of the column resistance being sensed.
import { type AreaModify, FunctionUnit } from "./function-unit.js";
import { calculateGateArea, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE } from "./gates.js";
import type { NeuroSimParams } from "./params.js";

/** `count` columns that all present the same resistance `resistance` (Ω) to the ADC. */
export interface ColumnResistanceGroup {
  resistance: number;
  count: number;
}

/**
 * The column resistances an ADC senses during one read. Either NeuroSim's own form, one resistance per
 * column (what SubArray passes: +Infinity for a column with no activated row in parallel read, NaN in
 * sequential read), or a summary: groups of columns sharing one representative resistance, e.g.
 * `{ groups: [{ resistance: rMean, count: 128 }] }` when driving the model from trace statistics.
 * A summary gives the same latency as the equivalent vector and the same energy up to floating-point
 * summation order (each group adds count × its per-column energy). Latency is set by the slowest column
 * (a max), energy by a sum of a non-linear function of R: a single mean resistance is exact only for
 * uniform columns, so give the extremes their own groups when the spread matters.
 */
export type ColumnResistances = readonly number[] | { readonly groups: readonly ColumnResistanceGroup[] };

/** Visit each distinct column entry with its multiplicity (1 for a plain vector), in order. */
export function forEachColumn(cols: ColumnResistances, visit: (resistance: number, count: number) => void): void {
  if ("groups" in cols) {
    for (const g of cols.groups) if (g.count > 0) visit(g.resistance, g.count);
  } else {
    for (const r of cols) visit(r, 1);
  }
}

/** Collapse a per-column vector into groups of identical values (first-seen order), losslessly. */
export function summarizeColumnResistances(values: readonly number[]): { groups: ColumnResistanceGroup[] } {
  const groups: ColumnResistanceGroup[] = [];
  const index = new Map<number, ColumnResistanceGroup>();
  for (const r of values) {
    // Map keys use SameValueZero, so every NaN lands in one group (as wanted: NaN columns behave alike).
    const g = index.get(r);
    if (g) g.count += 1;
    else {
      const ng = { resistance: r, count: 1 };
      index.set(r, ng);
      groups.push(ng);
    }
  }
  return { groups };
}

/** std::max as NeuroSim calls it: `(a < b) ? b : a`, so a NaN second argument is ignored. */
function stdMax(a: number, b: number): number {
  return a < b ? b : a;
}

/** The sensing-time fits are normalised to a 0.5 V read; other read voltages scale the resistance. */
function scaledResistance(columnRes: number, param: NeuroSimParams): number {
  return columnRes * (0.5 / param.readVoltage);
}

/** Latency fit coefficients per LSTP node: T_max(R) = (a·ln(R/1kΩ) + b) ns, and two polynomials in Rref/R. */
interface LatencyFit {
  a: number;
  b: number;
  /** Cubic used for ratio ≤ 0.9: c3·x³ + c2·x² + c1·x + c0. */
  low: [number, number, number, number];
  /** Quartic used above 0.9: q4·x⁴ + q3·x³ + q2·x² + q1·x + q0. */
  high: [number, number, number, number, number];
}

const LSTP_LATENCY_FITS: Record<number, LatencyFit> = {
  130: {
    a: 0.2679,
    b: 0.0478,
    low: [3.915, -5.3996, 2.4653, 0.3856],
    high: [0.0004, -0.0087, 0.0742, -0.2725, 1.2211],
  },
  90: {
    a: 0.0586,
    b: 1.41,
    low: [3.726, -5.651, 2.8249, 0.3574],
    high: [0.0000008, -0.00007, 0.0017, -0.0188, 0.9835],
  },
  65: {
    a: 0.1239,
    b: 0.6642,
    low: [1.3899, -2.6913, 2.0483, 0.3202],
    high: [0.0036, -0.0363, 0.1043, -0.0346, 1.0512],
  },
  45: {
    a: 0.0714,
    b: 0.7651,
    low: [3.7949, -5.6685, 2.6492, 0.4807],
    high: [0.000001, -0.00006, 0.0001, -0.0171, 1.0057],
  },
};
LSTP_LATENCY_FITS[32] = LSTP_LATENCY_FITS[45] as (typeof LSTP_LATENCY_FITS)[number];

/**
 * Column power fits, W: static part k·(levelOutput−1) µW plus a resistance-dependent part c·e^(e·log10 R).
 * Indexed [currentMode ? "CSA" : "VSA"][roadmap][technode]; nodes not listed use the 7 nm entry.
 */
type PowerFit = [k: number, c: number, e: number];
const MLSA_POWER_FITS: Record<"CSA" | "VSA", Record<"HP" | "LSTP", Record<number, PowerFit>>> = {
  CSA: {
    HP: {
      130: [19.898, 0.17452, -2.367],
      90: [13.09, 0.149, -2.345],
      65: [9.9579, 0.1083, -2.321],
      45: [7.7017, 0.0754, -2.296],
      32: [3.9648, 0.079, -2.313],
      22: [1.8939, 0.073, -2.311],
      14: [1.2, 0.0584, -2.311],
      10: [0.8, 0.0318, -2.311],
      7: [0.5, 0.021, -2.311],
    },
    LSTP: {
      130: [18.09, 0.138, -2.303],
      90: [12.612, 0.1023, -2.303],
      65: [8.4147, 0.0972, -2.303],
      45: [6.3162, 0.075, -2.303],
      32: [3.0875, 0.0649, -2.297],
      22: [1.7, 0.0631, -2.303],
      14: [1.0, 0.0508, -2.303],
      10: [0.55, 0.0315, -2.303],
      7: [0.35, 0.0235, -2.303],
    },
  },
  VSA: {
    HP: {
      130: [27.84, 0.207452, -2.367],
      90: [22.2, 0.1649, -2.345],
      65: [13.058, 0.128483, -2.321],
      45: [8.162, 0.097754, -2.296],
      32: [4.76, 0.083709, -2.313],
      22: [2.373, 0.084273, -2.311],
      14: [1.467, 0.060584, -2.311],
      10: [0.9077, 0.049418, -2.311],
      7: [0.5614, 0.04031, -2.311],
    },
    LSTP: {
      130: [23.4, 0.16938, -2.303],
      90: [14.42, 0.144323, -2.303],
      65: [10.18, 0.121272, -2.303],
      45: [7.062, 0.100225, -2.303],
      32: [3.692, 0.079449, -2.297],
      22: [1.866, 0.072341, -2.303],
      14: [1.126, 0.061085, -2.303],
      10: [0.6917, 0.05158, -2.303],
      7: [0.4211, 0.043555, -2.303],
    },
  },
};

/** Picks a node's fit; NeuroSim's if-chains send every unlisted node to the final (7 nm) branch. */
export function nodeFit<T>(table: Record<number, T>, technode: number): T {
  return table[technode] ?? (table[7] as T);
}

// NeuroSim V2.1 MultilevelSenseAmp.cpp
export class MultilevelSenseAmp extends FunctionUnit {
  initialized = false;
  numCol = 0;
  levelOutput = 0;
  widthNmos = 0;
  widthPmos = 0;
  parallel = false;
  currentMode = false;
  clkFreq = 0;
  numReadCellPerOperationNeuro = 0;
  /** Reference resistances of the levelOutput−1 comparators, Ω. */
  Rref: number[] = [];
  /** getColumnLatency per column resistance: fixed once initialized (the cost model asks for the same columns repeatedly). */
  private readonly columnLatencies = new Map<number, number>();

  // NeuroSim V2.1 MultilevelSenseAmp.cpp, Initialize
  initialize(
    numCol: number,
    levelOutput: number,
    clkFreq: number,
    numReadCellPerOperationNeuro: number,
    parallel: boolean,
    currentMode: boolean,
  ): void {
    if (this.initialized) return; // NeuroSim warns and keeps the first initialisation
    const { tech, param } = this.ctx;
    this.numCol = numCol;
    this.levelOutput = levelOutput;
    this.clkFreq = clkFreq;
    this.numReadCellPerOperationNeuro = numReadCellPerOperationNeuro;
    this.parallel = parallel;
    this.currentMode = currentMode;
    // Linear references between Ron and Ron + Roff (divided by the row count when all rows read at once).
    for (let i = 0; i < levelOutput - 1; i++) {
      const rStart = parallel ? param.resistanceOn / param.numRowSubArray : param.resistanceOn;
      const rIndex = parallel ? param.resistanceOff / param.numRowSubArray : param.resistanceOff;
      this.Rref.push(rStart + ((i + 1) * rIndex) / levelOutput);
    }
    this.widthNmos = MIN_NMOS_SIZE * tech.featureSize;
    this.widthPmos = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.initialized = true;
  }

  // NeuroSim V2.1 MultilevelSenseAmp.cpp, CalculateArea
  calculateArea(heightArray: number, widthArray: number, option: AreaModify): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    const tech = this.ctx.tech;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    const nmos = calculateGateArea("INV", 1, this.widthNmos, 0, tech.featureSize * MAX_TRANSISTOR_HEIGHT, tech);
    const pmos = calculateGateArea("INV", 1, 0, this.widthPmos, tech.featureSize * MAX_TRANSISTOR_HEIGHT, tech);
    // Transistor counts per comparator from the CSA / VSA schematics.
    const perComparator = this.currentMode
      ? nmos.height * nmos.width * 48 + pmos.height * pmos.width * 24
      : nmos.height * nmos.width * 52 + pmos.height * pmos.width * 60;
    if (widthArray && option === "NONE") {
      this.area = perComparator * (this.levelOutput - 1) * this.numCol;
      this.width = widthArray;
      this.height = this.area / this.width;
    } else if (heightArray && option === "NONE") {
      this.area = perComparator * (this.levelOutput - 1) * this.numCol;
      this.height = heightArray;
      this.width = this.area / this.height;
    } else {
      // NeuroSim exits here: MAGIC/OVERRIDE or no dimension is not supported for this block.
      throw new Error("[MultilevelSenseAmp] Error: No width or height assigned for the multiSenseAmp circuit");
    }
    this.modifyLayout(heightArray, widthArray, option);
  }

  /** Slowest column's sensing time, clamped to [1, 10] ns (NaN resistances are skipped). */
  private slowestColumn(columnResistance: ColumnResistances): number {
    let latencyCol = 0;
    forEachColumn(columnResistance, (r) => {
      const tCol = this.getColumnLatency(r);
      if (!Number.isNaN(r)) latencyCol = stdMax(latencyCol, tCol);
      if (latencyCol < 1e-9) latencyCol = 1e-9;
      else if (latencyCol > 10e-9) latencyCol = 10e-9;
    });
    return latencyCol;
  }

  // NeuroSim V2.1 MultilevelSenseAmp.cpp, CalculateLatency
  calculateLatency(columnResistance: ColumnResistances, numColMuxed: number, numRead: number): void {
    if (!this.initialized) return;
    this.readLatency = 0;
    const latencyCol = this.slowestColumn(columnResistance);
    // Voltage mode is fitted as a flat 1 ns per conversion.
    this.readLatency = this.currentMode ? latencyCol * numColMuxed : 1e-9 * numColMuxed;
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 MultilevelSenseAmp.cpp, CalculatePower
  calculatePower(columnResistance: ColumnResistances, numRead: number): void {
    if (!this.initialized) return;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    const latencyCol = this.slowestColumn(columnResistance);
    forEachColumn(columnResistance, (r, count) => {
      const pCol = this.getColumnPower(r);
      const e = this.currentMode ? pCol * latencyCol : pCol * 1e-9;
      // NeuroSim's MAX(e, 0): a NaN energy (NaN resistance) counts as 0.
      const perColumn = e > 0 ? e : 0;
      if (count === 1) this.readDynamicEnergy += perColumn;
      else this.readDynamicEnergy += perColumn * count;
    });
    this.readDynamicEnergy *= numRead;
  }

  // NeuroSim V2.1 MultilevelSenseAmp.cpp, GetColumnLatency
  getColumnLatency(columnRes: number): number {
    const known = this.columnLatencies.get(columnRes);
    if (known !== undefined) return known;
    const latency = this.columnLatencyOf(columnRes);
    this.columnLatencies.set(columnRes, latency);
    return latency;
  }

  private columnLatencyOf(columnRes: number): number {
    const param = this.ctx.param;
    let columnLatency = 0;
    const lowBound = 0.9;
    columnRes = scaledResistance(columnRes, param);
    if (1 / columnRes === 0 || columnRes === 0) return 0;
    if (param.deviceroadmap === 1) return 1e-9; // HP: flat 1 ns
    const fit = LSTP_LATENCY_FITS[param.technode];
    if (!fit) return 1e-9; // LSTP at 22 nm and below
    const tMax = (fit.a * Math.log(columnRes / 1000) + fit.b) * 1e-9;
    const [c3, c2, c1, c0] = fit.low;
    const [q4, q3, q2, q1, q0] = fit.high;
    const refs = this.Rref;
    const last = this.levelOutput - 1;
    for (let i = 1; i < last; i++) {
      const ratio = (refs[i] as number) / columnRes;
      let t: number;
      if (ratio >= 20 || ratio <= 0.05) {
        t = 1e-9;
      } else if (ratio <= lowBound) {
        const r2 = ratio * ratio;
        t = tMax * (c3 * r2 * ratio + c2 * r2 + c1 * ratio + c0);
      } else {
        // NeuroSim writes `mid_bound <= ratio <= up_bound`, which C++ parses as (bool) <= 3: always true,
        // so every ratio above 0.9 (including NaN) takes the quartic.
        const r2 = ratio * ratio;
        t = tMax * (q4 * r2 * r2 + q3 * r2 * ratio + q2 * r2 + q1 * ratio + q0);
      }
      columnLatency = stdMax(columnLatency, t);
    }
    return columnLatency;
  }

  // NeuroSim V2.1 MultilevelSenseAmp.cpp, GetColumnPower
  getColumnPower(columnRes: number): number {
    const param = this.ctx.param;
    let columnPower: number;
    columnRes = scaledResistance(columnRes, param);
    if (1 / columnRes === 0) {
      columnPower = 1e-6;
    } else if (columnRes === 0) {
      columnPower = 0;
    } else {
      const roadmap = param.deviceroadmap === 1 ? "HP" : "LSTP";
      const [k, c, e] = nodeFit(MLSA_POWER_FITS[this.currentMode ? "CSA" : "VSA"][roadmap], param.technode);
      columnPower = k * (this.levelOutput - 1) * 1e-6;
      columnPower += c * Math.exp(e * Math.log10(columnRes));
    }
    columnPower *= 1 + 1.3e-3 * (Math.trunc(param.temp) - 300);
    return columnPower;
  }
}
