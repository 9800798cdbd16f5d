// NeuroSim V2.1 WLNewDecoderDriver.cpp: 1T1R word-line driver after the row decoder (NAND2 → INV → NAND2 → two TGs
// per row), passing the access voltage to the selected row.
import { type AreaModify, cMax, FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateGateArea,
  calculateGateCap,
  calculateGateCapacitance,
  calculateGateLeakage,
  calculateOnResistance,
  calculateTransconductance,
  horowitz,
  MAX_TRANSISTOR_HEIGHT,
  MIN_NMOS_SIZE,
} from "./gates.js";

// NeuroSim V2.1 WLNewDecoderDriver.cpp
export class WLNewDecoderDriver extends FunctionUnit {
  initialized = false;
  /** Never set by NeuroSim; when true the latency is reported as 1e41. */
  invalid = false;
  capLoad = 0;
  resLoad = 0;
  numWLRow = 0;
  widthNandN = 0;
  widthNandP = 0;
  widthInvN = 0;
  widthInvP = 0;
  widthTgN = 0;
  widthTgP = 0;
  capNandInput = 0;
  capNandOutput = 0;
  capInvInput = 0;
  capInvOutput = 0;
  capTgGateN = 0;
  capTgGateP = 0;
  capTgDrain = 0;
  resTg = 0;
  rampInput = 0;
  rampOutput = 0;
  multifunctional = false;
  neuro = false;

  // NeuroSim V2.1 WLNewDecoderDriver.cpp, Initialize
  initialize(numWLRow: number): void {
    const tech = this.ctx.tech;
    const F = tech.featureSize;
    this.numWLRow = toInt(numWLRow);
    this.widthNandN = 2 * MIN_NMOS_SIZE * F;
    this.widthNandP = tech.pnSizeRatio * MIN_NMOS_SIZE * F;
    this.widthInvN = MIN_NMOS_SIZE * F;
    this.widthInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * F;
    this.widthTgN = MIN_NMOS_SIZE * F;
    this.widthTgP = tech.pnSizeRatio * MIN_NMOS_SIZE * F;
    this.initialized = true;
  }

  // NeuroSim V2.1 WLNewDecoderDriver.cpp, CalculateArea
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const minCellHeight = MAX_TRANSISTOR_HEIGHT * tech.featureSize;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    const nand = calculateGateArea("NAND", 2, this.widthNandN, this.widthNandP, minCellHeight, tech);
    const inv = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, minCellHeight, tech);
    let tg = calculateGateArea("INV", 1, this.widthTgN, this.widthTgP, minCellHeight, tech);

    if (newHeight && option === "NONE") {
      // One unit per row pitch; TGs go into several columns when the pitch is below a standard cell.
      let TgHeight = newHeight / this.numWLRow;
      if (TgHeight < minCellHeight) {
        const numColTg = toInt(Math.ceil(minCellHeight / TgHeight));
        TgHeight = newHeight / toInt(Math.ceil(this.numWLRow / numColTg));
      }
      tg = calculateGateArea("INV", 1, this.widthTgN, this.widthTgP, TgHeight, tech);
      const hUnit = cMax(cMax(inv.height, nand.height), tg.height);
      const numUnitPerCol = toInt(newHeight / hUnit);
      const numColUnit = toInt(Math.ceil(this.numWLRow / numUnitPerCol));
      this.height = newHeight;
      this.width = (3 * nand.width + inv.width + 2 * tg.width) * numColUnit;
    } else {
      this.height = cMax(cMax(inv.height, nand.height), tg.height) * this.numWLRow;
      this.width = 3 * nand.width + inv.width + 2 * tg.width;
    }
    this.area = this.height * this.width;

    this.modifyLayout(newHeight, newWidth, option);

    const resTgN = calculateOnResistance(this.widthTgN, "NMOS", temperature, tech);
    const resTgP = calculateOnResistance(this.widthTgP, "PMOS", temperature, tech);
    this.resTg = 1 / (1 / resTgN + 1 / resTgP);

    const nandCap = calculateGateCapacitance("NAND", 2, this.widthNandN, this.widthNandP, nand.height, tech);
    this.capNandInput = nandCap.capInput;
    this.capNandOutput = nandCap.capOutput;
    const invCap = calculateGateCapacitance("INV", 1, this.widthInvN, this.widthInvP, inv.height, tech);
    this.capInvInput = invCap.capInput;
    this.capInvOutput = invCap.capOutput;
    this.capTgGateN = calculateGateCap(this.widthTgN, tech);
    this.capTgGateP = calculateGateCap(this.widthTgP, tech);
    this.capTgDrain = calculateGateCapacitance("INV", 1, this.widthTgN, this.widthTgP, tg.height, tech).capOutput;
  }

  // NeuroSim V2.1 WLNewDecoderDriver.cpp, CalculateLatency: NAND2 → INV → NAND2 → TG (Elmore on the word line).
  // Every gate stage is evaluated with the block's input ramp, as NeuroSim does.
  calculateLatency(rampInput: number, capLoad: number, resLoad: number, numRead: number, numWrite: number): void {
    if (!this.initialized) return;
    if (this.invalid) {
      this.readLatency = this.writeLatency = 1e41;
      return;
    }
    const { tech, temperature } = this.ctx;
    this.rampInput = rampInput;
    this.capLoad = capLoad;
    this.resLoad = resLoad;
    let delay = 0;

    // NAND2 driving the INV.
    let res = calculateOnResistance(this.widthNandN, "NMOS", temperature, tech) * 2;
    let tr = res * (this.capNandOutput + this.capInvInput);
    let beta = 1 / (res * calculateTransconductance(this.widthNandN, "NMOS", tech));
    delay += horowitz(tr, beta, rampInput).delay;

    // INV driving two NAND2 inputs.
    res = calculateOnResistance(this.widthInvP, "PMOS", temperature, tech);
    tr = res * (this.capInvOutput + 2 * this.capNandInput);
    beta = 1 / (res * calculateTransconductance(this.widthNandP, "PMOS", tech));
    delay += horowitz(tr, beta, rampInput).delay;

    // NAND2 driving the two TG gates.
    res = calculateOnResistance(this.widthNandN, "NMOS", temperature, tech) * 2;
    tr = res * (this.capNandOutput + this.capTgGateP + this.capTgGateN);
    beta = 1 / (res * calculateTransconductance(this.widthNandN, "NMOS", tech));
    delay += horowitz(tr, beta, rampInput).delay;

    // TG charging the word line.
    const capOutput = 2 * this.capTgDrain;
    tr = this.resTg * (capOutput + capLoad) + (resLoad * capLoad) / 2;
    const h = horowitz(tr, 0, 1e20);
    delay += h.delay;
    this.rampOutput = h.rampOutput;

    this.readLatency = delay * numRead;
    this.writeLatency = delay * numWrite;
  }

  // NeuroSim V2.1 WLNewDecoderDriver.cpp, CalculatePower: one row switches per operation; TGs assumed leak-free.
  calculatePower(numRead: number, numWrite: number): void {
    if (!this.initialized) return;
    const { tech, cell, temperature } = this.ctx;
    const vdd = tech.vdd;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    this.writeDynamicEnergy = 0;
    this.leakage += calculateGateLeakage("NAND", 2, this.widthNandN, this.widthNandP, temperature, tech) * vdd * this.numWLRow * 2;
    this.leakage += calculateGateLeakage("INV", 1, this.widthInvN, this.widthInvP, temperature, tech) * vdd * this.numWLRow * 2;

    this.readDynamicEnergy += this.capNandInput * vdd * vdd;
    this.readDynamicEnergy += (this.capInvOutput + this.capTgGateN) * vdd * vdd;
    this.readDynamicEnergy += (this.capNandOutput + this.capTgGateN + this.capTgGateP) * vdd * vdd;
    this.readDynamicEnergy += this.capTgDrain * cell.readVoltage * cell.readVoltage;
    this.readDynamicEnergy *= numRead;

    this.writeDynamicEnergy += this.capNandInput * vdd * vdd;
    this.writeDynamicEnergy += (this.capInvOutput + this.capTgGateN) * vdd * vdd;
    this.writeDynamicEnergy += (this.capNandOutput + this.capTgGateN + this.capTgGateP) * vdd * vdd;
    this.writeDynamicEnergy += this.capTgDrain * cell.writeVoltage * cell.writeVoltage;
    this.writeDynamicEnergy *= numWrite;
  }
}
