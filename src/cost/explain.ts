// `cimlearn cost --explain PATH`: for any number of the cost JSON, the formula it comes from, its
// inputs with units and where each input came from (config, device preset, technology table,
// counted events, assumptions), and the result. Formatting and bookkeeping only: every number
// here is read from the evaluation, not recomputed.

import type { ResolvedChipConfig } from "../chip/config.js";
import { InputError } from "../engine/errors.js";
import { BASELINE } from "../learning/rules.js";
import { si } from "../units.js";
import { COMPONENTS, type Component, PHASES, type Phase } from "./account.js";
import type { LayerReport } from "./circuits/chip.js";
import { type CostInput, type CostReport, type Evaluated, estimateCost, evaluate } from "./index.js";

interface Input {
  name: string;
  value: string;
  source: string;
}

const PHASE_NAMES: Record<Phase, string> = {
  forward: "forward (NeuroSim FW)",
  error: "error (NeuroSim AG: the activation gradient; DFA/DRTP: the feedback reads)",
  gradient: "weight gradient (NeuroSim WG)",
  update: "weight update (NeuroSim WU)",
};

/** What each component of each phase is, and which NeuroSim code computes it. */
const FORMULAS: Record<Component, string> = {
  array:
    "sub-array read time and energy besides the ADC (switch matrices, decoders, column charging; NeuroSim 'Synaptic Array w/o ADC'), per input bit-plane, over the layer's positions ÷ its weight copies — SubArray.cpp CalculateLatency/CalculatePower, ProcessingUnit.cpp",
  adc: "the column ADCs (multilevel sense amplifier fitted to SPICE, or SAR), one conversion per ADC and multiplexer step per bit-plane; latency ÷ weight copies — MultilevelSenseAmp.cpp, SarADC.cpp, SubArray.cpp",
  accumulation:
    "shift-adders in the sub-arrays and adder trees in the PEs, tiles and chip summing the partial sums — ShiftAdd.cpp, AdderTree.cpp, Tile.cpp, Chip.cpp",
  buffer:
    "global buffer (bits ÷ interface width × line time ÷ cores in use × the layer's share of the bus) plus the tile and PE buffers; in the gradient phase also each image's weight gradient to DRAM and back — Buffer.cpp, Chip.cpp ChipCalculatePerformance",
  interconnect: "global and tile H-trees and PE buses carrying the bits between buffer, tiles, PEs and sub-arrays — HTree.cpp, Bus.cpp",
  wgUnit:
    "weight-gradient unit (SRAM compute-in-memory arrays: (read ÷ copies + write) × K² per image; energy × fraction of the unit used) and the gradient accumulator — WeightGradientUnit.cpp, Chip.cpp",
  update:
    "programming: Σ over rows of the largest SET + RESET pulse counts × pulse width per sub-array, ÷ sub-arrays written in parallel; cell energy (RRAM V²·G·t per pulse, FeFET polarization switching) plus line charging; and moving the weight deltas in — ProcessingUnit.cpp GetWriteUpdateEstimation, SubArray.cpp",
  dram: "DRAM transfers: bits ÷ bandwidth and bits × energy per bit — each input map (H·W·bits, as NeuroSim sizes it) out and back in FW, AG and WG, and each image's weight gradient out and back — DRAM.cpp, Chip.cpp",
};

function chipInputs(chip: ResolvedChipConfig, e: Evaluated, component: Component | "area"): Input[] {
  const p = e.ctx.param;
  const t = e.ctx.tech;
  const cell = e.ctx.cell;
  const base: Input[] = [
    {
      name: "technology",
      value: `${chip.technology} nm ${chip.roadmap.toUpperCase()}, Vdd ${t.vdd} V, wire width ${p.wireWidth} nm`,
      source:
        "config chip.technology / chip.roadmap; transistor data: technology table (NeuroSim Technology.cpp); wire: Param.cpp's table for the node",
    },
    { name: "clock", value: si(chip.clock, "Hz"), source: "config chip.clock" },
  ];
  const array: Input[] = [
    {
      name: "sub-array",
      value: `${chip.subArray.rows} × ${chip.subArray.cols} cells, ${cell.memCellType} (${chip.cellAccess})`,
      source: "config chip.subArray, chip.cellType, chip.cellAccess; cell type from the device preset",
    },
    {
      name: "cell",
      value: `Ron ${si(p.resistanceOn, "Ω")}, Roff ${si(p.resistanceOff, "Ω")}, read ${p.readVoltage} V × ${si(p.readPulseWidth, "s")}`,
      source: "device preset (gMax, gMin, readVoltage, readPulseWidth) and its overrides",
    },
    {
      name: "ADCs",
      value: `${chip.adc.type} ${chip.adc.sense}: forward ${chip.adc.bits} b / ${chip.adc.mux} columns, error ${chip.adc.error.bits} b / ${chip.adc.error.mux} rows`,
      source: "config chip.adc (the error ADC inherits type, bits and mux unless chip.adc.error sets them)",
    },
    { name: "input bits", value: `${p.numBitInput} (one bit-plane per read)`, source: "config chip.activationBits" },
  ];
  const transfer: Input[] = [
    {
      name: "buffers",
      value: `global ${chip.buffers.global}, tile ${chip.buffers.tile}, PE ${chip.buffers.pe}`,
      source: "config chip.buffers (register file = NeuroSim's default)",
    },
    {
      name: "global bus",
      value: `${e.chip.globalBusWidth} bits`,
      source: "derived: NeuroSim's sum of the tiles' interfaces, halved until ≤ chip.maxBusWidth",
    },
  ];
  const dram: Input[] = [
    {
      name: "DRAM",
      value: chip.dram === "hbm2" ? "HBM2: 15.2 Tb/s, 3.9 pJ/bit" : "GDDR5: 4.288 Tb/s, 14 pJ/bit",
      source: "config chip.dram; figures: NeuroSim DRAM.cpp",
    },
  ];
  const wg: Input[] = [
    {
      name: "weight-gradient unit",
      value: `${chip.wgUnit.rows} × ${chip.wgUnit.cols} SRAM sub-arrays, ${chip.wgUnit.sharing}; ADC ${chip.adc.gradient.bits} b / ${chip.adc.gradient.mux} rows`,
      source: "config chip.wgUnit, chip.adc.gradient",
    },
  ];
  const update: Input[] = [
    {
      name: "programming",
      value: `${p.maxNumLevelLTP} levels (LTP) / ${p.maxNumLevelLTD} (LTD), ${p.writeVoltage.toPrecision(3)} V, ${si(p.writePulseWidth, "s")} pulses`,
      source: "device preset (levelsLtp/Ltd, writeVoltage, writePulseWidth)",
    },
  ];
  switch (component) {
    case "array":
    case "adc":
    case "accumulation":
      return [...base, ...array];
    case "buffer":
    case "interconnect":
      return [...base, ...transfer];
    case "dram":
      return [...dram];
    case "wgUnit":
      return [...base, ...wg];
    case "update":
      return [...base, ...array.slice(0, 2), ...update];
    default:
      return [...base, ...array, ...transfer, ...wg];
  }
}

function statsInputs(input: CostInput, e: Evaluated): Input[] {
  const s = e.stats[0];
  if (!s) return [];
  if (input.measured) {
    return [
      {
        name: "trace statistics",
        value: e.stats
          .map((x, i) => `layer ${i + 1}: activity ${x.activity.toFixed(3)}, update fraction ${x.updateFraction.toFixed(3)}`)
          .join("; "),
        source: `counted by the training run (${input.measured.images} images, ${input.measured.updates} updates): active lines ÷ lines read; pulses ÷ (cells × pulses per change)`,
      },
    ];
  }
  return [
    {
      name: "trace statistics",
      value: `activity ${s.activity}, error activity ${s.errorActivity}, weights ${s.weightMean} ± ${s.weightStd}, update fraction ${s.updateFraction} (moving ${s.steps
        .map((q, k) => (q > 0 ? `${k + 1}` : ""))
        .filter(Boolean)
        .join("/")} weight LSBs)`,
      source: "config assume.* (assumed: no training run supplied counts)",
    },
  ];
}

function layerCounts(l: LayerReport): string {
  const q = l.quantities;
  return `${q.positions} positions × copies ${q.copies}, ${q.tiles} tile(s); buffer→tiles ${si(q.bitsToTiles, "b")}, tiles→buffer ${si(q.bitsFromTiles, "b")} per image; DRAM map ${si(q.dramMapBits, "b")}, gradient ${si(q.dramGradientBits, "b")}`;
}

function format(title: string, value: string, formula: string, terms: string[], inputs: Input[]): string {
  const lines = [`${title} = ${value}`, "", `formula: ${formula}`];
  if (terms.length > 0) lines.push("", "terms:", ...terms.map((t) => `  ${t}`));
  if (inputs.length > 0) lines.push("", "inputs:", ...inputs.map((i) => `  ${i.name}: ${i.value}  [${i.source}]`));
  return lines.join("\n");
}

/** The value at `path` ("a.b.0.c") in a JSON document, or undefined. */
function at(doc: unknown, path: string[]): unknown {
  let node = doc;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Paths of every number in a JSON document (for the error message's suggestions). */
function numberPaths(doc: unknown, prefix = ""): string[] {
  if (typeof doc === "number") return [prefix];
  if (doc === null || typeof doc !== "object") return [];
  return Object.entries(doc as Record<string, unknown>).flatMap(([k, v]) => numberPaths(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * The explanation of the number at `path` in `cimlearn cost --json`'s document (`doc`; by default the
 * report `estimateCost(input)` gives, without the config). Accepts
 * `phases.P.latency.C` / `phases.P.energy.C` for `phases.P.components.C.latency_s` / `energy_j`.
 */
export function explainCost(input: CostInput, path: string, doc: Record<string, unknown> = { ...estimateCost(input) }): string {
  const alias = /^phases\.(\w+)\.(latency|energy)\.(\w+)$/.exec(path);
  const normalized = alias ? `phases.${alias[1]}.components.${alias[3]}.${alias[2] === "latency" ? "latency_s" : "energy_j"}` : path;
  const keys = normalized.split(".");
  const value = at(doc, keys);
  if (typeof value !== "number") {
    const all = numberPaths(doc).filter((p) => !p.startsWith("config."));
    // Suggest the numbers under the longest prefix of the path that exists.
    let near = all;
    for (let n = keys.length - 1; n > 0; n--) {
      const prefix = `${keys.slice(0, n).join(".")}.`;
      const under = all.filter((p) => p.startsWith(prefix));
      if (under.length > 0) {
        near = under;
        break;
      }
    }
    throw new InputError(
      `--explain: "${path}" is not a number of the cost report; numbers there include ${near.slice(0, 10).join(", ")}${near.length > 10 ? ", …" : ""} (${all.length} in all, plus config.*)`,
    );
  }
  const e = evaluate(input);
  const chip = input.settings.chip;
  const report = e.report;
  const images = e.images;
  const iterations = input.settings.iterations;
  const stats = statsInputs(input, e);
  const epoch: Input = {
    name: "epoch",
    value: `${input.settings.batch} images × ${iterations} updates = ${images} images`,
    source: "config batch, iterations",
  };

  const component = /^phases\.(\w+)\.components\.(\w+)\.(latency_s|energy_j)$/.exec(normalized);
  if (component) {
    const phase = component[1] as Phase;
    const comp = component[2] as Component;
    const latency = component[3] === "latency_s";
    const times = phase === "update" ? iterations : images;
    const terms = e.layers.map((c, i) => {
      // The layer's seconds on one batch's critical path, × the batches.
      const onPath = (e.timeline.path[i] as (typeof e.timeline.path)[number])[phase][comp] * iterations;
      const own = c[phase].latency[comp] * times;
      const v = latency ? onPath : c[phase].energy[comp];
      const perImage = latency
        ? `${si(c[phase].latency[comp], "s")} per ${phase === "update" ? "update" : "image"} × ${times}${Math.abs(onPath - own) > 1e-12 * Math.max(own, 1e-30) ? ` of which ${si(onPath, "s")} on the critical path` : ""}`
        : "";
      return `layer ${i + 1} (${report.layers[i]?.name}): ${si(v, latency ? "s" : "J")}${perImage ? ` = ${perImage}` : ""} — ${layerCounts(e.chip.layers[i] as LayerReport)}`;
    });
    const what = latency
      ? `Σ over layers of the layer's ${comp} time on the ${report.schedule} schedule's critical path`
      : `Σ over layers of the layer's ${comp} energy per epoch`;
    return format(`${normalized} (${PHASE_NAMES[phase]}, ${comp})`, si(value, latency ? "s" : "J"), `${what}; ${FORMULAS[comp]}`, terms, [
      ...chipInputs(chip, e, comp),
      epoch,
      ...stats,
    ]);
  }

  const phaseTotal = /^phases\.(\w+)\.(latency_s|energy_j|overlapped_s)$/.exec(normalized);
  if (phaseTotal) {
    const phase = phaseTotal[1] as Phase;
    const field = phaseTotal[2] as "latency_s" | "energy_j" | "overlapped_s";
    if (field === "overlapped_s") {
      return format(
        normalized,
        si(value, "s"),
        `Σ over layers of the phase's time − the time on the ${report.schedule} schedule's critical path (work done while other work runs)`,
        [`on the path: ${si(report.phases[phase].latency_s, "s")}`],
        [{ name: "schedule", value: report.schedule, source: "config schedule" }],
      );
    }
    const unit = field === "latency_s" ? "s" : "J";
    const terms = COMPONENTS.map((k) => `${k}: ${si(report.phases[phase].components[k][field], unit)}`);
    return format(
      normalized,
      si(value, unit),
      `Σ of the phase's components (explain each with phases.${phase}.components.<component>.${field})`,
      terms,
      [],
    );
  }

  const area = /^area\.(total_m2|breakdown\.(\w+))$/.exec(normalized);
  if (area) {
    const fp = e.chip.floorplan;
    const a = e.chip.area;
    const terms = [
      `tiles: ${fp.desiredNumTileCM} conventional of ${si(e.chip.tileArea.conventional, "m²")}${fp.desiredNumTileNM ? `, ${fp.desiredNumTileNM} novel of ${si(e.chip.tileArea.novel, "m²")}` : ""}`,
      `breakdown: arrays ${si(a.array, "m²")}, ADC ${si(a.adc, "m²")}, accumulation ${si(a.accumulation, "m²")}, other ${si(a.other, "m²")}, interconnect ${si(a.interconnect, "m²")}, weight-gradient unit ${si(a.weightGradient, "m²")}, feedback arrays ${si(report.area.breakdown.feedbackArrays, "m²")}, Tiki-Taka fast arrays ${si(report.area.breakdown.optimizerArrays, "m²")}`,
    ];
    return format(
      normalized,
      si(value, "m²"),
      "tiles × tile area (PEs of sub-arrays with their ADCs, shift-adders, switch matrices, decoders and buffers; the tile's buffers, adder tree and H-tree) + global buffer cores + global H-tree + pooling, activation and accumulation units + weight-gradient unit and gradient accumulator (+ feedback arrays) — NeuroSim Chip.cpp ChipCalculateArea, Tile.cpp, ProcessingUnit.cpp, SubArray.cpp",
      terms,
      chipInputs(chip, e, "area"),
    );
  }

  const top: Record<string, () => string> = {
    "total.latency_s": () =>
      format(
        normalized,
        si(value, "s"),
        "Σ of the four phases' latencies",
        PHASES.map((p) => `${p}: ${si(report.phases[p].latency_s, "s")}`),
        [],
      ),
    "total.energy_j": () =>
      format(
        normalized,
        si(value, "J"),
        "Σ of the four phases' energies + leakage",
        [...PHASES.map((p) => `${p}: ${si(report.phases[p].energy_j, "J")}`), `leakage: ${si(report.leakage_j, "J")}`],
        [],
      ),
    leakage_j: () =>
      format(
        normalized,
        si(value, "J"),
        "Σ over layers of (other layers' tiles × a tile's leakage power × the layer's forward + error time), scaled to the schedule's forward + error time — NeuroSim main.cpp",
        e.chip.layers.map((l, i) => `layer ${i + 1}: tile leakage ${si(l.tileLeakage, "W")}, ${si(l.leakageEnergy, "J")} (sequential)`),
        [],
      ),
    operations: () =>
      format(
        normalized,
        value.toExponential(4),
        "2 × multiply-accumulates per image of the forward, error and weight-gradient work (NeuroSim counts each layer on its input map H·W), × images per epoch — NeuroSim main.cpp numComputation",
        [],
        [epoch],
      ),
    tops: () => format(normalized, value.toPrecision(4), "operations ÷ total latency ÷ 10¹²", [], []),
    tops_per_w: () => format(normalized, value.toPrecision(4), "operations ÷ total energy ÷ 10¹²", [], []),
    chip_utilization: () =>
      format(normalized, value.toPrecision(6), "Σ over layers of tiles × utilization ÷ tiles (NeuroSim's memory utilization)", [], []),
  };
  const direct = top[normalized];
  if (direct) return direct();

  const layer = /^layers\.(\d+)\.phases\.(\w+)\.(latency_s|energy_j)$/.exec(normalized);
  if (layer) {
    const i = Number(layer[1]);
    const phase = layer[2] as Phase;
    const lat = layer[3] === "latency_s";
    const c = e.layers[i];
    const times = phase === "update" ? iterations : images;
    const terms = c ? COMPONENTS.map((k) => `${k}: ${si(lat ? c[phase].latency[k] * times : c[phase].energy[k], lat ? "s" : "J")}`) : [];
    return format(
      normalized,
      si(value, lat ? "s" : "J"),
      `the layer's own ${phase} ${lat ? "time" : "energy"} per epoch (not schedule-weighted): Σ of its components`,
      [...terms, layerCounts(e.chip.layers[i] as LayerReport)],
      [epoch, ...stats],
    );
  }

  const floor = /^floorplan\.(\d+)\.(\w+)$/.exec(normalized);
  if (floor) {
    return format(
      normalized,
      String(value),
      "NeuroSim's floorplan search (Chip.cpp ChipFloorPlan): tile size from the widest layer halved while memory utilization improves; PE size likewise; copies of a layer fill the PEs and sub-arrays its matrix leaves free",
      [],
      [
        { name: "sub-array", value: `${chip.subArray.rows} × ${chip.subArray.cols}`, source: "config chip.subArray" },
        { name: "mapping", value: chip.mapping, source: "config chip.mapping" },
      ],
    );
  }

  const speedup = doc.speedup as CostReport["speedup"];
  const backwardOf = (r: CostReport) => r.phases.error.latency_s + r.phases.gradient.latency_s + r.phases.update.latency_s;
  const speed = /^speedup\.(?:(same_timeline)\.)?(total|backward)$/.exec(normalized);
  if (speed && speedup) {
    const o = report.timeline.options;
    const same = speed[1] === "same_timeline";
    // As estimateCost: BP from the same counts, sequential, or on the same timeline.
    const bp = evaluate({
      ...input,
      algo: BASELINE,
      schedule: same ? "pipelined" : "sequential",
      scheduleOptions: same ? { pipelineImages: o.pipelineImages, updates: o.updates } : {},
    }).report;
    const part = (r: CostReport) => (speed[2] === "total" ? r.total.latency_s : backwardOf(r));
    const what = speed[2] === "total" ? "epoch" : "error + gradient + update";
    const bpSchedule = same
      ? `BP's dependencies on the same overlapping hardware (images pipelined: ${o.pipelineImages}, updates ${o.updates})`
      : "sequential schedule, as DNN+NeuroSim";
    return format(
      normalized,
      value.toPrecision(4),
      `BP's ${what} latency on the same chip (${bpSchedule}) ÷ this rule's on its ${report.schedule} schedule`,
      [`bp: ${si(part(bp), "s")}`, `${report.algo}: ${si(part(report), "s")}`],
      [
        { name: "schedule", value: report.schedule, source: "config schedule, scheduleOptions" },
        {
          name: "counts",
          value: input.measured ? "the run's counted events" : "the assumptions",
          source: input.measured ? "training run" : "config assume.*",
        },
      ],
    );
  }
  const amdahl = /^speedup\.amdahl\.(parallel_fraction|layers|bound)$/.exec(normalized);
  if (amdahl && speedup) {
    const a = speedup.amdahl;
    const bp = evaluate({ ...input, algo: BASELINE, schedule: "sequential", scheduleOptions: {} }).report;
    const spread = report.timeline.options.updates === "overlapped" ? "error + gradient + update" : "error + gradient";
    const formula = {
      parallel_fraction: `p = BP's sequential ${spread} latency ÷ its epoch latency: the work a rule could spread over its layers`,
      layers: "N = the layers with gradient or update work (the ones the rule trains)",
      bound: "Amdahl's law: 1 / ((1 − p) + p / N), the speed-up p allows with equal shares per layer and nothing shared",
    }[amdahl[1] as "parallel_fraction" | "layers" | "bound"];
    return format(
      normalized,
      value.toPrecision(4),
      formula,
      [
        `BP ${spread}: ${si(bp.phases.error.latency_s + bp.phases.gradient.latency_s + (spread.endsWith("update") ? bp.phases.update.latency_s : 0), "s")}`,
        `BP epoch: ${si(bp.total.latency_s, "s")}`,
        `p = ${a.parallel_fraction.toFixed(4)}, N = ${a.layers}`,
      ],
      [
        {
          name: "updates",
          value: report.timeline.options.updates,
          source: "the schedule's options (config schedule, scheduleOptions.updates)",
        },
      ],
    );
  }
  if (normalized === "timeline.batch_s") {
    const t = report.timeline;
    const images = t.segments.filter((g) => g.image >= 0);
    const updates = t.segments.filter((g) => g.image < 0);
    const imageEnd = images.reduce((m, g) => Math.max(m, g.end_s), 0);
    const updateSpan = updates.length ? updates.reduce((m, g) => Math.max(m, g.end_s), 0) - imageEnd : 0;
    return format(
      normalized,
      si(value as number, "s"),
      t.options.pipelineImages
        ? "the critical path of the batch's images laid out on the hardware (up to 256, then the steady state extended) and its updates; × iterations = the epoch"
        : "one image's critical path on the hardware × the batch, then the updates' critical path; × iterations = the epoch",
      t.options.pipelineImages
        ? [`epoch: ${si(t.batch_s * input.settings.iterations, "s")} = ${si(t.batch_s, "s")} × ${input.settings.iterations}`]
        : [
            `one image: ${si(imageEnd, "s")} × ${input.settings.batch} images`,
            `updates: ${si(updateSpan, "s")}`,
            `epoch: ${si(t.batch_s * input.settings.iterations, "s")} = ${si(t.batch_s, "s")} × ${input.settings.iterations}`,
          ],
      [
        { name: "options", value: JSON.stringify(t.options), source: "config schedule, scheduleOptions" },
        {
          name: "hardware",
          value: JSON.stringify(t.hardware),
          source: "config chip.wgUnit.sharing, chip.wgUnit.accumulation, chip.buffers.backward",
        },
      ],
    );
  }
  if (keys[0] === "timeline") {
    const description =
      keys[1] === "segments"
        ? "one piece of work of the drawn window: a layer's phase for one image (−1: the batch's update), the hardware it occupies, and when it starts and ends within the batch"
        : keys[1] === "options"
          ? "what the schedule lets overlap: the named schedule's options with the config's scheduleOptions"
          : keys[1] === "hardware"
            ? "the chip's hardware assumptions: chip.wgUnit.sharing, chip.wgUnit.accumulation, chip.buffers.backward"
            : "the timeline's window: images drawn (one when images do not overlap)";
    return format(normalized, String(value), description, [], []);
  }
  const feedback = /^feedback\.(\d+)\.(\w+)$/.exec(normalized);
  if (feedback) {
    return format(
      normalized,
      String(value),
      "the rule's feedback matrix: FA mirrors W_l on the layer's tiles; DFA/DRTP store B_l (classes × the layer's error signals) on their own sub-arrays, column blocks stacked in a sub-array's rows when it has few rows",
      [],
      [
        { name: "sub-array", value: `${chip.subArray.rows} × ${chip.subArray.cols}`, source: "config chip.subArray" },
        { name: "rule", value: report.algo, source: "config algo, feedback.conv" },
      ],
    );
  }
  if (keys[0] === "adc") {
    return format(
      normalized,
      String(value),
      "the resolved ADC of the phase: chip.adc, with chip.adc.error / chip.adc.gradient where they set their own fields",
      [],
      [],
    );
  }
  if (keys[0] === "counts") {
    return format(
      normalized,
      String(value),
      "the trace statistic assumed for shape-only estimates",
      [],
      [{ name: keys[keys.length - 1] as string, value: String(value), source: `config assume.${keys[keys.length - 1]} or its default` }],
    );
  }
  if (keys[0] === "config") {
    return format(normalized, JSON.stringify(value), "a run-config field: the config file, a flag or --set, or the default", [], []);
  }
  return format(normalized, String(value), "read directly from the evaluation (see the field's description in docs/cost-model.md)", [], []);
}
