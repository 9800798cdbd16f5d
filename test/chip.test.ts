import { describe, expect, it } from "vitest";
import { type ChipConfig, describeChip, resolveChipConfig } from "../src/chip/config.js";
import { type Algo, formatFloorplan, mapNetwork } from "../src/chip/mapping.js";
import { TECH_NODES, techScale } from "../src/chip/technology.js";
import { resolveDevice } from "../src/device/config.js";
import { InputError } from "../src/engine/errors.js";
import { parseModelSpec } from "../src/nn/spec.js";

function chipOf(config: ChipConfig = {}, layout: { differential?: boolean; biasRow?: boolean } = {}) {
  return describeChip(resolveChipConfig(config), resolveDevice("fefet-v21"), 200, 250, layout);
}

function vgg8(algo: Algo = "bp", config: ChipConfig = {}) {
  const chip = chipOf(config);
  return { chip, mapping: mapNetwork(parseModelSpec("vgg8"), chip, algo) };
}

describe("floorplan", () => {
  it("reproduces DNN+NeuroSim V2.1's published VGG-8 floorplan exactly (manual Fig. 32, reference §3.12)", () => {
    const { mapping } = vgg8();
    expect(mapping.layers.map((l) => l.tiles)).toEqual([1, 1, 1, 1, 1, 1, 8, 1]);
    expect(mapping.layers.map((l) => l.duplication)).toEqual([64, 16, 8, 4, 2, 1, 1, 8]);
    expect(mapping.layers.map((l) => Number(l.utilization.toPrecision(6)))).toEqual([0.210938, 1, 1, 1, 1, 1, 1, 0.078125]);
    expect(Number((mapping.utilization * 100).toPrecision(6))).toBe(88.5938);
    expect(mapping).toMatchObject({ tileSize: 1024, peSize: 512, peSizeNovel: 512, pesNovel: 9, tiles: 15 });
    expect(mapping.layers.map((l) => l.novel)).toEqual([false, true, true, true, true, true, false, false]);
    // 10 conventional tiles of 4 PEs × 16 sub-arrays, 5 novel tiles of 9 PEs × 16.
    expect(mapping.subArrays).toBe(10 * 64 + 5 * 144);
  });

  it("prints it as NeuroSim does", () => {
    const { chip, mapping } = vgg8();
    const text = formatFloorplan(mapping, chip);
    expect(text).toContain("Desired Conventional Mapped Tile Storage Size: 1024x1024\nDesired Conventional PE Storage Size: 512x512");
    expect(text).toContain("Desired Novel Mapped Tile Storage Size: 9x512x512\nUser-defined SubArray Size: 128x128");
    expect(text).toContain("----------------- # of tile used for each layer -----------------\nlayer1: 1\nlayer2: 1\n");
    expect(text).toContain("layer7: 8\nlayer8: 1\n");
    expect(text).toContain("----------------- Speed-up of each layer ------------------\nlayer1: 64\nlayer2: 16\nlayer3: 8\nlayer4: 4\n");
    expect(text).toContain("layer1: 0.210938\n");
    expect(text).toContain("layer8: 0.078125\nMemory Utilization of Whole Chip: 88.5938 % ");
  });

  it("conventional mapping of VGG-8 follows NeuroSim's rules (derived by hand in the comments)", () => {
    const { mapping } = vgg8("bp", { mapping: "conventional" });
    // Tile 1024 (widest layer, fc1's 1024 columns); tiles = ceil(rows/1024)·ceil(cols/1024).
    expect(mapping.tileSize).toBe(1024);
    expect(mapping.layers.map((l) => l.tiles)).toEqual([1, 2, 2, 3, 3, 5, 8, 1]);
    // PE 512: copies across PEs × across sub-arrays, e.g. conv2 (1152 × 128): 1 × 2 PEs, 1 × 4 sub-arrays.
    expect(mapping.layers.map((l) => l.duplication)).toEqual([64, 8, 4, 4, 2, 2, 1, 8]);
    const mapped = [3456 * 64, 147456 * 8, 294912 * 4, 589824 * 4, 1179648 * 2, 2359296 * 2, 8388608, 10240 * 8];
    expect(mapping.utilization).toBeCloseTo(mapped.reduce((a, b) => a + b) / (25 * 1024 * 1024), 12);
    expect(mapping.pesNovel).toBe(0);
  });

  it("an MLP uses conventional tiles; the minimum tile is 4 × 4 sub-arrays", () => {
    const chip = chipOf();
    const m = mapNetwork(parseModelSpec("mlp:784-256-10"), chip, "bp");
    expect(m.tileSize).toBe(512);
    expect(m.layers.map((l) => [l.tiles, l.rowBlocks, l.colBlocks])).toEqual([
      [2, 7, 2],
      [1, 2, 1],
    ]);
    // fc2 (256 × 10) in a 512 tile of 256 PEs: 2 × 2 copies across PEs, then 1 × 2 across a PE's 2 × 2 sub-arrays.
    expect(m.layers[1]?.duplication).toBe(8);
  });

  it("a bias row and differential pairs grow the matrices", () => {
    const plain = mapNetwork(parseModelSpec("mlp:256-128-10"), chipOf(), "bp");
    const biased = mapNetwork(parseModelSpec("mlp:256-128-10"), chipOf({}, { biasRow: true, differential: true }), "bp");
    expect([plain.layers[0]?.rows, plain.layers[0]?.cols]).toEqual([256, 128]);
    expect([biased.layers[0]?.rows, biased.layers[0]?.cols]).toEqual([257, 256]);
    expect(biased.layers[0]?.rowBlocks).toBe(3);
  });
});

describe("feedback arrays", () => {
  it("dfa stores B_l (classes × neurons) for each hidden layer, column blocks stacked in the rows", () => {
    const { mapping } = vgg8("dfa");
    expect(mapping.feedback.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(mapping.feedback.map((f) => f.cols)).toEqual([131072, 131072, 65536, 65536, 32768, 32768, 1024]);
    // floor(128 / 10) = 12 blocks per sub-array: 1024 column blocks → 86 sub-arrays.
    expect(mapping.feedback.map((f) => f.stacked)).toEqual([12, 12, 12, 12, 12, 12, 8]);
    expect(mapping.feedback.map((f) => f.subArrays)).toEqual([86, 86, 43, 43, 22, 22, 1]);
    expect(mapping.feedbackSubArrays).toBe(303);
    expect(vgg8("drtp").mapping.feedbackSubArrays).toBe(303);
  });

  it("with channel feedback a conv layer's B_l is classes × output channels; dense layers keep their neurons", () => {
    const chip = chipOf();
    const mapping = mapNetwork(parseModelSpec("vgg8"), chip, "dfa", "channels");
    expect(mapping.feedback.map((f) => f.cols)).toEqual([128, 128, 256, 256, 512, 512, 1024]);
    expect(mapping.feedback.map((f) => f.colBlocks)).toEqual([1, 1, 2, 2, 4, 4, 8]);
    // Every B_l fits one 128-row sub-array: up to 12 column blocks of 10 rows stacked.
    expect(mapping.feedback.map((f) => f.subArrays)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(mapping.feedbackSubArrays).toBe(7);
    // The forward floorplan does not change.
    expect(mapping.layers).toEqual(vgg8("dfa").mapping.layers);
  });

  it("fa mirrors W_l (l ≥ 2) with its copies; bp and output-only need none", () => {
    const { mapping } = vgg8("fa");
    expect(mapping.feedback.map((f) => [f.index, f.read, f.subArrays, f.duplication])).toEqual(
      mapping.layers.slice(1).map((l) => [l.index, "transposed", l.subArraysPerCopy, l.duplication]),
    );
    expect(vgg8("bp").mapping.feedback).toEqual([]);
    expect(vgg8("output-only").mapping.feedback).toEqual([]);
  });
});

describe("chip description", () => {
  it("defaults are DNN+NeuroSim V2.1's (Param.cpp)", () => {
    const c = resolveChipConfig({});
    expect(c).toMatchObject({
      technology: 32,
      clock: 1e9,
      subArray: { rows: 128, cols: 128 },
      cellBits: 5,
      dram: "hbm2",
      mapping: "novel",
    });
    expect(c.adc).toMatchObject({ type: "mlsa", bits: 6, mux: 8, error: { bits: 6, mux: 8 }, gradient: { bits: 4, mux: 8 } });
    const chip = chipOf();
    expect(chip.colsPerSynapse).toBe(1);
    expect(chip.activationCycles).toBe(8);
    expect(chip.cellArea).toBeCloseTo(16 * 32e-9 * 32e-9, 30);
    expect(chip.dram).toEqual({ bandwidth: 15.2e12, energyPerBit: 3.9e-12 });
    expect(chipOf({ dram: "gddr5" }).dram).toEqual({ bandwidth: 4.288e12, energyPerBit: 14e-12 });
  });

  it("the error ADC follows the forward one unless set; the gradient ADC keeps its own bits", () => {
    const c = resolveChipConfig({ adc: { type: "sar", bits: 3 } });
    expect(c.adc.error).toEqual({ type: "sar", bits: 3, mux: 8 });
    expect(c.adc.gradient).toEqual({ type: "sar", bits: 4, mux: 8 });
    expect(resolveChipConfig({ adc: { bits: 3, error: { bits: 5 } } }).adc.error.bits).toBe(5);
  });

  it("cross-field checks name the field, the value and the limit", () => {
    expect(() => resolveChipConfig({ adc: { mux: 256 } })).toThrow(InputError);
    expect(() => resolveChipConfig({ subArray: { cols: 64 }, adc: { mux: 128 } })).toThrow(
      /chip\.adc\.mux: 128 exceeds the 64 lines .* allowed: 1 … 64/,
    );
    expect(() => resolveChipConfig({ cellBits: 6 })).toThrow(/chip\.cellBits: 6 exceeds chip\.weightBits 5/);
    expect(() => resolveChipConfig({ dacBits: 4, errorBits: 2 })).toThrow(/chip\.dacBits: 4 exceeds/);
    expect(chipOf({ cellBits: 2 }).colsPerSynapse).toBe(3);
    expect(chipOf({ dacBits: 3 }).activationCycles).toBe(3);
  });

  it("technology scaling: 32 nm is the reference; area goes with F², energy and delay grow with the node", () => {
    const s32 = techScale(32);
    for (const v of Object.values(s32)) expect(v).toBeCloseTo(1, 12);
    for (const n of TECH_NODES) expect(techScale(n).area).toBeCloseTo((n / 32) ** 2, 12);
    // C·V² from the PTM LP cards: 65 nm (1.1926 + 0.962148) nF/m · 65 nm · 1.1² V² over 32 nm's.
    const e65 = ((1.1926e-9 + 0.962148e-9) * 65e-9 * 1.21) / ((8.375279e-10 + 6.856677e-10) * 32e-9 * 0.81);
    expect(techScale(65).energy).toBeCloseTo(e65, 10);
    const scales = TECH_NODES.map(techScale);
    for (let i = 1; i < scales.length; i++) {
      expect(scales[i]?.energy).toBeGreaterThan(scales[i - 1]?.energy as number);
      expect(scales[i]?.delay).toBeGreaterThan(scales[i - 1]?.delay as number);
    }
  });
});
