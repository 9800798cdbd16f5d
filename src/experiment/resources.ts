// What a run will need, from its resolved config alone, before anything is allocated: the
// simulation's memory (the wasm arena: arrays, their per-device state, training buffers,
// activations) and the multiply-accumulates of an epoch. A run past a limit is refused with the
// estimate and how to raise the limit, instead of allocating gigabytes and printing nothing.

import { DIGITS_TRAIN } from "../data/digits.js";
import { InputError } from "../engine/errors.js";
import { feedbackStore, feedbackWrites, readsWeightsTransposed } from "../learning/rule.js";
import { learningRule } from "../learning/rules.js";
import { IM2COL_BUDGET } from "../nn/conv.js";
import { modelOf, type ResolvedRunConfig } from "./config.js";

export interface ResourceLimits {
  /** Bytes of simulation memory (default 2 GiB; a wasm32 module cannot exceed 4 GiB). */
  memoryBytes?: number;
  /** Multiply-accumulates per epoch, forward, error and gradient (default 1e15: about a day at this machine's rate). */
  macsPerEpoch?: number;
}

export const DEFAULT_LIMITS = { memoryBytes: 2 * 2 ** 30, macsPerEpoch: 1e15 } as const;
/** WebAssembly's 32-bit memory ends at 4 GiB: no limit raises a run past it. */
export const WASM32_MAX_BYTES = 4 * 2 ** 30;

export interface ResourceEstimate {
  /** Simulation memory, bytes (within about ±30 %). */
  bytes: number;
  macsPerEpoch: number;
  /** The layer that needs the most memory, for the message. */
  largest: { name: string; bytes: number };
}

/** The estimate for `config` (the dataset's train split size when trainSamples is not set). */
export function estimateResources(config: ResolvedRunConfig): ResourceEstimate {
  const model = modelOf(config);
  const rule = learningRule(config.algo);
  const d = config.device;
  const batch = config.batch;
  const nonideal = config.periphery.adc === "chip" || config.periphery.dac === "bit-serial" || d.readNoise > 0;
  // One device array: conductances and write counts, per-device variation and faults.
  const perDevice = 8 + (d.d2dNl > 0 ? 8 : 0) + (d.d2dGMin > 0 || d.d2dGMax > 0 ? 8 : 0) + (d.stuckAtGMin > 0 || d.stuckAtGMax > 0 ? 1 : 0);
  const perCell = (config.mapping === "differential" ? 2 : 1) * perDevice + 4; // + the realized weights
  let unrolled = 0;
  const store = feedbackStore(rule);
  let bytes = 0;
  let macs = 0;
  let largest = { name: "", bytes: 0 };
  model.layers.forEach((l, i) => {
    const rows = l.rows + (config.bias ? 1 : 0);
    const cells = rows * l.outChannels;
    let layer = cells * perCell + cells * 16; // the array; its initial draws, gradient, momentum, change
    if (i > 0 && readsWeightsTransposed(rule) && nonideal) layer += cells * 4 * (config.mapping === "differential" ? 2 : 1);
    if (config.optimizer === "mixed-precision") layer += cells * 4;
    if (config.optimizer === "tiki-taka") layer += cells * (perCell + 4);
    const next = model.layers[i + 1];
    if (next && store === "mirror") {
      const b = (next.rows + (config.bias ? 1 : 0)) * next.outChannels;
      layer += b * (config.feedback.storage === "crossbar" ? perCell : 4) + (feedbackWrites(rule) === "none" ? 0 : b * 12);
    } else if (next && store === "direct") {
      layer += model.classes * l.neurons * (config.feedback.storage === "crossbar" ? perCell : 4);
    }
    // Activations and signals per image (pre-activation, output, δ, signal; pooled copies), and a
    // convolution's unrolled input, IM2COL_BUDGET at most at once, shared by the layers.
    if (l.kind === "conv") {
      layer += batch * l.positions * l.outChannels * 3 * 4;
      unrolled = Math.max(
        unrolled,
        Math.min(batch, Math.max(1, Math.floor(IM2COL_BUDGET / (l.positions * l.rows)))) * l.positions * l.rows * 4,
      );
    } else {
      layer += batch * (l.outChannels * 6 + rows * 2) * 4;
    }
    if (nonideal) layer += batch * Math.max(rows, l.outChannels) * 16;
    bytes += layer;
    if (layer > largest.bytes) largest = { name: l.name, bytes: layer };
    macs += l.macs;
  });
  const samples = config.trainSamples ?? trainCount(config);
  // + about 128 KiB whatever the model: parameter blocks, counters, loss buffers.
  return { bytes: bytes + unrolled + 131_072, macsPerEpoch: 3 * macs * samples, largest };
}

/** Training images per split: the embedded digits' train part, MNIST and Fashion-MNIST 60,000, CIFAR-10 50,000 (their published splits). */
const TRAIN_IMAGES: Record<ResolvedRunConfig["dataset"], number> = {
  digits: DIGITS_TRAIN,
  mnist: 60_000,
  "fashion-mnist": 60_000,
  cifar10: 50_000,
};

function trainCount(config: ResolvedRunConfig): number {
  return TRAIN_IMAGES[config.dataset];
}

const gib = (b: number) => (b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(1)} GiB` : `${Math.ceil(b / 2 ** 20)} MiB`);

/** Refuses a run whose estimate is past a limit, naming the estimate, its largest part and the flag that raises the limit. */
export function checkResources(config: ResolvedRunConfig, limits: ResourceLimits = {}): ResourceEstimate {
  const e = estimateResources(config);
  const memory = Math.min(limits.memoryBytes ?? DEFAULT_LIMITS.memoryBytes, WASM32_MAX_BYTES);
  if (e.bytes > memory) {
    const raise =
      memory < WASM32_MAX_BYTES && e.bytes <= WASM32_MAX_BYTES
        ? `raise the limit with --max-memory ${gib(Math.ceil(e.bytes / 2 ** 28) * 2 ** 28).replace(" ", "")} if the machine has it`
        : "WebAssembly's 32-bit memory ends at 4 GiB: make the model or the batch smaller";
    throw new InputError(
      `${config.model} with batch ${config.batch} needs about ${gib(e.bytes)} of simulation memory (${e.largest.name}: ${gib(e.largest.bytes)}), more than the ${gib(memory)} limit; ${raise}`,
    );
  }
  const ops = limits.macsPerEpoch ?? DEFAULT_LIMITS.macsPerEpoch;
  if (e.macsPerEpoch > ops) {
    throw new InputError(
      `${config.model} takes about ${e.macsPerEpoch.toExponential(1)} multiply-accumulates per epoch, more than the limit of ${ops.toExponential(1)} (about a day here); use fewer samples (trainSamples) or a smaller model, or raise the limit with --max-ops N`,
    );
  }
  return e;
}
