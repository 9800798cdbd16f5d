// NeuroSim V2.1 SwitchMatrix.cpp: a pair of transmission gates per row (or column) selecting between two line
// voltages, with a DFF scan chain holding the selection; the TGs are sized from a target resistance.
import { DFF } from "./dff.js";
import { type AreaModify, cMin, FunctionUnit, intDiv, toInt } from "./function-unit.js";
import {
  calculateGateArea,
  calculateGateCap,
  calculateGateCapacitance,
  calculateOnResistance,
  calculatePassGateArea,
  horowitz,
  IR_DROP_TOLERANCE,
  LINEAR_REGION_RATIO,
  MAX_TRANSISTOR_HEIGHT,
  MIN_GAP_BET_GATE_POLY,
  POLY_WIDTH,
  ROW_MODE,
} from "./gates.js";

// NeuroSim V2.1 SwitchMatrix.cpp
export class SwitchMatrix extends FunctionUnit {
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
  /** ROW_MODE (0) or COL_MODE (1), as in gates.ts. */
  mode = ROW_MODE as number;
  numRowTgPair = 0;
  numColTgPair = 0;
  neuro = false;
  parallelWrite = false;
  activityRowRead = 0;
  activityColWrite = 0;
  numWriteCellPerOperationMemory = 0;
  numWriteCellPerOperationNeuro = 0;
  numWritePulse = 0;
  clkFreq = 0;
  readonly dff = new DFF(this.ctx);

  // NeuroSim V2.1 SwitchMatrix.cpp, Initialize
  initialize(
    mode: number,
    numOutput: number,
    resTg: number,
    neuro: boolean,
    parallelWrite: boolean,
    activityRowRead: number,
    activityColWrite: number,
    numWriteCellPerOperationMemory: number,
    numWriteCellPerOperationNeuro: number,
    numWritePulse: number,
    clkFreq: number,
  ): void {
    const { tech, temperature } = this.ctx;
    this.mode = toInt(mode);
    this.numOutput = toInt(numOutput);
    this.neuro = neuro;
    this.parallelWrite = parallelWrite;
    this.activityRowRead = activityRowRead;
    this.activityColWrite = activityColWrite;
    this.numWriteCellPerOperationMemory = toInt(numWriteCellPerOperationMemory);
    this.numWriteCellPerOperationNeuro = toInt(numWriteCellPerOperationNeuro);
    this.numWritePulse = numWritePulse;
    this.clkFreq = clkFreq;
    this.dff.initialize(this.numOutput, clkFreq); // scan chain holding the selection

    // Size each TG (N and P in parallel, each 2 x resTg) from the feature-size on-resistance, in the linear region.
    this.resTg = resTg * IR_DROP_TOLERANCE;
    this.widthTgN =
      (calculateOnResistance(tech.featureSize, "NMOS", temperature, tech) * tech.featureSize * LINEAR_REGION_RATIO) / (this.resTg * 2);
    this.widthTgP =
      (calculateOnResistance(tech.featureSize, "PMOS", temperature, tech) * tech.featureSize * LINEAR_REGION_RATIO) / (this.resTg * 2);
    this.initialized = true;
  }

  // NeuroSim V2.1 SwitchMatrix.cpp, CalculateArea
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return;
    const tech = this.ctx.tech;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    let tg: { height: number; width: number };
    if (this.mode === ROW_MODE) {
      const minCellHeight = MAX_TRANSISTOR_HEIGHT * tech.featureSize;
      if (newHeight && option === "NONE") {
        // TG pairs in as few columns as fit the height, each stretched to the pitch it gets.
        let numTgPairPerCol = toInt(newHeight / minCellHeight);
        this.numColTgPair = toInt(Math.ceil(this.numOutput / numTgPairPerCol));
        numTgPairPerCol = toInt(Math.ceil(this.numOutput / this.numColTgPair));
        this.TgHeight = newHeight / numTgPairPerCol;
        tg = calculateGateArea("INV", 1, this.widthTgN, this.widthTgP, this.TgHeight, tech);
        this.dff.calculateArea(newHeight, 0, "NONE");
        this.height = newHeight;
        this.width = tg.width * 2 * this.numColTgPair + this.dff.width;
      } else {
        tg = calculateGateArea("INV", 1, this.widthTgN, this.widthTgP, minCellHeight, tech);
        this.height = tg.height * this.numOutput;
        this.dff.calculateArea(this.height, 0, "NONE"); // give the height, or the DFFs default to a row
        this.width = tg.width * 2 + this.dff.width;
      }
    } else {
      if (newWidth && option === "NONE") {
        this.numRowTgPair = 1;
        const minCellWidth = 2 * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * tech.featureSize;
        // TG pairs in as few rows as fit the width; each TG folded to the width it gets.
        let numTgPairPerRow = toInt(newWidth / (minCellWidth * 2));
        this.numRowTgPair = toInt(Math.ceil(this.numOutput / numTgPairPerRow));
        numTgPairPerRow = toInt(Math.ceil(this.numOutput / this.numRowTgPair));
        this.TgWidth = newWidth / numTgPairPerRow / 2;
        const numFold = toInt(this.TgWidth / (0.5 * minCellWidth)) - 1;
        tg = calculatePassGateArea(this.widthTgN, this.widthTgP, tech, numFold);
        this.dff.calculateArea(0, newWidth, "NONE");
        this.width = newWidth;
        this.height = tg.height * this.numRowTgPair + this.dff.height;
      } else {
        tg = calculatePassGateArea(this.widthTgN, this.widthTgP, tech, 1);
        this.width = tg.width * 2 * this.numOutput;
        this.dff.calculateArea(0, this.width, "NONE");
        this.height = tg.height + this.dff.height;
      }
    }
    this.area = this.height * this.width;

    this.modifyLayout(newHeight, newWidth, option);

    this.capTgGateN = calculateGateCap(this.widthTgN, tech);
    this.capTgGateP = calculateGateCap(this.widthTgP, tech);
    this.capTgDrain = calculateGateCapacitance("INV", 1, this.widthTgN, this.widthTgP, tg.height, tech).capOutput;
  }

  // NeuroSim V2.1 SwitchMatrix.cpp, CalculateLatency: the TG charging the line, plus the DFF scan-in.
  calculateLatency(rampInput: number, capLoad: number, resLoad: number, numRead: number, numWrite: number): void {
    if (!this.initialized) return;
    this.rampInput = rampInput;
    this.capLoad = capLoad;
    this.resLoad = resLoad;
    this.readLatency = 0;
    this.dff.calculateLatency(1e20, numRead);

    const capOutput = this.capTgDrain * 3;
    const tr = this.resTg * (capOutput + capLoad) + (resLoad * capLoad) / 2;
    const h = horowitz(tr, 0, rampInput);
    this.rampOutput = h.rampOutput;
    this.readLatency += h.delay;
    this.readLatency *= numRead;
    this.readLatency += this.dff.readLatency;

    this.writeLatency = h.delay;
    this.writeLatency *= numWrite;
    this.writeLatency += this.dff.readLatency; // the DFF has no write; its read latency is the shift-in
  }

  // NeuroSim V2.1 SwitchMatrix.cpp, CalculatePower (2-step write, half SET half RESET on average)
  calculatePower(numRead: number, numWrite: number, activityRowRead: number, activityColWrite: number): void {
    if (!this.initialized) return;
    const { tech, cell } = this.ctx;
    const vdd = tech.vdd;
    const wv = cell.writeVoltage;
    const n = this.numOutput;
    const drain3 = this.capTgDrain * 3;
    const gates = this.capTgGateN + this.capTgGateP;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    this.writeDynamicEnergy = 0;

    this.dff.calculatePower(numRead, n); // every DFF passes a bit
    this.leakage += this.dff.leakage; // only the DFFs leak

    if (!this.neuro) {
      // Memory mode: one line.
      this.readDynamicEnergy += drain3 * cell.readVoltage * cell.readVoltage;
      this.readDynamicEnergy += gates * vdd * vdd;
    } else if (this.mode === ROW_MODE) {
      // Neuro mode: the active fraction of rows; no read energy on the columns.
      this.readDynamicEnergy += drain3 * cell.readVoltage * cell.readVoltage * n * activityRowRead;
      this.readDynamicEnergy += gates * vdd * vdd * n * activityRowRead;
    }
    this.readDynamicEnergy *= numRead;
    this.readDynamicEnergy += this.dff.readDynamicEnergy;

    // Cells written per column operation: an int in memory mode, a double in neuro mode.
    const selMem = cMin(this.numWriteCellPerOperationMemory, n);
    const selNeuro = cMin(this.numWriteCellPerOperationNeuro, n * activityColWrite);
    if (cell.accessType === "CMOS") {
      if (this.mode === ROW_MODE) {
        // Selected row switches; x2 for moving from one selected row to the next.
        this.writeDynamicEnergy += gates * vdd * vdd * 2;
      } else if (!this.neuro) {
        this.writeDynamicEnergy += drain3 * wv * wv * (n - intDiv(selMem, 2)); // unselected columns in SET
        this.writeDynamicEnergy += (drain3 * wv * wv * selMem) / 2; // selected columns in RESET
        this.writeDynamicEnergy += gates * vdd * vdd * n;
      } else {
        this.writeDynamicEnergy += (drain3 * wv * wv * this.numWritePulse * selNeuro) / 2; // LTP, selected
        this.writeDynamicEnergy += drain3 * wv * wv * (n - selNeuro / 2); // unselected
        this.writeDynamicEnergy += (drain3 * wv * wv * this.numWritePulse * selNeuro) / 2; // LTD, selected
        this.writeDynamicEnergy += gates * vdd * vdd * n;
      }
    } else {
      // Crossbar: selected lines at Vw, unselected at Vw/2.
      const half = (((drain3 * wv) / 2) * wv) / 2;
      if (this.mode === ROW_MODE) {
        if (!this.neuro || !this.parallelWrite) {
          this.writeDynamicEnergy += drain3 * wv * wv;
          this.writeDynamicEnergy += half * (n - 1);
          this.writeDynamicEnergy += gates * vdd * vdd * n;
        } else {
          // Parallel write: one charge of every row to Vw.
          this.writeDynamicEnergy += drain3 * wv * wv * n;
          this.writeDynamicEnergy += gates * vdd * vdd * n;
        }
      } else if (!this.neuro) {
        this.writeDynamicEnergy += (drain3 * wv * wv * selMem) / 2;
        this.writeDynamicEnergy += half * n;
        this.writeDynamicEnergy += gates * vdd * vdd * n;
      } else if (this.parallelWrite) {
        this.writeDynamicEnergy += drain3 * wv * wv * this.numWritePulse * n * activityColWrite;
        this.writeDynamicEnergy += gates * vdd * vdd * n;
      } else {
        this.writeDynamicEnergy += (drain3 * wv * wv * this.numWritePulse * selNeuro) / 2; // LTP
        this.writeDynamicEnergy += (drain3 * wv * wv * this.numWritePulse * selNeuro) / 2; // LTD
        this.writeDynamicEnergy += half * n;
        this.writeDynamicEnergy += gates * vdd * vdd * n;
      }
    }
    this.writeDynamicEnergy *= numWrite;
    this.writeDynamicEnergy += this.dff.readDynamicEnergy; // DFF read energy stands in for its (absent) write
  }
}
