// NeuroSim V2.1 MaxPooling.cpp: max-pooling units built from a tree of N-bit comparators (1-bit comparator cells).
import { Comparator } from "./comparator.js";
import { type AreaModify, FunctionUnit, intDiv, toInt } from "./function-unit.js";
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
import type { CircuitContext } from "./params.js";

// NeuroSim V2.1 MaxPooling.cpp
export class MaxPooling extends FunctionUnit {
  initialized = false;
  capLoad = 0;
  capInvInput = 0;
  capInvOutput = 0;
  capNandInput = 0;
  capNandOutput = 0;
  capNorInput = 0;
  capNorOutput = 0;
  capNor2Input = 0;
  capNor2Output = 0;
  numBit = 0;
  window = 0;
  numMaxPooling = 0;
  numStage = 0;
  numComparator = 0;
  widthInvN = 0;
  widthInvP = 0;
  widthNandN = 0;
  widthNandP = 0;
  widthNorN = 0;
  widthNorP = 0;
  widthNorN2 = 0;
  widthNorP2 = 0;
  rampInput = 0;
  areaUnit = 0;
  readonly comparator: Comparator;

  constructor(ctx: CircuitContext) {
    super(ctx);
    this.comparator = new Comparator(ctx);
  }

  // NeuroSim V2.1 MaxPooling.cpp, Initialize: numBit-bit inputs, window elements, numMaxPooling units in parallel.
  initialize(numBit: number, window: number, numMaxPooling: number): void {
    const tech = this.ctx.tech;
    this.numBit = toInt(numBit);
    this.window = toInt(window);
    this.numMaxPooling = toInt(numMaxPooling);

    // Comparators and stages of the reduction tree (NeuroSim's count: sum of ⌊n/2^k⌋, plus one if window is odd).
    this.numComparator = 0;
    this.numStage = 0;
    let n = this.window;
    const m = n % 2;
    while (n !== 0) {
      this.numComparator += intDiv(n, 2);
      this.numStage += 1;
      n = intDiv(n, 2);
    }
    this.numComparator += m;
    this.numStage += m;

    this.widthInvN = MIN_NMOS_SIZE * tech.featureSize;
    this.widthInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.widthNandN = 2 * MIN_NMOS_SIZE * tech.featureSize;
    this.widthNandP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    this.widthNorN = 4 * MIN_NMOS_SIZE * tech.featureSize;
    this.widthNorP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    // The wide NOR has numBit inputs.
    this.widthNorN2 = this.numBit * 2 * MIN_NMOS_SIZE * tech.featureSize;
    this.widthNorP2 = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;

    this.comparator.initialize(1, 1);
    this.initialized = true;
  }

  // NeuroSim V2.1 MaxPooling.cpp, CalculateUnitArea: gate-area sum of one unit.
  calculateUnitArea(option: AreaModify): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    const tech = this.ctx.tech;
    const rowHeight = tech.featureSize * MAX_TRANSISTOR_HEIGHT;
    const inv = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, rowHeight, tech);
    const nand = calculateGateArea("NAND", 2, this.widthNandN, this.widthNandP, rowHeight, tech);
    const nor = calculateGateArea("NOR", 2, this.widthNorN, this.widthNorP, rowHeight, tech);
    const nor2 = calculateGateArea("NOR", this.numBit, this.widthNorN2, this.widthNorP2, rowHeight, tech);
    this.comparator.calculateUnitArea(option);

    const aInv = inv.height * inv.width;
    // Per N-bit comparator: numBit 1-bit comparators each with 4 TG + 1 INV enable (5 INV-equivalents) ...
    this.areaUnit = (this.comparator.areaUnit + aInv * 5) * this.numBit;
    // ... plus 3 TG, 3 INV (6 INV-equivalents), an AND (NAND2 + INV), a NOR2 and the numBit-input NOR.
    this.areaUnit += aInv * 6 + (nand.height * nand.width + aInv) + nor.height * nor.width + nor2.height * nor2.width;
    this.areaUnit *= this.numComparator;

    // As in Comparator, the option acts on unset targets: MAGIC is a no-op, OVERRIDE aborts.
    this.applyOption(option);

    const invCap = calculateGateCapacitance("INV", 1, this.widthInvN, this.widthInvP, inv.height, tech);
    this.capInvInput = invCap.capInput;
    this.capInvOutput = invCap.capOutput;
    const nandCap = calculateGateCapacitance("NAND", 2, this.widthNandN, this.widthNandP, nand.height, tech);
    this.capNandInput = nandCap.capInput;
    this.capNandOutput = nandCap.capOutput;
    const norCap = calculateGateCapacitance("NOR", 2, this.widthNorN, this.widthNorP, nor.height, tech);
    this.capNorInput = norCap.capInput;
    this.capNorOutput = norCap.capOutput;
    const nor2Cap = calculateGateCapacitance("NOR", this.numBit, this.widthNorN2, this.widthNorP2, nor2.height, tech);
    this.capNor2Input = nor2Cap.capInput;
    this.capNor2Output = nor2Cap.capOutput;
  }

  // NeuroSim V2.1 MaxPooling.cpp, CalculateArea
  calculateArea(widthArray: number): void {
    if (!this.initialized) return;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    this.width = widthArray;
    this.area = this.areaUnit * this.numMaxPooling;
    this.height = this.area / this.width;
  }

  // NeuroSim V2.1 MaxPooling.cpp, CalculateLatency: per stage, half a comparator ripple then NOR → INV → TG.
  calculateLatency(rampInput: number, capLoad: number, numRead: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    this.rampInput = rampInput;
    this.capLoad = capLoad;
    this.readLatency = 0;

    this.comparator.calculateLatency(rampInput, this.capInvOutput * 2, 1);
    this.readLatency += (this.comparator.readLatency * this.numBit) / 2; // comparison stops half way on average

    // Wide NOR (inputs starting at 1e20 ramp, as NeuroSim does).
    const resNor = calculateOnResistance(this.widthNorN2, "NMOS", temperature, tech) * 2;
    let tr = resNor * (this.capInvInput * 2 + this.numBit * this.capInvOutput);
    let gm = calculateTransconductance(this.widthNorN2, "NMOS", tech);
    this.readLatency += horowitz(tr, 1 / (resNor * gm), 1e20).delay;
    // INV
    const resInv = calculateOnResistance(this.widthInvN, "NMOS", temperature, tech) * 2;
    tr = resInv * (this.capInvInput + this.capNor2Output);
    gm = calculateTransconductance(this.widthInvN, "NMOS", tech);
    const invOut = horowitz(tr, 1 / (resInv * gm), 1e20);
    this.readLatency += invOut.delay;
    // TG
    const resTg = calculateOnResistance(this.widthInvN, "NMOS", temperature, tech) * 2;
    tr = resTg * (this.capInvInput * 2 + capLoad);
    gm = calculateTransconductance(this.widthInvN, "NMOS", tech);
    this.readLatency += horowitz(tr, 1 / (resTg * gm), invOut.rampOutput).delay;

    this.readLatency *= this.numStage;
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 MaxPooling.cpp, CalculatePower
  calculatePower(numRead: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const vdd = tech.vdd;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    // Only one INV per comparator is counted for leakage.
    this.leakage +=
      calculateGateLeakage("INV", 1, this.widthInvN, this.widthInvP, temperature, tech) * vdd * this.numComparator * this.numMaxPooling;
    this.comparator.calculatePower(1, 1);

    this.readDynamicEnergy += (this.capNandInput + this.capInvOutput) * vdd * vdd; // AND
    this.readDynamicEnergy += (this.capNorInput + this.capInvOutput) * vdd * vdd; // NOR
    this.readDynamicEnergy += (this.capInvInput + this.capInvOutput) * vdd * vdd * 2; // INV
    this.readDynamicEnergy += (this.capNor2Input + this.capInvOutput) * vdd * vdd; // wide NOR
    this.readDynamicEnergy += (this.comparator.readDynamicEnergy * this.numBit) / 2;

    this.readDynamicEnergy *= this.numComparator;
    this.readDynamicEnergy *= this.numMaxPooling;
    this.readDynamicEnergy *= numRead;
  }
}
