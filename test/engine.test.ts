import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KERNEL_EXPORT_NAMES } from "../src/engine/abi.js";
import { CimlearnError, fillNormal, InputError, streamId, VERSION } from "../src/index.js";
import { engine, lcgFill, tensorOf } from "./helpers.js";

describe("the wasm module", () => {
  it("exports exactly the kernels the TypeScript side declares", async () => {
    for (const file of ["build/cimlearn.wasm", "build/cimlearn.debug.wasm"]) {
      const module = new WebAssembly.Module(readFileSync(file));
      const names = WebAssembly.Module.exports(module).map((x) => x.name);
      expect(new Set(names), file).toEqual(new Set(KERNEL_EXPORT_NAMES));
    }
  });

  it("imports nothing from JavaScript but abort: exp, log, tanh are its own (bit-identical in every engine)", () => {
    const release = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync("build/cimlearn.wasm")));
    const debug = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync("build/cimlearn.debug.wasm")));
    for (const imports of [release, debug]) {
      for (const i of imports) expect(`${i.module}.${i.name}`).toBe("env.abort");
    }
    expect(debug.length).toBe(1);
  });

  it("loads from an explicit wasmUrl (path or file: URL) or a compiled wasmModule; a wrong wasmUrl names the file", async () => {
    const { loadEngine } = await import("../src/engine/load-node.js");
    const { pathToFileURL } = await import("node:url");
    const sum = async (e: Awaited<ReturnType<typeof loadEngine>>) => {
      const t = tensorOf(e, [4], [1, 2, 3, 4]);
      return e.kernels.maxAbs(t.offset, 4);
    };
    expect(await sum(await loadEngine({ wasmUrl: "build/cimlearn.wasm" }))).toBe(4);
    expect(await sum(await loadEngine({ wasmUrl: pathToFileURL("build/cimlearn.debug.wasm"), debug: true }))).toBe(4);
    const module = new WebAssembly.Module(readFileSync("build/cimlearn.wasm"));
    expect(await sum(await loadEngine({ wasmModule: module }))).toBe(4);
    await expect(loadEngine({ wasmUrl: "build/nothing-here.wasm" })).rejects.toThrow(/wasmUrl: cannot read .*nothing-here\.wasm/);
  });

  it("has the package's version", () => {
    expect(VERSION).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
  });
});

describe("arena", () => {
  it("hands out 16-byte aligned, non-overlapping, zeroed tensors and grows the memory when needed", async () => {
    const e = await engine();
    const before = e.memory.buffer.byteLength;
    const a = e.arena.tensor([3]);
    const b = e.arena.tensor([5], "u8");
    const big = e.arena.tensor([before / 4 + 1000]);
    for (const t of [a, b, big]) expect(t.offset % 16).toBe(0);
    expect(b.offset).toBeGreaterThanOrEqual(a.offset + 12);
    expect(big.offset).toBeGreaterThanOrEqual(b.offset + 5);
    expect(e.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(e.f32(big).every((x) => x === 0)).toBe(true);
  });

  it("a view made before the memory grows is detached; views from the engine are made fresh", async () => {
    const e = await engine();
    const t = tensorOf(e, [4], [1, 2, 3, 4]);
    const stale = e.f32(t);
    e.arena.alloc(e.memory.buffer.byteLength); // forces memory.grow
    expect(stale.length).toBe(0);
    expect(Array.from(e.f32(t))).toEqual([1, 2, 3, 4]);
  });

  it("mark/release and reset free explicitly, and nothing else does", async () => {
    const e = await engine();
    const base = e.arena.used;
    const m = e.arena.mark();
    e.arena.tensor([100]);
    expect(e.arena.used).toBe(base + 400);
    e.arena.release(m);
    expect(e.arena.used).toBe(base);
    e.arena.tensor([7]);
    e.arena.reset();
    expect(e.arena.used).toBe(0);
    // The matrix-product scratch lives below the arena: a reset arena cannot hand it out.
    const A = tensorOf(e, [8, 8], lcgFill(64, 1));
    const C = e.arena.tensor([8, 8]);
    e.gemm(C, A, A);
    expect(A.offset).toBeGreaterThanOrEqual(e.arena.base);
    expect(e.arena.base - e.kernels.heapBase()).toBeGreaterThanOrEqual(e.kernels.gemmWorkspaceBytes());
    expect(() => e.arena.release(e.arena.base - 16)).toThrow(CimlearnError);
    expect(() => e.arena.alloc(-1)).toThrow(/non-negative integer, got -1/);
    expect(() => e.arena.tensor([2, 1.5])).toThrow(/non-negative integers/);
  });

  it("refuses more than wasm32 can address, with a clear message", async () => {
    const e = await engine();
    expect(() => e.arena.alloc(2 ** 32)).toThrow(/out of wasm memory/);
  });

  it("engines are independent: each has its own memory", async () => {
    const e1 = await engine();
    const e2 = await engine();
    expect(e1.memory).not.toBe(e2.memory);
    const t1 = tensorOf(e1, [2], [5, 6]);
    const t2 = e2.arena.tensor([2]);
    expect(t1.offset).toBe(t2.offset);
    expect(Array.from(e2.f32(t2))).toEqual([0, 0]);
  });

  it("read/write check the element count and the dtype", async () => {
    const e = await engine();
    const t = e.arena.tensor([2, 3], "i32");
    expect(() => e.write(t, [1, 2])).toThrow(InputError);
    expect(() => e.f32(t)).toThrow(/expected a f32 tensor, got i32 \[2×3\]/);
    e.write(t, [1, -2, 3, -4, 5, -6]);
    expect(Array.from(e.read(t))).toEqual([1, -2, 3, -4, 5, -6]);
  });
});

describe("a model built once trains with no allocation and no memory growth", () => {
  it("a 2-layer MLP on two Gaussian blobs: 300 steps, same memory buffer, arena unchanged, loss falls", async () => {
    const e = await engine();
    const k = e.kernels;
    const [batch, inputs, hidden, classes] = [32, 16, 24, 2];
    // Build: every tensor the training loop touches.
    const x = e.arena.tensor([batch, inputs]);
    const labels = e.arena.tensor([batch], "i32");
    const w1 = tensorOf(e, [inputs, hidden], lcgFill(inputs * hidden, 1, 0.3));
    const w2 = tensorOf(e, [hidden, classes], lcgFill(hidden * classes, 2, 0.3));
    const a1 = e.arena.tensor([batch, hidden]);
    const h1 = e.arena.tensor([batch, hidden]);
    const logits = e.arena.tensor([batch, classes]);
    const probs = e.arena.tensor([batch, classes]);
    const g2 = e.arena.tensor([batch, classes]);
    const gh = e.arena.tensor([batch, hidden]);
    const dw1 = e.arena.tensor([inputs, hidden]);
    const dw2 = e.arena.tensor([hidden, classes]);
    const centre = tensorOf(e, [inputs], lcgFill(inputs, 3));

    const buffer = e.memory.buffer;
    const used = e.arena.used;
    const losses: number[] = [];
    for (let step = 0; step < 300; step++) {
      // Data: class c's inputs are N(±centre, 1), drawn from the seeded generator.
      fillNormal(e, x, { seed: 7, stream: streamId("shuffle"), step });
      const xs = e.f32(x);
      const ls = e.i32(labels);
      const cs = e.f32(centre);
      for (let r = 0; r < batch; r++) {
        const c = r % 2;
        ls[r] = c;
        for (let j = 0; j < inputs; j++) xs[r * inputs + j] = (xs[r * inputs + j] as number) + (c ? 1 : -1) * (cs[j] as number);
      }
      e.gemm(a1, x, w1);
      k.relu(h1.offset, a1.offset, batch * hidden);
      e.gemm(logits, h1, w2);
      losses.push(k.softmaxCrossEntropy(logits.offset, labels.offset, batch, classes, probs.offset, g2.offset) / batch);
      e.gemm(dw2, h1, g2, { transA: true, alpha: 1 / batch });
      e.gemm(gh, g2, w2, { transB: true });
      k.reluBackward(gh.offset, gh.offset, a1.offset, batch * hidden);
      e.gemm(dw1, x, gh, { transA: true, alpha: 1 / batch });
      k.axpy(w1.offset, -0.1, dw1.offset, inputs * hidden);
      k.axpy(w2.offset, -0.1, dw2.offset, hidden * classes);
    }
    expect(e.memory.buffer).toBe(buffer);
    expect(e.arena.used).toBe(used);
    const first = losses.slice(0, 10).reduce((s, v) => s + v, 0) / 10;
    const last = losses.slice(-10).reduce((s, v) => s + v, 0) / 10;
    expect(first).toBeGreaterThan(0.3);
    expect(last).toBeLessThan(first / 5);
  });
});
