// NeuroSim V2.1 SenseAmp.cpp: latch-type voltage sense amplifier, one per column (the SRAM read path).
import { type AreaModify, cMin, FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateDrainCap,
  calculateGateArea,
  calculateGateCap,
  calculateGateLeakage,
  calculateTransconductance,
  W_SENSE_EN,
  W_SENSE_ISO,
  W_SENSE_MUX,
  W_SENSE_N,
  W_SENSE_P,
} from "./gates.js";

// NeuroSim V2.1 SenseAmp.cpp
export class SenseAmp extends FunctionUnit {
  initialized = false;
  numCol = 0;
  /** Current sensing is not supported by NeuroSim (it exits); calculateArea throws. */
  currentSense = false;
  /** Minimum sensible voltage (V). */
  senseVoltage = 0;
  capLoad = 0;
  /** Maximum width of one sense amplifier. */
  pitchSenseAmp = 0;
  clkFreq = 0;
  numReadCellPerOperationNeuro = 0;

  // NeuroSim V2.1 SenseAmp.cpp, Initialize (NeuroSim only warns when the pitch is ≤ 6F)
  initialize(
    numCol: number,
    currentSense: boolean,
    senseVoltage: number,
    pitchSenseAmp: number,
    clkFreq: number,
    numReadCellPerOperationNeuro: number,
  ): void {
    this.numCol = toInt(numCol);
    this.currentSense = currentSense;
    this.senseVoltage = senseVoltage;
    this.pitchSenseAmp = pitchSenseAmp;
    this.clkFreq = clkFreq;
    this.numReadCellPerOperationNeuro = toInt(numReadCellPerOperationNeuro);
    this.initialized = true;
  }

  // NeuroSim V2.1 SenseAmp.cpp, CalculateArea: sum of the transistor areas (each laid out along the pitch).
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return;
    const tech = this.ctx.tech;
    const F = tech.featureSize;
    const pitch = this.pitchSenseAmp;
    this.height = this.width = this.area = 0;
    if (this.currentSense) throw new Error("[SenseAmp] Do not support current sensing yet");
    const p = calculateGateArea("INV", 1, 0, W_SENSE_P * F, pitch, tech);
    const iso = calculateGateArea("INV", 1, 0, W_SENSE_ISO * F, pitch, tech);
    const nm = calculateGateArea("INV", 1, W_SENSE_N * F, 0, pitch, tech);
    const en = calculateGateArea("INV", 1, W_SENSE_EN * F, 0, pitch, tech);
    // Cross-coupled pair (2 P + 2 N), isolation PMOS, enable NMOS.
    this.area += p.height * p.width * 2 + nm.height * nm.width * 2 + iso.height * iso.width + en.height * en.width;
    this.area *= this.numCol;
    if (newWidth && option === "NONE") {
      this.width = newWidth;
      this.height = this.area / this.width;
    } else if (newHeight && option === "NONE") {
      this.height = newHeight;
      this.width = this.area / this.height;
    }

    this.modifyLayout(newHeight, newWidth, option);

    this.capLoad =
      calculateGateCap((W_SENSE_P + W_SENSE_N) * F, tech) +
      calculateDrainCap(W_SENSE_N * F, "NMOS", pitch, tech) +
      calculateDrainCap(W_SENSE_P * F, "PMOS", pitch, tech) +
      calculateDrainCap(W_SENSE_ISO * F, "PMOS", pitch, tech) +
      calculateDrainCap(W_SENSE_MUX * F, "NMOS", pitch, tech);
  }

  // NeuroSim V2.1 SenseAmp.cpp, CalculateLatency: regeneration time to amplify senseVoltage to vdd, plus a clock.
  calculateLatency(numRead: number): void {
    if (!this.initialized) return;
    const tech = this.ctx.tech;
    this.readLatency = 0;
    const gm =
      calculateTransconductance(W_SENSE_N * tech.featureSize, "NMOS", tech) +
      calculateTransconductance(W_SENSE_P * tech.featureSize, "PMOS", tech);
    const tau = this.capLoad / gm;
    this.readLatency += tau * Math.log(tech.vdd / this.senseVoltage);
    this.readLatency += 1 / this.clkFreq; // S/A enable
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 SenseAmp.cpp, CalculatePower
  calculatePower(numRead: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    // NeuroSim multiplies by vdd twice (the "current" already includes one vdd); reproduced.
    const idleCurrent = calculateGateLeakage("INV", 1, W_SENSE_EN * tech.featureSize, 0, temperature, tech) * tech.vdd;
    this.leakage += idleCurrent * tech.vdd * this.numCol;
    this.readDynamicEnergy += this.capLoad * tech.vdd * tech.vdd;
    this.readDynamicEnergy *= cMin(this.numReadCellPerOperationNeuro, this.numCol) * numRead;
  }
}
