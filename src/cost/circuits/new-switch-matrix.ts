// NeuroSim V2.1 NewSwitchMatrix.cpp: 1T1R row switch matrix (four minimum TGs per row: access voltage to the gate,
// read voltage to the BL), with a DFF scan chain holding the selection.
import { DFF } from "./dff.js";
import { type AreaModify, FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateGateArea,
  calculateGateCap,
  calculateGateCapacitance,
  calculateOnResistance,
  horowitz,
  LINEAR_REGION_RATIO,
  MAX_TRANSISTOR_HEIGHT,
  MIN_NMOS_SIZE,
} from "./gates.js";

// NeuroSim V2.1 NewSwitchMatrix.cpp
export class NewSwitchMatrix extends FunctionUnit {
  initialized = false;
  numOutput = 0;
  capLoad = 0;
  resLoad = 0;
  widthTgN = 0;
  widthTgP = 0;
  TgHeight = 0;
  TgWidth = 0;
  capTgDrain = 0;
  capTgGateN = 0;
  capTgGateP = 0;
  resTg = 0;
  rampInput = 0;
  rampOutput = 0;
  numRowTg = 0;
  numColTg = 0;
  activityRowRead = 0;
  clkFreq = 0;
  readonly dff = new DFF(this.ctx);

  // NeuroSim V2.1 NewSwitchMatrix.cpp, Initialize
  initialize(numOutput: number, activityRowRead: number, clkFreq: number): void {
    const { tech, temperature } = this.ctx;
    this.numOutput = toInt(numOutput);
    this.activityRowRead = activityRowRead;
    this.clkFreq = clkFreq;
    this.dff.initialize(this.numOutput, clkFreq);
    this.widthTgN = MIN_NMOS_SIZE * tech.featureSize;
    this.widthTgP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.resTg = calculateOnResistance(this.widthTgN, "NMOS", temperature, tech) * LINEAR_REGION_RATIO;
    this.initialized = true;
  }

  // NeuroSim V2.1 NewSwitchMatrix.cpp, CalculateArea
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return;
    const tech = this.ctx.tech;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    const minCellHeight = MAX_TRANSISTOR_HEIGHT * tech.featureSize;
    let tg: { height: number; width: number };
    if (newHeight && option === "NONE") {
      // TGs in as few columns as fit the height, each stretched to its pitch.
      let numTgPerCol = toInt(newHeight / minCellHeight);
      this.numColTg = toInt(Math.ceil(this.numOutput / numTgPerCol));
      numTgPerCol = toInt(Math.ceil(this.numOutput / this.numColTg));
      this.TgHeight = newHeight / numTgPerCol;
      tg = calculateGateArea("INV", 1, this.widthTgN, this.widthTgP, this.TgHeight, tech);
      this.dff.calculateArea(newHeight, 0, "NONE");
      this.height = newHeight;
      this.width = tg.width * 4 * this.numColTg + this.dff.width;
    } else {
      tg = calculateGateArea("INV", 1, this.widthTgN, this.widthTgP, minCellHeight, tech);
      this.height = tg.height * this.numOutput;
      this.dff.calculateArea(this.height, 0, "NONE");
      this.width = tg.width * 4 + this.dff.width;
    }
    this.area = this.height * this.width;

    this.modifyLayout(newHeight, newWidth, option);

    this.capTgGateN = calculateGateCap(this.widthTgN, tech);
    this.capTgGateP = calculateGateCap(this.widthTgP, tech);
    this.capTgDrain = calculateGateCapacitance("INV", 1, this.widthTgN, this.widthTgP, tg.height, tech).capOutput;
  }

  // NeuroSim V2.1 NewSwitchMatrix.cpp, CalculateLatency: two TGs in the path (5 drain loads), plus the DFF shift-in.
  calculateLatency(rampInput: number, capLoad: number, resLoad: number, numRead: number, numWrite: number): void {
    if (!this.initialized) return;
    this.rampInput = rampInput;
    this.capLoad = capLoad;
    this.resLoad = resLoad;
    this.readLatency = 0;
    this.dff.calculateLatency(1e20, numRead);

    const capOutput = this.capTgDrain * 5;
    const tr = this.resTg * (capOutput + capLoad) + (resLoad * capLoad) / 2;
    const h = horowitz(tr, 0, rampInput);
    this.rampOutput = h.rampOutput;
    this.readLatency += h.delay;
    this.readLatency *= numRead;
    this.readLatency += this.dff.readLatency;

    this.writeLatency = h.delay;
    this.writeLatency *= numWrite;
    if (numWrite !== 0) this.writeLatency += this.dff.readLatency;
  }

  // NeuroSim V2.1 NewSwitchMatrix.cpp, CalculatePower (TGs assumed leak-free)
  calculatePower(numRead: number, numWrite: number, activityRowRead: number): void {
    if (!this.initialized) return;
    const { tech, cell } = this.ctx;
    const vdd = tech.vdd;
    const n = this.numOutput;
    const va = cell.accessVoltage;
    const rv = cell.readVoltage;
    const gates = this.capTgGateN + this.capTgGateP;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    this.writeDynamicEnergy = 0;

    this.dff.calculatePower(numRead, n);
    this.leakage += this.dff.leakage;

    // Selected rows: one TG passes Vaccess to the cell gate, two pass Vread to the BL, three TGs open.
    this.readDynamicEnergy += this.capTgDrain * 2 * va * va * n * activityRowRead;
    this.readDynamicEnergy += this.capTgDrain * 5 * rv * rv * n * activityRowRead;
    this.readDynamicEnergy += gates * 3 * vdd * vdd * n * activityRowRead;
    this.readDynamicEnergy *= numRead;
    this.readDynamicEnergy += this.dff.readDynamicEnergy;

    // Write (BL grounded): Vaccess to the gate, two TGs switching rows (x2), one TG always open.
    this.writeDynamicEnergy += this.capTgDrain * 2 * va * va;
    this.writeDynamicEnergy += gates * 2 * vdd * vdd * 2;
    this.writeDynamicEnergy += gates * vdd * vdd;
    this.writeDynamicEnergy *= numWrite;
    if (numWrite !== 0) this.writeDynamicEnergy += this.dff.readDynamicEnergy;
  }
}
