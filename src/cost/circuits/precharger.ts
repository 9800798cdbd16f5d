// NeuroSim V2.1 Precharger.cpp: SRAM bit-line precharge (one PMOS precharger and two equalizer PMOS per column).
import { type AreaModify, cMax, cMin, FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateDrainCap,
  calculateGateArea,
  calculateGateLeakage,
  calculateOnResistance,
  calculateTransconductance,
  horowitz,
  MAX_TRANSISTOR_HEIGHT,
  MIN_NMOS_SIZE,
} from "./gates.js";

// NeuroSim V2.1 Precharger.cpp
export class Precharger extends FunctionUnit {
  initialized = false;
  capLoad = 0;
  resLoad = 0;
  capOutputBitlinePrecharger = 0;
  capWireLoadPerColumn = 0;
  resWireLoadPerColumn = 0;
  enableLatency = 0;
  numCol = 0;
  widthPMOSBitlinePrecharger = 0;
  widthPMOSBitlineEqual = 0;
  capLoadPerColumn = 0;
  rampInput = 0;
  rampOutput = 0;
  activityColWrite = 0;
  numReadCellPerOperationNeuro = 0;
  numWriteCellPerOperationNeuro = 0;

  // NeuroSim V2.1 Precharger.cpp, Initialize
  initialize(
    numCol: number,
    resLoad: number,
    activityColWrite: number,
    numReadCellPerOperationNeuro: number,
    numWriteCellPerOperationNeuro: number,
  ): void {
    const tech = this.ctx.tech;
    this.numCol = toInt(numCol);
    this.resLoad = resLoad;
    this.activityColWrite = activityColWrite;
    this.numReadCellPerOperationNeuro = toInt(numReadCellPerOperationNeuro);
    this.numWriteCellPerOperationNeuro = toInt(numWriteCellPerOperationNeuro);
    this.widthPMOSBitlineEqual = MIN_NMOS_SIZE * tech.featureSize;
    this.widthPMOSBitlinePrecharger = 6 * tech.featureSize;
    this.initialized = true;
  }

  // NeuroSim V2.1 Precharger.cpp, CalculateArea
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return;
    const tech = this.ctx.tech;
    const cellH = tech.featureSize * MAX_TRANSISTOR_HEIGHT;
    const pre = calculateGateArea("INV", 1, 0, this.widthPMOSBitlinePrecharger, cellH, tech);
    const eq = calculateGateArea("INV", 1, 0, this.widthPMOSBitlineEqual, cellH, tech);
    this.area = 0;
    this.height = 0;
    this.width = 0;
    // One column unit: the precharger over two equalizers.
    const hUnit = pre.height + eq.height * 2;
    const wUnit = cMax(pre.width, eq.width);
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

    this.capOutputBitlinePrecharger =
      calculateDrainCap(this.widthPMOSBitlinePrecharger, "PMOS", pre.height, tech) +
      calculateDrainCap(this.widthPMOSBitlineEqual, "PMOS", eq.height, tech);
  }

  // NeuroSim V2.1 Precharger.cpp, CalculateLatency: pull-up of the bit line (Elmore with the line resistance).
  calculateLatency(rampInput: number, capLoad: number, numRead: number, numWrite: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    this.readLatency = 0;
    this.writeLatency = 0;
    this.rampInput = rampInput;
    this.capLoad = capLoad;
    const resPullUp = calculateOnResistance(this.widthPMOSBitlinePrecharger, "PMOS", temperature, tech);
    const tau = resPullUp * (capLoad + this.capOutputBitlinePrecharger) + (this.resLoad * capLoad) / 2;
    const beta = 1 / (resPullUp * calculateTransconductance(this.widthPMOSBitlinePrecharger, "PMOS", tech));
    const h = horowitz(tau, beta, 1e20);
    this.rampOutput = h.rampOutput;
    this.readLatency += h.delay;
    this.writeLatency = this.readLatency;
    this.readLatency *= numRead;
    this.writeLatency *= numWrite;
  }

  // NeuroSim V2.1 Precharger.cpp, CalculatePower (uses the capLoad of the last calculateLatency)
  calculatePower(numRead: number, numWrite: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const vdd = tech.vdd;
    this.leakage = calculateGateLeakage("INV", 1, 0, this.widthPMOSBitlinePrecharger, temperature, tech) * vdd * this.numCol;
    // Read: BL and BL_bar of each read column.
    this.readDynamicEnergy = this.capLoad * vdd * vdd * cMin(this.numReadCellPerOperationNeuro, this.numCol) * 2;
    this.readDynamicEnergy *= numRead;
    this.writeDynamicEnergy = this.capLoad * vdd * vdd * cMin(this.numWriteCellPerOperationNeuro, this.numCol * this.activityColWrite);
    this.writeDynamicEnergy *= numWrite;
  }
}
