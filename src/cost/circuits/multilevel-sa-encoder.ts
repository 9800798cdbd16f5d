// NeuroSim V2.1 MultilevelSAEncoder.cpp: the thermometer-to-binary encoder behind each multilevel sense amp
// (INV + NAND2 per level, then one wide NAND per output bit).
import { type AreaModify, cMax, FunctionUnit, toInt } from "./function-unit.js";
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

/** std::max: `(a < b) ? b : a`. */
function stdMax(a: number, b: number): number {
  return a < b ? b : a;
}

// NeuroSim V2.1 MultilevelSAEncoder.cpp
export class MultilevelSAEncoder extends FunctionUnit {
  initialized = false;
  capNandInput = 0;
  capNandOutput = 0;
  capNandLgInput = 0;
  capNandLgOutput = 0;
  capInvInput = 0;
  capInvOutput = 0;
  widthInvN = 0;
  widthInvP = 0;
  widthNandN = 0;
  widthNandP = 0;
  rampInput = 0;
  rampOutput = 0;
  /** Number of encoders (one per ADC). */
  numEncoder = 0;
  /** Levels coming out of the multilevel sense amp. */
  numLevel = 0;
  /** Inputs of each wide NAND. */
  numInput = 0;
  /** Output bits (wide NANDs per encoder). */
  numGate = 0;

  // NeuroSim V2.1 MultilevelSAEncoder.cpp, Initialize
  initialize(numLevel: number, numEncoder: number): void {
    // NeuroSim warns on a second call but re-initialises anyway.
    const tech = this.ctx.tech;
    this.numEncoder = numEncoder;
    this.numLevel = numLevel;
    // ceil of an integer division: the division already truncated.
    this.numInput = Math.trunc(numLevel / 2);
    this.numGate = Math.ceil(Math.log2(numLevel));
    this.widthInvN = MIN_NMOS_SIZE * tech.featureSize;
    this.widthInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.widthNandN = 2 * MIN_NMOS_SIZE * tech.featureSize;
    this.widthNandP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.initialized = true;
  }

  // NeuroSim V2.1 MultilevelSAEncoder.cpp, CalculateArea
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    const tech = this.ctx.tech;
    const cellH = tech.featureSize * MAX_TRANSISTOR_HEIGHT;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    const nand = calculateGateArea("NAND", 2, this.widthNandN, this.widthNandP, cellH, tech);
    const inv = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, cellH, tech);
    const nandLg = calculateGateArea("NAND", this.numInput, this.widthNandN, this.widthNandP, cellH, tech);
    // One encoder: a row of INV, INV, NAND2 and wide NAND, as tall as numLevel−1 gates.
    const wEncoder = 2 * inv.width + nand.width + nandLg.width;
    const hEncoder = stdMax((this.numLevel - 1) * inv.height, (this.numLevel - 1) * nand.height);
    if (newWidth && option === "NONE") {
      let numEncoderPerRow = toInt(Math.ceil(newWidth / wEncoder));
      if (numEncoderPerRow > this.numEncoder) numEncoderPerRow = this.numEncoder;
      const numRowEncoder = toInt(Math.ceil(this.numEncoder / numEncoderPerRow));
      this.width = cMax(newWidth, wEncoder);
      this.height = hEncoder * numRowEncoder;
    } else if (newHeight && option === "NONE") {
      let numEncoderPerColumn = toInt(Math.ceil(newHeight / hEncoder));
      if (numEncoderPerColumn > this.numEncoder) numEncoderPerColumn = this.numEncoder;
      const numColEncoder = toInt(Math.ceil(this.numEncoder / numEncoderPerColumn));
      this.height = cMax(newHeight, hEncoder);
      this.width = wEncoder * numColEncoder;
    }
    this.area = this.height * this.width;
    this.modifyLayout(newHeight, newWidth, option);

    const invCap = calculateGateCapacitance("INV", 1, this.widthInvN, this.widthInvP, inv.height, tech);
    this.capInvInput = invCap.capInput;
    this.capInvOutput = invCap.capOutput;
    const nandCap = calculateGateCapacitance("NAND", 2, this.widthNandN, this.widthNandP, nand.height, tech);
    this.capNandInput = nandCap.capInput;
    this.capNandOutput = nandCap.capOutput;
    const lgCap = calculateGateCapacitance("NAND", this.numInput, this.widthNandN, this.widthNandP, nandLg.height, tech);
    this.capNandLgInput = lgCap.capInput;
    this.capNandLgOutput = lgCap.capOutput;
  }

  // NeuroSim V2.1 MultilevelSAEncoder.cpp, CalculateLatency
  calculateLatency(rampInput: number, numRead: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    this.readLatency = 0;
    this.rampInput = rampInput;
    // Stage 1: INV driving two NAND2 inputs.
    let resPullDown = calculateOnResistance(this.widthInvN, "NMOS", temperature, tech) * 2;
    let tr = resPullDown * (this.capInvOutput + this.capNandInput * 2);
    let gm = calculateTransconductance(this.widthNandN, "NMOS", tech);
    let beta = 1 / (resPullDown * gm);
    const s1 = horowitz(tr, beta, rampInput);
    this.readLatency += s1.delay;
    // Stage 2: NAND2 driving the wide NAND's inputs.
    let resPullUp = calculateOnResistance(this.widthNandP, "PMOS", temperature, tech);
    tr = resPullUp * (this.capNandOutput + this.capNandLgInput * this.numInput);
    gm = calculateTransconductance(this.widthNandP, "PMOS", tech);
    beta = 1 / (resPullUp * gm);
    const s2 = horowitz(tr, beta, s1.rampOutput);
    this.readLatency += s2.delay;
    // Stages 3–4 (wide NAND, output INV) only propagate the ramp: NeuroSim adds their delay to a
    // variable it never uses.
    resPullDown = calculateOnResistance(this.widthNandN, "NMOS", temperature, tech) * 2;
    tr = resPullDown * (this.capNandLgOutput + this.capInvInput);
    gm = calculateTransconductance(this.widthNandN, "NMOS", tech);
    beta = 1 / (resPullDown * gm);
    const s3 = horowitz(tr, beta, s2.rampOutput);
    resPullUp = calculateOnResistance(this.widthInvP, "PMOS", temperature, tech);
    tr = resPullUp * this.capInvOutput;
    gm = calculateTransconductance(this.widthNandP, "PMOS", tech);
    beta = 1 / (resPullUp * gm);
    const s4 = horowitz(tr, beta, s3.rampOutput);
    this.readLatency *= numRead;
    this.rampOutput = s4.rampOutput;
  }

  // NeuroSim V2.1 MultilevelSAEncoder.cpp, CalculatePower
  calculatePower(numRead: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const vdd = tech.vdd;
    const perLevel = this.numLevel + this.numGate;
    this.readDynamicEnergy = 0;
    this.leakage = 0;
    this.leakage =
      calculateGateLeakage("INV", 1, this.widthInvN, this.widthInvP, temperature, tech) * vdd * perLevel * this.numEncoder +
      calculateGateLeakage("NAND", 2, this.widthNandN, this.widthNandP, temperature, tech) * vdd * perLevel * this.numEncoder +
      calculateGateLeakage("NAND", this.numInput, this.widthNandN, this.widthNandP, temperature, tech) *
        vdd *
        this.numGate *
        this.numEncoder;
    this.readDynamicEnergy += (this.capInvInput + this.capInvOutput) * vdd * vdd * perLevel * this.numEncoder;
    this.readDynamicEnergy += (this.capNandInput + this.capNandOutput) * vdd * vdd * perLevel * this.numEncoder;
    this.readDynamicEnergy += (this.capNandLgInput + this.capNandLgOutput) * vdd * vdd * this.numGate * this.numEncoder;
    this.readDynamicEnergy *= numRead;
    if (this.readLatency) this.readPower = this.readDynamicEnergy / this.readLatency;
  }
}
