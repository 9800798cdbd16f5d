// NeuroSim V2.1 Adder.cpp: ripple-carry adders built from NAND2 gates (9 NAND2 per full-adder bit).
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

// NeuroSim V2.1 Adder.cpp
export class Adder extends FunctionUnit {
  initialized = false;
  numBit = 0;
  numAdder = 0;
  capLoad = 0;
  capNandInput = 0;
  capNandOutput = 0;
  widthNandN = 0;
  widthNandP = 0;
  hAdder = 0;
  wAdder = 0;
  rampInput = 0;
  rampOutput = 0;

  // NeuroSim V2.1 Adder.cpp, Initialize
  initialize(numBit: number, numAdder: number): void {
    const tech = this.ctx.tech;
    this.numBit = toInt(numBit);
    this.numAdder = toInt(numAdder);
    this.widthNandN = 2 * MIN_NMOS_SIZE * tech.featureSize;
    this.widthNandP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.initialized = true;
  }

  // NeuroSim V2.1 Adder.cpp, CalculateArea
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    const tech = this.ctx.tech;
    const nand = calculateGateArea("NAND", 2, this.widthNandN, this.widthNandP, tech.featureSize * MAX_TRANSISTOR_HEIGHT, tech);
    const hNand = nand.height;
    const wNand = nand.width;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    if (newHeight && option === "NONE") {
      // Each adder is one NAND-high strip of 9·numBit gates; stack them in columns.
      this.hAdder = hNand;
      this.wAdder = wNand * 9 * this.numBit;
      if (!(this.hAdder > newHeight)) {
        let numAdderPerCol = toInt(newHeight / this.hAdder);
        if (numAdderPerCol > this.numAdder) numAdderPerCol = this.numAdder;
        const numColAdder = toInt(Math.ceil(this.numAdder / numAdderPerCol));
        this.height = newHeight;
        this.width = this.wAdder * numColAdder;
      } // else NeuroSim prints an error and leaves height = width = 0
    } else if (newWidth && option === "NONE") {
      // Each adder is 9 NAND wide and numBit NAND high; tile them in rows.
      this.hAdder = hNand * this.numBit;
      this.wAdder = wNand * 9;
      if (!(this.wAdder > newWidth)) {
        let numAdderPerRow = toInt(newWidth / this.wAdder);
        if (numAdderPerRow > this.numAdder) numAdderPerRow = this.numAdder;
        const numRowAdder = toInt(Math.ceil(this.numAdder / numAdderPerRow));
        this.width = newWidth;
        this.height = this.hAdder * numRowAdder;
      }
    } else {
      // Default: all adders in one row.
      this.hAdder = hNand;
      this.wAdder = wNand * 9 * this.numBit;
      this.width = this.wAdder * this.numAdder;
      this.height = this.hAdder;
    }
    this.area = this.height * this.width;

    this.modifyLayout(newHeight, newWidth, option);

    const cap = calculateGateCapacitance("NAND", 2, this.widthNandN, this.widthNandP, hNand, tech);
    this.capNandInput = cap.capInput;
    this.capNandOutput = cap.capOutput;
  }

  /** One NAND2 stage of the carry chain, as NeuroSim models it (pull-down doubled for the series stack). */
  private stage(pullDown: boolean, capOut: number, ramp: number): { delay: number; rampOutput: number } {
    const { tech, temperature } = this.ctx;
    if (pullDown) {
      const res = calculateOnResistance(this.widthNandN, "NMOS", temperature, tech) * 2;
      const tr = res * capOut;
      const gm = calculateTransconductance(this.widthNandN, "NMOS", tech);
      return horowitz(tr, 1 / (res * gm), ramp);
    }
    const res = calculateOnResistance(this.widthNandP, "PMOS", temperature, tech);
    const tr = res * capOut;
    const gm = calculateTransconductance(this.widthNandP, "PMOS", tech);
    return horowitz(tr, 1 / (res * gm), ramp);
  }

  // NeuroSim V2.1 Adder.cpp, CalculateLatency: carry ripple for A=111..., B=100..., Cin=1.
  calculateLatency(rampInput: number, capLoad: number, numRead: number): void {
    if (!this.initialized) return;
    this.readLatency = 0;
    this.rampInput = rampInput;
    this.capLoad = capLoad;
    const cIn = this.capNandInput;
    const cOut = this.capNandOutput;
    let readLatencyIntermediate = 0;

    // First bit: two stages.
    const s1 = this.stage(true, cOut + cIn * 3, rampInput);
    this.readLatency += s1.delay;
    const s2 = this.stage(false, cOut + cIn * 2, s1.rampOutput);
    this.readLatency += s2.delay;
    // Middle bits: two stages each, repeated numBit − 2 times.
    const s3 = this.stage(true, cOut + cIn * 3, s2.rampOutput);
    readLatencyIntermediate += s3.delay;
    const s4 = this.stage(false, cOut + cIn * 2, s3.rampOutput);
    readLatencyIntermediate += s4.delay;
    if (this.numBit > 2) this.readLatency += readLatencyIntermediate * (this.numBit - 2);
    // Last bit: carry out and sum into the load.
    const s5 = this.stage(true, cOut + cIn * 3, s4.rampOutput);
    this.readLatency += s5.delay;
    const s6 = this.stage(false, cOut + cIn, s5.rampOutput);
    this.readLatency += s6.delay;
    const s7 = this.stage(true, cOut + capLoad, s6.rampOutput);
    this.readLatency += s7.delay;

    this.readLatency *= numRead;
    this.rampOutput = s7.rampOutput;
  }

  // NeuroSim V2.1 Adder.cpp, CalculatePower: 0→1 transitions of the calibration pattern, plus hidden ones.
  calculatePower(numRead: number, numAdderPerOperation: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const vdd = tech.vdd;
    const cIn = this.capNandInput;
    const cOut = this.capNandOutput;
    const nb = this.numBit;
    this.leakage = 0;
    this.readDynamicEnergy = 0;

    this.leakage += calculateGateLeakage("NAND", 2, this.widthNandN, this.widthNandP, temperature, tech) * vdd * 9 * nb * this.numAdder;

    // Visible transitions: first bit, then each later bit.
    this.readDynamicEnergy += cIn * 6 * vdd * vdd;
    this.readDynamicEnergy += cOut * 2 * vdd * vdd;
    this.readDynamicEnergy += cIn * 7 * vdd * vdd * (nb - 1);
    this.readDynamicEnergy += cOut * 3 * vdd * vdd * (nb - 1);
    // Hidden (glitch) transitions: first bit.
    this.readDynamicEnergy += (cOut + cIn) * vdd * vdd * 2;
    this.readDynamicEnergy += (cOut + cIn * 2) * vdd * vdd;
    this.readDynamicEnergy += (cOut + cIn * 3) * vdd * vdd;
    this.readDynamicEnergy += (cOut + cIn) * vdd * vdd;
    // Hidden transitions: later bits.
    this.readDynamicEnergy += (cOut + cIn * 3) * vdd * vdd * (nb - 1);
    this.readDynamicEnergy += (cOut + cIn) * vdd * vdd * (nb - 1);
    this.readDynamicEnergy += (cOut + cIn) * vdd * vdd * 2 * (nb - 1);

    this.readDynamicEnergy *= cMin(toInt(numAdderPerOperation), this.numAdder) * numRead;
  }
}
