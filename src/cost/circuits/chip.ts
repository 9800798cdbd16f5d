// The chip: DNN+NeuroSim V2.1's training-mode estimate (Chip.cpp, Tile.cpp, ProcessingUnit.cpp),
// restated. A chip is tiles of PEs of sub-arrays with buffers, adder trees and H-trees at each
// level, a global buffer, a weight-gradient unit and DRAM. Per layer it returns NeuroSim's
// per-epoch figures: forward (FW), activation gradient (AG), weight gradient (WG) and weight
// update (WU) latency and energy, their "peak" (compute-only) parts, and the component breakdown
// it prints (ADC, accumulation, other, buffer, interconnect, DRAM).
//
// Where NeuroSim loops over every input vector and cell of a recorded image, this evaluates the
// expectation under the layer's trace statistics (traces.ts) once per distinct block shape.

import { Adder } from "./adder.js";
import { AdderTree } from "./adder-tree.js";
import { BitShifter } from "./bit-shifter.js";
import { Buffer } from "./buffer.js";
import { Bus } from "./bus.js";
import { DFF } from "./dff.js";
import { DRAM } from "./dram.js";
import { type Floorplan, floorplan, type NetLayer } from "./floorplan.js";
import { cMax, cMin, toInt } from "./function-unit.js";
import { HTree } from "./htree.js";
import { MaxPooling } from "./max-pooling.js";
import type { ColumnResistances } from "./multilevel-sense-amp.js";
import type { CircuitContext } from "./params.js";
import { Sigmoid } from "./sigmoid.js";
import { SubArray } from "./sub-array.js";
import { columnResistances, extremeColumnResistances, type LayerTraceStats, writeEstimate } from "./traces.js";
import { WeightGradientUnit } from "./weight-gradient-unit.js";

/** What one level of the hierarchy reports for one layer (NeuroSim's output arguments). */
export interface Perf {
  readLatency: number;
  readDynamicEnergy: number;
  leakage: number;
  readLatencyAG: number;
  readDynamicEnergyAG: number;
  writeLatencyWU: number;
  writeDynamicEnergyWU: number;
  bufferLatency: number;
  bufferDynamicEnergy: number;
  icLatency: number;
  icDynamicEnergy: number;
  coreLatencyADC: number;
  coreLatencyAccum: number;
  coreLatencyOther: number;
  coreEnergyADC: number;
  coreEnergyAccum: number;
  coreEnergyOther: number;
  readLatencyPeakFW: number;
  readDynamicEnergyPeakFW: number;
  readLatencyPeakAG: number;
  readDynamicEnergyPeakAG: number;
  writeLatencyPeakWU: number;
  writeDynamicEnergyPeakWU: number;
}

const zeroPerf = (): Perf => ({
  readLatency: 0,
  readDynamicEnergy: 0,
  leakage: 0,
  readLatencyAG: 0,
  readDynamicEnergyAG: 0,
  writeLatencyWU: 0,
  writeDynamicEnergyWU: 0,
  bufferLatency: 0,
  bufferDynamicEnergy: 0,
  icLatency: 0,
  icDynamicEnergy: 0,
  coreLatencyADC: 0,
  coreLatencyAccum: 0,
  coreLatencyOther: 0,
  coreEnergyADC: 0,
  coreEnergyAccum: 0,
  coreEnergyOther: 0,
  readLatencyPeakFW: 0,
  readDynamicEnergyPeakFW: 0,
  readLatencyPeakAG: 0,
  readDynamicEnergyPeakAG: 0,
  writeLatencyPeakWU: 0,
  writeDynamicEnergyPeakWU: 0,
});

const LATENCIES = [
  "readLatency",
  "readLatencyAG",
  "bufferLatency",
  "icLatency",
  "coreLatencyADC",
  "coreLatencyAccum",
  "coreLatencyOther",
  "readLatencyPeakFW",
  "readLatencyPeakAG",
] as const;
const ENERGIES = [
  "readDynamicEnergy",
  "readDynamicEnergyAG",
  "writeLatencyWU",
  "writeDynamicEnergyWU",
  "bufferDynamicEnergy",
  "icDynamicEnergy",
  "coreEnergyADC",
  "coreEnergyAccum",
  "coreEnergyOther",
  "readDynamicEnergyPeakFW",
  "readDynamicEnergyPeakAG",
  "writeLatencyPeakWU",
  "writeDynamicEnergyPeakWU",
] as const;

/** Combine a part into a whole as NeuroSim does: latencies by maximum (parts run in parallel), energies (and write latencies, which queue) by sum. */
function merge(into: Perf, part: Perf): void {
  for (const k of LATENCIES) into[k] = cMax(part[k], into[k]);
  for (const k of ENERGIES) into[k] += part[k];
}

/** Per layer and epoch, what DNN+NeuroSim V2.1 prints. */
export interface LayerReport {
  readLatency: number;
  readDynamicEnergy: number;
  readLatencyAG: number;
  readDynamicEnergyAG: number;
  readLatencyWG: number;
  readDynamicEnergyWG: number;
  writeLatencyWU: number;
  writeDynamicEnergyWU: number;
  readLatencyPeakFW: number;
  readDynamicEnergyPeakFW: number;
  readLatencyPeakAG: number;
  readDynamicEnergyPeakAG: number;
  readLatencyPeakWG: number;
  readDynamicEnergyPeakWG: number;
  writeLatencyPeakWU: number;
  writeDynamicEnergyPeakWU: number;
  bufferLatency: number;
  bufferDynamicEnergy: number;
  icLatency: number;
  icDynamicEnergy: number;
  coreLatencyADC: number;
  coreLatencyAccum: number;
  coreLatencyOther: number;
  coreEnergyADC: number;
  coreEnergyAccum: number;
  coreEnergyOther: number;
  /** Leakage power of one tile (W) and the layer's leakage energy per epoch (J). */
  tileLeakage: number;
  leakageEnergy: number;
  /** The parts of the phase totals, per epoch, for the report's component split. */
  parts: LayerParts;
  /** The counts behind the figures, per image (what `cimlearn cost --explain` shows). */
  quantities: LayerQuantities;
}

export interface LayerQuantities {
  /** Input vectors (output positions) per image, and bit-planes read (× input bits). */
  positions: number;
  bitPlanes: number;
  /** Weight copies (NeuroSim speed-up) and tiles. */
  copies: number;
  tiles: number;
  /** Bits from the global buffer to the tiles and back, per image (FW; AG moves the same). */
  bitsToTiles: number;
  bitsFromTiles: number;
  /** The global buffer's time is multiplied by ceil(all tiles / the layer's tiles): its share of the bus. */
  busShare: number;
  /** DRAM bits per transfer: the input map (H·W·input bits, NeuroSim omits the channels) and the weight gradient. */
  dramMapBits: number;
  dramGradientBits: number;
  /** Weight-gradient unit: its array grid, the copies of the layer's matrix it holds, the fraction of it used. */
  wgArrays: number;
  wgCopies: number;
  wgUsed: number;
}

/** The pieces of each phase by where they come from (per epoch). */
export interface LayerParts {
  /** Global buffer + H-tree + DRAM shares of the FW, AG and WG phase latencies and energies. */
  fw: { buffer: [number, number]; interconnect: [number, number]; dram: [number, number] };
  ag: { buffer: [number, number]; interconnect: [number, number]; dram: [number, number] };
  wg: {
    buffer: [number, number];
    dram: [number, number];
    compute: [number, number];
    accumulate: [number, number];
    /** The layer's own SRAM: the on-chip gradient accumulator's read and write of the running sum, and with local backward buffers the maps read from there. */
    local: [number, number];
  };
  /** The tile's own buffer/IC work in WU (moving the weight deltas in). */
  wu: { tileTransfer: [number, number] };
}

export interface ChipArea {
  total: number;
  /** CIM (FW + AG) arrays, routing (H-trees), ADC, accumulation, other logic and storage, weight gradient. */
  array: number;
  interconnect: number;
  adc: number;
  accumulation: number;
  other: number;
  weightGradient: number;
  height: number;
  width: number;
}

export interface ChipEstimate {
  floorplan: Floorplan;
  area: ChipArea;
  /** Area of one tile of each kind (m²). */
  tileArea: { novel: number; conventional: number };
  layers: LayerReport[];
  feedback: FeedbackCost[];
  numArrayWriteParallel: number;
  globalBusWidth: number;
}

interface PeParts {
  adderTree: AdderTree;
  busInput: Bus;
  busOutput: Bus;
  bufferInput: DFF;
  bufferOutput: DFF;
}

interface TileKind {
  novel: boolean;
  numPE: number;
  peSize: number;
  pe: PeParts;
  inputBuffer: Buffer;
  outputBuffer: Buffer;
  hTree: HTree;
  accumulation: AdderTree;
  relu: BitShifter | null;
  sigmoid: Sigmoid | null;
  numInBufferCore: number;
  numOutBufferCore: number;
}

const log2 = Math.log2;

/** The partial-sum width after an ADC (parallel read) or a digital column sum (sequential read). */
function partialSumBits(ctx: CircuitContext): number {
  const p = ctx.param;
  return p.parallelRead ? log2(p.levelOutput) : log2(p.numRowSubArray) + p.cellBit - 1;
}

/** NeuroSim V2.1 ProcessingUnit.cpp, ProcessingUnitInitialize: the sub-array settings and one PE's periphery. */
export function initSubArray(ctx: CircuitContext): SubArray {
  const p = ctx.param;
  const sa = new SubArray(ctx);
  sa.trainingEstimation = p.trainingEstimation;
  sa.conventionalParallel = p.conventionalParallel;
  sa.conventionalSequential = p.conventionalSequential;
  sa.parallelBP = p.parallelBP;
  sa.numRow = p.numRowSubArray;
  // NeuroSim sets the column count from the row count too.
  sa.numCol = p.numRowSubArray;
  sa.levelOutput = p.levelOutput;
  sa.levelOutputBP = p.levelOutputAG;
  sa.numColMuxed = p.numColMuxed;
  sa.numRowMuxedBP = p.numRowMuxedAG;
  sa.clkFreq = p.clkFreq;
  sa.relaxArrayCellHeight = p.relaxArrayCellHeight;
  sa.relaxArrayCellWidth = p.relaxArrayCellWidth;
  sa.numReadPulse = p.numBitInput;
  sa.avgWeightBit = p.cellBit;
  sa.numCellPerSynapse = p.numColPerSynapse;
  // The transposed read's input precision and activity are fixed in NeuroSim (8 pulses, 50 %).
  sa.numReadPulseBP = 8;
  sa.activityBPColRead = 0.5;
  sa.sarADC = p.sarADC;
  sa.currentMode = p.currentMode;
  const numCol = p.numColSubArray;
  if (sa.numColMuxed > numCol) sa.numColMuxed = numCol;
  sa.numReadCellPerOperationFPGA = numCol;
  sa.numWriteCellPerOperationFPGA = numCol;
  sa.numReadCellPerOperationMemory = numCol;
  sa.numWriteCellPerOperationMemory = Math.trunc(numCol / 8);
  sa.numReadCellPerOperationNeuro = numCol;
  sa.numWriteCellPerOperationNeuro = numCol;
  sa.maxNumWritePulse = cMax(ctx.cell.maxNumLevelLTP, ctx.cell.maxNumLevelLTD);
  sa.initialize(p.numRowSubArray, numCol, p.unitLengthWireResistance);
  sa.calculateArea();
  return sa;
}

function initPe(ctx: CircuitContext, sa: SubArray, numSubArrayRow: number, numSubArrayCol: number): PeParts {
  const p = ctx.param;
  const numRow = p.numRowSubArray;
  const numCol = p.numColSubArray;
  const pe: PeParts = {
    adderTree: new AdderTree(ctx),
    busInput: new Bus(ctx),
    busOutput: new Bus(ctx),
    bufferInput: new DFF(ctx),
    bufferOutput: new DFF(ctx),
  };
  const psum = partialSumBits(ctx);
  pe.adderTree.initialize(
    numSubArrayRow,
    toInt(psum + p.numBitInput + p.numColPerSynapse + 1),
    Math.ceil((numSubArrayCol * numCol) / p.numColMuxed),
  );
  pe.bufferInput.initialize(p.numBitInput * numRow, p.clkFreq);
  pe.bufferOutput.initialize(
    toInt(Math.trunc(numCol / p.numColMuxed) * (psum + p.numBitInput + p.numColPerSynapse + pe.adderTree.numStage)),
    p.clkFreq,
  );
  pe.busInput.initialize("HORIZONTAL", numSubArrayRow, numSubArrayCol, 0, numRow, sa.height, sa.width);
  pe.busOutput.initialize("VERTICAL", numSubArrayRow, numSubArrayCol, 0, numCol, sa.height, sa.width);
  return pe;
}

/** NeuroSim V2.1 ProcessingUnit.cpp, ProcessingUnitCalculateArea: [area, ADC, accumulation, other, array] and the PE's height and width. */
function peArea(sa: SubArray, pe: PeParts, numSubArrayRow: number, numSubArrayCol: number) {
  sa.calculateArea();
  pe.adderTree.calculateArea(0, sa.width, "NONE");
  pe.bufferInput.calculateArea(numSubArrayRow * sa.height, 0, "NONE");
  pe.bufferOutput.calculateArea(0, numSubArrayCol * sa.width, "NONE");
  pe.busInput.calculateArea(1, true);
  pe.busOutput.calculateArea(1, true);
  const n = numSubArrayRow * numSubArrayCol;
  const area = sa.usedArea * n + pe.adderTree.area + pe.bufferInput.area + pe.bufferOutput.area;
  const height = Math.sqrt(area);
  return {
    area,
    adc: sa.areaADC * n,
    accumulation: sa.areaAccum * n + pe.adderTree.area,
    other: sa.areaOther * n + pe.bufferInput.area + pe.bufferOutput.area,
    array: sa.areaArray * n,
    height,
    width: area / height,
  };
}

/** A tile-level buffer: one core's worth when the data is smaller than a core, else full cores. */
function initTileBuffer(ctx: CircuitContext, buffer: Buffer, bits: number, width: number): number {
  const p = ctx.param;
  const core = p.tileBufferCoreSizeRow * p.tileBufferCoreSizeCol;
  const cores = Math.ceil(bits / core);
  // NeuroSim's buffer needs a row decoder: a buffer of a single row (1-bit inputs) gives it no address
  // bits and a negative area; cimlearn lays such a buffer out as two rows of half the width.
  if (bits < core && bits <= width)
    buffer.initialize(toInt(bits), toInt(Math.max(1, bits / 2)), 1, p.unitLengthWireResistance, p.clkFreq, p.peBufferType);
  else if (bits < core) buffer.initialize(toInt(bits), toInt(width), 1, p.unitLengthWireResistance, p.clkFreq, p.peBufferType);
  else buffer.initialize(core, p.tileBufferCoreSizeCol, 1, p.unitLengthWireResistance, p.clkFreq, p.peBufferType);
  return cores;
}

/** NeuroSim V2.1 Tile.cpp, TileInitialize, for one kind of tile (novel or conventional). */
function initTile(ctx: CircuitContext, sa: SubArray, novel: boolean, numPE: number, peSize: number): TileKind {
  const p = ctx.param;
  const numSubArray = Math.ceil(peSize / p.numRowSubArray) * Math.ceil(peSize / p.numColSubArray);
  const side = Math.ceil(Math.sqrt(numSubArray));
  const pe = initPe(ctx, sa, side, side);
  const tile: TileKind = {
    novel,
    numPE,
    peSize,
    pe,
    inputBuffer: new Buffer(ctx),
    outputBuffer: new Buffer(ctx),
    hTree: new HTree(ctx),
    accumulation: new AdderTree(ctx),
    relu: null,
    sigmoid: null,
    numInBufferCore: 0,
    numOutBufferCore: 0,
  };
  // A novel tile has numPE PEs summed by its adder tree; a conventional tile numPE × numPE.
  const pes = numPE;
  const accBits = Math.ceil(partialSumBits(ctx)) + p.numBitInput + p.numColPerSynapse + 1 + Math.ceil(log2(peSize / p.numRowSubArray));
  const lanes = Math.ceil((pes * p.numColSubArray) / p.numColMuxed);
  tile.accumulation.initialize(pes, toInt(accBits), lanes);
  if (!p.chipActivation) {
    if (p.reLu) {
      tile.relu = new BitShifter(ctx);
      tile.relu.initialize(Math.ceil((peSize * p.numColSubArray) / p.numColMuxed), p.numBitInput, p.clkFreq);
    } else {
      tile.sigmoid = new Sigmoid(ctx);
      tile.sigmoid.initialize(false, p.numBitInput, toInt(accBits + Math.ceil(log2(pes))), lanes, p.clkFreq);
    }
    tile.numOutBufferCore = initTileBuffer(
      ctx,
      tile.outputBuffer,
      (p.numBitInput * pes * p.numColSubArray) / p.numColMuxed,
      p.numBitInput * pes,
    );
  } else {
    tile.numOutBufferCore = initTileBuffer(ctx, tile.outputBuffer, (accBits * pes * p.numColSubArray) / p.numColMuxed, accBits * pes);
  }
  tile.numInBufferCore = initTileBuffer(ctx, tile.inputBuffer, pes * p.numBitInput * p.numRowSubArray, pes * p.numRowSubArray);
  const treeSide = novel ? Math.ceil(Math.sqrt(numPE)) : numPE;
  tile.hTree.initialize(treeSide, treeSide, p.localBusDelayTolerance, treeSide * p.numRowSubArray);
  return tile;
}

/** NeuroSim V2.1 Tile.cpp, TileCalculateArea: [area, H-tree, ADC, accumulation, other, array], height and width. */
function tileArea(ctx: CircuitContext, sa: SubArray, tile: TileKind) {
  const p = ctx.param;
  const numSubArray = Math.ceil(tile.peSize / p.numRowSubArray) * Math.ceil(tile.peSize / p.numColSubArray);
  const side = Math.ceil(Math.sqrt(numSubArray));
  const pe = peArea(sa, tile.pe, side, side);
  // A novel tile has numPE PEs; a conventional tile numPE × numPE (numPE counts one side).
  const pes = tile.novel ? tile.numPE : tile.numPE * tile.numPE;
  const rowOfPEs = Math.ceil(Math.sqrt(pes));
  let area = 0;
  let extra = 0;
  tile.accumulation.calculateArea(0, rowOfPEs * pe.width, "NONE");
  if (tile.relu) {
    tile.relu.calculateArea(0, rowOfPEs * pe.width, "NONE");
    area += tile.relu.area;
    extra += tile.relu.area;
  } else if (tile.sigmoid) {
    tile.sigmoid.calculateUnitArea("NONE");
    tile.sigmoid.calculateArea(0, rowOfPEs * pe.width, "NONE");
    area += tile.sigmoid.area;
    extra += tile.sigmoid.area;
  }
  tile.inputBuffer.calculateArea(rowOfPEs * pe.height, 0, "NONE");
  tile.outputBuffer.calculateArea(0, rowOfPEs * pe.width, "NONE");
  const inputBufferArea = tile.inputBuffer.area * tile.numInBufferCore;
  const outputBufferArea = tile.outputBuffer.area * tile.numOutBufferCore;
  tile.hTree.calculateArea(pe.height, pe.width, 16);
  area += pe.area * pes + tile.accumulation.area + inputBufferArea + outputBufferArea + tile.hTree.area;
  const height = Math.sqrt(area);
  return {
    area,
    ic: tile.hTree.area,
    adc: pe.adc * pes,
    accumulation: pe.accumulation * pes + tile.accumulation.area,
    other: pe.other * pes + inputBufferArea + outputBufferArea + extra,
    array: pe.array * pes,
    height,
    width: area / height,
    peHeight: pe.height,
    peWidth: pe.width,
  };
}

/** Cache key for a block's sub-array evaluation: identical blocks give identical results. */
interface BlockResult {
  perVector: {
    readLatency: number;
    readDynamicEnergy: number;
    readLatencyAG: number;
    readDynamicEnergyAG: number;
    readLatencyADC: number;
    readLatencyAccum: number;
    readLatencyOther: number;
    readDynamicEnergyADC: number;
    readDynamicEnergyAccum: number;
    readDynamicEnergyOther: number;
  };
  writeLatency: number;
  writeDynamicEnergy: number;
  leakage: number;
}

/** The block's columns as `n` groups of neighbouring columns, each at its middle column's resistance. */
function groupColumns(
  ctx: CircuitContext,
  rows: number,
  cols: number,
  stats: LayerTraceStats,
  resCellAccess: number,
  n: number,
): ColumnResistances {
  const size = Math.ceil(cols / n);
  const middles: number[] = [];
  const counts: number[] = [];
  for (let start = 0; start < cols; start += size) {
    const count = Math.min(size, cols - start);
    middles.push(start + Math.floor(count / 2));
    counts.push(count);
  }
  const values = columnResistances(rows, cols, stats, ctx, resCellAccess, middles);
  const groups = values.map((resistance, k) => ({ resistance, count: counts[k] as number }));
  // One column at each expected extreme of the columns' conductance: the read waits for the slowest.
  const last = groups[groups.length - 1];
  if (last && last.count > 2) {
    last.count -= 2;
    for (const resistance of extremeColumnResistances(rows, cols, stats, ctx, last.resistance)) groups.push({ resistance, count: 1 });
  }
  return { groups };
}

/**
 * Whether the column ADC's timing depends on the column current: NeuroSim's current-mode multilevel
 * sense amplifier at LSTP nodes above 22 nm (elsewhere a flat 1 ns, with an energy linear in the
 * current, so the mean read is exact).
 */
function senseTimingVaries(ctx: CircuitContext): boolean {
  const p = ctx.param;
  return !p.sarADC && p.currentMode && p.deviceroadmap === 2 && p.technode > 22;
}

/** Three-point Gauss–Hermite rule over a vector's active-row fraction: Binomial(rows, activity) / rows. */
function activityPoints(activity: number, rows: number): { activity: number; weight: number }[] {
  const sd = Math.sqrt((activity * (1 - activity)) / rows);
  if (sd === 0) return [{ activity, weight: 1 }];
  const d = Math.sqrt(3) * sd;
  const clip = (a: number) => Math.min(1, Math.max(1 / rows, a));
  return [
    { activity: clip(activity - d), weight: 1 / 6 },
    { activity, weight: 2 / 3 },
    { activity: clip(activity + d), weight: 1 / 6 },
  ];
}

/** Everything the per-layer evaluation shares. */
interface LayerContext {
  ctx: CircuitContext;
  sa: SubArray;
  stats: LayerTraceStats;
  layerNumber: number;
  /** Shared by every layer: blocks of the same shape and statistics give the same figures. */
  cache: Map<string, BlockResult>;
  /** The statistics as a cache key. */
  statsKey: string;
}

const statsKeyOf = (s: LayerTraceStats) =>
  `${s.activity}|${s.errorActivity}|${s.weightMean}|${s.weightStd}|${s.updateFraction}|${s.setShare}|${s.steps.join(",")}`;

/** One sub-array holding a rows × cols block, read by every input vector of the layer (expected values). */
function evaluateBlock(lc: LayerContext, rows: number, cols: number): BlockResult {
  // Layer 1 has no transposed read, so its figures differ from the others'.
  const key = `${rows}x${cols}|${lc.layerNumber === 0}|${lc.statsKey}`;
  const hit = lc.cache.get(key);
  if (hit) return hit;
  const { ctx, sa, stats } = lc;
  const p = ctx.param;
  if (p.trainingEstimation) {
    const w = writeEstimate(rows, cols, stats, ctx, sa);
    sa.activityColWrite = w.activityColWrite;
    sa.activityRowWrite = w.activityRowWrite;
    sa.numWritePulseAVG = w.numWritePulseAVG;
    sa.totalNumWritePulse = w.totalNumWritePulse;
    sa.writeDynamicEnergyArray = w.writeDynamicEnergyArray;
    sa.layerNumber = lc.layerNumber;
  }
  sa.activityBPColRead = stats.errorActivity;
  sa.levelOutput = p.parallelRead ? p.levelOutput : 2 ** p.cellBit;
  const training = p.trainingEstimation ? 1 : 0;
  const perVector = {
    readLatency: 0,
    readDynamicEnergy: 0,
    readLatencyAG: 0,
    readDynamicEnergyAG: 0,
    readLatencyADC: 0,
    readLatencyAccum: 0,
    readLatencyOther: 0,
    readDynamicEnergyADC: 0,
    readDynamicEnergyAccum: 0,
    readDynamicEnergyOther: 0,
  };
  // The active rows of an input vector vary (binomially) from vector to vector, and the sense
  // amplifiers' timing is not linear in the column current: the read is averaged over three points
  // of that distribution (Gauss–Hermite), as NeuroSim sums over its vectors.
  for (const { activity, weight } of senseTimingVaries(ctx)
    ? activityPoints(stats.activity, rows)
    : [{ activity: stats.activity, weight: 1 }]) {
    const s = activity === stats.activity ? stats : { ...stats, activity };
    sa.activityRowRead = activity;
    // Columns: groups of neighbouring columns at their mean resistance (they differ only by their
    // wire position), and one column at each expected extreme of the weights' spread.
    const colR = groupColumns(ctx, rows, cols, s, sa.resCellAccess, 4);
    // NeuroSim's sub-array senses the transposed read with the column figures too; the row figures are unused.
    sa.calculateLatency(1e20, colR);
    sa.calculatePower(colR);
    perVector.readLatency += weight * sa.readLatency;
    perVector.readDynamicEnergy += weight * sa.readDynamicEnergy;
    perVector.readLatencyAG += weight * sa.readLatencyAG * training;
    perVector.readDynamicEnergyAG += weight * sa.readDynamicEnergyAG * training;
    perVector.readLatencyADC += weight * sa.readLatencyADC;
    perVector.readLatencyAccum += weight * sa.readLatencyAccum;
    perVector.readLatencyOther += weight * sa.readLatencyOther;
    perVector.readDynamicEnergyADC += weight * sa.readDynamicEnergyADC;
    perVector.readDynamicEnergyAccum += weight * sa.readDynamicEnergyAccum;
    perVector.readDynamicEnergyOther += weight * sa.readDynamicEnergyOther;
  }
  const result: BlockResult = {
    perVector,
    writeLatency: sa.writeLatency * training,
    writeDynamicEnergy: sa.writeDynamicEnergy * training,
    leakage: sa.leakage,
  };
  lc.cache.set(key, result);
  return result;
}

/**
 * The blocks a `total`-long side splits into, `size` at a time over at most `slots` positions:
 * the full blocks and the remainder, each with how many positions hold it.
 */
function blockShapes(total: number, size: number, slots: number): { size: number; count: number }[] {
  const used = Math.min(slots, Math.ceil(total / size));
  const full = Math.min(used, Math.floor(total / size));
  const shapes = full > 0 ? [{ size, count: full }] : [];
  if (used > full) shapes.push({ size: total - full * size, count: used - full });
  return shapes;
}

/** NeuroSim V2.1 ProcessingUnit.cpp, ProcessingUnitCalculatePerformance, with expected sub-array reads. */
function pePerformance(
  lc: LayerContext,
  pe: PeParts,
  arrayDupRow: number,
  arrayDupCol: number,
  numSubArrayRow: number,
  numSubArrayCol: number,
  weightMatrixRow: number,
  weightMatrixCol: number,
  numInVector: number,
): Perf {
  const p = lc.ctx.param;
  const out = zeroPerf();
  const agLayer = p.trainingEstimation && lc.layerNumber !== 0;
  const saRows = p.numRowSubArray;
  const saCols = p.numColSubArray;
  let leakage = 0;
  const vectorsForAdder = Math.trunc(numInVector / p.numBitInput) * Math.ceil(Math.trunc(p.numColMuxed / p.numColPerSynapse));
  const blocksInRow = Math.ceil(weightMatrixRow / saRows);

  /** `count` blocks of one shape, each read by all input vectors: one block's summed latencies; all their energies go into `out`. */
  const runBlock = (rows: number, cols: number, count: number) => {
    const b = evaluateBlock(lc, rows, cols);
    const v = b.perVector;
    const reads = numInVector * count;
    out.readDynamicEnergy += v.readDynamicEnergy * reads;
    out.readDynamicEnergyAG += v.readDynamicEnergyAG * reads;
    out.coreEnergyADC += v.readDynamicEnergyADC * reads;
    out.coreEnergyAccum += v.readDynamicEnergyAccum * reads;
    out.coreEnergyOther += v.readDynamicEnergyOther * reads;
    out.writeLatencyWU += b.writeLatency * count;
    out.writeDynamicEnergyWU += b.writeDynamicEnergy * count;
    leakage = b.leakage;
    return {
      read: v.readLatency * numInVector,
      ag: v.readLatencyAG * numInVector,
      adc: v.readLatencyADC * numInVector,
      accum: v.readLatencyAccum * numInVector,
      other: v.readLatencyOther * numInVector,
    };
  };

  // NeuroSim visits every block; blocks of one shape give the same figures, so each shape is evaluated
  // once and counted (sums scale with the count, maxima do not).
  if (arrayDupRow * arrayDupCol > 1) {
    const dup = arrayDupRow * arrayDupCol;
    if (arrayDupRow < numSubArrayRow || arrayDupCol < numSubArrayCol) {
      const tree = pe.adderTree;
      tree.calculateLatency(vectorsForAdder, blocksInRow, 0);
      tree.calculatePower(vectorsForAdder, blocksInRow);
      for (const br of blockShapes(weightMatrixRow, saRows, blocksInRow)) {
        for (const bc of blockShapes(weightMatrixCol, saCols, Math.ceil(weightMatrixCol / saCols))) {
          const count = br.count * bc.count;
          const r = runBlock(br.size, bc.size, count);
          out.readLatency = cMax(r.read + tree.readLatency, out.readLatency);
          out.readDynamicEnergy += tree.readDynamicEnergy * count;
          out.readLatencyAG = cMax(r.ag + tree.readLatency, out.readLatencyAG);
          out.readDynamicEnergyAG += agLayer ? tree.readDynamicEnergy * count : 0;
          out.coreLatencyADC = cMax(r.adc, out.coreLatencyADC);
          out.coreLatencyAccum = cMax(r.accum + tree.readLatency, out.coreLatencyAccum);
          out.coreLatencyOther = cMax(r.other, out.coreLatencyOther);
          out.coreEnergyAccum += tree.readDynamicEnergy * (agLayer ? 2 : 1) * count;
        }
      }
      out.writeDynamicEnergyWU *= dup;
      out.readLatency /= dup;
      out.readLatencyAG /= dup;
      out.coreLatencyADC /= dup;
      out.coreLatencyAccum /= dup;
      out.coreLatencyOther /= dup;
    } else {
      const r = runBlock(weightMatrixRow, weightMatrixCol, 1);
      out.writeDynamicEnergyWU *= dup;
      out.readLatency = r.read / dup;
      out.readLatencyAG = r.ag / dup;
      out.coreLatencyADC = r.adc / dup;
      out.coreLatencyAccum = r.accum / dup;
      out.coreLatencyOther = r.other / dup;
    }
  } else {
    for (const br of blockShapes(weightMatrixRow, saRows, numSubArrayRow)) {
      for (const bc of blockShapes(weightMatrixCol, saCols, numSubArrayCol)) {
        const r = runBlock(br.size, bc.size, br.count * bc.count);
        out.readLatency = cMax(r.read, out.readLatency);
        out.readLatencyAG = cMax(r.ag, out.readLatencyAG);
        out.coreLatencyADC = cMax(r.adc, out.coreLatencyADC);
        out.coreLatencyAccum = cMax(r.accum, out.coreLatencyAccum);
        out.coreLatencyOther = cMax(r.other, out.coreLatencyOther);
      }
    }
    const tree = pe.adderTree;
    tree.calculateLatency(vectorsForAdder, blocksInRow, 0);
    tree.calculatePower(vectorsForAdder, blocksInRow);
    out.readLatency += tree.readLatency;
    out.readLatencyAG += agLayer ? tree.readLatency : 0;
    out.coreLatencyAccum += tree.readLatency * (agLayer ? 2 : 1);
    out.readDynamicEnergy += tree.readDynamicEnergy;
    out.readDynamicEnergyAG += agLayer ? tree.readDynamicEnergy : 0;
    out.coreEnergyAccum += tree.readDynamicEnergy * (agLayer ? 2 : 1);
  }
  out.readLatencyPeakFW = out.readLatency;
  out.readDynamicEnergyPeakFW = out.readDynamicEnergy;
  out.readLatencyPeakAG = out.readLatencyAG;
  out.readDynamicEnergyPeakAG = out.readDynamicEnergyAG;

  const { bufferInput, bufferOutput, busInput, busOutput, adderTree } = pe;
  // Integer divisions where NeuroSim divides ints.
  const rowsIn = Math.trunc(weightMatrixRow / p.numRowPerSynapse);
  const colsOut = Math.trunc(weightMatrixCol / p.numColPerSynapse);
  const images = Math.trunc(numInVector / p.numBitInput);
  bufferInput.calculateLatency(0, numInVector * blocksInRow);
  bufferOutput.calculateLatency(0, images);
  bufferInput.calculatePower(rowsIn, numInVector);
  bufferOutput.calculatePower(colsOut * adderTree.numAdderBit, images);
  busInput.calculateLatency((rowsIn * numInVector) / busInput.busWidth);
  busInput.calculatePower(busInput.busWidth, (rowsIn * numInVector) / busInput.busWidth);
  const outBits = (colsOut * partialSumBits(lc.ctx) * numInVector) / p.numBitInput;
  const outWidth = busOutput.numRow * busOutput.busWidth;
  busOutput.calculateLatency(outBits / outWidth);
  busOutput.calculatePower(outWidth, outBits / outWidth);
  out.leakage = leakage * numSubArrayRow * numSubArrayCol + adderTree.leakage + bufferInput.leakage + bufferOutput.leakage;
  const periLatency = bufferInput.readLatency + bufferOutput.readLatency + busInput.readLatency + busOutput.readLatency;
  const periEnergy =
    bufferInput.readDynamicEnergy + bufferOutput.readDynamicEnergy + busInput.readDynamicEnergy + busOutput.readDynamicEnergy;
  out.readLatency += periLatency;
  out.readDynamicEnergy += periEnergy;
  out.readLatencyAG += agLayer ? periLatency : 0;
  out.readDynamicEnergyAG += agLayer ? periEnergy : 0;
  const twice = agLayer ? 2 : 1;
  out.bufferLatency = (bufferInput.readLatency + bufferOutput.readLatency) * twice;
  out.icLatency = (busInput.readLatency + busOutput.readLatency) * twice;
  out.bufferDynamicEnergy = (bufferInput.readDynamicEnergy + bufferOutput.readDynamicEnergy) * twice;
  out.icDynamicEnergy = (busInput.readDynamicEnergy + busOutput.readDynamicEnergy) * twice;
  out.writeLatencyPeakWU = out.writeLatencyWU;
  out.writeDynamicEnergyPeakWU = out.writeDynamicEnergyWU;
  return out;
}

/** Adds a tile-level adder tree (or activation unit) to the read paths, as TileCalculatePerformance does. */
function addTileAdder(out: Perf, latency: number, energy: number, agLayer: boolean): void {
  out.readLatency += latency;
  out.readLatencyAG += agLayer ? latency : 0;
  out.readLatencyPeakFW += latency;
  out.readLatencyPeakAG += agLayer ? latency : 0;
  out.readDynamicEnergy += energy;
  out.readDynamicEnergyAG += agLayer ? energy : 0;
  out.readDynamicEnergyPeakFW += energy;
  out.readDynamicEnergyPeakAG += agLayer ? energy : 0;
  out.coreLatencyAccum += latency * (agLayer ? 2 : 1);
  out.coreEnergyAccum += energy * (agLayer ? 2 : 1);
}

/** NeuroSim V2.1 Tile.cpp, TileCalculatePerformance. */
function tilePerformance(
  lc: LayerContext,
  tile: TileKind,
  tileGeometry: { peHeight: number; peWidth: number },
  speedUpRow: number,
  speedUpCol: number,
  weightMatrixRow: number,
  weightMatrixCol: number,
  numInVector: number,
): Perf {
  const p = lc.ctx.param;
  const out = zeroPerf();
  const agLayer = p.trainingEstimation && lc.layerNumber !== 0;
  const peSize = tile.peSize;
  const numPE = tile.numPE;
  const numSubArrayRow = Math.ceil(peSize / p.numRowSubArray);
  const numSubArrayCol = Math.ceil(peSize / p.numColSubArray);
  const vectorsForAdder = Math.trunc(numInVector / p.numBitInput) * Math.ceil(Math.trunc(p.numColMuxed / p.numColPerSynapse));
  // PEs holding blocks of one shape give the same figures: each shape is evaluated once.
  const peCache = new Map<string, Perf>();
  const pe = (dupRow: number, dupCol: number, rows: number, cols: number) => {
    const key = `${dupRow},${dupCol},${rows},${cols}`;
    let r = peCache.get(key);
    if (!r) {
      r = pePerformance(lc, tile.pe, dupRow, dupCol, numSubArrayRow, numSubArrayCol, rows, cols, numInVector);
      peCache.set(key, r);
    }
    return r;
  };
  const scaleLatencies = (d: number) => {
    out.readLatency /= d;
    out.readLatencyAG /= d;
    out.readLatencyPeakFW /= d;
    out.readLatencyPeakAG /= d;
    out.coreLatencyADC /= d;
    out.coreLatencyAccum /= d;
    out.coreLatencyOther /= d;
    out.bufferLatency /= d;
    out.icLatency /= d;
  };

  let accumulationAdded = false;
  if (!tile.novel) {
    if (speedUpRow * speedUpCol > 1) {
      if (speedUpRow >= numPE && speedUpCol >= numPE) {
        const r = pe(Math.ceil(speedUpRow / numPE), Math.ceil(speedUpCol / numPE), weightMatrixRow, weightMatrixCol);
        const n2 = numPE * numPE;
        for (const k of LATENCIES) out[k] = r[k] / n2;
        for (const k of ENERGIES) out[k] = r[k];
        out.writeLatencyWU = r.writeLatencyWU * n2;
        out.writeDynamicEnergyWU = r.writeDynamicEnergyWU * n2;
        out.writeLatencyPeakWU = r.writeLatencyPeakWU * n2;
        out.writeDynamicEnergyPeakWU = r.writeDynamicEnergyPeakWU * n2;
        out.leakage = r.leakage;
      } else {
        let leak = 0;
        for (let i = 0; i < Math.ceil(weightMatrixRow / peSize); i++) {
          for (let j = 0; j < Math.ceil(weightMatrixCol / peSize); j++) {
            if (i * peSize < weightMatrixRow && j * peSize < weightMatrixCol) {
              const rows = Math.trunc(Math.min(peSize, weightMatrixRow - i * peSize));
              const cols = Math.trunc(Math.min(peSize, weightMatrixCol - j * peSize));
              const r = pe(1, 1, rows, cols);
              merge(out, r);
              leak = r.leakage;
            }
          }
        }
        out.leakage = leak;
        scaleLatencies(speedUpRow * speedUpCol);
        if (Math.ceil(weightMatrixRow / peSize) > 1) {
          tile.accumulation.calculateLatency(vectorsForAdder, Math.ceil(weightMatrixRow / peSize), 0);
          tile.accumulation.calculatePower(vectorsForAdder, Math.ceil(weightMatrixRow / peSize));
          addTileAdder(out, tile.accumulation.readLatency, tile.accumulation.readDynamicEnergy, agLayer);
          accumulationAdded = true;
        }
      }
    } else {
      // Every PE position is visited; one without weights repeats the previous PE's figures (as NeuroSim does).
      let last: Perf | null = null;
      for (let i = 0; i < numPE; i++) {
        for (let j = 0; j < numPE; j++) {
          if (i * peSize < weightMatrixRow && j * peSize < weightMatrixCol) {
            const rows = Math.trunc(Math.min(peSize, weightMatrixRow - i * peSize));
            const cols = Math.trunc(Math.min(peSize, weightMatrixCol - j * peSize));
            last = pe(1, 1, rows, cols);
          }
          if (last) merge(out, last);
        }
      }
      out.leakage = last?.leakage ?? 0;
      tile.accumulation.calculateLatency(vectorsForAdder, numPE, 0);
      tile.accumulation.calculatePower(vectorsForAdder, numPE);
      addTileAdder(out, tile.accumulation.readLatency, tile.accumulation.readDynamicEnergy, agLayer);
      accumulationAdded = true;
    }
  } else {
    const rowsPerPE = Math.trunc(weightMatrixRow / numPE);
    let leak = 0;
    for (let i = 0; i < numPE; i++) {
      const r = pe(1, 1, rowsPerPE, weightMatrixCol);
      merge(out, r);
      leak = r.leakage;
    }
    out.leakage = leak;
    scaleLatencies(speedUpRow * speedUpCol);
    out.writeDynamicEnergyWU *= speedUpRow * speedUpCol;
    tile.accumulation.calculateLatency(vectorsForAdder, numPE, 0);
    tile.accumulation.calculatePower(vectorsForAdder, numPE);
    addTileAdder(out, tile.accumulation.readLatency, tile.accumulation.readDynamicEnergy, agLayer);
    accumulationAdded = true;
  }
  const peLeakage = out.leakage;

  // In-tile activation, then the tile's input/output buffers and H-tree.
  const divisor = tile.novel ? numPE : 1;
  let numBitToLoadIn: number;
  const outputs = Math.trunc(weightMatrixCol / p.numColPerSynapse);
  if (tile.relu) {
    tile.relu.calculateLatency(vectorsForAdder / tile.relu.numUnit);
    tile.relu.calculatePower(vectorsForAdder / tile.relu.numUnit);
    out.readLatency += tile.relu.readLatency;
    out.readDynamicEnergy += tile.relu.readDynamicEnergy;
    out.readLatencyPeakFW += tile.relu.readLatency;
    out.readDynamicEnergyPeakFW += tile.relu.readDynamicEnergy;
    out.coreLatencyOther += tile.relu.readLatency;
    out.coreEnergyOther += tile.relu.readDynamicEnergy;
    numBitToLoadIn = Math.max((outputs * (1 + tile.relu.numBit) * numInVector) / p.numBitInput / divisor, 0);
  } else if (tile.sigmoid) {
    tile.sigmoid.calculateLatency(vectorsForAdder / tile.sigmoid.numEntry);
    tile.sigmoid.calculatePower(vectorsForAdder / tile.sigmoid.numEntry);
    out.readLatency += tile.sigmoid.readLatency;
    out.readDynamicEnergy += tile.sigmoid.readDynamicEnergy;
    out.readLatencyPeakFW += tile.sigmoid.readLatency;
    out.readDynamicEnergyPeakFW += tile.sigmoid.readDynamicEnergy;
    out.coreLatencyOther += tile.sigmoid.readLatency;
    out.coreEnergyOther += tile.sigmoid.readDynamicEnergy;
    numBitToLoadIn = Math.max((outputs * (1 + tile.sigmoid.numYbit) * numInVector) / p.numBitInput / divisor, 0);
  } else {
    numBitToLoadIn = Math.max((outputs * (1 + tile.accumulation.numAdderBit) * numInVector) / p.numBitInput / divisor, 0);
  }
  void accumulationAdded;
  const inBuf = tile.inputBuffer;
  const outBuf = tile.outputBuffer;
  const numBitToLoadOut = Math.max(tile.novel ? (weightMatrixRow * numInVector) / Math.sqrt(numPE) : weightMatrixRow * numInVector, 0);
  const transfer = (buffer: Buffer, bits: number) => {
    buffer.calculateLatency(buffer.interfaceWidth, bits / buffer.interfaceWidth, buffer.interfaceWidth, bits / buffer.interfaceWidth);
    buffer.calculatePower(buffer.interfaceWidth, bits / buffer.interfaceWidth, buffer.interfaceWidth, bits / buffer.interfaceWidth);
  };
  transfer(inBuf, numBitToLoadOut);
  transfer(outBuf, numBitToLoadIn);
  const busWidth = tile.hTree.busWidth;
  inBuf.readLatency /= cMin(tile.numInBufferCore, Math.ceil(busWidth / inBuf.interfaceWidth));
  inBuf.writeLatency /= cMin(tile.numInBufferCore, Math.ceil(busWidth / inBuf.interfaceWidth));
  // The novel tile divides the output buffer's time by the input buffer's interface (as coded in NeuroSim).
  const outInterface = tile.novel ? inBuf.interfaceWidth : outBuf.interfaceWidth;
  outBuf.readLatency /= cMin(tile.numOutBufferCore, Math.ceil(busWidth / outInterface));
  outBuf.writeLatency /= cMin(tile.numOutBufferCore, Math.ceil(busWidth / outInterface));
  const { peHeight, peWidth } = tileGeometry;
  const tree = tile.hTree;
  const treeEnd = tile.novel ? 1 : 0;
  tree.calculateLatency(0, 0, treeEnd, treeEnd, peHeight, peWidth, (numBitToLoadOut + numBitToLoadIn) / busWidth);
  tree.calculatePower(0, 0, treeEnd, treeEnd, peHeight, peWidth, busWidth, (numBitToLoadOut + numBitToLoadIn) / busWidth);
  const bufLatency = inBuf.readLatency + inBuf.writeLatency + outBuf.readLatency + outBuf.writeLatency;
  const bufEnergy = inBuf.readDynamicEnergy + inBuf.writeDynamicEnergy + outBuf.readDynamicEnergy + outBuf.writeDynamicEnergy;
  out.readLatency += bufLatency + tree.readLatency;
  out.readDynamicEnergy += bufEnergy + tree.readDynamicEnergy;
  out.bufferLatency += bufLatency;
  out.icLatency += tree.readLatency;
  out.bufferDynamicEnergy += bufEnergy;
  out.icDynamicEnergy += tree.readDynamicEnergy;
  if (p.trainingEstimation) {
    const ag = lc.layerNumber !== 0 ? 1 : 0;
    out.readLatencyAG += (bufLatency + tree.readLatency) * ag;
    out.readDynamicEnergyAG += (bufEnergy + tree.readDynamicEnergy) * ag;
    out.bufferLatency += bufLatency * ag;
    out.icLatency += tree.readLatency * ag;
    out.bufferDynamicEnergy += bufEnergy * ag;
    out.icDynamicEnergy += tree.readDynamicEnergy * ag;
    // Weight deltas come in through the input buffer and the tile's H-tree.
    const deltaBits = weightMatrixRow * weightMatrixCol;
    transfer(inBuf, deltaBits);
    tree.calculateLatency(0, 0, treeEnd, treeEnd, peHeight, peWidth, deltaBits / busWidth);
    tree.calculatePower(0, 0, treeEnd, treeEnd, peHeight, peWidth, busWidth, deltaBits / busWidth);
    out.writeLatencyWU += inBuf.readLatency + inBuf.writeLatency + tree.readLatency;
    out.writeDynamicEnergyWU += inBuf.readDynamicEnergy + inBuf.writeDynamicEnergy + tree.readDynamicEnergy;
    out.bufferLatency += inBuf.readLatency + inBuf.writeLatency;
    out.icLatency += tree.readLatency;
    out.bufferDynamicEnergy += inBuf.readDynamicEnergy + inBuf.writeDynamicEnergy;
    out.icDynamicEnergy += tree.readDynamicEnergy;
  }
  const pes = tile.novel ? numPE : numPE * numPE;
  out.leakage = peLeakage * pes + tile.accumulation.leakage + inBuf.leakage + outBuf.leakage;
  return out;
}

/** The network's input trace statistics, one entry per layer. */
export type NetworkTraceStats = LayerTraceStats[];

/** NeuroSim V2.1 main.cpp + Chip.cpp: area and per-layer training cost of `net` on the chip `ctx` describes. */
/** A feedback matrix read forward in the error phase (DFA, DRTP): its own arrays, fed from the global buffer. */
export interface FeedbackRead {
  layer: number;
  /** Stored rows (the output error's length) and columns (the layer's error signals × cells per weight). */
  rows: number;
  cols: number;
  /** Read pulses per image (the error's bits; one for a one-hot target) and the fraction of active input lines. */
  pulses: number;
  activity: number;
  /** Bits into the arrays and out to the buffer per image (the error in; the layer's δ out). */
  inBits: number;
  outBits: number;
  /** Bits of δ sent to DRAM and read back for the weight gradient, per image. */
  dramBits: number;
}

/** Per epoch: a feedback read's latency and energy by component, and the area of its arrays. */
export interface FeedbackCost {
  layer: number;
  subArrays: number;
  latency: { array: number; adc: number; accumulation: number; buffer: number; interconnect: number; dram: number };
  /** Of the latency, the time in the global buffer and H-tree. */
  global: number;
  energy: { array: number; adc: number; accumulation: number; buffer: number; interconnect: number; dram: number };
  area: { array: number; adc: number; accumulation: number; other: number };
}

export interface ChipOptions {
  /** One weight-gradient unit for the chip (NeuroSim) or one per layer, sized for it. */
  wgSharing?: "shared" | "per-layer";
  /** Batch accumulation of the per-image gradients: through DRAM (NeuroSim) or in an SRAM accumulator beside each layer. */
  gradientAccumulation?: "dram" | "on-chip";
  /** The backward pass's data in the global buffer (NeuroSim) or in an SRAM buffer beside each layer. */
  backwardBuffers?: "global" | "local";
  feedback?: FeedbackRead[];
}

/**
 * An SRAM store of `bits` built from NeuroSim's global-buffer cores (Buffer.cpp, SRAM), all cores
 * working at once: its area, and the time and energy to read and write every line once.
 */
function sramStore(ctx: CircuitContext, bits: number): { bits: number; area: number; latency: number; energy: number } {
  const p = ctx.param;
  const coreBits = p.globalBufferCoreSizeRow * p.globalBufferCoreSizeCol;
  const cores = Math.max(1, Math.ceil(bits / coreBits));
  const core = new Buffer(ctx);
  core.initialize(Math.min(bits, coreBits), p.globalBufferCoreSizeCol, 1, p.unitLengthWireResistance, p.clkFreq, true);
  // Only the area is used; the width is a placeholder the layout needs.
  core.calculateArea(0, 1, "NONE");
  const lines = Math.ceil(Math.min(bits, coreBits) / p.globalBufferCoreSizeCol);
  core.calculateLatency(p.globalBufferCoreSizeCol, lines, p.globalBufferCoreSizeCol, lines);
  core.calculatePower(p.globalBufferCoreSizeCol, lines, p.globalBufferCoreSizeCol, lines);
  return {
    bits,
    area: core.area * cores,
    latency: core.readLatency + core.writeLatency,
    energy: (core.readDynamicEnergy + core.writeDynamicEnergy) * cores,
  };
}

/**
 * A weight-gradient unit for a layer whose matrix has `rows` output positions: NeuroSim sizes the
 * unit's array grid by integer division and gets none for a map smaller than one sub-array (its
 * loop then never ends); cimlearn gives such a unit one sub-array in each direction.
 */
function initWgUnit(ctx: CircuitContext, l: NetLayer): WeightGradientUnit {
  const p = ctx.param;
  const unit = new WeightGradientUnit(ctx);
  const rows = toInt((l.ifmH - l.kH + 1) * (l.ifmW - l.kW + 1));
  const cols = toInt(l.ifmC * p.numBitInput);
  unit.initialize(Math.max(rows, p.numRowSubArrayWG), Math.max(cols, p.numColSubArrayWG));
  return unit;
}

export function estimateChip(ctx: CircuitContext, net: NetLayer[], stats: NetworkTraceStats, options: ChipOptions = {}): ChipEstimate {
  const p = ctx.param;
  const fp = floorplan(net, {
    numRowSubArray: p.numRowSubArray,
    numColSubArray: p.numColSubArray,
    numRowPerSynapse: p.numRowPerSynapse,
    numColPerSynapse: p.numColPerSynapse,
    novelMapping: p.novelMapping,
  });
  const sa = initSubArray(ctx);
  const cmPEs = Math.ceil(fp.desiredTileSizeCM / fp.desiredPESizeCM);
  const nmTile = fp.novel.some(Boolean) ? initTile(ctx, sa, true, fp.numPENM, fp.desiredPESizeNM) : null;
  const cmTile = initTile(ctx, sa, false, cmPEs, fp.desiredPESizeCM);
  // NeuroSim holds the tile buffers' core counts in one pair of globals that TileInitialize sets for
  // the novel tile and then overwrites for the conventional one, so the novel tile's area and buffer
  // parallelism use the conventional tile's counts.
  if (nmTile) {
    nmTile.numInBufferCore = cmTile.numInBufferCore;
    nmTile.numOutBufferCore = cmTile.numOutBufferCore;
  }

  // ChipInitialize: global bus, buffer, weight-gradient unit, accumulators.
  let maxLayerInput = 0;
  let maxIFMLayer = 0;
  let maxTileAdded = 0;
  let globalBusWidth = 0;
  net.forEach((l, i) => {
    const input = l.ifmH * l.ifmW * l.ifmC;
    if (input > maxLayerInput) {
      maxLayerInput = input;
      maxIFMLayer = i;
    }
    if (!fp.novel[i]) globalBusWidth += fp.desiredTileSizeCM + fp.desiredTileSizeCM / p.numColMuxed;
    else {
      const w = fp.desiredPESizeNM * Math.ceil(Math.sqrt(fp.numPENM));
      globalBusWidth += w + w / p.numColMuxed;
    }
    maxTileAdded = Math.max(maxTileAdded, fp.tilesRow[i] as number);
  });
  while (globalBusWidth > p.maxGlobalBusWidth) globalBusWidth /= 2;
  let bufferSize = toInt(p.numBitInput * maxLayerInput);
  // The shared unit is sized for the layer with the largest input map; it also sizes the gradient buffer.
  const wgu = initWgUnit(ctx, net[maxIFMLayer] as NetLayer);
  const perLayer = options.wgSharing === "per-layer";
  const units = net.map((l) => (perLayer ? initWgUnit(ctx, l) : wgu));
  const gradientAccum = new Adder(ctx);
  let numArrayWriteParallel = 0;
  // NeuroSim sizes the gradient buffer before it initializes the unit, i.e. with 0 bits of gradient
  // precision — only the batch-accumulation bits count (ChipInitialize, as ordered there).
  // A batch of one has no accumulation bits; NeuroSim's doubling below would never end (and write no
  // sub-array at a time): cimlearn counts at least one bit and one sub-array written at a time.
  const accumulationBits = Math.max(1, Math.ceil(log2(p.batchSize)));
  let bufferOverHead = toInt(p.numRowSubArray * p.numColSubArray * p.numColPerSynapse * accumulationBits);
  numArrayWriteParallel = Math.max(1, Math.floor(bufferOverHead / (p.numRowSubArray * p.numColSubArray * p.synapseBit)));
  if (p.trainingEstimation) {
    while (bufferSize + bufferOverHead < bufferSize * (p.bufferOverHeadConstraint + 1)) {
      bufferOverHead *= 2;
      numArrayWriteParallel *= 2;
    }
    bufferSize += bufferOverHead;
    gradientAccum.initialize(
      toInt(wgu.outPrecision + Math.ceil(log2(p.batchSize))),
      toInt(numArrayWriteParallel * p.numRowSubArray * p.numColSubArray),
    );
  }
  const coreBits = p.globalBufferCoreSizeRow * p.globalBufferCoreSizeCol;
  // An integer division in NeuroSim: whole cores only — none at all for a network whose largest input
  // and gradient buffer fit in less than one core (its latency then divides by zero); cimlearn keeps one.
  const numBufferCore = Math.max(1, Math.trunc(bufferSize / coreBits));
  const globalBuffer = new Buffer(ctx);
  globalBuffer.initialize(coreBits, p.globalBufferCoreSizeCol, 1, p.unitLengthWireResistance, p.clkFreq, p.globalBufferType);
  const maxPool = new MaxPooling(ctx);
  maxPool.initialize(p.numBitInput, 2 * 2, toInt(fp.desiredTileSizeCM));
  const gHTree = new HTree(ctx);
  gHTree.initialize(fp.numTileRow, fp.numTileCol, p.globalBusDelayTolerance, globalBusWidth);
  const gAccumulation = new AdderTree(ctx);
  let gRelu: BitShifter | null = null;
  let gSigmoid: Sigmoid | null = null;
  {
    const psum = partialSumBits(ctx);
    let maxThroughputTile: number;
    let maxAddFromSubArray: number;
    if (p.novelMapping) {
      maxThroughputTile = toInt(Math.max(fp.desiredTileSizeCM, Math.ceil(Math.sqrt(fp.numPENM)) * fp.desiredPESizeNM));
      maxAddFromSubArray = toInt(
        Math.max(Math.ceil(fp.desiredPESizeCM / p.numRowSubArray), Math.ceil(fp.desiredPESizeNM / p.numRowSubArray)),
      );
      maxAddFromSubArray *= toInt(Math.max(Math.ceil(fp.desiredTileSizeCM / fp.desiredPESizeCM), Math.ceil(Math.sqrt(fp.numPENM))));
    } else {
      maxThroughputTile = toInt(fp.desiredTileSizeCM);
      maxAddFromSubArray = toInt(Math.ceil(fp.desiredPESizeCM / p.numRowSubArray));
      maxAddFromSubArray *= toInt(Math.ceil(fp.desiredTileSizeCM / fp.desiredPESizeCM));
    }
    const lanes = Math.ceil(maxThroughputTile / p.numColMuxed);
    if (p.chipActivation) {
      gAccumulation.initialize(
        toInt(maxTileAdded),
        toInt(Math.ceil(psum) + p.numBitInput + p.numColPerSynapse + 1 + Math.ceil(log2(maxAddFromSubArray))),
        lanes,
      );
      if (p.reLu) {
        gRelu = new BitShifter(ctx);
        gRelu.initialize(lanes, p.numBitInput, p.clkFreq);
      } else {
        gSigmoid = new Sigmoid(ctx);
        const bits =
          Math.ceil(log2(p.numRowSubArray) + p.cellBit - 1) +
          p.numBitInput +
          p.numColPerSynapse +
          1 +
          log2(maxAddFromSubArray) +
          Math.ceil(log2(maxTileAdded));
        gSigmoid.initialize(false, p.numBitInput, toInt(bits), lanes, p.clkFreq);
      }
    } else {
      gAccumulation.initialize(toInt(maxTileAdded), p.numBitInput, lanes);
    }
  }

  // cimlearn's hardware options beyond NeuroSim: a gradient accumulator per layer (the layer's weights ×
  // (gradient bits + batch-accumulation bits)) and a backward buffer per layer (one image's input map
  // and output error, at the input precision NeuroSim moves both with).
  const onChipAccumulation = p.trainingEstimation && options.gradientAccumulation === "on-chip";
  const accumulators = net.map((l) =>
    onChipAccumulation ? sramStore(ctx, l.ifmC * l.kH * l.kW * l.ofmC * (wgu.outPrecision + accumulationBits)) : null,
  );
  const backwardBuffers = net.map((l) =>
    p.trainingEstimation && options.backwardBuffers === "local"
      ? sramStore(ctx, l.ifmH * l.ifmW * (l.ifmC + l.ofmC) * p.numBitInput)
      : null,
  );

  // ChipCalculateArea.
  const nmArea = nmTile ? tileArea(ctx, sa, nmTile) : null;
  const cmArea = tileArea(ctx, sa, cmTile);
  const area: ChipArea = { total: 0, array: 0, interconnect: 0, adc: 0, accumulation: 0, other: 0, weightGradient: 0, height: 0, width: 0 };
  for (const [a, n] of [
    [nmArea, fp.desiredNumTileNM],
    [cmArea, fp.desiredNumTileCM],
  ] as const) {
    if (!a) continue;
    area.total += a.area * n;
    area.interconnect += a.ic * n;
    area.adc += a.adc * n;
    area.accumulation += a.accumulation * n;
    area.other += a.other * n;
    area.array += a.array * n;
  }
  const tileHeight = Math.max(nmArea?.height ?? 0, cmArea.height);
  const tileWidth = Math.max(nmArea?.width ?? 0, cmArea.width);
  globalBuffer.calculateArea(fp.numTileRow * tileHeight, 0, "NONE");
  const globalBufferArea = globalBuffer.area * numBufferCore;
  const globalBufferHeight = fp.numTileRow * tileHeight;
  const globalBufferWidth = globalBufferArea / globalBufferHeight;
  gHTree.calculateArea(tileHeight, tileWidth, p.treeFoldedRatio);
  maxPool.calculateUnitArea("NONE");
  maxPool.calculateArea(globalBufferWidth);
  gAccumulation.calculateArea(0, globalBufferHeight / 3, "NONE");
  let activationArea = 0;
  if (gRelu) {
    gRelu.calculateArea(0, globalBufferWidth / 3, "NONE");
    activationArea = gRelu.area;
  } else if (gSigmoid) {
    gSigmoid.calculateUnitArea("NONE");
    gSigmoid.calculateArea(0, globalBufferWidth / 3, "NONE");
    activationArea = gSigmoid.area;
  }
  area.total += activationArea;
  if (p.trainingEstimation) {
    gradientAccum.calculateArea(globalBufferHeight, 0, "NONE");
    if (perLayer) {
      for (const u of units) u.calculateArea();
      area.weightGradient = units.reduce((s, u) => s + u.area + gradientAccum.area, 0);
    } else {
      wgu.calculateArea();
      area.weightGradient = wgu.area + gradientAccum.area;
    }
    area.total += area.weightGradient;
  }
  const accumulatorArea = accumulators.reduce((sum, a) => sum + (a?.area ?? 0), 0);
  const backwardBufferArea = backwardBuffers.reduce((sum, b) => sum + (b?.area ?? 0), 0);
  area.weightGradient += accumulatorArea;
  area.other += backwardBufferArea;
  area.total += accumulatorArea + backwardBufferArea;
  area.total += globalBufferArea + gHTree.area + maxPool.area + gAccumulation.area;
  area.interconnect += gHTree.area;
  area.accumulation += gAccumulation.area;
  area.other += globalBufferArea + maxPool.area + activationArea;
  area.height = Math.sqrt(area.total);
  area.width = area.total / area.height;

  const totalNumTile = fp.tilesRow.reduce((s, r, i) => s + r * (fp.tilesCol[i] as number), 0);
  const dram = new DRAM(ctx);
  dram.initialize(p.dramType);
  const bufferCoresInUse = cMin(numBufferCore, Math.ceil(globalBusWidth / globalBuffer.interfaceWidth));

  const blockCache = new Map<string, BlockResult>();
  const layers = net.map((l, layerNumber): LayerReport => {
    const s = stats[layerNumber] as LayerTraceStats;
    const novel = fp.novel[layerNumber] as boolean;
    const tile = novel ? (nmTile as TileKind) : cmTile;
    const geometry = novel ? (nmArea as NonNullable<typeof nmArea>) : cmArea;
    // The WG unit's activities follow the layer's input activity (NeuroSim main.cpp).
    p.activityRowReadWG = s.activity;
    p.activityRowWriteWG = s.activity;
    p.activityColWriteWG = s.activity;
    const lc: LayerContext = { ctx, sa, stats: s, layerNumber, cache: blockCache, statsKey: statsKeyOf(s) };
    const weightMatrixRow = toInt(l.ifmC * l.kH * l.kW * p.numRowPerSynapse);
    const weightMatrixCol = toInt(l.ofmC * p.numColPerSynapse);
    const numInVector = toInt((((l.ifmH - l.kH + 1) / l.stride) * (l.ifmW - l.kW + 1)) / l.stride);
    const layerTiles = (fp.tilesRow[layerNumber] as number) * (fp.tilesCol[layerNumber] as number);
    const speedUpRow = fp.speedUpRow[layerNumber] as number;
    const speedUpCol = fp.speedUpCol[layerNumber] as number;
    const wgu = units[layerNumber] as WeightGradientUnit;
    const r = zeroPerf();
    let tileLeakage = 0;
    const tilesR = novel
      ? Math.ceil((l.ifmC * p.numRowPerSynapse) / fp.desiredPESizeNM)
      : Math.ceil((l.ifmC * l.kH * l.kW * p.numRowPerSynapse) / fp.desiredTileSizeCM);
    const tilesC = novel
      ? Math.ceil((l.ofmC * p.numColPerSynapse) / fp.desiredPESizeNM)
      : Math.ceil((l.ofmC * p.numColPerSynapse) / fp.desiredTileSizeCM);
    const tileCache = new Map<string, Perf>();
    for (let i = 0; i < tilesR; i++) {
      for (let j = 0; j < tilesC; j++) {
        let rows: number;
        let cols: number;
        if (novel) {
          rows = Math.min(fp.desiredPESizeNM * fp.numPENM, weightMatrixRow - i * fp.desiredPESizeNM * fp.numPENM);
          cols = Math.min(fp.desiredPESizeNM, weightMatrixCol - j * fp.desiredPESizeNM);
        } else {
          rows = Math.min(fp.desiredTileSizeCM, weightMatrixRow - i * fp.desiredTileSizeCM);
          cols = Math.min(fp.desiredTileSizeCM, weightMatrixCol - j * fp.desiredTileSizeCM);
        }
        const key = `${rows}x${cols}`;
        let t = tileCache.get(key);
        if (!t) {
          t = tilePerformance(lc, tile, geometry, speedUpRow, speedUpCol, rows, cols, numInVector * p.numBitInput);
          tileCache.set(key, t);
        }
        r.readLatency = cMax(t.readLatency, r.readLatency);
        r.readDynamicEnergy += t.readDynamicEnergy;
        r.readLatencyPeakFW = cMax(t.readLatencyPeakFW, r.readLatencyPeakFW);
        r.readDynamicEnergyPeakFW += t.readDynamicEnergyPeakFW;
        if (p.trainingEstimation) {
          r.readLatencyAG = cMax(t.readLatencyAG, r.readLatencyAG);
          r.readDynamicEnergyAG += t.readDynamicEnergyAG;
          r.writeLatencyWU += t.writeLatencyWU;
          r.writeDynamicEnergyWU += t.writeDynamicEnergyWU;
          r.readLatencyPeakAG = cMax(t.readLatencyPeakAG, r.readLatencyPeakAG);
          r.readDynamicEnergyPeakAG += t.readDynamicEnergyPeakAG;
          r.writeLatencyPeakWU += t.writeLatencyPeakWU;
          r.writeDynamicEnergyPeakWU += t.writeDynamicEnergyPeakWU;
        }
        r.bufferLatency = cMax(t.bufferLatency, r.bufferLatency);
        r.bufferDynamicEnergy += t.bufferDynamicEnergy;
        r.icLatency = cMax(t.icLatency, r.icLatency);
        r.icDynamicEnergy += t.icDynamicEnergy;
        r.coreLatencyADC = cMax(t.coreLatencyADC, r.coreLatencyADC);
        r.coreLatencyAccum = cMax(t.coreLatencyAccum, r.coreLatencyAccum);
        r.coreLatencyOther = cMax(t.coreLatencyOther, r.coreLatencyOther);
        r.coreEnergyADC += t.coreEnergyADC;
        r.coreEnergyAccum += t.coreEnergyAccum;
        r.coreEnergyOther += t.coreEnergyOther;
        tileLeakage = t.leakage;
      }
    }
    const agLayer = p.trainingEstimation && layerNumber !== 0;
    if (gRelu) {
      const n = Math.ceil((numInVector * l.ofmC) / gRelu.numUnit);
      gRelu.calculateLatency(n);
      gRelu.calculatePower(n);
      r.readLatency += gRelu.readLatency;
      r.readDynamicEnergy += gRelu.readDynamicEnergy;
      r.readLatencyPeakFW += gRelu.readLatency;
      r.readDynamicEnergyPeakFW += gRelu.readDynamicEnergy;
      r.coreLatencyOther += gRelu.readLatency;
      r.coreEnergyOther += gRelu.readDynamicEnergy;
    } else if (gSigmoid) {
      const n = Math.ceil((numInVector * l.ofmC) / gSigmoid.numEntry);
      gSigmoid.calculateLatency(n);
      gSigmoid.calculatePower(n);
      r.readLatency += gSigmoid.readLatency;
      r.readDynamicEnergy += gSigmoid.readDynamicEnergy;
      r.readLatencyPeakFW += gSigmoid.readLatency;
      r.readDynamicEnergyPeakFW += gSigmoid.readDynamicEnergy;
      r.coreLatencyOther += gSigmoid.readLatency;
      r.coreEnergyOther += gSigmoid.readDynamicEnergy;
    }
    if ((fp.tilesRow[layerNumber] as number) > 1) {
      const reads = (fp.tilesCol[layerNumber] as number) * l.ofmC * Math.ceil(numInVector / gAccumulation.numAdderTree);
      gAccumulation.calculateLatency(reads, fp.tilesRow[layerNumber] as number, 0);
      gAccumulation.calculatePower(reads, fp.tilesRow[layerNumber] as number);
      r.readLatency += gAccumulation.readLatency;
      r.readDynamicEnergy += gAccumulation.readDynamicEnergy;
      r.readLatencyPeakFW += gAccumulation.readLatency;
      r.readDynamicEnergyPeakFW += gAccumulation.readDynamicEnergy;
      if (agLayer) {
        r.readLatencyAG += gAccumulation.readLatency;
        r.readDynamicEnergyAG += gAccumulation.readDynamicEnergy;
        r.readLatencyPeakAG += gAccumulation.readLatency;
        r.readDynamicEnergyPeakAG += gAccumulation.readDynamicEnergy;
      }
      r.coreLatencyAccum += gAccumulation.readLatency * (agLayer ? 2 : 1);
      r.coreEnergyAccum += gAccumulation.readDynamicEnergy * (agLayer ? 2 : 1);
    }
    if (l.pool) {
      const perTile = novel ? fp.desiredPESizeNM / Math.sqrt(fp.numPENM) : fp.desiredTileSizeCM;
      // NeuroSim divides the window count in floating point for the latency and in integers for the power.
      maxPool.calculateLatency(1e20, 0, Math.ceil(numInVector / maxPool.window / perTile));
      maxPool.calculatePower(Math.ceil(Math.trunc(numInVector / maxPool.window) / perTile));
      r.readLatency += maxPool.readLatency;
      r.readDynamicEnergy += maxPool.readDynamicEnergy;
      r.readLatencyPeakFW += maxPool.readLatency;
      r.readDynamicEnergyPeakFW += maxPool.readDynamicEnergy;
      r.coreLatencyOther += maxPool.readLatency;
      r.coreEnergyOther += maxPool.readDynamicEnergy;
    }

    // Global buffer and H-tree: inputs out to the tiles, outputs back.
    const numBitToLoadOut = novel ? (weightMatrixRow * p.numBitInput * numInVector) / l.kH : weightMatrixRow * p.numBitInput * numInVector;
    const numBitToLoadIn = (Math.trunc(weightMatrixCol / p.numColPerSynapse) * p.numBitInput * numInVector) / (l.pool ? 4 : 1);
    const tileShare = Math.ceil(gHTree.busWidth * (layerTiles / totalNumTile));
    const [tileH, tileW] = novel ? [nmArea?.height ?? 0, nmArea?.width ?? 0] : [cmArea.height, cmArea.width];
    const locR = toInt(fp.tileLocRow[layerNumber] as number);
    const locC = toInt(fp.tileLocCol[layerNumber] as number);
    gHTree.calculateLatency(0, 0, locR, locC, tileH, tileW, Math.ceil((numBitToLoadOut + numBitToLoadIn) / tileShare));
    gHTree.calculatePower(0, 0, locR, locC, tileH, tileW, tileShare, Math.ceil((numBitToLoadOut + numBitToLoadIn) / tileShare));
    const iw = globalBuffer.interfaceWidth;
    globalBuffer.calculateLatency(iw, numBitToLoadOut / iw, iw, numBitToLoadIn / iw);
    globalBuffer.calculatePower(iw, numBitToLoadOut / iw, iw, numBitToLoadIn / iw);
    globalBuffer.readLatency /= bufferCoresInUse;
    globalBuffer.writeLatency /= bufferCoresInUse;
    const share = Math.ceil(totalNumTile / layerTiles);
    globalBuffer.readLatency *= share;
    globalBuffer.writeLatency *= share;
    const gbLatency = globalBuffer.readLatency + globalBuffer.writeLatency;
    const gbEnergy = globalBuffer.readDynamicEnergy + globalBuffer.writeDynamicEnergy;
    const training = p.trainingEstimation;
    r.bufferLatency += gbLatency * (training ? (layerNumber !== 0 ? 6 : 4) : 1);
    r.bufferDynamicEnergy += gbEnergy * (training ? (layerNumber !== 0 ? 6 : 4) : 1);
    r.icLatency += gHTree.readLatency * (agLayer ? 2 : 1);
    r.icDynamicEnergy += gHTree.readDynamicEnergy * (agLayer ? 2 : 1);
    r.readLatency += gbLatency * (training ? 2 : 1) + gHTree.readLatency;
    r.readDynamicEnergy += gbEnergy * (training ? 2 : 1) + gHTree.readDynamicEnergy;
    r.readLatencyAG += agLayer ? gbLatency * 2 + gHTree.readLatency : 0;
    r.readDynamicEnergyAG += agLayer ? gbEnergy * 2 + gHTree.readDynamicEnergy : 0;
    let readLatencyWG = training ? gbLatency * 2 : 0;
    let readDynamicEnergyWG = training ? gbEnergy * 2 : 0;
    const parts: LayerParts = {
      fw: { buffer: [gbLatency * 2, gbEnergy * 2], interconnect: [gHTree.readLatency, gHTree.readDynamicEnergy], dram: [0, 0] },
      ag: {
        buffer: agLayer ? [gbLatency * 2, gbEnergy * 2] : [0, 0],
        interconnect: agLayer ? [gHTree.readLatency, gHTree.readDynamicEnergy] : [0, 0],
        dram: [0, 0],
      },
      wg: { buffer: [gbLatency * 2, gbEnergy * 2], dram: [0, 0], compute: [0, 0], accumulate: [0, 0], local: [0, 0] },
      wu: { tileTransfer: [0, 0] },
    };

    const quantities: LayerQuantities = {
      positions: numInVector,
      bitPlanes: numInVector * p.numBitInput,
      copies: speedUpRow * speedUpCol,
      tiles: layerTiles,
      bitsToTiles: numBitToLoadOut,
      bitsFromTiles: numBitToLoadIn,
      busShare: share,
      dramMapBits: toInt(l.ifmH * l.ifmW * p.numBitInput),
      dramGradientBits: toInt(l.ifmC * l.kH * l.kW * l.ofmC * wgu.outPrecision),
      wgArrays: wgu.numArrayInRow * wgu.numArrayInCol,
      wgCopies: 0,
      wgUsed: 0,
    };
    let readLatencyPeakWG = 0;
    let readDynamicEnergyPeakWG = 0;
    if (training) {
      // Activations and activation gradients go to DRAM and come back for the weight gradient.
      const dataLoadIn = toInt(l.ifmH * l.ifmW * p.numBitInput);
      const dataLoadWeight = toInt(l.ifmC * l.kH * l.kW * l.ofmC * wgu.outPrecision);
      const local = backwardBuffers[layerNumber];
      if (local) {
        // The maps stay in the layer's own buffer: written in the forward pass, read for the error and the gradient.
        const share = Math.min(1, dataLoadIn / local.bits);
        const [t, e] = [local.latency * share, local.energy * share];
        r.readLatency += t;
        r.readDynamicEnergy += e;
        r.readLatencyAG += layerNumber !== 0 ? t : 0;
        r.readDynamicEnergyAG += layerNumber !== 0 ? e : 0;
        readLatencyWG += t;
        readDynamicEnergyWG += e;
        parts.wg.local[0] += t;
        parts.wg.local[1] += e;
      } else {
        dram.calculateLatency(dataLoadIn);
        dram.calculatePower(dataLoadIn);
        r.readLatency += dram.readLatency * 2;
        r.readDynamicEnergy += dram.readDynamicEnergy * 2;
        r.readLatencyAG += layerNumber !== 0 ? dram.readLatency * 2 : 0;
        r.readDynamicEnergyAG += layerNumber !== 0 ? dram.readDynamicEnergy * 2 : 0;
        readLatencyWG += dram.readLatency * 2;
        readDynamicEnergyWG += dram.readDynamicEnergy * 2;
        parts.fw.dram = [dram.readLatency * 2, dram.readDynamicEnergy * 2];
        parts.ag.dram = layerNumber !== 0 ? [dram.readLatency * 2, dram.readDynamicEnergy * 2] : [0, 0];
        parts.wg.dram = [dram.readLatency * 2, dram.readDynamicEnergy * 2];
      }
      const batch = p.batchSize;
      for (const k of [
        "readLatency",
        "readDynamicEnergy",
        "readLatencyAG",
        "readDynamicEnergyAG",
        "readLatencyPeakFW",
        "readDynamicEnergyPeakFW",
        "readLatencyPeakAG",
        "readDynamicEnergyPeakAG",
        "icLatency",
        "icDynamicEnergy",
        "coreLatencyADC",
        "coreEnergyADC",
        "coreLatencyAccum",
        "coreEnergyAccum",
      ] as const) {
        r[k] *= batch;
      }
      // Per-image weight gradients go to DRAM and back for the batch accumulation.
      dram.calculateLatency(dataLoadWeight);
      dram.calculatePower(dataLoadWeight);
      globalBuffer.calculateLatency(iw, dataLoadWeight / iw, iw, dataLoadWeight / iw);
      globalBuffer.calculatePower(iw, dataLoadWeight / iw, iw, dataLoadWeight / iw);
      globalBuffer.readLatency /= bufferCoresInUse;
      globalBuffer.writeLatency /= bufferCoresInUse;
      wgu.calculateLatency(toInt(l.ofmC), toInt((l.ifmH - l.kH + 1) * (l.ifmW - l.kW + 1) * p.numBitInput));
      wgu.calculatePower(toInt(l.ofmC), toInt((l.ifmH - l.kH + 1) * (l.ifmW - l.kW + 1) * p.numBitInput));
      const thisMatrixRow = (l.ifmH - l.kH + 1) * (l.ifmW - l.kW + 1);
      const thisMatrixCol = l.ifmC * p.numBitInput;
      const arrayNeedRow = Math.ceil(thisMatrixRow / p.numRowSubArrayWG) === 0 ? 1 : Math.ceil(thisMatrixRow / p.numRowSubArrayWG);
      const arrayNeedCol = Math.ceil(thisMatrixCol / p.numColSubArrayWG) === 0 ? 1 : Math.ceil(thisMatrixCol / p.numColSubArrayWG);
      let speedRow: number;
      let speedCol: number;
      if (thisMatrixRow !== 1) {
        speedRow = Math.floor(wgu.numArrayInRow / arrayNeedRow) === 0 ? 1 : Math.floor(wgu.numArrayInRow / arrayNeedRow);
        speedCol = Math.floor(wgu.numArrayInCol / arrayNeedCol) === 0 ? 1 : Math.floor(wgu.numArrayInCol / arrayNeedCol);
      } else {
        speedRow = wgu.numArrayInRow;
        speedCol = Math.floor(thisMatrixCol / p.numColSubArrayWG) === 0 ? 1 : Math.floor(thisMatrixCol / p.numColSubArrayWG);
      }
      const used = (thisMatrixRow * thisMatrixCol) / (wgu.numArrayInRow * wgu.numArrayInCol * p.numRowSubArrayWG * p.numColSubArrayWG);
      quantities.wgCopies = speedRow * speedCol;
      quantities.wgUsed = used;
      readLatencyPeakWG = (wgu.readLatencyPeak / (speedRow * speedCol) + wgu.writeLatencyPeak) * (l.kH * l.kW);
      readDynamicEnergyPeakWG = (wgu.readDynamicEnergyPeak + wgu.writeDynamicEnergyPeak) * used * (l.kH * l.kW);
      parts.wg.compute = [readLatencyPeakWG, readDynamicEnergyPeakWG];
      readLatencyWG += readLatencyPeakWG;
      readDynamicEnergyWG += readDynamicEnergyPeakWG;
      const weights = l.ifmC * l.kH * l.kW * l.ofmC;
      if (onChipAccumulation) {
        // The running sum stays beside the layer: read, added to, written back, for every image.
        const store = accumulators[layerNumber] as { latency: number; energy: number };
        parts.wg.local[0] += store.latency;
        parts.wg.local[1] += store.energy;
        readLatencyWG += store.latency;
        readDynamicEnergyWG += store.energy;
        r.bufferLatency += store.latency;
        r.bufferDynamicEnergy += store.energy;
      } else {
        const roundTrip = [
          dram.readLatency + globalBuffer.readLatency + globalBuffer.writeLatency,
          dram.readDynamicEnergy + globalBuffer.readDynamicEnergy + globalBuffer.writeDynamicEnergy,
        ];
        // Out to DRAM, and back before the update.
        readLatencyWG += 2 * (roundTrip[0] as number);
        readDynamicEnergyWG += 2 * (roundTrip[1] as number);
        parts.wg.buffer[0] += 2 * (globalBuffer.readLatency + globalBuffer.writeLatency);
        parts.wg.buffer[1] += 2 * (globalBuffer.readDynamicEnergy + globalBuffer.writeDynamicEnergy);
        parts.wg.dram[0] += 2 * dram.readLatency;
        parts.wg.dram[1] += 2 * dram.readDynamicEnergy;
        r.bufferLatency += 2 * (globalBuffer.readLatency + globalBuffer.writeLatency);
        r.bufferDynamicEnergy += 2 * (globalBuffer.readDynamicEnergy + globalBuffer.writeDynamicEnergy);
      }
      gradientAccum.calculateLatency(1e20, 0, Math.ceil(weights / gradientAccum.numAdder));
      gradientAccum.calculatePower(Math.ceil(weights / gradientAccum.numAdder), toInt(cMin(weights, gradientAccum.numAdder)));
      readLatencyWG += gradientAccum.readLatency;
      readDynamicEnergyWG += gradientAccum.readDynamicEnergy;
      readLatencyPeakWG += gradientAccum.readLatency;
      readDynamicEnergyPeakWG += gradientAccum.readDynamicEnergy;
      parts.wg.accumulate = [gradientAccum.readLatency, gradientAccum.readDynamicEnergy];
      readLatencyWG *= batch;
      readDynamicEnergyWG *= batch;
      readLatencyPeakWG *= batch;
      readDynamicEnergyPeakWG *= batch;
      for (const k of ["bufferLatency", "bufferDynamicEnergy", "coreLatencyOther", "coreEnergyOther"] as const) r[k] *= batch;
      r.writeLatencyPeakWU /= numArrayWriteParallel;
      r.writeLatencyWU /= numArrayWriteParallel;
      const it = p.numIteration;
      for (const k of [
        "readLatency",
        "readDynamicEnergy",
        "readLatencyAG",
        "readDynamicEnergyAG",
        "writeLatencyWU",
        "writeDynamicEnergyWU",
        "readLatencyPeakFW",
        "readDynamicEnergyPeakFW",
        "readLatencyPeakAG",
        "readDynamicEnergyPeakAG",
        "writeLatencyPeakWU",
        "writeDynamicEnergyPeakWU",
        "bufferLatency",
        "bufferDynamicEnergy",
        "icLatency",
        "icDynamicEnergy",
        "coreLatencyADC",
        "coreEnergyADC",
        "coreLatencyAccum",
        "coreEnergyAccum",
        "coreLatencyOther",
        "coreEnergyOther",
      ] as const) {
        r[k] *= it;
      }
      readLatencyWG *= it;
      readDynamicEnergyWG *= it;
      readLatencyPeakWG *= it;
      readDynamicEnergyPeakWG *= it;
      const perEpoch = batch * it;
      for (const part of [parts.fw, parts.ag, parts.wg] as const) {
        for (const v of Object.values(part) as [number, number][]) {
          v[0] *= perEpoch;
          v[1] *= perEpoch;
        }
      }
    }
    let otherTiles = 0;
    net.forEach((_, j) => {
      if (j !== layerNumber) otherTiles += (fp.tilesRow[j] as number) * (fp.tilesCol[j] as number);
    });
    return {
      readLatency: r.readLatency,
      readDynamicEnergy: r.readDynamicEnergy,
      readLatencyAG: r.readLatencyAG,
      readDynamicEnergyAG: r.readDynamicEnergyAG,
      readLatencyWG,
      readDynamicEnergyWG,
      writeLatencyWU: r.writeLatencyWU,
      writeDynamicEnergyWU: r.writeDynamicEnergyWU,
      readLatencyPeakFW: r.readLatencyPeakFW,
      readDynamicEnergyPeakFW: r.readDynamicEnergyPeakFW,
      readLatencyPeakAG: r.readLatencyPeakAG,
      readDynamicEnergyPeakAG: r.readDynamicEnergyPeakAG,
      readLatencyPeakWG,
      readDynamicEnergyPeakWG,
      writeLatencyPeakWU: r.writeLatencyPeakWU,
      writeDynamicEnergyPeakWU: r.writeDynamicEnergyPeakWU,
      bufferLatency: r.bufferLatency,
      bufferDynamicEnergy: r.bufferDynamicEnergy,
      icLatency: r.icLatency,
      icDynamicEnergy: r.icDynamicEnergy,
      coreLatencyADC: r.coreLatencyADC,
      coreLatencyAccum: r.coreLatencyAccum,
      coreLatencyOther: r.coreLatencyOther,
      coreEnergyADC: r.coreEnergyADC,
      coreEnergyAccum: r.coreEnergyAccum,
      coreEnergyOther: r.coreEnergyOther,
      tileLeakage,
      leakageEnergy: otherTiles * tileLeakage * (r.readLatency + r.readLatencyAG),
      parts,
      quantities,
    };
  });

  const feedback = (options.feedback ?? []).map((f): FeedbackCost => {
    const s = stats[f.layer] as LayerTraceStats;
    const fs = { ...s, activity: f.activity };
    const lc: LayerContext = { ctx, sa, stats: fs, layerNumber: f.layer, cache: blockCache, statsKey: statsKeyOf(fs) };
    const rowBlocks = Math.ceil(f.rows / p.numRowSubArray);
    const colBlocks = Math.ceil(f.cols / p.numColSubArray);
    // A matrix with few rows stacks its column blocks in one sub-array's rows; they are read one after another.
    const stacked = rowBlocks === 1 ? Math.max(1, Math.min(colBlocks, Math.floor(p.numRowSubArray / f.rows))) : 1;
    const subArrays = rowBlocks * Math.ceil(colBlocks / stacked);
    const b = evaluateBlock(lc, Math.min(f.rows, p.numRowSubArray), Math.min(f.cols, p.numColSubArray)).perVector;
    const blocks = rowBlocks * colBlocks;
    const images = p.batchSize * p.numIteration;
    const reads = f.pulses * stacked;
    const iw = globalBuffer.interfaceWidth;
    const bits = f.inBits + f.outBits;
    globalBuffer.calculateLatency(iw, f.inBits / iw, iw, f.outBits / iw);
    globalBuffer.calculatePower(iw, f.inBits / iw, iw, f.outBits / iw);
    const bufferLatency = (globalBuffer.readLatency + globalBuffer.writeLatency) / bufferCoresInUse;
    const locR = toInt(fp.tileLocRow[f.layer] as number);
    const locC = toInt(fp.tileLocCol[f.layer] as number);
    gHTree.calculateLatency(0, 0, locR, locC, cmArea.height, cmArea.width, Math.ceil(bits / gHTree.busWidth));
    gHTree.calculatePower(0, 0, locR, locC, cmArea.height, cmArea.width, gHTree.busWidth, Math.ceil(bits / gHTree.busWidth));
    // δ waits for the gradient in DRAM (as NeuroSim's activations do), or in the layer's own buffer.
    const local = backwardBuffers[f.layer];
    let keep = [0, 0];
    if (local) {
      const share = Math.min(1, f.dramBits / local.bits);
      keep = [local.latency * share, local.energy * share];
    } else {
      dram.calculateLatency(f.dramBits);
      dram.calculatePower(f.dramBits);
      keep = [dram.readLatency, dram.readDynamicEnergy];
    }
    const compute = b.readLatency * reads;
    const latencyShares = b.readLatencyADC + b.readLatencyAccum + b.readLatencyOther || 1;
    return {
      layer: f.layer,
      subArrays,
      latency: {
        adc: ((compute * b.readLatencyADC) / latencyShares) * images,
        accumulation: ((compute * b.readLatencyAccum) / latencyShares) * images,
        array: ((compute * b.readLatencyOther) / latencyShares) * images,
        buffer: (bufferLatency + (local ? (keep[0] as number) : 0)) * images,
        interconnect: gHTree.readLatency * images,
        dram: (local ? 0 : (keep[0] as number)) * images,
      },
      global: (bufferLatency + gHTree.readLatency) * images,
      energy: {
        adc: b.readDynamicEnergyADC * f.pulses * blocks * images,
        accumulation: b.readDynamicEnergyAccum * f.pulses * blocks * images,
        array: b.readDynamicEnergyOther * f.pulses * blocks * images,
        buffer: (globalBuffer.readDynamicEnergy + globalBuffer.writeDynamicEnergy + (local ? (keep[1] as number) : 0)) * images,
        interconnect: gHTree.readDynamicEnergy * images,
        dram: (local ? 0 : (keep[1] as number)) * images,
      },
      area: {
        array: sa.areaArray * subArrays,
        adc: sa.areaADC * subArrays,
        accumulation: sa.areaAccum * subArrays,
        other: sa.areaOther * subArrays,
      },
    };
  });

  return {
    floorplan: fp,
    area,
    tileArea: { novel: nmArea?.area ?? 0, conventional: cmArea.area },
    layers,
    feedback,
    numArrayWriteParallel,
    globalBusWidth,
  };
}
