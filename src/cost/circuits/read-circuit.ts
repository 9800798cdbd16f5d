// NeuroSim V2.1 ReadCircuit.cpp: integrate-and-fire style column read circuit (CMOS, or an NbO2 oscillation neuron)
// with a spike counter of DFFs. Not instantiated by DNN+NeuroSim V2.1's SubArray; ported for completeness.
import { cMax, FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateGateArea,
  calculateGateCap,
  calculateGateCapacitance,
  calculateGateLeakage,
  MAX_TRANSISTOR_HEIGHT,
  MIN_GAP_BET_GATE_POLY,
  MIN_NMOS_SIZE,
  POLY_WIDTH,
  RATIO_READ_THRESHOLD_VS_VOLTAGE,
} from "./gates.js";

export type ReadCircuitMode = "CMOS" | "OSCILLATION";
export type SpikingMode = "NONSPIKING" | "SPIKING";

/** Energy per read (J) of a column that integrates to 1..10, 20..100 spikes, from NeuroSim's circuit simulations. */
const ENERGY_PER_COUNT_1_TO_10 = [4.74e-14, 4.2e-14, 4.14e-14, 4.11e-14, 4.1e-14, 4.09e-14, 4.09e-14, 4.08e-14, 4.08e-14, 4.08e-14];
const ENERGY_PER_COUNT_20_TO_100 = [4.07e-14, 4.06e-14, 4.06e-14, 4.05e-14, 4.05e-14, 4.05e-14, 4.05e-14, 4.05e-14, 4.05e-14];

// NeuroSim V2.1 ReadCircuit.cpp
export class ReadCircuit extends FunctionUnit {
  initialized = false;
  numReadCol = 0;
  widthDffTgN = 0;
  widthDffTgP = 0;
  widthDffInvN = 0;
  widthDffInvP = 0;
  widthDffNorN = 0;
  widthDffNorP = 0;
  widthTgN = 0;
  widthTgP = 0;
  widthInvN = 0;
  widthInvP = 0;
  widthNmos1 = 0;
  widthPmos1 = 0;
  widthNmos2 = 0;
  widthNmos3 = 0;
  widthPmos3 = 0;
  widthNmos4 = 0;
  widthPmos4 = 0;
  widthNmos5 = 0;
  widthPmos5 = 0;
  widthNmos6 = 0;
  widthNmos7 = 0;
  widthNmos8 = 0;
  widthPmos8 = 0;
  rampInput = 0;
  rampOutput = 0;
  capInput = 0;
  capDffTgGateN = 0;
  capDffTgGateP = 0;
  capDffTgDrain = 0;
  capDffInvInput = 0;
  capDffInvOutput = 0;
  capNorInput = 0;
  capNorOutput = 0;
  capTgGateN = 0;
  capTgGateP = 0;
  capTgDrain = 0;
  capNmosGate = 0;
  capNmosDrain = 0;
  capPmosGate = 0;
  capPmosDrain = 0;
  capInvInput = 0;
  capInvOutput = 0;
  areaUnit = 0;
  hUnit = 0;
  wUnit = 0;
  areaReadBody = 0;
  hReadBody = 0;
  wReadBody = 0;
  areaDff = 0;
  hDff = 0;
  wDff = 0;
  maxNumIntPerCycle = 0;
  voltageIntThreshold = 0;
  numDff = 0;
  mode: ReadCircuitMode = "CMOS";
  Vhold = 0;
  Vth = 0;
  Vrow = 0;
  Vcol = 0;
  R_OSC_OFF = 0;
  maxNumIntBit = 0;
  spikingMode: SpikingMode = "NONSPIKING";
  clkFreq = 0;
  numUnitPerRow = 0;
  numRowUnit = 0;

  // NeuroSim V2.1 ReadCircuit.cpp, Initialize
  initialize(mode: ReadCircuitMode, numReadCol: number, maxNumIntBit: number, spikingMode: SpikingMode, clkFreq: number): void {
    const { tech, cell } = this.ctx;
    const F = tech.featureSize;
    this.mode = mode;
    // NeuroSim computes this from the member before assigning it (an uninitialised read); we use the previous
    // value the same way (0 on the first call). The field is never used.
    this.maxNumIntPerCycle = toInt(2 ** this.maxNumIntBit);
    this.voltageIntThreshold = cell.readVoltage * RATIO_READ_THRESHOLD_VS_VOLTAGE;
    this.numReadCol = toInt(numReadCol);
    this.maxNumIntBit = toInt(maxNumIntBit);
    this.spikingMode = spikingMode;
    this.clkFreq = clkFreq;

    // NbO2 oscillation-neuron parameters.
    this.Vhold = 0.5;
    this.Vth = 0.7;
    this.R_OSC_OFF = 1e6;
    if (mode === "CMOS") {
      this.Vrow = 0.65;
      this.Vcol = this.Vrow - cell.readVoltage;
    } else {
      this.Vrow = 1.2;
      this.Vcol = 1.2 - cell.readVoltage;
    }
    // Binary counter, or one DFF per spike count.
    this.numDff = spikingMode === "NONSPIKING" ? this.maxNumIntBit : toInt(2 ** this.maxNumIntBit);

    // DFF with reset.
    this.widthDffTgN = MIN_NMOS_SIZE * F;
    this.widthDffTgP = tech.pnSizeRatio * MIN_NMOS_SIZE * F;
    this.widthDffInvN = MIN_NMOS_SIZE * F;
    this.widthDffInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * F;
    this.widthDffNorN = MIN_NMOS_SIZE * F;
    this.widthDffNorP = 2 * tech.pnSizeRatio * MIN_NMOS_SIZE * F;
    // Read circuit body (from the reference layout).
    this.widthTgN = 33.33 * F;
    this.widthTgP = 33.33 * F;
    this.widthNmos1 = 5 * F;
    this.widthPmos1 = 9 * F;
    this.widthNmos2 = 5 * F;
    this.widthNmos3 = 3.33 * F;
    this.widthPmos3 = 6.66 * F;
    this.widthNmos4 = 3.33 * F;
    this.widthPmos4 = 3.33 * F;
    this.widthNmos5 = 3.33 * F;
    this.widthPmos5 = 3.33 * F;
    this.widthNmos6 = 3.33 * F;
    this.widthNmos7 = 6.11 * F;
    this.widthNmos8 = 8.33 * F;
    this.widthPmos8 = 9 * F;
    // Output buffer.
    this.widthInvN = MIN_NMOS_SIZE * F;
    this.widthInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * F;
    this.initialized = true;
  }

  // NeuroSim V2.1 ReadCircuit.cpp, CalculateUnitArea: one column unit = read body over numDff DFFs.
  calculateUnitArea(): void {
    if (!this.initialized) return;
    const tech = this.ctx.tech;
    const F = tech.featureSize;
    const cellH = F * MAX_TRANSISTOR_HEIGHT;
    if (this.mode === "CMOS") {
      // Fixed layout: one standard-cell height, 21 polys wide.
      this.hReadBody = MAX_TRANSISTOR_HEIGHT * F;
      this.wReadBody = 20 * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * F;
    } else {
      // Oscillation neuron: just an inverter.
      const buf = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, cellH, tech);
      this.wReadBody = buf.width;
      this.hReadBody = buf.height;
    }
    this.areaReadBody = this.hReadBody * this.wReadBody;

    // A DFF is 12 minimum inverters side by side.
    const minCell = calculateGateArea("INV", 1, MIN_NMOS_SIZE * F, tech.pnSizeRatio * MIN_NMOS_SIZE * F, cellH, tech);
    this.hDff = minCell.height;
    this.wDff = minCell.width * 12;
    this.areaDff = this.hDff * this.wDff;

    this.hUnit = this.hReadBody + this.hDff * this.numDff;
    this.wUnit = cMax(this.wReadBody, this.wDff);
    this.areaUnit = this.hUnit * this.wUnit;

    this.capDffTgGateN = calculateGateCap(this.widthDffTgN, tech);
    this.capDffTgGateP = calculateGateCap(this.widthDffTgP, tech);
    this.capDffTgDrain = calculateGateCapacitance("INV", 1, this.widthDffTgN, this.widthDffTgP, minCell.height, tech).capOutput;
    const dffInv = calculateGateCapacitance("INV", 1, this.widthDffInvN, this.widthDffInvP, minCell.height, tech);
    this.capDffInvInput = dffInv.capInput;
    this.capDffInvOutput = dffInv.capOutput;
    const nor = calculateGateCapacitance("NOR", 2, this.widthDffNorN, this.widthDffNorP, minCell.height, tech);
    this.capNorInput = nor.capInput;
    this.capNorOutput = nor.capOutput;
    this.capTgGateN = calculateGateCap(this.widthTgN, tech);
    this.capTgGateP = calculateGateCap(this.widthTgP, tech);
    // NeuroSim evaluates the next three with cell heights it never sets (uninitialised locals, undefined
    // behaviour); we use the standard-cell height. None of these fields feeds an output.
    this.capTgDrain = calculateGateCapacitance("INV", 1, this.widthTgN, this.widthTgP, cellH, tech).capOutput;
    const buf = calculateGateCapacitance("INV", 1, this.widthInvN, this.widthInvP, cellH, tech);
    this.capInvInput = buf.capInput;
    this.capInvOutput = buf.capOutput;
    const pmos = calculateGateCapacitance("INV", 1, this.widthPmos4, 0, cellH, tech);
    this.capPmosGate = pmos.capInput;
    this.capPmosDrain = pmos.capOutput;
  }

  // NeuroSim V2.1 ReadCircuit.cpp, CalculateArea: units in rows of the given width (one row if 0).
  calculateArea(newWidth: number): void {
    if (!this.initialized) return;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    if (newWidth) {
      this.numUnitPerRow = toInt(newWidth / this.wUnit);
      if (this.numUnitPerRow > this.numReadCol) this.numUnitPerRow = this.numReadCol;
      this.numRowUnit = toInt(Math.ceil(this.numReadCol / this.numUnitPerRow));
      this.width = newWidth;
    } else {
      this.numUnitPerRow = this.numReadCol;
      this.numRowUnit = 1;
      this.width = this.wUnit * this.numUnitPerRow;
    }
    this.height = this.hUnit * this.numRowUnit;
    this.area = this.height * this.width;
  }

  // NeuroSim V2.1 ReadCircuit.cpp, CalculateLatency: one read pulse plus a clock cycle.
  calculateLatency(numRead: number): void {
    if (!this.initialized) return;
    this.readLatency = 0;
    this.readLatency += this.ctx.cell.readPulseWidth;
    this.readLatency += 1 / this.clkFreq;
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 ReadCircuit.cpp, CalculatePower: numofK = number of column reads that count K spikes.
  calculatePower(
    numof1: number,
    numof2: number,
    numof3: number,
    numof4: number,
    numof5: number,
    numof6: number,
    numof7: number,
    numof8: number,
    numof9: number,
    numof10: number,
    numof20: number,
    numof30: number,
    numof40: number,
    numof50: number,
    numof60: number,
    numof70: number,
    numof80: number,
    numof90: number,
    numof100: number,
    numRead: number,
  ): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const vdd = tech.vdd;
    const leak = (wn: number, wp: number) => calculateGateLeakage("INV", 1, wn, wp, temperature, tech) * vdd;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    // DFFs: 8 inverter-equivalents each.
    this.leakage += leak(this.widthDffInvN, this.widthDffInvP) * 8 * this.numDff;
    if (this.mode === "CMOS") {
      this.leakage += leak(this.widthNmos1, this.widthPmos1);
      this.leakage += leak(this.widthNmos2, 0);
      this.leakage += leak(this.widthNmos3, this.widthPmos3);
      this.leakage += leak(this.widthNmos4, this.widthPmos4);
      this.leakage += leak(this.widthNmos5, this.widthPmos5);
      this.leakage += leak(this.widthNmos6, 0);
      this.leakage += leak(this.widthNmos7, 0);
      this.leakage += leak(this.widthNmos8, this.widthPmos8);
      this.leakage += leak(this.widthInvN, this.widthInvP) * 2; // buffer
    } else {
      this.leakage += 35.84e-9;
    }
    this.leakage *= this.numReadCol;

    const low = [numof1, numof2, numof3, numof4, numof5, numof6, numof7, numof8, numof9, numof10];
    const high = [numof20, numof30, numof40, numof50, numof60, numof70, numof80, numof90, numof100];
    // Summed left to right, in two groups, as NeuroSim does.
    let sumLow = low[0]! * ENERGY_PER_COUNT_1_TO_10[0]!;
    for (let i = 1; i < low.length; i++) sumLow += low[i]! * ENERGY_PER_COUNT_1_TO_10[i]!;
    let sumHigh = high[0]! * ENERGY_PER_COUNT_20_TO_100[0]!;
    for (let i = 1; i < high.length; i++) sumHigh += high[i]! * ENERGY_PER_COUNT_20_TO_100[i]!;
    this.readDynamicEnergy += sumLow;
    this.readDynamicEnergy += sumHigh;
    this.readDynamicEnergy *= numRead;
  }
}
