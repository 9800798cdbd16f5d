// Compares src/cost/circuits technology.ts, gates.ts and params.ts with DNN+NeuroSim V2.1's own outputs
// (fixture printed by a driver linked against the pristine NeuroSim objects; see the fixture's "how").
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  calculateDrainCap,
  calculateGateArea,
  calculateGateCap,
  calculateGateCapacitance,
  calculateGateLeakage,
  calculateOnResistance,
  calculatePassGateArea,
  calculateTransconductance,
  type GateType,
  horowitz,
  nonlinearResistance,
  type TransistorKind,
} from "../src/cost/circuits/gates.js";
import { type ContextOverrides, makeContext } from "../src/cost/circuits/params.js";
import { type DeviceRoadmap, type Technology, technology } from "../src/cost/circuits/technology.js";

type Row = number[];
interface FormulaCase {
  node: number;
  roadmap: DeviceRoadmap;
  gateArea: Row[];
  gateCapacitance: Row[];
  gateCap: Row[];
  drainCap: Row[];
  gateLeakage: Row[];
  onResistance: Row[];
  transconductance: Row[];
  passGateArea: Row[];
}
interface Fixture {
  technologies: Record<string, number | string | number[]>[];
  formula: FormulaCase[];
  horowitz: Row[];
  nonlinearResistance: Row[];
  params: {
    name: string;
    overrides: ContextOverrides;
    param: Record<string, number>;
    cell: Record<string, number | string>;
    temperature: number;
  }[];
}

const fx: Fixture = JSON.parse(readFileSync("test/fixtures/neurosim-v2.1-circuits-foundation.json", "utf8"));
const TOL = 1e-9;
const GATE: GateType[] = ["INV", "NOR", "NAND"];
const KIND: TransistorKind[] = ["NMOS", "PMOS"];
const stats = { compared: 0, maxRel: 0, where: "" };

function rel(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}
/** Compare one number; collects the failures so one assertion reports them all. */
function check(fails: string[], what: string, actual: number | boolean | string, expected: number | string): void {
  stats.compared++;
  if (typeof expected === "string") {
    if (actual !== expected) fails.push(`${what}: ${String(actual)} ≠ ${expected}`);
    return;
  }
  const a = typeof actual === "boolean" ? Number(actual) : (actual as number);
  const r = Number.isNaN(a) && Number.isNaN(expected) ? 0 : rel(a, expected);
  if (r > stats.maxRel) {
    stats.maxRel = r;
    stats.where = what;
  }
  if (!(r <= TOL)) fails.push(`${what}: ${a} ≠ ${expected} (rel ${r})`);
}
const n = (r: Row, i: number) => r[i] as number;

describe("NeuroSim V2.1 Technology::Initialize", () => {
  it.each(fx.technologies.map((t) => [`${t.featureSizeInNano} nm ${t.deviceRoadmap}`, t] as const))("%s", (_, t) => {
    const tech = technology(t.featureSizeInNano as number, t.deviceRoadmap as DeviceRoadmap);
    const fails: string[] = [];
    for (const [k, v] of Object.entries(t)) {
      const mine = (tech as unknown as Record<string, number | string | number[]>)[k];
      if (Array.isArray(v)) {
        expect(Array.isArray(mine) && mine.length, k).toBe(101);
        v.forEach((x, i) => {
          check(fails, `${k}[${i}]`, (mine as number[])[i] as number, x);
        });
      } else check(fails, k, mine as number | string, v);
    }
    expect(fails).toEqual([]);
  });
});

describe("NeuroSim V2.1 formula.cpp", () => {
  it.each(fx.formula.map((f) => [`${f.node} nm ${f.roadmap}`, f] as const))("%s", (_, f) => {
    const tech: Technology = technology(f.node, f.roadmap);
    const fails: string[] = [];
    for (const r of f.gateArea) {
      const g = calculateGateArea(GATE[n(r, 0)]!, n(r, 1), n(r, 2), n(r, 3), n(r, 4), tech);
      const w = `gateArea ${r.slice(0, 5).join(",")}`;
      check(fails, `${w} area`, g.area, n(r, 5));
      check(fails, `${w} height`, g.height, n(r, 6));
      check(fails, `${w} width`, g.width, n(r, 7));
    }
    for (const r of f.gateCapacitance) {
      const c = calculateGateCapacitance(GATE[n(r, 0)]!, n(r, 1), n(r, 2), n(r, 3), n(r, 4), tech);
      const w = `gateCapacitance ${r.slice(0, 5).join(",")}`;
      check(fails, `${w} capInput`, c.capInput, n(r, 5));
      check(fails, `${w} capOutput`, c.capOutput, n(r, 6));
    }
    for (const r of f.gateCap) check(fails, `gateCap ${r[0]}`, calculateGateCap(n(r, 0), tech), n(r, 1));
    for (const r of f.drainCap)
      check(fails, `drainCap ${r.slice(0, 3).join(",")}`, calculateDrainCap(n(r, 0), KIND[n(r, 1)]!, n(r, 2), tech), n(r, 3));
    for (const r of f.gateLeakage)
      check(
        fails,
        `gateLeakage ${r.slice(0, 5).join(",")}`,
        calculateGateLeakage(GATE[n(r, 0)]!, n(r, 1), n(r, 2), n(r, 3), n(r, 4), tech),
        n(r, 5),
      );
    for (const r of f.onResistance)
      check(fails, `onResistance ${r.slice(0, 3).join(",")}`, calculateOnResistance(n(r, 0), KIND[n(r, 1)]!, n(r, 2), tech), n(r, 3));
    for (const r of f.transconductance)
      check(fails, `transconductance ${r.slice(0, 2).join(",")}`, calculateTransconductance(n(r, 0), KIND[n(r, 1)]!, tech), n(r, 2));
    for (const r of f.passGateArea) {
      const g = calculatePassGateArea(n(r, 0), n(r, 1), tech, n(r, 2));
      const w = `passGateArea ${r.slice(0, 3).join(",")}`;
      check(fails, `${w} area`, g.area, n(r, 3));
      check(fails, `${w} height`, g.height, n(r, 4));
      check(fails, `${w} width`, g.width, n(r, 5));
    }
    expect(fails).toEqual([]);
  });

  it("horowitz and NonlinearResistance", () => {
    const fails: string[] = [];
    for (const r of fx.horowitz) {
      const h = horowitz(n(r, 0), n(r, 1), n(r, 2));
      check(fails, `horowitz ${r.slice(0, 3).join(",")} delay`, h.delay, n(r, 3));
      check(fails, `horowitz ${r.slice(0, 3).join(",")} rampOutput`, h.rampOutput, n(r, 4));
    }
    for (const r of fx.nonlinearResistance)
      check(
        fails,
        `nonlinearResistance ${r.slice(0, 5).join(",")}`,
        nonlinearResistance(n(r, 0), n(r, 1), n(r, 2), n(r, 3), n(r, 4)),
        n(r, 5),
      );
    expect(fails).toEqual([]);
  });

  it("rejects temperatures outside 300–400 K like NeuroSim", () => {
    const tech = technology(32, "LSTP");
    expect(() => calculateOnResistance(1e-7, "NMOS", 401, tech)).toThrow();
    expect(() => calculateGateLeakage("INV", 1, 1e-7, 1e-7, 299.5, tech)).toThrow();
  });
});

describe("NeuroSim V2.1 Param / main / MemCell set-up", () => {
  it.each(fx.params.map((p) => [p.name, p] as const))("%s", (_, p) => {
    const ctx = makeContext(p.overrides);
    const fails: string[] = [];
    const param = ctx.param as unknown as Record<string, number | boolean>;
    for (const [k, v] of Object.entries(p.param)) {
      expect(k in param, `param.${k}`).toBe(true);
      check(fails, `param.${k}`, param[k] as number | boolean, v);
    }
    const cell = ctx.cell as unknown as Record<string, number | boolean | string>;
    for (const [k, v] of Object.entries(p.cell)) {
      expect(k in cell, `cell.${k}`).toBe(true);
      check(fails, `cell.${k}`, cell[k] as number | boolean | string, v);
    }
    check(fails, "temperature", ctx.temperature, p.temperature);
    expect(ctx.tech.featureSizeInNano).toBe(p.param.technode);
    expect(ctx.tech.deviceRoadmap).toBe(p.param.deviceroadmap === 1 ? "HP" : "LSTP");
    expect(fails).toEqual([]);
  });

  it("derives conductances from overridden resistances unless given", () => {
    expect(makeContext({ resistanceOn: 1e5 }).param.maxConductance).toBe(1 / 1e5);
    expect(makeContext({ resistanceOn: 1e5, maxConductance: 3e-6 }).param.maxConductance).toBe(3e-6);
  });

  it("compared every fixture number within 1e-9", () => {
    // Runs last in this file: reports the coverage of the comparisons above.
    console.log(`foundation oracle: ${stats.compared} values compared, max relative error ${stats.maxRel} (${stats.where})`);
    expect(stats.compared).toBeGreaterThan(20000);
    expect(stats.maxRel).toBeLessThanOrEqual(TOL);
  });
});
