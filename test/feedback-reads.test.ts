// The feedback reads of the direct rules (src/learning/feedback.ts readFeedback): a digital B is a
// product counted as an ideal array's read; a B on a crossbar whose reads are not ideal is read in
// chunks of the rows the array was sized for, each chunk at its own offset.

import { describe, expect, it } from "vitest";
import { emptyReadCounts } from "../src/device/crossbar.js";
import { view } from "../src/engine/tensor.js";
import { resolveRunConfig } from "../src/experiment/config.js";
import { buildNetwork } from "../src/experiment/train.js";
import { loadEngine } from "../src/index.js";
import { readFeedback } from "../src/learning/feedback.js";

describe("readFeedback", () => {
  it("digital B: output = input · B; one read per row and per sub-array block of B's rows, the non-zero inputs as active rows, a conversion per column (two when differential)", async () => {
    const e = await loadEngine();
    for (const mapping of ["reference", "differential"] as const) {
      const net = buildNetwork(e, {
        ...resolveRunConfig({ device: "ideal", algo: "dfa", batch: 4, mapping, chip: { subArray: { rows: 16, cols: 128 } } }),
        model: "mlp:6-5-20",
      });
      const fb = net.layers[0]?.feedback;
      if (!fb?.matrix) throw new Error("no digital feedback");
      expect([fb.inputs, fb.outputs]).toEqual([20, 5]);
      const rows = 4;
      const values = Array.from({ length: rows * 20 }, (_, i) => (i % 3 === 0 ? 0 : Math.sin(i)));
      const input = e.arena.tensor([rows, 20]);
      e.write(input, values);
      const output = e.arena.tensor([rows, 5]);
      const counts = emptyReadCounts();
      readFeedback(e, net.options, fb, input, output, counts, rows);
      const b = e.f32(fb.matrix);
      const got = e.f32(output);
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < 5; j++) {
          let want = 0;
          for (let i = 0; i < 20; i++) want += (values[r * 20 + i] as number) * (b[i * 5 + j] as number);
          expect(got[r * 5 + j]).toBeCloseTo(want, 6);
        }
      // 20 rows on 16-row sub-arrays: 2 blocks.
      const active = values.filter((v) => v !== 0).length;
      expect(active).toBe(53);
      expect(counts).toEqual({ reads: rows * 2, activeRows: active, conversions: rows * 2 * 5 * (mapping === "differential" ? 2 : 1) });
    }
  });

  it("crossbar B with a non-ideal read, more rows than it was sized for: read chunk by chunk, each chunk's result where its rows are", async () => {
    const e = await loadEngine();
    const net = buildNetwork(e, {
      ...resolveRunConfig({
        device: "ideal",
        algo: "dfa",
        batch: 6,
        feedback: { storage: "crossbar" },
        periphery: { errorAdc: "chip" },
        chip: { adc: { bits: 4 } },
      }),
      model: "mlp:6-5-3",
    });
    const fb = net.layers[0]?.feedback;
    const array = fb?.array;
    if (!fb || !array) throw new Error("no crossbar feedback");
    expect(array.readsIdeal(false)).toBe(false);
    const rows = 6;
    const values = Array.from({ length: rows * 3 }, (_, i) => Math.sin(1.7 * i) * 0.8);
    const input = e.arena.tensor([rows, 3]);
    e.write(input, values);
    const output = e.arena.tensor([rows, 5]);
    const counts = emptyReadCounts();
    readFeedback(e, net.options, fb, input, output, counts, 2);
    // The same array read two rows at a time by hand.
    const want = e.arena.tensor([rows, 5]);
    const wantCounts = emptyReadCounts();
    for (let r = 0; r < rows; r += 2)
      array.read(view(input.offset + r * 3 * 4, 2, 3), view(want.offset + r * 5 * 4, 2, 5), false, wantCounts);
    expect(Array.from(e.f32(output))).toEqual(Array.from(e.f32(want)));
    expect(counts).toEqual(wantCounts);
    expect(counts.reads).toBeGreaterThan(0);
    // The reads were quantized (a 4-bit ADC): not the exact product input · B.
    const b = Array.from(e.f32(array.weights), (v) => v * fb.scale);
    const exact = Array.from({ length: rows * 5 }, (_, o) => {
      const [r, j] = [Math.floor(o / 5), o % 5];
      return [0, 1, 2].reduce((s, i) => s + (values[r * 3 + i] as number) * (b[i * 5 + j] as number), 0);
    });
    const got = Array.from(e.f32(output), (v) => v * fb.scale);
    const worst = Math.max(...got.map((v, o) => Math.abs(v - (exact[o] as number))));
    const largest = Math.max(...exact.map(Math.abs));
    // Off the exact product, but by a quantization step, not more (16 levels over each read's range).
    expect(worst).toBeGreaterThan(1e-6 * largest);
    expect(worst).toBeLessThan(0.25 * largest);
  });
});

describe("createFeedback: B's realized values", () => {
  it("DFA's B of a hidden layer is uniform in ±1/√(its units), digital or on a crossbar (stored normalized, read back × its scale)", async () => {
    const e = await loadEngine();
    for (const storage of ["digital", "crossbar"] as const) {
      const net = buildNetwork(e, {
        ...resolveRunConfig({ device: "ideal", algo: "dfa", batch: 4, feedback: { storage } }),
        model: "mlp:6-64-16-10",
      });
      for (const [l, units] of [
        [0, 64],
        [1, 16],
      ] as const) {
        const fb = net.layers[l]?.feedback;
        if (!fb) throw new Error(`layer ${l + 1}: no feedback`);
        const values = fb.matrix ? Array.from(e.f32(fb.matrix)) : Array.from(e.f32(fb.array?.weights as never), (v) => v * fb.scale);
        expect(values).toHaveLength(10 * units);
        const bound = 1 / Math.sqrt(units);
        const max = Math.max(...values.map(Math.abs));
        expect(max, `${storage} layer ${l + 1}`).toBeLessThanOrEqual(bound * (1 + 1e-6));
        expect(max).toBeGreaterThan(0.9 * bound);
        // Uniform: mean near 0, mean |b| near bound / 2.
        const meanAbs = values.reduce((s, v) => s + Math.abs(v), 0) / values.length;
        expect(meanAbs / bound, `${storage} layer ${l + 1}`).toBeGreaterThan(0.4);
        expect(meanAbs / bound).toBeLessThan(0.6);
      }
    }
  });
});
