import { InputError } from "../engine/errors.js";
import * as z from "../engine/schema.js";
import type { DeviceParams } from "./params.js";
import { DEVICE_PRESET_IDS, findDevicePreset } from "./presets.js";

const nonNegative = z.number().check(z.nonnegative());
const positive = z.number().check(z.positive());
const fraction = z.number().check(z.minimum(0), z.maximum(1));
const nlLabel = z.number().check(z.minimum(-9), z.maximum(9));
const pulses = z.number().check(z.int(), z.minimum(1), z.maximum(1 << 20));
const nonZeroA = z.number().check(z.refine((a) => a !== 0, "must not be 0 (use a large |A| for a linear device)"));

/** Overridable device fields: every DeviceParams field, each optional, with its allowed range. */
export const deviceOverridesSchema = z.partial(
  z.strictObject({
    cell: z.enum(["rram", "fefet", "pcm", "ecram", "ideal"]),
    gMax: positive,
    gMin: positive,
    levelsLtp: pulses,
    levelsLtd: pulses,
    nlLtp: nlLabel,
    nlLtd: nlLabel,
    aLtp: nonZeroA,
    aLtd: nonZeroA,
    d2dNl: nonNegative,
    d2dGMax: nonNegative,
    d2dGMin: nonNegative,
    c2c: nonNegative,
    c2cMode: z.enum(["per-update", "sqrt-pulses"]),
    readNoise: nonNegative,
    stuckAtGMin: fraction,
    stuckAtGMax: fraction,
    driftNu: nonNegative,
    driftT0: positive,
    writeVoltageLtp: nonNegative,
    writeVoltageLtd: nonNegative,
    writePulseWidthLtp: positive,
    writePulseWidthLtd: positive,
    readVoltage: nonNegative,
    readPulseWidth: positive,
    endurance: positive,
  }),
);

/**
 * The `device` field of a run config: a preset id, or an object naming a
 * preset and overriding any of its parameters, e.g.
 * `{"preset": "fefet-v21", "c2c": 0.01, "nlLtd": -1.46}`.
 */
export const deviceConfigSchema = z.union([
  z.enum(DEVICE_PRESET_IDS as [string, ...string[]]),
  z.extend(deviceOverridesSchema, { preset: z.enum(DEVICE_PRESET_IDS as [string, ...string[]]) }),
]);

export type DeviceConfig = z.infer<typeof deviceConfigSchema>;

/**
 * The full parameter set a (schema-validated) device config stands for, with
 * the checks that involve more than one field. `path` names the field in
 * error messages.
 */
export function resolveDevice(config: DeviceConfig, path = "device"): DeviceParams & { preset: string } {
  const id = typeof config === "string" ? config : config.preset;
  const preset = findDevicePreset(id);
  if (!preset) throw new InputError(`${path}: unknown preset "${id}"; valid: ${DEVICE_PRESET_IDS.join(", ")}`);
  const overrides = typeof config === "string" ? {} : config;
  const params = { ...preset.params, ...overrides, preset: id };
  if (!(params.gMin < params.gMax)) {
    throw new InputError(`${path}: gMin ${params.gMin} S must be below gMax ${params.gMax} S (preset ${id} with overrides)`);
  }
  if (params.stuckAtGMin + params.stuckAtGMax > 1) {
    throw new InputError(`${path}: stuckAtGMin + stuckAtGMax = ${params.stuckAtGMin + params.stuckAtGMax} exceeds 1`);
  }
  return params;
}

/** Field names as a header shows them ("levels 16" for equal LTP/LTD levels). */
const SHORT: Partial<Record<keyof DeviceParams, string>> = { levelsLtp: "levels LTP", levelsLtd: "levels LTD" };

/**
 * A device as headers name it: the preset id, and every parameter that differs from the preset
 * ("fefet-v21 + nlLtp=3, levels 16"), so a modified preset is never shown as the preset.
 */
export function deviceLabel(device: DeviceParams & { preset: string }): string {
  const preset = findDevicePreset(device.preset);
  if (!preset) return device.preset;
  const base = preset.params as DeviceParams;
  const changed = (Object.keys(device) as (keyof DeviceParams | "preset")[]).filter(
    (k) => k !== "preset" && device[k] !== undefined && device[k] !== base[k],
  ) as (keyof DeviceParams)[];
  const parts: string[] = [];
  // Equal LTP and LTD levels, both changed, read as one "levels N"; unequal ones each by name.
  const sameLevels = changed.includes("levelsLtp") && changed.includes("levelsLtd") && device.levelsLtp === device.levelsLtd;
  if (sameLevels) parts.push(`levels ${device.levelsLtp}`);
  for (const k of changed) {
    if (sameLevels && (k === "levelsLtp" || k === "levelsLtd")) continue;
    parts.push(`${SHORT[k] ? `${SHORT[k]} ` : `${k}=`}${device[k]}`);
  }
  return parts.length ? `${device.preset} + ${parts.join(", ")}` : device.preset;
}
