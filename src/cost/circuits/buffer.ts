// NeuroSim V2.1 Buffer.cpp: the global / tile / PE buffers, either a register file (DFF array, one half clock
// cycle per line) or a small SRAM array with its decoder, precharger and write driver.
import { type AreaModify, FunctionUnit } from "./function-unit.js";
import {
  calculateDrainCap,
  calculateGateArea,
  calculateGateCap,
  calculateGateCapacitance,
  calculateGateLeakage,
  calculateOnResistance,
  calculateTransconductance,
  horowitz,
  MAX_TRANSISTOR_HEIGHT,
  MIN_NMOS_SIZE,
} from "./gates.js";
import type { CircuitContext } from "./params.js";
import { Precharger } from "./precharger.js";
import { RowDecoder } from "./row-decoder.js";
import { SRAMWriteDriver } from "./sram-write-driver.js";

// NeuroSim V2.1 Buffer.cpp
export class Buffer extends FunctionUnit {
  initialized = false;
  /** Bits stored. */
  numBit = 0;
  /** Bits per line (columns). */
  interfaceWidth = 0;
  numInterface = 0;
  unitWireRes = 0;
  clkFreq = 0;
  lengthRow = 0;
  lengthCol = 0;
  memoryArea = 0;
  hDff = 0;
  wDff = 0;
  colDelay = 0;
  /** true: SRAM array, false: register file (DFFs). */
  SRAM = false;
  capTgDrain = 0;
  capTgGateN = 0;
  capTgGateP = 0;
  capInvInput = 0;
  capInvOutput = 0;
  widthInvN = 0;
  widthInvP = 0;
  hDffInv = 0;
  wDffInv = 0;
  readWholeLatency = 0;
  writeWholeLatency = 0;
  avgBitReadLatency = 0;
  avgBitWriteLatency = 0;
  dffDynamicEnergy = 0;
  readWholeDynamicEnergy = 0;
  writeWholeDynamicEnergy = 0;
  avgBitReadDynamicEnergy = 0;
  avgBitWriteDynamicEnergy = 0;
  readonly wlDecoder: RowDecoder;
  readonly precharger: Precharger;
  readonly sramWriteDriver: SRAMWriteDriver;

  constructor(ctx: CircuitContext) {
    super(ctx);
    this.wlDecoder = new RowDecoder(ctx);
    this.precharger = new Precharger(ctx);
    this.sramWriteDriver = new SRAMWriteDriver(ctx);
  }

  /** Lines in the buffer as NeuroSim's `numBit/interface_width` on two ints (truncated). */
  private get numLinesInt(): number {
    return Math.trunc(this.numBit / this.interfaceWidth);
  }

  // NeuroSim V2.1 Buffer.cpp, Initialize
  initialize(numBit: number, interfaceWidth: number, numInterface: number, unitWireRes: number, clkFreq: number, SRAM: boolean): void {
    // NeuroSim warns on a second call but re-initialises anyway.
    const { tech, param } = this.ctx;
    this.numBit = numBit;
    this.interfaceWidth = interfaceWidth;
    this.numInterface = numInterface;
    this.unitWireRes = unitWireRes;
    this.clkFreq = clkFreq;
    this.SRAM = SRAM;
    if (SRAM) {
      this.lengthRow = interfaceWidth * param.widthInFeatureSizeSRAM * tech.featureSize;
      this.lengthCol = Math.ceil(numBit / interfaceWidth) * param.heightInFeatureSizeSRAM * tech.featureSize;
      this.precharger.initialize(interfaceWidth, this.lengthCol * unitWireRes, 1, interfaceWidth, interfaceWidth);
      this.sramWriteDriver.initialize(interfaceWidth, 1, interfaceWidth);
    } else {
      this.widthInvN = MIN_NMOS_SIZE * tech.featureSize;
      this.widthInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    }
    this.wlDecoder.initialize("REGULAR_ROW", Math.ceil(Math.log2(Math.ceil(numBit / interfaceWidth))), false, false);
    this.initialized = true;
  }

  // NeuroSim V2.1 Buffer.cpp, CalculateArea
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    const tech = this.ctx.tech;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    if (this.SRAM) {
      this.memoryArea = this.lengthRow * this.lengthCol;
      this.wlDecoder.calculateArea(this.lengthCol, 0, "NONE");
      this.precharger.calculateArea(0, this.lengthRow, "NONE");
      this.sramWriteDriver.calculateArea(0, this.lengthRow, "NONE");
      this.area += this.memoryArea + this.wlDecoder.area + this.precharger.area + this.sramWriteDriver.area;
    } else {
      // One DFF is laid out as 12 minimum inverters.
      const inv = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, tech.featureSize * MAX_TRANSISTOR_HEIGHT, tech);
      this.hDffInv = inv.height;
      this.wDffInv = inv.width;
      this.hDff = this.hDffInv;
      this.wDff = this.wDffInv * 12;
      this.memoryArea = this.hDff * this.wDff * this.numBit;
      this.wlDecoder.calculateArea(this.hDff * Math.ceil(this.numBit / this.interfaceWidth), 0, "NONE");
      this.area += this.memoryArea + this.wlDecoder.area;
      const cap = calculateGateCapacitance("INV", 1, this.widthInvN, this.widthInvP, this.hDffInv, tech);
      this.capInvInput = cap.capInput;
      this.capInvOutput = cap.capOutput;
      this.capTgGateN = calculateGateCap(this.widthInvN, tech);
      this.capTgGateP = calculateGateCap(this.widthInvP, tech);
      this.capTgDrain = cap.capOutput;
    }
    if (newWidth && option === "NONE") {
      this.width = newWidth;
      this.height = this.area / this.width;
    } else if (newHeight && option === "NONE") {
      this.height = newHeight;
      this.width = this.area / this.height;
    } else {
      throw new Error("[Buffer] Error: No width assigned for the buffer circuit"); // NeuroSim exits
    }
    this.modifyLayout(newHeight, newWidth, option);
  }

  /**
   * Whole-buffer read/write times, then per-line averages scaled by the number of line accesses.
   * numAccessBitRead / numAccessBitWrite are accepted for NeuroSim's signature but unused, as there.
   */
  // NeuroSim V2.1 Buffer.cpp, CalculateLatency
  calculateLatency(_numAccessBitRead: number, numRead: number, _numAccessBitWrite: number, numWrite: number): void {
    if (!this.initialized) return;
    const { tech, param, temperature } = this.ctx;
    const lines = this.numBit / this.interfaceWidth;
    this.readLatency = 0;
    this.writeLatency = 0;
    this.readWholeLatency = 0;
    this.writeWholeLatency = 0;
    if (this.SRAM) {
      const fs = tech.featureSize;
      this.wlDecoder.calculateLatency(1e20, (this.lengthRow * 0.2e-15) / 1e-6, 0, lines, lines);
      this.precharger.calculateLatency(1e20, (this.lengthCol * 0.2e-15) / 1e-6, lines, lines);
      this.sramWriteDriver.calculateLatency(1e20, (this.lengthCol * 0.2e-15) / 1e-6, this.lengthCol * this.unitWireRes, lines);
      // Bit-line discharge through the access and pull-down transistors plus the distributed wire.
      const resCellAccess = calculateOnResistance(param.widthAccessCMOS * fs, "NMOS", temperature, tech);
      const capCellAccess = calculateDrainCap(param.widthAccessCMOS * fs, "NMOS", param.widthInFeatureSizeSRAM * fs, tech);
      const resPullDown = calculateOnResistance(param.widthSRAMCellNMOS * fs, "NMOS", temperature, tech);
      let tau =
        (resCellAccess + resPullDown) * (capCellAccess + (this.lengthCol * 0.2e-15) / 1e-6) +
        (this.lengthCol * this.unitWireRes * ((this.lengthCol * 0.2e-15) / 1e-6)) / 2;
      tau *= Math.log(tech.vdd / (tech.vdd - param.minSenseVoltage / 2));
      const gm = calculateTransconductance(param.widthAccessCMOS * fs, "NMOS", tech);
      const beta = 1 / (resPullDown * gm);
      this.colDelay = horowitz(tau, beta, this.wlDecoder.rampOutput).delay * lines;
      this.readWholeLatency += this.wlDecoder.readLatency + this.precharger.readLatency + this.colDelay;
      this.writeWholeLatency += this.wlDecoder.writeLatency + this.precharger.writeLatency + this.sramWriteDriver.writeLatency;
    } else {
      this.wlDecoder.calculateLatency(1e20, (this.wDff * this.interfaceWidth * 0.2e-15) / 1e-6, 0, lines, lines);
      this.readWholeLatency += this.wlDecoder.readLatency;
      // A DFF is read or written in half a clock cycle.
      this.readWholeLatency += (1 / this.clkFreq / 2) * lines;
      this.writeWholeLatency += this.wlDecoder.writeLatency + (1 / this.clkFreq / 2) * lines;
    }
    this.avgBitReadLatency = this.readWholeLatency / this.numLinesInt;
    this.avgBitWriteLatency = this.writeWholeLatency / this.numLinesInt;
    this.readLatency = this.avgBitReadLatency * numRead;
    this.writeLatency = this.avgBitWriteLatency * numWrite;
  }

  // NeuroSim V2.1 Buffer.cpp, CalculatePower
  calculatePower(numAccessBitRead: number, numRead: number, numAccessBitWrite: number, numWrite: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const vdd = tech.vdd;
    const numBit = this.numBit;
    const lines = this.numLinesInt;
    this.readDynamicEnergy = 0;
    this.writeDynamicEnergy = 0;
    this.leakage = 0;
    this.readWholeDynamicEnergy = 0;
    this.writeWholeDynamicEnergy = 0;
    if (this.SRAM) {
      this.wlDecoder.calculatePower(lines, lines);
      this.precharger.calculatePower(lines, lines);
      this.sramWriteDriver.calculatePower(lines);
      this.readWholeDynamicEnergy +=
        this.wlDecoder.readDynamicEnergy + this.precharger.readDynamicEnergy + this.sramWriteDriver.readDynamicEnergy;
      this.writeWholeDynamicEnergy +=
        this.wlDecoder.writeDynamicEnergy + this.precharger.writeDynamicEnergy + this.sramWriteDriver.writeDynamicEnergy;
      // NeuroSim also adds the leakage of a sense amp it never initialises (0).
      this.leakage += this.wlDecoder.leakage + this.precharger.leakage + this.sramWriteDriver.leakage + 0;
    } else {
      this.dffDynamicEnergy = 0;
      this.wlDecoder.calculatePower(lines, lines);
      // Input D = 1; clock inverters and clock transmission gates toggle in every DFF each cycle.
      this.dffDynamicEnergy += (this.capInvInput + this.capInvOutput) * vdd * vdd * 4 * numBit;
      this.dffDynamicEnergy += this.capTgGateN * vdd * vdd * 2 * numBit;
      this.dffDynamicEnergy += this.capTgGateP * vdd * vdd * 2 * numBit;
      // D-to-Q path.
      this.dffDynamicEnergy += (this.capTgDrain * 3 + this.capInvInput) * vdd * vdd * numBit;
      this.dffDynamicEnergy += (this.capTgDrain + this.capInvOutput) * vdd * vdd * numBit;
      this.dffDynamicEnergy += (this.capInvInput + this.capInvOutput) * vdd * vdd * numBit;
      this.readWholeDynamicEnergy += this.wlDecoder.readDynamicEnergy + this.dffDynamicEnergy;
      this.writeWholeDynamicEnergy += this.wlDecoder.writeDynamicEnergy + this.dffDynamicEnergy;
      this.leakage += calculateGateLeakage("INV", 1, this.widthInvN, this.widthInvP, temperature, tech) * vdd * 8 * numBit;
      this.leakage += this.wlDecoder.leakage;
    }
    this.avgBitReadDynamicEnergy = this.readWholeDynamicEnergy / numBit;
    this.avgBitWriteDynamicEnergy = this.writeWholeDynamicEnergy / numBit;
    this.readDynamicEnergy = this.avgBitReadDynamicEnergy * numAccessBitRead * numRead;
    this.writeDynamicEnergy = this.avgBitWriteDynamicEnergy * numAccessBitWrite * numWrite;
  }
}
