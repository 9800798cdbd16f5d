// NeuroSim V2.1 VoltageSenseAmp.cpp: precharge-type voltage sense amplifier (6 NMOS + 5 PMOS), used by V2.1's
// Sigmoid unit.
import { FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateGateArea,
  calculateGateCapacitance,
  calculateGateLeakage,
  calculateOnResistance,
  HEIGHT_WIDTH_RATIO_LIMIT,
  MAX_TRANSISTOR_HEIGHT,
  MIN_NMOS_SIZE,
} from "./gates.js";

// NeuroSim V2.1 VoltageSenseAmp.cpp
export class VoltageSenseAmp extends FunctionUnit {
  initialized = false;
  numReadCol = 0;
  widthNmos = 0;
  widthPmos = 0;
  widthVoltageSenseAmp = 0;
  rampInput = 0;
  rampOutput = 0;
  /** Voltage difference to resolve (V). */
  voltageSenseDiff = 0;
  resPrecharge = 0;
  capNmosGate = 0;
  capNmosDrain = 0;
  capPmosGate = 0;
  capPmosDrain = 0;
  /** Capacitance of the sensing node S1. */
  capS1 = 0;
  areaUnit = 0;
  clkFreq = 0;

  // NeuroSim V2.1 VoltageSenseAmp.cpp, Initialize
  initialize(numReadCol: number, clkFreq: number): void {
    const tech = this.ctx.tech;
    this.voltageSenseDiff = 0.1;
    this.numReadCol = toInt(numReadCol);
    this.clkFreq = clkFreq;
    this.widthNmos = MIN_NMOS_SIZE * tech.featureSize;
    this.widthPmos = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.initialized = true;
  }

  // NeuroSim V2.1 VoltageSenseAmp.cpp, CalculateUnitArea. NeuroSim lays the PMOS out (and takes its capacitances)
  // as if it were an NMOS of the PMOS width; reproduced.
  calculateUnitArea(): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const cellH = tech.featureSize * MAX_TRANSISTOR_HEIGHT;
    const nmos = calculateGateArea("INV", 1, this.widthNmos, 0, cellH, tech);
    const pmos = calculateGateArea("INV", 1, this.widthPmos, 0, cellH, tech);
    this.areaUnit = nmos.height * nmos.width * 6 + pmos.height * pmos.width * 5;
    this.resPrecharge = calculateOnResistance(this.widthPmos, "PMOS", temperature, tech);
    const cn = calculateGateCapacitance("INV", 1, this.widthNmos, 0, nmos.height, tech);
    this.capNmosGate = cn.capInput;
    this.capNmosDrain = cn.capOutput;
    const cp = calculateGateCapacitance("INV", 1, this.widthPmos, 0, pmos.height, tech);
    this.capPmosGate = cp.capInput;
    this.capPmosDrain = cp.capOutput;
    this.capS1 = this.capNmosGate + this.capNmosDrain + this.capPmosDrain;
  }

  // NeuroSim V2.1 VoltageSenseAmp.cpp, CalculateArea: fixed S/A width (capped so W/H ≤ HEIGHT_WIDTH_RATIO_LIMIT).
  calculateArea(widthVoltageSenseAmp: number): void {
    if (!this.initialized) return;
    this.widthVoltageSenseAmp = widthVoltageSenseAmp;
    const x = Math.sqrt(this.areaUnit / HEIGHT_WIDTH_RATIO_LIMIT);
    if (this.widthVoltageSenseAmp > x) this.widthVoltageSenseAmp = x;
    this.area = this.areaUnit * this.numReadCol;
    this.width = this.widthVoltageSenseAmp * this.numReadCol;
    this.height = this.areaUnit / this.widthVoltageSenseAmp;
  }

  // NeuroSim V2.1 VoltageSenseAmp.cpp, CalculateLatency: precharge of S1, then developing voltageSenseDiff with the
  // on/off cell-current difference; plus two clock cycles (precharge, enable).
  calculateLatency(capInputLoad: number, numRead: number): void {
    if (!this.initialized) return;
    const cell = this.ctx.cell;
    this.readLatency = 0;
    this.readLatency +=
      2.3 * this.resPrecharge * this.capS1 +
      (this.voltageSenseDiff * (this.capS1 + this.capNmosDrain + capInputLoad)) /
        (cell.readVoltage / cell.resMemCellOn - cell.readVoltage / cell.resMemCellOff);
    this.readLatency += (1 / this.clkFreq) * 2;
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 VoltageSenseAmp.cpp, CalculatePower: leakage of ~2 NAND2; energy scaled from a 65 nm simulation.
  calculatePower(numRead: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    this.leakage = 0;
    this.leakage += calculateGateLeakage("NAND", 2, this.widthNmos, this.widthPmos, temperature, tech) * tech.vdd * 2;
    this.readDynamicEnergy = 9.845e-15 * (tech.vdd / 1.1) * (tech.vdd / 1.1);
    this.readDynamicEnergy *= this.numReadCol;
    this.readDynamicEnergy *= numRead;
  }
}
