// NeuroSim V2.1 Mux.cpp: column multiplexers — analog pass gates sized for IR drop, or digital (FPGA) ones.
import { type AreaModify, FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateGateArea,
  calculateGateCap,
  calculateGateCapacitance,
  calculateOnResistance,
  calculatePassGateArea,
  IR_DROP_TOLERANCE,
  LINEAR_REGION_RATIO,
  MAX_TRANSISTOR_HEIGHT,
  MIN_GAP_BET_GATE_POLY,
  MIN_NMOS_SIZE,
  POLY_WIDTH,
} from "./gates.js";

// NeuroSim V2.1 Mux.cpp
export class Mux extends FunctionUnit {
  initialized = false;
  numInput = 0;
  /** Number of selections, typically numColMuxed. */
  numSelection = 0;
  FPGA = false;
  capLoad = 0;
  minDriverCurrent = 0;
  widthNandN = 0;
  widthNandP = 0;
  widthEnInvN = 0;
  widthEnInvP = 0;
  widthTgN = 0;
  widthTgP = 0;
  widthMuxInvN = 0;
  widthMuxInvP = 0;
  capNandInput = 0;
  capNandOutput = 0;
  capEnInvInput = 0;
  capEnInvOutput = 0;
  capMuxInvInput = 0;
  capMuxInvOutput = 0;
  capTgGateN = 0;
  capTgGateP = 0;
  capTgDrain = 0;
  resTg = 0;
  widthTgShared = 0;
  rampInput = 0;
  rampOutput = 0;
  numRowTg = 0;
  TgWidth = 0;

  // NeuroSim V2.1 Mux.cpp, Initialize
  initialize(numInput: number, numSelection: number, resTg: number, FPGA: boolean): void {
    const { tech, temperature } = this.ctx;
    this.numInput = toInt(numInput);
    this.numSelection = toInt(numSelection);
    this.FPGA = FPGA;
    if (FPGA) {
      // Digital mux: minimum-size TG, resistance of N and P in parallel.
      this.widthTgN = MIN_NMOS_SIZE * tech.featureSize;
      this.widthTgP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
      this.resTg =
        1 /
        (1 / calculateOnResistance(this.widthTgN, "NMOS", temperature, tech) +
          1 / calculateOnResistance(this.widthTgP, "PMOS", temperature, tech));
    } else {
      // Analog mux: size each transistor so the TG drops at most IR_DROP_TOLERANCE of the cell path.
      this.resTg = resTg * IR_DROP_TOLERANCE;
      this.widthTgN =
        (calculateOnResistance(tech.featureSize, "NMOS", temperature, tech) * tech.featureSize * LINEAR_REGION_RATIO) / (this.resTg * 2);
      this.widthTgP =
        (calculateOnResistance(tech.featureSize, "PMOS", temperature, tech) * tech.featureSize * LINEAR_REGION_RATIO) / (this.resTg * 2);
    }
    this.initialized = true;
  }

  // NeuroSim V2.1 Mux.cpp, CalculateArea
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    const tech = this.ctx.tech;
    const numTg = this.numInput * this.numSelection;
    let hTg = 0;
    let wTg = 0;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    if (this.FPGA) {
      const g = calculateGateArea("INV", 1, this.widthTgN, this.widthTgP, tech.featureSize * MAX_TRANSISTOR_HEIGHT, tech);
      hTg = g.height;
      wTg = g.width;
      if (newWidth && option === "NONE") {
        // Rows of TGs across the given width.
        if (!(newWidth < wTg)) {
          let numTgPerRow = toInt(newWidth / wTg);
          if (numTgPerRow > numTg) numTgPerRow = numTg;
          this.numRowTg = toInt(Math.ceil(numTg / numTgPerRow));
          this.width = newWidth;
          this.height = hTg * this.numRowTg;
        } // else NeuroSim prints an error and leaves the size 0
      } else {
        this.width = wTg * numTg;
        this.height = hTg;
      }
    } else if (newWidth && option === "NONE") {
      // Analog: as few rows as possible of min-width cells, then fold each TG into its share of the width.
      this.numRowTg = 1;
      const minCellWidth = 2 * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * tech.featureSize;
      let numTgPerRow = toInt(newWidth / minCellWidth);
      this.numRowTg = toInt(Math.ceil(numTg / numTgPerRow));
      numTgPerRow = toInt(Math.ceil(numTg / this.numRowTg));
      this.TgWidth = newWidth / numTgPerRow;
      const numFold = toInt(this.TgWidth / (0.5 * minCellWidth)) - 1;
      const g = calculatePassGateArea(this.widthTgN, this.widthTgP, tech, numFold);
      hTg = g.height;
      wTg = g.width;
      this.width = newWidth;
      this.height = hTg * this.numRowTg;
    } else {
      // Default: one row of unfolded pass gates.
      const g = calculatePassGateArea(this.widthTgN, this.widthTgP, tech, 1);
      hTg = g.height;
      wTg = g.width;
      this.height = hTg;
      this.width = wTg * numTg;
    }
    this.area = this.height * this.width;

    this.modifyLayout(newHeight, newWidth, option);

    this.widthTgShared = this.width / this.numInput;
    this.capTgGateN = calculateGateCap(this.widthTgN, tech);
    this.capTgGateP = calculateGateCap(this.widthTgP, tech);
    this.capTgDrain = calculateGateCapacitance("INV", 1, this.widthTgN, this.widthTgP, hTg, tech).capOutput;
  }

  // NeuroSim V2.1 Mux.cpp, CalculateLatency: RC of one conducting transistor into the load, 0→90 %.
  calculateLatency(rampInput: number, capLoad: number, numRead: number): void {
    if (!this.initialized) return;
    this.rampInput = rampInput;
    this.capLoad = capLoad;
    this.readLatency = 0;
    const tr = this.resTg * 2 * (this.capTgDrain + 0.5 * this.capTgGateN + 0.5 * this.capTgGateP + capLoad);
    this.readLatency += 2.3 * tr;
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 Mux.cpp, CalculatePower: gates of the selected TGs plus their drains at the read voltage.
  calculatePower(numRead: number): void {
    if (!this.initialized) return;
    const { tech, cell } = this.ctx;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    this.readDynamicEnergy += this.capTgGateN * this.numInput * tech.vdd * tech.vdd;
    this.readDynamicEnergy += this.capTgDrain * 2 * this.numInput * cell.readVoltage * cell.readVoltage;
    this.readDynamicEnergy *= numRead;
  }
}
