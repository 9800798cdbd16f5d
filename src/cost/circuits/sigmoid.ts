// NeuroSim V2.1 Sigmoid.cpp: sigmoid activation as a look-up table (numEntry words of numYbit bits) read
// through a word-line decoder and sense amplifiers; DNN+NeuroSim V2.1 instantiates the non-SRAM (eNVM) table.
import { type AreaModify, cMax, FunctionUnit } from "./function-unit.js";
import {
  calculateDrainCap,
  calculateGateArea,
  calculateGateLeakage,
  calculateOnResistance,
  MAX_TRANSISTOR_HEIGHT,
  MIN_NMOS_SIZE,
} from "./gates.js";
import type { CircuitContext } from "./params.js";
import { RowDecoder } from "./row-decoder.js";
import { SenseAmp } from "./sense-amp.js";
import { VoltageSenseAmp } from "./voltage-sense-amp.js";

// NeuroSim V2.1 Sigmoid.cpp
export class Sigmoid extends FunctionUnit {
  initialized = false;
  /** true: SRAM look-up table (latch sense amps), false: eNVM table (voltage sense amps). */
  SRAM = false;
  numYbit = 0;
  numEntry = 0;
  /** Sigmoid units working in parallel. */
  numFunction = 0;
  senseVoltage = 0;
  /** Memory cells per unit. */
  numCell = 0;
  clkFreq = 0;
  capSRAMCell = 0;
  capLoad = 0;
  widthInvN = 0;
  widthInvP = 0;
  /** Size of one table row (numYbit cells), m. */
  hUnit = 0;
  wUnit = 0;
  /** Area of one sigmoid unit, m². */
  areaUnit = 0;
  readonly wlDecoder: RowDecoder;
  readonly senseAmp: SenseAmp;
  readonly voltageSenseAmp: VoltageSenseAmp;

  constructor(ctx: CircuitContext) {
    super(ctx);
    this.wlDecoder = new RowDecoder(ctx);
    this.senseAmp = new SenseAmp(ctx);
    this.voltageSenseAmp = new VoltageSenseAmp(ctx);
  }

  // NeuroSim V2.1 Sigmoid.cpp, Initialize
  initialize(SRAM: boolean, numYbit: number, numEntry: number, numFunction: number, clkFreq: number): void {
    // NeuroSim warns on a second call but re-initialises anyway.
    const { tech, cell } = this.ctx;
    this.SRAM = SRAM;
    this.numYbit = numYbit;
    this.numEntry = numEntry;
    this.numFunction = numFunction;
    this.clkFreq = clkFreq;
    this.numCell = numYbit * numEntry;
    this.widthInvN = MIN_NMOS_SIZE * tech.featureSize;
    this.widthInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    const inv = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, tech.featureSize * MAX_TRANSISTOR_HEIGHT, tech);
    if (SRAM) {
      this.hUnit = inv.height + cell.heightInFeatureSize * tech.featureSize;
      this.wUnit = cMax(inv.width * 3, cell.widthInFeatureSize * tech.featureSize) * numYbit;
    } else {
      this.hUnit = cell.heightInFeatureSize * tech.featureSize;
      this.wUnit = cell.widthInFeatureSize * tech.featureSize * numYbit;
    }
    this.wlDecoder.initialize("REGULAR_ROW", Math.ceil(Math.log2(numEntry)), false, false);
    if (SRAM) {
      this.senseAmp.initialize(numYbit, false, cell.minSenseVoltage, this.wUnit / numYbit, clkFreq, 1);
    } else {
      this.voltageSenseAmp.initialize(numYbit, clkFreq);
    }
    this.initialized = true;
  }

  // NeuroSim V2.1 Sigmoid.cpp, CalculateUnitArea
  calculateUnitArea(option: AreaModify): void {
    if (!this.initialized) return;
    this.areaUnit = 0;
    this.wlDecoder.calculateArea(0, 0, "NONE");
    if (this.SRAM) {
      this.senseAmp.calculateArea(0, 0, "NONE");
    } else {
      this.voltageSenseAmp.calculateUnitArea();
      this.voltageSenseAmp.calculateArea(0);
    }
    this.areaUnit += this.hUnit * this.wUnit * this.numEntry;
    // The sense amp of the other flavour was never sized and contributes 0.
    this.areaUnit += this.wlDecoder.area + this.senseAmp.area + this.voltageSenseAmp.area;
    this.applyOption(option);
  }

  // NeuroSim V2.1 Sigmoid.cpp, CalculateArea
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    this.area = this.areaUnit * this.numFunction;
    if (newWidth && option === "NONE") {
      this.width = newWidth;
      this.height = this.area / this.width;
    } else {
      this.height = newHeight;
      this.width = this.area / this.height;
    }
    this.modifyLayout(newHeight, newWidth, option);
  }

  // NeuroSim V2.1 Sigmoid.cpp, CalculateLatency
  calculateLatency(numRead: number): void {
    if (!this.initialized) return;
    const { tech, cell, temperature } = this.ctx;
    const fs = tech.featureSize;
    this.readLatency = 0;
    calculateOnResistance(cell.widthAccessCMOS * fs, "NMOS", temperature, tech); // computed but unused by NeuroSim
    const capCellAccess = calculateDrainCap(cell.widthAccessCMOS * fs, "NMOS", cell.widthInFeatureSize * fs, tech);
    this.capSRAMCell =
      capCellAccess +
      calculateDrainCap(cell.widthSRAMCellNMOS * fs, "NMOS", cell.widthInFeatureSize * fs, tech) +
      calculateDrainCap(cell.widthSRAMCellPMOS * fs, "PMOS", cell.widthInFeatureSize * fs, tech);
    if (this.SRAM) {
      this.wlDecoder.calculateLatency(1e20, 0, this.capSRAMCell, 1, 1);
      this.senseAmp.calculateLatency(1);
      this.readLatency = this.wlDecoder.readLatency + this.senseAmp.readLatency;
    } else {
      // No wire delay on the eNVM table.
      this.wlDecoder.calculateLatency(1e20, 0, capCellAccess, 1, 1);
      this.voltageSenseAmp.calculateLatency(0, 1);
      this.readLatency = this.wlDecoder.readLatency + this.voltageSenseAmp.readLatency;
    }
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 Sigmoid.cpp, CalculatePower
  calculatePower(numRead: number): void {
    if (!this.initialized) return;
    const { tech, cell, temperature } = this.ctx;
    const fs = tech.featureSize;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    if (this.SRAM) {
      this.wlDecoder.calculatePower(1, 1);
      this.senseAmp.calculatePower(1);
      this.readDynamicEnergy += this.wlDecoder.readDynamicEnergy + this.senseAmp.readDynamicEnergy;
      // Two cross-coupled inverters leak in every cell.
      this.leakage +=
        calculateGateLeakage("INV", 1, cell.widthSRAMCellNMOS * fs, cell.widthSRAMCellPMOS * fs, temperature, tech) * tech.vdd * 2;
      this.leakage *= this.numCell;
      this.leakage += this.wlDecoder.leakage;
      this.leakage += this.senseAmp.leakage;
    } else {
      this.wlDecoder.calculatePower(1, 1);
      this.voltageSenseAmp.calculatePower(1);
      this.readDynamicEnergy += this.voltageSenseAmp.readDynamicEnergy + this.wlDecoder.readDynamicEnergy;
      this.leakage += this.voltageSenseAmp.leakage;
      this.leakage += this.wlDecoder.leakage;
    }
    this.readDynamicEnergy *= numRead * this.numFunction;
  }
}
