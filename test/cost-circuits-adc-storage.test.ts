// Compares the TS ports of NeuroSim V2.1's MultilevelSenseAmp, MultilevelSAEncoder, SarADC, Buffer, HTree, Bus,
// DRAM and Sigmoid with numbers printed by the real C++ (fixture header says how they were produced).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Buffer } from "../src/cost/circuits/buffer.js";
import { Bus } from "../src/cost/circuits/bus.js";
import { DRAM } from "../src/cost/circuits/dram.js";
import { HTree } from "../src/cost/circuits/htree.js";
import { MultilevelSAEncoder } from "../src/cost/circuits/multilevel-sa-encoder.js";
import { type ColumnResistances, MultilevelSenseAmp, summarizeColumnResistances } from "../src/cost/circuits/multilevel-sense-amp.js";
import { type CircuitContext, makeContext } from "../src/cost/circuits/params.js";
import { SarADC } from "../src/cost/circuits/sar-adc.js";
import { Sigmoid } from "../src/cost/circuits/sigmoid.js";

type Encoded = number | string;
type Arg = Encoded | boolean | { vec: number };
interface FixtureCase {
  cls: string;
  ctx: number;
  steps: [string, Arg[]][];
  out: Record<string, Encoded>;
}
interface FixtureContext {
  name: string;
  param: Record<string, number>;
  derived: { unitLengthWireResistance: number; AR: number; Rho: number };
  cell: Record<string, number>;
}
interface Fixture {
  contexts: FixtureContext[];
  vectors: Encoded[][];
  cases: FixtureCase[];
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/neurosim-v2.1-circuits-adc-storage.json", import.meta.url), "utf8")) as Fixture;

function decode(v: Encoded): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return Number.NaN;
  if (v === "Infinity") return Number.POSITIVE_INFINITY;
  if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
  throw new Error(`bad encoded number ${v}`);
}

const vectors: number[][] = fixture.vectors.map((v) => v.map(decode));

/** Relative error, with NaN = NaN and equal infinities counting as exact. */
function relErr(got: number, want: number): number {
  if (Number.isNaN(want) || Number.isNaN(got)) return Number.isNaN(want) && Number.isNaN(got) ? 0 : Number.POSITIVE_INFINITY;
  if (got === want) return 0;
  if (!Number.isFinite(want) || !Number.isFinite(got)) return Number.POSITIVE_INFINITY;
  return Math.abs(got - want) / Math.max(Math.abs(got), Math.abs(want));
}

const TOL = 1e-9;

function buildContext(c: FixtureContext): CircuitContext {
  const p = c.param;
  const ctx = makeContext({
    technode: p.technode,
    deviceroadmap: p.deviceroadmap,
    temp: p.temp,
    wireWidth: p.wireWidth,
    memcelltype: p.memcelltype,
    readVoltage: p.readVoltage,
    resistanceOn: p.resistanceOn,
    resistanceOff: p.resistanceOff,
    numRowSubArray: p.numRowSubArray,
  });
  return ctx;
}

const contexts = fixture.contexts.map(buildContext);

type Unit = MultilevelSenseAmp | MultilevelSAEncoder | SarADC | Buffer | HTree | Bus | DRAM | Sigmoid;

function construct(cls: string, ctx: CircuitContext): Unit {
  switch (cls) {
    case "MultilevelSenseAmp":
      return new MultilevelSenseAmp(ctx);
    case "MultilevelSAEncoder":
      return new MultilevelSAEncoder(ctx);
    case "SarADC":
      return new SarADC(ctx);
    case "Buffer":
      return new Buffer(ctx);
    case "HTree":
      return new HTree(ctx);
    case "Bus":
      return new Bus(ctx);
    case "DRAM":
      return new DRAM(ctx);
    case "Sigmoid":
      return new Sigmoid(ctx);
    default:
      throw new Error(`unknown class ${cls}`);
  }
}

/** Column-resistance arguments can be swapped for another representation (summary tests). */
type VecMapper = (k: number) => ColumnResistances;

function run(c: FixtureCase, mapVec: VecMapper = (k) => vectors[k]!): Unit {
  const unit = construct(c.cls, contexts[c.ctx]!);
  for (const [method, args] of c.steps) {
    const decoded = args.map((a) => (typeof a === "object" ? mapVec(a.vec) : a));
    const fn = (unit as unknown as Record<string, (...a: unknown[]) => void>)[method];
    if (typeof fn !== "function") throw new Error(`${c.cls} has no method ${method}`);
    fn.apply(unit, decoded);
  }
  return unit;
}

function field(unit: Unit, name: string): number {
  const v = (unit as unknown as Record<string, unknown>)[name];
  if (typeof v !== "number") throw new Error(`field ${name} is ${typeof v}`);
  return v;
}

function label(c: FixtureCase, i: number): string {
  return `#${i} ${c.cls} [${fixture.contexts[c.ctx]!.name}] ${c.steps.map(([m, a]) => `${m}(${JSON.stringify(a)})`).join(" ")}`;
}

describe("NeuroSim V2.1 adc-storage circuits vs the C++ oracle", () => {
  it("builds the same contexts as the driver (wire resistance, cell sizing)", () => {
    fixture.contexts.forEach((fc, i) => {
      const ctx = contexts[i]!;
      expect(relErr(ctx.param.unitLengthWireResistance, fc.derived.unitLengthWireResistance), fc.name).toBeLessThanOrEqual(TOL);
      for (const [k, v] of Object.entries(fc.cell)) {
        const got = (ctx.cell as unknown as Record<string, number>)[k];
        expect(relErr(got ?? Number.NaN, v), `${fc.name} cell.${k}`).toBeLessThanOrEqual(TOL);
      }
    });
  });

  const classes = [...new Set(fixture.cases.map((c) => c.cls))];
  let worst = 0;
  for (const cls of classes) {
    it(`${cls}: every printed field matches`, () => {
      const failures: string[] = [];
      fixture.cases.forEach((c, i) => {
        if (c.cls !== cls) return;
        const unit = run(c);
        for (const [name, enc] of Object.entries(c.out)) {
          const want = decode(enc);
          const got = field(unit, name);
          const e = relErr(got, want);
          if (e > worst) worst = e;
          if (!(e <= TOL)) failures.push(`${label(c, i)}: ${name} got ${got} want ${want} (rel ${e.toExponential(2)})`);
        }
      });
      expect(failures.slice(0, 20), `${failures.length} mismatches`).toEqual([]);
    });
  }

  it("reports the largest relative error", () => {
    expect(worst).toBeLessThanOrEqual(TOL);
    console.info(`adc-storage: ${fixture.cases.length} cases, largest relative error ${worst.toExponential(3)}`);
  });
});

describe("column-resistance summaries", () => {
  const adcCases = fixture.cases.filter(
    (c) =>
      c.ctx < 4 && (c.cls === "MultilevelSenseAmp" || c.cls === "SarADC") && c.steps.some(([, a]) => a.some((x) => typeof x === "object")),
  );

  it("a lossless summary (identical columns grouped) reproduces the per-column results", () => {
    for (const c of adcCases) {
      const byVector = run(c);
      const bySummary = run(c, (k) => summarizeColumnResistances(vectors[k]!));
      for (const name of ["readLatency", "readDynamicEnergy"]) {
        expect(relErr(field(bySummary, name), field(byVector, name)), `${c.cls} ${name}`).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it("one representative resistance with a count equals that many identical columns", () => {
    const ctx = contexts[0]!;
    for (const currentMode of [true, false]) {
      const r = 31_000;
      const n = 128;
      const a = new MultilevelSenseAmp(ctx);
      a.initialize(16, 64, 1e9, 1, true, currentMode);
      a.calculateLatency(new Array(n).fill(r), 8, 21.76);
      a.calculatePower(new Array(n).fill(r), 21.76);
      const b = new MultilevelSenseAmp(ctx);
      b.initialize(16, 64, 1e9, 1, true, currentMode);
      b.calculateLatency({ groups: [{ resistance: r, count: n }] }, 8, 21.76);
      b.calculatePower({ groups: [{ resistance: r, count: n }] }, 21.76);
      expect(relErr(b.readLatency, a.readLatency)).toBeLessThanOrEqual(1e-12);
      expect(relErr(b.readDynamicEnergy, a.readDynamicEnergy)).toBeLessThanOrEqual(1e-12);
      expect(b.readDynamicEnergy).toBeGreaterThan(0);
    }
    const s1 = new SarADC(ctx);
    s1.initialize(16, 32, 1e9, 1);
    s1.calculatePower(new Array(100).fill(5e4), 3);
    const s2 = new SarADC(ctx);
    s2.initialize(16, 32, 1e9, 1);
    s2.calculatePower({ groups: [{ resistance: 5e4, count: 100 }] }, 3);
    expect(relErr(s2.readDynamicEnergy, s1.readDynamicEnergy)).toBeLessThanOrEqual(1e-12);
  });
});
