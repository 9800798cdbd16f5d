// NeuroSim V2.1 AdderTree.cpp: numAdderTree trees that sum numSubcoreRow partial sums, one bit wider per stage.
import { Adder } from "./adder.js";
import { type AreaModify, FunctionUnit, intDiv, toInt } from "./function-unit.js";
import type { CircuitContext } from "./params.js";

// NeuroSim V2.1 AdderTree.cpp
export class AdderTree extends FunctionUnit {
  initialized = false;
  numSubcoreRow = 0;
  numStage = 0;
  numTotalAdder = 0;
  numAdderBit = 0;
  numAdderTree = 0;
  numReadPulse = 0;
  readonly adder: Adder;

  constructor(ctx: CircuitContext) {
    super(ctx);
    this.adder = new Adder(ctx);
  }

  // NeuroSim V2.1 AdderTree.cpp, Initialize
  initialize(numSubcoreRow: number, numAdderBit: number, numAdderTree: number): void {
    this.numSubcoreRow = toInt(numSubcoreRow);
    this.numStage = toInt(Math.ceil(Math.log2(this.numSubcoreRow)));
    this.numAdderBit = toInt(numAdderBit);
    this.numAdderTree = toInt(numAdderTree);
    this.initialized = true;
  }

  /**
   * Walk the stages of a tree over `numInput` operands: stage k has ⌊j/2⌋ adders of (numAdderBit + k) bits,
   * where j halves (rounding down) each stage. NeuroSim writes ceil(j/2) on ints, which is integer division,
   * so an odd operand is silently dropped (e.g. 3 inputs → 1 adder per stage).
   */
  private forEachStage(numInput: number, visit: (numBit: number, numAdder: number) => void): void {
    let i = toInt(Math.ceil(Math.log2(numInput)));
    let j = numInput;
    let numBitEachStage = this.numAdderBit;
    while (i !== 0) {
      const numAdderEachStage = intDiv(j, 2);
      visit(numBitEachStage, numAdderEachStage);
      numBitEachStage += 1;
      j = intDiv(j, 2);
      i -= 1;
    }
  }

  // NeuroSim V2.1 AdderTree.cpp, CalculateArea: all adders of a tree sized as one adder of (total bits) bits.
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    this.area = 0;
    this.height = 0;
    this.width = 0;
    let numAdderEachTree = 0; // total full-adder bits in one tree
    this.forEachStage(this.numSubcoreRow, (numBit, numAdder) => {
      numAdderEachTree += numBit * numAdder;
    });
    this.adder.initialize(numAdderEachTree, this.numAdderTree);

    if (newWidth && option === "NONE") {
      this.adder.calculateArea(0, newWidth, "NONE");
      this.width = newWidth;
      this.height = this.adder.area / this.width;
    } else if (newHeight && option === "NONE") {
      this.adder.calculateArea(newHeight, 0, "NONE");
      this.height = newHeight;
      this.width = this.adder.area / this.height;
    } else {
      // NeuroSim exits here: MAGIC/OVERRIDE, or no dimension given, are not supported.
      throw new Error("[AdderTree] Error: No width assigned for the adder tree circuit");
    }
    this.area = this.height * this.width;
    this.adder.initialized = false;
    this.modifyLayout(newHeight, newWidth, option);
  }

  // NeuroSim V2.1 AdderTree.cpp, CalculateLatency: stages in series; numUnitAdd = 0 means all numSubcoreRow inputs.
  calculateLatency(numRead: number, numUnitAdd: number, capLoad: number): void {
    if (!this.initialized) return;
    this.readLatency = 0;
    this.forEachStage(toInt(numUnitAdd) ? toInt(numUnitAdd) : this.numSubcoreRow, (numBit, numAdder) => {
      this.adder.initialize(numBit, numAdder);
      this.adder.calculateLatency(1e20, capLoad, 1);
      this.readLatency += this.adder.readLatency;
      this.adder.initialized = false;
    });
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 AdderTree.cpp, CalculatePower
  calculatePower(numRead: number, numUnitAdd: number): void {
    if (!this.initialized) return;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    this.forEachStage(toInt(numUnitAdd) ? toInt(numUnitAdd) : this.numSubcoreRow, (numBit, numAdder) => {
      this.adder.initialize(numBit, numAdder);
      this.adder.calculatePower(1, numAdder);
      this.readDynamicEnergy += this.adder.readDynamicEnergy;
      this.leakage += this.adder.leakage;
      this.adder.initialized = false;
    });
    this.readDynamicEnergy *= this.numAdderTree;
    this.readDynamicEnergy *= numRead;
    this.leakage *= this.numAdderTree;
  }
}
