// Compares the TS port of NeuroSim V2.1's WeightGradientUnit with numbers printed by the real C++ for the same
// inputs (the fixture header explains how the driver built the unit and replayed Chip.cpp's calls).
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { FunctionUnit } from "../src/cost/circuits/function-unit.js";
import { type CircuitContext, makeContext } from "../src/cost/circuits/params.js";
import { WeightGradientUnit } from "../src/cost/circuits/weight-gradient-unit.js";

type Num = number | "Infinity" | "-Infinity" | "NaN";
type Parts = Record<string, Num>;
interface Call {
  activity: number;
  numRead: number;
  numBitDataLoad: number;
  out: Record<string, Num>;
  /** Sub-circuit breakdowns, given for the first call of each case only. */
  partsReadLatency?: Parts;
  partsWriteLatency?: Parts;
  partsReadEnergy?: Parts;
  partsWriteEnergy?: Parts;
  partsLeakage?: Parts;
}
interface Params {
  technode: number;
  wireWidth: number;
  featuresize: number;
  deviceroadmap: number;
  memcelltype: number;
  accesstype: number;
  temp: number;
  parallelBP: boolean;
  SARADC: boolean;
  currentMode: boolean;
  numRowSubArrayWG: number;
  numColSubArrayWG: number;
  numRowMuxedWG: number;
  levelOutputWG: number;
  numRowSubArray: number;
  numColSubArray: number;
  numColMuxed: number;
  numBitInput: number;
  synapseBit: number;
}
interface Case {
  name: string;
  /** Only the params that differ from the fixture's defaults. */
  params: Partial<Params>;
  initActivity: number;
  numMemRow: number;
  numMemCol: number;
  init: Record<string, Num>;
  areas: Record<string, Num>;
  partsArea: Parts;
  calls: Call[];
}
interface Fixture {
  commit: string;
  defaults: Params;
  cases: Case[];
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/neurosim-v2.1-circuits-wgunit.json", import.meta.url), "utf8")) as Fixture;

/** The port performs the same IEEE operations in the same order as the C++. */
const TOL = 1e-9;

function decode(v: Num): number {
  return typeof v === "number" ? v : Number(v);
}

function relErr(actual: number, expected: number): number {
  if (actual === expected) return 0;
  if (Number.isNaN(actual) && Number.isNaN(expected)) return 0;
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return Number.POSITIVE_INFINITY;
  return Math.abs(actual - expected) / Math.max(Math.abs(actual), Math.abs(expected));
}

let compared = 0;
let worst = { err: 0, where: "" };

/** Collects every mismatch of one case so a failure lists all of them at once. */
class Checker {
  readonly bad: string[] = [];
  num(where: string, actual: number, expected: Num): void {
    const err = relErr(actual, decode(expected));
    compared += 1;
    if (err > worst.err) worst = { err, where };
    if (err > TOL) this.bad.push(`${where}: got ${actual}, NeuroSim ${decode(expected)} (rel ${err.toExponential(2)})`);
  }
  /** Sub-circuit fields: the fixture lists the non-zero ones, every other sub-circuit must be 0. */
  parts(where: string, unit: WeightGradientUnit, expected: Parts, field: keyof FunctionUnit & string): void {
    for (const name of SUB_CIRCUITS) {
      const sub = unit[name] as FunctionUnit;
      this.num(`${where}.${name}.${field}`, sub[field] as number, expected[name] ?? 0);
    }
  }
}

const SUB_CIRCUITS = [
  "wlDecoder",
  "wlSwitchMatrix",
  "mux",
  "muxDecoder",
  "precharger",
  "senseAmp",
  "sramWriteDriver",
  "dff",
  "adder",
  "multilevelSenseAmp",
  "multilevelSAEncoder",
  "sarADC",
  "shiftAdd",
  "accumulation",
] as const;

function contextFor(c: Case): CircuitContext {
  const { SARADC, ...rest } = { ...fixture.defaults, ...c.params };
  return makeContext({ ...rest, sarADC: SARADC });
}

function setActivity(ctx: CircuitContext, a: number): void {
  ctx.param.activityRowReadWG = a;
  ctx.param.activityRowWriteWG = a;
  ctx.param.activityColWriteWG = a;
}

describe(`WeightGradientUnit vs NeuroSim V2.1 (${fixture.commit})`, () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const ctx = contextFor(c);
    const check = new Checker();
    // As in ChipInitialize: the activities are whatever is set before Initialize (0 in NeuroSim's flow).
    setActivity(ctx, c.initActivity);
    const wg = new WeightGradientUnit(ctx);
    wg.initialize(c.numMemRow, c.numMemCol);
    wg.calculateArea();
    for (const [k, v] of Object.entries(c.init)) check.num(`init.${k}`, wg[k as keyof WeightGradientUnit] as number, v);
    for (const [k, v] of Object.entries(c.areas)) check.num(`area.${k}`, wg[k as keyof WeightGradientUnit] as number, v);
    check.parts("area", wg, c.partsArea, "area");
    // As in ChipCalculatePerformance: per layer, set its activity, then latency and power on the same object.
    c.calls.forEach((call, i) => {
      setActivity(ctx, call.activity);
      wg.calculateLatency(call.numRead, call.numBitDataLoad);
      wg.calculatePower(call.numRead, call.numBitDataLoad);
      const at = `call${i}(a=${call.activity}, numRead=${call.numRead})`;
      for (const [k, v] of Object.entries(call.out)) check.num(`${at}.${k}`, wg[k as keyof WeightGradientUnit] as number, v);
      if (call.partsReadLatency) check.parts(at, wg, call.partsReadLatency, "readLatency");
      if (call.partsWriteLatency) check.parts(at, wg, call.partsWriteLatency, "writeLatency");
      if (call.partsReadEnergy) check.parts(at, wg, call.partsReadEnergy, "readDynamicEnergy");
      if (call.partsWriteEnergy) check.parts(at, wg, call.partsWriteEnergy, "writeDynamicEnergy");
      if (call.partsLeakage) check.parts(at, wg, call.partsLeakage, "leakage");
    });
    expect(check.bad).toEqual([]);
  });

  it("refuses a layer with fewer output positions than WG sub-array rows (NeuroSim hangs there)", () => {
    const ctx = makeContext({ numRowSubArrayWG: 256, numColSubArrayWG: 256 });
    const wg = new WeightGradientUnit(ctx);
    expect(() => wg.initialize(196, 512)).toThrow(RangeError);
  });

  afterAll(() => {
    console.log(`wgunit: ${compared} numbers compared, largest relative error ${worst.err} (${worst.where})`);
  });
});
