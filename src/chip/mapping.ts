// Layers → tiles → PEs → sub-arrays, as DNN+NeuroSim V2.1 floorplans a network (reference §3.9,
// Chip.cpp ChipDesignInitialize / ChipFloorPlan, non-pipelined): the tile size starts at the widest
// layer and halves while memory utilization improves; the PE size likewise; weights are then
// duplicated across PEs and sub-arrays to balance the layers ("speed-up"). Convolutions whose kernel
// size is the network's most common one use the "novel" mapping (one PE per kernel position, inputs
// reused across PEs, an adder tree summing the partial sums).
//
// Deviations from NeuroSim, each documented in docs/cost-model.md:
//   - novel mapping applies to convolutions (kernel > 1) only; NeuroSim would also treat dense
//     layers as one-PE "novel" tiles when most layers are dense;
//   - when a layer is narrower than the hierarchy's minimum (PE < 2, tile < 4 sub-arrays), NeuroSim
//     stops with "SubArray Size is too large"; we use the minimum sizes instead.

import type { LayerShape, ModelSpec } from "../nn/spec.js";
import type { ChipDescription } from "./config.js";

export type Algo = "bp" | "fa" | "dfa" | "drtp" | "output-only";
export const ALGOS: readonly Algo[] = ["bp", "fa", "dfa", "drtp", "output-only"];

export interface LayerMapping {
  index: number;
  layer: LayerShape;
  novel: boolean;
  /** Tiles holding the layer (a tile never holds two layers). */
  tiles: number;
  /** Copies of the weight matrix (NeuroSim "speed-up"): input vectors are spread over them. */
  duplication: number;
  /** Mapped weights (with copies) / cells of the layer's tiles. */
  utilization: number;
  /** Rows and columns of the unrolled matrix: rows = inChannels·kernel², cols = outChannels·colsPerSynapse. */
  rows: number;
  cols: number;
  /** Sub-array blocks of one copy; novel mapping: kernel² · ceil(inChannels/size) row blocks. */
  rowBlocks: number;
  colBlocks: number;
  /** Sub-arrays of one copy (rowBlocks · colBlocks) and allocated to the layer (tiles · sub-arrays per tile). */
  subArraysPerCopy: number;
  subArraysAllocated: number;
}

/** A fixed random feedback matrix on its own arrays (FA: B_l shaped like W_l; DFA/DRTP: B_l of n_l × classes). */
export interface FeedbackMapping {
  /** The layer whose error this matrix produces (DFA/DRTP) or whose transposed read it replaces (FA). */
  index: number;
  /** Matrix as stored: rows receive the input vector, columns give the outputs (FA: read transposed). */
  rows: number;
  cols: number;
  rowBlocks: number;
  colBlocks: number;
  /**
   * Column blocks stacked in one sub-array's rows (DFA/DRTP: B_l has only `classes` rows, so
   * floor(sub-array rows / classes) of its column blocks share a sub-array and are read one after
   * another); 1 for FA.
   */
  stacked: number;
  subArrays: number;
  /** Read direction: "forward" (input on rows: DFA, DRTP) or "transposed" (input on columns: FA). */
  read: "forward" | "transposed";
  duplication: number;
}

export interface Mapping {
  layers: LayerMapping[];
  feedback: FeedbackMapping[];
  /** Conventional tile and PE sizes (rows = cols), the novel-mapped PE size and PEs per novel tile. */
  tileSize: number;
  peSize: number;
  peSizeNovel: number;
  pesNovel: number;
  subArraysPerTileConventional: number;
  subArraysPerTileNovel: number;
  tilesConventional: number;
  tilesNovel: number;
  tiles: number;
  /** Tile grid for the H-tree: ceil(√tiles) rows. */
  tileGrid: { rows: number; cols: number };
  /** Mapped cells / total cells of the forward tiles. */
  utilization: number;
  /** Sub-arrays of the forward tiles and of the feedback arrays. */
  subArrays: number;
  feedbackSubArrays: number;
}

const log2ceil = (x: number) => 2 ** Math.ceil(Math.log2(x));
const floorAtLeast1 = (x: number) => Math.max(1, Math.floor(x));

interface Shape {
  /** Input channels, kernel², output columns (with colsPerSynapse), and the bias row if any. */
  cin: number;
  k2: number;
  cols: number;
  bias: number;
}

function shapeOf(layer: LayerShape, chip: ChipDescription): Shape {
  return {
    cin: layer.inChannels,
    k2: layer.kernel * layer.kernel,
    cols: layer.outChannels * chip.colsPerSynapse,
    bias: chip.biasRow ? 1 : 0,
  };
}

/** Rows of the unrolled matrix: inChannels · kernel², plus the bias row. */
const rowsOf = (s: Shape) => s.cin * s.k2 + s.bias;

/** The most common kernel² among convolutions (ties: the earliest layer), as NeuroSim picks numPENM. */
function novelPeCount(shapes: Shape[]): number {
  let best = 0;
  let bestCount = 0;
  for (const s of shapes) {
    if (s.k2 <= 1) continue;
    const count = shapes.filter((t) => t.k2 === s.k2).length;
    if (count > bestCount) {
      best = s.k2;
      bestCount = count;
    }
  }
  return best;
}

function tileDesignConventional(size: number, shapes: Shape[], novel: boolean[]) {
  let tiles = 0;
  let mapped = 0;
  shapes.forEach((s, i) => {
    if (novel[i]) return;
    tiles += Math.ceil(rowsOf(s) / size) * Math.ceil(s.cols / size);
    mapped += rowsOf(s) * s.cols;
  });
  return { tiles, utilization: tiles === 0 ? 0 : mapped / (tiles * size * size) };
}

function tileDesignNovel(peSize: number, pes: number, shapes: Shape[], novel: boolean[]) {
  let tiles = 0;
  let mapped = 0;
  shapes.forEach((s, i) => {
    if (!novel[i]) return;
    tiles += Math.ceil(s.cin / peSize) * Math.ceil(s.cols / peSize);
    mapped += s.cin * s.k2 * s.cols;
  });
  return { tiles, utilization: tiles === 0 ? 0 : mapped / (tiles * peSize * peSize * pes) };
}

/**
 * Copies of a rows × cols matrix that fit a square container of side `container`, built of
 * unitRows × unitCols blocks (NeuroSim PEDesign / SubArrayDup): one copy when neither side fits.
 */
function duplicates(rows: number, cols: number, container: number, unitRows: number, unitCols: number): [number, number] {
  if (rows > container && cols > container) return [1, 1];
  return [
    floorAtLeast1(Math.ceil(container / unitRows) / Math.ceil(rows / unitRows)),
    floorAtLeast1(Math.ceil(container / unitCols) / Math.ceil(cols / unitCols)),
  ];
}

/** Floorplans `model` on `chip` and places the feedback matrices `algo` needs. */
/** DFA/DRTP feedback to a conv layer: its whole output map, or (`channels`) one signal per channel shared over positions. */
export type ConvFeedback = "full" | "channels";

export function mapNetwork(model: ModelSpec, chip: ChipDescription, algo: Algo, convFeedback: ConvFeedback = "full"): Mapping {
  const { rows: sa, cols: saCols } = chip.config.subArray;
  const shapes = model.layers.map((l) => shapeOf(l, chip));
  const common = chip.config.mapping === "novel" ? novelPeCount(shapes) : 0;
  const novel = shapes.map((s) => common > 1 && s.k2 === common && s.cin * s.k2 >= sa);
  // PEs per novel tile; 0 when no layer qualifies (then there are no novel tiles).
  const pes = novel.some(Boolean) ? common : 0;

  // Widest layer of each kind (next power of two of its columns) bounds the PE / tile size.
  let maxPeNovel = 0;
  let maxTile = 0;
  shapes.forEach((s, i) => {
    if (novel[i]) maxPeNovel = Math.max(maxPeNovel, log2ceil(s.cols));
    else maxTile = Math.max(maxTile, log2ceil(s.cols));
  });

  let peSizeNovel = 0;
  let tilesNovel = 0;
  if (novel.some(Boolean)) {
    const start = Math.max(maxPeNovel, 2 * sa);
    peSizeNovel = start;
    tilesNovel = tileDesignNovel(start, pes, shapes, novel).tiles;
    let best = 0;
    for (let size = start; size > 2 * sa; size /= 2) {
      const d = tileDesignNovel(size, pes, shapes, novel);
      if (d.utilization > best) {
        best = d.utilization;
        peSizeNovel = size;
        tilesNovel = d.tiles;
      }
    }
  }

  const start = Math.max(maxTile, 4 * sa);
  let tileSize = start;
  let tilesConventional = tileDesignConventional(start, shapes, novel).tiles;
  let best = 0;
  for (let size = start; size > 4 * sa; size /= 2) {
    const d = tileDesignConventional(size, shapes, novel);
    if (d.utilization > best) {
      best = d.utilization;
      tileSize = size;
      tilesConventional = d.tiles;
    }
  }

  // PE size for conventional tiles: keep halving while the utilization with duplication improves.
  const peDesign = (peSize: number) => {
    let mapped = 0;
    const dup = shapes.map((s, i): [number, number] => {
      if (novel[i]) return [1, 1];
      const d = duplicates(rowsOf(s), s.cols, tileSize, peSize, peSize);
      mapped += d[0] * d[1] * rowsOf(s) * s.cols;
      return d;
    });
    return { dup, utilization: tilesConventional === 0 ? 0 : mapped / (tilesConventional * tileSize * tileSize) };
  };
  let peSize = tileSize / 2;
  for (let size = tileSize / 2; size > 2 * sa; size /= 2) {
    const d = peDesign(size);
    if (d.utilization > best) {
      best = d.utilization;
      peSize = size;
    }
  }
  const peDup = peDesign(peSize).dup;

  const pesConventional = Math.ceil(tileSize / peSize) ** 2;
  const subArraysPerTileConventional = pesConventional * Math.ceil(peSize / sa) * Math.ceil(peSize / saCols);
  const subArraysPerTileNovel = pes * Math.ceil(peSizeNovel / sa) * Math.ceil(peSizeNovel / saCols);

  const layers: LayerMapping[] = model.layers.map((layer, i) => {
    const s = shapes[i] as Shape;
    // Novel mapping: the bias row takes a spare row of one kernel position's PE.
    const rows = rowsOf(s);
    if (novel[i]) {
      const [dr, dc] = duplicates(s.cin, s.cols, peSizeNovel, sa, saCols);
      const tiles = Math.ceil(s.cin / peSizeNovel) * Math.ceil(s.cols / peSizeNovel);
      const rowBlocks = s.k2 * Math.ceil(s.cin / sa);
      const colBlocks = Math.ceil(s.cols / saCols);
      return {
        index: i,
        layer,
        novel: true,
        tiles,
        duplication: dr * dc,
        utilization: (dr * dc * s.cin * pes * s.cols) / (tiles * peSizeNovel * peSizeNovel * pes),
        rows,
        cols: s.cols,
        rowBlocks,
        colBlocks,
        subArraysPerCopy: rowBlocks * colBlocks,
        subArraysAllocated: tiles * subArraysPerTileNovel,
      };
    }
    const [pr, pc] = peDup[i] as [number, number];
    const [sr, sc] = duplicates(rows, s.cols, peSize, sa, saCols);
    const tiles = Math.ceil(rows / tileSize) * Math.ceil(s.cols / tileSize);
    const rowBlocks = Math.ceil(rows / sa);
    const colBlocks = Math.ceil(s.cols / saCols);
    const duplication = pr * pc * sr * sc;
    return {
      index: i,
      layer,
      novel: false,
      tiles,
      duplication,
      utilization: (duplication * rows * s.cols) / (tiles * tileSize * tileSize),
      rows,
      cols: s.cols,
      rowBlocks,
      colBlocks,
      subArraysPerCopy: rowBlocks * colBlocks,
      subArraysAllocated: tiles * subArraysPerTileConventional,
    };
  });

  const tiles = layers.reduce((n, l) => n + l.tiles, 0);
  const gridRows = Math.ceil(Math.sqrt(tiles));
  const feedback = feedbackArrays(model, layers, chip, algo, convFeedback);
  return {
    layers,
    feedback,
    tileSize,
    peSize,
    peSizeNovel,
    pesNovel: pes,
    subArraysPerTileConventional,
    subArraysPerTileNovel,
    tilesConventional,
    tilesNovel,
    tiles,
    tileGrid: { rows: gridRows, cols: Math.ceil(tiles / gridRows) },
    utilization: layers.reduce((n, l) => n + l.tiles * l.utilization, 0) / tiles,
    subArrays: layers.reduce((n, l) => n + l.subArraysAllocated, 0),
    feedbackSubArrays: feedback.reduce((n, f) => n + f.subArrays * f.duplication, 0),
  };
}

/**
 * Feedback matrices on their own arrays (reference §2.6):
 *   fa:   B_l (l ≥ 2) shaped like W_l, mirroring W_l's sub-arrays and copies, read transposed in
 *         place of W_l — so the error read costs what BP's does, plus the mirror's area;
 *   dfa:  B_l of n_l × classes for every hidden layer l (n_l = the layer's neurons before pooling,
 *         or for a conv layer with channel feedback its output channels), stored as classes rows ×
 *         n_l columns and read forward with the output error as input; its column blocks are
 *         stacked in the sub-arrays' rows and read one after another;
 *   drtp: as dfa, with the one-hot target as input;
 *   bp, output-only: none.
 */
function feedbackArrays(
  model: ModelSpec,
  layers: LayerMapping[],
  chip: ChipDescription,
  algo: Algo,
  convFeedback: ConvFeedback,
): FeedbackMapping[] {
  const { rows: sa, cols: saCols } = chip.config.subArray;
  if (algo === "fa") {
    return layers.slice(1).map((l) => ({
      index: l.index,
      rows: l.rows,
      cols: l.cols,
      rowBlocks: l.rowBlocks,
      colBlocks: l.colBlocks,
      stacked: 1,
      subArrays: l.subArraysPerCopy,
      read: "transposed",
      duplication: l.duplication,
    }));
  }
  if (algo === "dfa" || algo === "drtp") {
    return layers.slice(0, -1).map((l) => {
      const signals = l.layer.kind === "conv" && convFeedback === "channels" ? l.layer.outChannels : l.layer.neurons;
      const cols = signals * chip.colsPerSynapse;
      const rowBlocks = Math.ceil(model.classes / sa);
      const colBlocks = Math.ceil(cols / saCols);
      const stacked = rowBlocks === 1 ? Math.min(colBlocks, Math.floor(sa / model.classes)) : 1;
      const subArrays = rowBlocks * Math.ceil(colBlocks / stacked);
      return { index: l.index, rows: model.classes, cols, rowBlocks, colBlocks, stacked, subArrays, read: "forward", duplication: 1 };
    });
  }
  return [];
}

/** C++ `cout` formatting of a double (6 significant digits, no trailing zeros). */
function cppNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  return String(Number(x.toPrecision(6)));
}

/** The floorplan as DNN+NeuroSim prints it, plus the feedback arrays when the algorithm has them. */
export function formatFloorplan(mapping: Mapping, chip: ChipDescription): string {
  const sa = chip.config.subArray;
  const lines = [
    "------------------------------ FloorPlan --------------------------------",
    "",
    "Tile and PE size are optimized to maximize memory utilization ( = memory mapped by synapse / total memory on chip)",
    "",
    `Desired Conventional Mapped Tile Storage Size: ${mapping.tileSize}x${mapping.tileSize}`,
    `Desired Conventional PE Storage Size: ${mapping.peSize}x${mapping.peSize}`,
  ];
  if (mapping.pesNovel > 0) {
    lines.push(`Desired Novel Mapped Tile Storage Size: ${mapping.pesNovel}x${mapping.peSizeNovel}x${mapping.peSizeNovel}`);
  }
  lines.push(`User-defined SubArray Size: ${sa.rows}x${sa.cols}`, "", "----------------- # of tile used for each layer -----------------");
  for (const l of mapping.layers) lines.push(`layer${l.index + 1}: ${l.tiles}`);
  lines.push("", "----------------- Speed-up of each layer ------------------");
  for (const l of mapping.layers) lines.push(`layer${l.index + 1}: ${l.duplication}`);
  lines.push("", "----------------- Utilization of each layer ------------------");
  for (const l of mapping.layers) lines.push(`layer${l.index + 1}: ${cppNumber(l.utilization)}`);
  lines.push(`Memory Utilization of Whole Chip: ${cppNumber(mapping.utilization * 100)} % `);
  if (mapping.feedback.length > 0) {
    lines.push("", "----------------- Feedback arrays (sub-arrays × copies) ------------------");
    for (const f of mapping.feedback) {
      const stack = f.stacked > 1 ? ` (${f.stacked} column blocks stacked per sub-array)` : "";
      lines.push(`B${f.index + 1}: ${f.rows}x${f.cols} ${f.read}, ${f.subArrays} x ${f.duplication}${stack}`);
    }
  }
  lines.push("", "---------------------------- FloorPlan Done ------------------------------");
  return lines.join("\n");
}
