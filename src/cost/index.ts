// The cost model's entry point: (chip, mapping, counts) → area, latency and energy per phase and
// component, totals, TOPS and TOPS/W — and, for the other learning rules, the speed-up over BP on
// the same chip.

import { type ChipDescription, describeChip, type ResolvedChipConfig } from "../chip/config.js";
import { type Algo, type ConvFeedback, mapNetwork } from "../chip/mapping.js";
import type { DeviceParams } from "../device/params.js";
import { type ModelSpec, parseModelSpec } from "../nn/spec.js";
import { account, COMPONENTS, type Component, type LayerCost, PHASES, type Phase } from "./account.js";
import { unitCosts } from "./actions.js";
import { type AreaBreakdown, layoutChip } from "./area.js";
import {
  type Assumptions,
  type Counts,
  DEFAULT_ASSUMPTIONS,
  errorReadLayers,
  expectedCounts,
  type MeasuredLayerEvents,
  measuredCounts,
  trainedLayers,
} from "./counts.js";
import { checkSchedule, criticalPath, pathWeights, type Schedule } from "./schedule.js";

export interface CostInput {
  model: ModelSpec;
  algo: Algo;
  chip: ChipDescription;
  schedule: Schedule;
  /** DFA/DRTP feedback to conv layers: the whole output map (default) or the channels (smaller feedback arrays). */
  convFeedback?: ConvFeedback;
  /** Used when no measured events are given. */
  assumptions?: Assumptions;
  /** Events counted by a training run, covering `images` images and `updates` weight updates. */
  measured?: { layers: MeasuredLayerEvents[]; images: number; updates: number };
  /** Also cost BP on the same chip and report the speed-up (default: when algo is not bp). */
  compareWithBp?: boolean;
}

export interface PhaseReport {
  latency_s: number;
  energy_j: number;
  components: Record<Component, { latency_s: number; energy_j: number }>;
}

export interface FloorplanEntry {
  layer: number;
  name: string;
  mapping: "novel" | "conventional";
  tiles: number;
  duplication: number;
  utilization: number;
  sub_arrays: number;
}

export interface CostReport {
  algo: Algo;
  schedule: Schedule;
  /** Where the counts came from, and the assumptions when they were derived from shapes. */
  counts: { source: Counts["source"]; assumptions?: Assumptions };
  area: { total_m2: number; breakdown: Record<keyof AreaBreakdown, number> };
  floorplan: FloorplanEntry[];
  chip_utilization: number;
  feedback: { layer: number; rows: number; cols: number; read: "forward" | "transposed"; sub_arrays: number }[];
  /** Per epoch, along the schedule's critical path. */
  phases: Record<Phase, PhaseReport>;
  /** Each layer's own time and energy per epoch, per phase (not schedule-weighted). */
  layers: { layer: number; name: string; phases: Record<Phase, { latency_s: number; energy_j: number }> }[];
  leakage_j: number;
  total: { latency_s: number; energy_j: number };
  /** Operations per epoch (NeuroSim's count: 2 per multiply-accumulate of the forward, error and gradient work). */
  operations: number;
  tops: number;
  tops_per_w: number;
  /** For algorithms other than BP: BP on the same chip, divided by this (whole epoch, and error + gradient + update). */
  speedup?: { vs: "bp"; schedule: Schedule; total: number; backward: number };
}

/** NeuroSim's operation count (§3.10), generalized: 2 × MACs of the forward, error and weight-gradient work actually done. */
export function operationsPerImage(model: ModelSpec, algo: Algo): number {
  const L = model.layers.length;
  const trained = trainedLayers(algo, L);
  const errors = errorReadLayers(algo, L);
  let macs = 0;
  model.layers.forEach((l, i) => {
    macs += l.macs;
    if (trained[i]) macs += l.macs;
    if (errors[i]) macs += algo === "dfa" || algo === "drtp" ? l.neurons * model.classes : l.macs;
  });
  return 2 * macs;
}

function evaluate(input: CostInput): CostReport {
  const { model, algo, chip, schedule } = input;
  const mapping = mapNetwork(model, chip, algo, input.convFeedback);
  const costs = unitCosts(chip);
  const layout = layoutChip(model, chip, mapping, algo, costs);
  const assumptions = input.assumptions ?? DEFAULT_ASSUMPTIONS;
  const expected = expectedCounts(model, chip, mapping, algo, assumptions);
  const counts = input.measured ? measuredCounts(expected, input.measured.layers, input.measured.images, input.measured.updates) : expected;
  const layers: LayerCost[] = account(model, chip, mapping, layout, costs, algo, counts);
  const images = chip.batch * chip.iterations;
  const weights = pathWeights(schedule, algo, layers, chip.batch, chip.config.wgUnit.sharing === "shared");
  const path = criticalPath(layers, weights, images, chip.iterations);

  const phases = {} as Record<Phase, PhaseReport>;
  let latency = 0;
  let energy = 0;
  for (const phase of PHASES) {
    const components = {} as PhaseReport["components"];
    let pl = 0;
    let pe = 0;
    for (const k of COMPONENTS) {
      const e = layers.reduce((s, c) => s + c[phase].energy[k], 0);
      components[k] = { latency_s: path[phase][k], energy_j: e };
      pl += path[phase][k];
      pe += e;
    }
    phases[phase] = { latency_s: pl, energy_j: pe, components };
    latency += pl;
    energy += pe;
  }
  const leakage = layout.leakagePower * latency;
  const operations = operationsPerImage(model, algo) * images;
  const total = { latency_s: latency, energy_j: energy + leakage };
  const sumPhase = (c: LayerCost, p: Phase, what: "latency" | "energy") => COMPONENTS.reduce((s, k) => s + c[p][what][k], 0);
  const report: CostReport = {
    algo,
    schedule,
    counts: input.measured ? { source: "measured" } : { source: "assumed", assumptions },
    area: { total_m2: layout.area.total, breakdown: { ...layout.area.breakdown } },
    floorplan: mapping.layers.map((m) => ({
      layer: m.index + 1,
      name: m.layer.name,
      mapping: m.novel ? "novel" : "conventional",
      tiles: m.tiles,
      duplication: m.duplication,
      utilization: m.utilization,
      sub_arrays: m.subArraysAllocated,
    })),
    chip_utilization: mapping.utilization,
    feedback: mapping.feedback.map((f) => ({
      layer: f.index + 1,
      rows: f.rows,
      cols: f.cols,
      read: f.read,
      sub_arrays: f.subArrays * f.duplication,
    })),
    phases,
    layers: layers.map((c, i) => ({
      layer: i + 1,
      name: model.layers[i]?.name ?? "",
      phases: Object.fromEntries(
        PHASES.map((p) => [
          p,
          { latency_s: sumPhase(c, p, "latency") * (p === "update" ? chip.iterations : images), energy_j: sumPhase(c, p, "energy") },
        ]),
      ) as Record<Phase, { latency_s: number; energy_j: number }>,
    })),
    leakage_j: leakage,
    total,
    operations,
    tops: operations / total.latency_s / 1e12,
    tops_per_w: operations / total.energy_j / 1e12,
  };
  return report;
}

const backward = (r: CostReport) => r.phases.error.latency_s + r.phases.gradient.latency_s + r.phases.update.latency_s;

/** The cost of training `model` with `algo` on `chip` for one epoch (batch × iterations images). */
export function estimateCost(input: CostInput): CostReport {
  const report = evaluate(input);
  if (input.compareWithBp ?? input.algo !== "bp") {
    const schedule: Schedule = input.schedule === "dfa-parallel" ? "sequential" : input.schedule;
    const bp = evaluate({ ...input, algo: "bp", schedule, measured: undefined });
    report.speedup = { vs: "bp", schedule, total: bp.total.latency_s / report.total.latency_s, backward: backward(bp) / backward(report) };
  }
  return report;
}

/** The run-config fields the cost model reads (a ResolvedRunConfig has them all). */
export interface CostSettings {
  model: string;
  algo: Algo;
  device: DeviceParams & { preset: string };
  chip: ResolvedChipConfig;
  /** Weight → conductance mapping of the training run: "differential" uses a pair of cells per weight. */
  mapping: "reference" | "differential";
  /** A bias row per weight matrix. */
  bias: boolean;
  batch: number;
  iterations: number;
  schedule: Schedule;
  assume: Assumptions;
  feedback: { conv: ConvFeedback };
}

/** The cost model's input for a resolved run config; `measured`: a training run's events. */
export function costInputOf(settings: CostSettings, measured?: CostInput["measured"]): CostInput {
  checkSchedule(settings.schedule, settings.algo);
  const chip = describeChip(settings.chip, settings.device, settings.batch, settings.iterations, {
    differential: settings.mapping === "differential",
    biasRow: settings.bias,
  });
  const input: CostInput = {
    model: parseModelSpec(settings.model),
    algo: settings.algo,
    chip,
    schedule: settings.schedule,
    convFeedback: settings.feedback.conv,
    assumptions: settings.assume,
  };
  if (measured) input.measured = measured;
  return input;
}

export { formatCostReport } from "./format.js";
