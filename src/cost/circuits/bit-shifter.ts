// NeuroSim V2.1 BitShifter.cpp: a bank of numUnit × numBit DFFs read out in parallel (used as the ReLU stage).
import { DFF } from "./dff.js";
import { type AreaModify, FunctionUnit, toInt } from "./function-unit.js";
import type { CircuitContext } from "./params.js";

// NeuroSim V2.1 BitShifter.cpp
export class BitShifter extends FunctionUnit {
  initialized = false;
  numUnit = 0;
  numDff = 0;
  numBit = 0;
  clkFreq = 0;
  readonly dff: DFF;

  constructor(ctx: CircuitContext) {
    super(ctx);
    this.dff = new DFF(ctx);
  }

  // NeuroSim V2.1 BitShifter.cpp, Initialize
  initialize(numUnit: number, numBit: number, clkFreq: number): void {
    this.numUnit = toInt(numUnit);
    this.numBit = toInt(numBit);
    this.clkFreq = clkFreq;
    this.numDff = this.numBit * this.numUnit;
    this.dff.initialize(this.numDff, clkFreq);
    this.initialized = true;
  }

  // NeuroSim V2.1 BitShifter.cpp, CalculateArea: the DFF area reshaped to the given width (else height).
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    this.area = 0;
    this.height = 0;
    this.width = 0;
    this.dff.calculateArea(0, 0, "NONE");
    this.area = this.dff.area;
    if (newWidth && option === "NONE") {
      this.width = newWidth;
      this.height = this.area / this.width;
    } else {
      // With neither dimension given NeuroSim divides by a zero height (width becomes inf/nan).
      this.height = newHeight;
      this.width = this.area / this.height;
    }
    this.modifyLayout(newHeight, newWidth, option);
  }

  // NeuroSim V2.1 BitShifter.cpp, CalculateLatency: one DFF read per numRead.
  calculateLatency(numRead: number): void {
    if (!this.initialized) return;
    this.readLatency = 0;
    this.dff.calculateLatency(1e20, 1);
    this.readLatency += this.dff.readLatency;
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 BitShifter.cpp, CalculatePower
  calculatePower(numRead: number): void {
    if (!this.initialized) return;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    this.dff.calculatePower(numRead, this.numDff);
    this.readDynamicEnergy += this.dff.readDynamicEnergy;
    this.leakage += this.dff.leakage;
  }
}
