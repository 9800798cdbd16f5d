// Compares the TS ports of NeuroSim V2.1's logic blocks (DFF, Adder, AdderTree, ShiftAdd, BitShifter, Comparator,
// MaxPooling, Mux) with numbers printed by the real C++ (fixture header explains the driver).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Adder } from "../src/cost/circuits/adder.js";
import { AdderTree } from "../src/cost/circuits/adder-tree.js";
import { BitShifter } from "../src/cost/circuits/bit-shifter.js";
import { Comparator } from "../src/cost/circuits/comparator.js";
import { DFF } from "../src/cost/circuits/dff.js";
import { type AreaModify, FunctionUnit, toInt } from "../src/cost/circuits/function-unit.js";
import { MaxPooling } from "../src/cost/circuits/max-pooling.js";
import { Mux } from "../src/cost/circuits/mux.js";
import { type CircuitContext, makeContext } from "../src/cost/circuits/params.js";
import { ShiftAdd, type SpikingMode } from "../src/cost/circuits/shift-add.js";
import { type DeviceRoadmap, technology } from "../src/cost/circuits/technology.js";

type Num = number | "Infinity" | "-Infinity" | "NaN" | null;
type AreaArgs = [number, number, AreaModify];
interface Case {
  class: string;
  init: (number | string | boolean)[];
  unitArea?: [AreaModify];
  area: number[] | AreaArgs;
  latency: number[];
  power: number[];
  set?: Record<string, number>;
  /** Aligned with Fixture.outFields[class]. */
  out: Num[];
}
interface Env {
  node: number;
  roadmap: DeviceRoadmap;
  temperature: number;
  cell: { readVoltage: number; writeVoltage: number; readPulseWidth: number; writePulseWidth: number; resistanceOn: number };
  cases: Case[];
}
interface Fixture {
  commit: string;
  numCases: number;
  outFields: Record<string, string[]>;
  environments: Env[];
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/neurosim-v2.1-circuits-logic.json", import.meta.url), "utf8")) as Fixture;

/** Relative tolerance: the C++ and the port do the same IEEE operations in the same order. */
const TOL = 1e-9;

function decode(v: Exclude<Num, null>): number {
  return typeof v === "number" ? v : Number(v);
}

function relErr(actual: number, expected: number): number {
  if (Object.is(actual, expected) || actual === expected) return 0;
  if (Number.isNaN(actual) && Number.isNaN(expected)) return 0;
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return Number.POSITIVE_INFINITY;
  return Math.abs(actual - expected) / Math.max(Math.abs(actual), Math.abs(expected));
}

function contextFor(env: Env): CircuitContext {
  const base = makeContext({});
  return { ...base, tech: technology(env.node, env.roadmap), temperature: env.temperature, cell: { ...base.cell, ...env.cell } };
}

const n = (xs: unknown[], i: number): number => xs[i] as number;

/** Builds the object and replays the calls the driver made. */
function replay(ctx: CircuitContext, c: Case): FunctionUnit {
  const [a0, a1, a2] = c.area as AreaArgs;
  const L = c.latency;
  const P = c.power;
  switch (c.class) {
    case "DFF": {
      const u = new DFF(ctx);
      u.initialize(n(c.init, 0), n(c.init, 1));
      u.calculateArea(a0, a1, a2);
      u.calculateLatency(n(L, 0), n(L, 1));
      u.calculatePower(n(P, 0), n(P, 1));
      return u;
    }
    case "Adder": {
      const u = new Adder(ctx);
      u.initialize(n(c.init, 0), n(c.init, 1));
      u.calculateArea(a0, a1, a2);
      u.calculateLatency(n(L, 0), n(L, 1), n(L, 2));
      u.calculatePower(n(P, 0), n(P, 1));
      return u;
    }
    case "AdderTree": {
      const u = new AdderTree(ctx);
      u.initialize(n(c.init, 0), n(c.init, 1), n(c.init, 2));
      u.calculateArea(a0, a1, a2);
      u.calculateLatency(n(L, 0), n(L, 1), n(L, 2));
      u.calculatePower(n(P, 0), n(P, 1));
      return u;
    }
    case "ShiftAdd": {
      const u = new ShiftAdd(ctx);
      u.initialize(n(c.init, 0), n(c.init, 1), n(c.init, 2), c.init[3] as SpikingMode, n(c.init, 4));
      u.calculateArea(a0, a1, a2);
      u.calculateLatency(n(L, 0));
      u.calculatePower(n(P, 0));
      return u;
    }
    case "BitShifter": {
      const u = new BitShifter(ctx);
      u.initialize(n(c.init, 0), n(c.init, 1), n(c.init, 2));
      u.calculateArea(a0, a1, a2);
      u.calculateLatency(n(L, 0));
      u.calculatePower(n(P, 0));
      return u;
    }
    case "Comparator": {
      const u = new Comparator(ctx);
      u.initialize(n(c.init, 0), n(c.init, 1));
      u.calculateUnitArea((c.unitArea ?? ["NONE"])[0]);
      u.calculateArea(n(c.area, 0));
      u.calculateLatency(n(L, 0), n(L, 1), n(L, 2));
      u.calculatePower(n(P, 0), n(P, 1));
      return u;
    }
    case "MaxPooling": {
      const u = new MaxPooling(ctx);
      u.initialize(n(c.init, 0), n(c.init, 1), n(c.init, 2));
      u.calculateUnitArea((c.unitArea ?? ["NONE"])[0]);
      u.calculateArea(n(c.area, 0));
      u.calculateLatency(n(L, 0), n(L, 1), n(L, 2));
      u.calculatePower(n(P, 0));
      return u;
    }
    case "Mux": {
      const u = new Mux(ctx);
      u.initialize(n(c.init, 0), n(c.init, 1), n(c.init, 2), c.init[3] as boolean);
      u.calculateArea(a0, a1, a2);
      u.calculateLatency(n(L, 0), n(L, 1), n(L, 2));
      u.calculatePower(n(P, 0));
      return u;
    }
    default:
      throw new Error(`unknown class ${c.class}`);
  }
}

interface Outcome {
  compared: number;
  maxErr: number;
  failures: string[];
}

function compareClass(cls: string): Outcome {
  const outcome: Outcome = { compared: 0, maxErr: 0, failures: [] };
  for (const env of fixture.environments) {
    const ctx = contextFor(env);
    for (const c of env.cases) {
      if (c.class !== cls) continue;
      const unit = replay(ctx, c) as unknown as Record<string, unknown>;
      const fields = fixture.outFields[cls] ?? [];
      expect(c.out.length).toBe(fields.length);
      for (const [i, raw] of c.out.entries()) {
        const field = fields[i] ?? "?";
        if (raw === null) continue; // not printed for this case
        const actual = unit[field];
        const expected = decode(raw);
        const err = typeof actual === "number" ? relErr(actual, expected) : Number.POSITIVE_INFINITY;
        outcome.compared += 1;
        if (err > outcome.maxErr) outcome.maxErr = err;
        if (!(err <= TOL) && outcome.failures.length < 20) {
          outcome.failures.push(
            `${env.node}nm ${env.roadmap} ${env.temperature}K ${cls} init=${JSON.stringify(c.init)} area=${JSON.stringify(c.area)} ` +
              `${field}: got ${String(actual)}, NeuroSim ${expected} (rel ${err.toExponential(2)})`,
          );
        }
      }
    }
  }
  return outcome;
}

const CLASSES = ["DFF", "Adder", "AdderTree", "ShiftAdd", "BitShifter", "Comparator", "MaxPooling", "Mux"];

describe("NeuroSim V2.1 logic circuits vs the C++ oracle", () => {
  it("fixture covers every class and node", () => {
    expect(fixture.commit).toMatch(/^18289cbb1ffa74947a9e3b785688e530240b9bf1$/);
    const classes = new Set(fixture.environments.flatMap((e) => e.cases.map((c) => c.class)));
    expect([...classes].sort()).toEqual([...CLASSES].sort());
    const nodes = new Set(fixture.environments.map((e) => `${e.node}-${e.roadmap}`));
    expect(nodes.size).toBe(18);
    expect(fixture.environments.reduce((s, e) => s + e.cases.length, 0)).toBe(fixture.numCases);
  });

  for (const cls of CLASSES) {
    it(`${cls} matches every printed field (rel ≤ ${TOL})`, () => {
      const r = compareClass(cls);
      expect(r.compared).toBeGreaterThan(0);
      expect(r.failures).toEqual([]);
    });
  }
});

describe("NeuroSim V2.1 logic circuits: behaviours kept from the C++", () => {
  const ctx = makeContext({});

  it("AdderTree accepts only NONE with one target dimension (NeuroSim exits otherwise)", () => {
    const t = new AdderTree(ctx);
    t.initialize(8, 6, 4);
    expect(() => t.calculateArea(0, 1e-4, "MAGIC")).toThrow();
    expect(() => t.calculateArea(0, 0, "NONE")).toThrow();
  });

  it("OVERRIDE needs both dimensions; Comparator/MaxPooling unit areas never have them", () => {
    const c = new Comparator(ctx);
    c.initialize(8, 4);
    expect(() => c.calculateUnitArea("OVERRIDE")).toThrow();
    const d = new DFF(ctx);
    d.initialize(8, 1e9);
    expect(() => d.calculateArea(1e-5, 0, "OVERRIDE")).toThrow();
  });

  it("calls before initialize leave the outputs untouched, as NeuroSim does", () => {
    const a = new Adder(ctx);
    a.calculateArea(0, 1e-4, "NONE");
    a.calculateLatency(1e20, 0, 1);
    a.calculatePower(1, 1);
    expect([a.area, a.readLatency, a.readDynamicEnergy, a.leakage]).toEqual([0, 0, 0, 0]);
    expect(a).toBeInstanceOf(FunctionUnit);
  });

  it("toInt follows the x86 (int) conversion", () => {
    expect(toInt(2.9)).toBe(2);
    expect(toInt(-2.9)).toBe(-2);
    expect(toInt(Number.POSITIVE_INFINITY)).toBe(-2147483648);
    expect(toInt(Number.NaN)).toBe(-2147483648);
  });
});
