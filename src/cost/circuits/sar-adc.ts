// NeuroSim V2.1 SarADC.cpp: successive-approximation ADC per column group; area from a transistor count that
// grows with the bit count, latency one cycle per bit plus one, energy fitted to Cadence simulations.
import { type AreaModify, FunctionUnit } from "./function-unit.js";
import { calculateGateArea, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE } from "./gates.js";
import { type ColumnResistances, forEachColumn, nodeFit } from "./multilevel-sense-amp.js";

/** Power fit per node, W: (slope·log2(levels) + offset) µW plus c·e^(e·log10 R) for the sensed column. */
type SarPowerFit = [slope: number, offset: number, c: number, e: number];
const SAR_POWER_FITS: Record<"HP" | "LSTP", Record<number, SarPowerFit>> = {
  HP: {
    130: [6.4806, 49.047, 0.207452, -2.367],
    90: [4.3474, 31.782, 0.1649, -2.345],
    65: [2.9503, 22.047, 0.128483, -2.321],
    45: [2.1843, 11.931, 0.097754, -2.296],
    32: [1.0157, 7.6286, 0.083709, -2.313],
    22: [0.7213, 3.3041, 0.084273, -2.311],
    14: [0.471, 1.9529, 0.060584, -2.311],
    10: [0.3076, 1.1543, 0.049418, -2.311],
    7: [0.2008, 0.6823, 0.04031, -2.311],
  },
  LSTP: {
    130: [8.4483, 65.243, 0.16938, -2.303],
    90: [5.9869, 37.462, 0.144323, -2.303],
    65: [3.7506, 25.844, 0.121272, -2.303],
    45: [2.1691, 16.693, 0.100225, -2.303],
    32: [1.1294, 8.8998, 0.079449, -2.297],
    22: [0.538, 4.3753, 0.072341, -2.303],
    14: [0.3132, 2.5681, 0.061085, -2.303],
    10: [0.1823, 1.5073, 0.05158, -2.303],
    7: [0.1061, 0.8847, 0.043555, -2.303],
  },
};

// NeuroSim V2.1 SarADC.cpp
export class SarADC extends FunctionUnit {
  initialized = false;
  numCol = 0;
  widthNmos = 0;
  widthPmos = 0;
  levelOutput = 0;
  clkFreq = 0;
  /** Area of one ADC, m². */
  areaUnit = 0;
  numReadCellPerOperationNeuro = 0;

  // NeuroSim V2.1 SarADC.cpp, Initialize
  initialize(numCol: number, levelOutput: number, clkFreq: number, numReadCellPerOperationNeuro: number): void {
    if (this.initialized) return; // NeuroSim warns and keeps the first initialisation
    const tech = this.ctx.tech;
    this.numCol = numCol;
    this.levelOutput = levelOutput;
    this.clkFreq = clkFreq;
    this.numReadCellPerOperationNeuro = numReadCellPerOperationNeuro;
    this.widthNmos = MIN_NMOS_SIZE * tech.featureSize;
    this.widthPmos = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.initialized = true;
  }

  // NeuroSim V2.1 SarADC.cpp, CalculateUnitArea
  calculateUnitArea(): void {
    if (!this.initialized) return;
    const tech = this.ctx.tech;
    const nmos = calculateGateArea("INV", 1, this.widthNmos, 0, tech.featureSize * MAX_TRANSISTOR_HEIGHT, tech);
    const pmos = calculateGateArea("INV", 1, 0, this.widthPmos, tech.featureSize * MAX_TRANSISTOR_HEIGHT, tech);
    // Transistor counts from the schematic: a base design plus a slice per extra bit.
    const bits = Math.log2(this.levelOutput);
    this.areaUnit = nmos.height * nmos.width * (269 + (bits - 1) * 109) + pmos.height * pmos.width * (209 + (bits - 1) * 73);
  }

  // NeuroSim V2.1 SarADC.cpp, CalculateArea
  calculateArea(heightArray: number, widthArray: number, option: AreaModify): void {
    if (!this.initialized) return;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    if (widthArray && option === "NONE") {
      this.area = this.areaUnit * this.numCol;
      this.width = widthArray;
      this.height = this.area / widthArray;
    } else if (heightArray && option === "NONE") {
      this.area = this.areaUnit * this.numCol;
      this.height = heightArray;
      this.width = this.area / this.height;
    } else {
      // NeuroSim exits here (with the MultilevelSenseAmp message).
      throw new Error("[SarADC] Error: No width or height assigned for the SAR ADC circuit");
    }
    this.modifyLayout(heightArray, widthArray, option);
  }

  // NeuroSim V2.1 SarADC.cpp, CalculateLatency
  calculateLatency(numRead: number): void {
    if (!this.initialized) return;
    this.readLatency = 0;
    this.readLatency += (Math.log2(this.levelOutput) + 1) * 1e-9;
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 SarADC.cpp, CalculatePower
  calculatePower(columnResistance: ColumnResistances, numRead: number): void {
    if (!this.initialized) return;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    forEachColumn(columnResistance, (r, count) => {
      const eCol = this.getColumnPower(r);
      // NaN resistances (sequential read of a column with no activated row) are skipped.
      if (!Number.isNaN(r)) {
        if (count === 1) this.readDynamicEnergy += eCol;
        else this.readDynamicEnergy += eCol * count;
      }
    });
    this.readDynamicEnergy *= numRead;
  }

  /** Energy of one conversion of a column (despite NeuroSim's name), J. */
  // NeuroSim V2.1 SarADC.cpp, GetColumnPower
  getColumnPower(columnRes: number): number {
    const param = this.ctx.param;
    let columnPower: number;
    // Fits are for a 0.5 V read; other read voltages scale the equivalent resistance.
    columnRes *= 0.5 / param.readVoltage;
    if (1 / columnRes === 0) {
      columnPower = 1e-6;
    } else if (columnRes === 0) {
      columnPower = 0;
    } else {
      const [slope, offset, c, e] = nodeFit(SAR_POWER_FITS[param.deviceroadmap === 1 ? "HP" : "LSTP"], param.technode);
      columnPower = (slope * Math.log2(this.levelOutput) + offset) * 1e-6;
      columnPower += c * Math.exp(e * Math.log10(columnRes));
    }
    columnPower *= 1 + 1.3e-3 * (Math.trunc(param.temp) - 300);
    return columnPower * (Math.log2(this.levelOutput) + 1) * 1e-9;
  }
}
