// NeuroSim V2.1 FunctionUnit.h/.cpp: the common base of every circuit block (geometry, timing and energy
// fields, plus the two ways a caller can force a block's layout).
import type { CircuitContext } from "./params.js";

/** How a caller may reshape a block after its natural layout is computed (NeuroSim's AreaModify). */
export type AreaModify = "NONE" | "MAGIC" | "OVERRIDE";

/**
 * C++ `(int)x` for a double as compiled for x86-64: truncation toward zero, and the "integer indefinite"
 * value INT_MIN when x is NaN, infinite or outside the int range (NeuroSim hits this when it divides by a
 * zero count of cells per row, and the result then flows into widths).
 */
export function toInt(x: number): number {
  if (!Number.isFinite(x) || x >= 2147483648 || x <= -2147483649) return -2147483648;
  return Math.trunc(x);
}

/** C++ integer division of two ints (truncates toward zero). */
export function intDiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

/** NeuroSim's MIN/MAX macros: `(a < b) ? a : b`, which differ from Math.min/max on NaN. */
export function cMin(a: number, b: number): number {
  return a < b ? a : b;
}
export function cMax(a: number, b: number): number {
  return a > b ? a : b;
}

// NeuroSim V2.1 FunctionUnit.cpp
export class FunctionUnit {
  /** Unit: m. */
  height = 0;
  width = 0;
  /** Unit: m^2. */
  area = 0;
  emptyArea = 0;
  usedArea = 0;
  totalArea = 0;
  /** Unit: s. */
  readLatency = 0;
  writeLatency = 0;
  /** Unit: J. */
  readDynamicEnergy = 0;
  writeDynamicEnergy = 0;
  /** Unit: W. */
  leakage = 0;
  /** Target dimensions recorded by calculateArea for MAGIC / OVERRIDE. */
  newWidth = 0;
  newHeight = 0;
  readPower = 0;
  writePower = 0;

  constructor(readonly ctx: CircuitContext) {}

  // NeuroSim V2.1 FunctionUnit.cpp, MagicLayout: keep the area, fold it to the requested height (or width).
  magicLayout(): void {
    if (this.newHeight) {
      this.width = this.area / this.newHeight;
      this.height = this.newHeight;
    } else if (this.newWidth) {
      this.height = this.area / this.newWidth;
      this.width = this.newWidth;
    }
  }

  // NeuroSim V2.1 FunctionUnit.cpp, OverrideLayout: impose both dimensions (NeuroSim exits if one is missing).
  overrideLayout(): void {
    if (this.newHeight && this.newWidth) {
      this.height = this.newHeight;
      this.width = this.newWidth;
    } else {
      throw new Error("Need to provide both newHeight and newWidth for OverrideLayout()");
    }
    this.area = this.height * this.width;
  }

  /** The tail shared by most calculateArea methods: record the targets, then apply the option. */
  protected modifyLayout(newHeight: number, newWidth: number, option: AreaModify): void {
    this.newHeight = newHeight;
    this.newWidth = newWidth;
    this.applyOption(option);
  }

  /** Apply MAGIC / OVERRIDE with whatever newHeight/newWidth are currently stored. */
  protected applyOption(option: AreaModify): void {
    if (option === "MAGIC") this.magicLayout();
    else if (option === "OVERRIDE") this.overrideLayout();
  }
}
