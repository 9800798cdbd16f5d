// The update cost's expectation (src/cost/circuits/traces.ts, writeEstimate) against a plain
// restatement of what DNN+NeuroSim V2.1 does with explicit weight files: draw new weights on the
// weight grid and old weights a few LSBs away (as the grid's trace generator does), convert both
// to cell conductances (Chip.cpp LoadInWeightData: linear for one cell per weight, quotient digits
// otherwise), and count rows, columns, pulses and energy cell by cell (ProcessingUnit.cpp
// GetWriteUpdateEstimation), averaged over many random blocks.

import { describe, expect, it } from "vitest";
import { type ContextOverrides, makeContext } from "../src/cost/circuits/params.js";
import { type LayerTraceStats, writeEstimate } from "../src/cost/circuits/traces.js";

/** mulberry32: a small seeded generator. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

type Ctx = ReturnType<typeof makeContext>;

/** One weight's cells (LoadInWeightData), from the weight in [−1, 1]. */
function cells(w: number, ctx: Ctx): number[] {
  const p = ctx.param;
  const span = p.maxConductance - p.minConductance;
  if (p.memcelltype !== 1 && p.synapseBit === p.cellBit) return [((w + 1) / 2) * span + p.minConductance];
  const levels = 2 ** p.synapseBit;
  let value = Math.trunc((levels / 2) * (w - 1) + levels + 0.5);
  const range = 2 ** p.cellBit;
  const digits: number[] = [];
  for (let z = 0; z < p.numColPerSynapse; z++) {
    value = Math.trunc(value / range);
    digits.unshift(value);
  }
  return digits.map((d) => Math.trunc(d / (range - 1)) * span + p.minConductance);
}

const LINES = { capRow1: 2e-14, capRow2: 3e-14, capCol: 5e-14 };

/** GetWriteUpdateEstimation over explicit new and old conductance matrices. */
function neurosimWrite(newM: number[][], oldM: number[][], ctx: Ctx) {
  const { param: p, cell, tech } = ctx;
  const maxPulse = Math.max(p.maxNumLevelLTP, p.maxNumLevelLTD);
  const minDelta = (p.maxConductance - p.minConductance) / maxPulse;
  const rows = newM.length;
  const cols = (newM[0] as number[]).length;
  let energy = 0;
  let setPulsesTotal = 0;
  let resetPulsesTotal = 0;
  let rowSet = 0;
  let rowReset = 0;
  let colSet = 0;
  let colReset = 0;
  for (let i = 0; i < rows; i++) {
    let nSet = 0;
    let nReset = 0;
    let maxSet = 0;
    let maxReset = 0;
    for (let j = 0; j < cols; j++) {
      const a = (newM[i] as number[])[j] as number;
      const b = (oldM[i] as number[])[j] as number;
      if (p.memcelltype === 1) {
        if (a === b) continue;
        if (a > b) {
          nSet++;
          maxSet = 1;
        } else {
          nReset++;
          maxReset = 1;
        }
        continue;
      }
      if (Math.abs(a - b) < minDelta) continue;
      const pulses = Math.ceil(Math.abs(a - b) / minDelta);
      if (a > b) {
        nSet++;
        maxSet = Math.max(maxSet, pulses);
      } else {
        nReset++;
        maxReset = Math.max(maxReset, pulses);
      }
      if (cell.memCellType === "FeFET") {
        const pr = (g: number) => (g / minDelta - maxPulse / 2) * ((p.polarization * 2) / maxPulse);
        const deltaPr = Math.abs(pr(a) + p.polarization) + Math.abs(pr(b) + p.polarization);
        energy += deltaPr * 0.01 * cell.writeVoltage * (2 * tech.featureSize * tech.featureSize);
      } else {
        energy += ((cell.writeVoltage * cell.writeVoltage) / (Math.abs(1 / a + 1 / b) / 2)) * cell.writePulseWidth * pulses;
      }
    }
    if (nSet > 0) rowSet++;
    else if (nReset > 0) rowReset++;
    colSet += nSet;
    colReset += nReset;
    setPulsesTotal += maxSet;
    resetPulsesTotal += maxReset;
  }
  // NeuroSim keeps the column counts in ints (ceil of the mean per selected row).
  const cSet = rowSet === 0 ? 0 : Math.ceil(colSet / rowSet);
  const cReset = rowReset === 0 ? 0 : Math.ceil(colReset / rowReset);
  const total = setPulsesTotal + resetPulsesTotal;
  const avg = Math.trunc(total / Math.max(1, (rowSet + rowReset) / 2));
  const v2 = cell.writeVoltage ** 2;
  const vdd2 = tech.vdd ** 2;
  const unsel = (n: number, k: number) => (n >= k ? n - k : n);
  if (p.memcelltype !== 1) {
    if (cell.accessType === "CMOS") {
      if (cell.memCellType === "FeFET") {
        energy += LINES.capRow2 * vdd2 * setPulsesTotal;
        energy += (LINES.capCol + p.gateCapFeFET * rowSet) * v2 * cSet * setPulsesTotal;
        energy += LINES.capRow2 * vdd2 * resetPulsesTotal;
        energy += (LINES.capCol + p.gateCapFeFET * rowReset) * v2 * cReset * resetPulsesTotal;
      } else {
        energy += LINES.capRow2 * vdd2 * setPulsesTotal;
        energy += LINES.capCol * v2 * unsel(cols, cSet) * setPulsesTotal;
        energy += LINES.capRow1 * v2 * cSet * setPulsesTotal;
        energy += LINES.capRow2 * vdd2 * resetPulsesTotal;
        energy += LINES.capCol * v2 * cReset * resetPulsesTotal;
        energy += LINES.capRow1 * v2 * unsel(cols, cReset) * resetPulsesTotal;
      }
    } else {
      const h2 = (cell.writeVoltage / 2) ** 2;
      const gHalf = (1 / cell.resMemCellOnAtHalfVw + 1 / cell.resMemCellOffAtHalfVw) / 2;
      energy += LINES.capRow1 * v2 * setPulsesTotal;
      energy += LINES.capRow1 * h2 * unsel(rows, rowSet) * avg;
      energy += LINES.capCol * h2 * unsel(cols, cSet) * setPulsesTotal;
      energy += h2 * gHalf * cell.writePulseWidth * unsel(cols, cSet) * setPulsesTotal;
      energy += h2 * gHalf * cell.writePulseWidth * unsel(rows, rowSet) * setPulsesTotal;
      energy += LINES.capRow1 * h2 * unsel(rows, rowReset) * avg;
      energy += LINES.capCol * v2 * resetPulsesTotal;
      energy += LINES.capCol * h2 * unsel(cols, cReset) * resetPulsesTotal;
      energy += h2 * gHalf * cell.writePulseWidth * unsel(cols, cReset) * resetPulsesTotal;
      energy += h2 * gHalf * cell.writePulseWidth * unsel(rows, rowReset) * resetPulsesTotal;
    }
  }
  return {
    activityRowWrite: (rowSet + rowReset) / 2 / rows,
    totalNumWritePulse: total,
    numWritePulseAVG: avg,
    writeDynamicEnergyArray: energy,
  };
}

/** Mean of NeuroSim's figures over `blocks` random rows × cols blocks (weights: N(0, σ) on the 2^b grid; `fraction` move by 1…steps LSBs). */
function simulate(ctx: Ctx, rows: number, cols: number, sigma: number, fraction: number, steps: number, blocks: number, seed: number) {
  const u = rng(seed);
  const p = ctx.param;
  const half = 2 ** (p.synapseBit - 1);
  const sums = { activityRowWrite: 0, totalNumWritePulse: 0, numWritePulseAVG: 0, writeDynamicEnergyArray: 0 };
  for (let b = 0; b < blocks; b++) {
    const newM: number[][] = [];
    const oldM: number[][] = [];
    for (let i = 0; i < rows; i++) {
      const nr: number[] = [];
      const or: number[] = [];
      while (nr.length < cols) {
        const w = Math.round(Math.min(1, Math.max(-1, sigma * normal(u))) * half) / half;
        let old = w;
        if (u() < fraction) {
          const k = 1 + Math.floor(u() * steps);
          old = Math.min(1, Math.max(-1, w + (u() < 0.5 ? -k : k) / half));
        }
        nr.push(...cells(w, ctx));
        or.push(...cells(old, ctx));
      }
      newM.push(nr.slice(0, cols));
      oldM.push(or.slice(0, cols));
    }
    const r = neurosimWrite(newM, oldM, ctx);
    for (const k of Object.keys(sums) as (keyof typeof sums)[]) sums[k] += r[k] / blocks;
  }
  return sums;
}

function statsOf(sigma: number, fraction: number, steps: number): LayerTraceStats {
  return {
    activity: 0.5,
    errorActivity: 0.5,
    weightMean: 0,
    weightStd: sigma,
    updateFraction: fraction,
    setShare: 0.5,
    steps: Array.from({ length: steps }, () => 1 / steps),
  };
}

const CASES: { name: string; overrides: ContextOverrides; rows: number; cols: number; sigma: number; fraction: number; steps: number }[] = [
  { name: "FeFET, one 5-bit cell per weight, 60 levels", overrides: {}, rows: 64, cols: 128, sigma: 0.25, fraction: 0.3, steps: 3 },
  {
    name: "FeFET, one bit per cell (quotient digits)",
    overrides: { cellBit: 1 },
    rows: 64,
    cols: 128,
    sigma: 0.25,
    fraction: 0.3,
    steps: 3,
  },
  {
    name: "RRAM 1T1R, two bits per cell, sparse updates",
    overrides: { memcelltype: 2, cellBit: 2 },
    rows: 96,
    cols: 120,
    sigma: 0.4,
    fraction: 0.05,
    steps: 2,
  },
  {
    name: "RRAM crossbar, one cell per weight",
    overrides: { memcelltype: 2, accesstype: 4 },
    rows: 64,
    cols: 64,
    sigma: 0.5,
    fraction: 0.5,
    steps: 1,
  },
  { name: "SRAM", overrides: { memcelltype: 1 }, rows: 64, cols: 128, sigma: 0.3, fraction: 0.2, steps: 2 },
];

describe("update cost: expectation vs NeuroSim's count over explicit random weights", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const ctx = makeContext(c.overrides);
      const ours = writeEstimate(c.rows, c.cols, statsOf(c.sigma, c.fraction, c.steps), ctx, LINES);
      const theirs = simulate(ctx, c.rows, c.cols, c.sigma, c.fraction, c.steps, 120, 7);
      const rel = (a: number, b: number) => Math.abs(a / b - 1);
      expect(
        rel(ours.totalNumWritePulse, theirs.totalNumWritePulse),
        `pulses ${ours.totalNumWritePulse} vs ${theirs.totalNumWritePulse}`,
      ).toBeLessThan(0.03);
      expect(
        rel(ours.activityRowWrite, theirs.activityRowWrite),
        `rows ${ours.activityRowWrite} vs ${theirs.activityRowWrite}`,
      ).toBeLessThan(0.03);
      // An integer in NeuroSim: the truncation moves it by up to one.
      expect(
        Math.abs(ours.numWritePulseAVG - theirs.numWritePulseAVG),
        `avg ${ours.numWritePulseAVG} vs ${theirs.numWritePulseAVG}`,
      ).toBeLessThanOrEqual(Math.max(1, 0.02 * theirs.numWritePulseAVG));
      if (ctx.param.memcelltype !== 1) {
        expect(
          rel(ours.writeDynamicEnergyArray, theirs.writeDynamicEnergyArray),
          `energy ${ours.writeDynamicEnergyArray} vs ${theirs.writeDynamicEnergyArray}`,
        ).toBeLessThan(0.1);
      }
    });
  }

  it("one bit per cell costs NeuroSim tens of pulses per changed row where one 5-bit cell costs a few", () => {
    const five = writeEstimate(128, 128, statsOf(0.25, 0.3, 3), makeContext({}), LINES);
    const one = writeEstimate(128, 128, statsOf(0.25, 0.3, 3), makeContext({ cellBit: 1 }), LINES);
    // 60 levels over 32 weight levels: ⌈k·60/32⌉ ≤ 6 pulses; a quotient digit moves by whole ranges: 60 pulses each.
    expect(five.totalNumWritePulse / 128).toBeLessThanOrEqual(12);
    expect(one.totalNumWritePulse / 128).toBeGreaterThan(60);
  });
});
