// Per-epoch shuffling, validation splits and batch copies. Every random draw
// comes from the engine's Philox streams (fillBits with streamId("shuffle")),
// so an order depends only on (seed, layer, epoch) — the same in Node and in a
// browser, and independent of what was drawn before.

import type { Engine } from "../engine/engine.js";
import { InputError } from "../engine/errors.js";
import { fillBits, streamId } from "../engine/random.js";
import type { Tensor } from "../engine/tensor.js";
import { makeSplit, type Split } from "./dataset.js";

/** Layers of the "shuffle" stream: each use has its own numbers. */
export const SHUFFLE_LAYER = {
  /** The per-epoch order of the training samples (step = epoch). */
  epoch: 0,
  /** Which training samples are held out for validation (step 0). */
  validation: 1,
  /** The per-epoch draws with replacement (step = epoch). */
  sample: 2,
} as const;

/** Random words fetched from the engine per call: small, so the arena footprint is fixed whatever n is. */
const CHUNK = 4096;

/** ⌊u·m / 2³²⌋ exactly, for u < 2³² and m ≤ 2³² (the products stay below 2⁵³). */
function scaleBits(u: number, m: number): number {
  const hi = u >>> 16;
  const lo = u & 0xffff;
  return Math.floor((hi * m + Math.floor((lo * m) / 65536)) / 65536);
}

/**
 * Shuffles 0..n−1 for each epoch with a Fisher–Yates driven by the engine's
 * random bits: for i = n−1 … 1, j = ⌊u·(i+1)/2³²⌋ with u the (n−1−i)-th 32-bit
 * word of (seed, streamId("shuffle", layer), step = epoch), then swap i and j.
 * (The bias of the multiply-shift, at most (i+1)/2³² relative, is below 1.5·10⁻⁵
 * for 60,000 samples.) Allocates a small u32 scratch tensor from the engine's
 * arena once, at construction; `shuffle` allocates nothing.
 */
export class Shuffler {
  /** The current order: a permutation of 0..n−1, rewritten by `shuffle`. */
  readonly order: Int32Array;
  private readonly scratch: Tensor;
  private readonly stream: number;

  constructor(
    private readonly engine: Engine,
    readonly n: number,
    private readonly seed: number,
    layer: number = SHUFFLE_LAYER.epoch,
  ) {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new InputError(`shuffle: sample count ${n} must be an integer in [0, 2^32)`);
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.scratch = engine.arena.tensor([Math.max(1, Math.min(CHUNK, n - 1))], "u32");
    this.stream = streamId("shuffle", layer);
  }

  /** Sets `order` to epoch `epoch`'s permutation and returns it. The result depends only on (seed, layer, epoch, n). */
  shuffle(epoch: number): Int32Array {
    const order = this.order;
    const n = this.n;
    for (let i = 0; i < n; i++) order[i] = i;
    const chunk = sizeOfScratch(this.scratch);
    let words: Uint32Array | undefined;
    let base = -chunk;
    for (let i = n - 1, k = 0; i >= 1; i--, k++) {
      if (k >= base + chunk) {
        base = k;
        fillBits(this.engine, this.scratch, { seed: this.seed, stream: this.stream, step: epoch, start: base });
        words = this.engine.u32(this.scratch);
      }
      const j = scaleBits((words as Uint32Array)[k - base] as number, i + 1);
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    return order;
  }
}

/**
 * Draws n sample indices in 0..count−1 uniformly with replacement for each epoch: index k is
 * ⌊u_k·count / 2³²⌋ with u_k the k-th 32-bit word of (seed, streamId("shuffle", 2), step = epoch).
 * Like `Shuffler`, the draws depend only on (seed, epoch, count, n); the returned array is reused.
 */
export class Sampler {
  private drawn = new Int32Array(0);
  private readonly scratch: Tensor;
  private readonly stream = streamId("shuffle", SHUFFLE_LAYER.sample);

  constructor(
    private readonly engine: Engine,
    readonly count: number,
    private readonly seed: number,
  ) {
    if (!Number.isInteger(count) || count < 1 || count > 0xffffffff)
      throw new InputError(`sample: sample count ${count} must be an integer in [1, 2^32)`);
    this.scratch = engine.arena.tensor([CHUNK], "u32");
  }

  draw(epoch: number, n: number): Int32Array {
    if (this.drawn.length !== n) this.drawn = new Int32Array(n);
    for (let base = 0; base < n; base += CHUNK) {
      fillBits(this.engine, this.scratch, { seed: this.seed, stream: this.stream, step: epoch, start: base });
      const words = this.engine.u32(this.scratch);
      for (let k = 0; k < CHUNK && base + k < n; k++) this.drawn[base + k] = scaleBits(words[k] as number, this.count);
    }
    return this.drawn;
  }
}

function sizeOfScratch(t: Tensor): number {
  return t.shape[0] as number;
}

/** A fresh permutation of 0..n−1 for (seed, layer, epoch); allocates (use a Shuffler in a training loop). */
export function permutation(engine: Engine, n: number, seed: number, epoch = 0, layer: number = SHUFFLE_LAYER.epoch): Int32Array {
  const mark = engine.arena.mark();
  try {
    return new Shuffler(engine, n, seed, layer).shuffle(epoch).slice();
  } finally {
    engine.arena.release(mark);
  }
}

/** The rows `indices` of a split, copied into a new split in that order. */
export function subset(split: Split, indices: ArrayLike<number>, features: number): Split {
  const images = new Float32Array(indices.length * features);
  const labels = new Int32Array(indices.length);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r] as number;
    if (!Number.isInteger(i) || i < 0 || i >= split.count) throw new InputError(`subset: index ${i} is outside [0, ${split.count})`);
    images.set(split.images.subarray(i * features, (i + 1) * features), r * features);
    labels[r] = split.labels[i] as number;
  }
  return makeSplit(images, labels, features);
}

/**
 * Holds out `size` training samples (an integer count, or a fraction in (0, 1)
 * of the split) for validation, chosen by the seeded "shuffle" stream
 * (layer SHUFFLE_LAYER.validation). Both parts keep the original order.
 */
export function validationSplit(
  engine: Engine,
  split: Split,
  features: number,
  size: number,
  seed: number,
): { train: Split; validation: Split } {
  const count = size > 0 && size < 1 ? Math.round(split.count * size) : size;
  if (!Number.isInteger(count) || count < 0 || count >= split.count) {
    throw new InputError(
      `validation split: ${size} must be a fraction in (0, 1) or a whole number of samples in [0, ${split.count}) (the training set has ${split.count})`,
    );
  }
  const perm = permutation(engine, split.count, seed, 0, SHUFFLE_LAYER.validation);
  const held = perm.subarray(0, count).slice().sort();
  const kept = perm.subarray(count).slice().sort();
  return { train: subset(split, kept, features), validation: subset(split, held, features) };
}

/** Batches of `batch` samples in an epoch of n: the last one short unless `dropLast`. */
export function batchCount(n: number, batch: number, dropLast = false): number {
  if (!Number.isInteger(batch) || batch < 1) throw new InputError(`batch size ${batch} must be a positive integer`);
  return dropLast ? Math.floor(n / batch) : Math.ceil(n / batch);
}

/**
 * Copies samples order[start], order[start+1], … of `split` into `images`
 * (rows of `features`) and, when given, their labels into `labels` and their
 * one-hot targets into `oneHot` (rows of `classes`). Copies as many as fit in
 * `images` and remain in `order`; returns that count. Allocates nothing.
 */
export function gatherBatch(
  split: Split,
  features: number,
  order: ArrayLike<number>,
  start: number,
  images: Float32Array,
  labels?: Int32Array,
  oneHot?: { out: Float32Array; classes: number },
): number {
  const count = Math.max(0, Math.min(Math.floor(images.length / features), order.length - start));
  const src = split.images;
  for (let r = 0; r < count; r++) {
    const i = order[start + r] as number;
    const from = i * features;
    const to = r * features;
    for (let k = 0; k < features; k++) images[to + k] = src[from + k] as number;
    if (labels) labels[r] = split.labels[i] as number;
    if (oneHot) {
      const row = r * oneHot.classes;
      oneHot.out.fill(0, row, row + oneHot.classes);
      oneHot.out[row + (split.labels[i] as number)] = 1;
    }
  }
  return count;
}

/**
 * `gatherBatch` into engine tensors: `images` is [batch, features] f32,
 * `labels` (optional) [batch] i32, `oneHot` (optional) [batch, classes] f32.
 * Returns the number of rows filled; rows past it keep their old contents.
 */
export function gatherBatchInto(
  engine: Engine,
  split: Split,
  features: number,
  order: ArrayLike<number>,
  start: number,
  images: Tensor,
  labels?: Tensor,
  oneHot?: Tensor,
): number {
  if (images.shape.length !== 2 || images.shape[1] !== features) {
    throw new InputError(`gatherBatchInto: images tensor is [${images.shape.join("×")}], expected [batch×${features}]`);
  }
  const batch = images.shape[0] as number;
  if (labels && labels.shape[0] !== batch)
    throw new InputError(`gatherBatchInto: labels tensor is [${labels.shape.join("×")}], expected [${batch}]`);
  if (oneHot && (oneHot.shape.length !== 2 || oneHot.shape[0] !== batch)) {
    throw new InputError(`gatherBatchInto: one-hot tensor is [${oneHot.shape.join("×")}], expected [${batch}×classes]`);
  }
  return gatherBatch(
    split,
    features,
    order,
    start,
    engine.f32(images),
    labels ? engine.i32(labels) : undefined,
    oneHot ? { out: engine.f32(oneHot), classes: oneHot.shape[1] as number } : undefined,
  );
}
