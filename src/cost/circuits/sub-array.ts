// NeuroSim V2.1 SubArray.cpp / SubArray.h: one memory array (SRAM, RRAM or FeFET; 1T1R or crossbar) with
// its periphery for the conventional sequential (row-by-row) and parallel (all rows at once) read modes,
// plus, in training mode, the transposed ("BP") periphery that reads the array column-wise for the
// activation gradient. BNN/XNOR modes are not ported.
import { Adder } from "./adder.js";
import { DecoderDriver } from "./decoder-driver.js";
import { DFF } from "./dff.js";
import { cMax, FunctionUnit, intDiv, toInt } from "./function-unit.js";
import {
  COL_MODE,
  calculateDrainCap,
  calculateGateCap,
  calculateGateLeakage,
  calculateOnResistance,
  calculateTransconductance,
  horowitz,
  MAX_TRANSISTOR_HEIGHT,
  MIN_GAP_BET_GATE_POLY,
  POLY_WIDTH,
  ROW_MODE,
} from "./gates.js";
import { MultilevelSAEncoder } from "./multilevel-sa-encoder.js";
import { type ColumnResistances, MultilevelSenseAmp } from "./multilevel-sense-amp.js";
import { Mux } from "./mux.js";
import { NewSwitchMatrix } from "./new-switch-matrix.js";
import { type CircuitContext, initializeCellForSubArray } from "./params.js";
import { Precharger } from "./precharger.js";
import { RowDecoder } from "./row-decoder.js";
import { SarADC } from "./sar-adc.js";
import { SenseAmp } from "./sense-amp.js";
import { ShiftAdd, type SpikingMode } from "./shift-add.js";
import { SRAMWriteDriver } from "./sram-write-driver.js";
import { SwitchMatrix } from "./switch-matrix.js";
import { WLNewDecoderDriver } from "./wl-new-decoder-driver.js";

export type { ColumnResistances };

/** Wire capacitance per metre of row or column (0.2 fF/µm), as NeuroSim assumes. */
const WIRE_CAP_PER_M = 0.2e-15 / 1e-6;

/** NeuroSim's `(numX > 1) ? (a + b) : 0` for a mux that only exists when something is multiplexed. */
function ifMuxed(n: number, value: number): number {
  return n > 1 ? value : 0;
}

/**
 * Truthiness of NeuroSim's int-or-bool mode flags (Param stores operation modes and the relax options as
 * ints, SubArray as bools): callers may assign either.
 */
function on(flag: boolean | number): boolean {
  return Boolean(flag);
}

// NeuroSim V2.1 SubArray.cpp
export class SubArray extends FunctionUnit {
  initialized = false;
  numRow = 0;
  numCol = 0;
  /** Columns sharing one ADC (forward read). */
  numColMuxed = 0;
  numWriteColMuxed = 0;
  /** Write pulses of the whole update (sum over rows of the row's max pulses), set by the caller. */
  totalNumWritePulse = 0;
  /** Average write pulses per selected row, set by the caller; captured by the switch matrices at initialize. */
  numWritePulseAVG = 0;
  heightArray = 0;
  widthArray = 0;
  areaArray = 0;
  readDynamicEnergyArray = 0;
  /** Cell-level write energy: set by the caller for RRAM/FeFET, computed here for SRAM. */
  writeDynamicEnergyArray = 0;
  writeLatencyArray = 0;

  /** Row and column lengths, m. */
  lengthRow = 0;
  lengthCol = 0;
  /** Unit wire resistance, Ω/m. */
  unitWireRes = 0;
  /** Row wire capacitance (BL for 1T1R, WL for crossbar and SRAM), F. */
  capRow1 = 0;
  /** Row capacitance including the access-transistor gates (WL for 1T1R), F. */
  capRow2 = 0;
  capCol = 0;
  resRow = 0;
  resCol = 0;
  /** SRAM access transistor on-resistance (Ω) and drain capacitance (F); 0 for RRAM/FeFET. */
  resCellAccess = 0;
  capCellAccess = 0;
  colDelay = 0;

  /** Fraction of rows written in the update, of columns written per written row. */
  activityRowWrite = 0;
  activityColWrite = 0;
  /** Fraction of rows with a non-zero input bit (forward read). */
  activityRowRead = 0;
  /** Fraction of columns driven in the transposed read (NeuroSim fixes it at 0.5). */
  activityBPColRead = 0;
  /** Input bits of the forward read (one read pulse per bit). */
  numReadPulse = 0;
  numWritePulse = 0;
  maxNumWritePulse = 0;
  maxNumIntBit = 0;

  conventionalSequential: boolean | number = false;
  conventionalParallel: boolean | number = false;
  parallelBP = false;
  trainingEstimation = false;
  /** Multilevel sense amp flavour: true current-mode, false voltage-mode. */
  currentMode = false;
  /** true: SAR ADC, false: multilevel sense amp (NeuroSim's SubArray::SARADC). */
  sarADC = false;

  levelOutput = 0;
  numReadPulseBP = 0;
  levelOutputBP = 0;
  numRowMuxedBP = 0;
  /** 0 for the first layer, whose activation gradient is never computed. */
  layerNumber = 0;

  numWriteCellPerOperationFPGA = 0;
  numWriteCellPerOperationMemory = 0;
  numWriteCellPerOperationNeuro = 0;
  clkFreq = 0;
  /** Bits per cell (NeuroSim's avgWeightBit = Param cellBit). */
  avgWeightBit = 0;
  /** Cells (columns) per weight. */
  numCellPerSynapse = 0;
  numReadCellPerOperationFPGA = 0;
  numReadCellPerOperationMemory = 0;
  numReadCellPerOperationNeuro = 0;
  /** Digital mux (never set in DNN+NeuroSim; false). */
  FPGA = false;
  spikingMode: SpikingMode = "NONSPIKING";
  relaxArrayCellHeight: boolean | number = false;
  relaxArrayCellWidth: boolean | number = false;

  /** Breakdown of area, latency and energy into ADC, accumulation and other periphery. */
  areaADC = 0;
  areaAccum = 0;
  areaOther = 0;
  readLatencyADC = 0;
  readLatencyAccum = 0;
  readLatencyOther = 0;
  readDynamicEnergyADC = 0;
  readDynamicEnergyAccum = 0;
  readDynamicEnergyOther = 0;
  /** Transposed (activation-gradient) periphery area and one transposed read. */
  areaAG = 0;
  readLatencyAG = 0;
  readDynamicEnergyAG = 0;

  readonly wlDecoder: RowDecoder;
  readonly wlDecoderDriver: DecoderDriver;
  readonly wlNewDecoderDriver: WLNewDecoderDriver;
  readonly wlSwitchMatrix: SwitchMatrix;
  readonly wlNewSwitchMatrix: NewSwitchMatrix;
  readonly slSwitchMatrix: SwitchMatrix;
  readonly mux: Mux;
  readonly muxDecoder: RowDecoder;
  readonly precharger: Precharger;
  readonly senseAmp: SenseAmp;
  readonly sramWriteDriver: SRAMWriteDriver;
  readonly dff: DFF;
  readonly adder: Adder;
  readonly multilevelSenseAmp: MultilevelSenseAmp;
  readonly multilevelSAEncoder: MultilevelSAEncoder;
  /** NeuroSim's member `sarADC` (renamed: the flag of the same name selects it). */
  readonly sarAdc: SarADC;
  readonly shiftAddInput: ShiftAdd;
  readonly shiftAddWeight: ShiftAdd;
  // Transposed periphery for the activation gradient.
  readonly wlDecoderBP: RowDecoder;
  readonly wlSwitchMatrixBP: SwitchMatrix;
  readonly prechargerBP: Precharger;
  readonly senseAmpBP: SenseAmp;
  readonly sramWriteDriverBP: SRAMWriteDriver;
  readonly muxBP: Mux;
  readonly muxDecoderBP: RowDecoder;
  readonly dffBP: DFF;
  readonly adderBP: Adder;
  readonly multilevelSenseAmpBP: MultilevelSenseAmp;
  readonly multilevelSAEncoderBP: MultilevelSAEncoder;
  readonly sarAdcBP: SarADC;
  readonly shiftAddBPInput: ShiftAdd;
  readonly shiftAddBPWeight: ShiftAdd;

  constructor(ctx: CircuitContext) {
    super(ctx);
    this.wlDecoder = new RowDecoder(ctx);
    this.wlDecoderDriver = new DecoderDriver(ctx);
    this.wlNewDecoderDriver = new WLNewDecoderDriver(ctx);
    this.wlSwitchMatrix = new SwitchMatrix(ctx);
    this.wlNewSwitchMatrix = new NewSwitchMatrix(ctx);
    this.slSwitchMatrix = new SwitchMatrix(ctx);
    this.mux = new Mux(ctx);
    this.muxDecoder = new RowDecoder(ctx);
    this.precharger = new Precharger(ctx);
    this.senseAmp = new SenseAmp(ctx);
    this.sramWriteDriver = new SRAMWriteDriver(ctx);
    this.dff = new DFF(ctx);
    this.adder = new Adder(ctx);
    this.multilevelSenseAmp = new MultilevelSenseAmp(ctx);
    this.multilevelSAEncoder = new MultilevelSAEncoder(ctx);
    this.sarAdc = new SarADC(ctx);
    this.shiftAddInput = new ShiftAdd(ctx);
    this.shiftAddWeight = new ShiftAdd(ctx);
    this.wlDecoderBP = new RowDecoder(ctx);
    this.wlSwitchMatrixBP = new SwitchMatrix(ctx);
    this.prechargerBP = new Precharger(ctx);
    this.senseAmpBP = new SenseAmp(ctx);
    this.sramWriteDriverBP = new SRAMWriteDriver(ctx);
    this.muxBP = new Mux(ctx);
    this.muxDecoderBP = new RowDecoder(ctx);
    this.dffBP = new DFF(ctx);
    this.adderBP = new Adder(ctx);
    this.multilevelSenseAmpBP = new MultilevelSenseAmp(ctx);
    this.multilevelSAEncoderBP = new MultilevelSAEncoder(ctx);
    this.sarAdcBP = new SarADC(ctx);
    this.shiftAddBPInput = new ShiftAdd(ctx);
    this.shiftAddBPWeight = new ShiftAdd(ctx);
  }

  private get isSRAM(): boolean {
    return this.ctx.cell.memCellType === "SRAM";
  }

  private get is1T1R(): boolean {
    return this.ctx.cell.accessType === "CMOS";
  }

  // NeuroSim V2.1 SubArray.cpp, Initialize
  initialize(numRow: number, numCol: number, unitWireRes: number): void {
    const { tech, cell, temperature } = this.ctx;
    const F = tech.featureSize;
    this.numRow = numRow;
    this.numCol = numCol;
    this.unitWireRes = unitWireRes;
    const seq = on(this.conventionalSequential);
    const par = on(this.conventionalParallel);
    if (!seq && !par) throw new Error("SubArray: only conventionalSequential / conventionalParallel are ported");

    // Array dimensions; "relax" widens/heightens cells up to the pitch of the periphery they connect to.
    const minCellHeight = MAX_TRANSISTOR_HEIGHT;
    const minCellWidth = (MIN_GAP_BET_GATE_POLY + POLY_WIDTH) * 2;
    const relaxW = on(this.relaxArrayCellWidth);
    const relaxH = on(this.relaxArrayCellHeight);
    const cellW = cell.widthInFeatureSize;
    const cellH = cell.heightInFeatureSize;
    if (this.isSRAM) {
      this.lengthRow = relaxW ? numCol * cMax(cellW, minCellWidth) * F : numCol * cellW * F;
      this.lengthCol = relaxH ? numRow * cMax(cellH, minCellHeight) * F : numRow * cellH * F;
    } else if (this.is1T1R) {
      // Two pass gates per column in the switch matrix / BL-SL drivers set the minimum 1T1R width.
      this.lengthRow = relaxW ? numCol * cMax(cellW, minCellWidth * 2) * F : numCol * cellW * F;
      this.lengthCol = relaxH ? numRow * cMax(cellH, minCellHeight) * F : numRow * cellH * F;
    } else {
      // Crossbar cells are sized by the wire feature size, not the CMOS node.
      this.lengthRow = relaxW ? numCol * cMax(cellW * cell.featureSize, minCellWidth * 2 * F) : numCol * cellW * cell.featureSize;
      this.lengthCol = relaxH ? numRow * cMax(cellH * cell.featureSize, minCellHeight * F) : numRow * cellH * cell.featureSize;
    }

    this.capRow1 = this.lengthRow * WIRE_CAP_PER_M;
    this.capRow2 = this.lengthRow * WIRE_CAP_PER_M;
    this.capCol = this.lengthCol * WIRE_CAP_PER_M;
    this.resRow = this.lengthRow * unitWireRes;
    this.resCol = this.lengthCol * unitWireRes;

    // Cell-level resistances / SRAM cell capacitance (NeuroSim writes them into the shared cell).
    if (!initializeCellForSubArray(cell, tech, temperature)) {
      throw new Error(
        `Transistor width of 1T1R=${cell.widthAccessCMOS.toFixed(2)}F is larger than the assigned cell width=${cellW.toFixed(2)}F in layout`,
      );
    }
    if (this.isSRAM) {
      this.resCellAccess = calculateOnResistance(cell.widthAccessCMOS * F, "NMOS", temperature, tech);
      this.capCellAccess = calculateDrainCap(cell.widthAccessCMOS * F, "NMOS", cellW * F, tech);
      this.initializeSRAM();
    } else {
      if (this.is1T1R) {
        this.capRow2 += calculateGateCap(cell.widthAccessCMOS * F, tech) * numCol;
        this.capCol += calculateDrainCap(cell.widthAccessCMOS * F, "NMOS", cellW * F, tech) * numRow;
      }
      this.initializeNVM();
    }
    this.initialized = true;
  }

  private initializeSRAM(): void {
    const { cell } = this.ctx;
    const { numRow, numCol, clkFreq, spikingMode, numCellPerSynapse } = this;
    const nRead = this.numReadCellPerOperationNeuro;
    const nWrite = this.numWriteCellPerOperationNeuro;
    const nWriteMem = this.numWriteCellPerOperationMemory;
    if (on(this.conventionalSequential)) {
      this.wlDecoder.initialize("REGULAR_ROW", toInt(Math.ceil(Math.log2(numRow))), false, false);
      this.senseAmp.initialize(numCol, false, cell.minSenseVoltage, this.lengthRow / numCol, clkFreq, nRead);
      const adderBit = toInt(Math.ceil(Math.log2(numRow))) + 1;
      const numAdder = intDiv(numCol, numCellPerSynapse);
      this.dff.initialize((adderBit + 1) * numAdder, clkFreq);
      this.adder.initialize(adderBit, numAdder);
      if (numCellPerSynapse > 1) this.shiftAddWeight.initialize(numAdder, adderBit, clkFreq, spikingMode, numCellPerSynapse);
      if (this.numReadPulse > 1) {
        this.shiftAddInput.initialize(numAdder, adderBit + numCellPerSynapse, clkFreq, spikingMode, this.numReadPulse);
      }
      if (this.trainingEstimation) {
        this.wlDecoderBP.initialize("REGULAR_ROW", toInt(Math.ceil(Math.log2(numCol))), false, false);
        this.senseAmpBP.initialize(numCol, false, cell.minSenseVoltage, this.lengthCol / numRow, clkFreq, nRead);
        this.initializeDigitalBP(toInt(Math.ceil(Math.log2(numCol))) + 1, intDiv(numRow, numCellPerSynapse));
      }
    } else {
      this.wlSwitchMatrix.initialize(
        ROW_MODE,
        numRow,
        this.resRow,
        true,
        false,
        this.activityRowRead,
        this.activityColWrite,
        nWriteMem,
        nWrite,
        1,
        clkFreq,
      );
      const numColMuxed = this.numColMuxed;
      const numAdc = intDiv(numCol, numColMuxed);
      if (numColMuxed > 1) {
        this.mux.initialize(numAdc, numColMuxed, this.resCellAccess / numRow / 2, this.FPGA);
        this.muxDecoder.initialize("REGULAR_ROW", toInt(Math.ceil(Math.log2(numColMuxed))), true, false);
      }
      this.initializeAdc(false, numAdc, this.levelOutput, true);
      this.initializeParallelShiftAdd(false, numAdc, this.levelOutput);
      if (this.trainingEstimation) {
        this.wlSwitchMatrixBP.initialize(
          ROW_MODE,
          numCol,
          this.resCol,
          true,
          false,
          this.activityRowRead,
          this.activityColWrite,
          nWriteMem,
          nWrite,
          1,
          clkFreq,
        );
        if (this.parallelBP) {
          const numRowMuxedBP = this.numRowMuxedBP;
          const numAdcBP = intDiv(numRow, numRowMuxedBP);
          if (numRowMuxedBP > 1) {
            this.muxBP.initialize(numAdcBP, numRowMuxedBP, this.resCellAccess / numCol / 2, this.FPGA);
            this.muxDecoderBP.initialize("REGULAR_ROW", toInt(Math.ceil(Math.log2(numRowMuxedBP))), true, false);
          }
          this.initializeAdc(true, numAdcBP, this.levelOutputBP, true);
          this.initializeParallelShiftAdd(true, numAdcBP, this.levelOutputBP);
        } else {
          this.senseAmpBP.initialize(numCol, false, cell.minSenseVoltage, this.lengthCol / numRow, clkFreq, nRead);
          this.initializeDigitalBP(toInt(Math.ceil(Math.log2(numCol))) + 1, intDiv(numRow, numCellPerSynapse));
        }
      }
    }
    // NeuroSim initializes precharger and write drivers for both directions, whatever the mode.
    this.precharger.initialize(numCol, this.resCol, this.activityColWrite, nRead, nWrite);
    this.sramWriteDriver.initialize(numCol, this.activityColWrite, nWrite);
    this.prechargerBP.initialize(numRow, this.resRow, this.activityColWrite, nRead, nWrite);
    this.sramWriteDriverBP.initialize(numRow, this.activityColWrite, nWrite);
  }

  /** SRAM transposed read with 1-bit sense amps: adder + DFF accumulation (and shift-adds). */
  private initializeDigitalBP(adderBit: number, numAdder: number): void {
    const { clkFreq, spikingMode, numCellPerSynapse } = this;
    this.dffBP.initialize((adderBit + 1) * numAdder, clkFreq);
    this.adderBP.initialize(adderBit, numAdder);
    if (numCellPerSynapse > 1) this.shiftAddBPWeight.initialize(numAdder, adderBit, clkFreq, spikingMode, numCellPerSynapse);
    if (this.numReadPulseBP > 1) {
      this.shiftAddBPInput.initialize(numAdder, adderBit + numCellPerSynapse, clkFreq, spikingMode, this.numReadPulseBP);
    }
  }

  /** SAR ADCs or multilevel sense amps (+ encoders) on numAdc outputs; parallel sets the MLSA references. */
  private initializeAdc(bp: boolean, numAdc: number, levelOutput: number, parallel: boolean): void {
    const sar = bp ? this.sarAdcBP : this.sarAdc;
    const mlsa = bp ? this.multilevelSenseAmpBP : this.multilevelSenseAmp;
    const encoder = bp ? this.multilevelSAEncoderBP : this.multilevelSAEncoder;
    if (this.sarADC) {
      sar.initialize(numAdc, levelOutput, this.clkFreq, this.numReadCellPerOperationNeuro);
    } else {
      mlsa.initialize(numAdc, levelOutput, this.clkFreq, this.numReadCellPerOperationNeuro, parallel, this.currentMode);
      // Sequential reads with 1-bit cells sense a plain bit: no encoder.
      if (parallel || this.avgWeightBit > 1) encoder.initialize(levelOutput, numAdc);
    }
  }

  /** Shift-adds after parallel-read ADCs: across a weight's cells, then across input bits. */
  private initializeParallelShiftAdd(bp: boolean, numAdc: number, levelOutput: number): void {
    const { clkFreq, spikingMode, numCellPerSynapse } = this;
    const weight = bp ? this.shiftAddBPWeight : this.shiftAddWeight;
    const input = bp ? this.shiftAddBPInput : this.shiftAddInput;
    const numReadPulse = bp ? this.numReadPulseBP : this.numReadPulse;
    const numUnit = Math.ceil(numAdc);
    const adcBits = toInt(Math.log2(levelOutput));
    if (numCellPerSynapse > 1) weight.initialize(numUnit, adcBits, clkFreq, spikingMode, numCellPerSynapse);
    if (numReadPulse > 1) {
      input.initialize(numUnit, toInt(Math.log2(levelOutput) + numCellPerSynapse), clkFreq, spikingMode, numReadPulse);
    }
  }

  /** Row-by-row analog read (cellBit-level ADC) followed by adder + DFF accumulation, as the BP path uses. */
  private initializeSequentialAccumulation(bp: boolean, numUnit: number, adderBit: number, numDff: number, numReadPulse: number): void {
    const { clkFreq, spikingMode, numCellPerSynapse } = this;
    const dff = bp ? this.dffBP : this.dff;
    const adder = bp ? this.adderBP : this.adder;
    const weight = bp ? this.shiftAddBPWeight : this.shiftAddWeight;
    const input = bp ? this.shiftAddBPInput : this.shiftAddInput;
    dff.initialize(numDff, clkFreq);
    adder.initialize(adderBit, numUnit);
    if (numCellPerSynapse > 1) weight.initialize(numUnit, adderBit, clkFreq, spikingMode, numCellPerSynapse);
    if (numReadPulse > 1) input.initialize(numUnit, adderBit + numCellPerSynapse, clkFreq, spikingMode, numReadPulse);
  }

  private initializeNVM(): void {
    const { cell } = this.ctx;
    const { numRow, numCol, clkFreq, numColMuxed, numRowMuxedBP, avgWeightBit } = this;
    const nWrite = this.numWriteCellPerOperationNeuro;
    const nWriteMem = this.numWriteCellPerOperationMemory;
    const cellLevels = toInt(2 ** avgWeightBit);
    const numAdcBP = intDiv(numRow, numRowMuxedBP);
    if (on(this.conventionalSequential)) {
      const numAdder = toInt(Math.ceil(intDiv(numCol, numColMuxed)));
      const resTg = cell.resMemCellOn;
      const adderBit = toInt(Math.ceil(Math.log2(numRow))) + avgWeightBit;
      this.wlDecoder.initialize("REGULAR_ROW", toInt(Math.ceil(Math.log2(numRow))), false, false);
      if (this.is1T1R) this.wlNewDecoderDriver.initialize(numRow);
      else this.wlDecoderDriver.initialize(ROW_MODE, numRow, numCol);
      this.slSwitchMatrix.initialize(
        COL_MODE,
        numCol,
        resTg,
        true,
        false,
        this.activityRowRead,
        this.activityColWrite,
        nWriteMem,
        nWrite,
        this.numWritePulseAVG,
        clkFreq,
      );
      if (numColMuxed > 1) {
        this.mux.initialize(numAdder, numColMuxed, resTg, this.FPGA);
        this.muxDecoder.initialize("REGULAR_ROW", toInt(Math.ceil(Math.log2(numColMuxed))), true, false);
      }
      this.initializeAdc(false, intDiv(numCol, numColMuxed), cellLevels, false);
      this.initializeSequentialAccumulation(false, numAdder, adderBit, (adderBit + 1) * numAdder, this.numReadPulse);
      if (this.trainingEstimation) {
        if (numRowMuxedBP > 1) {
          this.muxBP.initialize(Math.ceil(numAdcBP), numRowMuxedBP, resTg, this.FPGA);
          this.muxDecoderBP.initialize("REGULAR_ROW", toInt(Math.ceil(Math.log2(numRowMuxedBP))), true, false);
        }
        this.initializeSequentialBP(numAdcBP, cellLevels);
      }
    } else {
      const resTg = cell.resMemCellOn / numRow;
      if (this.is1T1R) {
        this.wlNewSwitchMatrix.initialize(numRow, this.activityRowRead, clkFreq);
      } else {
        this.wlSwitchMatrix.initialize(
          ROW_MODE,
          numRow,
          (resTg * numRow) / numCol,
          true,
          false,
          this.activityRowRead,
          this.activityColWrite,
          nWriteMem,
          nWrite,
          this.numWritePulseAVG,
          clkFreq,
        );
      }
      this.slSwitchMatrix.initialize(
        COL_MODE,
        numCol,
        resTg * numRow,
        true,
        false,
        this.activityRowRead,
        this.activityColWrite,
        nWriteMem,
        nWrite,
        this.numWritePulseAVG,
        clkFreq,
      );
      const numAdc = intDiv(numCol, numColMuxed);
      if (numColMuxed > 1) {
        this.mux.initialize(Math.ceil(numAdc), numColMuxed, resTg, this.FPGA);
        this.muxDecoder.initialize("REGULAR_ROW", toInt(Math.ceil(Math.log2(numColMuxed))), true, false);
      }
      this.initializeAdc(false, numAdc, this.levelOutput, true);
      this.initializeParallelShiftAdd(false, numAdc, this.levelOutput);
      if (this.trainingEstimation) {
        if (numRowMuxedBP > 1) {
          this.muxBP.initialize(Math.ceil(numAdcBP), numRowMuxedBP, cell.resMemCellOn / numCol, this.FPGA);
          this.muxDecoderBP.initialize("REGULAR_ROW", toInt(Math.ceil(Math.log2(numRowMuxedBP))), true, false);
        }
        if (this.parallelBP) {
          this.initializeAdc(true, numAdcBP, this.levelOutputBP, true);
          this.initializeParallelShiftAdd(true, numAdcBP, this.levelOutputBP);
        } else {
          this.initializeSequentialBP(numAdcBP, cellLevels);
        }
      }
    }
  }

  /** Transposed read one column at a time: cellBit-level ADC, then adder/DFF accumulation over the columns. */
  private initializeSequentialBP(numAdcBP: number, cellLevels: number): void {
    const numUnit = Math.ceil(numAdcBP);
    const adderBit = Math.ceil(Math.log2(this.numCol)) + this.avgWeightBit;
    this.initializeAdc(true, numAdcBP, cellLevels, false);
    this.initializeSequentialAccumulation(true, numUnit, toInt(adderBit), toInt((adderBit + 1) * numUnit), this.numReadPulseBP);
  }

  // NeuroSim V2.1 SubArray.cpp, CalculateArea
  calculateArea(): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    this.area = 0;
    this.usedArea = 0;
    this.heightArray = this.lengthCol;
    this.widthArray = this.lengthRow;
    this.areaArray = this.heightArray * this.widthArray;
    if (this.isSRAM) this.calculateAreaSRAM();
    else this.calculateAreaNVM();
    this.area = this.height * this.width;
    this.emptyArea = this.area - this.usedArea;
  }

  /** Column mux sized to the array width, then stretched to the mux decoder's height. */
  private muxArea(bp: boolean): void {
    const mux = bp ? this.muxBP : this.mux;
    const decoder = bp ? this.muxDecoderBP : this.muxDecoder;
    if (bp) {
      mux.calculateArea(this.heightArray, 0, "NONE");
      decoder.calculateArea(0, 0, "NONE");
      mux.calculateArea(this.heightArray, cMax(decoder.width, mux.width), "OVERRIDE");
    } else {
      mux.calculateArea(0, this.widthArray, "NONE");
      decoder.calculateArea(0, 0, "NONE");
      mux.calculateArea(cMax(decoder.height, mux.height), this.widthArray, "OVERRIDE");
    }
  }

  /** ADC area along the array edge (width for forward, height for BP). */
  private adcArea(bp: boolean, withEncoder: boolean): void {
    const h = bp ? this.heightArray : 0;
    const w = bp ? 0 : this.widthArray;
    if (this.sarADC) {
      const sar = bp ? this.sarAdcBP : this.sarAdc;
      sar.calculateUnitArea();
      sar.calculateArea(h, w, "NONE");
    } else {
      (bp ? this.multilevelSenseAmpBP : this.multilevelSenseAmp).calculateArea(h, w, "NONE");
      if (withEncoder) (bp ? this.multilevelSAEncoderBP : this.multilevelSAEncoder).calculateArea(h, w, "NONE");
    }
  }

  private shiftAddArea(bp: boolean): void {
    const h = bp ? this.heightArray : 0;
    const w = bp ? 0 : this.widthArray;
    if ((bp ? this.numReadPulseBP : this.numReadPulse) > 1) {
      (bp ? this.shiftAddBPInput : this.shiftAddInput).calculateArea(h, w, "NONE");
    }
    if (this.numCellPerSynapse > 1) (bp ? this.shiftAddBPWeight : this.shiftAddWeight).calculateArea(h, w, "NONE");
  }

  private calculateAreaSRAM(): void {
    const { heightArray, widthArray } = this;
    this.precharger.calculateArea(0, widthArray, "NONE");
    this.sramWriteDriver.calculateArea(0, widthArray, "NONE");
    this.prechargerBP.calculateArea(heightArray, 0, "NONE");
    this.sramWriteDriverBP.calculateArea(heightArray, 0, "NONE");
    const { precharger, sramWriteDriver, senseAmp, adder, dff, shiftAddInput, shiftAddWeight } = this;
    const { prechargerBP, sramWriteDriverBP, senseAmpBP, dffBP, adderBP, shiftAddBPInput, shiftAddBPWeight } = this;
    if (on(this.conventionalSequential)) {
      const wlDecoder = this.wlDecoder;
      wlDecoder.calculateArea(heightArray, 0, "NONE");
      senseAmp.calculateArea(0, widthArray, "MAGIC");
      adder.calculateArea(0, widthArray, "NONE");
      dff.calculateArea(0, widthArray, "NONE");
      this.shiftAddArea(false);
      this.height =
        precharger.height +
        sramWriteDriver.height +
        heightArray +
        senseAmp.height +
        adder.height +
        dff.height +
        shiftAddInput.height +
        shiftAddWeight.height;
      this.width = wlDecoder.width + widthArray;
      this.usedArea =
        this.areaArray +
        wlDecoder.area +
        precharger.area +
        sramWriteDriver.area +
        senseAmp.area +
        adder.area +
        dff.area +
        shiftAddInput.area +
        shiftAddWeight.area;
      this.areaADC = senseAmp.area + precharger.area;
      this.areaAccum = adder.area + dff.area + shiftAddInput.area + shiftAddWeight.area;
      this.areaOther = wlDecoder.area + sramWriteDriver.area;
      if (this.trainingEstimation) {
        const wlDecoderBP = this.wlDecoderBP;
        wlDecoderBP.calculateArea(0, widthArray, "NONE");
        senseAmpBP.calculateArea(heightArray, 0, "NONE");
        dffBP.calculateArea(heightArray, 0, "NONE");
        adderBP.calculateArea(heightArray, 0, "NONE");
        this.shiftAddArea(true);
        this.height += wlDecoderBP.height;
        this.width +=
          senseAmpBP.width +
          dffBP.width +
          adderBP.width +
          shiftAddBPInput.width +
          shiftAddBPWeight.width +
          prechargerBP.width +
          sramWriteDriverBP.width;
        this.areaAG =
          senseAmpBP.area +
          dffBP.area +
          adderBP.area +
          shiftAddBPInput.area +
          shiftAddBPWeight.area +
          wlDecoderBP.area +
          prechargerBP.area +
          sramWriteDriverBP.area;
        this.usedArea += this.areaAG;
        this.areaADC += senseAmpBP.area + prechargerBP.area;
        this.areaAccum += dffBP.area + adderBP.area + shiftAddBPInput.area + shiftAddBPWeight.area;
        this.areaOther += this.muxBP.area + this.muxDecoderBP.area + wlDecoderBP.area + sramWriteDriverBP.area;
      }
      return;
    }
    const { wlSwitchMatrix, mux, muxDecoder, multilevelSenseAmp, multilevelSAEncoder, sarAdc } = this;
    wlSwitchMatrix.calculateArea(heightArray, 0, "NONE");
    if (this.numColMuxed > 1) this.muxArea(false);
    this.adcArea(false, true);
    this.shiftAddArea(false);
    this.height =
      precharger.height +
      sramWriteDriver.height +
      heightArray +
      multilevelSenseAmp.height +
      multilevelSAEncoder.height +
      shiftAddInput.height +
      shiftAddWeight.height +
      mux.height +
      sarAdc.height;
    this.width = cMax(wlSwitchMatrix.width, muxDecoder.width) + widthArray;
    this.usedArea =
      this.areaArray +
      wlSwitchMatrix.area +
      precharger.area +
      sramWriteDriver.area +
      multilevelSenseAmp.area +
      multilevelSAEncoder.area +
      shiftAddInput.area +
      shiftAddWeight.area +
      mux.area +
      muxDecoder.area +
      sarAdc.area;
    this.areaADC = multilevelSenseAmp.area + precharger.area + multilevelSAEncoder.area + sarAdc.area;
    this.areaAccum = shiftAddInput.area + shiftAddWeight.area;
    this.areaOther = wlSwitchMatrix.area + sramWriteDriver.area + mux.area + muxDecoder.area;
    if (!this.trainingEstimation) return;
    const wlSwitchMatrixBP = this.wlSwitchMatrixBP;
    wlSwitchMatrixBP.calculateArea(0, widthArray, "NONE");
    if (this.parallelBP) {
      const { muxBP, muxDecoderBP, multilevelSenseAmpBP, multilevelSAEncoderBP, sarAdcBP } = this;
      if (this.numRowMuxedBP > 1) this.muxArea(true);
      this.adcArea(true, true);
      this.shiftAddArea(true);
      this.height += wlSwitchMatrixBP.height;
      this.width +=
        muxBP.width +
        multilevelSenseAmpBP.width +
        multilevelSAEncoderBP.width +
        shiftAddBPInput.width +
        shiftAddBPWeight.width +
        prechargerBP.width +
        sramWriteDriverBP.width +
        sarAdcBP.width;
      this.areaAG =
        muxBP.area +
        muxDecoderBP.area +
        multilevelSenseAmpBP.area +
        multilevelSAEncoderBP.area +
        shiftAddBPInput.area +
        shiftAddBPWeight.area +
        wlSwitchMatrixBP.area +
        prechargerBP.area +
        sramWriteDriverBP.area +
        sarAdcBP.area;
      this.usedArea += this.areaAG;
      this.areaADC += multilevelSenseAmpBP.area + multilevelSAEncoderBP.area + prechargerBP.area + sarAdcBP.area;
      this.areaAccum += shiftAddBPInput.area + shiftAddBPWeight.area;
      this.areaOther += muxBP.area + muxDecoderBP.area + wlSwitchMatrixBP.area + sramWriteDriverBP.area;
    } else {
      senseAmpBP.calculateArea(heightArray, 0, "NONE");
      dffBP.calculateArea(heightArray, 0, "NONE");
      adderBP.calculateArea(heightArray, 0, "NONE");
      this.shiftAddArea(true);
      this.height += wlSwitchMatrixBP.height;
      this.width +=
        senseAmpBP.width +
        dffBP.width +
        adderBP.width +
        shiftAddBPInput.width +
        shiftAddBPWeight.width +
        prechargerBP.width +
        sramWriteDriverBP.width;
      this.areaAG =
        senseAmpBP.area +
        dffBP.area +
        adderBP.area +
        shiftAddBPInput.area +
        shiftAddBPWeight.area +
        wlSwitchMatrixBP.area +
        prechargerBP.area +
        sramWriteDriverBP.area;
      this.usedArea += this.areaAG;
      this.areaADC += senseAmpBP.area + prechargerBP.area;
      this.areaAccum += dffBP.area + adderBP.area + shiftAddBPInput.area + shiftAddBPWeight.area;
      this.areaOther += wlSwitchMatrixBP.area + sramWriteDriverBP.area;
    }
  }

  private calculateAreaNVM(): void {
    const { heightArray, widthArray } = this;
    const { slSwitchMatrix, mux, muxDecoder, multilevelSenseAmp, multilevelSAEncoder, sarAdc } = this;
    const { dff, adder, shiftAddInput, shiftAddWeight } = this;
    const { muxBP, muxDecoderBP, multilevelSenseAmpBP, multilevelSAEncoderBP, sarAdcBP } = this;
    const { dffBP, adderBP, shiftAddBPInput, shiftAddBPWeight } = this;
    const seq = on(this.conventionalSequential);
    if (seq) {
      this.wlDecoder.calculateArea(heightArray, 0, "NONE");
      if (this.is1T1R) this.wlNewDecoderDriver.calculateArea(heightArray, 0, "NONE");
      else this.wlDecoderDriver.calculateArea(heightArray, 0, "NONE");
    } else if (this.is1T1R) {
      this.wlNewSwitchMatrix.calculateArea(heightArray, 0, "NONE");
    } else {
      this.wlSwitchMatrix.calculateArea(heightArray, 0, "NONE");
    }
    slSwitchMatrix.calculateArea(0, widthArray, "NONE");
    if (this.numColMuxed > 1) this.muxArea(false);
    this.adcArea(false, !seq || this.avgWeightBit > 1);
    if (seq) {
      dff.calculateArea(0, widthArray, "NONE");
      adder.calculateArea(0, widthArray, "NONE");
    }
    this.shiftAddArea(false);
    if (seq) {
      const { wlDecoder, wlNewDecoderDriver, wlDecoderDriver } = this;
      this.height =
        slSwitchMatrix.height +
        heightArray +
        mux.height +
        multilevelSenseAmp.height +
        multilevelSAEncoder.height +
        adder.height +
        dff.height +
        shiftAddInput.height +
        shiftAddWeight.height +
        sarAdc.height;
      this.width = cMax(wlDecoder.width + wlNewDecoderDriver.width + wlDecoderDriver.width, muxDecoder.width) + widthArray;
      this.usedArea =
        this.areaArray +
        wlDecoder.area +
        wlDecoderDriver.area +
        wlNewDecoderDriver.area +
        slSwitchMatrix.area +
        mux.area +
        multilevelSenseAmp.area +
        multilevelSAEncoder.area +
        muxDecoder.area +
        adder.area +
        dff.area +
        shiftAddInput.area +
        shiftAddWeight.area +
        sarAdc.area;
      this.areaADC = multilevelSenseAmp.area + multilevelSAEncoder.area + sarAdc.area;
      this.areaAccum = adder.area + dff.area + shiftAddInput.area + shiftAddWeight.area;
      this.areaOther = wlDecoder.area + wlNewDecoderDriver.area + wlDecoderDriver.area + slSwitchMatrix.area + mux.area + muxDecoder.area;
    } else {
      const { wlNewSwitchMatrix, wlSwitchMatrix } = this;
      this.height =
        slSwitchMatrix.height +
        heightArray +
        mux.height +
        multilevelSenseAmp.height +
        multilevelSAEncoder.height +
        shiftAddInput.height +
        shiftAddWeight.height +
        sarAdc.height;
      this.width = cMax(wlNewSwitchMatrix.width + wlSwitchMatrix.width, muxDecoder.width) + widthArray;
      this.usedArea =
        this.areaArray +
        wlSwitchMatrix.area +
        wlNewSwitchMatrix.area +
        slSwitchMatrix.area +
        mux.area +
        multilevelSenseAmp.area +
        muxDecoder.area +
        multilevelSAEncoder.area +
        shiftAddInput.area +
        shiftAddWeight.area +
        sarAdc.area;
      this.areaADC = multilevelSenseAmp.area + multilevelSAEncoder.area + sarAdc.area;
      this.areaAccum = shiftAddInput.area + shiftAddWeight.area;
      this.areaOther = wlNewSwitchMatrix.area + wlSwitchMatrix.area + slSwitchMatrix.area + mux.area + muxDecoder.area;
    }
    if (!this.trainingEstimation) return;
    if (this.numRowMuxedBP > 1) this.muxArea(true);
    // Parallel BP reads all rows at once (full ADC + encoder); otherwise column by column with accumulation.
    const accumulateBP = seq || !this.parallelBP;
    this.adcArea(true, !accumulateBP || this.avgWeightBit > 1);
    if (accumulateBP) {
      dffBP.calculateArea(heightArray, 0, "NONE");
      adderBP.calculateArea(heightArray, 0, "NONE");
    }
    this.shiftAddArea(true);
    if (accumulateBP) {
      this.width +=
        muxBP.width +
        multilevelSenseAmpBP.width +
        multilevelSAEncoderBP.width +
        dffBP.width +
        adderBP.width +
        shiftAddBPInput.width +
        shiftAddBPWeight.width +
        sarAdcBP.width;
      this.areaAG =
        muxBP.area +
        muxDecoderBP.area +
        multilevelSenseAmpBP.area +
        multilevelSAEncoderBP.area +
        dffBP.area +
        adderBP.area +
        shiftAddBPInput.area +
        shiftAddBPWeight.area +
        sarAdcBP.area;
      this.usedArea += this.areaAG;
      this.areaADC += multilevelSenseAmpBP.area + multilevelSAEncoderBP.area + sarAdcBP.area;
      this.areaAccum += dffBP.area + adderBP.area + shiftAddBPInput.area + shiftAddBPWeight.area;
      this.areaOther += muxBP.area + muxDecoderBP.area;
    } else {
      this.width +=
        muxBP.width +
        multilevelSenseAmpBP.width +
        multilevelSAEncoderBP.width +
        shiftAddBPInput.width +
        shiftAddBPWeight.width +
        sarAdcBP.width;
      this.areaAG =
        muxBP.area +
        muxDecoderBP.area +
        multilevelSenseAmpBP.area +
        multilevelSAEncoderBP.area +
        shiftAddBPInput.area +
        shiftAddBPWeight.area +
        sarAdcBP.area;
      this.usedArea += this.areaAG;
      this.areaADC += multilevelSenseAmpBP.area + multilevelSAEncoderBP.area + sarAdcBP.area;
      this.areaAccum += shiftAddBPInput.area + shiftAddBPWeight.area;
      this.areaOther += muxBP.area + muxDecoderBP.area;
    }
  }

  /**
   * One read of the sub-array (all numReadPulse input bits) and, for training, one transposed read and the
   * weight update. columnResistance: per-column resistance seen by the ADCs (or grouped summary, see
   * ColumnResistances); NeuroSim V2.1 also feeds it to the transposed read. rowResistance is accepted as in
   * NeuroSim but unused by V2.1. rampInput is ignored (as in NeuroSim).
   */
  // NeuroSim V2.1 SubArray.cpp, CalculateLatency
  calculateLatency(_rampInput: number, columnResistance: ColumnResistances, _rowResistance?: ColumnResistances): void {
    if (!this.initialized) return;
    this.readLatency = 0;
    this.writeLatency = 0;
    if (this.isSRAM) this.calculateLatencySRAM(columnResistance);
    else this.calculateLatencyNVM(columnResistance);
  }

  /** SRAM bit-line discharge through access + pull-down transistors to half the sense margin. */
  private sramBitlineDelay(capLine: number, resLine: number, rampInput: number): number {
    const { tech, cell, temperature } = this.ctx;
    const F = tech.featureSize;
    const resPullDown = calculateOnResistance(cell.widthSRAMCellNMOS * F, "NMOS", temperature, tech);
    let tau = (this.resCellAccess + resPullDown) * (this.capCellAccess + capLine) + (resLine * capLine) / 2;
    tau *= Math.log(tech.vdd / (tech.vdd - cell.minSenseVoltage / 2));
    const gm = calculateTransconductance(cell.widthAccessCMOS * F, "NMOS", tech);
    const beta = 1 / (resPullDown * gm);
    return horowitz(tau, beta, rampInput).delay;
  }

  /** SRAM cell flip: average of the pull-up and pull-down inverter delays into the cell capacitance. */
  private sramCellWriteDelay(): number {
    const { tech, cell, temperature } = this.ctx;
    const F = tech.featureSize;
    const resPull =
      (calculateOnResistance(cell.widthSRAMCellNMOS * F, "NMOS", temperature, tech) +
        calculateOnResistance(cell.widthSRAMCellPMOS * F, "PMOS", temperature, tech)) /
      2;
    const tau = resPull * cell.capSRAMCell;
    const gm =
      (calculateTransconductance(cell.widthSRAMCellNMOS * F, "NMOS", tech) +
        calculateTransconductance(cell.widthSRAMCellPMOS * F, "PMOS", tech)) /
      2;
    const beta = 1 / (resPull * gm);
    return horowitz(tau, beta, 1e20).delay;
  }

  private calculateLatencySRAM(columnResistance: ColumnResistances): void {
    const { numRow, numCol, numColMuxed, numCellPerSynapse, numReadPulse } = this;
    const { activityRowRead, activityRowWrite, activityBPColRead } = this;
    const numReadOperationPerRow = toInt(Math.ceil(numCol / this.numReadCellPerOperationNeuro));
    const numWriteOperationPerRow = toInt(Math.ceil((numCol * this.activityColWrite) / this.numWriteCellPerOperationNeuro));
    const { precharger, sramWriteDriver, shiftAddInput, shiftAddWeight } = this;
    const { prechargerBP, sramWriteDriverBP, shiftAddBPInput, shiftAddBPWeight } = this;
    if (on(this.conventionalSequential)) {
      const { wlDecoder, senseAmp, dff, adder } = this;
      const numReads = numReadOperationPerRow * numRow * activityRowRead;
      wlDecoder.calculateLatency(1e20, this.capRow1, 0, numRow * activityRowRead, numRow * activityRowWrite);
      precharger.calculateLatency(1e20, this.capCol, numReads, numWriteOperationPerRow * numRow * activityRowWrite);
      sramWriteDriver.calculateLatency(1e20, this.capCol, this.resCol, numWriteOperationPerRow * numRow * activityRowWrite);
      senseAmp.calculateLatency(numReads);
      dff.calculateLatency(1e20, numReads);
      adder.calculateLatency(1e20, dff.capTgDrain, numReads);
      if (numCellPerSynapse > 1) shiftAddWeight.calculateLatency(numCellPerSynapse);
      if (numReadPulse > 1) shiftAddInput.calculateLatency(1);
      this.colDelay =
        this.sramBitlineDelay(this.capCol, this.resCol, wlDecoder.rampOutput) * numReadOperationPerRow * numRow * activityRowRead;
      this.readLatency += wlDecoder.readLatency;
      this.readLatency += precharger.readLatency;
      this.readLatency += this.colDelay;
      this.readLatency += senseAmp.readLatency;
      this.readLatency += adder.readLatency;
      this.readLatency += dff.readLatency;
      this.readLatency += shiftAddInput.readLatency + shiftAddWeight.readLatency;
      this.readLatencyADC = precharger.readLatency + this.colDelay + senseAmp.readLatency;
      this.readLatencyAccum = adder.readLatency + dff.readLatency + shiftAddInput.readLatency + shiftAddWeight.readLatency;
      this.readLatencyOther = wlDecoder.readLatency;
      this.writeLatency = 0;
      this.writeLatency += this.sramCellWriteDelay() * numWriteOperationPerRow * numRow * activityRowWrite;
      this.writeLatency += wlDecoder.writeLatency;
      this.writeLatency += precharger.writeLatency;
      this.writeLatency += sramWriteDriver.writeLatency;
      if (this.trainingEstimation) {
        this.readLatencyAG = 0;
        if (this.layerNumber !== 0) {
          const { wlDecoderBP, senseAmpBP, dffBP, adderBP } = this;
          const numReadOperationPerCol = toInt(Math.ceil(numCol / this.numReadCellPerOperationNeuro));
          const numReadsBP = numReadOperationPerCol * numCol * activityBPColRead;
          wlDecoderBP.calculateLatency(1e20, this.capCol, 0, numCol * activityBPColRead, numRow * activityRowWrite);
          prechargerBP.calculateLatency(1e20, this.capRow1, numReadsBP, numWriteOperationPerRow * numRow * activityRowWrite);
          // NeuroSim loads the transposed write driver with the column wire and the forward DFF.
          sramWriteDriverBP.calculateLatency(1e20, this.capCol, this.resCol, numWriteOperationPerRow * numRow * activityRowWrite);
          senseAmpBP.calculateLatency(numReadsBP);
          dffBP.calculateLatency(1e20, numReadsBP);
          adderBP.calculateLatency(1e20, this.dff.capTgDrain, numReadsBP);
          if (numCellPerSynapse > 1) shiftAddBPWeight.calculateLatency(numCellPerSynapse);
          if (this.numReadPulseBP > 1) shiftAddBPInput.calculateLatency(1);
          this.colDelay =
            this.sramBitlineDelay(this.capRow1, this.resRow, wlDecoderBP.rampOutput) * numReadOperationPerCol * numCol * activityBPColRead;
          this.readLatencyAG += wlDecoderBP.readLatency;
          this.readLatencyAG += prechargerBP.readLatency;
          this.readLatencyAG += this.colDelay;
          this.readLatencyAG += senseAmpBP.readLatency;
          this.readLatencyAG += adderBP.readLatency;
          this.readLatencyAG += dffBP.readLatency;
          this.readLatencyAG += shiftAddBPInput.readLatency + shiftAddBPWeight.readLatency;
          this.readLatencyADC += prechargerBP.readLatency + this.colDelay + senseAmpBP.readLatency;
          this.readLatencyAccum += adderBP.readLatency + dffBP.readLatency + shiftAddBPInput.readLatency + shiftAddBPWeight.readLatency;
          this.readLatencyOther += wlDecoderBP.readLatency;
        }
      }
      return;
    }

    const { wlSwitchMatrix, mux, muxDecoder, multilevelSenseAmp, multilevelSAEncoder, sarAdc } = this;
    const numWrites = numWriteOperationPerRow * numRow * activityRowWrite;
    wlSwitchMatrix.calculateLatency(1e20, this.capRow1, this.resRow, numColMuxed, 2 * numWriteOperationPerRow * numRow * activityRowWrite);
    precharger.calculateLatency(1e20, this.capCol, numColMuxed, numWrites);
    sramWriteDriver.calculateLatency(1e20, this.capCol, this.resCol, numWrites);
    if (numColMuxed > 1) {
      const numAdc = Math.ceil(intDiv(numCol, numColMuxed));
      mux.calculateLatency(0, 0, numColMuxed);
      muxDecoder.calculateLatency(1e20, mux.capTgGateN * numAdc, mux.capTgGateP * numAdc, numColMuxed, 0);
    }
    if (this.sarADC) {
      sarAdc.calculateLatency(numColMuxed);
    } else {
      multilevelSenseAmp.calculateLatency(columnResistance, numColMuxed, 1);
      multilevelSAEncoder.calculateLatency(1e20, numColMuxed);
    }
    if (numCellPerSynapse > 1) shiftAddWeight.calculateLatency(numColMuxed);
    if (numReadPulse > 1) shiftAddInput.calculateLatency(Math.ceil(intDiv(numColMuxed, numCellPerSynapse)));
    this.colDelay = this.sramBitlineDelay(this.capCol, this.resCol, wlSwitchMatrix.rampOutput);
    // Row selection overlaps the column-mux switching (spread over the input bits).
    const rowOrMux = cMax(wlSwitchMatrix.readLatency, ifMuxed(numColMuxed, mux.readLatency + muxDecoder.readLatency) / numReadPulse);
    this.readLatency = 0;
    this.readLatency += rowOrMux;
    this.readLatency += precharger.readLatency;
    this.readLatency += this.colDelay;
    this.readLatency += multilevelSenseAmp.readLatency;
    this.readLatency += multilevelSAEncoder.readLatency;
    this.readLatency += shiftAddInput.readLatency + shiftAddWeight.readLatency;
    this.readLatency += sarAdc.readLatency;
    this.readLatencyADC =
      precharger.readLatency + this.colDelay + multilevelSenseAmp.readLatency + multilevelSAEncoder.readLatency + sarAdc.readLatency;
    this.readLatencyAccum = shiftAddInput.readLatency + shiftAddWeight.readLatency;
    this.readLatencyOther = rowOrMux;
    this.writeLatency += this.sramCellWriteDelay() * numWriteOperationPerRow * numRow * activityRowWrite;
    this.writeLatency += wlSwitchMatrix.writeLatency;
    this.writeLatency += precharger.writeLatency;
    this.writeLatency += sramWriteDriver.writeLatency;

    if (!this.trainingEstimation) return;
    this.readLatencyAG = 0;
    if (this.layerNumber === 0) return;
    const numReadOperationPerCol = toInt(Math.ceil(numCol / this.numReadCellPerOperationNeuro));
    const { wlSwitchMatrixBP } = this;
    const numRowMuxedBP = this.numRowMuxedBP;
    if (this.parallelBP) {
      const { muxBP, muxDecoderBP, multilevelSenseAmpBP, multilevelSAEncoderBP, sarAdcBP } = this;
      wlSwitchMatrixBP.calculateLatency(
        1e20,
        this.capCol,
        this.resCol,
        numRowMuxedBP,
        2 * numWriteOperationPerRow * numRow * activityRowWrite,
      );
      prechargerBP.calculateLatency(1e20, this.capRow1, numRowMuxedBP, numWrites);
      sramWriteDriverBP.calculateLatency(1e20, this.capRow1, this.resRow, numWrites);
      if (numRowMuxedBP > 1) {
        // NeuroSim loads the transposed mux decoder with the forward mux's gates over numCol / numRowMuxedBP.
        const numLoad = Math.ceil(intDiv(numCol, numRowMuxedBP));
        muxBP.calculateLatency(0, 0, numRowMuxedBP);
        muxDecoderBP.calculateLatency(1e20, mux.capTgGateN * numLoad, mux.capTgGateP * numLoad, numRowMuxedBP, 0);
      }
      if (this.sarADC) {
        sarAdcBP.calculateLatency(numRowMuxedBP);
      } else {
        multilevelSenseAmpBP.calculateLatency(columnResistance, numRowMuxedBP, 1);
        multilevelSAEncoderBP.calculateLatency(1e20, numRowMuxedBP);
      }
      if (numCellPerSynapse > 1) shiftAddBPWeight.calculateLatency(numRowMuxedBP);
      if (this.numReadPulseBP > 1) shiftAddBPInput.calculateLatency(Math.ceil(intDiv(numRowMuxedBP, numCellPerSynapse)));
      this.colDelay = this.sramBitlineDelay(this.capRow1, this.resRow, wlSwitchMatrixBP.rampOutput);
      // NeuroSim compares the row-switch latency with the BP mux *energies* here (from the previous power call).
      const rowOrMuxBP = cMax(
        wlSwitchMatrixBP.readLatency,
        ifMuxed(numRowMuxedBP, muxBP.readDynamicEnergy + muxDecoderBP.readDynamicEnergy) / this.numReadPulseBP,
      );
      this.readLatencyAG = 0;
      this.readLatencyAG += rowOrMuxBP;
      this.readLatencyAG += prechargerBP.readLatency;
      this.readLatencyAG += this.colDelay;
      this.readLatencyAG += multilevelSenseAmpBP.readLatency;
      this.readLatencyAG += multilevelSAEncoderBP.readLatency;
      this.readLatencyAG += shiftAddBPInput.readLatency + shiftAddBPWeight.readLatency;
      this.readLatencyAG += sarAdcBP.readLatency;
      this.readLatencyADC +=
        prechargerBP.readLatency +
        this.colDelay +
        multilevelSenseAmpBP.readLatency +
        multilevelSAEncoderBP.readLatency +
        sarAdcBP.readLatency;
      this.readLatencyAccum += shiftAddBPInput.readLatency + shiftAddBPWeight.readLatency;
      this.readLatencyOther += rowOrMuxBP;
    } else {
      const { senseAmpBP, dffBP, adderBP } = this;
      const numReadsBP = numReadOperationPerCol * numCol * activityBPColRead;
      wlSwitchMatrixBP.calculateLatency(
        1e20,
        this.capCol,
        this.resCol,
        numReadsBP,
        2 * numWriteOperationPerRow * numRow * activityRowWrite,
      );
      prechargerBP.calculateLatency(1e20, this.capRow1, numReadsBP, numWrites);
      sramWriteDriverBP.calculateLatency(1e20, this.capRow1, this.resRow, numWrites);
      senseAmpBP.calculateLatency(numReadsBP);
      dffBP.calculateLatency(1e20, numReadsBP);
      adderBP.calculateLatency(1e20, dffBP.capTgDrain, numReadsBP);
      if (numCellPerSynapse > 1) shiftAddBPWeight.calculateLatency(numCellPerSynapse);
      if (this.numReadPulseBP > 1) shiftAddBPInput.calculateLatency(1);
      this.colDelay =
        this.sramBitlineDelay(this.capRow1, this.resRow, wlSwitchMatrixBP.rampOutput) * numReadOperationPerCol * numCol * activityBPColRead;
      this.readLatencyAG += wlSwitchMatrixBP.readLatency;
      this.readLatencyAG += prechargerBP.readLatency;
      this.readLatencyAG += this.colDelay;
      this.readLatencyAG += senseAmpBP.readLatency;
      this.readLatencyAG += adderBP.readLatency;
      this.readLatencyAG += dffBP.readLatency;
      this.readLatencyAG += shiftAddBPInput.readLatency + shiftAddBPWeight.readLatency;
      this.readLatencyADC += prechargerBP.readLatency + this.colDelay + senseAmpBP.readLatency;
      this.readLatencyAccum += adderBP.readLatency + dffBP.readLatency + shiftAddBPInput.readLatency + shiftAddBPWeight.readLatency;
      this.readLatencyOther += wlSwitchMatrixBP.readLatency;
    }
  }

  private calculateLatencyNVM(columnResistance: ColumnResistances): void {
    const { tech, cell } = this.ctx;
    const F = tech.featureSize;
    const { numRow, numCol, numColMuxed, numRowMuxedBP, numCellPerSynapse, numReadPulse, numReadPulseBP } = this;
    const { activityRowRead, activityRowWrite, activityBPColRead } = this;
    const seq = on(this.conventionalSequential);
    const { slSwitchMatrix, mux, muxDecoder, multilevelSenseAmp, multilevelSAEncoder, sarAdc } = this;
    const { adder, dff, shiftAddInput, shiftAddWeight } = this;
    const { muxBP, muxDecoderBP, multilevelSenseAmpBP, multilevelSAEncoderBP, sarAdcBP } = this;
    const { adderBP, dffBP, shiftAddBPInput, shiftAddBPWeight } = this;

    // Column RC: one average cell (sequential) or half the rows in parallel; sensing needs ~20 % of tau.
    const tau = seq ? this.capCol * cell.resMemCellAvg : this.capCol * (cell.resMemCellAvg / intDiv(numRow, 2));
    const colRamp = horowitz(tau, 0, 1e20).rampOutput;
    this.colDelay = tau * 0.2 * numColMuxed;
    const numWriteOperationPerRow = toInt(Math.ceil((numCol * this.activityColWrite) / this.numWriteCellPerOperationNeuro));
    const numWrites2 = 2 * numWriteOperationPerRow * numRow * activityRowWrite;

    let rowDrive: number;
    let rowDriveWrite: number;
    if (seq) {
      const { wlDecoder, wlNewDecoderDriver, wlDecoderDriver } = this;
      wlDecoder.calculateLatency(1e20, this.capRow2, 0, numRow * activityRowRead * numColMuxed, numWrites2);
      if (this.is1T1R) {
        wlNewDecoderDriver.calculateLatency(
          wlDecoder.rampOutput,
          this.capRow2,
          this.resRow,
          numRow * activityRowRead * numColMuxed,
          numWrites2,
        );
      } else {
        wlDecoderDriver.calculateLatency(
          wlDecoder.rampOutput,
          this.capRow1,
          this.capRow1,
          this.resRow,
          numRow * activityRowRead * numColMuxed,
          numWrites2,
        );
      }
      rowDrive = wlDecoder.readLatency + wlNewDecoderDriver.readLatency + wlDecoderDriver.readLatency;
      rowDriveWrite = wlDecoder.writeLatency + wlNewDecoderDriver.writeLatency + wlDecoderDriver.writeLatency;
    } else {
      const { wlNewSwitchMatrix, wlSwitchMatrix } = this;
      if (this.is1T1R) wlNewSwitchMatrix.calculateLatency(1e20, this.capRow2, this.resRow, numColMuxed, numWrites2);
      else wlSwitchMatrix.calculateLatency(1e20, this.capRow1, this.resRow, numColMuxed, numWrites2);
      rowDrive = wlNewSwitchMatrix.readLatency + wlSwitchMatrix.readLatency;
      rowDriveWrite = wlNewSwitchMatrix.writeLatency + wlSwitchMatrix.writeLatency;
    }
    slSwitchMatrix.calculateLatency(1e20, this.capCol, this.resCol, 0, numWrites2);
    if (numColMuxed > 1) {
      const numAdc = Math.ceil(intDiv(numCol, numColMuxed));
      mux.calculateLatency(colRamp, 0, numColMuxed);
      muxDecoder.calculateLatency(1e20, mux.capTgGateN * numAdc, mux.capTgGateP * numAdc, numColMuxed, 0);
    }
    if (seq) {
      const numReads = numColMuxed * numRow * activityRowRead;
      if (this.sarADC) {
        sarAdc.calculateLatency(numReads);
      } else {
        multilevelSenseAmp.calculateLatency(columnResistance, numColMuxed, numRow * activityRowRead);
        if (this.avgWeightBit > 1) multilevelSAEncoder.calculateLatency(1e20, numReads);
      }
      adder.calculateLatency(1e20, dff.capTgDrain, numReads);
      dff.calculateLatency(1e20, numReads);
    } else if (this.sarADC) {
      sarAdc.calculateLatency(numColMuxed);
    } else {
      multilevelSenseAmp.calculateLatency(columnResistance, numColMuxed, 1);
      multilevelSAEncoder.calculateLatency(1e20, numColMuxed);
    }
    if (numCellPerSynapse > 1) shiftAddWeight.calculateLatency(numColMuxed);
    if (numReadPulse > 1) shiftAddInput.calculateLatency(Math.ceil(intDiv(numColMuxed, numCellPerSynapse)));

    const rowOrMux = cMax(rowDrive, ifMuxed(numColMuxed, mux.readLatency + muxDecoder.readLatency) / numReadPulse);
    this.readLatency = 0;
    this.readLatency += rowOrMux;
    this.readLatency += multilevelSenseAmp.readLatency;
    this.readLatency += multilevelSAEncoder.readLatency;
    if (seq) {
      this.readLatency += adder.readLatency;
      this.readLatency += dff.readLatency;
    }
    this.readLatency += shiftAddInput.readLatency + shiftAddWeight.readLatency;
    this.readLatency += this.colDelay / numReadPulse;
    this.readLatency += sarAdc.readLatency;
    this.readLatencyADC = multilevelSenseAmp.readLatency + multilevelSAEncoder.readLatency + sarAdc.readLatency;
    this.readLatencyAccum = seq
      ? adder.readLatency + dff.readLatency + shiftAddInput.readLatency + shiftAddWeight.readLatency
      : shiftAddInput.readLatency + shiftAddWeight.readLatency;
    this.readLatencyOther = rowOrMux + this.colDelay / numReadPulse;

    // Write: the drivers, then every pulse of the update back to back.
    this.writeLatency = 0;
    this.writeLatencyArray = 0;
    this.writeLatencyArray += this.totalNumWritePulse * cell.writePulseWidth;
    this.writeLatency += cMax(rowDriveWrite, slSwitchMatrix.writeLatency);
    this.writeLatency += this.writeLatencyArray;

    if (!this.trainingEstimation) return;
    this.readLatencyAG = 0;
    if (this.layerNumber === 0) return;
    // Transposed read: the rows become the sensed lines (wire plus access-transistor drains).
    const capRow =
      this.lengthRow * WIRE_CAP_PER_M + calculateDrainCap(cell.widthAccessCMOS * F, "NMOS", cell.widthInFeatureSize * F, tech) * numCol;
    const tauBP = seq ? capRow * cell.resMemCellAvg : capRow * (cell.resMemCellAvg / intDiv(numCol, 2));
    const rowDelay = tauBP * 0.2 * numRowMuxedBP;
    const parallelBP = !seq && this.parallelBP;
    const numReadsBP = parallelBP ? numRowMuxedBP : numRowMuxedBP * numCol * activityBPColRead;
    slSwitchMatrix.calculateLatency(1e20, this.capCol, this.resCol, numReadsBP, numWrites2);
    if (numRowMuxedBP > 1) {
      const numAdcBP = Math.ceil(intDiv(numRow, numRowMuxedBP));
      muxBP.calculateLatency(colRamp, 0, numRowMuxedBP);
      muxDecoderBP.calculateLatency(1e20, muxBP.capTgGateN * numAdcBP, muxBP.capTgGateP * numAdcBP, numRowMuxedBP, 0);
    }
    if (parallelBP) {
      if (this.sarADC) {
        sarAdcBP.calculateLatency(numRowMuxedBP);
      } else {
        multilevelSenseAmpBP.calculateLatency(columnResistance, numRowMuxedBP, 1);
        multilevelSAEncoderBP.calculateLatency(1e20, numRowMuxedBP);
      }
    } else {
      if (this.sarADC) {
        sarAdcBP.calculateLatency(numReadsBP);
      } else {
        multilevelSenseAmpBP.calculateLatency(columnResistance, numRowMuxedBP, numCol * activityBPColRead);
        if (this.avgWeightBit > 1) multilevelSAEncoderBP.calculateLatency(1e20, numReadsBP);
      }
      dffBP.calculateLatency(1e20, numReadsBP);
      adderBP.calculateLatency(1e20, dffBP.capTgDrain, numReadsBP);
    }
    if (numCellPerSynapse > 1) shiftAddBPWeight.calculateLatency(numRowMuxedBP);
    if (numReadPulseBP > 1) shiftAddBPInput.calculateLatency(Math.ceil(intDiv(numRowMuxedBP, numCellPerSynapse)));
    // NeuroSim compares the switch-matrix latency with the BP mux *energies* (from the previous power call).
    const rowOrMuxBP = cMax(
      slSwitchMatrix.readLatency,
      ifMuxed(numRowMuxedBP, muxBP.readDynamicEnergy + muxDecoderBP.readDynamicEnergy) / numReadPulseBP,
    );
    this.readLatencyAG += rowOrMuxBP;
    this.readLatencyAG += multilevelSenseAmpBP.readLatency;
    this.readLatencyAG += multilevelSAEncoderBP.readLatency;
    if (!parallelBP) {
      this.readLatencyAG += adderBP.readLatency;
      this.readLatencyAG += dffBP.readLatency;
    }
    this.readLatencyAG += shiftAddBPInput.readLatency + shiftAddBPWeight.readLatency;
    this.readLatencyAG += rowDelay / numReadPulseBP;
    this.readLatencyAG += sarAdcBP.readLatency;
    this.readLatencyADC += multilevelSenseAmpBP.readLatency + multilevelSAEncoderBP.readLatency + sarAdcBP.readLatency;
    this.readLatencyAccum += parallelBP
      ? shiftAddBPInput.readLatency + shiftAddBPWeight.readLatency
      : adderBP.readLatency + dffBP.readLatency + shiftAddBPInput.readLatency + shiftAddBPWeight.readLatency;
    this.readLatencyOther += rowOrMuxBP + rowDelay / numReadPulseBP;
  }

  // NeuroSim V2.1 SubArray.cpp, CalculatePower
  calculatePower(columnResistance: ColumnResistances, _rowResistance?: ColumnResistances): void {
    if (!this.initialized) return;
    this.readDynamicEnergy = 0;
    this.writeDynamicEnergy = 0;
    this.readDynamicEnergyArray = 0;
    if (this.isSRAM) this.calculatePowerSRAM(columnResistance);
    else this.calculatePowerNVM(columnResistance);
  }

  private calculatePowerSRAM(columnResistance: ColumnResistances): void {
    const { tech, cell, temperature } = this.ctx;
    const F = tech.featureSize;
    const { numRow, numCol, numColMuxed, numRowMuxedBP, numCellPerSynapse, numReadPulse, numReadPulseBP } = this;
    const { activityRowRead, activityRowWrite, activityColWrite, activityBPColRead } = this;
    const nRead = this.numReadCellPerOperationNeuro;
    const nWrite = this.numWriteCellPerOperationNeuro;
    // Average operations per row (may be fractional for energy).
    const numReadOperationPerRow = numCol > nRead ? intDiv(numCol, nRead) : 1;
    const numWriteOperationPerRow = numCol * activityColWrite > nWrite ? (numCol * activityColWrite) / nWrite : 1;
    const { precharger, sramWriteDriver, shiftAddInput, shiftAddWeight } = this;
    const { prechargerBP, sramWriteDriverBP, shiftAddBPInput, shiftAddBPWeight } = this;

    // Cell leakage: two inverters per cell.
    this.leakage = 0;
    this.leakage +=
      calculateGateLeakage("INV", 1, cell.widthSRAMCellNMOS * F, cell.widthSRAMCellPMOS * F, temperature, tech) * tech.vdd * 2;
    this.leakage *= numRow * numCol;
    const numDffPerOp = intDiv(nRead, numCellPerSynapse);

    if (on(this.conventionalSequential)) {
      const { wlDecoder, senseAmp, adder, dff } = this;
      const numReads = numReadOperationPerRow * numRow * activityRowRead;
      wlDecoder.calculatePower(numRow * activityRowRead, numRow * activityRowWrite);
      precharger.calculatePower(numReads, numWriteOperationPerRow * numRow * activityRowWrite);
      sramWriteDriver.calculatePower(numWriteOperationPerRow * numRow * activityRowWrite);
      adder.calculatePower(numReads, numDffPerOp);
      dff.calculatePower(numReads, numDffPerOp * (adder.numBit + 1));
      senseAmp.calculatePower(numReads);
      if (numCellPerSynapse > 1) shiftAddWeight.calculatePower(numCellPerSynapse);
      if (numReadPulse > 1) shiftAddInput.calculatePower(1);
      this.readDynamicEnergyArray = 0; // only bit-line discharge, counted in the precharger
      this.writeDynamicEnergyArray = this.sramFlipEnergy();
      this.readDynamicEnergy += wlDecoder.readDynamicEnergy;
      this.readDynamicEnergy += precharger.readDynamicEnergy;
      this.readDynamicEnergy += this.readDynamicEnergyArray;
      this.readDynamicEnergy += adder.readDynamicEnergy;
      this.readDynamicEnergy += dff.readDynamicEnergy;
      this.readDynamicEnergy += senseAmp.readDynamicEnergy;
      this.readDynamicEnergy += shiftAddWeight.readDynamicEnergy + shiftAddInput.readDynamicEnergy;
      this.readDynamicEnergyADC = precharger.readDynamicEnergy + this.readDynamicEnergyArray + senseAmp.readDynamicEnergy;
      this.readDynamicEnergyAccum =
        adder.readDynamicEnergy + dff.readDynamicEnergy + shiftAddWeight.readDynamicEnergy + shiftAddInput.readDynamicEnergy;
      this.readDynamicEnergyOther = wlDecoder.readDynamicEnergy;
      if (this.trainingEstimation) {
        this.readDynamicEnergyAG = 0;
        if (this.layerNumber !== 0) {
          const wlDecoderBP = this.wlDecoderBP;
          wlDecoderBP.calculatePower(numCol * activityBPColRead, numRow * activityRowWrite);
          this.sramDigitalBPPower(numWriteOperationPerRow, numDffPerOp);
          this.readDynamicEnergyAG += wlDecoderBP.readDynamicEnergy;
          this.sramDigitalBPEnergySum();
          this.readDynamicEnergyOther += wlDecoderBP.readDynamicEnergy;
          this.leakage += wlDecoderBP.leakage;
          this.sramDigitalBPLeakage();
        }
      }
      this.writeDynamicEnergy += wlDecoder.writeDynamicEnergy;
      this.writeDynamicEnergy += precharger.writeDynamicEnergy;
      this.writeDynamicEnergy += sramWriteDriver.writeDynamicEnergy;
      this.writeDynamicEnergy += this.writeDynamicEnergyArray;
      this.leakage += wlDecoder.leakage;
      this.leakage += this.wlSwitchMatrix.leakage;
      this.leakage += precharger.leakage;
      this.leakage += sramWriteDriver.leakage;
      this.leakage += senseAmp.leakage;
      this.leakage += dff.leakage;
      this.leakage += adder.leakage;
      this.leakage += shiftAddInput.leakage + shiftAddWeight.leakage;
      return;
    }

    const { wlSwitchMatrix, mux, muxDecoder, multilevelSenseAmp, multilevelSAEncoder, sarAdc } = this;
    wlSwitchMatrix.calculatePower(numColMuxed, 2 * numWriteOperationPerRow * numRow * activityRowWrite, activityRowRead, activityColWrite);
    precharger.calculatePower(numColMuxed, numWriteOperationPerRow * numRow * activityRowWrite);
    sramWriteDriver.calculatePower(numWriteOperationPerRow * numRow * activityRowWrite);
    if (numColMuxed > 1) {
      mux.calculatePower(numColMuxed); // the mux switches during the row-by-row read too
      muxDecoder.calculatePower(numColMuxed, 1);
    }
    if (this.sarADC) {
      sarAdc.calculatePower(columnResistance, 1);
    } else {
      multilevelSenseAmp.calculatePower(columnResistance, 1);
      multilevelSAEncoder.calculatePower(numColMuxed);
    }
    if (numCellPerSynapse > 1) shiftAddWeight.calculatePower(numColMuxed);
    if (numReadPulse > 1) shiftAddInput.calculatePower(Math.ceil(intDiv(numColMuxed, numCellPerSynapse)));
    this.readDynamicEnergyArray = 0;
    this.writeDynamicEnergyArray = this.sramFlipEnergy();
    this.readDynamicEnergy += wlSwitchMatrix.readDynamicEnergy;
    this.readDynamicEnergy += precharger.readDynamicEnergy;
    this.readDynamicEnergy += this.readDynamicEnergyArray;
    this.readDynamicEnergy += multilevelSenseAmp.readDynamicEnergy;
    this.readDynamicEnergy += multilevelSAEncoder.readDynamicEnergy;
    this.readDynamicEnergy += ifMuxed(numColMuxed, mux.readDynamicEnergy / numReadPulse);
    this.readDynamicEnergy += ifMuxed(numColMuxed, muxDecoder.readDynamicEnergy / numReadPulse);
    this.readDynamicEnergy += shiftAddWeight.readDynamicEnergy + shiftAddInput.readDynamicEnergy;
    this.readDynamicEnergy += sarAdc.readDynamicEnergy;
    this.readDynamicEnergyADC =
      precharger.readDynamicEnergy +
      this.readDynamicEnergyArray +
      multilevelSenseAmp.readDynamicEnergy +
      multilevelSAEncoder.readDynamicEnergy +
      sarAdc.readDynamicEnergy;
    this.readDynamicEnergyAccum = shiftAddWeight.readDynamicEnergy + shiftAddInput.readDynamicEnergy;
    this.readDynamicEnergyOther =
      wlSwitchMatrix.readDynamicEnergy + ifMuxed(numColMuxed, mux.readDynamicEnergy + muxDecoder.readDynamicEnergy) / numReadPulse;

    if (this.trainingEstimation) {
      this.readDynamicEnergyAG = 0;
      if (this.layerNumber !== 0) {
        const wlSwitchMatrixBP = this.wlSwitchMatrixBP;
        if (this.parallelBP) {
          const { muxBP, muxDecoderBP, multilevelSenseAmpBP, multilevelSAEncoderBP, sarAdcBP } = this;
          wlSwitchMatrixBP.calculatePower(
            numRowMuxedBP,
            2 * numWriteOperationPerRow * numRow * activityRowWrite,
            activityRowRead,
            activityColWrite,
          );
          prechargerBP.calculatePower(numRowMuxedBP, numWriteOperationPerRow * numRow * activityRowWrite);
          sramWriteDriverBP.calculatePower(numWriteOperationPerRow * numRow * activityRowWrite);
          if (numRowMuxedBP > 1) {
            muxBP.calculatePower(numRowMuxedBP);
            muxDecoderBP.calculatePower(numRowMuxedBP, 1);
          }
          if (this.sarADC) {
            sarAdcBP.calculatePower(columnResistance, 1);
          } else {
            multilevelSenseAmpBP.calculatePower(columnResistance, 1);
            multilevelSAEncoderBP.calculatePower(numRowMuxedBP);
          }
          if (numCellPerSynapse > 1) shiftAddBPWeight.calculatePower(numRowMuxedBP);
          if (numReadPulseBP > 1) shiftAddBPInput.calculatePower(Math.ceil(intDiv(numRowMuxedBP, numCellPerSynapse)));
          this.readDynamicEnergyArray = 0;
          this.readDynamicEnergyAG += wlSwitchMatrixBP.readDynamicEnergy;
          this.readDynamicEnergyAG += prechargerBP.readDynamicEnergy;
          this.readDynamicEnergyAG += this.readDynamicEnergyArray;
          this.readDynamicEnergyAG += multilevelSenseAmpBP.readDynamicEnergy;
          this.readDynamicEnergyAG += multilevelSAEncoderBP.readDynamicEnergy;
          this.readDynamicEnergyAG += ifMuxed(numRowMuxedBP, muxBP.readDynamicEnergy / numReadPulseBP);
          this.readDynamicEnergyAG += ifMuxed(numRowMuxedBP, muxDecoderBP.readDynamicEnergy / numReadPulseBP);
          this.readDynamicEnergyAG += shiftAddBPInput.readDynamicEnergy + shiftAddBPWeight.readDynamicEnergy;
          this.readDynamicEnergyAG += sarAdcBP.readDynamicEnergy;
          this.readDynamicEnergyADC +=
            prechargerBP.readDynamicEnergy +
            this.readDynamicEnergyArray +
            multilevelSenseAmpBP.readDynamicEnergy +
            multilevelSAEncoderBP.readDynamicEnergy +
            sarAdcBP.readDynamicEnergy;
          this.readDynamicEnergyAccum += shiftAddBPInput.readDynamicEnergy + shiftAddBPWeight.readDynamicEnergy;
          this.readDynamicEnergyOther +=
            wlSwitchMatrixBP.readDynamicEnergy +
            ifMuxed(numRowMuxedBP, muxBP.readDynamicEnergy + muxDecoderBP.readDynamicEnergy) / numReadPulseBP;
          this.leakage += wlSwitchMatrixBP.leakage;
          this.leakage += prechargerBP.leakage;
          this.leakage += multilevelSenseAmpBP.leakage;
          this.leakage += multilevelSAEncoderBP.leakage;
          this.leakage += muxBP.leakage;
          this.leakage += muxDecoderBP.leakage;
          this.leakage += shiftAddBPInput.leakage + shiftAddBPWeight.leakage;
        } else {
          const numReadOperationPerCol = intDiv(numRow, nRead);
          wlSwitchMatrixBP.calculatePower(
            numReadOperationPerCol * numCol * activityBPColRead,
            2 * numWriteOperationPerRow * numRow * activityRowWrite,
            activityRowRead,
            activityColWrite,
          );
          this.sramDigitalBPPower(numWriteOperationPerRow, numDffPerOp);
          this.readDynamicEnergyAG += wlSwitchMatrixBP.readDynamicEnergy;
          this.sramDigitalBPEnergySum();
          this.readDynamicEnergyOther += wlSwitchMatrixBP.readDynamicEnergy;
          this.leakage += wlSwitchMatrixBP.leakage;
          this.sramDigitalBPLeakage();
        }
      }
    }
    this.writeDynamicEnergy += wlSwitchMatrix.writeDynamicEnergy;
    this.writeDynamicEnergy += precharger.writeDynamicEnergy;
    this.writeDynamicEnergy += sramWriteDriver.writeDynamicEnergy;
    this.writeDynamicEnergy += this.writeDynamicEnergyArray;
    this.leakage += wlSwitchMatrix.leakage;
    this.leakage += precharger.leakage;
    this.leakage += sramWriteDriver.leakage;
    this.leakage += multilevelSenseAmp.leakage;
    this.leakage += multilevelSAEncoder.leakage;
    this.leakage += shiftAddInput.leakage + shiftAddWeight.leakage;
  }

  /** Q and Q̄ of every written SRAM cell flip. */
  private sramFlipEnergy(): number {
    const { tech, cell } = this.ctx;
    return cell.capSRAMCell * tech.vdd * tech.vdd * 2 * this.numCol * this.activityColWrite * this.numRow * this.activityRowWrite;
  }

  /** SRAM transposed read with sense amps + adder/DFF: the component power calls (after the row driver's). */
  private sramDigitalBPPower(numWriteOperationPerRow: number, numDffPerOp: number): void {
    const { numRow, numCol, numCellPerSynapse, activityRowWrite, activityBPColRead } = this;
    const numReadOperationPerCol = intDiv(numRow, this.numReadCellPerOperationNeuro);
    const numReadsBP = numReadOperationPerCol * numCol * activityBPColRead;
    this.prechargerBP.calculatePower(numReadsBP, numWriteOperationPerRow * numRow * activityRowWrite);
    this.sramWriteDriverBP.calculatePower(numWriteOperationPerRow * numCol * activityBPColRead);
    this.adderBP.calculatePower(numReadsBP, numDffPerOp);
    // NeuroSim sizes the transposed DFF energy with the forward adder's width (0 if that adder is unused).
    this.dffBP.calculatePower(numReadsBP, numDffPerOp * (this.adder.numBit + 1));
    this.senseAmpBP.calculatePower(numReadsBP);
    if (numCellPerSynapse > 1) this.shiftAddBPWeight.calculatePower(numCellPerSynapse);
    if (this.numReadPulseBP > 1) this.shiftAddBPInput.calculatePower(1);
    this.readDynamicEnergyArray = 0;
  }

  /** Adds the SRAM digital-BP components to the AG energy and the ADC / accumulation breakdown. */
  private sramDigitalBPEnergySum(): void {
    const { prechargerBP, adderBP, dffBP, senseAmpBP, shiftAddBPInput, shiftAddBPWeight } = this;
    this.readDynamicEnergyAG += prechargerBP.readDynamicEnergy;
    this.readDynamicEnergyAG += this.readDynamicEnergyArray;
    this.readDynamicEnergyAG += adderBP.readDynamicEnergy;
    this.readDynamicEnergyAG += dffBP.readDynamicEnergy;
    this.readDynamicEnergyAG += senseAmpBP.readDynamicEnergy;
    this.readDynamicEnergyAG += shiftAddBPInput.readDynamicEnergy + shiftAddBPWeight.readDynamicEnergy;
    this.readDynamicEnergyADC += prechargerBP.readDynamicEnergy + this.readDynamicEnergyArray + senseAmpBP.readDynamicEnergy;
    this.readDynamicEnergyAccum +=
      adderBP.readDynamicEnergy + dffBP.readDynamicEnergy + shiftAddBPInput.readDynamicEnergy + shiftAddBPWeight.readDynamicEnergy;
  }

  private sramDigitalBPLeakage(): void {
    this.leakage += this.prechargerBP.leakage;
    this.leakage += this.adderBP.leakage;
    this.leakage += this.dffBP.leakage;
    this.leakage += this.senseAmpBP.leakage;
    this.leakage += this.shiftAddBPInput.leakage + this.shiftAddBPWeight.leakage;
  }

  private calculatePowerNVM(columnResistance: ColumnResistances): void {
    const { tech, cell } = this.ctx;
    const { numRow, numCol, numColMuxed, numRowMuxedBP, numCellPerSynapse, numReadPulse, numReadPulseBP } = this;
    const { activityRowRead, activityRowWrite, activityColWrite, activityBPColRead } = this;
    const seq = on(this.conventionalSequential);
    const { slSwitchMatrix, mux, muxDecoder, multilevelSenseAmp, multilevelSAEncoder, sarAdc } = this;
    const { adder, dff, shiftAddInput, shiftAddWeight } = this;
    const { muxBP, muxDecoderBP, multilevelSenseAmpBP, multilevelSAEncoderBP, sarAdcBP } = this;
    const { adderBP, dffBP, shiftAddBPInput, shiftAddBPWeight } = this;
    this.leakage = 0;
    // Cells sensed per read (one per ADC), and the update's write operations per row.
    const numReadCells = toInt(Math.ceil(numCol / numColMuxed));
    const numWriteOperationPerRow = toInt(Math.ceil((numCol * activityColWrite) / this.numWriteCellPerOperationNeuro));
    const numWrites2 = 2 * numWriteOperationPerRow * numRow * activityRowWrite;
    const capBL = this.lengthCol * WIRE_CAP_PER_M;
    // Bit lines charged to the read voltage, one per ADC.
    const bitLineEnergy = capBL * cell.readVoltage * cell.readVoltage * numReadCells;

    let rowDriveEnergy: number;
    if (seq) {
      const { wlDecoder, wlNewDecoderDriver, wlDecoderDriver } = this;
      const numWriteCells = toInt(Math.ceil(numCol));
      wlDecoder.calculatePower(numRow * activityRowRead * numColMuxed, numWrites2);
      if (this.is1T1R) wlNewDecoderDriver.calculatePower(numRow * activityRowRead * numColMuxed, numWrites2);
      else wlDecoderDriver.calculatePower(numReadCells, numWriteCells, numRow * activityRowRead * numColMuxed, numWrites2);
      rowDriveEnergy = wlDecoder.readDynamicEnergy + wlNewDecoderDriver.readDynamicEnergy + wlDecoderDriver.readDynamicEnergy;
    } else {
      const { wlNewSwitchMatrix, wlSwitchMatrix } = this;
      if (this.is1T1R) wlNewSwitchMatrix.calculatePower(numColMuxed, numWrites2, activityRowRead);
      else wlSwitchMatrix.calculatePower(numColMuxed, numWrites2, activityRowRead, activityColWrite);
      rowDriveEnergy = wlNewSwitchMatrix.readDynamicEnergy + wlSwitchMatrix.readDynamicEnergy;
    }
    slSwitchMatrix.calculatePower(0, numWrites2, activityRowRead, activityColWrite);
    if (numColMuxed > 1) {
      mux.calculatePower(numColMuxed); // the mux switches during the row-by-row read too
      muxDecoder.calculatePower(numColMuxed, 1);
    }
    if (seq) {
      if (this.sarADC) {
        sarAdc.calculatePower(columnResistance, numRow * activityRowRead);
      } else {
        multilevelSenseAmp.calculatePower(columnResistance, numRow * activityRowRead);
        if (this.avgWeightBit > 1) multilevelSAEncoder.calculatePower(numRow * activityRowRead * numColMuxed);
      }
      adder.calculatePower(numColMuxed * numRow * activityRowRead, numReadCells);
      dff.calculatePower(numColMuxed * numRow * activityRowRead, numReadCells * (adder.numBit + 1));
    } else if (this.sarADC) {
      sarAdc.calculatePower(columnResistance, 1);
    } else {
      multilevelSenseAmp.calculatePower(columnResistance, 1);
      multilevelSAEncoder.calculatePower(numColMuxed);
    }
    if (numCellPerSynapse > 1) shiftAddWeight.calculatePower(numColMuxed);
    if (numReadPulse > 1) shiftAddInput.calculatePower(Math.ceil(intDiv(numColMuxed, numCellPerSynapse)));

    // Array: charge the sensed bit lines to Vread and the selected word line(s) to vdd, per mux step.
    this.readDynamicEnergyArray = 0;
    this.readDynamicEnergyArray += bitLineEnergy;
    if (seq) {
      this.readDynamicEnergyArray += this.capRow2 * tech.vdd * tech.vdd;
      this.readDynamicEnergyArray *= numRow * activityRowRead * numColMuxed;
    } else {
      this.readDynamicEnergyArray += this.capRow2 * tech.vdd * tech.vdd * numRow * activityRowRead;
      this.readDynamicEnergyArray *= numColMuxed;
    }
    const muxEnergy = ifMuxed(numColMuxed, mux.readDynamicEnergy + muxDecoder.readDynamicEnergy) / numReadPulse;
    this.readDynamicEnergy = 0;
    if (seq) {
      // NeuroSim leaves the sequential-mode sense amp / encoder energy out of readDynamicEnergy (kept in the ADC share).
      this.readDynamicEnergy += this.wlDecoder.readDynamicEnergy;
      this.readDynamicEnergy += this.wlNewDecoderDriver.readDynamicEnergy;
      this.readDynamicEnergy += this.wlDecoderDriver.readDynamicEnergy;
      this.readDynamicEnergy += muxEnergy;
      this.readDynamicEnergy += adder.readDynamicEnergy;
      this.readDynamicEnergy += dff.readDynamicEnergy;
      this.readDynamicEnergy += shiftAddWeight.readDynamicEnergy + shiftAddInput.readDynamicEnergy;
      this.readDynamicEnergy += this.readDynamicEnergyArray;
      this.readDynamicEnergy += sarAdc.readDynamicEnergy;
      this.readDynamicEnergyAccum =
        adder.readDynamicEnergy + dff.readDynamicEnergy + shiftAddWeight.readDynamicEnergy + shiftAddInput.readDynamicEnergy;
    } else {
      this.readDynamicEnergy += this.wlNewSwitchMatrix.readDynamicEnergy;
      this.readDynamicEnergy += this.wlSwitchMatrix.readDynamicEnergy;
      this.readDynamicEnergy += muxEnergy;
      this.readDynamicEnergy += multilevelSenseAmp.readDynamicEnergy;
      this.readDynamicEnergy += multilevelSAEncoder.readDynamicEnergy;
      this.readDynamicEnergy += shiftAddWeight.readDynamicEnergy + shiftAddInput.readDynamicEnergy;
      this.readDynamicEnergy += this.readDynamicEnergyArray;
      this.readDynamicEnergy += sarAdc.readDynamicEnergy;
      this.readDynamicEnergyAccum = shiftAddWeight.readDynamicEnergy + shiftAddInput.readDynamicEnergy;
    }
    this.readDynamicEnergyADC =
      this.readDynamicEnergyArray + multilevelSenseAmp.readDynamicEnergy + multilevelSAEncoder.readDynamicEnergy + sarAdc.readDynamicEnergy;
    this.readDynamicEnergyOther = rowDriveEnergy + muxEnergy;

    if (this.trainingEstimation) {
      this.readDynamicEnergyAG = 0;
      if (this.layerNumber !== 0) {
        const parallelBP = !seq && this.parallelBP;
        this.readDynamicEnergyArray = 0;
        this.readDynamicEnergyArray += bitLineEnergy;
        if (parallelBP) {
          this.readDynamicEnergyArray += this.capRow2 * tech.vdd * tech.vdd * numRow * activityBPColRead;
          this.readDynamicEnergyArray *= numRowMuxedBP;
        } else {
          this.readDynamicEnergyArray += this.capRow2 * tech.vdd * tech.vdd;
          this.readDynamicEnergyArray *= numRow * activityBPColRead * numRowMuxedBP;
        }
        slSwitchMatrix.calculatePower(
          parallelBP ? numRowMuxedBP : numRowMuxedBP * numCol * activityBPColRead,
          numWrites2,
          activityRowRead,
          activityColWrite,
        );
        if (numRowMuxedBP > 1) {
          muxBP.calculatePower(numRowMuxedBP);
          muxDecoderBP.calculatePower(numRowMuxedBP, 1);
        }
        const numAdcBP = Math.ceil(intDiv(numRow, numRowMuxedBP));
        if (parallelBP) {
          if (this.sarADC) {
            sarAdcBP.calculatePower(columnResistance, 1);
          } else {
            multilevelSenseAmpBP.calculatePower(columnResistance, 1);
            multilevelSAEncoderBP.calculatePower(numRowMuxedBP);
          }
        } else {
          if (this.sarADC) {
            sarAdcBP.calculatePower(columnResistance, numCol * activityBPColRead);
          } else {
            multilevelSenseAmpBP.calculatePower(columnResistance, numCol * activityBPColRead);
            if (this.avgWeightBit > 1) multilevelSAEncoderBP.calculatePower(numRowMuxedBP * numCol * activityBPColRead);
          }
          dffBP.calculatePower(numRowMuxedBP * numCol * activityBPColRead, numAdcBP * (adderBP.numBit + 1));
          adderBP.calculatePower(numRowMuxedBP * numCol * activityBPColRead, numAdcBP);
        }
        if (numCellPerSynapse > 1) shiftAddBPWeight.calculatePower(numRowMuxedBP);
        if (numReadPulseBP > 1) shiftAddBPInput.calculatePower(Math.ceil(intDiv(numRowMuxedBP, numCellPerSynapse)));
        const muxEnergyBP = ifMuxed(numRowMuxedBP, muxBP.readDynamicEnergy + muxDecoderBP.readDynamicEnergy) / numReadPulseBP;
        this.readDynamicEnergyAG += slSwitchMatrix.readDynamicEnergy;
        this.readDynamicEnergyAG += muxEnergyBP;
        this.readDynamicEnergyAG += multilevelSenseAmpBP.readDynamicEnergy;
        this.readDynamicEnergyAG += multilevelSAEncoderBP.readDynamicEnergy;
        if (!parallelBP) {
          this.readDynamicEnergyAG += dffBP.readDynamicEnergy;
          this.readDynamicEnergyAG += adderBP.readDynamicEnergy;
        }
        this.readDynamicEnergyAG += shiftAddBPInput.readDynamicEnergy + shiftAddBPWeight.readDynamicEnergy;
        this.readDynamicEnergyAG += this.readDynamicEnergyArray;
        this.readDynamicEnergyAG += sarAdcBP.readDynamicEnergy;
        this.readDynamicEnergyADC +=
          multilevelSenseAmpBP.readDynamicEnergy +
          multilevelSAEncoderBP.readDynamicEnergy +
          this.readDynamicEnergyArray +
          sarAdcBP.readDynamicEnergy;
        this.readDynamicEnergyAccum += parallelBP
          ? shiftAddBPInput.readDynamicEnergy + shiftAddBPWeight.readDynamicEnergy
          : dffBP.readDynamicEnergy + adderBP.readDynamicEnergy + shiftAddBPInput.readDynamicEnergy + shiftAddBPWeight.readDynamicEnergy;
        this.readDynamicEnergyOther += slSwitchMatrix.readDynamicEnergy + muxEnergyBP;
        this.leakage += slSwitchMatrix.leakage;
        this.leakage += muxBP.leakage + muxDecoderBP.leakage;
        this.leakage += multilevelSenseAmpBP.leakage;
        this.leakage += multilevelSAEncoderBP.leakage;
        if (!parallelBP) {
          this.leakage += dffBP.leakage;
          this.leakage += adderBP.leakage;
        }
        this.leakage += shiftAddBPInput.leakage + shiftAddBPWeight.leakage;
      }
    }

    // Write: drivers plus the caller's cell-level energy.
    this.writeDynamicEnergy = 0;
    if (seq) {
      this.writeDynamicEnergy += this.wlDecoder.writeDynamicEnergy;
      this.writeDynamicEnergy += this.wlNewDecoderDriver.writeDynamicEnergy;
      this.writeDynamicEnergy += this.wlDecoderDriver.writeDynamicEnergy;
    } else {
      this.writeDynamicEnergy += this.wlNewSwitchMatrix.writeDynamicEnergy;
      this.writeDynamicEnergy += this.wlSwitchMatrix.writeDynamicEnergy;
    }
    this.writeDynamicEnergy += slSwitchMatrix.writeDynamicEnergy;
    this.writeDynamicEnergy += this.writeDynamicEnergyArray;

    if (seq) {
      this.leakage += this.wlDecoder.leakage;
      this.leakage += this.wlDecoderDriver.leakage;
      this.leakage += this.wlNewDecoderDriver.leakage;
    } else {
      this.leakage += this.wlSwitchMatrix.leakage;
      this.leakage += this.wlNewSwitchMatrix.leakage;
    }
    this.leakage += slSwitchMatrix.leakage;
    this.leakage += mux.leakage;
    this.leakage += muxDecoder.leakage;
    this.leakage += multilevelSenseAmp.leakage;
    this.leakage += multilevelSAEncoder.leakage;
    if (seq) {
      this.leakage += dff.leakage;
      this.leakage += adder.leakage;
      this.leakage += shiftAddInput.leakage + shiftAddWeight.leakage;
    } else {
      this.leakage += shiftAddWeight.leakage + shiftAddInput.leakage;
    }
  }
}
