import { describe, expect, it } from "vitest";
import { resolveChipConfig } from "../src/chip/config.js";
import { feedbackMatrices, formatFloorplan } from "../src/chip/mapping.js";
import { floorplan, type NetLayer } from "../src/cost/circuits/floorplan.js";
import { networkRows } from "../src/cost/neurosim-inputs.js";
import { InputError } from "../src/engine/errors.js";
import { learningRule } from "../src/learning/rules.js";
import { parseModelSpec } from "../src/nn/spec.js";
import { grid } from "./neurosim-grid.js";

const opts = { numRowSubArray: 128, numColSubArray: 128, numRowPerSynapse: 1, numColPerSynapse: 1, novelMapping: true };
const rowsOf = (net: number[][]): NetLayer[] =>
  net.map(([ifmH, ifmW, ifmC, kH, kW, ofmC, pool, stride]) => ({
    ifmH: ifmH as number,
    ifmW: ifmW as number,
    ifmC: ifmC as number,
    kH: kH as number,
    kW: kW as number,
    ofmC: ofmC as number,
    pool: pool === 1,
    stride: stride as number,
  }));

describe("floorplan", () => {
  it("equals DNN+NeuroSim V2.1's on every network and option of the validation grid", () => {
    let checked = 0;
    for (const row of grid.rows) {
      const f = row.floorplan as Record<string, unknown> | undefined;
      if (!f) continue;
      const changes = row.param_changes;
      const sa = Number(changes.numRowSubArray ?? 128);
      const synapseBits = 5;
      const cellBit = changes.memcelltype === 1 || String(changes.memcelltype) === "1" ? 1 : Number(changes.cellBit ?? 5);
      const fp = floorplan(rowsOf(grid.networks[row.network] as number[][]), {
        ...opts,
        numRowSubArray: sa,
        numColSubArray: sa,
        numColPerSynapse: Math.ceil(synapseBits / cellBit),
        novelMapping: String(changes.novelMapping ?? "true") === "true",
      });
      expect(fp.desiredTileSizeCM, row.id).toBe(f.desired_tile_size_cm);
      expect(fp.desiredPESizeCM, row.id).toBe(f.desired_pe_size_cm);
      expect(
        fp.tilesRow.map((r, i) => r * (fp.tilesCol[i] as number)),
        row.id,
      ).toEqual(f.tiles_per_layer);
      expect(
        fp.speedUpRow.map((r, i) => r * (fp.speedUpCol[i] as number)),
        row.id,
      ).toEqual(f.speedup_per_layer);
      (f.utilization_per_layer as number[]).forEach((u, i) => {
        expect(fp.utilization[i], `${row.id} layer ${i + 1}`).toBeCloseTo(u, 5);
      });
      expect(fp.chipUtilization * 100, row.id).toBeCloseTo(f.chip_utilization_percent as number, 3);
      checked++;
    }
    expect(checked).toBe(grid.rows.filter((r) => r.floorplan).length);
    expect(checked).toBeGreaterThan(0);
  });

  it("VGG-8: NeuroSim's published floorplan (manual Fig. 32), printed as NeuroSim prints it", () => {
    const fp = floorplan(networkRows(parseModelSpec("vgg8"), "unpadded"), opts);
    expect(fp.tilesRow.map((r, i) => r * (fp.tilesCol[i] as number))).toEqual([1, 1, 1, 1, 1, 1, 8, 1]);
    expect(fp.speedUpRow.map((r, i) => r * (fp.speedUpCol[i] as number))).toEqual([64, 16, 8, 4, 2, 1, 1, 8]);
    expect(fp.chipUtilization * 100).toBeCloseTo(88.5938, 3);
    const text = formatFloorplan(
      { tile: fp.desiredTileSizeCM, pe: fp.desiredPESizeCM, novel_pe: fp.desiredPESizeNM, novel_pes: fp.numPENM },
      fp.utilization.map((u, i) => ({ layer: i + 1, tiles: 1, duplication: 1, utilization: u })),
      { rows: 128, cols: 128 },
      fp.chipUtilization,
    );
    expect(text).toContain("Desired Novel Mapped Tile Storage Size: 9x512x512");
    expect(text).toContain("Memory Utilization of Whole Chip: 88.5938 % ");
  });

  it("dense layers take the novel mapping with one PE per tile when 1 × 1 is the most common kernel, as NeuroSim's rule gives", () => {
    const fp = floorplan(networkRows(parseModelSpec("mlp:784-256-10"), "unpadded"), opts);
    expect(fp.numPENM).toBe(1);
    expect(fp.novel).toEqual([true, true]);
    expect(fp.desiredPESizeNM).toBe(256);
    // 784 rows over 256-row PEs: 4 tiles; 256 rows: 1.
    expect(fp.tilesRow).toEqual([4, 1]);
  });

  it("extends NeuroSim where its search finds nothing: a network narrower than the smallest tile gets the minimum sizes", () => {
    const fp = floorplan(networkRows(parseModelSpec("mlp:64-64-10"), "unpadded"), opts);
    // No layer has 128 rows (nothing novel) and every one is narrower than 4 sub-arrays: NeuroSim stops with
    // "SubArray Size is too large"; cimlearn uses the minimum tile (4 sub-arrays) and PE (2).
    expect(fp.novel).toEqual([false, false]);
    expect(fp.desiredTileSizeCM).toBe(512);
    expect(fp.desiredPESizeCM).toBe(256);
  });
});

describe("feedback matrices", () => {
  const vgg8 = parseModelSpec("vgg8");
  it("dfa stores B_l (classes × neurons) for each hidden layer; channel feedback only classes × channels for convolutions", () => {
    const full = feedbackMatrices(vgg8, learningRule("dfa"), 1, "full");
    expect(full).toHaveLength(7);
    expect(full[0]).toMatchObject({ index: 0, rows: 10, cols: 128 * 32 * 32, read: "forward" });
    const channels = feedbackMatrices(vgg8, learningRule("dfa"), 1, "channels");
    expect(channels[0]).toMatchObject({ rows: 10, cols: 128 });
    expect(channels[6]).toMatchObject({ cols: 1024 });
  });
  it("fa mirrors W_l (l ≥ 2); bp and output-only need none", () => {
    const fa = feedbackMatrices(vgg8, learningRule("fa"), 1, "full");
    expect(fa.map((f) => f.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(fa[0]).toMatchObject({ rows: 1152, cols: 128, read: "transposed" });
    expect(feedbackMatrices(vgg8, learningRule("bp"), 1, "full")).toEqual([]);
    expect(feedbackMatrices(vgg8, learningRule("output-only"), 1, "full")).toEqual([]);
  });
});

describe("chip config", () => {
  it("defaults are DNN+NeuroSim V2.1's (Param.cpp)", () => {
    const c = resolveChipConfig({});
    expect(c).toMatchObject({
      technology: 32,
      roadmap: "lstp",
      temperature: 300,
      clock: 1e9,
      subArray: { rows: 128, cols: 128 },
      cellBits: 5,
      dram: "hbm2",
      mapping: "novel",
      cellType: "device",
      convPositions: "unpadded",
    });
    expect(c.adc).toMatchObject({
      type: "mlsa",
      sense: "current",
      bits: 6,
      mux: 8,
      error: { bits: 6, mux: 8 },
      gradient: { bits: 4, mux: 8 },
    });
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
  });
});
