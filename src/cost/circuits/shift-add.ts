// NeuroSim V2.1 ShiftAdd.cpp: per-column shift-and-add (adder + DFF shift register) or, when spiking, a spike counter.
import { Adder } from "./adder.js";
import { DFF } from "./dff.js";
import { type AreaModify, FunctionUnit, intDiv, toInt } from "./function-unit.js";
import { calculateGateArea, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE } from "./gates.js";
import type { CircuitContext } from "./params.js";

/** NeuroSim's SpikingMode: binary partial sums, or counted spikes. */
export type SpikingMode = "NONSPIKING" | "SPIKING";

// NeuroSim V2.1 ShiftAdd.cpp
export class ShiftAdd extends FunctionUnit {
  initialized = false;
  numUnit = 0;
  layoutWidth = 0;
  widthInvN = 0;
  widthInvP = 0;
  widthNandN = 0;
  widthNandP = 0;
  numInv = 0;
  numNand = 0;
  numAdder = 0;
  numDff = 0;
  numAdderBit = 0;
  numBitPerDff = 0;
  rampInput = 0;
  rampOutput = 0;
  clkFreq = 0;
  spikingMode: SpikingMode = "NONSPIKING";
  numReadPulse = 0;
  readonly adder: Adder;
  readonly dff: DFF;

  constructor(ctx: CircuitContext) {
    super(ctx);
    this.adder = new Adder(ctx);
    this.dff = new DFF(ctx);
  }

  // NeuroSim V2.1 ShiftAdd.cpp, Initialize
  initialize(numUnit: number, numAdderBit: number, clkFreq: number, spikingMode: SpikingMode, numReadPulse: number): void {
    const tech = this.ctx.tech;
    // C++ takes these as int: callers' doubles (e.g. log2(levelOutput)) are truncated.
    numUnit = toInt(numUnit);
    numAdderBit = toInt(numAdderBit);
    numReadPulse = toInt(numReadPulse);
    this.numUnit = numUnit;
    this.numAdderBit = numAdderBit;
    this.numAdder = numUnit;
    this.clkFreq = clkFreq;
    this.spikingMode = spikingMode;
    this.numReadPulse = numReadPulse;

    if (spikingMode === "NONSPIKING") {
      // The adder output is one bit wider than its input; numReadPulse − 1 more bits hold the shifted sum.
      this.numDff = (numAdderBit + 1 + numReadPulse - 1) * numUnit;
      this.dff.initialize(this.numDff, clkFreq);
      this.adder.initialize(numAdderBit, this.numAdder);
    } else {
      // One shift register of 2^numAdderBit stages per unit counts the spikes.
      this.numBitPerDff = toInt(2 ** numAdderBit);
      this.numDff = this.numBitPerDff * numUnit;
      this.dff.initialize(this.numDff, clkFreq);
    }

    // The PISO shift-register glue (INV, NAND2) is counted for area only.
    this.widthInvN = MIN_NMOS_SIZE * tech.featureSize;
    this.widthInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.numInv = numUnit;
    this.widthNandN = 2 * MIN_NMOS_SIZE * tech.featureSize;
    this.widthNandP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.numNand = 3 * (intDiv(this.numDff, numUnit) - 1) * numUnit;

    this.initialized = true;
  }

  // NeuroSim V2.1 ShiftAdd.cpp, CalculateArea: adder row + one gate row + DFF rows (or side by side given a height).
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    const tech = this.ctx.tech;
    const rowHeight = tech.featureSize * MAX_TRANSISTOR_HEIGHT;
    const inv = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, rowHeight, tech);
    const nand = calculateGateArea("NAND", 2, this.widthNandN, this.widthNandP, rowHeight, tech);
    const nonSpiking = this.spikingMode === "NONSPIKING";
    this.area = 0;
    this.height = 0;
    this.width = 0;
    if (newWidth && option === "NONE") {
      if (nonSpiking) this.adder.calculateArea(0, newWidth, "NONE");
      this.dff.calculateArea(0, newWidth, "NONE");
      // INV and NAND2 share one row, assumed narrower than the adder/DFF rows.
      this.height = nonSpiking
        ? this.adder.height + tech.featureSize * MAX_TRANSISTOR_HEIGHT + this.dff.height
        : tech.featureSize * MAX_TRANSISTOR_HEIGHT + this.dff.height;
      this.width = newWidth;
    } else {
      // Note: with MAGIC/OVERRIDE this branch runs even if only a width was given (newHeight may be 0).
      if (nonSpiking) this.adder.calculateArea(newHeight, 0, "NONE");
      this.dff.calculateArea(newHeight, 0, "NONE");
      this.height = newHeight;
      this.width = nonSpiking ? this.adder.width + inv.width + nand.width + this.dff.width : inv.width + nand.width + this.dff.width;
    }
    this.area = this.height * this.width;
    this.modifyLayout(newHeight, newWidth, option);
  }

  // NeuroSim V2.1 ShiftAdd.cpp, CalculateLatency: overlapped with the next read pulse except the last one.
  calculateLatency(numRead: number): void {
    if (!this.initialized) return;
    const readPulseWidth = this.ctx.cell.readPulseWidth;
    this.readLatency = 0;
    if (this.spikingMode === "NONSPIKING") {
      this.adder.calculateLatency(1e20, this.dff.capTgDrain, 1);
      this.dff.calculateLatency(1e20, 1);
      const shiftAddLatency = this.adder.readLatency + this.dff.readLatency;
      if (shiftAddLatency > readPulseWidth) this.readLatency += (shiftAddLatency - readPulseWidth) * (numRead - 1);
      this.readLatency += shiftAddLatency;
    } else {
      // Shifting the count out takes numBitPerDff clock cycles.
      this.dff.calculateLatency(1e20, this.numBitPerDff);
      const shiftLatency = this.dff.readLatency;
      if (shiftLatency > readPulseWidth) this.readLatency += (shiftLatency - readPulseWidth) * (numRead - 1);
      this.readLatency += shiftLatency;
    }
  }

  // NeuroSim V2.1 ShiftAdd.cpp, CalculatePower
  calculatePower(numRead: number): void {
    if (!this.initialized) return;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    if (this.spikingMode === "NONSPIKING") {
      this.adder.calculatePower(numRead, this.numAdder);
      this.dff.calculatePower(numRead, this.numDff);
      this.readDynamicEnergy += this.adder.readDynamicEnergy;
      this.readDynamicEnergy += this.dff.readDynamicEnergy;
      this.leakage += this.adder.leakage;
      this.leakage += this.dff.leakage;
    } else {
      this.dff.calculatePower(numRead, this.numDff);
      this.readDynamicEnergy += this.dff.readDynamicEnergy;
      this.leakage += this.dff.leakage;
    }
  }
}
