// NeuroSim V2.1 DeMux.cpp: a demultiplexer of TG pairs sized for IR drop against the row's on-resistance.
import { type AreaModify, cMax, FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateGateArea,
  calculateGateCap,
  calculateGateCapacitance,
  calculateGateLeakage,
  calculateOnResistance,
  calculatePassGateArea,
  IR_DROP_TOLERANCE,
  MAX_TRANSISTOR_HEIGHT,
  MIN_GAP_BET_GATE_POLY,
  MIN_NMOS_SIZE,
  POLY_WIDTH,
} from "./gates.js";

// NeuroSim V2.1 DeMux.cpp (included but not instantiated by DNN+NeuroSim V2.1's chip, ported for completeness)
export class DeMux extends FunctionUnit {
  initialized = false;
  numInput = 0;
  widthInvN = 0;
  widthInvP = 0;
  widthTgN = 0;
  widthTgP = 0;
  capInvInput = 0;
  capInvOutput = 0;
  capTgDrain = 0;
  capTgGateN = 0;
  capTgGateP = 0;
  resTg = 0;
  rampInput = 0;
  rampOutput = 0;

  // NeuroSim V2.1 DeMux.cpp, Initialize
  initialize(numInput: number, numRow: number): void {
    const { tech, cell, temperature } = this.ctx;
    this.numInput = toInt(numInput);
    this.widthInvN = MIN_NMOS_SIZE * tech.featureSize;
    this.widthInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    // TG resistance: a fraction of the parallel on-resistance of numRow cells.
    this.resTg = (cell.resistanceOn / toInt(numRow)) * IR_DROP_TOLERANCE;
    this.widthTgN = (calculateOnResistance(tech.featureSize, "NMOS", temperature, tech) * tech.featureSize) / (this.resTg * 2);
    this.widthTgP = (calculateOnResistance(tech.featureSize, "PMOS", temperature, tech) * tech.featureSize) / (this.resTg * 2);
    this.initialized = true;
  }

  // NeuroSim V2.1 DeMux.cpp, CalculateArea: one INV plus numInput TG pairs.
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    const tech = this.ctx.tech;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    const inv = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, tech.featureSize * MAX_TRANSISTOR_HEIGHT, tech);
    const numTgPair = this.numInput;
    let hTg: number;
    if (newWidth && option === "NONE") {
      const minCellWidth = 2 * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * tech.featureSize;
      let numTgPairPerRow = toInt(newWidth / (minCellWidth * 2));
      const numRowTgPair = toInt(Math.ceil(numTgPair / numTgPairPerRow));
      numTgPairPerRow = toInt(Math.ceil(numTgPair / numRowTgPair));
      // NeuroSim stores this TG width in an int, so it truncates to 0 m: numFold is then always −1.
      const TgWidth = toInt(newWidth / numTgPairPerRow / 2);
      const numFold = toInt(TgWidth / (0.5 * minCellWidth)) - 1;
      const g = calculatePassGateArea(this.widthTgN, this.widthTgP, tech, numFold);
      hTg = g.height;
      this.width = newWidth;
      this.height = cMax(hTg * numRowTgPair, inv.height);
    } else {
      const g = calculatePassGateArea(this.widthTgN, this.widthTgP, tech, 1);
      hTg = g.height;
      this.height = cMax(hTg, inv.height);
      this.width = g.width * 2 * numTgPair + inv.width;
    }
    this.area = this.height * this.width;

    this.modifyLayout(newHeight, newWidth, option);

    const invCap = calculateGateCapacitance("INV", 1, this.widthInvN, this.widthInvP, inv.height, tech);
    this.capInvInput = invCap.capInput;
    this.capInvOutput = invCap.capOutput;
    this.capTgGateN = calculateGateCap(this.widthTgN, tech);
    this.capTgGateP = calculateGateCap(this.widthTgP, tech);
    this.capTgDrain = calculateGateCapacitance("INV", 1, this.widthTgN, this.widthTgP, hTg, tech).capOutput;
  }

  // NeuroSim V2.1 DeMux.cpp, CalculateLatency: TG RC, 0→90 % (the input ramp is ignored).
  calculateLatency(rampInput: number, numRead: number): void {
    if (!this.initialized) return;
    this.rampInput = rampInput;
    this.readLatency = 0;
    const tr = this.resTg * this.capTgDrain;
    this.readLatency += 2.3 * tr;
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 DeMux.cpp, CalculatePower
  calculatePower(numRead: number): void {
    if (!this.initialized) return;
    const { tech, cell, temperature } = this.ctx;
    const vr = cell.readVoltage;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    this.leakage += calculateGateLeakage("INV", 1, this.widthInvN, this.widthInvP, temperature, tech) * tech.vdd;
    this.readDynamicEnergy += this.capInvInput * tech.vdd * tech.vdd;
    this.readDynamicEnergy += (this.capTgGateN + this.capTgGateP) * tech.vdd * tech.vdd * this.numInput;
    this.readDynamicEnergy += this.capTgDrain * 2 * vr * vr * this.numInput; // TG drain, input side
    this.readDynamicEnergy += this.capTgDrain * vr * vr * this.numInput; // TG drain, output side
    this.readDynamicEnergy *= numRead;
    if (this.readLatency) this.readPower = this.readDynamicEnergy / this.readLatency;
  }
}
