// NeuroSim V2.1 SRAMWriteDriver.cpp: per-column SRAM write driver (three minimum inverters; two in the drive path).
import { type AreaModify, cMin, FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateGateArea,
  calculateGateCapacitance,
  calculateGateLeakage,
  calculateOnResistance,
  calculateTransconductance,
  horowitz,
  MAX_TRANSISTOR_HEIGHT,
  MIN_NMOS_SIZE,
} from "./gates.js";

// NeuroSim V2.1 SRAMWriteDriver.cpp
export class SRAMWriteDriver extends FunctionUnit {
  initialized = false;
  capLoad = 0;
  resLoad = 0;
  capInvInput = 0;
  capInvOutput = 0;
  numCol = 0;
  widthInvN = 0;
  widthInvP = 0;
  rampInput = 0;
  rampOutput = 0;
  activityColWrite = 0;
  numWriteCellPerOperationNeuro = 0;

  // NeuroSim V2.1 SRAMWriteDriver.cpp, Initialize
  initialize(numCol: number, activityColWrite: number, numWriteCellPerOperationNeuro: number): void {
    const tech = this.ctx.tech;
    this.numCol = toInt(numCol);
    this.activityColWrite = activityColWrite;
    this.numWriteCellPerOperationNeuro = toInt(numWriteCellPerOperationNeuro);
    this.widthInvN = MIN_NMOS_SIZE * tech.featureSize;
    this.widthInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.initialized = true;
  }

  // NeuroSim V2.1 SRAMWriteDriver.cpp, CalculateArea
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return;
    const tech = this.ctx.tech;
    const inv = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, tech.featureSize * MAX_TRANSISTOR_HEIGHT, tech);
    this.area = 0;
    this.height = 0;
    this.width = 0;
    // One column unit: three inverters stacked.
    const hUnit = inv.height * 3;
    const wUnit = inv.width;
    if (newWidth && option === "NONE") {
      let numUnitPerRow = toInt(newWidth / wUnit);
      if (numUnitPerRow > this.numCol) numUnitPerRow = this.numCol;
      const numRowUnit = toInt(Math.ceil(this.numCol / numUnitPerRow));
      this.width = newWidth;
      this.height = numRowUnit * hUnit;
    } else {
      this.width = this.numCol * wUnit;
      this.height = hUnit;
    }
    this.area = this.height * this.width;

    this.modifyLayout(newHeight, newWidth, option);

    const c = calculateGateCapacitance("INV", 1, this.widthInvN, this.widthInvP, inv.height, tech);
    this.capInvInput = c.capInput;
    this.capInvOutput = c.capOutput;
  }

  // NeuroSim V2.1 SRAMWriteDriver.cpp, CalculateLatency: INV pull-up, then INV pull-down of the bit line.
  calculateLatency(rampInput: number, capLoad: number, resLoad: number, numWrite: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    this.rampInput = rampInput;
    this.capLoad = capLoad;
    this.resLoad = resLoad;
    this.writeLatency = 0;

    const resPullUp = calculateOnResistance(this.widthInvP, "PMOS", temperature, tech);
    let tr = resPullUp * (this.capInvOutput + this.capInvInput);
    let beta = 1 / (resPullUp * calculateTransconductance(this.widthInvP, "PMOS", tech));
    const h1 = horowitz(tr, beta, rampInput);
    this.writeLatency += h1.delay;

    const resPullDown = calculateOnResistance(this.widthInvN, "NMOS", temperature, tech);
    tr = resPullDown * (capLoad + this.capInvOutput) + (resLoad * capLoad) / 2;
    beta = 1 / (resPullDown * calculateTransconductance(this.widthInvN, "NMOS", tech));
    const h2 = horowitz(tr, beta, h1.rampOutput);
    this.writeLatency += h2.delay;
    this.rampOutput = h2.rampOutput;

    this.writeLatency *= numWrite;
  }

  // NeuroSim V2.1 SRAMWriteDriver.cpp, CalculatePower: the precharged BL pair costs nothing; only the first inverter
  // output and second inverter input switch (write data 0).
  calculatePower(numWrite: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const vdd = tech.vdd;
    this.leakage = calculateGateLeakage("INV", 1, this.widthInvN, this.widthInvP, temperature, tech) * vdd * 3 * this.numCol;
    this.writeDynamicEnergy =
      (this.capInvOutput + this.capInvInput) * vdd * vdd * cMin(this.numWriteCellPerOperationNeuro, this.numCol * this.activityColWrite);
    this.writeDynamicEnergy *= numWrite;
  }
}
