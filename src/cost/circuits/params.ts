// NeuroSim V2.1 Param.h / Param.cpp / MemCell.h, plus the derivations of main.cpp, ProcessingUnit.cpp and SubArray.cpp.
import {
  calculateDrainCap,
  calculateGateCap,
  calculateOnResistance,
  IR_DROP_TOLERANCE,
  LINEAR_REGION_RATIO,
  nonlinearResistance,
} from "./gates.js";
import { type DeviceRoadmap, type Technology, technology } from "./technology.js";

/**
 * Every field of NeuroSim's Param class (camelCase). Numeric codes are kept where NeuroSim branches on them:
 * - operationmode: 1 conventionalSequential, 2 conventionalParallel (3–6 are BNN/XNOR modes, not ported)
 * - memcelltype: 1 SRAM, 2 RRAM, 3 FeFET
 * - accesstype: 1 CMOS (1T1R), 2 BJT, 3 diode, 4 none (crossbar)
 * - transistortype: 1 conventional CMOS (the only one ported)
 * - deviceroadmap: 1 HP, 2 LSTP
 * - dramType: 1 GDDR5, 2 HBM2
 * - globalBufferType / tileBufferType / peBufferType: false register file, true SRAM
 * - wireWidth (nm): 200 | 100 | 50 | 40 | 32 | 22 | 14, or -1 to ignore wire resistance
 */
export interface NeuroSimParams {
  operationmode: number;
  /** Declared but never set in V2.1 (0). */
  operationmodeBack: number;
  memcelltype: number;
  accesstype: number;
  transistortype: number;
  deviceroadmap: number;

  heightInFeatureSizeSRAM: number;
  widthInFeatureSizeSRAM: number;
  widthSRAMCellNMOS: number;
  widthSRAMCellPMOS: number;
  widthAccessCMOS: number;
  minSenseVoltage: number;

  heightInFeatureSize1T1R: number;
  widthInFeatureSize1T1R: number;
  heightInFeatureSizeCrossbar: number;
  widthInFeatureSizeCrossbar: number;

  relaxArrayCellHeight: number;
  relaxArrayCellWidth: number;

  globalBufferType: boolean;
  tileBufferType: boolean;
  peBufferType: boolean;
  /** true: activation (ReLU/sigmoid) outside the tiles. */
  chipActivation: boolean;
  /** true: ReLU, false: sigmoid. */
  reLu: boolean;
  novelMapping: boolean;
  pipeline: boolean;
  trainingEstimation: boolean;
  parallelBP: boolean;
  nonlinearIV: boolean;
  /** true: SAR ADC, false: multilevel sense amp (Param.h SARADC). */
  sarADC: boolean;
  /** Multilevel sense amp flavour: true current-mode (CSA), false voltage-mode (VSA). */
  currentMode: boolean;
  globalBufferCoreSizeRow: number;
  globalBufferCoreSizeCol: number;
  tileBufferCoreSizeRow: number;
  tileBufferCoreSizeCol: number;

  clkFreq: number;
  /** Cell (wire) feature size used for sub-array dimensions, m — independent of technode in NeuroSim. */
  featuresize: number;
  /** Declared but never set in V2.1 (0). */
  readNoise: number;
  resistanceOn: number;
  resistanceOff: number;
  maxConductance: number;
  minConductance: number;
  gateCapFeFET: number;
  polarization: number;
  /** Temperature, K (integer in NeuroSim). */
  temp: number;
  /** CMOS node, nm. */
  technode: number;
  /** Wire width, nm (selects AR/Rho); -1 ignores wire resistance. */
  wireWidth: number;
  /** Declared but never set in V2.1 (0). */
  multipleCells: number;
  maxNumLevelLTP: number;
  maxNumLevelLTD: number;
  readVoltage: number;
  readPulseWidth: number;
  writeVoltage: number;
  accessVoltage: number;
  resistanceAccess: number;
  nonlinearity: number;
  writePulseWidth: number;
  /** Declared but never set in V2.1 (0). */
  numWritePulse: number;
  globalBusDelayTolerance: number;
  localBusDelayTolerance: number;
  treeFoldedRatio: number;
  maxGlobalBusWidth: number;
  algoWeightMax: number;
  algoWeightMin: number;
  /** Per-layer activities that main.cpp reads from the trace arguments; 0 until a caller sets them. */
  activityRowReadWG: number;
  activityRowWriteWG: number;
  activityColWriteWG: number;
  bufferOverHeadConstraint: number;

  /** Declared but never set in V2.1 (0). */
  neuro: number;
  multifunctional: number;
  parallelWrite: number;
  parallelRead: number;
  numlut: number;
  numColMuxed: number;
  numWriteColMuxed: number;
  levelOutput: number;
  avgWeightBit: number;
  /** Input activation precision (main.cpp argv[4]). */
  numBitInput: number;
  numRowMuxedAG: number;
  levelOutputAG: number;
  numRowMuxedWG: number;
  levelOutputWG: number;
  numRowSubArray: number;
  numColSubArray: number;
  numRowSubArrayWG: number;
  numColSubArrayWG: number;
  cellBit: number;
  /** Weight precision (main.cpp argv[3]). */
  synapseBit: number;
  speedUpDegree: number;
  dramType: number;
  batchSize: number;
  numIteration: number;

  xnorParallelMode: number;
  xnorSequentialMode: number;
  bnnParallelMode: number;
  bnnSequentialMode: number;
  conventionalParallel: number;
  conventionalSequential: number;
  numRowPerSynapse: number;
  numColPerSynapse: number;
  /** Wire aspect ratio (Param.h AR). */
  ar: number;
  /** Wire resistivity at temp, Ω·m (Param.h Rho). */
  rho: number;
  wireLengthRow: number;
  wireLengthCol: number;
  unitLengthWireResistance: number;
  wireResistanceRow: number;
  wireResistanceCol: number;
}

export type MemCellType = "SRAM" | "RRAM" | "FeFET";
export type CellAccessType = "CMOS" | "BJT" | "diode" | "none";

/** NeuroSim's MemCell (camelCase); fields NeuroSim never assigns stay 0 as in its zero-initialised global. */
export interface MemCell {
  memCellType: MemCellType;
  processNode: number;
  area: number;
  aspectRatio: number;
  widthInFeatureSize: number;
  heightInFeatureSize: number;
  resistanceOn: number;
  resistanceOff: number;
  minSenseVoltage: number;
  accessType: CellAccessType;
  featureSize: number;
  accessVoltage: number;
  readVoltage: number;
  writeVoltage: number;
  readPulseWidth: number;
  writePulseWidth: number;
  resistanceAccess: number;
  nonlinearIV: boolean;
  nonlinearity: number;
  resistanceAvg: number;
  resCellAccess: number;
  resMemCellOn: number;
  resMemCellOff: number;
  resMemCellAvg: number;
  resMemCellOnAtHalfVw: number;
  resMemCellOffAtHalfVw: number;
  resMemCellAvgAtHalfVw: number;
  resMemCellOnAtVw: number;
  resMemCellOffAtVw: number;
  resMemCellAvgAtVw: number;
  capSRAMCell: number;
  multipleCells: number;
  maxNumLevelLTP: number;
  maxNumLevelLTD: number;
  widthAccessCMOS: number;
  widthSRAMCellNMOS: number;
  widthSRAMCellPMOS: number;
}

/** Replaces NeuroSim's globals tech, cell, param and inputParameter.temperature. */
export interface CircuitContext {
  tech: Technology;
  cell: MemCell;
  param: NeuroSimParams;
  /** Ambient temperature, K (integer, InputParameter.temperature). */
  temperature: number;
}

/** Fields a caller sets by hand in Param.cpp (or main.cpp's argv); the rest is derived by deriveParams. */
export type ParamInputs = Omit<
  NeuroSimParams,
  | "xnorParallelMode"
  | "xnorSequentialMode"
  | "bnnParallelMode"
  | "bnnSequentialMode"
  | "conventionalParallel"
  | "conventionalSequential"
  | "parallelRead"
  | "numRowPerSynapse"
  | "numColPerSynapse"
  | "wireLengthRow"
  | "wireLengthCol"
  | "unitLengthWireResistance"
  | "wireResistanceRow"
  | "wireResistanceCol"
>;

// NeuroSim V2.1 Param.cpp, Param::Param (user-defined section) and main.cpp's default wrapper arguments
export function defaultParamInputs(): ParamInputs {
  const resistanceOn = 240e3;
  const resistanceOff = 240e3 * 100;
  return {
    operationmode: 2,
    operationmodeBack: 0,
    memcelltype: 3,
    accesstype: 1,
    transistortype: 1,
    deviceroadmap: 2,
    globalBufferType: false,
    globalBufferCoreSizeRow: 128,
    globalBufferCoreSizeCol: 128,
    tileBufferType: false,
    tileBufferCoreSizeRow: 32,
    tileBufferCoreSizeCol: 32,
    peBufferType: false,
    chipActivation: true,
    reLu: true,
    novelMapping: true,
    sarADC: false,
    currentMode: true,
    pipeline: false,
    speedUpDegree: 1,
    algoWeightMax: 1,
    algoWeightMin: -1,
    clkFreq: 1e9,
    temp: 300,
    technode: 32,
    featuresize: 40e-9,
    wireWidth: 40,
    globalBusDelayTolerance: 0.1,
    localBusDelayTolerance: 0.1,
    treeFoldedRatio: 4,
    maxGlobalBusWidth: 8192,
    numRowSubArray: 128,
    numColSubArray: 128,
    relaxArrayCellHeight: 0,
    relaxArrayCellWidth: 0,
    numColMuxed: 8,
    levelOutput: 64,
    cellBit: 5,
    heightInFeatureSizeSRAM: 8,
    widthInFeatureSizeSRAM: 20,
    widthSRAMCellNMOS: 2.08,
    widthSRAMCellPMOS: 1.23,
    widthAccessCMOS: 1.31,
    minSenseVoltage: 0.1,
    heightInFeatureSize1T1R: 4,
    widthInFeatureSize1T1R: 4,
    heightInFeatureSizeCrossbar: 2,
    widthInFeatureSizeCrossbar: 2,
    resistanceOn,
    resistanceOff,
    maxConductance: 1 / resistanceOn,
    minConductance: 1 / resistanceOff,
    gateCapFeFET: 2.1717e-18,
    polarization: 20,
    maxNumLevelLTP: 60,
    maxNumLevelLTD: 60,
    writeVoltage: 4,
    writePulseWidth: 50e-9,
    nonlinearIV: false,
    nonlinearity: 10,
    readVoltage: 0.5,
    readPulseWidth: 10e-9,
    accessVoltage: 1.1,
    resistanceAccess: 15e3,
    trainingEstimation: true,
    parallelBP: true,
    batchSize: 200,
    numIteration: 250,
    bufferOverHeadConstraint: 1,
    numRowSubArrayWG: 128,
    numColSubArrayWG: 128,
    numRowMuxedAG: 8,
    levelOutputAG: 64,
    numRowMuxedWG: 8,
    levelOutputWG: 16,
    dramType: 2,
    // main.cpp argv[3], argv[4] as the V2.1 training wrapper passes them
    synapseBit: 5,
    numBitInput: 8,
    // never assigned in V2.1
    readNoise: 0,
    multipleCells: 0,
    numWritePulse: 0,
    activityRowReadWG: 0,
    activityRowWriteWG: 0,
    activityColWriteWG: 0,
    neuro: 0,
    multifunctional: 0,
    parallelWrite: 0,
    numlut: 0,
    numWriteColMuxed: 0,
    avgWeightBit: 0,
    // derived below from wireWidth (or left to the caller when wireWidth is -1)
    ar: 0,
    rho: 0,
  };
}

/** Wire aspect ratio and resistivity (Ω·m at 300 K) per wire width, nm. */
const WIRE_TABLE: Record<number, { ar: number; rho: number }> = {
  200: { ar: 2.1, rho: 2.42e-8 },
  100: { ar: 2.3, rho: 2.73e-8 },
  50: { ar: 2.34, rho: 3.91e-8 },
  40: { ar: 1.9, rho: 4.03e-8 },
  32: { ar: 1.9, rho: 4.51e-8 },
  22: { ar: 2.0, rho: 5.41e-8 },
  14: { ar: 2.1, rho: 7.43e-8 },
};

/** Param.cpp's suggested wire width (nm) per CMOS node; featuresize is that width in metres. */
export function nodeWireDefaults(technode: number): { wireWidth: number; featuresize: number } {
  const w: Record<number, number> = { 130: 200, 90: 200, 65: 100, 45: 50, 32: 40, 22: 32, 14: 22, 10: 14, 7: 14 };
  const wireWidth = w[technode];
  if (wireWidth === undefined) throw new Error(`no wire width for ${technode} nm`);
  return { wireWidth, featuresize: wireWidth * 1e-9 };
}

function operationModes(operationmode: number) {
  const m = {
    conventionalParallel: 0,
    conventionalSequential: 0,
    bnnParallelMode: 0,
    bnnSequentialMode: 0,
    xnorSequentialMode: 0,
    xnorParallelMode: 0,
  };
  switch (operationmode) {
    case 6:
      m.xnorParallelMode = 1;
      break;
    case 5:
      m.xnorSequentialMode = 1;
      break;
    case 4:
      m.bnnParallelMode = 1;
      break;
    case 3:
      m.bnnSequentialMode = 1;
      break;
    case 2:
      m.conventionalParallel = 1;
      break;
    case 1:
      m.conventionalSequential = 1;
      break;
    case -1:
      break;
    default:
      throw new Error(`invalid operationmode ${operationmode}`);
  }
  return m;
}

// NeuroSim V2.1 Param.cpp, Param::Param (initialization section) followed by main.cpp's precision/mode set-up
export function deriveParams(input: ParamInputs): NeuroSimParams {
  const p = { ...input };
  // Param constructor: SRAM stores one bit per cell.
  if (p.memcelltype === 1) p.cellBit = 1;
  const modes = operationModes(p.operationmode);
  const parallelRead = modes.conventionalParallel || modes.bnnParallelMode || modes.xnorParallelMode ? 1 : 0;

  if (p.wireWidth !== -1) {
    const w = WIRE_TABLE[p.wireWidth];
    if (!w) throw new Error(`Wire width out of range: ${p.wireWidth}`);
    p.ar = w.ar;
    p.rho = w.rho;
  }
  let wireLengthRow: number;
  let wireLengthCol: number;
  if (p.memcelltype === 1) {
    wireLengthRow = p.wireWidth * 1e-9 * p.heightInFeatureSizeSRAM;
    wireLengthCol = p.wireWidth * 1e-9 * p.widthInFeatureSizeSRAM;
  } else if (p.accesstype === 1) {
    wireLengthRow = p.wireWidth * 1e-9 * p.heightInFeatureSize1T1R;
    wireLengthCol = p.wireWidth * 1e-9 * p.widthInFeatureSize1T1R;
  } else {
    wireLengthRow = p.wireWidth * 1e-9 * p.heightInFeatureSizeCrossbar;
    wireLengthCol = p.wireWidth * 1e-9 * p.widthInFeatureSizeCrossbar;
  }
  // Resistivity rises linearly with temperature (integer |temp − 300| as in NeuroSim).
  p.rho *= 1 + 0.00451 * Math.abs(Math.trunc(p.temp) - 300);
  let unitLengthWireResistance: number;
  let wireResistanceRow: number;
  let wireResistanceCol: number;
  if (p.wireWidth === -1) {
    unitLengthWireResistance = 1.0;
    wireResistanceRow = 0;
    wireResistanceCol = 0;
  } else {
    unitLengthWireResistance = p.rho / (p.wireWidth * 1e-9 * p.wireWidth * 1e-9 * p.ar);
    wireResistanceRow = unitLengthWireResistance * wireLengthRow;
    wireResistanceCol = unitLengthWireResistance * wireLengthCol;
  }

  // main.cpp: cell precision cannot exceed the weight precision.
  if (p.cellBit > p.synapseBit) p.cellBit = p.synapseBit;
  const numRowPerSynapse = modes.xnorParallelMode || modes.xnorSequentialMode ? 2 : 1;
  let numColPerSynapse: number;
  if (modes.bnnParallelMode) numColPerSynapse = 2;
  else if (modes.xnorParallelMode || modes.xnorSequentialMode || modes.bnnSequentialMode) numColPerSynapse = 1;
  else numColPerSynapse = Math.ceil(p.synapseBit / p.cellBit);

  return {
    ...p,
    ...modes,
    parallelRead,
    numRowPerSynapse,
    numColPerSynapse,
    wireLengthRow,
    wireLengthCol,
    unitLengthWireResistance,
    wireResistanceRow,
    wireResistanceCol,
  };
}

export function roadmapOf(param: NeuroSimParams): DeviceRoadmap {
  if (param.deviceroadmap === 1) return "HP";
  if (param.deviceroadmap === 2) return "LSTP";
  throw new Error(`invalid deviceroadmap ${param.deviceroadmap}`);
}

// NeuroSim V2.1 ProcessingUnit.cpp, ProcessingUnitInitialize (cell set-up part)
export function makeCell(param: NeuroSimParams): MemCell {
  const types: Record<number, MemCellType> = { 1: "SRAM", 2: "RRAM", 3: "FeFET" };
  const access: Record<number, CellAccessType> = { 1: "CMOS", 2: "BJT", 3: "diode", 4: "none" };
  const memCellType = types[param.memcelltype];
  const accessType = access[param.accesstype];
  if (!memCellType) throw new Error(`invalid memcelltype ${param.memcelltype}`);
  if (!accessType) throw new Error(`invalid accesstype ${param.accesstype}`);
  const sram = memCellType === "SRAM";
  // LTP and LTD use the same write voltage / pulse in V2.1; NeuroSim still combines them.
  const writeVoltageLTP = param.writeVoltage;
  const writeVoltageLTD = param.writeVoltage;
  return {
    memCellType,
    processNode: 0,
    area: 0,
    aspectRatio: 0,
    widthInFeatureSize: sram
      ? param.widthInFeatureSizeSRAM
      : accessType === "CMOS"
        ? param.widthInFeatureSize1T1R
        : param.widthInFeatureSizeCrossbar,
    heightInFeatureSize: sram
      ? param.heightInFeatureSizeSRAM
      : accessType === "CMOS"
        ? param.heightInFeatureSize1T1R
        : param.heightInFeatureSizeCrossbar,
    resistanceOn: param.resistanceOn,
    resistanceOff: param.resistanceOff,
    minSenseVoltage: sram ? param.minSenseVoltage : 0,
    accessType,
    featureSize: param.featuresize,
    accessVoltage: param.accessVoltage,
    readVoltage: param.readVoltage,
    writeVoltage: Math.sqrt(writeVoltageLTP * writeVoltageLTP + writeVoltageLTD * writeVoltageLTD),
    readPulseWidth: param.readPulseWidth,
    writePulseWidth: (param.writePulseWidth + param.writePulseWidth) / 2,
    resistanceAccess: param.resistanceAccess,
    nonlinearIV: param.nonlinearIV,
    nonlinearity: param.nonlinearity,
    resistanceAvg: (param.resistanceOn + param.resistanceOff) / 2,
    resCellAccess: 0,
    resMemCellOn: 0,
    resMemCellOff: 0,
    resMemCellAvg: 0,
    resMemCellOnAtHalfVw: 0,
    resMemCellOffAtHalfVw: 0,
    resMemCellAvgAtHalfVw: 0,
    resMemCellOnAtVw: 0,
    resMemCellOffAtVw: 0,
    resMemCellAvgAtVw: 0,
    capSRAMCell: 0,
    multipleCells: 0,
    maxNumLevelLTP: param.maxNumLevelLTP,
    maxNumLevelLTD: param.maxNumLevelLTD,
    widthAccessCMOS: sram ? param.widthAccessCMOS : 0,
    widthSRAMCellNMOS: sram ? param.widthSRAMCellNMOS : 0,
    widthSRAMCellPMOS: sram ? param.widthSRAMCellPMOS : 0,
  };
}

/**
 * The cell fields SubArray::Initialize writes into the global cell (access transistor sizing, effective cell
 * resistances, SRAM cell capacitance). makeContext applies it so every class sees them; a SubArray port may
 * call it again (idempotent). Returns false where NeuroSim would abort: 1T1R access transistor wider than the cell.
 */
// NeuroSim V2.1 SubArray.cpp, Initialize (cell-level part)
export function initializeCellForSubArray(cell: MemCell, tech: Technology, temperature: number): boolean {
  const fs = tech.featureSize;
  if (cell.memCellType === "SRAM") {
    const capCellAccess = calculateDrainCap(cell.widthAccessCMOS * fs, "NMOS", cell.widthInFeatureSize * fs, tech);
    cell.capSRAMCell =
      capCellAccess +
      calculateDrainCap(cell.widthSRAMCellNMOS * fs, "NMOS", cell.widthInFeatureSize * fs, tech) +
      calculateDrainCap(cell.widthSRAMCellPMOS * fs, "PMOS", cell.widthInFeatureSize * fs, tech) +
      calculateGateCap(cell.widthSRAMCellNMOS * fs, tech) +
      calculateGateCap(cell.widthSRAMCellPMOS * fs, tech);
    return true;
  }
  if (cell.accessType === "CMOS") {
    cell.resCellAccess = cell.resistanceOn * IR_DROP_TOLERANCE;
    // Size the access transistor so it stays in its linear region at the allowed IR drop.
    cell.widthAccessCMOS = (calculateOnResistance(fs, "NMOS", temperature, tech) * LINEAR_REGION_RATIO) / cell.resCellAccess;
    cell.resMemCellOn = cell.resCellAccess + cell.resistanceOn;
    cell.resMemCellOff = cell.resCellAccess + cell.resistanceOff;
    cell.resMemCellAvg = cell.resCellAccess + cell.resistanceAvg;
    return cell.widthAccessCMOS <= cell.widthInFeatureSize;
  }
  cell.resMemCellOn = cell.resistanceOn;
  cell.resMemCellOff = cell.resistanceOff;
  cell.resMemCellAvg = cell.resistanceAvg;
  if (cell.nonlinearIV) {
    // The selector makes the cell non-linear: resistances at Vw/2 and Vw from the nonlinearity factor.
    cell.resMemCellOnAtHalfVw = nonlinearResistance(
      cell.resistanceOn,
      cell.nonlinearity,
      cell.writeVoltage,
      cell.readVoltage,
      cell.writeVoltage / 2,
    );
    cell.resMemCellOffAtHalfVw = nonlinearResistance(
      cell.resistanceOff,
      cell.nonlinearity,
      cell.writeVoltage,
      cell.readVoltage,
      cell.writeVoltage / 2,
    );
    cell.resMemCellOnAtVw = nonlinearResistance(
      cell.resistanceOn,
      cell.nonlinearity,
      cell.writeVoltage,
      cell.readVoltage,
      cell.writeVoltage,
    );
    cell.resMemCellOffAtVw = nonlinearResistance(
      cell.resistanceOff,
      cell.nonlinearity,
      cell.writeVoltage,
      cell.readVoltage,
      cell.writeVoltage,
    );
    cell.resMemCellAvgAtHalfVw = (cell.resMemCellOnAtHalfVw + cell.resMemCellOffAtHalfVw) / 2;
    cell.resMemCellAvgAtVw = (cell.resMemCellOnAtVw + cell.resMemCellOffAtVw) / 2;
  } else {
    cell.resMemCellOnAtHalfVw = cell.resistanceOn;
    cell.resMemCellOffAtHalfVw = cell.resistanceOff;
    cell.resMemCellOnAtVw = cell.resistanceOn;
    cell.resMemCellOffAtVw = cell.resistanceOff;
    cell.resMemCellAvgAtHalfVw = cell.resistanceAvg;
    cell.resMemCellAvgAtVw = cell.resistanceAvg;
  }
  return true;
}

export type ContextOverrides = Partial<NeuroSimParams> & { synapseBit?: number; numBitInput?: number };

/**
 * Build the NeuroSim globals from Param.cpp defaults plus overrides (as if the overrides were edited into
 * Param.cpp / passed to main). Derived fields (operation modes, parallelRead, AR/Rho and wire resistances,
 * cellBit clamps, numCol/RowPerSynapse) are always recomputed; maxConductance/minConductance follow
 * resistanceOn/Off unless given explicitly. technode and wireWidth/featuresize are independent knobs in
 * NeuroSim: use nodeWireDefaults(technode) to match them.
 */
export function makeContext(overrides: ContextOverrides = {}): CircuitContext {
  const base = defaultParamInputs();
  const input: ParamInputs = { ...base, ...(overrides as Partial<ParamInputs>) };
  if (overrides.maxConductance === undefined) input.maxConductance = 1 / input.resistanceOn;
  if (overrides.minConductance === undefined) input.minConductance = 1 / input.resistanceOff;
  const param = deriveParams(input);
  if (param.transistortype !== 1) throw new Error("only conventional CMOS transistors (transistortype 1) are ported");
  const tech = technology(param.technode, roadmapOf(param));
  const temperature = Math.trunc(param.temp);
  const cell = makeCell(param);
  initializeCellForSubArray(cell, tech, temperature);
  return { tech, cell, param, temperature };
}
