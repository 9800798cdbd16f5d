import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadDigits } from "../src/data/index.js";
import { loadEngine as loadBrowserEngine } from "../src/engine/load-browser.js";
import { decodeCheckpoint } from "../src/experiment/checkpoint.js";
import { resolveRunConfig } from "../src/experiment/config.js";
import { train } from "../src/experiment/train.js";
import { type Engine, InputError, loadEngine } from "../src/index.js";
import { gemmRef } from "../src/reference/gemm.js";
import { expectClose, lcgFill, tensorOf } from "./helpers.js";

// The opt-in relaxed-SIMD build (asconfig targets relaxed, relaxed-shared): fused multiply-adds in the
// matrix products, so its results are close to the stock build's but not bit-identical. Node 20 has
// relaxed SIMD behind a V8 flag, which the loader sets when asked for the build.

afterEach(() => {
  vi.restoreAllMocks();
});

/** op(A)·op(B) in float64 and the error bound of a length-K float32 sum (fused or not: FMA only rounds less). */
function reference(transA: boolean, transB: boolean, M: number, N: number, K: number, a: Float32Array, b: Float32Array) {
  return gemmRef(transA, transB, M, N, K, 1, a, transA ? M : K, b, transB ? K : N, 0, [], N);
}

function product(e: Engine, transA: boolean, transB: boolean, M: number, N: number, K: number, a: Float32Array, b: Float32Array) {
  const mark = e.arena.mark();
  const A = tensorOf(e, transA ? [K, M] : [M, K], a);
  const B = tensorOf(e, transB ? [N, K] : [K, N], b);
  const C = e.arena.tensor([M, N]);
  e.gemm(C, A, B, { transA, transB });
  const out = e.f32(C).slice();
  e.arena.release(mark);
  return out;
}

describe("the relaxed-SIMD build", () => {
  it("loads on request (Node 20 through its V8 flag), and each engine says which build it runs", async () => {
    const relaxed = await loadEngine({ simd: "relaxed" });
    expect(relaxed.build).toBe("relaxed");
    expect((await loadEngine()).build).toBe("stock");
    expect((await loadEngine({ simd: "stock" })).build).toBe("stock");
    // The build really uses the relaxed instruction (f32x4.relaxed_madd is 0xfd 0x85 0x02).
    const bytes = readFileSync("build/cimlearn.relaxed.wasm");
    let madds = 0;
    for (let i = bytes.indexOf(0xfd); i >= 0; i = bytes.indexOf(0xfd, i + 1)) if (bytes[i + 1] === 0x85 && bytes[i + 2] === 0x02) madds++;
    expect(madds).toBeGreaterThanOrEqual(8);
  });

  it("gemm agrees with a float64 reference on every path: small M, the 4×8 tiles, edges, cache blocks, transposes", async () => {
    const e = await loadEngine({ simd: "relaxed" });
    const shapes: [number, number, number][] = [
      [1, 37, 300],
      [3, 70, 129],
      [4, 8, 1],
      [17, 33, 65],
      [121, 9, 257],
      [130, 1031, 40],
    ];
    let n = 0;
    for (const [M, N, K] of shapes) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = lcgFill(M * K, n);
          const b = lcgFill(K * N, n + 1);
          const ref = reference(transA, transB, M, N, K, a, b);
          expectClose(product(e, transA, transB, M, N, K, a, b), ref.value, ref.tol, `relaxed gemm ${M}×${N}×${K} ${transA} ${transB}`);
          n++;
        }
      }
    }
  });

  it("on threads gives the same bits as on one thread (threads > 1 loads the relaxed shared-memory build)", async () => {
    const one = await loadEngine({ simd: "relaxed" });
    const two = await loadEngine({ simd: "relaxed", threads: 2 });
    expect([two.build, two.threads]).toEqual(["relaxed", 2]);
    // Large enough for the pool to split the rows.
    const [M, N, K] = [256, 256, 160];
    const a = lcgFill(M * K, 7);
    const b = lcgFill(K * N, 8);
    expect(product(two, false, false, M, N, K, a, b)).toEqual(product(one, false, false, M, N, K, a, b));
  });

  it("trains to the stock build's accuracy, and results and checkpoints carry the build", async () => {
    const data = await loadDigits();
    const config = resolveRunConfig({ algo: "bp", epochs: 3, testSamples: 400 });
    const stock = train(await loadEngine(), data, config);
    const relaxedEngine = await loadEngine({ simd: "relaxed" });
    let checkpoint: Uint8Array | undefined;
    const relaxed = train(relaxedEngine, data, config, {
      onCheckpoint(save, epoch) {
        if (epoch === 1) checkpoint = save();
      },
    });
    expect([stock.build, relaxed.build]).toEqual(["stock", "relaxed"]);
    expect(JSON.parse(JSON.stringify(relaxed)).build).toBe("relaxed");
    expect(stock.test_accuracy).toBeGreaterThan(0.8);
    expect(Math.abs(relaxed.test_accuracy - stock.test_accuracy)).toBeLessThanOrEqual(0.02);
    for (const [i, h] of relaxed.history.entries()) expect(h.train_loss).toBeCloseTo(stock.history[i]?.train_loss as number, 3);

    // A relaxed run's checkpoint says so, and continues only on the relaxed build.
    const bytes = checkpoint as Uint8Array;
    expect(decodeCheckpoint(bytes).header.progress.build).toBe("relaxed");
    const stockEngine = await loadEngine();
    expect(() => train(stockEngine, data, config, { resumeFrom: bytes })).toThrow(
      /^checkpoint: written by the relaxed build; resume it on an engine loaded with simd "relaxed"$/,
    );
    const resumed = train(await loadEngine({ simd: "relaxed" }), data, config, { resumeFrom: bytes });
    expect(resumed.history.map((h) => h.test_accuracy)).toEqual(relaxed.history.map((h) => h.test_accuracy));
  });
});

describe("asking for a build that cannot load", () => {
  it("names the option, the value and why: an engine without relaxed SIMD, an unknown build, a debug build", async () => {
    vi.spyOn(WebAssembly, "validate").mockReturnValue(false);
    const unsupported = loadEngine({ simd: "relaxed" });
    await expect(unsupported).rejects.toThrow(InputError);
    await expect(unsupported).rejects.toThrow(
      /^simd: "relaxed" needs WebAssembly relaxed SIMD, which this engine \(Node \d+\.\d+\.\d+, V8 \d+\.\d+\) lacks; use simd "stock" \(the default\)$/,
    );
    await expect(loadBrowserEngine({ simd: "relaxed" })).rejects.toThrow(
      /^simd: "relaxed" needs WebAssembly relaxed SIMD, which this engine \(/,
    );
    vi.restoreAllMocks();
    await expect(loadEngine({ simd: "fast" as "stock" })).rejects.toThrow(
      /^simd: "fast" is not a build; use "stock" \(the default\) or "relaxed"$/,
    );
    await expect(loadEngine({ simd: "relaxed", debug: true })).rejects.toThrow(
      /^simd: "relaxed" has no debug build; use simd "stock" with debug$/,
    );
  });

  it("the browser entry takes the same option (here with a compiled module)", async () => {
    const module = await WebAssembly.compile(readFileSync("build/cimlearn.relaxed.wasm"));
    const e = await loadBrowserEngine({ wasmModule: module, simd: "relaxed" });
    expect(e.build).toBe("relaxed");
    const a = lcgFill(6 * 5, 1);
    const b = lcgFill(5 * 9, 2);
    const ref = reference(false, false, 6, 9, 5, a, b);
    expectClose(product(e, false, false, 6, 9, 5, a, b), ref.value, ref.tol, "browser-loaded relaxed gemm");
  });
});

describe("cimlearn train and bench --simd", () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ["dist/node/cli.js", ...args], { encoding: "utf8" });

  it("runs the relaxed build, names it in the JSON and the table's header, and refuses a value it does not know", () => {
    const json = cli("train", "--epochs", "1", "--threads", "1", "--simd", "relaxed", "--json");
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).runs[0].build).toBe("relaxed");
    const table = cli("train", "--epochs", "1", "--threads", "1", "--simd", "relaxed");
    expect(table.stdout).toMatch(/^mlp:64-64-10 on digits, device fefet-v21, 1 epochs, batch 32, seed 1, relaxed-SIMD build\n/);
    const stock = cli("train", "--epochs", "1", "--threads", "1", "--json");
    expect(JSON.parse(stock.stdout).runs[0].build).toBe("stock");
    const bad = cli("train", "--simd", "fma");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('cimlearn: --simd must be stock or relaxed, got "fma"\n');
  });

  it("bench --simd relaxed times both builds' products in one process, each checked against the reference", () => {
    const r = cli("bench", "--case", "vector", "--rounds", "1", "--no-peers", "--simd", "relaxed", "--json");
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.results.map((x: { impl: string }) => x.impl)).toEqual(["cimlearn", "cimlearn-relaxed"]);
    expect(Object.keys(report.machine.peers)).toEqual(["cimlearn-relaxed"]);
    expect(cli("bench", "--simd", "fast").stderr).toBe('cimlearn: --simd must be stock or relaxed, got "fast"\n');
  });
});
