// NeuroSim V2.1 WeightGradientUnit.cpp: the separate SRAM compute-in-memory block that computes weight gradients
// in training. Activations are written into SRAM sub-arrays (numBitInput columns per activation), output
// gradients drive the rows bit-serially, and the column sums are digitised (MLSA or SAR ADC in parallel mode,
// per-column sense amps + adders in sequential mode) and summed across sub-arrays by an adder tree.
import { Adder } from "./adder.js";
import { AdderTree } from "./adder-tree.js";
import { DFF } from "./dff.js";
import { cMax, FunctionUnit, intDiv, toInt } from "./function-unit.js";
import {
  calculateDrainCap,
  calculateGateCap,
  calculateGateLeakage,
  calculateOnResistance,
  calculateTransconductance,
  horowitz,
  ROW_MODE,
} from "./gates.js";
import { MultilevelSAEncoder } from "./multilevel-sa-encoder.js";
import { MultilevelSenseAmp } from "./multilevel-sense-amp.js";
import { Mux } from "./mux.js";
import type { CircuitContext } from "./params.js";
import { Precharger } from "./precharger.js";
import { RowDecoder } from "./row-decoder.js";
import { SarADC } from "./sar-adc.js";
import { SenseAmp } from "./sense-amp.js";
import { ShiftAdd, type SpikingMode } from "./shift-add.js";
import { SRAMWriteDriver } from "./sram-write-driver.js";
import { SwitchMatrix } from "./switch-matrix.js";

// NeuroSim V2.1 WeightGradientUnit.cpp
export class WeightGradientUnit extends FunctionUnit {
  initialized = false;
  /** Rows / columns of one WG sub-array (numRowSubArrayWG × numColSubArrayWG). */
  numRow = 0;
  numCol = 0;
  /** Memory needed by the layer with the largest input map: output positions × (input channels · numBitInput). */
  numMemRow = 0;
  numMemCol = 0;
  numArrayInRow = 0;
  numArrayInCol = 0;
  /** Bits of one weight-gradient partial sum leaving the unit (ADC bits + input bits + adder-tree stages). */
  outPrecision = 0;

  unitWireRes = 0;
  lengthRow = 0;
  lengthCol = 0;
  capRow1 = 0;
  capRow2 = 0;
  capCol = 0;
  resRow = 0;
  resCol = 0;
  resCellAccess = 0;
  capCellAccess = 0;
  colDelay = 0;
  capSRAMCell = 0;
  heightArray = 0;
  widthArray = 0;
  areaArray = 0;
  areaSubArray = 0;
  readDynamicEnergyArray = 0;
  writeDynamicEnergyArray = 0;
  /** Declared but never assigned by NeuroSim. */
  writeLatencyArray = 0;
  readLatencyPeak = 0;
  writeLatencyPeak = 0;
  readDynamicEnergyPeak = 0;
  writeDynamicEnergyPeak = 0;
  /** Never assigned in NeuroSim (an uninitialised member); a real run reads 0, i.e. NONSPIKING. */
  spikingMode: SpikingMode = "NONSPIKING";

  readonly wlDecoder: RowDecoder;
  readonly wlSwitchMatrix: SwitchMatrix;
  readonly mux: Mux;
  readonly muxDecoder: RowDecoder;
  readonly precharger: Precharger;
  readonly senseAmp: SenseAmp;
  readonly sramWriteDriver: SRAMWriteDriver;
  readonly dff: DFF;
  readonly adder: Adder;
  readonly multilevelSenseAmp: MultilevelSenseAmp;
  readonly multilevelSAEncoder: MultilevelSAEncoder;
  readonly shiftAdd: ShiftAdd;
  readonly accumulation: AdderTree;
  /** Declared by NeuroSim but never used. */
  readonly bufferInput: DFF;
  readonly bufferOutput: DFF;
  readonly sarADC: SarADC;

  constructor(ctx: CircuitContext) {
    super(ctx);
    this.wlDecoder = new RowDecoder(ctx);
    this.wlSwitchMatrix = new SwitchMatrix(ctx);
    this.mux = new Mux(ctx);
    this.muxDecoder = new RowDecoder(ctx);
    this.precharger = new Precharger(ctx);
    this.senseAmp = new SenseAmp(ctx);
    this.sramWriteDriver = new SRAMWriteDriver(ctx);
    this.dff = new DFF(ctx);
    this.adder = new Adder(ctx);
    this.multilevelSenseAmp = new MultilevelSenseAmp(ctx);
    this.multilevelSAEncoder = new MultilevelSAEncoder(ctx);
    this.shiftAdd = new ShiftAdd(ctx);
    this.accumulation = new AdderTree(ctx);
    this.bufferInput = new DFF(ctx);
    this.bufferOutput = new DFF(ctx);
    this.sarADC = new SarADC(ctx);
  }

  // NeuroSim V2.1 WeightGradientUnit.cpp, Initialize
  initialize(numMemRow: number, numMemCol: number): void {
    const { tech, param: p, temperature } = this.ctx;
    const fs = tech.featureSize;
    this.numMemRow = toInt(numMemRow);
    this.numMemCol = toInt(numMemCol);
    this.numRow = p.numRowSubArrayWG;
    this.numCol = p.numColSubArrayWG;
    this.unitWireRes = p.unitLengthWireResistance;

    // Whole sub-arrays only (integer division): memory beyond a multiple of the sub-array size is dropped.
    this.numArrayInRow = intDiv(this.numMemRow, this.numRow);
    this.numArrayInCol = intDiv(this.numMemCol, this.numCol);
    if (this.numArrayInRow === 0) {
      // NeuroSim's adder tree then has 0 inputs: its stage count ceil(log2(0)) becomes INT_MIN and the stage loops run
      // ~2^32 times (a C++ run spins in AdderTree::CalculateLatency), so there is no NeuroSim result to reproduce.
      throw new RangeError(
        `[WeightGradientUnit] ${this.numMemRow} output positions < numRowSubArrayWG ${this.numRow}: NeuroSim V2.1 hangs here`,
      );
    }

    this.lengthRow = this.numCol * p.widthInFeatureSizeSRAM * fs;
    this.lengthCol = this.numRow * p.heightInFeatureSizeSRAM * fs;
    // 0.2 fF/µm wire capacitance.
    this.capRow1 = (this.lengthRow * 0.2e-15) / 1e-6;
    this.capRow2 = (this.lengthRow * 0.2e-15) / 1e-6;
    this.capCol = (this.lengthCol * 0.2e-15) / 1e-6;
    this.resRow = this.lengthRow * this.unitWireRes;
    this.resCol = this.lengthCol * this.unitWireRes;

    // Activations are stored in the SRAM, one bit per column: numBitInput columns per value.
    const numColPerSynapse = p.numBitInput;
    // The Param SRAM transistor widths are used directly (not the cell record).
    this.resCellAccess = calculateOnResistance(p.widthAccessCMOS * fs, "NMOS", temperature, tech);
    this.capCellAccess = calculateDrainCap(p.widthAccessCMOS * fs, "NMOS", p.widthInFeatureSizeSRAM * fs, tech);
    this.capSRAMCell =
      this.capCellAccess +
      calculateDrainCap(p.widthSRAMCellNMOS * fs, "NMOS", p.widthInFeatureSizeSRAM * fs, tech) +
      calculateDrainCap(p.widthSRAMCellPMOS * fs, "PMOS", p.widthInFeatureSizeSRAM * fs, tech) +
      calculateGateCap(p.widthSRAMCellNMOS * fs, tech) +
      calculateGateCap(p.widthSRAMCellPMOS * fs, tech);

    const numRow = this.numRow;
    const numCol = this.numCol;
    if (!p.parallelBP) {
      // Row-by-row read: decoder, one sense amp per column, adders accumulate the rows digitally.
      this.wlDecoder.initialize("REGULAR_ROW", toInt(Math.ceil(Math.log2(numRow))), false, false);
      this.senseAmp.initialize(numCol, false, p.minSenseVoltage, this.lengthRow / numCol, p.clkFreq, numCol);
      const adderBit = toInt(Math.ceil(Math.log2(numRow))) + 1;
      const numAdder = intDiv(numCol, numColPerSynapse);
      this.dff.initialize((adderBit + 1) * numAdder, p.clkFreq);
      this.adder.initialize(adderBit, numAdder);
      if (p.numBitInput > 1) {
        this.shiftAdd.initialize(numAdder, adderBit + p.numBitInput + 1, p.clkFreq, this.spikingMode, p.numBitInput);
      }
      this.accumulation.initialize(
        this.numArrayInRow,
        toInt(Math.log2(numRow) + p.numBitInput + 1),
        toInt(Math.ceil((this.numArrayInCol * numCol) / p.numRowMuxedWG)),
      );
      this.outPrecision = toInt(Math.log2(numRow) + p.numBitInput + this.accumulation.numStage);
    } else {
      // All rows at once: WL switch matrix, numRowMuxedWG columns share one ADC through a mux.
      const numAdc = intDiv(numCol, p.numRowMuxedWG);
      // Activities here are whatever the caller set before Initialize (0 in NeuroSim's chip flow).
      this.wlSwitchMatrix.initialize(
        ROW_MODE,
        numRow,
        this.resCellAccess,
        true,
        false,
        p.activityRowReadWG,
        p.activityColWriteWG,
        numCol,
        numCol,
        1,
        p.clkFreq,
      );
      this.mux.initialize(numAdc, p.numRowMuxedWG, this.resCellAccess, false);
      this.muxDecoder.initialize("REGULAR_ROW", toInt(Math.ceil(Math.log2(p.numRowMuxedWG))), true, false);
      if (p.sarADC) {
        this.sarADC.initialize(numAdc, p.levelOutputWG, p.clkFreq, numCol);
      } else {
        this.multilevelSenseAmp.initialize(numAdc, p.levelOutputWG, p.clkFreq, numCol, true, p.currentMode);
        this.multilevelSAEncoder.initialize(p.levelOutputWG, numAdc);
      }
      if (p.numBitInput > 1) {
        this.shiftAdd.initialize(numAdc, toInt(Math.log2(p.levelOutputWG) + p.numBitInput + 1), p.clkFreq, this.spikingMode, p.numBitInput);
      }
      this.accumulation.initialize(
        this.numArrayInRow,
        toInt(Math.log2(p.levelOutputWG) + p.numBitInput + 1),
        toInt(Math.ceil((this.numArrayInCol * numCol) / p.numRowMuxedWG)),
      );
      this.outPrecision = toInt(Math.log2(p.levelOutputWG) + p.numBitInput + this.accumulation.numStage);
    }
    // Both keep the write activity given here for their write energy (so 0 in NeuroSim's chip flow).
    this.precharger.initialize(numCol, this.resCol, p.activityColWriteWG, numCol, numCol);
    this.sramWriteDriver.initialize(numCol, p.activityColWriteWG, numCol);
    this.initialized = true;
  }

  // NeuroSim V2.1 WeightGradientUnit.cpp, CalculateArea
  calculateArea(): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    const p = this.ctx.param;
    this.area = 0;
    this.areaSubArray = 0;
    this.heightArray = this.lengthCol;
    this.widthArray = this.lengthRow;
    this.areaArray = this.heightArray * this.widthArray;

    this.precharger.calculateArea(0, this.widthArray, "NONE");
    this.sramWriteDriver.calculateArea(0, this.widthArray, "NONE");
    if (!p.parallelBP) {
      this.wlDecoder.calculateArea(this.heightArray, 0, "NONE");
      this.senseAmp.calculateArea(0, this.widthArray, "MAGIC");
      this.adder.calculateArea(0, this.widthArray, "NONE");
      this.dff.calculateArea(0, this.widthArray, "NONE");
      if (p.numBitInput > 1) this.shiftAdd.calculateArea(0, this.widthArray, "NONE");
      this.areaSubArray =
        this.areaArray +
        this.wlDecoder.area +
        this.precharger.area +
        this.sramWriteDriver.area +
        this.senseAmp.area +
        this.adder.area +
        this.dff.area +
        this.shiftAdd.area;
    } else {
      this.wlSwitchMatrix.calculateArea(this.heightArray, 0, "NONE");
      // The mux is stretched to the decoder's height when that is taller.
      this.mux.calculateArea(0, this.widthArray, "NONE");
      this.muxDecoder.calculateArea(0, 0, "NONE");
      const minMuxHeight = cMax(this.muxDecoder.height, this.mux.height);
      this.mux.calculateArea(minMuxHeight, this.widthArray, "OVERRIDE");
      if (p.sarADC) {
        this.sarADC.calculateUnitArea();
        this.sarADC.calculateArea(0, this.widthArray, "NONE");
      } else {
        this.multilevelSenseAmp.calculateArea(0, this.widthArray, "NONE");
        this.multilevelSAEncoder.calculateArea(0, this.widthArray, "NONE");
      }
      if (p.numBitInput > 1) this.shiftAdd.calculateArea(0, this.widthArray, "NONE");
      this.areaSubArray =
        this.areaArray +
        this.wlSwitchMatrix.area +
        this.precharger.area +
        this.sramWriteDriver.area +
        this.multilevelSenseAmp.area +
        this.multilevelSAEncoder.area +
        this.shiftAdd.area +
        this.mux.area +
        this.muxDecoder.area +
        this.sarADC.area;
    }
    // The adder tree is laid out against a square sub-array footprint.
    this.accumulation.calculateArea(0, Math.sqrt(this.areaSubArray), "NONE");
    this.area = this.areaSubArray * (this.numArrayInRow * this.numArrayInCol) + this.accumulation.area;
  }

  /** Each column sees ceil(numRowSubArrayWG · activity) conducting cells in parallel (an average trace). */
  private columnResistances(): number[] {
    const p = this.ctx.param;
    const totalWireResistance = this.resCellAccess + p.wireResistanceCol;
    const columnG = (1.0 / totalWireResistance) * Math.ceil(p.numRowSubArrayWG * p.activityRowReadWG);
    return new Array<number>(this.numCol).fill(1 / columnG);
  }

  /** RC of the bit line discharged through the access and pull-down transistors, to half the sense margin. */
  private readTau(): { tau: number; beta: number } {
    const { tech, param: p, temperature } = this.ctx;
    const fs = tech.featureSize;
    const resPullDown = calculateOnResistance(p.widthSRAMCellNMOS * fs, "NMOS", temperature, tech);
    let tau = (this.resCellAccess + resPullDown) * (this.capCellAccess + this.capCol) + (this.resCol * this.capCol) / 2;
    tau *= Math.log(tech.vdd / (tech.vdd - p.minSenseVoltage / 2));
    const gm = calculateTransconductance(p.widthAccessCMOS * fs, "NMOS", tech);
    return { tau, beta: 1 / (resPullDown * gm) };
  }

  /** Flipping one SRAM cell: average of its pull-up and pull-down inverters driving the cell's own capacitance. */
  private cellFlipDelay(): number {
    const { tech, param: p, temperature } = this.ctx;
    const fs = tech.featureSize;
    const resPull =
      (calculateOnResistance(p.widthSRAMCellNMOS * fs, "NMOS", temperature, tech) +
        calculateOnResistance(p.widthSRAMCellPMOS * fs, "PMOS", temperature, tech)) /
      2;
    const tau = resPull * this.capSRAMCell;
    const gm =
      (calculateTransconductance(p.widthSRAMCellNMOS * fs, "NMOS", tech) +
        calculateTransconductance(p.widthSRAMCellPMOS * fs, "PMOS", tech)) /
      2;
    return horowitz(tau, 1 / (resPull * gm), 1e20).delay;
  }

  // NeuroSim V2.1 WeightGradientUnit.cpp, CalculateLatency (numBitDataLoad is accepted but unused, as in NeuroSim)
  calculateLatency(numRead: number, _numBitDataLoad: number): void {
    if (!this.initialized) return;
    const p = this.ctx.param;
    numRead = toInt(numRead);
    const numRow = this.numRow;
    this.readLatency = 0;
    this.writeLatency = 0;

    if (!p.parallelBP) {
      // Each active row is read once per input bit.
      const numReadRows = numRow * p.activityRowReadWG * p.numBitInput;
      const numWriteRows = numRow * p.activityRowWriteWG;
      this.wlDecoder.calculateLatency(1e20, this.capRow1, 0, numReadRows, numWriteRows);
      this.precharger.calculateLatency(1e20, this.capCol, numReadRows, numWriteRows);
      this.sramWriteDriver.calculateLatency(1e20, this.capCol, this.resCol, numWriteRows);
      this.senseAmp.calculateLatency(numReadRows);
      this.dff.calculateLatency(1e20, numReadRows);
      this.adder.calculateLatency(1e20, this.dff.capTgDrain, numReadRows);
      if (p.numBitInput > 1) this.shiftAdd.calculateLatency(p.numBitInput);
      this.accumulation.calculateLatency(1, this.numArrayInRow, 0);

      const { tau, beta } = this.readTau();
      this.colDelay = horowitz(tau, beta, this.wlDecoder.rampOutput).delay * numRow * p.numBitInput * p.activityRowReadWG;

      this.readLatency += this.wlDecoder.readLatency;
      this.readLatency += this.precharger.readLatency;
      this.readLatency += this.colDelay;
      this.readLatency += this.senseAmp.readLatency;
      this.readLatency += this.adder.readLatency;
      this.readLatency += this.dff.readLatency;
      this.readLatency += this.shiftAdd.readLatency;
      this.readLatency += this.accumulation.readLatency;

      this.writeLatency += this.cellFlipDelay() * numRow * p.activityRowWriteWG;
      this.writeLatency += this.wlDecoder.writeLatency;
      this.writeLatency += this.precharger.writeLatency;
      this.writeLatency += this.sramWriteDriver.writeLatency;
    } else {
      const columnResistance = this.columnResistances();
      // numRowMuxedWG mux phases per input bit.
      const numReadCycles = p.numRowMuxedWG * p.numBitInput;
      const numMuxIn = intDiv(this.numCol, p.numRowMuxedWG);
      this.wlSwitchMatrix.calculateLatency(1e20, this.capRow1, this.resRow, numReadCycles, 2 * numRow * p.activityRowWriteWG);
      this.precharger.calculateLatency(1e20, this.capCol, numReadCycles, numRow * p.activityRowWriteWG);
      this.sramWriteDriver.calculateLatency(1e20, this.capCol, this.resCol, numRow * p.activityRowWriteWG);
      this.mux.calculateLatency(0, 0, numReadCycles);
      this.muxDecoder.calculateLatency(1e20, this.mux.capTgGateN * numMuxIn, this.mux.capTgGateP * numMuxIn, numReadCycles, 0);
      if (p.sarADC) {
        this.sarADC.calculateLatency(numReadCycles);
      } else {
        this.multilevelSenseAmp.calculateLatency(columnResistance, numReadCycles, 1);
        this.multilevelSAEncoder.calculateLatency(1e20, numReadCycles);
      }
      if (p.numBitInput > 1) this.shiftAdd.calculateLatency(numReadCycles);
      // NeuroSim passes the forward arrays' numColMuxed here, not numRowMuxedWG.
      this.accumulation.calculateLatency(p.numColMuxed, this.numArrayInRow, 0);

      const { tau, beta } = this.readTau();
      this.colDelay = horowitz(tau, beta, 1e20).delay * p.numBitInput;

      this.readLatency = 0;
      this.readLatency += cMax(this.wlSwitchMatrix.readLatency, this.mux.readLatency + this.muxDecoder.readLatency);
      this.readLatency += this.precharger.readLatency;
      this.readLatency += this.colDelay;
      this.readLatency += this.multilevelSenseAmp.readLatency;
      this.readLatency += this.multilevelSAEncoder.readLatency;
      this.readLatency += this.shiftAdd.readLatency;
      this.readLatency += this.accumulation.readLatency;
      this.readLatency += this.sarADC.readLatency;

      this.writeLatency += this.cellFlipDelay() * numRow * p.activityRowWriteWG;
      this.writeLatency += this.wlSwitchMatrix.writeLatency;
      this.writeLatency += this.precharger.writeLatency;
      this.writeLatency += this.sramWriteDriver.writeLatency;
    }

    // One pass per output channel (numRead); the write (loading activations) is counted once.
    this.readLatency *= numRead;
    this.readLatencyPeak = this.readLatency;
    this.writeLatencyPeak = this.writeLatency;
  }

  // NeuroSim V2.1 WeightGradientUnit.cpp, CalculatePower (numBitDataLoad is accepted but unused, as in NeuroSim)
  calculatePower(numRead: number, _numBitDataLoad: number): void {
    if (!this.initialized) return;
    const { tech, param: p, temperature } = this.ctx;
    const fs = tech.featureSize;
    numRead = toInt(numRead);
    const numRow = this.numRow;
    const numCol = this.numCol;
    this.readDynamicEnergy = 0;
    this.writeDynamicEnergy = 0;
    this.readDynamicEnergyArray = 0;

    // Array leakage: two inverters per SRAM cell.
    this.leakage = 0;
    this.leakage += calculateGateLeakage("INV", 1, p.widthSRAMCellNMOS * fs, p.widthSRAMCellPMOS * fs, temperature, tech) * tech.vdd * 2;
    this.leakage *= numRow * numCol;

    if (!p.parallelBP) {
      const numReadRows = numRow * p.activityRowReadWG * p.numBitInput;
      const numWriteRows = numRow * p.activityRowWriteWG;
      this.wlDecoder.calculatePower(numReadRows, numWriteRows);
      this.precharger.calculatePower(numReadRows, numWriteRows);
      this.sramWriteDriver.calculatePower(numWriteRows);
      this.adder.calculatePower(numReadRows, numCol);
      this.dff.calculatePower(numReadRows, numCol * (this.adder.numBit + 1));
      this.senseAmp.calculatePower(numReadRows);
      if (p.numBitInput > 1) this.shiftAdd.calculatePower(numReadRows);
      // Reading only discharges bit lines (counted in the precharger); writing flips Q and Q-bar.
      this.readDynamicEnergyArray = 0;
      this.writeDynamicEnergyArray =
        this.capSRAMCell * tech.vdd * tech.vdd * 2 * numCol * p.activityColWriteWG * numRow * p.activityRowWriteWG;

      this.readDynamicEnergy += this.wlDecoder.readDynamicEnergy;
      this.readDynamicEnergy += this.precharger.readDynamicEnergy;
      this.readDynamicEnergy += this.readDynamicEnergyArray;
      this.readDynamicEnergy += this.adder.readDynamicEnergy;
      this.readDynamicEnergy += this.dff.readDynamicEnergy;
      this.readDynamicEnergy += this.senseAmp.readDynamicEnergy;
      this.readDynamicEnergy += this.shiftAdd.readDynamicEnergy;

      this.writeDynamicEnergy += this.wlDecoder.writeDynamicEnergy;
      this.writeDynamicEnergy += this.precharger.writeDynamicEnergy;
      this.writeDynamicEnergy += this.sramWriteDriver.writeDynamicEnergy;
      this.writeDynamicEnergy += this.writeDynamicEnergyArray;

      this.leakage += this.wlDecoder.leakage;
      this.leakage += this.wlSwitchMatrix.leakage; // never computed in this mode (0)
      this.leakage += this.precharger.leakage;
      this.leakage += this.sramWriteDriver.leakage;
      this.leakage += this.senseAmp.leakage;
      this.leakage += this.dff.leakage;
      this.leakage += this.adder.leakage;
      this.leakage += this.shiftAdd.leakage;
    } else {
      const columnResistance = this.columnResistances();
      const numReadCycles = p.numRowMuxedWG * p.numBitInput;
      this.wlSwitchMatrix.calculatePower(numReadCycles, 2 * numRow * p.activityRowWriteWG, p.activityRowReadWG, p.activityColWriteWG);
      this.precharger.calculatePower(numReadCycles, numRow * p.activityRowWriteWG);
      this.sramWriteDriver.calculatePower(numRow * p.activityRowWriteWG);
      this.mux.calculatePower(numReadCycles);
      this.muxDecoder.calculatePower(numReadCycles, 1);
      if (p.sarADC) {
        this.sarADC.calculatePower(columnResistance, numReadCycles);
      } else {
        this.multilevelSenseAmp.calculatePower(columnResistance, numReadCycles);
        this.multilevelSAEncoder.calculatePower(numReadCycles);
      }
      if (p.numBitInput > 1) this.shiftAdd.calculatePower(numReadCycles);
      this.readDynamicEnergyArray = 0;
      this.writeDynamicEnergyArray =
        this.capSRAMCell * tech.vdd * tech.vdd * 2 * numCol * p.activityColWriteWG * numRow * p.activityRowWriteWG;

      this.readDynamicEnergy += this.wlSwitchMatrix.readDynamicEnergy;
      this.readDynamicEnergy += this.precharger.readDynamicEnergy;
      this.readDynamicEnergy += this.readDynamicEnergyArray;
      this.readDynamicEnergy += this.multilevelSenseAmp.readDynamicEnergy;
      this.readDynamicEnergy += this.multilevelSAEncoder.readDynamicEnergy;
      this.readDynamicEnergy += this.mux.readDynamicEnergy;
      this.readDynamicEnergy += this.muxDecoder.readDynamicEnergy;
      this.readDynamicEnergy += this.shiftAdd.readDynamicEnergy;
      this.readDynamicEnergy += this.sarADC.readDynamicEnergy;

      this.writeDynamicEnergy += this.wlSwitchMatrix.writeDynamicEnergy;
      this.writeDynamicEnergy += this.precharger.writeDynamicEnergy;
      this.writeDynamicEnergy += this.sramWriteDriver.writeDynamicEnergy;
      this.writeDynamicEnergy += this.writeDynamicEnergyArray;

      // NeuroSim leaves out the mux, mux decoder and SAR ADC leakage here.
      this.leakage += this.wlSwitchMatrix.leakage;
      this.leakage += this.precharger.leakage;
      this.leakage += this.sramWriteDriver.leakage;
      this.leakage += this.multilevelSenseAmp.leakage;
      this.leakage += this.multilevelSAEncoder.leakage;
      this.leakage += this.shiftAdd.leakage;
    }
    this.accumulation.calculatePower(numRead, this.numArrayInRow);

    const numArray = this.numArrayInRow * this.numArrayInCol;
    this.readDynamicEnergyPeak = this.readDynamicEnergy * numArray * numRead + this.accumulation.readDynamicEnergy;
    this.writeDynamicEnergyPeak = this.writeDynamicEnergy * numArray;
    // NeuroSim multiplies by the integer product here (not left to right as for the peak), kept for bit-equality.
    this.readDynamicEnergy *= numArray * numRead;
    this.readDynamicEnergy += this.accumulation.readDynamicEnergy;
    this.writeDynamicEnergy *= numArray;
    this.leakage *= numArray;
  }
}
