// NeuroSim V2.1 HTree.cpp: the repeated H-tree interconnect between the units (PEs in a tile, tiles on the chip),
// with repeaters sized for speed and then relaxed by a delay tolerance to save energy.
import { FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateGateArea,
  calculateGateCapacitance,
  calculateGateLeakage,
  calculateOnResistance,
  MAX_TRANSISTOR_HEIGHT,
  MIN_NMOS_SIZE,
} from "./gates.js";

/** Wire capacitance per metre (0.2 fF/µm) used by HTree and Bus. */
export const UNIT_LENGTH_WIRE_CAP = 0.2e-15 / 1e-6;

/** std::min on ints. */
function stdMin(a: number, b: number): number {
  return b < a ? b : a;
}

// NeuroSim V2.1 HTree.cpp
export class HTree extends FunctionUnit {
  initialized = false;
  widthInvN = 0;
  widthInvP = 0;
  wInv = 0;
  hInv = 0;
  capInvInput = 0;
  capInvOutput = 0;
  widthMinInvN = 0;
  widthMinInvP = 0;
  wMinInv = 0;
  hMinInv = 0;
  capMinInvInput = 0;
  capMinInvOutput = 0;
  wRep = 0;
  hRep = 0;
  capRepInput = 0;
  capRepOutput = 0;
  /** Vertical stages + horizontal stages + 1 (a double in NeuroSim). */
  numStage = 0;
  unitLengthWireResistance = 0;
  /** Repeater spacing, m. */
  minDist = 0;
  numRow = 0;
  numCol = 0;
  numRepeater = 0;
  repeaterSize = 0;
  busWidth = 0;
  delaytolerance = 0;
  unitLengthWireCap = 0;
  totalWireLength = 0;
  unitLatencyRep = 0;
  unitLatencyWire = 0;
  unitLengthLeakage = 0;
  unitLengthEnergyRep = 0;
  unitLengthEnergyWire = 0;
  /** Leaf-to-leaf search state; NeuroSim never resets it between calls. */
  findStage = 0;
  xCenter = 0;
  yCenter = 0;
  hit = 0;
  skipVer = 0;

  // NeuroSim V2.1 HTree.cpp, Initialize
  initialize(numRow: number, numCol: number, delaytolerance: number, busWidth: number): void {
    const { tech, param, temperature } = this.ctx;
    const cellH = tech.featureSize * MAX_TRANSISTOR_HEIGHT;
    this.numRow = numRow;
    this.numCol = numCol;
    this.delaytolerance = delaytolerance;
    this.busWidth = busWidth;
    this.numStage = 2 * Math.ceil(Math.log2(Math.max(numRow, numCol))) + 1;
    this.unitLengthWireResistance = param.unitLengthWireResistance;
    this.unitLengthWireCap = UNIT_LENGTH_WIRE_CAP;
    const R = this.unitLengthWireResistance;
    const C = this.unitLengthWireCap;

    // Minimum inverter, the reference for repeater sizing.
    this.widthMinInvN = MIN_NMOS_SIZE * tech.featureSize;
    this.widthMinInvP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;
    const minInv = calculateGateArea("INV", 1, this.widthMinInvN, this.widthMinInvP, cellH, tech);
    this.hMinInv = minInv.height;
    this.wMinInv = minInv.width;
    const minCap = calculateGateCapacitance("INV", 1, this.widthMinInvN, this.widthMinInvP, this.hMinInv, tech);
    this.capMinInvInput = minCap.capInput;
    this.capMinInvOutput = minCap.capOutput;
    let resOnRep =
      calculateOnResistance(this.widthMinInvN, "NMOS", temperature, tech) +
      calculateOnResistance(this.widthMinInvP, "PMOS", temperature, tech);
    // Delay-optimal repeater size and spacing (classic RC repeater insertion).
    this.repeaterSize = toInt(Math.floor(Math.sqrt((resOnRep * C) / this.capMinInvInput / R)));
    this.minDist = Math.sqrt((2 * resOnRep * (this.capMinInvOutput + this.capMinInvInput)) / (R * C));
    resOnRep = this.sizeRepeater();
    const minUnitLengthDelay =
      (0.7 *
        (resOnRep * (this.capRepInput + this.capRepOutput + C * this.minDist) +
          0.5 * R * this.minDist * C * this.minDist +
          R * this.minDist * this.capRepInput)) /
      this.minDist;
    if (delaytolerance) {
      // Shrink repeaters (halving) and tighten spacing until the delay exceeds the tolerated slowdown.
      let delay = 0;
      while (delay < minUnitLengthDelay * (1 + delaytolerance)) {
        this.repeaterSize = Math.trunc(this.repeaterSize / 2);
        this.minDist *= 0.9;
        resOnRep = this.sizeRepeater();
        delay =
          (0.7 *
            (resOnRep * (this.capRepInput + this.capRepOutput + C * this.minDist) +
              0.5 * R * this.minDist * C * this.minDist +
              R * this.minDist * this.capRepInput)) /
          this.minDist;
      }
    }
    const size = this.repeaterSize > 1 ? this.repeaterSize : 1;
    this.widthInvN = size * MIN_NMOS_SIZE * tech.featureSize;
    this.widthInvP = size * tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize;

    // Root of the tree; pulled back inside the array when the array is too small (over-routing constraint).
    this.xCenter = Math.floor(Math.log2(Math.min(numRow, numCol)));
    this.yCenter = Math.floor(Math.log2(Math.min(numRow, numCol)));
    const orc = 1;
    if (numCol - this.xCenter < orc) this.xCenter -= orc;
    if (numRow - this.yCenter < orc) this.yCenter -= orc;
    this.findStage = 0;
    this.hit = 0;
    this.skipVer = 0;
    this.initialized = true;
  }

  /** Gate geometry, capacitance and on-resistance of the current repeaterSize; returns the on-resistance. */
  private sizeRepeater(): number {
    const { tech, temperature } = this.ctx;
    const wN = MIN_NMOS_SIZE * tech.featureSize * this.repeaterSize;
    const wP = tech.pnSizeRatio * MIN_NMOS_SIZE * tech.featureSize * this.repeaterSize;
    const rep = calculateGateArea("INV", 1, wN, wP, tech.featureSize * MAX_TRANSISTOR_HEIGHT, tech);
    this.hRep = rep.height;
    this.wRep = rep.width;
    const cap = calculateGateCapacitance("INV", 1, wN, wP, this.hRep, tech);
    this.capRepInput = cap.capInput;
    this.capRepOutput = cap.capOutput;
    return calculateOnResistance(wN, "NMOS", temperature, tech) + calculateOnResistance(wP, "PMOS", temperature, tech);
  }

  /** Number of vertical (= horizontal) stages below the root. */
  private get numLevels(): number {
    return (this.numStage - 1) / 2;
  }

  // NeuroSim V2.1 HTree.cpp, CalculateArea
  calculateArea(unitHeight: number, unitWidth: number, foldedratio: number): void {
    if (!this.initialized) return;
    const tech = this.ctx.tech;
    const inv = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, tech.featureSize * MAX_TRANSISTOR_HEIGHT, tech);
    this.hInv = inv.height;
    this.wInv = inv.width;
    this.area = 0;
    this.totalWireLength = 0;
    let wireLengthV = (unitHeight * 2 ** this.numLevels) / 2;
    let wireLengthH = (unitWidth * 2 ** this.numLevels) / 2;
    let wireWidV = 0;
    let wireWidH = 0;
    // From the root outwards, one vertical and one horizontal stage per level; the last level overlaps the
    // units' own layout and is not counted. Every stage carries the full bus width.
    for (let i = 1; i < this.numLevels; i++) {
      wireLengthV /= 2;
      // A stage without repeaters would use the wire width, but NeuroSim never assigns it (an uninitialised
      // local); it only happens for a zero-length stage, so 0 is used.
      wireWidV += Math.ceil(wireLengthV / this.minDist) > 0 ? (this.busWidth * this.wInv) / foldedratio : 0;
      this.area += (wireWidV * wireLengthV) / 2;
      wireLengthH /= 2;
      wireWidH += Math.ceil(wireLengthH / this.minDist) > 0 ? (this.busWidth * this.hInv) / foldedratio : 0;
      this.area += (wireWidH * wireLengthH) / 2;
      this.totalWireLength += wireLengthV + wireLengthH;
    }
    // Main bus from the nearest array edge to the root.
    const mainBusUnits = stdMin(this.numCol - this.xCenter, this.xCenter);
    this.totalWireLength += mainBusUnits * unitWidth;
    this.area += ((this.busWidth * this.hInv) / foldedratio) * mainBusUnits * unitWidth;
    const cap = calculateGateCapacitance("INV", 1, this.widthInvN, this.widthInvP, this.hInv, tech);
    this.capInvInput = cap.capInput;
    this.capInvOutput = cap.capOutput;
  }

  /** Repeated-wire and bare-wire delay per metre for a given wire resistance per metre. */
  private setUnitLatencies(resOnRep: number, R: number): void {
    const C = this.unitLengthWireCap;
    const d = this.minDist;
    this.unitLatencyRep =
      (0.7 * (resOnRep * (this.capInvInput + this.capInvOutput + C * d) + 0.5 * R * d * C * d + R * d * this.capInvInput)) / d;
    this.unitLatencyWire = (0.7 * R * d * C * d) / d;
  }

  /**
   * `uninitWireRes` stands in for a value NeuroSim never sets: each tree level computes its unit latencies
   * from a wire resistance declared (uninitialised) inside the loop and only assigned afterwards. The
   * compiled V2.1 binary carries the previous level's (horizontal) resistance over in a register, and for
   * the first level traversed uses whatever the caller left in that register (xmm3 on the root-to-leaf
   * path, xmm4 on the leaf-to-leaf path). Values of 0.9–108 Ω/m were observed in DNN+NeuroSim runs, i.e.
   * negligible against real wire resistances of ~1e6 Ω/m: with the default 0 the latency moves by a few
   * parts per million at most.
   */
  // NeuroSim V2.1 HTree.cpp, CalculateLatency
  calculateLatency(
    xInit: number,
    yInit: number,
    xEnd: number,
    yEnd: number,
    unitHeight: number,
    unitWidth: number,
    numRead: number,
    uninitWireRes = 0,
  ): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    this.readLatency = 0;
    let wireLengthV = unitHeight * 2 ** this.numLevels;
    let wireLengthH = unitWidth * 2 ** this.numLevels;
    const resOnRep =
      calculateOnResistance(this.widthInvN, "NMOS", temperature, tech) + calculateOnResistance(this.widthInvP, "PMOS", temperature, tech);
    const stageDelay = (length: number): number =>
      Math.ceil(length / this.minDist) > 0 ? length * this.unitLatencyRep : length * this.unitLatencyWire;
    let R = uninitWireRes;
    if ((!xInit && !yInit) || (!xEnd && !yEnd)) {
      // Root to leaf: every level down to the units (unlike the area, the last level counts here).
      for (let i = 0; i < this.numLevels; i++) {
        this.setUnitLatencies(resOnRep, R);
        wireLengthV /= 2;
        this.getUnitLengthRes(wireLengthV); // computed and discarded (overwritten below) in NeuroSim
        this.readLatency += stageDelay(wireLengthV);
        wireLengthH /= 2;
        R = this.getUnitLengthRes(wireLengthH);
        this.readLatency += stageDelay(wireLengthH);
      }
      this.readLatency += stdMin(this.numCol - this.xCenter, this.xCenter) * unitWidth * this.unitLatencyRep;
    } else {
      // Leaf to leaf (never used by DNN+NeuroSim V2.1, which always passes a (0, 0) end): find the level where the
      // two units split, then travel down from there. The search state persists across calls as in NeuroSim.
      while (!this.hit && this.findStage < this.numLevels) {
        const maxCoorDiff = 2 ** (this.numLevels - this.findStage - 1) - 1;
        const dx = Math.abs(xInit - xEnd);
        const dy = Math.abs(yInit - yEnd);
        if (dx > maxCoorDiff || dy > maxCoorDiff) {
          this.hit = 1;
          if (dx < maxCoorDiff && dy > maxCoorDiff) this.skipVer = 1;
        } else {
          this.findStage += 1;
        }
      }
      wireLengthV /= 2 ** this.findStage;
      wireLengthH /= 2 ** this.findStage;
      this.readLatency += stageDelay(wireLengthH);
      if (!this.skipVer) this.readLatency += stageDelay(wireLengthV);
      for (let i = this.findStage + 1; i < this.numLevels; i++) {
        this.setUnitLatencies(resOnRep, R);
        wireLengthV /= 2;
        this.getUnitLengthRes(wireLengthV);
        this.readLatency += stageDelay(wireLengthV);
        wireLengthH /= 2;
        R = this.getUnitLengthRes(wireLengthH);
        this.readLatency += stageDelay(wireLengthH);
      }
    }
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 HTree.cpp, CalculatePower
  calculatePower(
    xInit: number,
    yInit: number,
    xEnd: number,
    yEnd: number,
    unitHeight: number,
    unitWidth: number,
    numBitAccess: number,
    numRead: number,
  ): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const vdd = tech.vdd;
    const C = this.unitLengthWireCap;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    this.unitLengthLeakage = (calculateGateLeakage("INV", 1, this.widthInvN, this.widthInvP, temperature, tech) * vdd) / this.minDist;
    this.leakage = this.unitLengthLeakage * this.totalWireLength;
    // Activity factor 0.25 on every wire.
    this.unitLengthEnergyRep = (((this.capInvInput + this.capInvOutput + C * this.minDist) * vdd * vdd) / this.minDist) * 0.25;
    this.unitLengthEnergyWire = ((C * this.minDist * vdd * vdd) / this.minDist) * 0.25;
    let wireLengthV = (unitHeight * 2 ** this.numLevels) / 2;
    let wireLengthH = (unitWidth * 2 ** this.numLevels) / 2;
    const stageEnergy = (length: number): number => {
      // numRepeater is an int member here: C's double→int conversion applies.
      this.numRepeater = toInt(Math.ceil(length / this.minDist));
      return this.numRepeater > 0 ? length * this.unitLengthEnergyRep : length * this.unitLengthEnergyWire;
    };
    if ((!xInit && !yInit) || (!xEnd && !yEnd)) {
      for (let i = 0; i < this.numLevels; i++) {
        wireLengthV /= 2;
        this.readDynamicEnergy += stageEnergy(wireLengthV);
        wireLengthH /= 2;
        this.readDynamicEnergy += stageEnergy(wireLengthH);
      }
      this.readDynamicEnergy += stdMin(this.numCol - this.xCenter, this.xCenter) * unitWidth * this.unitLengthEnergyRep;
      this.readDynamicEnergy *= numBitAccess;
    } else {
      // Leaf to leaf, using the split level found by calculateLatency.
      wireLengthV /= 2 ** this.findStage;
      wireLengthH /= 2 ** this.findStage;
      this.readDynamicEnergy += stageEnergy(wireLengthH);
      if (!this.skipVer) this.readDynamicEnergy += stageEnergy(wireLengthV);
      for (let i = this.findStage + 1; i < this.numLevels; i++) {
        wireLengthV /= 2;
        this.readDynamicEnergy += stageEnergy(wireLengthV);
        wireLengthH /= 2;
        this.readDynamicEnergy += stageEnergy(wireLengthH);
      }
      this.readDynamicEnergy *= numBitAccess;
    }
    this.readDynamicEnergy *= numRead;
  }

  /**
   * Resistance per metre of a wire of the given length: wider wires (2× or 4× the node's wire width) for
   * longer runs. NeuroSim's range tests are chained comparisons (`a <= x <= b`), which C++ always evaluates
   * as true, so in effect: 4× width from 1e5 feature sizes up, else 2×; and width ≥ 200 nm uses the 200 nm
   * material, anything narrower the 100 nm one.
   */
  // NeuroSim V2.1 HTree.cpp, GetUnitLengthRes
  getUnitLengthRes(wireLength: number): number {
    const { tech, param } = this.ctx;
    const wireWidth = wireLength / tech.featureSize >= 100000 ? 4 * param.wireWidth : 2 * param.wireWidth;
    let AR: number;
    let Rho: number;
    if (wireWidth >= 200) {
      AR = 2.1;
      Rho = 2.42e-8;
    } else {
      AR = 2.3;
      Rho = 2.73e-8;
    }
    Rho *= 1 + 0.00451 * (Math.trunc(param.temp) - 300);
    if (wireWidth === -1) return 1.0;
    return Rho / (wireWidth * 1e-9 * wireWidth * 1e-9 * AR);
  }
}
