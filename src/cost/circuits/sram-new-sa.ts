// NeuroSim V2.1 SramNewSA.cpp: fixed-size multi-level SRAM sense amplifier (levelOutput − 1 comparators per column,
// dimensions and energy from a reference layout). Not instantiated by DNN+NeuroSim V2.1; ported for completeness.
import { type AreaModify, FunctionUnit, toInt } from "./function-unit.js";

/** One comparator's layout (m). */
const HEIGHT_UNIT = 1.072e-5;
const WIDTH_UNIT = 1.011e-5;

// NeuroSim V2.1 SramNewSA.cpp
export class SramNewSA extends FunctionUnit {
  initialized = false;
  numCol = 0;
  levelOutput = 0;

  // NeuroSim V2.1 SramNewSA.cpp, Initialize
  initialize(numCol: number, levelOutput: number): void {
    this.numCol = toInt(numCol);
    this.levelOutput = toInt(levelOutput);
    this.initialized = true;
  }

  // NeuroSim V2.1 SramNewSA.cpp, CalculateArea: the width is imposed (newWidth = 0 gives an infinite height).
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return;
    this.height = this.width = this.area = 0;
    const areaUnit = (this.levelOutput - 1) * HEIGHT_UNIT * WIDTH_UNIT;
    this.width = newWidth;
    this.area = areaUnit * this.numCol;
    this.height = this.area / this.width;
    this.modifyLayout(newHeight, newWidth, option);
  }

  // NeuroSim V2.1 SramNewSA.cpp, CalculateLatency: 0.1 ns per read.
  calculateLatency(numRead: number): void {
    if (!this.initialized) return;
    this.readLatency = 0.1e-9;
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 SramNewSA.cpp, CalculatePower: 0.092 pJ per comparator per read.
  calculatePower(numRead: number): void {
    if (!this.initialized) return;
    this.leakage = 0;
    this.readDynamicEnergy = 0.092e-12;
    this.readDynamicEnergy *= this.levelOutput - 1;
    this.readDynamicEnergy *= this.numCol;
    this.readDynamicEnergy *= numRead;
  }
}
