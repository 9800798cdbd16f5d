// The run config: one JSON object whose top-level keys are the CLI flags'
// names. Validated once, here, at the edge; nothing below re-checks it.

import { z } from "zod";
import { chipConfigSchema, type ResolvedChipConfig, resolveChipConfig } from "../chip/config.js";
import { DATASET_INFO, DATASET_NAMES, type DatasetName } from "../data/dataset.js";
import { deviceConfigSchema, resolveDevice } from "../device/config.js";
import type { DeviceParams } from "../device/params.js";
import { InputError } from "../engine/errors.js";
import { ALGORITHMS, type Algorithm } from "../learning/rules.js";
import { type ModelSpec, parseModelSpec } from "../nn/spec.js";

const bits = z.number().int().min(0).max(16);
const positiveInt = (max: number) => z.number().int().min(1).max(max);

export const runConfigSchema = z
  .object({
    /** Model spec: `mlp:784-256-10`, `vgg8`, `cnn-small`. Default: an MLP sized for the dataset. */
    model: z.string(),
    algo: z.enum(ALGORITHMS),
    dataset: z.enum(DATASET_NAMES),
    /** Where dataset files are (see src/data/README.md); default: CIMLEARN_DATA, the cache, system locations. */
    dataDir: z.string(),
    device: deviceConfigSchema,
    /** How signed weights map onto conductances. */
    mapping: z.enum(["reference", "differential"]),
    chip: chipConfigSchema,
    /**
     * Which parts of the read periphery the simulation applies. DNN+NeuroSim V2.1 trains with ideal
     * reads (its ADC model exists only for inference, reference §3.7), so `ideal` is the default;
     * `chip` / `bit-serial` apply chip.adc bits and chip.activationBits / errorBits to every read.
     */
    periphery: z
      .object({
        dac: z.enum(["ideal", "bit-serial"]),
        adc: z.enum(["ideal", "chip"]),
        adcRange: z.enum(["min-max", "fixed"]),
      })
      .partial()
      .strict(),
    /** WAGE quantizers of the training algorithm (0: float): activations, errors, weight updates. */
    quant: z.object({ activation: bits, error: bits, gradient: bits }).partial().strict(),
    epochs: positiveInt(100_000),
    batch: positiveInt(65_536),
    lr: z.number().finite().positive(),
    momentum: z.number().finite().min(0).max(0.999),
    dampening: z.number().finite().min(0).max(1),
    /** Fractional pulse counts → integers: nearest, or stochastic (unbiased). */
    rounding: z.enum(["nearest", "stochastic"]),
    /**
     * How updates reach the weights: `device` programs −lr·v through the devices' pulse physics;
     * `neurosim-v21` is DNN+NeuroSim V2.1's path (§3.4 QG: normalized gradient × lr as grad_scale,
     * pulse count, device curve, stochastic rounding to quant.gradient bits (default 5), C2C on changed weights).
     */
    update: z.enum(["device", "neurosim-v21"]),
    activation: z.enum(["relu", "sigmoid", "tanh"]),
    loss: z.enum(["cross-entropy", "squared-error"]),
    bias: z.boolean(),
    feedback: z
      .object({ storage: z.enum(["digital", "crossbar"]), scale: z.number().finite().positive() })
      .partial()
      .strict(),
    weightRange: z.number().finite().positive().max(1000),
    /** Training samples used per epoch (default: all); for quick runs on a subset. */
    trainSamples: positiveInt(10_000_000),
    seed: z.number().int().min(0).max(0xffffffff),
    schedule: z.enum(["sequential", "dfa-parallel", "pipelined"]),
  })
  .partial()
  .strict();

export type RunConfig = z.infer<typeof runConfigSchema>;

/** Every field filled in. */
export interface ResolvedRunConfig {
  model: string;
  algo: Algorithm;
  dataset: DatasetName;
  dataDir?: string;
  device: DeviceParams & { preset: string };
  mapping: "reference" | "differential";
  chip: ResolvedChipConfig;
  periphery: { dac: "ideal" | "bit-serial"; adc: "ideal" | "chip"; adcRange: "min-max" | "fixed" };
  quant: { activation: number; error: number; gradient: number };
  epochs: number;
  batch: number;
  lr: number;
  momentum: number;
  dampening: number;
  rounding: "nearest" | "stochastic";
  update: "device" | "neurosim-v21";
  activation: "relu" | "sigmoid" | "tanh";
  loss: "cross-entropy" | "squared-error";
  bias: boolean;
  feedback: { storage: "digital" | "crossbar"; scale: number };
  weightRange: number;
  trainSamples?: number;
  seed: number;
  schedule: "sequential" | "dfa-parallel" | "pipelined";
}

/** Default hidden widths for each dataset's MLP. */
const DEFAULT_MODEL: Record<DatasetName, string> = {
  digits: "mlp:64-64-10",
  mnist: "mlp:784-256-10",
  "fashion-mnist": "mlp:784-256-10",
  cifar10: "mlp:3072-512-10",
};

export const RUN_DEFAULTS = {
  algo: "bp",
  dataset: "digits",
  device: "fefet-v21",
  mapping: "reference", // DNN+NeuroSim V2.1: one cell per weight, dummy column at mid conductance (§3.7, §3.9)
  periphery: { dac: "ideal", adc: "ideal", adcRange: "min-max" },
  quant: { activation: 0, error: 0, gradient: 0 },
  epochs: 10,
  batch: 100,
  lr: 0.1,
  momentum: 0.9,
  dampening: 0,
  rounding: "stochastic",
  update: "device",
  activation: "relu",
  loss: "cross-entropy",
  bias: true,
  feedback: { storage: "digital", scale: 1 }, // Nøkland 2016: uniform in ±1/√fan-in of the feedback matrix
  weightRange: 2.5,
  seed: 1,
  schedule: "sequential",
} as const;

/** A zod issue as "path: message (got value)"; a failed union (device: id or object) reports the branch that matches the value's type. */
function describeIssue(issue: z.core.$ZodIssue, input: unknown, prefix: PropertyKey[] = []): string {
  const fullPath = [...prefix, ...issue.path];
  let value: unknown = input;
  for (const key of fullPath)
    value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  if (issue.code === "invalid_union" && issue.errors.length > 1) {
    const branch = issue.errors[typeof value === "string" ? 0 : issue.errors.length - 1] ?? [];
    if (branch.length > 0) return branch.map((i) => describeIssue(i, input, fullPath)).join("; ");
  }
  const path = fullPath.map(String).join(".");
  const got = issue.code === "unrecognized_keys" ? "" : ` (got ${JSON.stringify(value)})`;
  const where =
    issue.code === "unrecognized_keys"
      ? `${path ? `${path}: ` : ""}unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`
      : `${path || "config"}: ${issue.message}`;
  return `${where}${got}`;
}

/** Validates a config object (from a file, flags, or a sweep) and fills in every default. */
export function resolveRunConfig(input: unknown): ResolvedRunConfig {
  const parsed = runConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new InputError(`invalid config: ${parsed.error.issues.map((i) => describeIssue(i, input)).join("; ")}`);
  }
  const c = parsed.data;
  const d = RUN_DEFAULTS;
  const dataset = c.dataset ?? d.dataset;
  const resolved: ResolvedRunConfig = {
    model: c.model ?? DEFAULT_MODEL[dataset],
    algo: c.algo ?? d.algo,
    dataset,
    device: resolveDevice(c.device ?? d.device),
    mapping: c.mapping ?? d.mapping,
    chip: resolveChipConfig(c.chip ?? {}),
    periphery: { ...d.periphery, ...c.periphery },
    // DNN+NeuroSim V2.1's wl_grad is 5 bits (§3.3): its update path needs a gradient grid.
    quant: { ...d.quant, ...(c.update === "neurosim-v21" ? { gradient: 5 } : {}), ...c.quant },
    epochs: c.epochs ?? d.epochs,
    batch: c.batch ?? d.batch,
    lr: c.lr ?? d.lr,
    momentum: c.momentum ?? d.momentum,
    dampening: c.dampening ?? d.dampening,
    rounding: c.rounding ?? d.rounding,
    update: c.update ?? d.update,
    // DRTP's signal never shrinks as the output improves, so it needs saturating units (Frenkel et al. 2021 use tanh).
    activation: c.activation ?? (c.algo === "drtp" ? "tanh" : d.activation),
    loss: c.loss ?? d.loss,
    bias: c.bias ?? d.bias,
    feedback: { ...d.feedback, ...c.feedback },
    weightRange: c.weightRange ?? d.weightRange,
    seed: c.seed ?? d.seed,
    schedule: c.schedule ?? d.schedule,
  };
  if (c.dataDir !== undefined) resolved.dataDir = c.dataDir;
  if (c.trainSamples !== undefined) resolved.trainSamples = c.trainSamples;
  if (resolved.update === "neurosim-v21" && resolved.quant.gradient === 0) {
    throw new InputError('quant.gradient: the "neurosim-v21" update rounds to a gradient grid and needs 1…16 bits (DNN+NeuroSim V2.1 uses 5), got 0');
  }
  checkModelFitsData(resolved);
  return resolved;
}

/** The parsed model, checked against the dataset's input size and classes. */
export function modelOf(config: ResolvedRunConfig): ModelSpec {
  return parseModelSpec(config.model);
}

function checkModelFitsData(config: ResolvedRunConfig): void {
  const spec = parseModelSpec(config.model);
  const info = DATASET_INFO[config.dataset];
  const features = info.shape[0] * info.shape[1] * info.shape[2];
  const inputs = spec.input.channels * spec.input.height * spec.input.width;
  if (inputs !== features) {
    throw new InputError(
      `model: "${config.model}" takes ${inputs} inputs, but dataset "${config.dataset}" has ${features} features per sample (${info.shape.join("×")})`,
    );
  }
  if (spec.classes !== info.classes) {
    throw new InputError(
      `model: "${config.model}" has ${spec.classes} outputs, but dataset "${config.dataset}" has ${info.classes} classes`,
    );
  }
}
