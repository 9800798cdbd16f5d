// NeuroSim V2.1 Comparator.cpp: numComparator magnitude comparators of numBit bits (INV/NAND2/NAND3 per bit).
import { type AreaModify, cMin, FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateGateArea,
  calculateGateCapacitance,
  calculateGateLeakage,
  calculateOnResistance,
  calculateTransconductance,
  horowitz,
  MAX_TRANSISTOR_HEIGHT,
  MIN_NMOS_SIZE,
} from "./gates.js";

// NeuroSim V2.1 Comparator.cpp
export class Comparator extends FunctionUnit {
  initialized = false;
  capLoad = 0;
  capInvInput = 0;
  capInvOutput = 0;
  capNand2Input = 0;
  capNand2Output = 0;
  capNand3Input = 0;
  capNand3Output = 0;
  numBit = 0;
  numComparator = 0;
  widthInvN = 0;
  widthInvP = 0;
  widthNand2N = 0;
  widthNand2P = 0;
  widthNand3N = 0;
  widthNand3P = 0;
  rampInput = 0;
  rampOutput = 0;
  areaUnit = 0;

  // NeuroSim V2.1 Comparator.cpp, Initialize
  initialize(numBit: number, numComparator: number): void {
    const tech = this.ctx.tech;
    this.numBit = toInt(numBit);
    this.numComparator = toInt(numComparator);
    this.widthInvN = MIN_NMOS_SIZE * tech.featureSize;
    this.widthInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.widthNand2N = 2 * MIN_NMOS_SIZE * tech.featureSize;
    this.widthNand2P = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.widthNand3N = 3 * MIN_NMOS_SIZE * tech.featureSize;
    this.widthNand3P = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.initialized = true;
  }

  // NeuroSim V2.1 Comparator.cpp, CalculateUnitArea: sum of gate areas per comparator (4 INV, 4 NAND2, 3 NAND3 per bit).
  calculateUnitArea(option: AreaModify): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    const tech = this.ctx.tech;
    const rowHeight = tech.featureSize * MAX_TRANSISTOR_HEIGHT;
    const inv = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, rowHeight, tech);
    const nand2 = calculateGateArea("NAND", 2, this.widthNand2N, this.widthNand2P, rowHeight, tech);
    const nand3 = calculateGateArea("NAND", 3, this.widthNand3N, this.widthNand3P, rowHeight, tech);
    this.areaUnit = (inv.height * inv.width * 4 + nand2.height * nand2.width * 4 + nand3.height * nand3.width * 3) * this.numBit;

    // NeuroSim applies the option to the (unset) newHeight/newWidth: MAGIC is a no-op, OVERRIDE aborts.
    this.applyOption(option);

    const invCap = calculateGateCapacitance("INV", 1, this.widthInvN, this.widthInvP, inv.height, tech);
    this.capInvInput = invCap.capInput;
    this.capInvOutput = invCap.capOutput;
    const nand2Cap = calculateGateCapacitance("NAND", 2, this.widthNand2N, this.widthNand2P, nand2.height, tech);
    this.capNand2Input = nand2Cap.capInput;
    this.capNand2Output = nand2Cap.capOutput;
    const nand3Cap = calculateGateCapacitance("NAND", 3, this.widthNand3N, this.widthNand3P, nand3.height, tech);
    this.capNand3Input = nand3Cap.capInput;
    this.capNand3Output = nand3Cap.capOutput;
  }

  // NeuroSim V2.1 Comparator.cpp, CalculateArea: the unit area spread over the given width.
  calculateArea(widthArray: number): void {
    if (!this.initialized) return;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    this.width = widthArray;
    this.area = this.areaUnit * this.numComparator;
    this.height = this.area / this.width;
  }

  private nand2Stage(capOut: number, ramp: number): { delay: number; rampOutput: number } {
    const { tech, temperature } = this.ctx;
    const res = calculateOnResistance(this.widthNand2N, "NMOS", temperature, tech) * 2;
    const tr = res * capOut;
    const gm = calculateTransconductance(this.widthNand2N, "NMOS", tech);
    return horowitz(tr, 1 / (res * gm), ramp);
  }

  private nand3Stage(capOut: number, ramp: number): { delay: number; rampOutput: number } {
    const { tech, temperature } = this.ctx;
    const res = calculateOnResistance(this.widthNand3P, "PMOS", temperature, tech);
    const tr = res * capOut;
    const gm = calculateTransconductance(this.widthNand3P, "PMOS", tech);
    return horowitz(tr, 1 / (res * gm), ramp);
  }

  // NeuroSim V2.1 Comparator.cpp, CalculateLatency: the Gin→Gout chain, NAND2 then NAND3 per bit.
  calculateLatency(rampInput: number, capLoad: number, numRead: number): void {
    if (!this.initialized) return;
    this.rampInput = rampInput;
    this.capLoad = capLoad;
    this.readLatency = 0;
    let readLatencyIntermediate = 0;
    // First bit.
    const a1 = this.nand2Stage(this.capNand2Output + this.capNand3Input, rampInput);
    this.readLatency += a1.delay;
    const b1 = this.nand3Stage(this.capNand3Output + this.capNand2Input, a1.rampOutput);
    this.readLatency += b1.delay;
    // Middle bits, counted numBit − 2 times (negative for a 1-bit comparator, as in NeuroSim).
    const a2 = this.nand2Stage(this.capNand2Output + this.capNand3Input, b1.rampOutput);
    readLatencyIntermediate += a2.delay;
    const b2 = this.nand3Stage(this.capNand3Output + this.capNand2Input, a2.rampOutput);
    readLatencyIntermediate += b2.delay;
    this.readLatency += readLatencyIntermediate * (this.numBit - 2);
    // Last bit drives the load.
    const a3 = this.nand2Stage(this.capNand2Output + this.capNand3Input, b2.rampOutput);
    this.readLatency += a3.delay;
    const b3 = this.nand3Stage(this.capNand3Output + capLoad, a3.rampOutput);
    this.readLatency += b3.delay;
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 Comparator.cpp, CalculatePower
  calculatePower(numRead: number, numComparatorPerOperation: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const vdd = tech.vdd;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    this.leakage +=
      calculateGateLeakage("INV", 1, this.widthInvN, this.widthInvP, temperature, tech) * vdd * 4 * this.numBit * this.numComparator;
    this.leakage +=
      calculateGateLeakage("NAND", 2, this.widthNand2N, this.widthNand2P, temperature, tech) * vdd * 4 * this.numBit * this.numComparator;
    this.leakage +=
      calculateGateLeakage("NAND", 3, this.widthNand3N, this.widthNand3P, temperature, tech) * vdd * 3 * this.numBit * this.numComparator;

    this.readDynamicEnergy += (this.capInvInput + this.capInvOutput) * 4 * vdd * vdd;
    this.readDynamicEnergy += (this.capNand2Input + this.capNand2Output) * 4 * vdd * vdd;
    this.readDynamicEnergy += (this.capNand3Input + this.capNand3Output) * 3 * vdd * vdd;
    this.readDynamicEnergy *= this.numBit * cMin(toInt(numComparatorPerOperation), this.numComparator) * numRead;
  }
}
