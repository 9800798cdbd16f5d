// Device programming and analog reads: throughput of the physics kernels,
// each checked before timing, with a plain-JavaScript programming loop and the
// plain matrix product as the peers.

import { availableParallelism } from "node:os";
import { DeviceArray } from "../src/device/array.js";
import { CrossbarArray, type CrossbarOptions, IDEAL_READ, type ReadSettings } from "../src/device/crossbar.js";
import type { DeviceParams } from "../src/device/params.js";
import { findDevicePreset } from "../src/device/presets.js";
import type { Engine } from "../src/engine/index.js";
import { loadEngine } from "../src/engine/load-node.js";
import { programRef } from "../src/reference/program.js";
import { measure } from "./timing.js";
import { type BenchContext, type BenchResult, type BenchSuite, round3, summarize } from "./types.js";

/** fefet-v21 with device-to-device variation switched on (V2.1 ships d2dVari = 0; σ 0.1 of the label here) and its C2C (0.3 %). */
function benchDevice(): DeviceParams {
  const base = findDevicePreset("fefet-v21")?.params as DeviceParams;
  return { ...base, d2dNl: 0.1 };
}

/** Deterministic weight changes: a spread of about ±3 pulses, one in eight devices left alone. */
function fillUpdates(out: Float32Array, levels: number): void {
  let s = 12345;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = (s >>> 8) / 16777216;
    out[i] = i % 8 === 7 ? 0 : ((u - 0.5) * 12) / levels;
  }
}

/**
 * The plain-JavaScript peer: programming's float64 twin (src/reference/program.ts, which the device
 * tests check the kernel against), nearest rounding, the C2C normals drawn beforehand.
 */
function jsProgram(
  g: Float64Array,
  dw: Float32Array,
  d: DeviceParams,
  aLtp: Float32Array,
  aLtd: Float32Array,
  normals?: Float32Array,
): void {
  programRef({
    rows: 1,
    cols: g.length,
    g,
    dw,
    dwScale: 0.5,
    gMin: d.gMin,
    gMax: d.gMax,
    levelsLtp: d.levelsLtp,
    levelsLtd: d.levelsLtd,
    aLtp,
    aLtd,
    c2c: normals ? d.c2c : 0,
    c2cSqrt: d.c2cMode === "sqrt-pulses",
    threshold: 0,
    stochastic: false,
    ...(normals ? { normals } : {}),
  });
}

const PROGRAM_CASES = [
  { id: "program-784x512", rows: 784, cols: 512 },
  { id: "program-4608x512", rows: 4608, cols: 512 },
];

const READ_CASES: { id: string; settings: ReadSettings; readNoise?: number }[] = [
  { id: "read-ideal", settings: IDEAL_READ },
  { id: "read-dac8-adc5", settings: { dacBits: 8, adcBits: 5, adcRange: "min-max" } },
  // 1 % read noise (σ of a device's current, as a fraction of the conductance range), converters ideal.
  { id: "read-noise", settings: IDEAL_READ, readNoise: 0.01 },
];

/** The larger programming case on every core (src/engine/threads.ts) against one thread. */
const PROGRAM_THREADS = { id: "program-threads", rows: 4608, cols: 512 };

export const crossbarSuite: BenchSuite = {
  kernel: "crossbar",
  caseIds: [...PROGRAM_CASES.map((c) => c.id), PROGRAM_THREADS.id, ...READ_CASES.map((c) => c.id)],
  async run(engine: Engine, context: BenchContext): Promise<BenchResult[]> {
    const wanted = (id: string) => context.cases.length === 0 || context.cases.includes(id);
    const results: BenchResult[] = [];
    for (const c of PROGRAM_CASES.filter((x) => wanted(x.id))) results.push(...benchProgram(engine, context, c.id, c.rows, c.cols));
    if (wanted(PROGRAM_THREADS.id) && availableParallelism() > 1) results.push(...(await benchProgramThreads(engine, context)));
    const reads = READ_CASES.filter((x) => wanted(x.id));
    if (reads.length > 0) results.push(...benchReads(engine, context, reads));
    return results;
  },
};

function benchProgram(engine: Engine, context: BenchContext, id: string, rows: number, cols: number): BenchResult[] {
  const mark = engine.arena.mark();
  try {
    const device = benchDevice();
    const array = new DeviceArray(engine, { rows, cols, device, seed: 1, arrayId: 1 });
    const n = rows * cols;
    const dw = engine.arena.tensor([rows, cols]);
    const updates = new Float32Array(n);
    fillUpdates(updates, device.levelsLtp);
    engine.write(dw, updates);
    const start = new Float32Array(n).fill((device.gMin + device.gMax) / 2);
    const aLtp = engine.read(array.aLtp ?? dw) as Float32Array;
    const aLtd = engine.read(array.aLtd ?? dw) as Float32Array;

    // Check: without C2C noise the kernel and the JavaScript loop agree to f32 precision.
    const quiet = new DeviceArray(engine, { rows: 1, cols: 4096, device: { ...device, c2c: 0 }, seed: 1, arrayId: 1 });
    const dwSmall = engine.arena.tensor([1, 4096]);
    engine.write(dwSmall, updates.subarray(0, 4096));
    // Every device at mid-range, as `start`.
    const zeros = engine.arena.tensor([rows, cols]);
    engine.write(zeros, new Float32Array(n));
    quiet.writeWeights({ shape: [1, 4096], dtype: "f32", offset: zeros.offset }, 0);
    quiet.program(dwSmall, 0.5, 0, "nearest");
    const jsCheck = Float64Array.from(start.subarray(0, 4096));
    jsProgram(jsCheck, updates.subarray(0, 4096), device, aLtp.subarray(0, 4096), aLtd.subarray(0, 4096));
    const got = engine.f32(quiet.g);
    for (let i = 0; i < 4096; i++) {
      const tol = 1e-5 * (device.gMax - device.gMin);
      if (!(Math.abs((got[i] as number) - (jsCheck[i] as number)) <= tol)) {
        throw new Error(`bench ${id}: device ${i} programmed to ${got[i]} S, JavaScript reference ${jsCheck[i]} S`);
      }
    }

    // Repeated updates walk the devices up and down their curves (half the changes are negative).
    let step = 0;
    array.writeWeights(zeros, 0);
    const ours = () => {
      array.program(dw, 0.5, step++, "nearest");
    };
    const jsG = Float64Array.from(start);
    const normals = engine.arena.tensor([n]);
    engine.kernels.randomNormalFast(1, 7, 0, 0, n, normals.offset);
    const z = engine.f32(normals).slice();
    const js = () => jsProgram(jsG, updates, device, aLtp, aLtd, z);
    const fns = context.peers ? [ours, js] : [ours];
    const samples = measure(fns, context.rounds, context.clock);
    const shape = `${rows}×${cols} fefet-v21, D2D σ 0.1, C2C 0.3 %`;
    const out = fns.map((_, i): BenchResult => {
      const { median, max } = summarize(samples[i] as number[], n);
      return {
        kernel: "program",
        case: id,
        impl: i === 0 ? "cimlearn" : "js",
        rate: round3(median),
        max: round3(max),
        unit: "devices/s",
        rounds: context.rounds,
        shape,
      };
    });
    context.log(`program ${id}: ${out.map((r) => `${r.impl} ${((r.rate as number) / 1e6).toFixed(1)} M devices/s`).join(", ")}`);
    return out;
  } finally {
    engine.arena.release(mark);
  }
}

/** Devices/s of programming on one thread and on every core, wall time (CPU time counts every thread's). */
async function benchProgramThreads(engine: Engine, context: BenchContext): Promise<BenchResult[]> {
  const threads = availableParallelism();
  const threaded = await loadEngine({ threads });
  const { rows, cols } = PROGRAM_THREADS;
  const n = rows * cols;
  const device = benchDevice();
  const updates = new Float32Array(n);
  fillUpdates(updates, device.levelsLtp);
  const mark = engine.arena.mark();
  const setups = [engine, threaded].map((e) => {
    const array = new DeviceArray(e, { rows, cols, device, seed: 1, arrayId: 1 });
    const dw = e.arena.tensor([rows, cols]);
    e.write(dw, updates);
    let step = 0;
    return () => {
      array.program(dw, 0.5, step++, "nearest");
    };
  });
  try {
    const wall = { kind: "wall" as const, now: () => performance.now() / 1e3 };
    const samples = measure(setups, context.rounds, wall);
    const shape = `${rows}×${cols} fefet-v21, D2D σ 0.1, C2C 0.3 %, ${threads} threads, wall time`;
    const [many, one] = [samples[1], samples[0]].map((s) => summarize(s as number[], n)) as [
      ReturnType<typeof summarize>,
      ReturnType<typeof summarize>,
    ];
    context.log(
      `program ${PROGRAM_THREADS.id}: ${(many.median / 1e6).toFixed(1)} M devices/s on ${threads} threads, ${(many.median / one.median).toFixed(2)}× one thread`,
    );
    return [
      {
        kernel: "program",
        case: PROGRAM_THREADS.id,
        impl: "cimlearn",
        rate: round3(many.median),
        max: round3(many.max),
        unit: "devices/s",
        rounds: context.rounds,
        shape,
      },
      {
        kernel: "program",
        case: PROGRAM_THREADS.id,
        impl: "1 thread",
        rate: round3(one.median),
        max: round3(one.max),
        unit: "devices/s",
        rounds: context.rounds,
        shape,
      },
    ];
  } finally {
    engine.arena.release(mark);
  }
}

function benchReads(engine: Engine, context: BenchContext, cases: typeof READ_CASES): BenchResult[] {
  const [batch, rows, cols] = [64, 784, 512];
  const results: BenchResult[] = [];
  const mark = engine.arena.mark();
  try {
    const x = engine.arena.tensor([batch, rows]);
    const xs = engine.f32(x);
    let s = 7;
    for (let i = 0; i < xs.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const u = (s >>> 8) / 16777216;
      xs[i] = u < 0.5 ? 0 : u; // ReLU-like activity: half the inputs are zero
    }
    const weights = new Float32Array(rows * cols);
    fillUpdates(weights, 2);
    for (const c of cases) {
      const options: CrossbarOptions = {
        rows,
        cols,
        device: { ...(findDevicePreset("fefet-v21")?.params as DeviceParams), readNoise: c.readNoise ?? 0 },
        mapping: "reference",
        subArrayRows: 128,
        forward: c.settings,
        seed: 1,
        arrayId: 2,
      };
      const array = new CrossbarArray(engine, options, batch);
      array.setWeights(weights);
      const y = engine.arena.tensor([batch, cols]);
      const plain = engine.arena.tensor([batch, cols]);
      const counts = { reads: 0, activeRows: 0, conversions: 0 };
      array.read(x, y, false, counts);
      engine.gemm(plain, x, array.weights);
      // Check: the read stays within the ADC/DAC's resolution of the exact product.
      const a = engine.f32(y);
      const b = engine.f32(plain);
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
        scale = Math.max(scale, Math.abs(b[i] as number));
      }
      const exact = c.settings.adcBits === 0 && c.settings.dacBits === 0 && !c.readNoise;
      const allowed = exact ? 1e-6 * scale : 0.25 * scale;
      if (!(worst <= allowed)) throw new Error(`bench ${c.id}: read differs from x·W by ${worst} (scale ${scale})`);
      const samples = measure(
        [() => array.read(x, y, false, counts), () => engine.gemm(plain, x, array.weights)],
        context.rounds,
        context.clock,
      );
      const flops = (2 * batch * rows * cols) / 1e9;
      const shape = `64×784·784×512, DAC ${c.settings.dacBits || "ideal"}, ADC ${c.settings.adcBits || "ideal"}${c.readNoise ? `, read noise ${c.readNoise}` : ""}`;
      for (const [i, impl] of ["cimlearn", "gemm"].entries()) {
        const { median, max } = summarize(samples[i] as number[], flops);
        results.push({ kernel: "read", case: c.id, impl, gflops: round3(median), max: round3(max), rounds: context.rounds, shape });
      }
      const mine = results.slice(-2);
      context.log(`read ${c.id}: ${mine.map((r) => `${r.impl} ${r.gflops?.toFixed(1)}`).join(", ")} GFLOP/s equivalent`);
    }
  } finally {
    engine.arena.release(mark);
  }
  return results;
}
