// NeuroSim V2.1 NewMux.cpp: per-column muxes of 3 minimum TGs (2 switched per access) for read/write voltages.
import { type AreaModify, FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateGateCap,
  calculateGateCapacitance,
  calculatePassGateArea,
  MIN_GAP_BET_GATE_POLY,
  MIN_NMOS_SIZE,
  POLY_WIDTH,
} from "./gates.js";

// NeuroSim V2.1 NewMux.cpp (not instantiated by DNN+NeuroSim V2.1's chip, ported for completeness)
export class NewMux extends FunctionUnit {
  initialized = false;
  numInput = 0;
  capLoad = 0;
  widthTgN = 0;
  widthTgP = 0;
  TgHeight = 0;
  TgWidth = 0;
  capTgDrain = 0;
  capTgGateN = 0;
  capTgGateP = 0;
  /**
   * NeuroSim never assigns this (an uninitialised member in C++), yet calculateLatency uses it; it starts
   * at 0 here (latency 0) and callers may set it.
   */
  resTg = 0;
  rampInput = 0;
  rampOutput = 0;
  numRowTgPair = 0;

  // NeuroSim V2.1 NewMux.cpp, Initialize
  initialize(numInput: number): void {
    const tech = this.ctx.tech;
    this.numInput = toInt(numInput);
    this.widthTgN = MIN_NMOS_SIZE * tech.featureSize;
    this.widthTgP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.initialized = true;
  }

  // NeuroSim V2.1 NewMux.cpp, CalculateArea: 3 TGs per input, laid out in pairs.
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    const tech = this.ctx.tech;
    let hTg: number;
    let wTg: number;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    if (newWidth && option === "NONE") {
      this.numRowTgPair = 1;
      const minCellWidth = 2 * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * tech.featureSize;
      let numTgPairPerRow = toInt(newWidth / (minCellWidth * 2));
      // NeuroSim counts numInput*3 TGs against pairs per row, as written.
      this.numRowTgPair = toInt(Math.ceil((this.numInput * 3) / numTgPairPerRow));
      numTgPairPerRow = toInt(Math.ceil((this.numInput * 3) / this.numRowTgPair));
      this.TgWidth = newWidth / numTgPairPerRow / 2;
      const numFold = toInt(this.TgWidth / (0.5 * minCellWidth)) - 1;
      const g = calculatePassGateArea(this.widthTgN, this.widthTgP, tech, numFold);
      hTg = g.height;
      wTg = g.width;
      this.width = newWidth;
      this.height = hTg * this.numRowTgPair;
    } else {
      const g = calculatePassGateArea(this.widthTgN, this.widthTgP, tech, 1);
      hTg = g.height;
      wTg = g.width;
      this.width = wTg * 2 * this.numInput * 3;
      this.height = hTg;
    }
    this.area = this.height * this.width;

    this.modifyLayout(newHeight, newWidth, option);

    this.capTgGateN = calculateGateCap(this.widthTgN, tech);
    this.capTgGateP = calculateGateCap(this.widthTgP, tech);
    this.capTgDrain = calculateGateCapacitance("INV", 1, this.widthTgN, this.widthTgP, hTg, tech).capOutput;
  }

  // NeuroSim V2.1 NewMux.cpp, CalculateLatency: TG RC for reads; the write pulse width for writes.
  calculateLatency(rampInput: number, capLoad: number, numRead: number, numWrite: number): void {
    if (!this.initialized) return;
    this.rampInput = rampInput;
    this.capLoad = capLoad;
    this.readLatency = 0;
    const tr = this.resTg * 2 * (this.capTgDrain + 0.5 * this.capTgGateN + 0.5 * this.capTgGateP + capLoad);
    this.readLatency += 2.3 * tr;
    this.readLatency *= numRead;
    this.writeLatency = this.ctx.cell.writePulseWidth;
    this.writeLatency *= numWrite;
  }

  // NeuroSim V2.1 NewMux.cpp, CalculatePower: read, then two-step write (half SET, half RESET on average).
  calculatePower(
    numRead: number,
    numWrite: number,
    numWritePulse: number,
    mode1T1R: number,
    activityRowRead: number,
    activityColWrite: number,
  ): void {
    if (!this.initialized) return;
    const { tech, cell } = this.ctx;
    const n = this.numInput;
    const wv = cell.writeVoltage;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    this.writeDynamicEnergy = 0;

    // Two TGs pass Vread onto the line, which sees three TG drains; two TGs open per selection.
    this.readDynamicEnergy += this.capTgDrain * 3 * cell.readVoltage * cell.readVoltage * n;
    this.readDynamicEnergy += (this.capTgGateN + this.capTgGateP) * 2 * tech.vdd * tech.vdd * n;
    this.readDynamicEnergy *= numRead;
    this.readDynamicEnergy *= activityRowRead;

    if (toInt(mode1T1R)) {
      this.writeDynamicEnergy += (this.capTgDrain * 2 * wv * wv * numWritePulse * n * activityColWrite) / 2; // LTP, selected
      this.writeDynamicEnergy += this.capTgDrain * 2 * wv * wv * (n - (n * activityColWrite) / 2); // unselected
      this.writeDynamicEnergy += (this.capTgDrain * 2 * wv * wv * numWritePulse * n * activityColWrite) / 2; // LTD, selected
      this.writeDynamicEnergy += (this.capTgGateN + this.capTgGateP) * tech.vdd * tech.vdd * n;
    } else {
      this.writeDynamicEnergy += (this.capTgDrain * 2 * wv * wv * numWritePulse * n * activityColWrite) / 2; // LTP, selected
      this.writeDynamicEnergy += (this.capTgDrain * 2 * wv * wv * numWritePulse * n * activityColWrite) / 2; // LTD, selected
      this.writeDynamicEnergy += ((((this.capTgDrain * 2 * wv) / 2) * wv) / 2) * n * (1 - activityColWrite); // half-selected
      this.writeDynamicEnergy += (this.capTgGateN + this.capTgGateP) * tech.vdd * tech.vdd * n;
    }
  }
}
