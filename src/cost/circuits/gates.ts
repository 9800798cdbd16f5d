// NeuroSim V2.1 formula.cpp / formula.h / constant.h: gate-level area, capacitance, resistance, leakage and delay formulas.
import type { Technology } from "./technology.js";

export type GateType = "INV" | "NOR" | "NAND";
export type TransistorKind = "NMOS" | "PMOS";

// Layout and sizing constants (constant.h), in units of feature size F unless noted.
export const MAX_NMOS_SIZE = 100;
export const MIN_NMOS_SIZE = 2;
export const MAX_TRANSISTOR_HEIGHT = 28;
export const MAX_TRANSISTOR_HEIGHT_FINFET = 34;
export const MIN_GAP_BET_P_AND_N_DIFFS = 3.5;
export const MIN_GAP_BET_SAME_TYPE_DIFFS = 1.6;
export const MIN_GAP_BET_GATE_POLY = 2.8;
export const MIN_GAP_BET_GATE_POLY_FINFET = 3.9;
export const MIN_GAP_BET_CONTACT_POLY = 0.7;
export const CONTACT_SIZE = 1.3;
export const MIN_WIDTH_POWER_RAIL = 3.4;
export const MIN_POLY_EXT_DIFF = 1.0;
export const MIN_GAP_BET_FIELD_POLY = 1.6;
export const POLY_WIDTH = 1.0;
export const POLY_WIDTH_FINFET = 1.4;
export const M2_PITCH = 3.2;
export const M3_PITCH = 2.8;
export const AVG_RATIO_LEAK_2INPUT_NAND = 0.48;
export const AVG_RATIO_LEAK_3INPUT_NAND = 0.31;
export const AVG_RATIO_LEAK_2INPUT_NOR = 0.95;
export const AVG_RATIO_LEAK_3INPUT_NOR = 0.62;
export const W_SENSE_P = 7.5;
export const W_SENSE_N = 3.75;
export const W_SENSE_ISO = 12.5;
export const W_SENSE_EN = 5.0;
export const W_SENSE_MUX = 9.0;
export const IR_DROP_TOLERANCE = 0.25;
export const LINEAR_REGION_RATIO = 0.2;
export const HEIGHT_WIDTH_RATIO_LIMIT = 5;
export const RATIO_READ_THRESHOLD_VS_VOLTAGE = 0.2;
export const ROW_MODE = 0;
export const COL_MODE = 1;

/** C integer division of the two height constants (34/28 → 1), as formula.cpp evaluates it. */
const FINFET_HEIGHT_SCALE = Math.trunc(MAX_TRANSISTOR_HEIGHT_FINFET / MAX_TRANSISTOR_HEIGHT);

export interface AreaResult {
  area: number;
  height: number;
  width: number;
}

/** Bulk planar layout rules apply at 22 nm and above; below that, NeuroSim uses FinFET rules. */
function isBulk(tech: Technology): boolean {
  return tech.featureSize >= 22 * 1e-9;
}

/** Effective FinFET channel width of a (layout-scaled) width: whole fins × fin perimeter. */
function finWidth(width: number, tech: Technology): number {
  const scaled = width * (tech.pitchFin / (2 * tech.featureSize));
  return Math.ceil(scaled / tech.pitchFin) * (2 * tech.heightFin + tech.widthFin);
}

function tempIndex(temperature: number): number {
  const i = Math.trunc(temperature) - 300;
  if (i > 100 || i < 0) throw new Error("Error: Temperature is out of range");
  return i;
}

/** C `(int)` of a double. */
const toInt = Math.trunc;

// NeuroSim V2.1 formula.cpp, CalculateGateCap
export function calculateGateCap(width: number, tech: Technology): number {
  const widthEff = isBulk(tech) ? width : finWidth(width, tech);
  return (tech.capIdealGate + tech.capOverlap + tech.capFringe) * widthEff + tech.phyGateLength * tech.capPolywire;
}

/** Max transistor widths (bulk) or fin counts (FinFET) that fit the cell height, shared by area and capacitance. */
function maxWidths(ratio: number, heightTransistorRegion: number, tech: Technology): { maxP: number; maxN: number } {
  const fs = tech.featureSize;
  const ext = (MIN_POLY_EXT_DIFF + MIN_GAP_BET_FIELD_POLY / 2) * 2 * fs;
  if (ratio === 0) return { maxP: 0, maxN: heightTransistorRegion - ext };
  if (ratio === 1) return { maxP: heightTransistorRegion - ext, maxN: 0 };
  const maxP = ratio * (heightTransistorRegion - MIN_GAP_BET_P_AND_N_DIFFS * fs - ext);
  return { maxP, maxN: (maxP / ratio) * (1 - ratio) };
}

function maxFins(ratio: number, heightTransistorRegion: number, tech: Technology): { maxP: number; maxN: number } {
  const fs = tech.featureSize;
  const ext = (MIN_POLY_EXT_DIFF + MIN_GAP_BET_FIELD_POLY / 2) * 2 * fs;
  const fins = (h: number) => toInt(Math.floor(h / tech.pitchFin)) + 1;
  if (ratio === 0) return { maxP: 0, maxN: fins(heightTransistorRegion - ext) };
  if (ratio === 1) return { maxP: fins(heightTransistorRegion - ext), maxN: 0 };
  const avail = heightTransistorRegion - MIN_GAP_BET_P_AND_N_DIFFS * fs - ext;
  return { maxP: fins(ratio * avail), maxN: fins((1 - ratio) * avail) };
}

/** C integer division a / b for ints (truncating). */
function idiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

// NeuroSim V2.1 formula.cpp, CalculateGateArea (fixed cell height, width grows with folding)
export function calculateGateArea(
  gateType: GateType,
  numInput: number,
  widthNMOS: number,
  widthPMOS: number,
  heightTransistorRegion: number,
  tech: Technology,
): AreaResult {
  const fs = tech.featureSize;
  if (fs <= 14 * 1e-9) {
    widthNMOS *= tech.pitchFin / (2 * fs);
    widthPMOS *= tech.pitchFin / (2 * fs);
    heightTransistorRegion *= FINFET_HEIGHT_SCALE;
  }
  const ratio = widthPMOS / (widthPMOS + widthNMOS);
  let unitWidthRegionP: number;
  let unitWidthRegionN: number;
  let numFoldedPMOS = 1;
  let numFoldedNMOS = 1;
  const bulk = isBulk(tech);
  if (bulk) {
    const { maxP, maxN } = maxWidths(ratio, heightTransistorRegion, tech);
    if (widthPMOS > 0) {
      if (widthPMOS <= maxP) {
        unitWidthRegionP = 2 * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * fs;
      } else {
        numFoldedPMOS = toInt(Math.ceil(widthPMOS / maxP));
        unitWidthRegionP = (numFoldedPMOS + 1) * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * fs;
      }
    } else {
      unitWidthRegionP = 0;
    }
    if (widthNMOS > 0) {
      if (widthNMOS <= maxN) {
        unitWidthRegionN = 2 * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * fs;
      } else {
        numFoldedNMOS = toInt(Math.ceil(widthNMOS / maxN));
        unitWidthRegionN = (numFoldedNMOS + 1) * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * fs;
      }
    } else {
      unitWidthRegionN = 0;
    }
  } else {
    const { maxP, maxN } = maxFins(ratio, heightTransistorRegion, tech);
    const numPFin = toInt(Math.ceil(widthPMOS / tech.pitchFin));
    if (numPFin > 0) {
      if (numPFin <= maxP) {
        unitWidthRegionP = 2 * (POLY_WIDTH_FINFET + MIN_GAP_BET_GATE_POLY_FINFET) * fs;
      } else {
        numFoldedPMOS = idiv(numPFin, maxP); // integer division before ceil, as in NeuroSim
        unitWidthRegionP = (numFoldedPMOS + 1) * (POLY_WIDTH_FINFET + MIN_GAP_BET_GATE_POLY_FINFET) * fs;
      }
    } else {
      unitWidthRegionP = 0;
    }
    const numNFin = toInt(Math.ceil(widthNMOS / tech.pitchFin));
    if (numNFin > 0) {
      if (numNFin <= maxN) {
        unitWidthRegionN = 2 * (POLY_WIDTH_FINFET + MIN_GAP_BET_GATE_POLY_FINFET) * fs;
      } else {
        numFoldedNMOS = idiv(numNFin, maxN);
        unitWidthRegionN = (numFoldedNMOS + 1) * (POLY_WIDTH_FINFET + MIN_GAP_BET_GATE_POLY_FINFET) * fs;
      }
    } else {
      unitWidthRegionN = 0;
    }
  }

  let widthRegionP: number;
  let widthRegionN: number;
  if (gateType === "INV") {
    widthRegionP = unitWidthRegionP;
    widthRegionN = unitWidthRegionN;
  } else if (numFoldedPMOS === 1 && numFoldedNMOS === 1) {
    // Unfolded series/parallel stacks share source/drain regions between neighbours.
    const pitch = bulk ? POLY_WIDTH + MIN_GAP_BET_GATE_POLY : POLY_WIDTH_FINFET + MIN_GAP_BET_GATE_POLY_FINFET;
    widthRegionP = unitWidthRegionP * numInput - (numInput - 1) * fs * pitch;
    widthRegionN = unitWidthRegionN * numInput - (numInput - 1) * fs * pitch;
  } else {
    widthRegionP = unitWidthRegionP * numInput;
    widthRegionN = unitWidthRegionN * numInput;
  }
  const width = widthRegionN > widthRegionP ? widthRegionN : widthRegionP;
  const height = heightTransistorRegion;
  return { area: width * height, height, width };
}

export interface GateCapacitance {
  capInput: number;
  capOutput: number;
}

// NeuroSim V2.1 formula.cpp, CalculateGateCapacitance (input gate cap and output drain junction cap)
export function calculateGateCapacitance(
  gateType: GateType,
  numInput: number,
  widthNMOS: number,
  widthPMOS: number,
  heightTransistorRegion: number,
  tech: Technology,
): GateCapacitance {
  const fs = tech.featureSize;
  if (fs <= 14 * 1e-9) {
    widthNMOS *= tech.pitchFin / (2 * fs);
    widthPMOS *= tech.pitchFin / (2 * fs);
    heightTransistorRegion *= FINFET_HEIGHT_SCALE;
  }
  const ratio = widthPMOS / (widthPMOS + widthNMOS);
  let unitWidthDrainP = 0;
  let unitWidthDrainN = 0;
  let unitWidthSourceP = 0;
  let unitWidthSourceN = 0;
  let heightDrainP = 0;
  let heightDrainN = 0;
  let numFoldedPMOS = 1;
  let numFoldedNMOS = 1;
  if (isBulk(tech)) {
    const { maxP, maxN } = maxWidths(ratio, heightTransistorRegion, tech);
    if (widthPMOS > 0) {
      if (widthPMOS <= maxP) {
        unitWidthDrainP = fs * MIN_GAP_BET_GATE_POLY;
        unitWidthSourceP = unitWidthDrainP;
        heightDrainP = widthPMOS;
      } else {
        numFoldedPMOS = toInt(Math.ceil(widthPMOS / maxP));
        // Folded devices: drain fingers ≥ source fingers.
        unitWidthDrainP = toInt(Math.ceil((numFoldedPMOS + 1) / 2)) * fs * MIN_GAP_BET_GATE_POLY;
        unitWidthSourceP = toInt(Math.floor((numFoldedPMOS + 1) / 2)) * fs * MIN_GAP_BET_GATE_POLY;
        heightDrainP = maxP;
      }
    }
    if (widthNMOS > 0) {
      if (widthNMOS <= maxN) {
        unitWidthDrainN = fs * MIN_GAP_BET_GATE_POLY;
        unitWidthSourceN = unitWidthDrainN;
        heightDrainN = widthNMOS;
      } else {
        numFoldedNMOS = toInt(Math.ceil(widthNMOS / maxN));
        unitWidthDrainN = toInt(Math.ceil((numFoldedNMOS + 1) / 2)) * fs * MIN_GAP_BET_GATE_POLY;
        unitWidthSourceN = toInt(Math.floor((numFoldedNMOS + 1) / 2)) * fs * MIN_GAP_BET_GATE_POLY;
        heightDrainN = maxN;
      }
    }
  } else {
    const { maxP, maxN } = maxFins(ratio, heightTransistorRegion, tech);
    const numPFin = toInt(Math.ceil(widthPMOS / tech.pitchFin));
    if (numPFin > 0) {
      if (numPFin <= maxP) {
        unitWidthDrainP = fs * MIN_GAP_BET_GATE_POLY_FINFET;
        unitWidthSourceP = unitWidthDrainP;
        heightDrainP = (numPFin - 1) * tech.pitchFin + (2 * tech.widthFin) / 2;
      } else {
        numFoldedPMOS = idiv(numPFin, maxP);
        unitWidthDrainP = toInt(Math.ceil((numFoldedPMOS + 1) / 2)) * fs * MIN_GAP_BET_GATE_POLY_FINFET;
        unitWidthSourceP = toInt(Math.floor((numFoldedPMOS + 1) / 2)) * fs * MIN_GAP_BET_GATE_POLY_FINFET;
        heightDrainP = (maxP - 1) * tech.pitchFin + (2 * tech.widthFin) / 2;
      }
    }
    const numNFin = toInt(Math.ceil(widthNMOS / tech.pitchFin));
    if (numNFin > 0) {
      if (numNFin <= maxN) {
        unitWidthDrainN = fs * MIN_GAP_BET_GATE_POLY_FINFET;
        unitWidthSourceN = unitWidthDrainN;
        heightDrainN = (numNFin - 1) * tech.pitchFin + (2 * tech.widthFin) / 2;
      } else {
        numFoldedNMOS = idiv(numNFin, maxN);
        unitWidthDrainN = toInt(Math.ceil((numFoldedNMOS + 1) / 2)) * fs * MIN_GAP_BET_GATE_POLY_FINFET;
        unitWidthSourceN = toInt(Math.floor((numFoldedNMOS + 1) / 2)) * fs * MIN_GAP_BET_GATE_POLY_FINFET;
        heightDrainN = (maxN - 1) * tech.pitchFin + (2 * tech.widthFin) / 2;
      }
    }
  }

  let widthDrainP = 0;
  let widthDrainN = 0;
  let widthDrainSidewallP = 0;
  let widthDrainSidewallN = 0;
  if (gateType === "INV") {
    if (widthPMOS > 0) {
      widthDrainP = unitWidthDrainP;
      widthDrainSidewallP = widthDrainP * 2 + heightDrainP * (1 + ((numFoldedPMOS + 1) % 2));
    }
    if (widthNMOS > 0) {
      widthDrainN = unitWidthDrainN;
      // NeuroSim uses the PMOS fold count here too (reproduced as is).
      widthDrainSidewallN = widthDrainN * 2 + heightDrainN * (1 + ((numFoldedPMOS + 1) % 2));
    }
  } else if (gateType === "NOR") {
    if (numFoldedPMOS === 1 && numFoldedNMOS === 1) {
      if (widthPMOS > 0) {
        widthDrainP = unitWidthDrainP * numInput;
        widthDrainSidewallP = widthDrainP * 2 + heightDrainP;
      }
      if (widthNMOS > 0) {
        widthDrainN = unitWidthDrainN * toInt(Math.floor((numInput + 1) / 2));
        widthDrainSidewallN = widthDrainN * 2 + heightDrainN * (1 - ((numInput + 1) % 2));
      }
    } else {
      if (widthPMOS > 0) {
        widthDrainP = unitWidthDrainP * numInput + (numInput - 1) * unitWidthSourceP;
        widthDrainSidewallP =
          widthDrainP * 2 +
          heightDrainP * (1 + ((numFoldedPMOS + 1) % 2)) * numInput +
          heightDrainP * (1 - ((numFoldedPMOS + 1) % 2)) * (numInput - 1);
      }
      if (widthNMOS > 0) {
        widthDrainN = unitWidthDrainN * numInput;
        widthDrainSidewallN = widthDrainN * 2 + heightDrainN * (1 + ((numFoldedNMOS + 1) % 2)) * numInput;
      }
    }
  } else if (gateType === "NAND") {
    if (numFoldedPMOS === 1 && numFoldedNMOS === 1) {
      if (widthPMOS > 0) {
        widthDrainP = unitWidthDrainP * toInt(Math.floor((numInput + 1) / 2));
        widthDrainSidewallP = widthDrainP * 2 + heightDrainP * (1 - ((numInput + 1) % 2));
      }
      if (widthNMOS > 0) {
        widthDrainN = unitWidthDrainN * numInput;
        widthDrainSidewallN = widthDrainN * 2 + heightDrainN;
      }
    } else {
      if (widthPMOS > 0) {
        widthDrainP = unitWidthDrainP * numInput;
        widthDrainSidewallP = widthDrainP * 2 + heightDrainP * (1 + ((numFoldedPMOS + 1) % 2)) * numInput;
      }
      if (widthNMOS > 0) {
        widthDrainN = unitWidthDrainN * numInput + (numInput - 1) * unitWidthSourceN;
        widthDrainSidewallN =
          widthDrainN * 2 +
          heightDrainN * (1 + ((numFoldedNMOS + 1) % 2)) * numInput +
          heightDrainN * (1 - ((numFoldedNMOS + 1) % 2)) * (numInput - 1);
      }
    }
  }
  const capDrainBottomN = widthDrainN * heightDrainN * tech.capJunction;
  const capDrainBottomP = widthDrainP * heightDrainP * tech.capJunction;
  const capDrainSidewallP = widthDrainSidewallP * tech.capSidewall;
  const capDrainSidewallN = widthDrainSidewallN * tech.capSidewall;
  const capDrainToChannelN = numFoldedNMOS * heightDrainN * tech.capDrainToChannel;
  const capDrainToChannelP = numFoldedPMOS * heightDrainP * tech.capDrainToChannel;
  return {
    capOutput: capDrainBottomN + capDrainBottomP + capDrainSidewallN + capDrainSidewallP + capDrainToChannelN + capDrainToChannelP,
    // FinFET widths were already scaled above and calculateGateCap scales again (as NeuroSim does).
    capInput: calculateGateCap(widthNMOS, tech) + calculateGateCap(widthPMOS, tech),
  };
}

// NeuroSim V2.1 formula.cpp, CalculateDrainCap (drain cap of a single transistor laid out as an inverter half)
export function calculateDrainCap(width: number, type: TransistorKind, heightTransistorRegion: number, tech: Technology): number {
  return type === "NMOS"
    ? calculateGateCapacitance("INV", 1, width, 0, heightTransistorRegion, tech).capOutput
    : calculateGateCapacitance("INV", 1, 0, width, heightTransistorRegion, tech).capOutput;
}

// NeuroSim V2.1 formula.cpp, CalculateGateLeakage (A; multiply by vdd for power)
export function calculateGateLeakage(
  gateType: GateType,
  numInput: number,
  widthNMOS: number,
  widthPMOS: number,
  temperature: number,
  tech: Technology,
): number {
  const t = tempIndex(temperature);
  const widthNMOSEff = isBulk(tech) ? widthNMOS : finWidth(widthNMOS, tech);
  const widthPMOSEff = isBulk(tech) ? widthPMOS : finWidth(widthPMOS, tech);
  const leakN = tech.currentOffNmos[t] as number;
  const leakP = tech.currentOffPmos[t] as number;
  if (gateType === "INV") {
    return (widthNMOSEff * leakN + widthPMOSEff * leakP) / 2;
  }
  if (gateType === "NOR") {
    const leakageN = widthNMOSEff * leakN * numInput;
    return numInput === 2 ? AVG_RATIO_LEAK_2INPUT_NOR * leakageN : AVG_RATIO_LEAK_3INPUT_NOR * leakageN;
  }
  const leakageP = widthPMOSEff * leakP * numInput;
  return numInput === 2 ? AVG_RATIO_LEAK_2INPUT_NAND * leakageP : AVG_RATIO_LEAK_3INPUT_NAND * leakageP;
}

// NeuroSim V2.1 formula.cpp, CalculateOnResistance
export function calculateOnResistance(width: number, type: TransistorKind, temperature: number, tech: Technology): number {
  const t = tempIndex(temperature);
  const widthEff = isBulk(tech) ? width : finWidth(width, tech);
  const current = type === "NMOS" ? (tech.currentOnNmos[t] as number) : (tech.currentOnPmos[t] as number);
  return (tech.effectiveResistanceMultiplier * tech.vdd) / (current * widthEff);
}

// NeuroSim V2.1 formula.cpp, CalculateTransconductance
export function calculateTransconductance(width: number, type: TransistorKind, tech: Technology): number {
  const gmCurrent = type === "NMOS" ? tech.currentGmNmos : tech.currentGmPmos;
  return (2 * gmCurrent * width) / (0.7 * tech.vdd - tech.vth);
}

export interface HorowitzResult {
  delay: number;
  rampOutput: number;
}

// NeuroSim V2.1 formula.cpp, horowitz (beta is ignored: fixed at 0.5 as in CACTI)
export function horowitz(tr: number, _beta: number, rampInput: number): HorowitzResult {
  const alpha = 1 / rampInput / tr;
  const vs = 0.5;
  const beta = 0.5;
  const delay = tr * Math.sqrt(Math.log(vs) * Math.log(vs) + 2 * alpha * beta * (1 - vs));
  return { delay, rampOutput: (1 - vs) / delay };
}

// NeuroSim V2.1 formula.cpp, CalculatePassGateArea (cell height grows with width / numFold)
export function calculatePassGateArea(widthNMOS: number, widthPMOS: number, tech: Technology, numFold: number): AreaResult {
  const fs = tech.featureSize;
  let width: number;
  let height: number;
  if (isBulk(tech)) {
    width = (numFold + 1) * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * fs;
    height =
      widthPMOS / numFold +
      widthNMOS / numFold +
      MIN_GAP_BET_P_AND_N_DIFFS * fs +
      (MIN_POLY_EXT_DIFF + MIN_GAP_BET_FIELD_POLY / 2) * 2 * fs;
  } else {
    width = (numFold + 1) * (POLY_WIDTH_FINFET + MIN_GAP_BET_GATE_POLY_FINFET) * fs;
    const wN = widthNMOS * (tech.pitchFin / (2 * fs));
    const wP = widthPMOS * (tech.pitchFin / (2 * fs));
    const totalNumPFin = toInt(Math.ceil(wP / (2 * tech.heightFin + tech.widthFin)));
    const totalNumNFin = toInt(Math.ceil(wN / (2 * tech.heightFin + tech.widthFin)));
    const numPFin = toInt(Math.ceil(totalNumPFin / numFold));
    const numNFin = toInt(Math.ceil(totalNumNFin / numFold));
    const heightRegionP = (numPFin - 1) * tech.pitchFin + (2 * tech.widthFin) / 2;
    const heightRegionN = (numNFin - 1) * tech.pitchFin + (2 * tech.widthFin) / 2;
    height = heightRegionP + heightRegionN + MIN_GAP_BET_P_AND_N_DIFFS * fs + (MIN_POLY_EXT_DIFF + MIN_GAP_BET_FIELD_POLY / 2) * 2 * fs;
  }
  return { area: width * height, height, width };
}

// NeuroSim V2.1 formula.cpp, NonlinearResistance (R at voltage V given resistance R at Vr and nonlinearity NL)
export function nonlinearResistance(R: number, NL: number, Vw: number, Vr: number, V: number): number {
  return ((R * V) / Vr) * NL ** ((Vr - V) / (Vw / 2));
}

/** C-style MAX/MIN macros of formula.h. */
export function max(a: number, b: number): number {
  return a > b ? a : b;
}
export function min(a: number, b: number): number {
  return a < b ? a : b;
}
