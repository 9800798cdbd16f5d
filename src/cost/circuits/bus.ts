// NeuroSim V2.1 Bus.cpp: a straight repeated bus along a row (HORIZONTAL) or column (VERTICAL) of units,
// used between the sub-arrays of a processing element.
import { FunctionUnit, toInt } from "./function-unit.js";
import {
  calculateGateArea,
  calculateGateCapacitance,
  calculateGateLeakage,
  calculateOnResistance,
  MAX_TRANSISTOR_HEIGHT,
  MIN_NMOS_SIZE,
} from "./gates.js";
import { UNIT_LENGTH_WIRE_CAP } from "./htree.js";

export type BusMode = "HORIZONTAL" | "VERTICAL";

// NeuroSim V2.1 Bus.cpp
export class Bus extends FunctionUnit {
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
  unitLengthWireResistance = 0;
  /** Repeater spacing, m. */
  minDist = 0;
  numRow = 0;
  numCol = 0;
  numRepeater = 0;
  repeaterSize = 0;
  unitHeight = 0;
  unitWidth = 0;
  /**
   * Accumulated bus width, m. NeuroSim never initialises this member before `+=` in CalculateArea; it is only
   * read when overLap is false (never in DNN+NeuroSim V2.1). Starts at 0 here.
   */
  wireWidth = 0;
  busWidth = 0;
  delaytolerance = 0;
  unitLengthWireCap = 0;
  wireLength = 0;
  unitLatencyRep = 0;
  unitLatencyWire = 0;
  unitLengthLeakage = 0;
  unitLengthEnergyRep = 0;
  unitLengthEnergyWire = 0;
  mode: BusMode = "HORIZONTAL";

  // NeuroSim V2.1 Bus.cpp, Initialize
  initialize(
    mode: BusMode,
    numRow: number,
    numCol: number,
    delaytolerance: number,
    busWidth: number,
    unitHeight: number,
    unitWidth: number,
  ): void {
    const { tech, param, temperature } = this.ctx;
    const cellH = tech.featureSize * MAX_TRANSISTOR_HEIGHT;
    this.mode = mode;
    this.numRow = numRow;
    this.numCol = numCol;
    this.unitHeight = unitHeight;
    this.unitWidth = unitWidth;
    this.delaytolerance = delaytolerance;
    this.busWidth = busWidth;
    this.unitLengthWireResistance = param.unitLengthWireResistance;
    this.unitLengthWireCap = UNIT_LENGTH_WIRE_CAP;
    const R = this.unitLengthWireResistance;
    const C = this.unitLengthWireCap;

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
    // Delay-optimal repeater size and spacing.
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
      // Unlike HTree, shrink one size step at a time and stop at size 0.
      let delay = 0;
      while (delay < minUnitLengthDelay * (1 + delaytolerance) && this.repeaterSize >= 1) {
        this.repeaterSize -= 1;
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
    this.wireLength = mode === "HORIZONTAL" ? unitWidth * (numCol - 1) : unitHeight * (numRow - 1);
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

  // NeuroSim V2.1 Bus.cpp, CalculateArea
  calculateArea(foldedratio: number, overLap: boolean): void {
    if (!this.initialized) return;
    const { tech, param } = this.ctx;
    const inv = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, tech.featureSize * MAX_TRANSISTOR_HEIGHT, tech);
    this.hInv = inv.height;
    this.wInv = inv.width;
    this.numRepeater = toInt(Math.ceil(this.wireLength / this.minDist));
    // Without repeaters NeuroSim adds param->wireWidth, which is in nm, not m (only for a zero-length bus).
    this.wireWidth += this.numRepeater > 0 ? (this.busWidth * this.wInv) / foldedratio : (this.busWidth * param.wireWidth) / foldedratio;
    this.area = overLap ? 0 : this.numRow * this.wireLength * this.wireWidth;
    const cap = calculateGateCapacitance("INV", 1, this.widthInvN, this.widthInvP, this.hInv, tech);
    this.capInvInput = cap.capInput;
    this.capInvOutput = cap.capOutput;
  }

  // NeuroSim V2.1 Bus.cpp, CalculateLatency
  calculateLatency(numRead: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const R = this.unitLengthWireResistance;
    const C = this.unitLengthWireCap;
    const d = this.minDist;
    this.readLatency = 0;
    const resOnRep =
      calculateOnResistance(this.widthInvN, "NMOS", temperature, tech) + calculateOnResistance(this.widthInvP, "PMOS", temperature, tech);
    this.unitLatencyRep =
      (0.7 * (resOnRep * (this.capInvInput + this.capInvOutput + C * d) + 0.5 * R * d * C * d + R * d * this.capInvInput)) / d;
    this.unitLatencyWire = (0.7 * R * d * C * d) / d;
    this.readLatency += this.numRepeater > 0 ? this.wireLength * this.unitLatencyRep : this.wireLength * this.unitLatencyWire;
    this.readLatency *= numRead;
  }

  // NeuroSim V2.1 Bus.cpp, CalculatePower
  calculatePower(numBitAccess: number, numRead: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const vdd = tech.vdd;
    const C = this.unitLengthWireCap;
    this.leakage = 0;
    this.readDynamicEnergy = 0;
    this.unitLengthLeakage = (calculateGateLeakage("INV", 1, this.widthInvN, this.widthInvP, temperature, tech) * vdd) / this.minDist;
    this.leakage = this.unitLengthLeakage * this.wireLength * (this.numRow + this.numCol);
    this.unitLengthEnergyRep = (((this.capInvInput + this.capInvOutput + C * this.minDist) * vdd * vdd) / this.minDist) * 0.25;
    this.unitLengthEnergyWire = ((C * this.minDist * vdd * vdd) / this.minDist) * 0.25;
    this.readDynamicEnergy +=
      this.numRepeater > 0 ? this.wireLength * this.unitLengthEnergyRep : this.wireLength * this.unitLengthEnergyWire;
    this.readDynamicEnergy *= numBitAccess * numRead;
  }
}
