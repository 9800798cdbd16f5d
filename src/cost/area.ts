// Chip area, and the layout quantities the latency and energy accounting needs (buffer sizes, bus
// width, tile pitch, H-tree path, weight-gradient unit), following NeuroSim V2.1's ChipInitialize
// and ChipCalculateArea (reference §3.9).

import type { ChipDescription } from "../chip/config.js";
import type { Algo, Mapping } from "../chip/mapping.js";
import type { ModelSpec } from "../nn/spec.js";
import type { UnitCosts } from "./actions.js";
import { gradientArraysFor, gradientPrecision, gradientUnitArrays, trainedLayers } from "./counts.js";

/** Global-buffer core: 128 × 128 bits, one 128-bit line per access [P globalBufferCoreSizeRow/Col]. */
export const BUFFER_CORE_BITS = 128 * 128;
export const BUFFER_LINE_BITS = 128;

export interface AreaBreakdown {
  /** Cells of the forward (weight) arrays. */
  arrays: number;
  /** ADCs of the weight arrays (forward and transposed reads). */
  adc: number;
  /** Shift-adders and adder trees. */
  accumulation: number;
  /** Switch matrices, multiplexers, decoders, buffers (global, tile, PE). */
  other: number;
  /** The global and tile H-trees. */
  interconnect: number;
  /** Weight-gradient unit(s): SRAM arrays, their periphery, the gradient accumulator. */
  wgUnit: number;
  /** Feedback matrices' arrays with their periphery (FA, DFA, DRTP). */
  feedbackArrays: number;
}

/** Where a layer's weight gradients are accumulated and staged for DRAM and the update. */
export interface GradientPath {
  /** Adders of the gradient accumulator. */
  adders: number;
  /** Staging bits (accumulated gradients awaiting DRAM or the update). */
  stagingBits: number;
  /** Buffer cores the gradient traffic reaches in parallel. */
  ports: number;
  /** Sub-arrays whose updates the staging feeds at once: updates written in parallel (NeuroSim numArrayWriteParallel). */
  parallelWrites: number;
}

export interface Layout {
  area: { total: number; breakdown: AreaBreakdown };
  /** Global buffer bits and cores, the cores one access can reach in parallel. */
  bufferBits: number;
  bufferCores: number;
  parallelCores: number;
  /** Global bus width (bits), NeuroSim's sum of tile interfaces halved until ≤ chip.maxBusWidth. */
  busWidth: number;
  /** Tile pitch (m) and the mean H-tree path from the buffer to a tile (m): half the tile grid's perimeter. */
  tilePitch: number;
  pathLength: number;
  /** Weight-gradient unit arrays (rows × cols of arrays) per layer, and the precision of its outputs. */
  gradientArrays: { rows: number; cols: number }[];
  gradientBits: number[];
  /** Per layer: its gradient accumulator and staging. */
  gradientPaths: GradientPath[];
  /** Leakage power (W): every sub-array with its periphery. */
  leakagePower: number;
}

/** Area of one weight sub-array: cells, ADCs, shift-adders, line periphery; `transposed`: the duplicate periphery for error reads. */
function subArrayArea(chip: ChipDescription, costs: UnitCosts, forward: boolean, transposed: boolean) {
  const c = chip.config;
  const { rows, cols } = c.subArray;
  const fwAdcs = forward ? cols / c.adc.mux : 0;
  const agAdcs = transposed ? rows / c.adc.error.mux : 0;
  return {
    array: rows * cols * chip.cellArea,
    adc: fwAdcs * costs.adc.forward.area + agAdcs * costs.adc.error.area,
    accumulation:
      (fwAdcs * (c.adc.bits + c.activationBits + 1) + agAdcs * (c.adc.error.bits + c.errorBits + 1)) * costs.accumulationBitArea,
    other: (rows + cols) * costs.peripheryLineArea,
  };
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

export function layoutChip(model: ModelSpec, chip: ChipDescription, mapping: Mapping, algo: Algo, costs: UnitCosts): Layout {
  const c = chip.config;
  const { rows: saRows, cols: saCols } = c.subArray;
  // Every algorithm runs on the same training chip: the weight arrays keep their transposed read
  // periphery (BP's error read) and the feedback arrays come on top, so algorithms compare on one chip.
  const forwardSub = subArrayArea(chip, costs, true, true);

  // Tile and PE buffers: a row of input registers (activation bits per row) and a row of output
  // registers (per ADC: ADC bits + activation bits + adder-tree stages), as NeuroSim's PE/tile buffers.
  const peBufferBits = (side: number) =>
    side * c.activationBits + (side / c.adc.mux) * (c.adc.bits + c.activationBits + Math.ceil(Math.log2(side / saRows)) + 1);
  const pesConventional = (mapping.tileSize / mapping.peSize) ** 2;
  const tileConventionalBits = pesConventional * peBufferBits(mapping.peSize) + peBufferBits(mapping.tileSize);
  const novelSide = mapping.peSizeNovel * Math.ceil(Math.sqrt(mapping.pesNovel));
  const tileNovelBits = mapping.pesNovel > 0 ? mapping.pesNovel * peBufferBits(mapping.peSizeNovel) + peBufferBits(novelSide) : 0;
  const tileBufferArea = (bits: number) => bits * costs.buffer.tile.area;
  const tileArea = (subArrays: number, bits: number) => subArrays * sum(forwardSub) + tileBufferArea(bits);
  const tileConventionalArea = tileArea(mapping.subArraysPerTileConventional, tileConventionalBits);
  const tileNovelArea = mapping.pesNovel > 0 ? tileArea(mapping.subArraysPerTileNovel, tileNovelBits) : 0;
  const tilePitch = Math.sqrt(Math.max(tileConventionalArea, tileNovelArea));

  // Global bus (NeuroSim ChipInitialize): each layer's tile interface (inputs + outputs/mux), summed, halved until it fits.
  let busWidth = mapping.layers.reduce(
    (w, l) => w + (l.novel ? novelSide + novelSide / c.adc.mux : mapping.tileSize + mapping.tileSize / c.adc.mux),
    0,
  );
  while (busWidth > c.maxBusWidth) busWidth /= 2;

  // Weight-gradient unit and gradient staging (NeuroSim): the input buffer holds the largest input map;
  // gradient staging starts at one sub-array's gradients and doubles until it matches the input buffer.
  const trained = trainedLayers(algo, mapping.layers.length);
  const shared = gradientUnitArrays(chip, mapping.layers, trained);
  const unitFor = mapping.layers.map((m) => (c.wgUnit.sharing === "shared" ? shared : gradientArraysFor(m, chip)));
  const gradientBits = unitFor.map((u) => gradientPrecision(chip, u.rows));
  const accBits = (g: number) => g + Math.ceil(Math.log2(chip.batch));
  const maxInput = Math.max(...model.layers.map((l) => l.inHeight * l.inWidth * l.inChannels));
  const inputBuffer = c.activationBits * maxInput;
  const sharedGradBits = gradientPrecision(chip, shared.rows);
  let staging = saRows * saCols * chip.colsPerSynapse * accBits(sharedGradBits);
  let parallelWrites = Math.max(1, Math.floor(staging / (saRows * saCols * c.weightBits)));
  while (inputBuffer + staging < 2 * inputBuffer) {
    staging *= 2;
    parallelWrites *= 2;
  }
  const accumulatorAdders = parallelWrites * saRows * saCols;
  const sharedUnit = c.wgUnit.sharing === "shared";
  const bufferBits = inputBuffer + (sharedUnit ? staging : 0);
  const bufferCores = Math.ceil(bufferBits / BUFFER_CORE_BITS);
  const parallelCores = Math.min(bufferCores, Math.ceil(busWidth / BUFFER_LINE_BITS));

  // Each trained layer's gradient path. Shared: the unit's accumulator and the global buffer's
  // staging. Per layer: a copy of that path next to the layer's own unit, trimmed to its weights,
  // with its own staging registers (so the layers' gradient traffic can overlap).
  const gradientPaths = mapping.layers.map((m, i): GradientPath => {
    if (!trained[i]) return { adders: 0, stagingBits: 0, ports: 1, parallelWrites: 1 };
    if (sharedUnit) return { adders: accumulatorAdders, stagingBits: staging, ports: parallelCores, parallelWrites };
    const stagingBits = Math.min(staging, m.layer.weights * chip.colsPerSynapse * accBits(gradientBits[i] as number));
    return {
      adders: Math.min(accumulatorAdders, m.layer.weights),
      stagingBits,
      ports: Math.ceil(stagingBits / BUFFER_CORE_BITS),
      parallelWrites: Math.max(1, Math.floor(stagingBits / (saRows * saCols * c.weightBits))),
    };
  });
  const wgArrayArea =
    c.wgUnit.rows * c.wgUnit.cols * costs.sramCellArea +
    (c.wgUnit.cols / c.adc.gradient.mux) *
      (costs.adc.gradient.area + (c.adc.gradient.bits + c.activationBits + 1) * costs.accumulationBitArea) +
    (c.wgUnit.rows + c.wgUnit.cols) * costs.peripheryLineArea;
  const unitArea = (u: { rows: number; cols: number }, adders: number, gBits: number) =>
    u.rows * u.cols * wgArrayArea + adders * accBits(gBits) * costs.accumulatorBitArea;
  let wgUnit = 0;
  if (sharedUnit) {
    if (trained.some(Boolean)) wgUnit = unitArea(shared, accumulatorAdders, sharedGradBits);
  } else {
    mapping.layers.forEach((_, i) => {
      if (!trained[i]) return;
      const path = gradientPaths[i] as GradientPath;
      wgUnit +=
        unitArea(unitFor[i] as { rows: number; cols: number }, path.adders, gradientBits[i] as number) +
        path.stagingBits * costs.buffer.global.area;
    });
  }

  // Forward arrays: every allocated sub-array of every tile.
  const tilesConventional = mapping.layers.filter((l) => !l.novel).reduce((n, l) => n + l.tiles, 0);
  const tilesNovel = mapping.tiles - tilesConventional;
  const breakdown: AreaBreakdown = {
    arrays: mapping.subArrays * forwardSub.array,
    adc: mapping.subArrays * forwardSub.adc,
    accumulation: mapping.subArrays * forwardSub.accumulation,
    other:
      mapping.subArrays * forwardSub.other +
      tileBufferArea(tilesConventional * tileConventionalBits + tilesNovel * tileNovelBits) +
      bufferBits * costs.buffer.global.area,
    interconnect: 0,
    wgUnit,
    feedbackArrays: 0,
  };

  // H-tree: the global tree (bus width × a tile pitch per tile) and each tile's own tree (its interface × its pitch).
  const gridSpan = mapping.tileGrid.rows + mapping.tileGrid.cols;
  const pathLength = (tilePitch * gridSpan) / 2;
  const tileBus = mapping.layers.reduce(
    (w, l) => w + l.tiles * (l.novel ? novelSide + novelSide / c.adc.mux : mapping.tileSize + mapping.tileSize / c.adc.mux),
    0,
  );
  breakdown.interconnect = (busWidth * tilePitch * mapping.tiles + tileBus * tilePitch) * costs.wireArea;

  // Feedback arrays: one read direction of periphery each (forward for DFA/DRTP, transposed for FA).
  if (mapping.feedbackSubArrays > 0) {
    const fa = algo === "fa";
    const fb = subArrayArea(chip, costs, false, true);
    const fbForward = {
      array: fb.array,
      adc: (saCols / c.adc.error.mux) * costs.adc.error.area,
      accumulation: (saCols / c.adc.error.mux) * (c.adc.error.bits + c.errorBits + 1) * costs.accumulationBitArea,
      other: fb.other,
    };
    breakdown.feedbackArrays = mapping.feedbackSubArrays * sum(fa ? fb : fbForward);
  }

  const wgSubArrays =
    c.wgUnit.sharing === "shared" ? shared.rows * shared.cols : unitFor.reduce((n, u, i) => n + (trained[i] ? u.rows * u.cols : 0), 0);
  return {
    area: { total: sum(breakdown as unknown as Record<string, number>), breakdown },
    bufferBits,
    bufferCores,
    parallelCores,
    busWidth,
    tilePitch,
    pathLength,
    gradientArrays: unitFor,
    gradientBits,
    gradientPaths,
    leakagePower: (mapping.subArrays + mapping.feedbackSubArrays + wgSubArrays) * costs.subArrayLeakage,
  };
}
