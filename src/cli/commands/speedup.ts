// `cimlearn speedup`: DFA's training-time speed-up over BP versus depth, for each hardware
// assumption (src/cost/speedup-study.ts), from the cost model alone.

import { HARDWARE_ASSUMPTIONS, speedupStudy } from "../../cost/speedup-study.js";
import { DATASET_INFO } from "../../data/dataset.js";
import { deviceLabel } from "../../device/config.js";
import { InputError } from "../../engine/errors.js";
import { type ConfigFlags, mergeFlags, resolveRunConfig } from "../../experiment/config.js";
import { type Algorithm, DIRECT_RULES, isDirectRule } from "../../learning/rules.js";
import { VERSION } from "../../version.js";
import type { FlagValues } from "../args.js";
import { positiveInteger } from "../args.js";
import { type Command, helpFlag } from "../command.js";
import { applySet, readConfigFile } from "../config-file.js";
import { formatTable } from "../format.js";

/** "2-12" or "2,3,5": weight-layer counts, each 1 … 64. */
export function parseDepths(text: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(text.trim());
  const values = range
    ? Array.from({ length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) }, (_, i) => Number(range[1]) + i)
    : text.split(",").map((v) => Number(v.trim()));
  if (values.length === 0 || values.some((n) => !Number.isInteger(n) || n < 2 || n > 64)) {
    throw new InputError(`--depths: "${text}" must be a range "A-B" or a list "A,B,…" of weight-layer counts from 2 to 64`);
  }
  return values;
}

export const speedupCommand: Command = {
  name: "speedup",
  summary: "DFA's training-time speed-up over BP vs depth N, for each hardware assumption (cost model only)",
  usage: "cimlearn speedup [--config F] [--dataset D] [--algo dfa|drtp] [--width W] [--depths 2-12] [--set PATH=V …] [--json]",
  flags: {
    config: { type: "string", value: "F", help: "run config (JSON) for the chip, device, batch and epoch; the flags below override it" },
    dataset: { type: "string", value: "D", help: "the input case's features and classes (default fashion-mnist)" },
    algo: { type: "string", value: "A", help: "dfa (default) or drtp" },
    width: { type: "string", value: "W", help: "hidden width of every layer (default 128)" },
    depths: { type: "string", value: "N", help: "weight layers: a range A-B or a list (default 2-12)" },
    set: { type: "string", multiple: true, value: "PATH=V", help: "set any config field (chip.*, device.*, batch …)" },
    json: { type: "boolean", help: "print one JSON document on stdout" },
    ...helpFlag,
  },
  async run(values: FlagValues) {
    const input = typeof values.config === "string" ? readConfigFile(values.config) : {};
    const flags: ConfigFlags = { dataset: typeof values.dataset === "string" ? values.dataset : "fashion-mnist" };
    const merged = mergeFlags(input, flags);
    for (const s of (values.set as string[] | undefined) ?? []) applySet(merged, s);
    const algo = typeof values.algo === "string" ? values.algo : "dfa";
    if (!isDirectRule(algo))
      throw new InputError(`--algo: "${algo}" — allowed: ${DIRECT_RULES.join(", ")} (rules whose layers learn from the output alone)`);
    const width = typeof values.width === "string" ? positiveInteger("width", values.width, 65_536) : 128;
    const depths = parseDepths(typeof values.depths === "string" ? values.depths : "2-12");
    // Resolved for the rule studied: its defaults (DRTP's tanh) are part of what is priced.
    const base = resolveRunConfig({ ...merged, algo, schedule: "dfa-parallel" });
    const info = DATASET_INFO[base.dataset];
    const inputs = info.shape.reduce((a, b) => a * b, 1);
    const shapes = [
      { name: `equal width ${width}`, shape: { kind: "equal" as const, width } },
      { name: `${inputs}-input (${base.dataset})`, shape: { kind: "input" as const, inputs, width, classes: info.classes } },
    ];
    const points = speedupStudy(base, { depths, shapes, algo: algo as Algorithm });
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({ version: VERSION, algo, width, depths, assumptions: HARDWARE_ASSUMPTIONS.map(({ id, label }) => ({ id, label })), points }, null, 2)}\n`,
      );
      return;
    }
    const lines = [
      `cimlearn speedup: ${algo} (dfa-parallel) over bp on the same chip, per epoch; ${base.chip.technology} nm, device ${deviceLabel(base.device)}, batch ${base.batch}`,
      "",
      ...HARDWARE_ASSUMPTIONS.map((a, i) => `  ${String.fromCharCode(65 + i)}: ${a.label}`),
      "",
    ];
    for (const { name } of shapes) {
      const header = ["N", ...HARDWARE_ASSUMPTIONS.map((_, i) => String.fromCharCode(65 + i)), "bound (A)", "backward (D)"];
      const rows = depths.map((n) => {
        const at = (id: string) => points.find((p) => p.shape === name && p.assumption === id && p.n === n);
        return [
          String(n),
          ...HARDWARE_ASSUMPTIONS.map((a) => {
            const p = at(a.id);
            return p ? `${p.total.toFixed(2)}×` : "—";
          }),
          `${(at("neurosim")?.bound ?? Number.NaN).toFixed(2)}×`,
          `${(at("local-buffers")?.backward ?? Number.NaN).toFixed(2)}×`,
        ];
      });
      lines.push(`${name}: whole epoch (E: over BP pipelined on the same hardware)`, formatTable(header, rows), "");
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  },
};
