// NeuroSim V2.1 RowDecoder.cpp: address decoder (2-bit predecoding: INV → NAND2 → NOR) with either a two-inverter
// output driver (REGULAR) or a NAND+INV+INV enable stage driving mux transmission gates (MUX).
import { type AreaModify, cMax, FunctionUnit, intDiv, toInt } from "./function-unit.js";
import {
  calculateGateArea,
  calculateGateCapacitance,
  calculateGateLeakage,
  calculateOnResistance,
  calculateTransconductance,
  horowitz,
  M2_PITCH,
  M3_PITCH,
  MAX_TRANSISTOR_HEIGHT,
  MIN_NMOS_SIZE,
} from "./gates.js";

/** Whether the decoder outputs run along the rows (stacked vertically) or along the columns. */
export type DecoderMode = "REGULAR_ROW" | "REGULAR_COL";

// NeuroSim V2.1 RowDecoder.cpp
export class RowDecoder extends FunctionUnit {
  initialized = false;
  mode: DecoderMode = "REGULAR_ROW";
  numAddrRow = 0;
  /** MUX mode: the outputs drive transmission-gate enables instead of word lines. */
  MUX = false;
  /** Parallel-read mux decoder: every transistor 8x wider. */
  parallel = false;
  /** REGULAR: the load; MUX: the NMOS gates of the mux TGs. */
  capLoad1 = 0;
  /** MUX: the PMOS gates of the mux TGs. */
  capLoad2 = 0;
  numColNor = 0;
  numNorPerCol = 0;
  numColNand = 0;
  numNandPerCol = 0;
  numColInv = 0;
  numInvPerCol = 0;
  numRowNor = 0;
  numNorPerRow = 0;
  numRowNand = 0;
  numNandPerRow = 0;
  numRowInv = 0;
  numInvPerRow = 0;
  widthInvN = 0;
  widthInvP = 0;
  widthNandN = 0;
  widthNandP = 0;
  widthNorN = 0;
  widthNorP = 0;
  widthDriverInvN = 0;
  widthDriverInvP = 0;
  numInv = 0;
  numNand = 0;
  numNor = 0;
  numMetalConnection = 0;
  capInvInput = 0;
  capInvOutput = 0;
  capNandInput = 0;
  capNandOutput = 0;
  capNorInput = 0;
  capNorOutput = 0;
  capDriverInvInput = 0;
  capDriverInvOutput = 0;
  rampInput = 0;
  rampOutput = 0;

  /** Inputs of each NOR: half the address bits (rounded up). */
  private get norInputs(): number {
    return toInt(Math.ceil(this.numAddrRow / 2));
  }

  // NeuroSim V2.1 RowDecoder.cpp, Initialize
  initialize(mode: DecoderMode, numAddrRow: number, MUX: boolean, parallel: boolean): void {
    const tech = this.ctx.tech;
    const F = tech.featureSize;
    this.mode = mode;
    this.numAddrRow = toInt(numAddrRow);
    this.MUX = MUX;
    this.parallel = parallel;
    const n = this.numAddrRow;
    // Parallel-read mux decoders get 8x transistors; the gate counts are the same.
    const k = parallel ? 8 : 1;
    this.widthInvN = k * MIN_NMOS_SIZE * F;
    this.widthInvP = k * tech.pnSizeRatio * MIN_NMOS_SIZE * F;
    this.numInv = n; // the output-driver inverters are counted separately
    this.widthNandN = k * 2 * MIN_NMOS_SIZE * F;
    this.widthNandP = k * tech.pnSizeRatio * MIN_NMOS_SIZE * F;
    this.numNand = 4 * intDiv(n, 2);
    this.widthNorN = k * MIN_NMOS_SIZE * F;
    // NOR pull-up: ceil(n/2) PMOS in series, each widened by the stack depth.
    this.widthNorP = parallel
      ? 8 * this.norInputs * tech.pnSizeRatio * MIN_NMOS_SIZE * F
      : this.norInputs * tech.pnSizeRatio * MIN_NMOS_SIZE * F;
    this.numNor = n > 2 ? 2 ** n : 0;
    // M3 tracks between the NAND2 and NOR stages.
    this.numMetalConnection = n > 2 ? this.numNand + (n % 2) * 2 : 0;
    this.widthDriverInvN = k * 3 * MIN_NMOS_SIZE * F;
    this.widthDriverInvP = k * 3 * tech.pnSizeRatio * MIN_NMOS_SIZE * F;
    this.initialized = true;
  }

  // NeuroSim V2.1 RowDecoder.cpp, CalculateArea
  calculateArea(newHeight: number, newWidth: number, option: AreaModify): void {
    if (!this.initialized) return; // NeuroSim only prints an error
    const tech = this.ctx.tech;
    const cellH = tech.featureSize * MAX_TRANSISTOR_HEIGHT;
    this.area = 0;
    this.height = 0;
    this.width = 0;
    const inv = calculateGateArea("INV", 1, this.widthInvN, this.widthInvP, cellH, tech);
    const nand = calculateGateArea("NAND", 2, this.widthNandN, this.widthNandP, cellH, tech);
    const nor = calculateGateArea("NOR", this.norInputs, this.widthNorN, this.widthNorP, cellH, tech);
    const drv = calculateGateArea("INV", 1, this.widthDriverInvN, this.widthDriverInvP, cellH, tech);
    const [hInv, wInv, hNand, wNand, hNor, wNor] = [inv.height, inv.width, nand.height, nand.width, nor.height, nor.width];

    if (this.mode === "REGULAR_ROW") {
      if (newHeight && option === "NONE") {
        // Gates stacked in columns of the given height; one column group per gate type.
        this.numColNor = 0;
        this.numNorPerCol = toInt(newHeight / hNor);
        if (this.numNorPerCol > this.numNor) this.numNorPerCol = this.numNor;
        if (this.numNorPerCol > 0) this.numColNor = toInt(Math.ceil(this.numNor / this.numNorPerCol));
        this.numColNand = 0;
        this.numNandPerCol = toInt(newHeight / hNand);
        if (this.numNandPerCol > this.numNand) this.numNandPerCol = this.numNand;
        if (this.numNandPerCol > 0) this.numColNand = toInt(Math.ceil(this.numNand / this.numNandPerCol));
        this.numColInv = 0;
        this.numInvPerCol = toInt(newHeight / hInv);
        if (this.numInvPerCol > this.numInv) this.numInvPerCol = this.numInv;
        this.numColInv = toInt(Math.ceil(this.numInv / this.numInvPerCol)); // unguarded in NeuroSim
        this.height = newHeight;
        this.width =
          wInv * this.numColInv + wNand * this.numColNand + M3_PITCH * this.numMetalConnection * tech.featureSize + wNor * this.numColNor;
        if (this.MUX) {
          this.width += (wNand + wInv * 2) * this.numColNor; // enable NAND + two INV per output
        } else {
          this.width += drv.width * 2 * this.numColNor; // two driver INV per output
        }
      } else {
        this.height = cMax(hNor * this.numNor, hNand * this.numNand);
        this.width = wInv + wNand + M3_PITCH * this.numMetalConnection * tech.featureSize + wNor;
        if (this.MUX) {
          this.width += wNand + wInv * 2;
        } else {
          this.width += drv.width * 2;
        }
      }
    } else {
      if (newWidth && option === "NONE") {
        // Gates laid in rows of the given width.
        this.numRowNor = 0;
        this.numNorPerRow = toInt(newWidth / wNor);
        if (this.numNorPerRow > this.numNor) this.numNorPerRow = this.numNor;
        if (this.numNorPerRow > 0) this.numRowNor = toInt(Math.ceil(this.numNor / this.numNorPerRow));
        this.numRowNand = 0;
        this.numNandPerRow = toInt(newWidth / wNand);
        if (this.numNandPerRow > this.numNand) this.numNandPerRow = this.numNand;
        if (this.numNandPerRow > 0) this.numRowNand = toInt(Math.ceil(this.numNand / this.numNandPerRow));
        this.numRowInv = 0;
        this.numInvPerRow = toInt(newWidth / wInv);
        if (this.numInvPerRow > this.numInv) this.numInvPerRow = this.numInv;
        this.numRowInv = toInt(Math.ceil(this.numInv / this.numInvPerRow));
        this.width = newWidth;
        this.height =
          hInv * this.numRowInv + hNand * this.numRowNand + M2_PITCH * this.numMetalConnection * tech.featureSize + hNor * this.numRowNor;
        if (this.MUX) {
          this.height += (hNand + hInv * 2) * this.numRowNor;
        } else {
          this.height += drv.height * 2 * this.numRowNor;
        }
      } else {
        this.height = hInv + hNand + M2_PITCH * this.numMetalConnection * tech.featureSize + hNor;
        this.width = cMax(wNor * this.numNor, wNand * this.numNand);
        if (this.MUX) {
          this.height += hNand + hInv * 2;
        } else {
          this.height += drv.height * 2;
        }
      }
    }
    this.area = this.height * this.width;

    this.modifyLayout(newHeight, newWidth, option);

    const invCap = calculateGateCapacitance("INV", 1, this.widthInvN, this.widthInvP, hInv, tech);
    this.capInvInput = invCap.capInput;
    this.capInvOutput = invCap.capOutput;
    if (this.numNand) {
      const c = calculateGateCapacitance("NAND", 2, this.widthNandN, this.widthNandP, hNand, tech);
      this.capNandInput = c.capInput;
      this.capNandOutput = c.capOutput;
    } else {
      this.capNandInput = this.capNandOutput = 0;
    }
    if (this.numNor) {
      const c = calculateGateCapacitance("NOR", this.norInputs, this.widthNorN, this.widthNorP, hNor, tech);
      this.capNorInput = c.capInput;
      this.capNorOutput = c.capOutput;
    } else {
      this.capNorInput = this.capNorOutput = 0;
    }
    const drvCap = calculateGateCapacitance("INV", 1, this.widthDriverInvN, this.widthDriverInvP, drv.height, tech);
    this.capDriverInvInput = drvCap.capInput;
    this.capDriverInvOutput = drvCap.capOutput;
  }

  // NeuroSim V2.1 RowDecoder.cpp, CalculateLatency: Horowitz delay through each stage; read and write paths are identical.
  calculateLatency(rampInput: number, capLoad1: number, capLoad2: number, numRead: number, numWrite: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    this.rampInput = rampInput;
    this.capLoad1 = capLoad1;
    this.capLoad2 = capLoad2;
    let delay = 0;
    let rampInvOutput = 1e20;
    let rampNandOutput = 1e20;
    let rampNorOutput = 1e20;
    let res: number;
    let tr: number;
    let h: { delay: number; rampOutput: number };
    const stage = (r: number, trIn: number, width: number, type: "NMOS" | "PMOS", ramp: number) => {
      const beta = 1 / (r * calculateTransconductance(width, type, tech));
      return horowitz(trIn, beta, ramp);
    };

    // Address inverters: each drives two NAND2 inputs (or the load when there is no NAND stage).
    res = calculateOnResistance(this.widthInvN, "NMOS", temperature, tech);
    tr = this.numNand ? res * (this.capInvOutput + this.capNandInput * 2) : res * (this.capInvOutput + capLoad1);
    h = stage(res, tr, this.widthInvN, "NMOS", rampInput);
    delay += h.delay;
    rampInvOutput = h.rampOutput;
    if (!this.numNand) this.rampOutput = rampInvOutput;

    // NAND2 predecoders: each output fans out to a quarter of the NORs.
    if (this.numNand) {
      res = calculateOnResistance(this.widthNandN, "NMOS", temperature, tech) * 2;
      tr = this.numNor ? res * (this.capNandOutput + (this.capNorInput * this.numNor) / 4) : res * (this.capNandOutput + capLoad1);
      h = stage(res, tr, this.widthNandN, "NMOS", rampInvOutput);
      delay += h.delay;
      rampNandOutput = h.rampOutput;
      if (!this.numNor) this.rampOutput = rampNandOutput;
    }

    // NOR: series PMOS pull-up.
    if (this.numNor) {
      res = calculateOnResistance(this.widthNorP, "PMOS", temperature, tech) * 2;
      tr = this.MUX ? res * (this.capNorOutput + this.capNandInput) : res * (this.capNorOutput + this.capInvInput);
      h = stage(res, tr, this.widthNorP, "PMOS", rampNandOutput);
      delay += h.delay;
      rampNorOutput = h.rampOutput;
      this.rampOutput = rampNorOutput;
    }

    if (this.MUX) {
      // Enable NAND, then INV to the NMOS TG gates (capLoad1), then INV to the PMOS TG gates (capLoad2).
      res = calculateOnResistance(this.widthNandN, "NMOS", temperature, tech);
      tr = res * (this.capNandOutput + this.capInvInput);
      h = stage(res, tr, this.widthNandN, "NMOS", rampNorOutput);
      delay += h.delay;
      rampNandOutput = h.rampOutput;
      res = calculateOnResistance(this.widthInvP, "PMOS", temperature, tech);
      tr = res * (this.capInvOutput + this.capInvInput + capLoad1);
      h = stage(res, tr, this.widthInvP, "PMOS", rampNandOutput);
      delay += h.delay;
      rampInvOutput = h.rampOutput;
      res = calculateOnResistance(this.widthInvN, "NMOS", temperature, tech);
      tr = res * (this.capInvOutput + capLoad2);
      h = stage(res, tr, this.widthInvN, "NMOS", rampInvOutput);
      delay += h.delay;
      // NeuroSim reports the middle inverter's ramp, not the last one's.
      this.rampOutput = rampInvOutput;
    } else {
      // Two-inverter output driver.
      res = calculateOnResistance(this.widthDriverInvN, "NMOS", temperature, tech);
      tr = res * (this.capDriverInvOutput + this.capDriverInvInput);
      h = stage(res, tr, this.widthDriverInvN, "NMOS", rampNorOutput);
      delay += h.delay;
      rampInvOutput = h.rampOutput;
      res = calculateOnResistance(this.widthDriverInvP, "PMOS", temperature, tech);
      tr = res * (this.capDriverInvOutput + capLoad1);
      h = stage(res, tr, this.widthDriverInvP, "PMOS", rampInvOutput);
      delay += h.delay;
      this.rampOutput = rampInvOutput;
    }
    this.readLatency = delay * numRead;
    this.writeLatency = delay * numWrite;
  }

  // NeuroSim V2.1 RowDecoder.cpp, CalculatePower: leakage of every gate; dynamic energy as if all address bits rise.
  calculatePower(numRead: number, numWrite: number): void {
    if (!this.initialized) return;
    const { tech, temperature } = this.ctx;
    const vdd = tech.vdd;
    const n = this.numAddrRow;
    this.leakage = 0;
    this.leakage += calculateGateLeakage("INV", 1, this.widthInvN, this.widthInvP, temperature, tech) * vdd * this.numInv;
    this.leakage += calculateGateLeakage("NAND", 2, this.widthNandN, this.widthNandP, temperature, tech) * vdd * this.numNand;
    this.leakage += calculateGateLeakage("NOR", this.norInputs, this.widthNorN, this.widthNorP, temperature, tech) * vdd * this.numNor;
    if (this.MUX) {
      this.leakage += calculateGateLeakage("NAND", 2, this.widthNandN, this.widthNandP, temperature, tech) * vdd * this.numNor;
      this.leakage += calculateGateLeakage("INV", 1, this.widthInvN, this.widthInvP, temperature, tech) * vdd * 2 * this.numNor;
    } else {
      this.leakage += calculateGateLeakage("INV", 1, this.widthDriverInvN, this.widthDriverInvP, temperature, tech) * vdd * 2 * this.numNor;
    }

    // Same switching for a read and a write.
    let e = 0;
    // Address inverters feeding NAND2 pairs, plus the odd bit that feeds the NORs directly.
    e += (this.capInvInput + this.capNandInput * 2) * vdd * vdd * intDiv(n, 2) * 2;
    e += (this.capInvInput + (this.capNorInput * this.numNor) / 2) * vdd * vdd * (n - intDiv(n, 2) * 2);
    // One NAND output of each group of four switches.
    e += ((this.capNandOutput + (this.capNorInput * this.numNor) / 4) * vdd * vdd * this.numNand) / 4;
    // One NOR output switches.
    e += this.MUX ? (this.capNorOutput + this.capNandInput) * vdd * vdd : (this.capNorOutput + this.capInvInput) * vdd * vdd;
    if (this.MUX) {
      e += (this.capNandOutput + this.capInvInput) * vdd * vdd;
      e += (this.capInvOutput + this.capInvInput) * vdd * vdd;
      e += this.capInvOutput * vdd * vdd;
    } else {
      e += (this.capDriverInvInput + this.capDriverInvOutput) * vdd * vdd * 2;
    }
    this.readDynamicEnergy = e * numRead;
    this.writeDynamicEnergy = e * numWrite;
  }
}
