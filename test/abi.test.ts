import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DeviceArray } from "../src/device/array.js";
import { findDevicePreset } from "../src/device/presets.js";
import { fillUniform, loadEngine } from "../src/index.js";

// docs/abi.md, followed with nothing but WebAssembly.instantiate: the layout, a kernel, a gemm with
// its workspace, the random streams, and the `program` parameter block as documented — each against
// what cimlearn's own engine computes.

async function raw() {
  let memory: WebAssembly.Memory | undefined;
  const { instance } = await WebAssembly.instantiate(readFileSync("build/cimlearn.wasm"), {
    env: {
      abort: () => {
        throw new Error("abort");
      },
    },
  });
  const x = instance.exports as Record<string, unknown>;
  memory = x.memory as WebAssembly.Memory;
  const heapBase = (x.heapBase as () => number)();
  const work = heapBase;
  let next = Math.ceil((work + (x.gemmWorkspaceBytes as () => number)()) / 16) * 16;
  const alloc = (bytes: number) => {
    const p = next;
    next = Math.ceil((p + bytes) / 16) * 16;
    const need = next - (memory as WebAssembly.Memory).buffer.byteLength;
    if (need > 0) (memory as WebAssembly.Memory).grow(Math.ceil(need / 65536));
    return p;
  };
  const f32 = (p: number, n: number) => new Float32Array((memory as WebAssembly.Memory).buffer, p, n);
  return { x, alloc, f32, work, memory: () => memory as WebAssembly.Memory };
}

describe("the documented ABI (docs/abi.md)", () => {
  it("imports only env.abort; scale, gemm with the workspace and randomUniform behave as documented", async () => {
    const imports = (file: string) =>
      WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(file))).map((i) => `${i.module}.${i.name}`);
    expect(imports("build/cimlearn.wasm")).toEqual([]);
    expect(imports("build/cimlearn.debug.wasm")).toEqual(["env.abort"]);
    const { x, alloc, f32, work } = await raw();
    // scale(out, x, s, n)
    const a = alloc(5 * 4);
    f32(a, 5).set([1, -2, 3, -4, 5]);
    (x.scale as (o: number, i: number, s: number, n: number) => void)(a, a, 0.5, 5);
    expect(Array.from(f32(a, 5))).toEqual([0.5, -1, 1.5, -2, 2.5]);
    // gemm: C (2×2) = A (2×3) · B (3×2)
    const A = alloc(6 * 4);
    const B = alloc(6 * 4);
    const C = alloc(4 * 4);
    f32(A, 6).set([1, 2, 3, 4, 5, 6]);
    f32(B, 6).set([1, 0, 0, 1, 1, 1]);
    (x.gemm as (...args: number[]) => void)(0, 0, 2, 2, 3, 1, A, 3, B, 2, 0, C, 2, work);
    expect(Array.from(f32(C, 4))).toEqual([4, 5, 10, 11]);
    // randomUniform(seed, stream, step, start, n, out) = the engine's fillUniform, element by element and from any start.
    const out = alloc(10 * 4);
    (x.randomUniform as (...args: number[]) => void)(7, 3, 2, 5, 10, out);
    const e = await loadEngine();
    const t = e.arena.tensor([15]);
    fillUniform(e, t, { seed: 7, stream: 3, step: 2 });
    expect(Array.from(f32(out, 10))).toEqual(Array.from(e.f32(t).subarray(5, 15)));
  });

  it("exports every block field's offset as a global, with the documented values", async () => {
    const { x } = await raw();
    const at = (name: string) => (x[name] as WebAssembly.Global).value as number;
    const documented: Record<string, number> = {
      PROGRAM_AT_DW_SCALE: 0,
      PROGRAM_AT_GMIN: 8,
      PROGRAM_AT_GMAX: 16,
      PROGRAM_AT_A_LTP: 24,
      PROGRAM_AT_A_LTD: 32,
      PROGRAM_AT_LEVELS_LTP: 40,
      PROGRAM_AT_LEVELS_LTD: 48,
      PROGRAM_AT_C2C: 56,
      PROGRAM_AT_THRESHOLD: 64,
      PROGRAM_AT_ROUNDING: 96,
      PROGRAM_AT_C2C_SQRT: 100,
      PROGRAM_AT_SEED: 104,
      PROGRAM_AT_STREAM_C2C: 108,
      PROGRAM_AT_STREAM_ROUND: 112,
      PROGRAM_AT_STEP: 116,
      READ_AT_ADC_BITS: 0,
      READ_AT_ADC_MODE: 4,
      READ_AT_SEED: 8,
      READ_AT_STREAM: 12,
      READ_AT_STEP: 16,
      READ_AT_ADC_LO: 24,
      READ_AT_ADC_HI: 32,
      READ_AT_NOISE: 40,
      READ_AT_GREF: 48,
      NEUROSIM_AT_GRAD_SCALE: 0,
      NEUROSIM_AT_LEVELS: 8,
      NEUROSIM_AT_A_LTP: 16,
      NEUROSIM_AT_A_LTD: 24,
      NEUROSIM_AT_WEIGHT_STEPS: 32,
      NEUROSIM_AT_GRAD_STEPS: 40,
      NEUROSIM_AT_C2C: 48,
      NEUROSIM_AT_SEED: 64,
      NEUROSIM_AT_STREAM_ROUND: 68,
      NEUROSIM_AT_STREAM_C2C: 72,
      NEUROSIM_AT_STEP: 76,
    };
    for (const [name, offset] of Object.entries(documented)) expect(at(name), name).toBe(offset);
  });

  it("program with a parameter block laid out as documented equals DeviceArray.program, bit for bit", async () => {
    const { x, alloc, f32, memory } = await raw();
    const device = { ...(findDevicePreset("ag-a-si")?.params as NonNullable<ReturnType<typeof findDevicePreset>>["params"]) };
    const rows = 3;
    const cols = 7;
    const n = rows * cols;
    const dw = Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i + 1));
    // cimlearn's own run.
    const e = await loadEngine();
    const arr = new DeviceArray(e, { rows, cols, device, seed: 11, arrayId: 0 });
    const dwT = e.arena.tensor([rows, cols]);
    e.write(dwT, dw);
    const counts = arr.program(dwT, 0.5, 4, "stochastic");
    const want = e.f32(arr.g).slice();
    // The same through the raw module: conductances at mid-range, as a new DeviceArray starts.
    const g = alloc(n * 4);
    f32(g, n).fill((device.gMin + device.gMax) / 2);
    const d = alloc(n * 4);
    f32(d, n).set(dw);
    const paramBytes = (x.PROGRAM_PARAM_BYTES as WebAssembly.Global).value as number;
    const params = alloc(paramBytes);
    const v = new DataView(memory().buffer, params, paramBytes);
    const nlToA = x.nlToA as (nl: number) => number;
    v.setFloat64(0, 0.5, true);
    v.setFloat64(8, device.gMin, true);
    v.setFloat64(16, device.gMax, true);
    v.setFloat64(24, nlToA(device.nlLtp), true);
    v.setFloat64(32, nlToA(device.nlLtd), true);
    v.setFloat64(40, device.levelsLtp, true);
    v.setFloat64(48, device.levelsLtd, true);
    v.setFloat64(56, device.c2c, true);
    v.setFloat64(64, 0, true);
    v.setUint32(96, 1, true); // stochastic
    v.setUint32(100, device.c2cMode === "sqrt-pulses" ? 1 : 0, true);
    v.setUint32(104, 11, true);
    // cimlearn's stream ids for array 0 (src/engine/random.ts streamId): (purpose index + 1) · 2^20 + array.
    v.setUint32(108, (4 + 1) * 2 ** 20 + 0, true); // cycle-to-cycle
    v.setUint32(112, (6 + 1) * 2 ** 20 + 0, true); // stochastic-rounding
    v.setUint32(116, 4, true);
    const slots = (x.PROGRAM_COUNT_SLOTS as WebAssembly.Global).value as number;
    const c = alloc(slots * 8);
    new Float64Array(memory().buffer, c, slots).fill(0);
    (x.program as (...args: number[]) => void)(rows, cols, g, d, params, 0, 0, 0, 0, 0, 0, 0, 0, 0, c);
    expect(Array.from(f32(g, n))).toEqual(Array.from(want));
    const got = new Float64Array(memory().buffer, c, slots);
    expect([got[0], got[1]]).toEqual([counts.setPulses, counts.resetPulses]);
  });
});

describe("the kernels' declarations", () => {
  it("are what the AssemblyScript compiler declares for assembly/ (src/engine/kernels.generated.ts is its output, not hand-written)", async () => {
    const { GENERATED_PATH, kernelBindings } = await import("../scripts/kernel-bindings.mjs");
    const compiled = readFileSync("build/cimlearn.d.ts", "utf8");
    expect(readFileSync(GENERATED_PATH, "utf8")).toBe(kernelBindings(compiled));
    // Every export of the module, and a signature with its AssemblyScript types.
    const names = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync("build/cimlearn.wasm"))).map((e) => e.name);
    const generated = readFileSync(GENERATED_PATH, "utf8");
    for (const name of names) expect(generated, name).toMatch(new RegExp(`\\n  "${name}",`));
    expect(generated).toContain(
      "/** assembly/device/rewriteCounts(rows: i32, cols: i32, old: usize, now: usize, scale: f64, levels: f64, mode: i32, writesA: usize, writesB: usize, counts: usize): void */",
    );
  });
});
