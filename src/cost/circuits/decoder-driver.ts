// NeuroSim V2.1 DecoderDriver.cpp: per-line driver after a decoder (an inverter plus transmission gates that pass
// the read/write voltages onto a row or column); the TGs are sized so they drop at most IR_DROP_TOLERANCE.
import { type AreaModify, cMax, FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateGateArea,
  calculateGateCap,
  calculateGateCapacitance,
  calculateGateLeakage,
  calculateOnResistance,
  calculatePassGateArea,
  horowitz,
  IR_DROP_TOLERANCE,
  MAX_TRANSISTOR_HEIGHT,
  MIN_GAP_BET_GATE_POLY,
  MIN_NMOS_SIZE,
  POLY_WIDTH,
  ROW_MODE,
} from "./gates.js";

// NeuroSim V2.1 DecoderDriver.cpp
export class DecoderDriver extends FunctionUnit {
  initialized = false;
  /** ROW_MODE (0) or COL_MODE (1), as in gates.ts. */
  mode = ROW_MODE as number;
  numOutput = 0;
  /** Worst-case load (1T1R SL, crossbar WL/BL). */
  capLoad1 = 0;
  /** 1T1R BL load (unused by the formulas). */
  capLoad2 = 0;
  resLoad = 0;
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
  numRowTg = 0;
  numColTg = 0;
  TgHeight = 0;
  TgWidth = 0;

  // NeuroSim V2.1 DecoderDriver.cpp, Initialize
  initialize(mode: number, numOutput: number, numLoad: number): void {
    const { tech, cell, temperature } = this.ctx;
    this.mode = toInt(mode);
    this.numOutput = toInt(numOutput);
    this.widthInvN = MIN_NMOS_SIZE * tech.featureSize;
    this.widthInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    // The TG sees numLoad cells in parallel; N and P each carry half (hence 2 x resTg).
    this.resTg = (cell.resMemCellOn / toInt(numLoad)) * IR_DROP_TOLERANCE;
    this.widthTgN = (calculateOnResistance(tech.featureSize, "NMOS", temperature, tech) * tech.featureSize) / (this.resTg * 2);
    this.widthTgP = (calculateOnResistance(tech.featureSize, "PMOS", temperature, tech) * tech.featureSize) / (this.resTg * 2);
    this.initialized = true;
  }

  // NeuroSim V2.1 DecoderDriver.cpp, CalculateArea
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return;
    const { tech, cell } = this.ctx;
    const minCellHeight = MAX_TRANSISTOR_HEIGHT * tech.featureSize;
    const minCellWidth = 2 * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * tech.featureSize;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    let tg: { height: number; width: number };
    if (newHeight && option === "NONE") {
      // Spread the TGs over as few columns as fit, then stretch each to the column height.
      let numTgPerCol = toInt(newHeight / minCellHeight);
      this.numColTg = toInt(Math.ceil(this.numOutput / numTgPerCol));
      numTgPerCol = toInt(Math.ceil(this.numOutput / this.numColTg));
      this.TgHeight = newHeight / numTgPerCol;
      tg = calculateGateArea("INV", 1, this.widthTgN, this.widthTgP, this.TgHeight, tech);
    } else if (newWidth && option === "NONE") {
      // Same along a row, folding each TG to the width it gets.
      let numTgPerRow = toInt(newWidth / minCellWidth);
      this.numRowTg = toInt(Math.ceil(this.numOutput / numTgPerRow));
      numTgPerRow = toInt(Math.ceil(this.numOutput / this.numRowTg));
      this.TgWidth = newWidth / numTgPerRow;
      const numFold = toInt(this.TgWidth / (0.5 * minCellWidth)) - 1;
      tg = calculatePassGateArea(this.widthTgN, this.widthTgP, tech, numFold);
    } else {
      tg = calculateGateArea("INV", 1, this.widthTgN, this.widthTgP, minCellHeight, tech);
    }
    const inv = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, minCellHeight, tech);

    // One unit = INV + 3 TGs (1T1R) or 2 TGs (crossbar), side by side along the line direction.
    const numTg = cell.accessType === "CMOS" ? 3 : 2;
    let hUnit: number;
    let wUnit: number;
    if (this.mode === ROW_MODE) {
      hUnit = cMax(inv.height, tg.height);
      wUnit = inv.width + tg.width * numTg;
    } else {
      hUnit = inv.height + tg.height * numTg;
      wUnit = cMax(inv.width, tg.width);
    }

    if (this.mode === ROW_MODE) {
      if (newHeight && option === "NONE") {
        const numUnitPerCol = toInt(newHeight / hUnit);
        let numColUnit = toInt(Math.ceil(this.numOutput / numUnitPerCol));
        if (numColUnit > this.numOutput) numColUnit = this.numOutput;
        this.height = newHeight;
        this.width = wUnit * numColUnit;
      } else {
        this.height = hUnit * this.numOutput;
        this.width = wUnit;
      }
    } else {
      if (newWidth && option === "NONE") {
        const numUnitPerRow = toInt(newWidth / wUnit);
        let numRowUnit = toInt(Math.ceil(this.numOutput / numUnitPerRow));
        if (numRowUnit > this.numOutput) numRowUnit = this.numOutput;
        this.height = hUnit * numRowUnit;
        this.width = newWidth;
      } else {
        this.height = hUnit;
        this.width = wUnit * this.numOutput;
      }
    }
    this.area = this.height * this.width;

    this.modifyLayout(newHeight, newWidth, option);

    const invCap = calculateGateCapacitance("INV", 1, this.widthInvN, this.widthInvP, inv.height, tech);
    this.capInvInput = invCap.capInput;
    this.capInvOutput = invCap.capOutput;
    this.capTgGateN = calculateGateCap(this.widthTgN, tech);
    this.capTgGateP = calculateGateCap(this.widthTgP, tech);
    this.capTgDrain = calculateGateCapacitance("INV", 1, this.widthTgN, this.widthTgP, tg.height, tech).capOutput;
  }

  // NeuroSim V2.1 DecoderDriver.cpp, CalculateLatency: RC charge of the line through the TG.
  // NeuroSim resets readLatency but not writeLatency, so repeated calls accumulate (reproduced).
  calculateLatency(rampInput: number, capLoad1: number, capLoad2: number, resLoad: number, numRead: number, numWrite: number): void {
    if (!this.initialized) return;
    this.readLatency = 0;
    this.capLoad1 = capLoad1;
    this.capLoad2 = capLoad2;
    this.resLoad = resLoad;
    this.rampInput = rampInput;
    const capOutput = this.capTgDrain * 2;
    const tr = this.resTg * (capOutput + capLoad1) + (resLoad * capLoad1) / 2;
    const h = horowitz(tr, 0, rampInput);
    this.rampOutput = h.rampOutput;
    this.readLatency += h.delay;
    this.readLatency *= numRead;
    this.writeLatency += h.delay;
    this.writeLatency *= numWrite;
  }

  // NeuroSim V2.1 DecoderDriver.cpp, CalculatePower
  calculatePower(numReadCellPerOp: number, numWriteCellPerOp: number, numRead: number, numWrite: number): void {
    if (!this.initialized) return;
    const { tech, cell, temperature } = this.ctx;
    const vdd = tech.vdd;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    this.writeDynamicEnergy = 0;
    this.leakage += calculateGateLeakage("INV", 1, this.widthInvN, this.widthInvP, temperature, tech) * vdd * this.numOutput;

    if (cell.accessType === "CMOS") {
      // 1T1R: selected lines float, unselected ones are grounded; only the gates switch.
      this.readDynamicEnergy += (this.capInvInput + this.capTgGateN * 2 + this.capTgGateP) * vdd * vdd * numReadCellPerOp;
      this.readDynamicEnergy += (this.capInvOutput + this.capTgGateP * 2 + this.capTgGateN) * vdd * vdd * numReadCellPerOp;
    } else {
      // Crossbar: unselected lines are held at the read voltage.
      this.readDynamicEnergy += (this.capInvInput + this.capTgGateN + this.capTgGateP) * vdd * vdd * numReadCellPerOp;
      this.readDynamicEnergy += (this.capInvOutput + this.capTgGateP + this.capTgGateN) * vdd * vdd * numReadCellPerOp;
      this.readDynamicEnergy += this.capTgDrain * 2 * cell.readVoltage * cell.readVoltage * (this.numOutput - numReadCellPerOp);
    }
    this.readDynamicEnergy *= numRead;
    if (this.readLatency) this.readPower = this.readDynamicEnergy / this.readLatency;

    const wv = cell.writeVoltage;
    if (cell.accessType === "CMOS") {
      // Worst case is RESET (SL cap > BL cap).
      this.writeDynamicEnergy += (this.capInvInput + this.capTgGateN * 2 + this.capTgGateP) * vdd * vdd * numWriteCellPerOp;
      this.writeDynamicEnergy += (this.capInvOutput + this.capTgGateP * 2 + this.capTgGateN) * vdd * vdd * numWriteCellPerOp;
      this.writeDynamicEnergy += this.capTgDrain * 2 * wv * wv * numWriteCellPerOp;
    } else {
      this.writeDynamicEnergy += (this.capInvInput + this.capTgGateN + this.capTgGateP) * vdd * vdd * numWriteCellPerOp;
      this.writeDynamicEnergy += (this.capInvOutput + this.capTgGateP + this.capTgGateN) * vdd * vdd * numWriteCellPerOp;
      if (this.mode === ROW_MODE) {
        // Selected rows at Vw, unselected at Vw/2.
        this.writeDynamicEnergy += this.capTgDrain * 2 * wv * wv * numWriteCellPerOp;
        this.writeDynamicEnergy += ((((this.capTgDrain * 2 * wv) / 2) * wv) / 2) * (this.numOutput - numWriteCellPerOp);
      } else {
        this.writeDynamicEnergy += ((((this.capTgDrain * 2 * wv) / 2) * wv) / 2) * (this.numOutput - numWriteCellPerOp);
      }
    }
    this.writeDynamicEnergy *= numWrite;
    if (this.writeLatency) this.writePower = this.writeDynamicEnergy / this.writeLatency;
  }
}
