// NeuroSim V2.1 CurrentSenseAmp.cpp: current-mode sense amplifier comparing a column against a reference resistance,
// with latency and power fitted to circuit simulations per node. In V2.1 only the BNN/XNOR sequential SubArray uses it.
import { FunctionUnit, toInt } from "./function-unit.js";
import { calculateGateArea, HEIGHT_WIDTH_RATIO_LIMIT, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE } from "./gates.js";

// NeuroSim V2.1 CurrentSenseAmp.cpp
export class CurrentSenseAmp extends FunctionUnit {
  initialized = false;
  invalid = false;
  numCol = 0;
  widthNmos = 0;
  widthPmos = 0;
  hNmosL = 0;
  wNmosL = 0;
  hNmosS = 0;
  wNmosS = 0;
  hNmosM = 0;
  wNmosM = 0;
  areaUnit = 0;
  widthArray = 0;
  parallel = false;
  rowbyrow = false;
  clkFreq = 0;
  /** Reference resistance: midway between the on and off resistances. */
  Rref = 0;
  numReadCellPerOperationNeuro = 0;

  // NeuroSim V2.1 CurrentSenseAmp.cpp, Initialize
  initialize(numCol: number, parallel: boolean, rowbyrow: boolean, clkFreq: number, numReadCellPerOperationNeuro: number): void {
    const { tech, param } = this.ctx;
    this.numCol = toInt(numCol);
    this.parallel = parallel;
    this.rowbyrow = rowbyrow;
    this.clkFreq = clkFreq;
    this.numReadCellPerOperationNeuro = toInt(numReadCellPerOperationNeuro);
    this.widthNmos = MIN_NMOS_SIZE * tech.featureSize;
    this.widthPmos = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    const rStart = 1 / param.maxConductance;
    const rIndex = 1 / param.minConductance - 1 / param.maxConductance;
    this.Rref = rStart + rIndex / 2;
    this.initialized = true;
  }

  // NeuroSim V2.1 CurrentSenseAmp.cpp, CalculateUnitArea: meant as 48 NMOS + 40 PMOS, but the C++ multiplies two
  // NMOS dimensions it never sets (uninitialised locals); the shipped -O3 build folds that product to 0, so only
  // the PMOS term counts. We reproduce the compiled result.
  calculateUnitArea(): void {
    if (!this.initialized) return;
    const tech = this.ctx.tech;
    const cellH = tech.featureSize * MAX_TRANSISTOR_HEIGHT;
    const nmos = calculateGateArea("INV", 1, this.widthNmos, 0, cellH, tech);
    this.hNmosS = nmos.height;
    this.wNmosS = nmos.width;
    const pmos = calculateGateArea("INV", 1, 0, this.widthPmos, cellH, tech);
    this.areaUnit = 0 + pmos.height * pmos.width * 40;
  }

  // NeuroSim V2.1 CurrentSenseAmp.cpp, CalculateArea: fixed S/A width (capped so W/H ≤ HEIGHT_WIDTH_RATIO_LIMIT).
  calculateArea(widthArray: number): void {
    if (!this.initialized) return;
    const x = Math.sqrt(this.areaUnit / HEIGHT_WIDTH_RATIO_LIMIT);
    if (widthArray > x) widthArray = x;
    this.area = this.areaUnit * this.numCol;
    this.width = widthArray * this.numCol;
    this.height = this.areaUnit / widthArray;
  }

  // NeuroSim V2.1 CurrentSenseAmp.cpp, CalculateLatency: slowest column (clamped to [0.5, 50] ns) per mux step.
  calculateLatency(columnResistance: readonly number[], numColMuxed: number, numRead: number): void {
    if (!this.initialized) return;
    let latencyCol = 0;
    this.readLatency = 0;
    for (const r of columnResistance) {
      const t = this.getColumnLatency(r);
      latencyCol = latencyCol < t ? t : latencyCol; // std::max
      if (latencyCol < 5e-10) latencyCol = 5e-10;
      else if (latencyCol > 50e-9) latencyCol = 50e-9;
    }
    this.readLatency += latencyCol * numColMuxed;
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 CurrentSenseAmp.cpp, CalculatePower: Σ over columns of latency x power.
  calculatePower(columnResistance: readonly number[], numRead: number): void {
    if (!this.initialized) return;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    for (const r of columnResistance) {
      const t = this.getColumnLatency(r);
      const p = this.getColumnPower(r);
      this.readDynamicEnergy += t * p;
    }
    this.readDynamicEnergy *= numRead;
  }

  // NeuroSim V2.1 CurrentSenseAmp.cpp, GetColumnLatency: fits of T_max(R) and T/T_max(Rref/R) per node (LSTP only;
  // HP and ≤ 22 nm are a flat 1 ns).
  getColumnLatency(columnRes: number): number {
    const param = this.ctx.param;
    let latency = 0;
    // The fits were simulated at Vread = 0.5 V: scale R to the equivalent resistance.
    columnRes *= 0.5 / param.readVoltage;
    if (1 / columnRes === 0 || columnRes === 0) return 0;
    if (param.deviceroadmap === 1) return 1e-9;

    const node = param.technode;
    let fit: { tMax: readonly [number, number]; low: readonly number[]; high: readonly number[] } | undefined;
    if (node === 130) fit = FITS_130;
    else if (node === 90) fit = FITS_90;
    else if (node === 65) fit = FITS_65;
    else if (node === 45 || node === 32) fit = FITS_45_32;
    if (!fit) return 1e-9;

    const tMax = (fit.tMax[0] * Math.log(columnRes / 1000) + fit.tMax[1]) * 1e-9;
    const ratio = this.Rref / columnRes;
    let t: number;
    if (ratio >= 20 || ratio <= 0.05) {
      t = 1e-9;
    } else if (ratio <= 0.9) {
      const [a, b, c, d] = fit.low as [number, number, number, number];
      t = tMax * (a * ratio ** 3 - b * ratio ** 2 + c * ratio + d);
    } else {
      // NeuroSim's test here is `mid_bound <= ratio <= up_bound`, a chained comparison that is always true,
      // so every ratio above 0.9 takes the quartic fit (its other branches are dead).
      const [a, b, c, d, e] = fit.high as [number, number, number, number, number];
      t = tMax * (a * ratio ** 4 - b * ratio ** 3 + c * ratio ** 2 - d * ratio + e);
    }
    latency = latency < t ? t : latency;
    return latency;
  }

  // NeuroSim V2.1 CurrentSenseAmp.cpp, GetColumnPower: static bias plus a power law in R, per node and roadmap.
  getColumnPower(columnRes: number): number {
    const param = this.ctx.param;
    columnRes *= 0.5 / param.readVoltage;
    if (1 / columnRes === 0) return 1e-6;
    if (columnRes === 0) return 0;
    const table = param.deviceroadmap === 1 ? POWER_HP : POWER_LP;
    const node = param.technode;
    const row = table[node] ?? table[7]!;
    return row[0] * 1e-6 + row[1] * Math.exp(row[2] * Math.log10(columnRes));
  }
}

// Latency fits (T_max = a·ln(R/1kΩ) + b in ns; T/T_max cubic below ratio 0.9, quartic above), coefficients with
// the signs of the fitted polynomials folded into the formulas above.
const FITS_130 = { tMax: [0.2679, 0.0478], low: [3.915, 5.3996, 2.4653, 0.3856], high: [0.0004, 0.0087, 0.0742, 0.2725, 1.2211] } as const;
const FITS_90 = { tMax: [0.0586, 1.41], low: [3.726, 5.651, 2.8249, 0.3574], high: [0.0000008, 0.00007, 0.0017, 0.0188, 0.9835] } as const;
const FITS_65 = { tMax: [0.1239, 0.6642], low: [1.3899, 2.6913, 2.0483, 0.3202], high: [0.0036, 0.0363, 0.1043, 0.0346, 1.0512] } as const;
const FITS_45_32 = {
  tMax: [0.0714, 0.7651],
  low: [3.7949, 5.6685, 2.6492, 0.4807],
  high: [0.000001, 0.00006, 0.0001, 0.0171, 1.0057],
} as const;

/** Column power fits: [static µW, coefficient, exponent on log10(R)]; unknown nodes use the 7 nm row. */
const POWER_HP: Record<number, readonly [number, number, number]> = {
  130: [19.898, 0.207452, -2.367],
  90: [13.09, 0.1649, -2.345],
  65: [9.9579, 0.128483, -2.321],
  45: [7.7017, 0.097754, -2.296],
  32: [3.9648, 0.083709, -2.313],
  22: [1.8939, 0.084273, -2.311],
  14: [1.2, 0.060584, -2.311],
  10: [0.8, 0.049418, -2.311],
  7: [0.5, 0.04031, -2.311],
};
const POWER_LP: Record<number, readonly [number, number, number]> = {
  130: [18.09, 0.16938, -2.303],
  90: [12.612, 0.144323, -2.303],
  65: [8.4147, 0.121272, -2.303],
  45: [6.3162, 0.100225, -2.303],
  32: [3.0875, 0.079449, -2.297],
  22: [1.7, 0.072341, -2.303],
  14: [1.0, 0.061085, -2.303],
  10: [0.55, 0.05158, -2.303],
  7: [0.35, 0.043555, -2.303],
};
