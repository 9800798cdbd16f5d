// Compares the TS ports of NeuroSim V2.1's periphery circuits (decoders, drivers, switch matrices, precharger, sense
// amplifiers, write driver, read circuit) with numbers printed by the real C++ (fixture header explains the driver).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DecoderDriver } from "../src/cost/circuits/decoder-driver.js";
import type { FunctionUnit } from "../src/cost/circuits/function-unit.js";
import { COL_MODE, ROW_MODE } from "../src/cost/circuits/gates.js";
import { NewSwitchMatrix } from "../src/cost/circuits/new-switch-matrix.js";
import { type CellAccessType, type CircuitContext, makeContext } from "../src/cost/circuits/params.js";
import { Precharger } from "../src/cost/circuits/precharger.js";
import { RowDecoder } from "../src/cost/circuits/row-decoder.js";
import { SenseAmp } from "../src/cost/circuits/sense-amp.js";
import { SRAMWriteDriver } from "../src/cost/circuits/sram-write-driver.js";
import { SwitchMatrix } from "../src/cost/circuits/switch-matrix.js";
import { VoltageSenseAmp } from "../src/cost/circuits/voltage-sense-amp.js";
import { WLNewDecoderDriver } from "../src/cost/circuits/wl-new-decoder-driver.js";

type Num = number | "Infinity" | "-Infinity" | "NaN";
type Arg = Num | string | boolean | Num[];
interface Env {
  name: string;
  technode: number;
  roadmap: "HP" | "LSTP";
  temperature: number;
  accessType: CellAccessType;
  resMemCellOn: number;
  resMemCellOff: number;
  readVoltage: number;
  writeVoltage: number;
  accessVoltage: number;
  readPulseWidth: number;
}
interface Case {
  cls: string;
  env: string;
  steps: [string, Arg[]][];
  out: Record<string, Num>;
}
interface Fixture {
  classes: string[];
  envs: Env[];
  cases: Case[];
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/neurosim-v2.1-circuits-periphery.json", import.meta.url), "utf8")) as Fixture;

/** Relative tolerance: the port performs the same IEEE operations in the same order as the C++. */
const TOL = 1e-9;

const constructors: Record<string, new (ctx: CircuitContext) => FunctionUnit> = {
  RowDecoder,
  DecoderDriver,
  WLNewDecoderDriver,
  SwitchMatrix,
  NewSwitchMatrix,
  Precharger,
  SenseAmp,
  SRAMWriteDriver,
  VoltageSenseAmp,
};

function decode(v: Num): number {
  return typeof v === "number" ? v : Number(v);
}

/** Fixture arguments → call arguments (special floats decoded, ROW_MODE/COL_MODE as the gates.ts numbers). */
function decodeArg(a: Arg): unknown {
  if (Array.isArray(a)) return a.map(decode);
  if (a === "ROW_MODE") return ROW_MODE;
  if (a === "COL_MODE") return COL_MODE;
  if (a === "Infinity" || a === "-Infinity" || a === "NaN") return Number(a);
  return a;
}

function relErr(actual: number, expected: number): number {
  if (actual === expected) return 0;
  if (Number.isNaN(actual) && Number.isNaN(expected)) return 0;
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return Number.POSITIVE_INFINITY;
  return Math.abs(actual - expected) / Math.max(Math.abs(actual), Math.abs(expected));
}

const contexts = new Map<string, CircuitContext>();
function contextFor(envName: string): CircuitContext {
  const cached = contexts.get(envName);
  if (cached) return cached;
  const env = fixture.envs.find((e) => e.name === envName);
  if (!env) throw new Error(`unknown env ${envName}`);
  // The driver set these cell and param fields directly (see the fixture header).
  const base = makeContext({ technode: env.technode, deviceroadmap: env.roadmap === "HP" ? 1 : 2, temp: env.temperature });
  const ctx: CircuitContext = {
    ...base,
    cell: {
      ...base.cell,
      accessType: env.accessType,
      resMemCellOn: env.resMemCellOn,
      resMemCellOff: env.resMemCellOff,
      readVoltage: env.readVoltage,
      writeVoltage: env.writeVoltage,
      accessVoltage: env.accessVoltage,
      readPulseWidth: env.readPulseWidth,
    },
    param: {
      ...base.param,
      readVoltage: env.readVoltage,
      maxConductance: 1 / env.resMemCellOn,
      minConductance: 1 / env.resMemCellOff,
    },
  };
  contexts.set(envName, ctx);
  return ctx;
}

/** Reads "a.b" paths (e.g. "dff.area") off an object. */
function field(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const k of path.split(".")) v = (v as Record<string, unknown>)[k];
  return v;
}

/** Runs one case; returns the mismatches and the largest relative error seen. */
function runCase(c: Case): { failures: string[]; maxErr: number; compared: number } {
  const Ctor = constructors[c.cls];
  if (!Ctor) throw new Error(`no port for ${c.cls}`);
  const unit = new Ctor(contextFor(c.env)) as unknown as Record<string, unknown>;
  for (const [method, args] of c.steps) {
    const fn = unit[method];
    if (typeof fn !== "function") throw new Error(`${c.cls}.${method} missing`);
    (fn as (...a: unknown[]) => void).apply(unit, args.map(decodeArg));
  }
  const failures: string[] = [];
  let maxErr = 0;
  let compared = 0;
  for (const [key, raw] of Object.entries(c.out)) {
    const actual = field(unit, key);
    const expected = decode(raw);
    const err = typeof actual === "number" ? relErr(actual, expected) : Number.POSITIVE_INFINITY;
    compared++;
    if (err > maxErr) maxErr = err;
    if (err > TOL) failures.push(`${c.cls} @ ${c.env} ${JSON.stringify(c.steps)}: ${key} = ${String(actual)}, NeuroSim ${expected}`);
  }
  return { failures, maxErr, compared };
}

describe("NeuroSim V2.1 periphery circuits match the C++", () => {
  let totalMaxErr = 0;
  let totalCompared = 0;
  for (const cls of fixture.classes) {
    const cases = fixture.cases.filter((c) => c.cls === cls);
    it(`${cls} (${cases.length} cases)`, () => {
      expect(cases.length).toBeGreaterThan(0);
      const failures: string[] = [];
      for (const c of cases) {
        const r = runCase(c);
        failures.push(...r.failures);
        totalMaxErr = Math.max(totalMaxErr, r.maxErr);
        totalCompared += r.compared;
      }
      expect(failures.slice(0, 10)).toEqual([]);
    });
  }

  it("compares every case", () => {
    expect(totalCompared).toBeGreaterThan(fixture.cases.length * 5);
    console.log(`periphery: ${fixture.cases.length} cases, ${totalCompared} numbers, max relative error ${totalMaxErr.toExponential(2)}`);
  });
});

describe("NeuroSim V2.1 periphery quirks kept on purpose", () => {
  it("DecoderDriver accumulates writeLatency across calculateLatency calls (NeuroSim never resets it)", () => {
    const ctx = contextFor(fixture.envs[0]!.name);
    const d = new DecoderDriver(ctx);
    d.initialize(ROW_MODE, 128, 128);
    d.calculateArea(0, 0, "NONE");
    d.calculateLatency(1e20, 1e-14, 1e-14, 100, 1, 1);
    const once = d.writeLatency;
    d.calculateLatency(1e20, 1e-14, 1e-14, 100, 1, 1);
    expect(d.writeLatency).toBeCloseTo(2 * once, 25);
    expect(d.readLatency).toBe(once);
  });

  it("SenseAmp leakage carries vdd twice", () => {
    const ctx = contextFor(fixture.envs[0]!.name);
    const s = new SenseAmp(ctx);
    s.initialize(1, false, 0.1, 20 * ctx.tech.featureSize, 1e9, 1);
    s.calculateArea(0, 0, "NONE");
    s.calculatePower(1);
    const s2 = new SenseAmp({ ...ctx, tech: { ...ctx.tech, vdd: ctx.tech.vdd * 2 } });
    s2.initialize(1, false, 0.1, 20 * ctx.tech.featureSize, 1e9, 1);
    s2.calculateArea(0, 0, "NONE");
    s2.calculatePower(1);
    expect(s2.leakage / s.leakage).toBeCloseTo(4, 12);
  });
});
