// NeuroSim V2.1 DFF.cpp: a bank of D flip-flops (each ~12 minimum inverters of layout).
import { type AreaModify, cMin, FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateGateArea,
  calculateGateCap,
  calculateGateCapacitance,
  calculateGateLeakage,
  MAX_TRANSISTOR_HEIGHT,
  MIN_NMOS_SIZE,
} from "./gates.js";

// NeuroSim V2.1 DFF.cpp
export class DFF extends FunctionUnit {
  initialized = false;
  numDff = 0;
  clkFreq = 0;
  widthTgN = 0;
  widthTgP = 0;
  widthInvN = 0;
  widthInvP = 0;
  capTgDrain = 0;
  capTgGateN = 0;
  capTgGateP = 0;
  capInvInput = 0;
  capInvOutput = 0;
  rampInput = 0;
  rampOutput = 0;

  // NeuroSim V2.1 DFF.cpp, Initialize
  initialize(numDff: number, clkFreq: number): void {
    const tech = this.ctx.tech;
    this.numDff = toInt(numDff);
    this.clkFreq = clkFreq;
    this.widthTgN = MIN_NMOS_SIZE * tech.featureSize;
    this.widthTgP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.widthInvN = MIN_NMOS_SIZE * tech.featureSize;
    this.widthInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.initialized = true;
  }

  // NeuroSim V2.1 DFF.cpp, CalculateArea
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return; // NeuroSim only prints an error and leaves the fields as they were
    const tech = this.ctx.tech;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    // One DFF is laid out as 12 minimum-size inverters side by side.
    const inv = calculateGateArea(
      "INV",
      1,
      MIN_NMOS_SIZE * tech.featureSize,
      tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize,
      tech.featureSize * MAX_TRANSISTOR_HEIGHT,
      tech,
    );
    const hDff = inv.height;
    const wDff = inv.width * 12;

    if (newHeight && option === "NONE") {
      // Stack the DFFs in columns of the given height.
      let numDffPerCol = toInt(newHeight / hDff);
      if (numDffPerCol > this.numDff) numDffPerCol = this.numDff;
      // numDffPerCol = 0 (block shorter than one DFF) makes NeuroSim's column count INT_MIN; kept as is.
      const numColDff = toInt(Math.ceil(this.numDff / numDffPerCol));
      this.height = newHeight;
      this.width = wDff * numColDff;
    } else if (newWidth && option === "NONE") {
      // Lay the DFFs in rows of the given width.
      let numDffPerRow = toInt(newWidth / wDff);
      if (numDffPerRow > this.numDff) numDffPerRow = this.numDff;
      const numRowDff = toInt(Math.ceil(this.numDff / numDffPerRow));
      this.width = newWidth;
      this.height = hDff * numRowDff;
    } else {
      // Default: a single row.
      this.width = wDff * this.numDff;
      this.height = hDff;
    }
    this.area = this.height * this.width;

    this.modifyLayout(newHeight, newWidth, option);

    const invCap = calculateGateCapacitance("INV", 1, this.widthInvN, this.widthInvP, inv.height, tech);
    this.capInvInput = invCap.capInput;
    this.capInvOutput = invCap.capOutput;
    this.capTgGateN = calculateGateCap(this.widthTgN, tech);
    this.capTgGateP = calculateGateCap(this.widthTgP, tech);
    this.capTgDrain = calculateGateCapacitance("INV", 1, this.widthTgN, this.widthTgP, inv.height, tech).capOutput;
  }

  // NeuroSim V2.1 DFF.cpp, CalculateLatency: half a clock period per read.
  calculateLatency(rampInput: number, numRead: number): void {
    if (!this.initialized) return;
    this.readLatency = 0;
    this.rampInput = rampInput;
    this.readLatency += 1 / this.clkFreq / 2;
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 DFF.cpp, CalculatePower
  calculatePower(numRead: number, numDffPerOperation: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    this.readDynamicEnergy = 0;
    // Leakage: 8 inverter-equivalents per DFF.
    this.leakage = calculateGateLeakage("INV", 1, this.widthInvN, this.widthInvP, temperature, tech) * tech.vdd * 8 * this.numDff;

    // Clock inverters and clock TGs toggle in every DFF (input D = 1, one clock cycle).
    this.readDynamicEnergy += (this.capInvInput + this.capInvOutput) * tech.vdd * tech.vdd * 4 * this.numDff;
    this.readDynamicEnergy += this.capTgGateN * tech.vdd * tech.vdd * 2 * this.numDff;
    this.readDynamicEnergy += this.capTgGateP * tech.vdd * tech.vdd * 2 * this.numDff;
    // The D-to-Q path toggles only in the DFFs that take new data.
    const active = cMin(numDffPerOperation, this.numDff);
    this.readDynamicEnergy += (this.capTgDrain * 3 + this.capInvInput) * tech.vdd * tech.vdd * active; // D input side
    this.readDynamicEnergy += (this.capTgDrain + this.capInvOutput) * tech.vdd * tech.vdd * active; // feedback side
    this.readDynamicEnergy += (this.capInvInput + this.capInvOutput) * tech.vdd * tech.vdd * active; // Q output side

    this.readDynamicEnergy *= numRead;
  }
}
