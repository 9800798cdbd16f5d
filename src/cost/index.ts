// The cost model's entry point: (chip, network, trace statistics) → area, latency and energy per
// phase and component, totals, TOPS and TOPS/W — and, for the other learning rules, the speed-up
// over BP on the same chip. The circuits are DNN+NeuroSim V2.1's (src/cost/circuits).

import type { ResolvedChipConfig } from "../chip/config.js";
import { type FeedbackMatrix, type FloorplanSizes, feedbackMatrices } from "../chip/mapping.js";
import type { DeviceParams } from "../device/params.js";
import { InputError } from "../engine/errors.js";
import type { ConvFeedback } from "../learning/feedback.js";
import type { OptimizerKind } from "../learning/optimizer.js";
import { directInput, errorReadLayers, feedbackWrites, type LearningRule, trainedLayers } from "../learning/rule.js";
import { type Algorithm, BASELINE, learningRule } from "../learning/rules.js";
import { type ModelSpec, parseModelSpec } from "../nn/spec.js";
import {
  type AreaBreakdown,
  areaBreakdown,
  COMPONENTS,
  type Component,
  type FeedbackWriteCost,
  type LayerCost,
  layerCosts,
  PHASES,
  type Phase,
} from "./account.js";
import { type ChipEstimate, estimateChip, type FeedbackRead } from "./circuits/chip.js";
import type { CircuitContext } from "./circuits/params.js";
import type { LayerTraceStats } from "./circuits/traces.js";
import { type Measured, measuredStats } from "./counts.js";
import {
  type Assumptions,
  assumedStats,
  type CircuitSettings,
  circuitContext,
  DEFAULT_ASSUMPTIONS,
  networkRows,
} from "./neurosim-inputs.js";
import { checkSchedule, type Schedule, type ScheduleOptions, type Segment, scheduleOptions, type Timeline, timeline } from "./schedule.js";

export interface CostInput {
  model: ModelSpec;
  algo: Algorithm;
  settings: CircuitSettings;
  schedule: Schedule;
  /** Overrides of the schedule's options (what may overlap). */
  scheduleOptions?: Partial<Omit<ScheduleOptions, "overlap">>;
  /** DFA/DRTP feedback to conv layers: the whole output map (default) or the channels (smaller feedback arrays). */
  convFeedback?: ConvFeedback;
  /** Used when no measured events are given, and for what a run does not count. */
  assumptions?: Assumptions;
  /** Events counted by a training run. */
  measured?: Measured;
  /** Also cost BP on the same chip and report the speed-up (default: when algo is not bp). */
  compareWithBp?: boolean;
  /** The optimizer: Tiki-Taka's fast arrays add a mirror of every layer's tiles. */
  optimizer?: OptimizerKind;
}

export interface PhaseReport {
  /** Time on the schedule's critical path. */
  latency_s: number;
  /** Time this phase's work takes off the critical path (overlapped with other work by the schedule). */
  overlapped_s: number;
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
}

export interface CostReport {
  algo: Algorithm;
  schedule: Schedule;
  /** Where the trace statistics came from, and the assumptions when they were derived from shapes. */
  counts: { source: "assumed" | "measured"; assumptions?: Assumptions };
  /** Every phase's ADC as resolved: bits, columns or rows per ADC, type. */
  adc: Record<"forward" | "error" | "gradient", { type: string; bits: number; mux: number }>;
  area: { total_m2: number; breakdown: AreaBreakdown };
  floorplan: FloorplanEntry[];
  floorplan_sizes: FloorplanSizes;
  chip_utilization: number;
  feedback: { layer: number; rows: number; cols: number; read: "forward" | "transposed"; sub_arrays: number }[];
  /** Per epoch, along the schedule's critical path. */
  phases: Record<Phase, PhaseReport>;
  /** Each layer's own time and energy per epoch, per phase (not schedule-weighted). */
  layers: { layer: number; name: string; phases: Record<Phase, { latency_s: number; energy_j: number }> }[];
  leakage_j: number;
  total: { latency_s: number; energy_j: number };
  /** Operations per epoch (NeuroSim's count: 2 per multiply-accumulate of the forward, error and gradient work done). */
  operations: number;
  tops: number;
  tops_per_w: number;
  /** The schedule's options and hardware, and one batch's timeline (the drawn window of it). */
  timeline: {
    options: ScheduleOptions;
    hardware: { wgUnit: "shared" | "per-layer"; accumulation: "dram" | "on-chip"; backwardBuffers: "global" | "local" };
    /** Seconds per batch on the critical path (× iterations = total.latency_s). */
    batch_s: number;
    /** Images the window shows (one when images do not overlap: the others repeat it). */
    images_shown: number;
    segments: Segment[];
  };
  /** For rules other than BP: BP on the same chip, divided by this. */
  speedup?: Speedup;
}

/** A rule's training time against BP's on the same chip. */
export interface Speedup {
  vs: Algorithm;
  /** BP's schedule for `total` and `backward`: sequential, as DNN+NeuroSim (and the paper's comparison). */
  schedule: Schedule;
  /** BP's epoch ÷ this one's, and the same for error + gradient + update. */
  total: number;
  backward: number;
  /** BP with this schedule's options (BP's dependencies on the same overlapping hardware), when the schedule overlaps work. */
  same_timeline?: { total: number; backward: number };
  /**
   * Amdahl: the fraction of BP's sequential epoch the rule can spread over its layers (error and
   * gradient work, and updates when they overlap), the layers it spreads over, and the speed-up
   * that fraction allows at most with every layer's share equal: 1 / ((1 − p) + p / N).
   */
  amdahl: { parallel_fraction: number; layers: number; bound: number };
}

/**
 * NeuroSim's operation count (Chip.cpp numComputation: 2 × IFM H·W·C_in·K²·C_out per layer for FW,
 * AG and WG, layer 1 without AG), generalized to the work each rule does: DFA/DRTP's error is a
 * classes × signals product instead of the transposed read.
 */
export function operationsPerImage(
  model: ModelSpec,
  algo: Algorithm,
  positions: "unpadded" | "padded",
  convFeedback: ConvFeedback,
): number {
  const rule = learningRule(algo);
  const L = model.layers.length;
  const trained = trainedLayers(rule, L);
  const errors = errorReadLayers(rule, L);
  const rows = networkRows(model, positions);
  const feedback = feedbackMatrices(model, rule, 1, convFeedback);
  const direct = directInput(rule) !== undefined;
  let macs = 0;
  rows.forEach((l, i) => {
    const m = l.ifmH * l.ifmW * l.ifmC * l.kH * l.kW * l.ofmC;
    macs += m;
    if (trained[i]) macs += m;
    if (errors[i]) {
      const f = feedback.find((x) => x.index === i);
      macs += direct ? model.classes * (f?.signals ?? 0) : m;
    }
  });
  return 2 * macs;
}

/** The direct rules' (DFA, DRTP) feedback reads the chip model costs. */
function feedbackReads(
  model: ModelSpec,
  rule: LearningRule,
  matrices: FeedbackMatrix[],
  ctx: CircuitContext,
  stats: LayerTraceStats[],
): FeedbackRead[] {
  const input = directInput(rule);
  if (input === undefined) return [];
  const bits = ctx.param.numBitInput;
  const rows = networkRows(model, "unpadded");
  return matrices.map((m) => {
    const drtp = input === "target";
    const layer = model.layers[m.index];
    const neurons = layer?.neurons ?? m.signals;
    const next = rows[m.index + 1];
    return {
      layer: m.index,
      rows: m.rows,
      cols: m.cols,
      // DRTP's input is the one-hot target: one pulse, one active line.
      pulses: drtp ? 1 : bits,
      activity: drtp ? 1 / model.classes : (stats[m.index]?.errorActivity ?? 0.5),
      inBits: model.classes * (drtp ? 1 : bits),
      // δ over the whole output map (channel signals are spread over the positions in the buffer).
      outBits: (m.signals + (m.signals === neurons ? 0 : neurons)) * bits,
      // As NeuroSim sizes the error map it sends to DRAM for the gradient (H·W·bits of the next layer's input).
      dramBits: 2 * (next ? next.ifmH * next.ifmW * bits : neurons * bits),
    };
  });
}

/**
 * NeuroSim's fitted circuit models leave their range for some small or odd configurations (a buffer
 * of a few bits, a one-bit input): a negative or non-finite figure is refused with the settings
 * that led there, never reported.
 */
function checkPhysical(est: ChipEstimate, chip: ResolvedChipConfig): void {
  const bad: string[] = [];
  for (const [k, v] of Object.entries(est.area)) if (!(Number.isFinite(v) && v >= 0)) bad.push(`area ${k} = ${v}`);
  est.layers.forEach((l, i) => {
    for (const k of [
      "readLatency",
      "readDynamicEnergy",
      "readLatencyAG",
      "readDynamicEnergyAG",
      "readLatencyWG",
      "readDynamicEnergyWG",
      "writeLatencyWU",
      "writeDynamicEnergyWU",
    ] as const) {
      if (!(Number.isFinite(l[k]) && l[k] >= 0)) bad.push(`layer ${i + 1} ${k} = ${l[k]}`);
    }
  });
  if (bad.length === 0) return;
  throw new InputError(
    `chip: the circuit model leaves its valid range for this chip (${bad.slice(0, 3).join("; ")}) — NeuroSim V2.1's fitted models do not cover it; ${settingsSummary(chip)}`,
  );
}

const settingsSummary = (chip: ResolvedChipConfig) =>
  `settings: chip.technology ${chip.technology} (${chip.roadmap}), chip.subArray ${chip.subArray.rows}×${chip.subArray.cols}, chip.buffers ${chip.buffers.global}/${chip.buffers.tile}/${chip.buffers.pe}, chip.activationBits ${chip.activationBits}, chip.adc ${chip.adc.type} ${chip.adc.bits} b / mux ${chip.adc.mux}`;

/** A report with what it was computed from (for explanations). */
export interface Evaluated {
  report: CostReport;
  layers: LayerCost[];
  timeline: Timeline;
  chip: ChipEstimate;
  ctx: CircuitContext;
  stats: LayerTraceStats[];
  images: number;
}

/** The cost of one epoch with everything it was computed from. */
export function evaluate(input: CostInput): Evaluated {
  const { model, algo, settings, schedule } = input;
  const rule = learningRule(algo);
  checkSchedule(schedule, rule);
  const chip = settings.chip;
  const ctx = circuitContext(settings);
  const net = networkRows(model, chip.convPositions);
  const a = input.assumptions ?? DEFAULT_ASSUMPTIONS;
  const levels = Math.max(settings.device.levelsLtp, settings.device.levelsLtd);
  const shapes = model.layers.map((l) => ({
    rowsPerRead: Math.min(l.rows, chip.subArray.rows),
    errorRowsPerRead: Math.min(l.outChannels * ctx.param.numColPerSynapse, chip.subArray.cols),
    cells: l.rows * l.outChannels * ctx.param.numColPerSynapse,
  }));
  const stats = input.measured ? measuredStats(input.measured, shapes, a, levels, chip.weightBits) : assumedStats(model.layers.length, a);
  const matrices = feedbackMatrices(model, rule, ctx.param.numColPerSynapse, input.convFeedback ?? "full");
  let est: ChipEstimate;
  let feedbackWriteCosts: FeedbackWriteCost[] = [];
  try {
    const options = {
      wgSharing: chip.wgUnit.sharing,
      gradientAccumulation: chip.wgUnit.accumulation,
      backwardBuffers: chip.buffers.backward,
      feedback: feedbackReads(model, rule, matrices, ctx, stats),
    };
    est = estimateChip(ctx, net, stats, options);
    if (feedbackWrites(rule) !== "none") {
      // B's writes on its mirror of W's tiles: the chip's write figures for B's own update statistics (a
      // run's counted B pulses; without a run, B is assumed written like W).
      const written = input.measured ? measuredStats(input.measured, shapes, a, levels, chip.weightBits, "feedback") : stats;
      const b = estimateChip(ctx, net, written, options);
      feedbackWriteCosts = b.layers.map((r) => ({ latency: r.writeLatencyWU, energy: r.writeDynamicEnergyWU }));
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    // NeuroSim V2.1 exits at the same point (its circuit models refuse the layout).
    const message = (error as Error).message;
    const access = /Transistor width of 1T1R=([\d.]+)F/.exec(message);
    if (access) {
      throw new InputError(
        `chip.cellAccess: "1t1r" with the device's Ron ${(1 / settings.device.gMax).toPrecision(3)} Ω needs an access transistor ${access[1]} F wide, wider than the ${ctx.cell.widthInFeatureSize} F cell (DNN+NeuroSim V2.1 stops here too); use a device with a higher Ron or chip.cellAccess "crossbar"`,
      );
    }
    throw new InputError(
      `chip: the circuit model cannot lay out this chip: ${message} (DNN+NeuroSim V2.1 stops here too); ${settingsSummary(chip)}`,
    );
  }
  checkPhysical(est, chip);
  const images = settings.batch * settings.iterations;
  const layers = layerCosts(est, rule, est.feedback, feedbackWriteCosts, images, settings.iterations);
  const options = scheduleOptions(schedule, input.scheduleOptions);
  const hardware = { wgSharing: chip.wgUnit.sharing, backwardBuffers: chip.buffers.backward };
  const line = timeline(rule, layers, settings.batch, options, hardware);
  const path = {} as Record<Phase, Record<Component, number>>;
  for (const phase of PHASES) {
    path[phase] = {} as Record<Component, number>;
    for (const k of COMPONENTS) path[phase][k] = settings.iterations * line.path.reduce((s, l) => s + l[phase][k], 0);
  }

  const phases = {} as Record<Phase, PhaseReport>;
  let latency = 0;
  let energy = 0;
  let sequentialFwAg = 0;
  let pathFwAg = 0;
  for (const phase of PHASES) {
    const components = {} as PhaseReport["components"];
    let pl = 0;
    let pe = 0;
    let all = 0;
    const times = phase === "update" ? settings.iterations : images;
    for (const k of COMPONENTS) {
      const e = layers.reduce((s, c) => s + c[phase].energy[k], 0);
      components[k] = { latency_s: path[phase][k], energy_j: e };
      pl += path[phase][k];
      pe += e;
      all += times * layers.reduce((s, c) => s + c[phase].latency[k], 0);
    }
    phases[phase] = { latency_s: pl, overlapped_s: Math.max(0, all - pl), energy_j: pe, components };
    latency += pl;
    energy += pe;
    if (phase === "forward" || phase === "error") {
      sequentialFwAg += all;
      pathFwAg += pl;
    }
  }
  // NeuroSim's leakage: the other layers' tiles leak while a layer reads (FW + AG); a schedule that
  // shortens the reads shortens that time in proportion.
  const neurosimLeakage = est.layers.reduce((s, l) => s + l.leakageEnergy, 0);
  const leakage = sequentialFwAg > 0 ? (neurosimLeakage * pathFwAg) / sequentialFwAg : 0;
  const operations = operationsPerImage(model, algo, chip.convPositions, input.convFeedback ?? "full") * images;
  const breakdown = areaBreakdown(est, rule, est.feedback, matrices, input.optimizer);
  const total = { latency_s: latency, energy_j: energy + leakage };
  const sumPhase = (c: LayerCost, p: Phase, what: "latency" | "energy") => COMPONENTS.reduce((s, k) => s + c[p][what][k], 0);
  const fp = est.floorplan;
  const report: CostReport = {
    algo,
    schedule,
    counts: input.measured ? { source: "measured" } : { source: "assumed", assumptions: a },
    adc: {
      forward: { type: chip.adc.type, bits: chip.adc.bits, mux: chip.adc.mux },
      error: { type: chip.adc.error.type, bits: chip.adc.error.bits, mux: chip.adc.error.mux },
      gradient: { type: chip.adc.gradient.type, bits: chip.adc.gradient.bits, mux: chip.adc.gradient.mux },
    },
    area: { total_m2: est.area.total + breakdown.feedbackArrays + breakdown.optimizerArrays, breakdown },
    floorplan: model.layers.map((l, i) => ({
      layer: i + 1,
      name: l.name,
      mapping: fp.novel[i] ? "novel" : "conventional",
      tiles: (fp.tilesRow[i] as number) * (fp.tilesCol[i] as number),
      duplication: (fp.speedUpRow[i] as number) * (fp.speedUpCol[i] as number),
      utilization: fp.utilization[i] as number,
    })),
    floorplan_sizes: {
      tile: fp.desiredTileSizeCM,
      pe: fp.desiredPESizeCM,
      novel_pe: fp.desiredPESizeNM,
      novel_pes: fp.novel.some(Boolean) ? fp.numPENM : 0,
    },
    chip_utilization: fp.chipUtilization,
    feedback: matrices.map((m) => ({
      layer: m.index + 1,
      rows: m.rows,
      cols: m.cols,
      read: m.read,
      sub_arrays:
        m.read === "transposed"
          ? (fp.tilesRow[m.index] as number) * (fp.tilesCol[m.index] as number)
          : (est.feedback.find((f) => f.layer === m.index)?.subArrays ?? 0),
    })),
    phases,
    layers: layers.map((c, i) => ({
      layer: i + 1,
      name: model.layers[i]?.name ?? "",
      phases: Object.fromEntries(
        PHASES.map((p) => [
          p,
          { latency_s: sumPhase(c, p, "latency") * (p === "update" ? settings.iterations : images), energy_j: sumPhase(c, p, "energy") },
        ]),
      ) as Record<Phase, { latency_s: number; energy_j: number }>,
    })),
    leakage_j: leakage,
    total,
    operations,
    tops: operations / total.latency_s / 1e12,
    tops_per_w: operations / total.energy_j / 1e12,
    timeline: {
      options,
      hardware: { wgUnit: chip.wgUnit.sharing, accumulation: chip.wgUnit.accumulation, backwardBuffers: chip.buffers.backward },
      batch_s: line.batch_s,
      images_shown: line.images_shown,
      segments: line.segments,
    },
  };
  return { report, layers, timeline: line, chip: est, ctx, stats, images };
}

const backward = (r: CostReport) => r.phases.error.latency_s + r.phases.gradient.latency_s + r.phases.update.latency_s;

/** The cost of training `model` with `algo` on the chip for one epoch (batch × iterations images). */
export function estimateCost(input: CostInput): CostReport {
  const { report } = evaluate(input);
  if (input.compareWithBp ?? input.algo !== BASELINE) {
    // BP as DNN+NeuroSim runs it, on the same chip; and BP on the same overlapping timeline.
    // With this run's counts (BP's own error reads are not counted: their activity is the rule's).
    const bp = evaluate({ ...input, algo: BASELINE, schedule: "sequential", scheduleOptions: {} }).report;
    report.speedup = speedupOver(bp, report);
    const o = report.timeline.options;
    if (o.overlap === "resources") {
      const same = evaluate({
        ...input,
        algo: BASELINE,
        schedule: "pipelined",
        scheduleOptions: { pipelineImages: o.pipelineImages, updates: o.updates },
      }).report;
      report.speedup.same_timeline = { total: same.total.latency_s / report.total.latency_s, backward: backward(same) / backward(report) };
    }
  }
  return report;
}

/** `rule`'s speed-up over sequential `bp`, with Amdahl's bound for the work the rule can spread over its layers. */
function speedupOver(bp: CostReport, rule: CostReport): Speedup {
  const spread =
    bp.phases.error.latency_s +
    bp.phases.gradient.latency_s +
    (rule.timeline.options.updates === "overlapped" ? bp.phases.update.latency_s : 0);
  const p = bp.total.latency_s > 0 ? spread / bp.total.latency_s : 0;
  const n = rule.layers.filter((l) => l.phases.gradient.latency_s > 0 || l.phases.update.latency_s > 0).length;
  return {
    vs: BASELINE,
    schedule: "sequential",
    total: bp.total.latency_s / rule.total.latency_s,
    backward: backward(bp) / backward(rule),
    amdahl: { parallel_fraction: p, layers: n, bound: n > 0 ? 1 / (1 - p + p / n) : 1 },
  };
}

/** The run-config fields the cost model reads (a ResolvedRunConfig has them all). */
export interface CostSettings {
  model: string;
  algo: Algorithm;
  device: DeviceParams & { preset: string };
  chip: ResolvedChipConfig;
  /** Weight → conductance mapping of the training run: "differential" uses a pair of cells per weight. */
  mapping: "reference" | "differential";
  batch: number;
  iterations: number;
  schedule: Schedule;
  scheduleOptions: { pipelineImages?: boolean; updates?: "serialized" | "overlapped" };
  activation: "relu" | "sigmoid" | "tanh";
  assume: Assumptions;
  feedback: { conv: ConvFeedback };
  optimizer?: OptimizerKind;
}

/** The cost model's input for a resolved run config; `measured`: a training run's events. */
export function costInputOf(settings: CostSettings, measured?: Measured): CostInput {
  checkSchedule(settings.schedule, learningRule(settings.algo));
  const input: CostInput = {
    model: parseModelSpec(settings.model),
    algo: settings.algo,
    settings: {
      chip: settings.chip,
      device: settings.device,
      differential: settings.mapping === "differential",
      batch: settings.batch,
      iterations: settings.iterations,
      activation: settings.activation,
    },
    schedule: settings.schedule,
    scheduleOptions: settings.scheduleOptions,
    convFeedback: settings.feedback.conv,
    assumptions: settings.assume,
  };
  if (settings.optimizer) input.optimizer = settings.optimizer;
  if (measured) input.measured = measured;
  return input;
}
