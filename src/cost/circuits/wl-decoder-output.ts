// NeuroSim V2.1 WLDecoderOutput.cpp: word-line output stage of a decoder (NOR2 + INV + TG + pull-down NMOS per row).
// Not instantiated by DNN+NeuroSim V2.1's SubArray; ported for completeness.
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

// NeuroSim V2.1 WLDecoderOutput.cpp
export class WLDecoderOutput extends FunctionUnit {
  initialized = false;
  capLoad = 0;
  resLoad = 0;
  numWLRow = 0;
  widthNorN = 0;
  widthNorP = 0;
  widthInvN = 0;
  widthInvP = 0;
  widthTgN = 0;
  widthTgP = 0;
  widthNmos = 0;
  capNorInput = 0;
  capNorOutput = 0;
  capInvInput = 0;
  capInvOutput = 0;
  capTgGateN = 0;
  capTgGateP = 0;
  capTgDrain = 0;
  capNmosGate = 0;
  capNmosDrain = 0;
  resTg = 0;
  rampInput = 0;
  rampOutput = 0;
  multifunctional = false;
  neuro = false;

  // NeuroSim V2.1 WLDecoderOutput.cpp, Initialize
  initialize(numWLRow: number, multifunctional: boolean, neuro: boolean): void {
    const tech = this.ctx.tech;
    const F = tech.featureSize;
    this.numWLRow = toInt(numWLRow);
    this.multifunctional = multifunctional;
    this.neuro = neuro;
    this.widthNorN = MIN_NMOS_SIZE * F;
    this.widthNorP = 2 * tech.pnSizeRatio * MIN_NMOS_SIZE * F;
    this.widthInvN = MIN_NMOS_SIZE * F;
    this.widthInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * F;
    this.widthTgN = MIN_NMOS_SIZE * F;
    this.widthTgP = tech.pnSizeRatio * MIN_NMOS_SIZE * F;
    this.widthNmos = MIN_NMOS_SIZE * F;
    this.initialized = true;
  }

  // NeuroSim V2.1 WLDecoderOutput.cpp, CalculateArea
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const minCellHeight = MAX_TRANSISTOR_HEIGHT * tech.featureSize;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    const nor = calculateGateArea("NOR", 2, this.widthNorN, this.widthNorP, minCellHeight, tech);
    const inv = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, minCellHeight, tech);
    let tg = calculateGateArea("INV", 1, this.widthTgN, this.widthTgP, minCellHeight, tech);
    const nmos = calculateGateArea("INV", 1, this.widthNmos, 0, minCellHeight, tech);

    if (newHeight && option === "NONE") {
      // Fit one TG per row pitch; if the pitch is too small, use several TG columns.
      let TgHeight = newHeight / this.numWLRow;
      if (TgHeight < minCellHeight) {
        const numColTg = toInt(Math.ceil(minCellHeight / TgHeight));
        TgHeight = newHeight / toInt(Math.ceil(this.numWLRow / numColTg));
      }
      tg = calculateGateArea("INV", 1, this.widthTgN, this.widthTgP, TgHeight, tech);
      const hUnit = cMax(cMax(inv.height, nor.height), cMax(nmos.height, tg.height));
      const numUnitPerCol = toInt(newHeight / hUnit);
      const numColUnit = toInt(Math.ceil(this.numWLRow / numUnitPerCol));
      this.height = newHeight;
      this.width = (nor.width + inv.width + nmos.width + tg.width) * numColUnit;
    } else {
      this.height = cMax(cMax(inv.height, nor.height), cMax(tg.height, nmos.height)) * this.numWLRow;
      this.width = nor.width + inv.width + tg.width + nmos.width;
    }
    this.area = this.height * this.width;

    this.modifyLayout(newHeight, newWidth, option);

    // TG on-resistance: N and P in parallel.
    const resTgN = calculateOnResistance(this.widthTgN, "NMOS", temperature, tech);
    const resTgP = calculateOnResistance(this.widthTgP, "PMOS", temperature, tech);
    this.resTg = 1 / (1 / resTgN + 1 / resTgP);

    const norCap = calculateGateCapacitance("NOR", 2, this.widthNorN, this.widthNorP, nor.height, tech);
    this.capNorInput = norCap.capInput;
    this.capNorOutput = norCap.capOutput;
    const invCap = calculateGateCapacitance("INV", 1, this.widthInvN, this.widthInvP, inv.height, tech);
    this.capInvInput = invCap.capInput;
    this.capInvOutput = invCap.capOutput;
    this.capTgGateN = calculateGateCap(this.widthTgN, tech);
    this.capTgGateP = calculateGateCap(this.widthTgP, tech);
    this.capTgDrain = calculateGateCapacitance("INV", 1, this.widthTgN, this.widthTgP, tg.height, tech).capOutput;
    const nmosCap = calculateGateCapacitance("INV", 1, this.widthNmos, 0, nmos.height, tech);
    this.capNmosGate = nmosCap.capInput;
    this.capNmosDrain = nmosCap.capOutput;
  }

  // NeuroSim V2.1 WLDecoderOutput.cpp, CalculateLatency: NOR2 stage, then the TG charging the word line.
  calculateLatency(rampInput: number, capLoad: number, resLoad: number, numRead: number, numWrite: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    this.readLatency = 0;
    this.writeLatency = 0;
    this.rampInput = rampInput;
    this.capLoad = capLoad;
    this.resLoad = resLoad;

    const resPullUp = calculateOnResistance(this.widthNorP, "PMOS", temperature, tech) * 2;
    let tr = resPullUp * (this.capNorOutput + this.capInvInput + this.capTgGateP + this.capNmosGate);
    const beta = 1 / (resPullUp * calculateTransconductance(this.widthNorP, "PMOS", tech));
    this.readLatency += horowitz(tr, beta, rampInput).delay;

    const capOutput = this.capTgDrain + this.capNmosDrain;
    tr = this.resTg * (capOutput + capLoad) + (resLoad * capLoad) / 2;
    const h = horowitz(tr, 0, 1e20);
    this.readLatency += h.delay;
    this.rampOutput = h.rampOutput;

    this.readLatency *= numRead;
    this.writeLatency = (this.readLatency / numRead) * numWrite;
  }

  // NeuroSim V2.1 WLDecoderOutput.cpp, CalculatePower
  calculatePower(numRead: number, numWrite: number): void {
    if (!this.initialized) return;
    const { tech, cell, temperature } = this.ctx;
    const vdd = tech.vdd;
    const va = cell.accessVoltage;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    this.writeDynamicEnergy = 0;
    this.leakage += calculateGateLeakage("NOR", 2, this.widthNorN, this.widthNorP, temperature, tech) * vdd * this.numWLRow;
    this.leakage += calculateGateLeakage("INV", 1, this.widthInvN, this.widthInvP, temperature, tech) * vdd * this.numWLRow;
    this.leakage += calculateGateLeakage("INV", 1, this.widthNmos, 0, temperature, tech) * vdd * this.numWLRow;

    if (this.multifunctional && !this.neuro) {
      // Memory mode: one row switches.
      this.readDynamicEnergy += this.capNorInput * vdd * vdd;
      this.readDynamicEnergy += (this.capInvOutput + this.capTgGateN) * vdd * vdd;
      this.readDynamicEnergy += this.capTgDrain * va * va;
    } else {
      // Neuro mode: all rows open.
      this.readDynamicEnergy += this.capNorInput * vdd * vdd * this.numWLRow;
      this.readDynamicEnergy += (this.capInvOutput + this.capTgGateN) * vdd * vdd * (this.numWLRow - 1);
      this.readDynamicEnergy += this.capTgDrain * va * va * (this.numWLRow - 1);
    }
    this.readDynamicEnergy *= numRead;

    // Write: one row switches.
    this.writeDynamicEnergy += this.capNorInput * vdd * vdd;
    this.writeDynamicEnergy += (this.capInvOutput + this.capTgGateN) * vdd * vdd;
    this.writeDynamicEnergy += this.capTgDrain * va * va;
    this.writeDynamicEnergy *= numWrite;
  }
}
