import type { Engine } from "./engine.js";
import { InputError } from "./errors.js";
import { sizeOf, type Tensor } from "./tensor.js";

/**
 * What a random draw is for. Each purpose and layer has its own stream, so
 * adding draws for one purpose never shifts the numbers of another.
 */
export const RANDOM_PURPOSES = [
  "weights",
  "feedback",
  "shuffle",
  "device-to-device",
  "cycle-to-cycle",
  "read-noise",
  "stochastic-rounding",
  "faults",
  "augment",
  "drift",
] as const;
export type RandomPurpose = (typeof RANDOM_PURPOSES)[number];

/** Layers per purpose that get distinct streams. */
export const MAX_STREAM_LAYERS = 1 << 20;

/** The 32-bit stream id of (purpose, layer): purpose in the top 12 bits, layer in the low 20. */
export function streamId(purpose: RandomPurpose, layer = 0): number {
  const code = RANDOM_PURPOSES.indexOf(purpose);
  if (code < 0) throw new InputError(`random purpose "${purpose}" is not one of ${RANDOM_PURPOSES.join(", ")}`);
  if (!Number.isInteger(layer) || layer < 0 || layer >= MAX_STREAM_LAYERS) {
    throw new InputError(`random stream layer ${layer} must be an integer in [0, ${MAX_STREAM_LAYERS})`);
  }
  return ((code + 1) * MAX_STREAM_LAYERS + layer) >>> 0;
}

/** Where a run of random numbers comes from: element `start` onward of (seed, stream, step). */
export interface RandomKey {
  seed: number;
  stream: number;
  /** A training step, epoch or any other counter; default 0. */
  step?: number;
  /** Index of the first element; default 0. Integer below 2^53. */
  start?: number;
}

function checkKey(key: RandomKey): Required<RandomKey> {
  const { seed, stream, step = 0, start = 0 } = key;
  for (const [name, value] of [
    ["seed", seed],
    ["stream", stream],
    ["step", step],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new InputError(`random ${name} ${value} must be an integer in [0, 4294967295]`);
    }
  }
  if (!Number.isSafeInteger(start) || start < 0) throw new InputError(`random start ${start} must be an integer in [0, 2^53)`);
  return { seed, stream, step, start };
}

/** Fills an f32 tensor with uniform numbers in [0, 1). */
export function fillUniform(engine: Engine, out: Tensor, key: RandomKey): void {
  const k = checkKey(key);
  if (out.dtype !== "f32") throw new InputError(`fillUniform: output must be f32, got ${out.dtype}`);
  engine.kernels.randomUniform(k.seed, k.stream, k.step, k.start, sizeOf(out.shape), out.offset);
}

/** Fills an f32 tensor with standard normal numbers. */
export function fillNormal(engine: Engine, out: Tensor, key: RandomKey): void {
  const k = checkKey(key);
  if (out.dtype !== "f32") throw new InputError(`fillNormal: output must be f32, got ${out.dtype}`);
  engine.kernels.randomNormal(k.seed, k.stream, k.step, k.start, sizeOf(out.shape), out.offset);
}

/** Fills a u32 tensor with the generator's raw 32-bit outputs. */
export function fillBits(engine: Engine, out: Tensor, key: RandomKey): void {
  const k = checkKey(key);
  if (out.dtype !== "u32") throw new InputError(`fillBits: output must be u32, got ${out.dtype}`);
  engine.kernels.randomBits(k.seed, k.stream, k.step, k.start, sizeOf(out.shape), out.offset);
}
