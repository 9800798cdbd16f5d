import { deviceCurve } from "../../device/curve.js";
import { DEVICE_PRESET_IDS, DEVICE_PRESETS, findDevicePreset } from "../../device/presets.js";
import { InputError } from "../../engine/errors.js";
import { loadEngine } from "../../engine/load-node.js";
import { si } from "../../units.js";
import { positiveInteger } from "../args.js";
import { type Command, helpFlag } from "../command.js";
import { formatTable } from "../format.js";

export const devicesCommand: Command = {
  name: "devices",
  summary: "list the device presets with their key parameters and sources",
  usage: "cimlearn devices [--json]",
  flags: { json: { type: "boolean", help: "print the presets as one JSON document" }, ...helpFlag },
  async run(values) {
    if (values.json) {
      process.stdout.write(`${JSON.stringify(DEVICE_PRESETS, null, 2)}\n`);
      return;
    }
    const rows = DEVICE_PRESETS.map((p) => {
      const d = p.params;
      return [
        p.id,
        d.cell,
        si(1 / d.gMax, "Ω"),
        (d.gMax / d.gMin).toPrecision(3),
        `${d.levelsLtp}/${d.levelsLtd}`,
        `${d.nlLtp}/${d.nlLtd}`,
        `${+(d.c2c * 100).toPrecision(3)} % ${d.c2cMode === "sqrt-pulses" ? "×√p" : "/update"}`,
        `${si(d.writeVoltageLtp, "V")} ${si(d.writePulseWidthLtp, "s")}`,
        p.name,
      ];
    });
    process.stdout.write(`${formatTable(["id", "cell", "Ron", "on/off", "levels", "NL LTP/LTD", "C2C σ", "write", "device"], rows)}\n`);
    process.stdout.write(`\nSources:\n${DEVICE_PRESETS.map((p) => `  ${p.id}: ${p.source}`).join("\n")}\n`);
  },
};

export const deviceCommand: Command = {
  name: "device",
  summary: "conductance after each of N LTP pulses, then N LTD pulses (no variation)",
  usage: "cimlearn device PRESET [--pulses N] [--json]",
  maxPositionals: 1,
  flags: {
    pulses: { type: "string", value: "N", help: "pulses in each direction (default: the preset's LTP levels)" },
    json: { type: "boolean", help: 'print {"preset", "params", "ltp", "ltd"} (siemens) as one JSON document' },
    ...helpFlag,
  },
  async run(values, positionals) {
    const id = positionals[0];
    if (id === undefined) throw new InputError(`\`cimlearn device\` needs a preset; valid: ${DEVICE_PRESET_IDS.join(", ")}`);
    const preset = findDevicePreset(id);
    if (!preset) throw new InputError(`unknown device preset "${id}"; valid: ${DEVICE_PRESET_IDS.join(", ")}`);
    const pulses = typeof values.pulses === "string" ? positiveInteger("pulses", values.pulses, 1_000_000) : preset.params.levelsLtp;
    const { ltp, ltd } = deviceCurve(await loadEngine(), preset.params, pulses);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ preset: id, params: preset.params, ltp, ltd })}\n`);
      return;
    }
    const [factor, unit] = preset.params.gMax >= 1e-6 ? [1e6, "µS"] : [1e9, "nS"];
    const rows = ltp.map((g, i) => [String(i), (g * factor).toFixed(4), ((ltd[i] as number) * factor).toFixed(4)]);
    process.stdout.write(`${preset.name} (${id})\n\n${formatTable(["pulse", `G after LTP (${unit})`, `G after LTD (${unit})`], rows)}\n`);
  },
};
