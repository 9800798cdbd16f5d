// The run config: one JSON object whose top-level keys are the CLI flags'
// names. Validated once, here, at the edge; nothing below re-checks it.

import { chipConfigSchema, type ResolvedChipConfig, resolveChipConfig } from "../chip/config.js";
import { type Assumptions, DEFAULT_ASSUMPTIONS } from "../cost/neurosim-inputs.js";
import { type Schedule, scheduleOptions } from "../cost/schedule.js";
import { DATASET_INFO, DATASET_NAMES, type DatasetName } from "../data/dataset.js";
import { DIGITS_TRAIN } from "../data/digits.js";
import { type DatasetTransform, transformedShape } from "../data/transform.js";
import { deviceConfigSchema, resolveDevice } from "../device/config.js";
import type { DeviceParams } from "../device/params.js";
import { InputError } from "../engine/errors.js";
import { closest, preview } from "../engine/preview.js";
import * as z from "../engine/schema.js";
import { OPTIMIZERS, type OptimizerKind } from "../learning/optimizer.js";
import { feedbackLearns } from "../learning/rule.js";
import { ALGORITHMS, type Algorithm, BASELINE, learningRule } from "../learning/rules.js";
import { type ModelSpec, parseModelSpec } from "../nn/spec.js";

const int = (min: number, max: number) => z.number().check(z.int(), z.minimum(min), z.maximum(max));
const bits = int(0, 16);
const positiveInt = (max: number) => int(1, max);
const positive = z.number().check(z.positive());
const fraction = z.number().check(z.minimum(0), z.maximum(1));

export const runConfigSchema = z.partial(
  z.strictObject({
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
     * reads (its Python training path reads the arrays ideally; the C++ ADC model serves the inference estimate), so `ideal` is the default;
     * `chip` / `bit-serial` apply chip.adc bits and chip.activationBits / errorBits to every read.
     */
    periphery: z.partial(
      z.strictObject({
        dac: z.enum(["ideal", "bit-serial"]),
        adc: z.enum(["ideal", "chip"]),
        /** The error (transposed and feedback) reads' ADC, when it differs from `adc`: MLP+NeuroSim V3.0 quantizes the forward reads only. */
        errorAdc: z.enum(["ideal", "chip"]),
        /** Forward-read ADC bits per weight layer (0: ideal), in place of chip.adc.bits when `adc` is "chip"; the cost model still prices chip.adc. */
        layerAdcBits: z.array(int(0, 10)).check(z.minLength(1)),
        /**
         * min-max of each read (DNN+NeuroSim), fixed [0, rows·Gmax], or MLP+NeuroSim V3.0's: full scale
         * rows·(Gmax − Gmin), truncated codes, column and reference converted separately, and
         * Gmax − Gmin reconstructed as weight 1 (its hardware forward: half the weighted sum with a reference column).
         */
        adcRange: z.enum(["min-max", "fixed", "neurosim-v3"]),
      }),
    ),
    /**
     * WAGE quantizers of the training algorithm (0: float): activations, errors, weight updates. Not
     * the chip's input precision: `chip.activationBits`/`chip.errorBits` are the bits the arrays'
     * inputs arrive with (the bit-serial DAC's when periphery.dac is "bit-serial", and the input
     * cycles the cost model charges). NeuroSim runs set both alike (examples/neurosim-v2.1-vgg8.json).
     */
    quant: z.partial(z.strictObject({ activation: bits, error: bits, gradient: bits })),
    epochs: positiveInt(100_000),
    batch: positiveInt(65_536),
    /** Learning rate; a list gives each weight layer its own (MLP+NeuroSim V3.0: 0.4 and 0.2), all following lrSchedule. */
    lr: z.union([positive, z.array(positive).check(z.minLength(1))]),
    /**
     * Learning-rate schedule over epochs: constant, cosine decay to 0 over the run, or steps
     * (`{"epochs": [200, 250], "factor": 0.125}` divides by 8 after epochs 200 and 250, as DNN+NeuroSim V2.1).
     */
    lrSchedule: z.union([
      z.enum(["constant", "cosine"]),
      z.strictObject({ epochs: z.array(positiveInt(100_000)).check(z.minLength(1)), factor: z.number().check(z.positive(), z.maximum(1)) }),
    ]),
    momentum: z.number().check(z.minimum(0), z.maximum(0.999)),
    dampening: fraction,
    /** Fractional pulse counts → integers: nearest, or stochastic (unbiased). */
    rounding: z.enum(["nearest", "stochastic"]),
    /**
     * How updates reach the weights: `device` programs −lr·v through the devices' pulse physics;
     * `neurosim-v21` is DNN+NeuroSim V2.1's path (§3.4 QG: normalized gradient × lr as grad_scale,
     * pulse count, device curve, stochastic rounding to quant.gradient bits, C2C on changed weights), and
     * brings V2.1's own lr, schedule, momentum, dampening and WAGE bits unless given (NEUROSIM_V21_TRAINING).
     */
    update: z.enum(["device", "neurosim-v21"]),
    /**
     * How the desired change reaches the devices (src/learning/optimizer.ts): `sgd` as it is,
     * `mixed-precision` (a digital accumulator per weight fires whole pulses once it holds
     * `optimizerOptions.threshold` of them; Nandakumar et al. 2020), or `tiki-taka` (a fast array per
     * layer on `optimizerOptions.fastDevice`, zero-shifted to its symmetric point, `transferRows` of its
     * rows added to the weights times `transferLr` every `transferEvery` updates; Gokmen & Haensch 2020).
     */
    optimizer: z.enum(OPTIMIZERS),
    optimizerOptions: z.partial(
      z.strictObject({
        threshold: positiveInt(1 << 20),
        transferEvery: positiveInt(1 << 20),
        transferRows: positiveInt(1 << 20),
        transferLr: z.number().check(z.positive(), z.maximum(100)),
        fastDevice: deviceConfigSchema,
      }),
    ),
    activation: z.enum(["relu", "sigmoid", "tanh"]),
    loss: z.enum(["cross-entropy", "squared-error"]),
    /**
     * The output layer's activation: `linear` (logits; the loss's own link) or `sigmoid`, with the
     * squared error taken on the sigmoid outputs and its gradient through them (MLP+NeuroSim V3.0).
     */
    outputActivation: z.enum(["linear", "sigmoid"]),
    /**
     * Binarized hidden activations (fully connected models): the next array reads 1 where the
     * activation reaches this threshold (≥, as MLP+NeuroSim's round_th) and 0 elsewhere; the backward pass (f′, and the next layer's
     * weight gradient) uses the analog activation (MLP+NeuroSim V3.0: 0.5 on sigmoid units).
     */
    hiddenThreshold: z.number(),
    bias: z.boolean(),
    /**
     * Feedback matrices of the rules that have them: where they live, their init scale, (conv layers,
     * direct rules) whether B_l maps onto the layer's `full` output map or onto its `channels`, one
     * value per channel shared over every position (far smaller feedback arrays), (Kolen–Pollack)
     * the fraction W and B decay by per update, and whether B is drawn from the layer's stream
     * whatever the rule (`shared`: FA's and DFA's B coincide up to scale) or from the rule's own.
     */
    feedback: z.partial(
      z.strictObject({
        storage: z.enum(["digital", "crossbar"]),
        scale: positive,
        conv: z.enum(["full", "channels"]),
        decay: z.number().check(z.minimum(0), z.maximum(0.5)),
        draw: z.enum(["shared", "per-rule"]),
      }),
    ),
    /** Training-time augmentation of images: a random crop after 4-pixel zero padding and a random horizontal flip (seeded). */
    augment: z.boolean(),
    /**
     * Transforms of every image before training (src/data/transform.ts): a centre crop [h, w], a
     * resize [h, w], a threshold that binarizes (MLP+NeuroSim V3.0: 20×20 crops, binarized). The
     * model's input follows the transformed shape (the default model is sized for it).
     */
    transform: z.partial(
      z.strictObject({
        crop: z.tuple([positiveInt(4096), positiveInt(4096)]),
        resize: z.tuple([positiveInt(4096), positiveInt(4096)]),
        binarize: z.number().check(z.minimum(0), z.lt(1)),
      }),
    ),
    /** Training samples of an epoch: a shuffled pass over trainSamples (default), or trainSamples drawn with replacement (MLP+NeuroSim V3.0). */
    sampling: z.enum(["shuffle", "with-replacement"]),
    weightRange: z.number().check(z.positive(), z.maximum(1000)),
    /**
     * Initial weights: Glorot-uniform within weightRange, DNN+NeuroSim V2.1's WAGE init (its per-layer
     * scale, ±1.5 clipped), or MLP+NeuroSim V3.0's (`neurosim-v3`: weights in [−1, 1], uniform over the
     * 7 levels −1, −2/3, …, 1).
     */
    weightInit: z.enum(["glorot", "neurosim", "neurosim-v3"]),
    /** Training samples used per epoch (default: all); for quick runs on a subset. */
    trainSamples: positiveInt(10_000_000),
    /** Test samples evaluated after each epoch (default: all): the first N of the test split, in file order. */
    testSamples: positiveInt(10_000_000),
    /** Also evaluate the untrained network on the test samples (the result's `initial`), the baseline a first epoch is judged against. With read noise its reads shift the later noise draws. */
    evaluateInitial: z.boolean(),
    /**
     * Alignment diagnostics (src/learning/alignment.ts): after each epoch (and before the first), the
     * angle between the rule's δ and update and BP's on the first `alignmentProbe` training samples,
     * in float; 0 turns them off. Fully connected models only.
     */
    alignmentProbe: int(0, 4096),
    /**
     * Divide each hidden layer's rate by 1 + the mean square of its inputs (per batch): keeps a direct
     * rule's deep ReLU layers from feeding their own growth (README, "Deep DFA with ReLU").
     */
    normalizeHiddenRate: z.boolean(),
    seed: int(0, 0xffffffff),
    schedule: z.enum(["sequential", "dfa-parallel", "pipelined"]),
    /** Overrides of the schedule's options (src/cost/schedule.ts): images pipelined through the layers, updates one layer at a time or all at once. */
    scheduleOptions: z.partial(z.strictObject({ pipelineImages: z.boolean(), updates: z.enum(["serialized", "overlapped"]) })),
    /** Weight updates per epoch for the cost model (NeuroSim numIteration). Default: training samples / batch, rounded up. */
    iterations: positiveInt(10_000_000),
    /** The trace statistics the cost model assumes when no training run supplies counts (src/cost/neurosim-inputs.ts Assumptions). */
    assume: z.partial(
      z.strictObject({
        activity: fraction,
        errorActivity: fraction,
        updateFraction: fraction,
        updateSteps: positiveInt(1024),
        setShare: fraction,
        weightMean: z.number().check(z.minimum(-1), z.maximum(1)),
        weightStd: z.number().check(z.minimum(0), z.maximum(2)),
      }),
    ),
  }),
);

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
  periphery: {
    dac: "ideal" | "bit-serial";
    adc: "ideal" | "chip";
    errorAdc: "ideal" | "chip";
    adcRange: "min-max" | "fixed" | "neurosim-v3";
    layerAdcBits?: number[];
  };
  quant: { activation: number; error: number; gradient: number };
  epochs: number;
  batch: number;
  /** One rate, or one per weight layer. */
  lr: number | number[];
  lrSchedule: "constant" | "cosine" | { epochs: number[]; factor: number };
  momentum: number;
  dampening: number;
  rounding: "nearest" | "stochastic";
  update: "device" | "neurosim-v21";
  optimizer: OptimizerKind;
  optimizerOptions: {
    threshold: number;
    transferEvery: number;
    transferRows: number;
    transferLr: number;
    /** Tiki-Taka's fast arrays' device (default: the run's device). */
    fastDevice: DeviceParams & { preset: string };
  };
  activation: "relu" | "sigmoid" | "tanh";
  loss: "cross-entropy" | "squared-error";
  outputActivation: "linear" | "sigmoid";
  hiddenThreshold?: number;
  bias: boolean;
  feedback: { storage: "digital" | "crossbar"; scale: number; conv: "full" | "channels"; decay: number; draw: "shared" | "per-rule" };
  augment: boolean;
  /** Image transforms before training (none by default). */
  transform?: DatasetTransform;
  sampling: "shuffle" | "with-replacement";
  weightRange: number;
  weightInit: "glorot" | "neurosim" | "neurosim-v3";
  trainSamples?: number;
  testSamples?: number;
  evaluateInitial: boolean;
  alignmentProbe: number;
  normalizeHiddenRate: boolean;
  seed: number;
  schedule: "sequential" | "dfa-parallel" | "pipelined";
  /** Overrides of what the schedule lets overlap (the cost report's timeline.options has them resolved). */
  scheduleOptions: { pipelineImages?: boolean; updates?: "serialized" | "overlapped" };
  iterations: number;
  assume: Assumptions;
}

/**
 * Per-dataset defaults: an MLP sized for the inputs, and a batch and learning rate (with momentum
 * 0.9) at which every rule trains stably on it (measured with the ideal device; see the README).
 */
const DATASET_DEFAULTS: Record<DatasetName, { model: string; batch: number; lr: number }> = {
  digits: { model: "mlp:64-64-10", batch: 32, lr: 0.03 },
  mnist: { model: "mlp:784-256-10", batch: 100, lr: 0.02 },
  "fashion-mnist": { model: "mlp:784-256-10", batch: 100, lr: 0.02 },
  cifar10: { model: "mlp:3072-512-10", batch: 100, lr: 0.005 },
};

export const RUN_DEFAULTS = {
  algo: BASELINE,
  dataset: "digits",
  device: "fefet-v21",
  mapping: "reference", // DNN+NeuroSim V2.1: one cell per weight, dummy column at mid conductance (§3.7, §3.9)
  periphery: { dac: "ideal", adc: "ideal", adcRange: "min-max" },
  quant: { activation: 0, error: 0, gradient: 0 },
  epochs: 10,
  lrSchedule: "cosine",
  momentum: 0.9,
  dampening: 0,
  rounding: "stochastic",
  update: "device",
  activation: "relu",
  loss: "cross-entropy",
  bias: true,
  feedback: { storage: "digital", scale: 1, conv: "full", decay: 0.0001, draw: "shared" }, // decay: cimlearn's Kolen–Pollack default (README: 87.4 % vs 85.3 % at 0.001); scale 1: DFA/DRTP B uniform in ±1/√(the layer's units), as Nøkland's dfa-torch and Frenkel's DRTP code; FA ±1/√fan-in
  augment: false,
  weightRange: 2.5,
  weightInit: "glorot",
  seed: 1,
  schedule: "sequential",
} as const;

/**
 * DNN+NeuroSim V2.1's own training settings, the defaults of `update: "neurosim-v21"` (its train.py:
 * `--lr 1` — the QG path scales the normalized gradient by it —, `--decreasing_lr 200,250` with a
 * factor of 1/8, SGD momentum 0.9 with dampening 0.9, and WAGE wl_activate 8, wl_error 8, wl_grad 5).
 * The device path's defaults (lr 0.02–0.03) leave its updates below one gradient step: no training.
 */
export const NEUROSIM_V21_TRAINING = {
  lr: 1,
  lrSchedule: { epochs: [200, 250], factor: 0.125 },
  momentum: 0.9,
  dampening: 0.9,
  quant: { activation: 8, error: 8, gradient: 5 },
} as const;

/** The keys an object schema at `path` accepts (unwrapping optional fields and taking a union's object branch), for "did you mean". */
function keysAt(schema: z.core.$ZodType, path: PropertyKey[]): string[] {
  let s: z.core.$ZodType | undefined = schema;
  const unwrap = (t: z.core.$ZodType | undefined): z.core.$ZodType | undefined => {
    let u = t;
    for (let i = 0; u && i < 8; i++) {
      const def = u._zod.def as { type: string; innerType?: z.core.$ZodType; options?: z.core.$ZodType[] };
      if (def.type === "optional" || def.type === "nullable" || def.type === "default") u = def.innerType;
      else if (def.type === "union") u = def.options?.find((o) => (o._zod.def as { type: string }).type === "object");
      else break;
    }
    return u;
  };
  for (const key of path) s = (unwrap(s)?._zod.def as { shape?: Record<string, z.core.$ZodType> } | undefined)?.shape?.[String(key)];
  const shape = (unwrap(s)?._zod.def as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

/**
 * A zod issue as "path: message (got value)", the value bounded (preview); a failed union (device:
 * id or object) reports the branch that matches the value's type; an unknown key suggests the
 * closest one the schema has there.
 */
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
  if (issue.code === "unrecognized_keys") {
    const known = keysAt(runConfigSchema, fullPath);
    const keys = issue.keys.slice(0, 3).map((k) => {
      const near = closest(k, known);
      return `${preview(k, 40)}${near ? ` (did you mean "${near}"?)` : ""}`;
    });
    const more = issue.keys.length > 3 ? ` and ${issue.keys.length - 3} more` : "";
    return `${path ? `${path}: ` : ""}unknown key${issue.keys.length > 1 ? "s" : ""} ${keys.join(", ")}${more}`;
  }
  return `${path || "config"}: ${issue.message} (got ${preview(value)})`;
}

/** Checks a config object against the schema alone; `where` names it in the error ("config", "--config run.json"). */
export function checkRunConfig(input: unknown, where = "config"): RunConfig {
  const parsed = runConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const shown = issues.slice(0, 5).map((i) => describeIssue(i, input));
    throw new InputError(`invalid ${where}: ${shown.join("; ")}${issues.length > 5 ? `; and ${issues.length - 5} more` : ""}`);
  }
  return parsed.data;
}

/** Validates a config object (from a file, flags, or a sweep) and fills in every default. */
export function resolveRunConfig(input: unknown): ResolvedRunConfig {
  const c = checkRunConfig(input);
  const d = RUN_DEFAULTS;
  const dataset = c.dataset ?? d.dataset;
  const shape = transformedShape(DATASET_INFO[dataset].shape, c.transform);
  // The default MLP reads the (transformed) images.
  const model = c.model ?? DATASET_DEFAULTS[dataset].model.replace(/^mlp:\d+-/, `mlp:${shape[0] * shape[1] * shape[2]}-`);
  const convolutional = parseModelSpec(model).layers.some((l) => l.kind === "conv");
  const v21 = c.update === "neurosim-v21";
  const resolved: ResolvedRunConfig = {
    model,
    algo: c.algo ?? d.algo,
    dataset,
    device: resolveDevice(c.device ?? d.device),
    mapping: c.mapping ?? d.mapping,
    chip: resolveChipConfig(c.chip ?? {}),
    periphery: { ...d.periphery, errorAdc: c.periphery?.adc ?? d.periphery.adc, ...c.periphery },
    // The V2.1 update path comes with V2.1's own settings, each unless given (NEUROSIM_V21_TRAINING).
    quant: { ...d.quant, ...(v21 ? NEUROSIM_V21_TRAINING.quant : {}), ...c.quant },
    epochs: c.epochs ?? d.epochs,
    batch: c.batch ?? DATASET_DEFAULTS[dataset].batch,
    lr: c.lr ?? (v21 ? NEUROSIM_V21_TRAINING.lr : DATASET_DEFAULTS[dataset].lr),
    lrSchedule:
      c.lrSchedule ?? (v21 ? { ...NEUROSIM_V21_TRAINING.lrSchedule, epochs: [...NEUROSIM_V21_TRAINING.lrSchedule.epochs] } : d.lrSchedule),
    momentum: c.momentum ?? (v21 ? NEUROSIM_V21_TRAINING.momentum : d.momentum),
    dampening: c.dampening ?? (v21 ? NEUROSIM_V21_TRAINING.dampening : d.dampening),
    rounding: c.rounding ?? d.rounding,
    optimizer: c.optimizer ?? "sgd",
    optimizerOptions: {
      threshold: c.optimizerOptions?.threshold ?? 1,
      transferEvery: c.optimizerOptions?.transferEvery ?? 1,
      transferRows: c.optimizerOptions?.transferRows ?? 1,
      transferLr: c.optimizerOptions?.transferLr ?? 1,
      fastDevice: resolveDevice(c.optimizerOptions?.fastDevice ?? c.device ?? d.device, "optimizerOptions.fastDevice"),
    },
    update: c.update ?? d.update,
    // DRTP's signal never shrinks as the output improves, so it needs saturating units (Frenkel et al. 2021 use tanh).
    activation: c.activation ?? learningRule(c.algo ?? d.algo).activation ?? d.activation,
    loss: c.loss ?? d.loss,
    outputActivation: c.outputActivation ?? "linear",
    // Convolutional models have no bias by default, as DNN+NeuroSim's VGG-8.
    bias: c.bias ?? (convolutional ? false : d.bias),
    feedback: { ...d.feedback, ...c.feedback },
    augment: c.augment ?? d.augment,
    sampling: c.sampling ?? "shuffle",
    weightRange: c.weightRange ?? d.weightRange,
    weightInit: c.weightInit ?? d.weightInit,
    evaluateInitial: c.evaluateInitial ?? false,
    alignmentProbe: c.alignmentProbe ?? 64,
    normalizeHiddenRate: c.normalizeHiddenRate ?? false,
    seed: c.seed ?? d.seed,
    schedule: c.schedule ?? d.schedule,
    scheduleOptions: resolvedScheduleOptions(c.schedule ?? d.schedule, c.scheduleOptions),
    iterations: c.iterations ?? Math.ceil((c.trainSamples ?? TRAIN_SAMPLES[dataset]) / (c.batch ?? DATASET_DEFAULTS[dataset].batch)),
    assume: { ...DEFAULT_ASSUMPTIONS, ...c.assume },
  };
  if (c.dataDir !== undefined) resolved.dataDir = c.dataDir;
  if (c.transform !== undefined) resolved.transform = c.transform;
  if (c.trainSamples !== undefined) resolved.trainSamples = c.trainSamples;
  if (c.testSamples !== undefined) resolved.testSamples = c.testSamples;
  if (resolved.update === "neurosim-v21" && resolved.quant.gradient === 0) {
    throw new InputError(
      'quant.gradient: the "neurosim-v21" update rounds to a gradient grid and needs 1…16 bits (DNN+NeuroSim V2.1 uses 5), got 0',
    );
  }
  if (c.hiddenThreshold !== undefined) {
    if (convolutional) {
      throw new InputError(
        `hiddenThreshold: ${c.hiddenThreshold} binarizes fully connected hidden layers; model "${model}" has convolutions`,
      );
    }
    resolved.hiddenThreshold = c.hiddenThreshold;
  }
  if (resolved.outputActivation === "sigmoid" && resolved.loss !== "squared-error") {
    throw new InputError(
      `outputActivation: "sigmoid" takes the squared error on the sigmoid outputs; set loss "squared-error" (got loss "${resolved.loss}")`,
    );
  }
  if (resolved.optimizer !== "sgd" && resolved.update !== "device") {
    throw new InputError(
      `optimizer: "${resolved.optimizer}" decides the pulses of the "device" update; the "${resolved.update}" update makes its own — use update "device" or optimizer "sgd"`,
    );
  }
  if (feedbackLearns(learningRule(resolved.algo)) && resolved.update !== "device") {
    throw new InputError(
      `update: algo "${resolved.algo}" sends W's every desired change to its feedback matrix too; the "${resolved.update}" update does not form one — use update "device"`,
    );
  }
  checkModelFitsData(resolved);
  const layers = parseModelSpec(resolved.model).layers.length;
  const perLayer = resolved.periphery.layerAdcBits;
  if (perLayer && perLayer.length !== layers) {
    throw new InputError(
      `periphery.layerAdcBits: ${JSON.stringify(perLayer)} gives ${perLayer.length} values for the ${layers} weight layers of "${resolved.model}"`,
    );
  }
  if (perLayer && resolved.periphery.adc !== "chip") {
    throw new InputError('periphery.layerAdcBits: per-layer ADC bits need periphery.adc "chip" (the reads are ideal otherwise)');
  }
  if (Array.isArray(resolved.lr) && resolved.lr.length !== layers) {
    throw new InputError(
      `lr: ${JSON.stringify(resolved.lr)} gives ${resolved.lr.length} rates for the ${layers} weight layers of "${resolved.model}"; give one rate, or one per layer`,
    );
  }
  return resolved;
}

/** The config's schedule overrides, refused here if the schedule cannot honour them. */
function resolvedScheduleOptions(schedule: Schedule, overrides: RunConfig["scheduleOptions"]): ResolvedRunConfig["scheduleOptions"] {
  scheduleOptions(schedule, overrides ?? {});
  return { ...overrides };
}

/** The parsed model, checked against the dataset's input size and classes. */
export function modelOf(config: ResolvedRunConfig): ModelSpec {
  return parseModelSpec(config.model);
}

function checkModelFitsData(config: ResolvedRunConfig): void {
  const spec = parseModelSpec(config.model);
  const base = DATASET_INFO[config.dataset];
  const info = { ...base, shape: transformedShape(base.shape, config.transform) };
  const [c, h, w] = info.shape;
  if (spec.layers.some((l) => l.kind === "conv")) {
    // A convolution needs the images' shape, not just their size.
    if (spec.input.channels !== c || spec.input.height !== h || spec.input.width !== w) {
      throw new InputError(
        `model: "${config.model}" takes ${spec.input.channels}×${spec.input.height}×${spec.input.width} images, but dataset "${config.dataset}" has ${info.shape.join("×")}`,
      );
    }
  }
  const features = c * h * w;
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

/** Training-set sizes: the embedded digits split (src/data/digits.ts), MNIST and Fashion-MNIST 60,000, CIFAR-10 50,000. */
export const TRAIN_SAMPLES: Record<DatasetName, number> = { digits: DIGITS_TRAIN, mnist: 60_000, "fashion-mnist": 60_000, cifar10: 50_000 };

/** Top-level keys a command-line flag can set, with the flag's name in error messages. */
export type ConfigFlags = Partial<Record<"model" | "algo" | "device" | "dataset" | "schedule", string>> &
  Partial<Record<"batch" | "iterations" | "epochs" | "seed", string | number>>;

const INTEGER_FLAGS = { batch: 65_536, iterations: 10_000_000, epochs: 100_000, seed: 0xffffffff } as const;

/**
 * The fully resolved config of `input` (a parsed config file, or {}) with `flags` overriding its
 * top-level keys. Bad values fail with an InputError naming the field (or flag), the value and
 * what is allowed.
 */
export function resolveConfig(input: unknown, flags: ConfigFlags = {}): ResolvedRunConfig {
  return resolveRunConfig(mergeFlags(input, flags));
}

/** A config object with command-line flags laid over it (integer flags checked here, the rest by the schema). */
export function mergeFlags(input: unknown, flags: ConfigFlags = {}): Record<string, unknown> {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new InputError(`config: must be a JSON object, got ${preview(input)}`);
  }
  const merged: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    if (key in INTEGER_FLAGS) {
      const max = INTEGER_FLAGS[key as keyof typeof INTEGER_FLAGS];
      const min = key === "seed" ? 0 : 1;
      const n = typeof value === "number" ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        throw new InputError(`--${key} must be an integer from ${min} to ${max}, got ${preview(value)}`);
      }
      merged[key] = n;
    } else {
      merged[key] = value;
    }
  }
  return merged;
}
