// `cimlearn cost`: area, latency and energy of training on the chip, from shapes alone.

import { formatFloorplan } from "../../chip/mapping.js";
import { explainCost } from "../../cost/explain.js";
import { formatCostReport } from "../../cost/format.js";
import { costInputOf, estimateCost } from "../../cost/index.js";
import { SCHEDULES } from "../../cost/schedule.js";
import { DATASET_NAMES } from "../../data/dataset.js";
import { deviceLabel } from "../../device/config.js";
import { DEVICE_PRESET_IDS } from "../../device/presets.js";
import { type ConfigFlags, mergeFlags, resolveRunConfig } from "../../experiment/config.js";
import { ALGORITHMS } from "../../learning/rules.js";
import { MODEL_SPEC_HELP } from "../../nn/spec.js";
import { VERSION } from "../../version.js";
import type { FlagValues } from "../args.js";
import { type Command, helpFlag } from "../command.js";
import { applySet, readConfigFile, shadowedSets } from "../config-file.js";

const STRING_FLAGS = ["model", "algo", "device", "dataset", "schedule", "batch", "iterations"] as const;

export const costCommand: Command = {
  name: "cost",
  summary: "estimate chip area and the latency and energy of training, from shapes alone",
  usage:
    "cimlearn cost [--config F] [--model SPEC] [--algo A] [--device PRESET] [--dataset D] [--batch N] [--iterations N] [--schedule S] [--set PATH=V …] [--explain PATH] [--json]",
  flags: {
    config: { type: "string", value: "F", help: "run config (JSON); the flags below override its fields" },
    model: { type: "string", value: "SPEC", help: MODEL_SPEC_HELP },
    algo: { type: "string", value: "A", help: ALGORITHMS.join(", ") },
    device: { type: "string", value: "PRESET", help: `device preset: ${DEVICE_PRESET_IDS.join(", ")}` },
    dataset: { type: "string", value: "D", help: `${DATASET_NAMES.join(", ")} (sets the epoch: its training samples)` },
    batch: { type: "string", value: "N", help: "images per weight update" },
    iterations: { type: "string", value: "N", help: "weight updates per epoch (default: training samples / batch)" },
    schedule: { type: "string", value: "S", help: SCHEDULES.join(", ") },
    set: {
      type: "string",
      multiple: true,
      value: "PATH=V",
      help: "set any config field, after the flags: --set chip.adc.bits=4 --set feedback.conv=channels",
    },
    explain: {
      type: "string",
      value: "PATH",
      help: "explain one number of the --json document (e.g. phases.gradient.latency.buffer, area.breakdown.adc): its formula, inputs and their sources",
    },
    json: { type: "boolean", help: "print one JSON document on stdout" },
    ...helpFlag,
  },
  async run(values: FlagValues) {
    const input = typeof values.config === "string" ? readConfigFile(values.config) : {};
    const flags: ConfigFlags = {};
    for (const name of STRING_FLAGS) if (typeof values[name] === "string") flags[name] = values[name] as string;
    const merged = mergeFlags(input, flags);
    for (const s of (values.set as string[] | undefined) ?? []) applySet(merged, s);
    for (const w of shadowedSets(merged, (values.set as string[] | undefined) ?? [])) process.stderr.write(`${w}\n`);
    const config = resolveRunConfig(merged);
    const costInput = costInputOf(config);
    const report = estimateCost(costInput);
    const { schedule, ...rest } = report;
    const doc = { version: VERSION, config, ...rest, schedule };
    if (typeof values.explain === "string") {
      const text = explainCost(costInput, values.explain, doc);
      if (values.json) process.stdout.write(`${JSON.stringify({ path: values.explain, explanation: text }, null, 2)}\n`);
      else process.stdout.write(`${text}\n`);
      return;
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      return;
    }
    const c = config.chip;
    const a = config.assume;
    const adc = report.adc;
    const header = [
      `cimlearn cost: ${config.model}, ${config.algo}, ${config.schedule} schedule; ${c.technology} nm ${c.roadmap.toUpperCase()}, ${c.subArray.rows}×${c.subArray.cols} arrays, device ${deviceLabel(config.device)}`,
      `ADCs (${adc.forward.type}): forward ${adc.forward.bits} b / ${adc.forward.mux} columns, error ${adc.error.bits} b / ${adc.error.mux} rows, gradient ${adc.gradient.bits} b / ${adc.gradient.mux} rows`,
      `epoch: ${config.batch} images × ${config.iterations} updates; trace statistics assumed: activity ${a.activity}, error activity ${a.errorActivity}, update fraction ${a.updateFraction} (1…${a.updateSteps} LSB), weights ${a.weightMean} ± ${a.weightStd}`,
    ].join("\n");
    process.stdout.write(
      `${formatCostReport(report, header, formatFloorplan(report.floorplan_sizes, report.floorplan, c.subArray, report.chip_utilization, report.feedback))}\n`,
    );
  },
};
