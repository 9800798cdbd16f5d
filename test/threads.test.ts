import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/index.js";
import { DeviceArray } from "../src/device/array.js";
import { CrossbarArray, emptyReadCounts, type ReadSettings } from "../src/device/crossbar.js";
import type { DeviceParams } from "../src/device/params.js";
import { findDevicePreset } from "../src/device/presets.js";
import { bitSerialScratchBytes } from "../src/engine/abi.js";
import { programRowsPerThread } from "../src/engine/threads.js";
import { resolveRunConfig } from "../src/experiment/config.js";
import { train } from "../src/experiment/train.js";
import { type Engine, loadEngine } from "../src/index.js";

// Kernel threads split each large matrix product by whole rows of C: every element is summed in the
// same order as on one thread, so a run is bit-identical for any thread count.

const timings = (key: string, value: unknown) => (key === "seconds" || key === "samples_per_second" ? undefined : value);

describe("kernel threads", () => {
  it("gemm over 1–4 threads equals one thread bit for bit: plain, transposed operands, β ≠ 0, ragged row counts", async () => {
    const one = await loadEngine();
    for (const threads of [2, 3, 4]) {
      const many = await loadEngine({ threads });
      expect(many.threads).toBe(threads);
      for (const [transA, transB, M, N, K, beta] of [
        [false, false, 301, 257, 203, 0],
        [true, false, 250, 130, 64, 0.5],
        [false, true, 199, 784, 512, 0],
        [true, true, 97, 300, 600, 1],
      ] as const) {
        const out = [one, many].map((e) => {
          const a = e.arena.tensor(transA ? [K, M] : [M, K]);
          const b = e.arena.tensor(transB ? [N, K] : [K, N]);
          const c = e.arena.tensor([M, N]);
          const fa = e.f32(a);
          for (let i = 0; i < fa.length; i++) fa[i] = Math.sin(i * 0.37);
          const fb = e.f32(b);
          for (let i = 0; i < fb.length; i++) fb[i] = Math.cos(i * 0.11);
          const fc = e.f32(c);
          for (let i = 0; i < fc.length; i++) fc[i] = (i % 7) - 3;
          e.gemm(c, a, b, { transA, transB, alpha: 0.75, beta });
          return e.f32(c).slice();
        });
        expect(
          Buffer.from(out[1]!.buffer).equals(Buffer.from(out[0]!.buffer)),
          `${threads} threads, ${transA} ${transB} ${M}×${N}×${K}`,
        ).toBe(true);
      }
    }
  });

  it("edge tiles are per thread: ragged products repeated on 2 threads never differ (a shared edge tile did)", async () => {
    const one = await loadEngine();
    const two = await loadEngine({ threads: 2 });
    const [M, N, K] = [203, 517, 301];
    const run = (e: typeof one) => {
      const a = e.arena.tensor([M, K]);
      const b = e.arena.tensor([K, N]);
      const c = e.arena.tensor([M, N]);
      const fa = e.f32(a);
      for (let i = 0; i < fa.length; i++) fa[i] = Math.sin(i);
      const fb = e.f32(b);
      for (let i = 0; i < fb.length; i++) fb[i] = Math.cos(i);
      const out: Float32Array[] = [];
      for (let r = 0; r < 30; r++) {
        e.gemm(c, a, b);
        out.push(e.f32(c).slice());
      }
      return out;
    };
    const single = run(one)[0] as Float32Array;
    for (const c of run(two)) expect(Buffer.from(c.buffer).equals(Buffer.from(single.buffer))).toBe(true);
  });

  it("a training run is bit-identical on 1, 2, 3 and 4 threads: an MLP on the chip ADC and a CNN", async () => {
    const data = await loadDigits();
    for (const c of [
      // Products large enough to be split (≥ 2^20 multiply-accumulates).
      {
        algo: "dfa",
        device: "fefet-v21",
        model: "mlp:64-512-512-10",
        periphery: { adc: "chip" },
        epochs: 1,
        batch: 128,
        trainSamples: 512,
      },
      { algo: "bp", device: "ideal", model: "cnn:1x8x8-c16-c32-mp2-fc10", epochs: 1, trainSamples: 512, batch: 64 },
      // Trained at once after loading: a worker still instantiating would rewrite the module's static scratch (read counters) under it.
      { algo: "dfa", epochs: 2 },
    ]) {
      const config = resolveRunConfig(c);
      const results = [];
      for (const threads of [1, 2, 3, 4]) results.push(JSON.stringify(train(await loadEngine({ threads }), data, config), timings));
      for (let t = 1; t < 4; t++) expect(results[t], `${c.model}: ${t + 1} threads`).toBe(results[0]);
    }
  });

  it("device programming over 1–4 threads equals one thread bit for bit: D2D, C2C, faults, both roundings, ragged columns", async () => {
    const base = findDevicePreset("fefet-v21")?.params as DeviceParams;
    const device: DeviceParams = { ...base, d2dNl: 0.5, d2dGMax: 0.05, d2dGMin: 0.05, c2c: 0.01, stuckAtGMin: 0.01, stuckAtGMax: 0.01 };
    // Column counts with every remainder modulo 16 that matters: a thread's rows must start at a
    // device index that is a multiple of 16, or two threads would rewrite one window.
    const shapes = [
      [150, 256],
      [131, 257],
      [1001, 37],
      [97, 350],
      [2000, 17],
    ] as const;
    const run = (e: Engine, rows: number, cols: number) => {
      const mark = e.arena.mark();
      try {
        const array = new DeviceArray(e, { rows, cols, device, seed: 5, arrayId: 3 });
        const dw = e.arena.tensor([rows, cols]);
        const f = e.f32(dw);
        const out: unknown[] = [];
        for (let step = 0; step < 4; step++) {
          // Zero rows (skipped by the kernel) and changes of both signs.
          for (let i = 0; i < f.length; i++) f[i] = Math.floor(i / cols) % 5 === 2 ? 0 : Math.sin(i * 0.7 + step) * 0.08;
          out.push(array.program(dw, 0.5, step, step % 2 ? "stochastic" : "nearest"));
        }
        out.push(Buffer.from(e.f32(array.g)).toString("base64"), Buffer.from(e.u32(array.writes)).toString("base64"));
        return JSON.stringify(out);
      } finally {
        e.arena.release(mark);
      }
    };
    const one = await loadEngine();
    const engines = await Promise.all([2, 3, 4].map((threads) => loadEngine({ threads })));
    for (const [rows, cols] of shapes) {
      const single = run(one, rows, cols);
      for (const e of engines) expect(run(e, rows, cols), `${rows}×${cols} on ${e.threads} threads`).toBe(single);
    }
  });

  it("programming splits rows where a row starts on a 16-device window: no two threads rewrite one window", () => {
    for (let cols = 1; cols <= 70; cols++)
      for (const rows of [1, 15, 16, 17, 100, 1001])
        for (const threads of [2, 3, 4, 7]) {
          const per = programRowsPerThread(rows, cols, threads);
          expect((per * cols) % 16, `${rows}×${cols} on ${threads}`).toBe(0);
          // Every thread's share is at most one unit above an even split: the threads stay busy.
          expect(per, `${rows}×${cols} on ${threads}`).toBeLessThan(rows / threads + 16);
        }
  });

  it("close() ends the kernel threads: the engine goes on on one thread with the same bits", async () => {
    const run = (e: Engine) => {
      const a = e.arena.tensor([300, 400]);
      const b = e.arena.tensor([400, 300]);
      const c = e.arena.tensor([300, 300]);
      e.write(
        a,
        Float32Array.from({ length: 300 * 400 }, (_, i) => Math.sin(i)),
      );
      e.write(
        b,
        Float32Array.from({ length: 400 * 300 }, (_, i) => Math.cos(i)),
      );
      e.gemm(c, a, b);
      return Buffer.from(e.f32(c)).toString("base64");
    };
    const two = await loadEngine({ threads: 2 });
    const before = run(two);
    two.close();
    expect(two.threads).toBe(1);
    expect(run(two)).toBe(before);
    expect(run(await loadEngine())).toBe(before);
  });

  it("bit-serial reads over 1–4 threads equal one thread bit for bit: min–max, fixed and V3 ADCs, odd and even bits, one sign and both, read noise, both mappings, ragged batches", async () => {
    const base = findDevicePreset("fefet-v21")?.params as DeviceParams;
    const [rows, cols] = [300, 70];
    const cases: { mapping: "reference" | "differential"; forward: ReadSettings; readNoise: number; signed: boolean }[] = [
      { mapping: "reference", forward: { dacBits: 8, adcBits: 5, adcRange: "min-max" }, readNoise: 0, signed: false },
      { mapping: "reference", forward: { dacBits: 5, adcBits: 4, adcRange: "min-max" }, readNoise: 0.02, signed: false },
      { mapping: "differential", forward: { dacBits: 6, adcBits: 3, adcRange: "min-max" }, readNoise: 0.01, signed: true },
      { mapping: "reference", forward: { dacBits: 7, adcBits: 6, adcRange: "fixed" }, readNoise: 0, signed: true },
      { mapping: "reference", forward: { dacBits: 8, adcBits: 5, adcRange: "neurosim-v3" }, readNoise: 0, signed: false },
    ];
    const run = (e: Engine, c: (typeof cases)[number], batch: number) => {
      const mark = e.arena.mark();
      try {
        const options = {
          rows,
          cols,
          device: { ...base, readNoise: c.readNoise },
          mapping: c.mapping,
          subArrayRows: 128,
          forward: c.forward,
        };
        const array = new CrossbarArray(e, { ...options, seed: 3, arrayId: 5 }, 64);
        array.setWeights(Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.31)));
        const x = e.arena.tensor([batch, rows]);
        const y = e.arena.tensor([batch, cols]);
        // Rows of zeros (nothing read), and some rows whose codes are all zero in one sub-array.
        e.write(
          x,
          Float32Array.from({ length: batch * rows }, (_, i) =>
            i % 7 === 3 || Math.floor(i / rows) % 5 === 1 ? 0 : c.signed ? Math.cos(i * 1.3) : Math.abs(Math.cos(i * 1.3)),
          ),
        );
        const out: unknown[] = [];
        for (let r = 0; r < 2; r++) {
          const counts = emptyReadCounts();
          array.read(x, y, false, counts);
          out.push(counts, Buffer.from(e.f32(y)).toString("base64"));
        }
        return JSON.stringify(out);
      } finally {
        e.arena.release(mark);
      }
    };
    const one = await loadEngine();
    const engines = await Promise.all([2, 3, 4].map((threads) => loadEngine({ threads })));
    for (const c of cases)
      for (const batch of [64, 37]) {
        const single = run(one, c, batch);
        for (const e of engines) expect(run(e, c, batch), `${JSON.stringify(c)}, batch ${batch}, ${e.threads} threads`).toBe(single);
      }
  });

  it("a thread's share of a read's scratch fits what a crossbar allocates for the batch plus one row per extra thread", () => {
    for (const [batch, threads] of [
      [64, 2],
      [37, 3],
      [100, 4],
      [9, 4],
    ] as const) {
      const per = Math.ceil(batch / threads);
      const needed = threads * bitSerialScratchBytes(per, 70, 8, 128);
      expect(needed).toBeLessThanOrEqual(bitSerialScratchBytes(batch + threads - 1, 70, 8, 128) + 16 * threads);
    }
  });
});
