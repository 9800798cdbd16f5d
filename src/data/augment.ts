// Standard training-time image augmentation (as DNN+NeuroSim's CIFAR-10 loader:
// Pad 4, RandomCrop, RandomHorizontalFlip): every image is zero-padded by
// `pad` pixels on each side, a window of its original size is cut at a random
// offset, and the result is mirrored left–right with probability ½.
//
// The draws come from the engine's Philox streams: one 32-bit word per sample,
// element `position` of (seed, streamId("augment"), step = epoch), where
// `position` is the sample's place in the epoch's order. So an epoch's
// augmentations depend only on (seed, epoch), never on the batch size.

import type { Engine } from "../engine/engine.js";
import { InputError } from "../engine/errors.js";
import { fillBits, streamId } from "../engine/random.js";
import type { Tensor } from "../engine/tensor.js";
import type { ImageShape } from "./dataset.js";

/** What a random word decodes to: the crop's offset in the padded image (0 … 2·pad) and the flip. */
export interface Augmentation {
  dy: number;
  dx: number;
  flip: boolean;
}

/** The augmentation a 32-bit word stands for (exact integer arithmetic: the same in every engine). */
export function decodeAugmentation(word: number, pad: number): Augmentation {
  const n = 2 * pad + 1;
  const u = word >>> 0;
  return { dy: u % n, dx: Math.floor(u / n) % n, flip: Math.floor(u / (n * n)) % 2 === 1 };
}

/**
 * Applies one augmentation to an image of C·H·W values in place (`row` is scratch of at least W
 * values): out[c, y, x] = in[c, y + dy − pad, x′ + dx − pad] (0 outside), x′ = W − 1 − x when flipped.
 */
export function augmentImage(
  image: Float32Array,
  offset: number,
  shape: ImageShape,
  pad: number,
  a: Augmentation,
  row: Float32Array,
): void {
  const [C, H, W] = shape;
  const sy = a.dy - pad;
  const sx = a.dx - pad;
  for (let c = 0; c < C; c++) {
    const plane = offset + c * H * W;
    // Rows are read from y + sy: walk in the direction that never overwrites a row still to be read.
    const down = sy > 0;
    for (let i = 0; i < H; i++) {
      const y = down ? i : H - 1 - i;
      const from = y + sy;
      if (from < 0 || from >= H) {
        row.fill(0, 0, W);
      } else {
        const src = plane + from * W;
        for (let x = 0; x < W; x++) {
          const xs = x + sx;
          row[x] = xs >= 0 && xs < W ? (image[src + xs] as number) : 0;
        }
      }
      const dst = plane + y * W;
      if (a.flip) for (let x = 0; x < W; x++) image[dst + x] = row[W - 1 - x] as number;
      else for (let x = 0; x < W; x++) image[dst + x] = row[x] as number;
    }
  }
}

/** Augments batches of images in place with the seeded crop-and-flip. Allocates its draw buffer once. */
export class Augmenter {
  private readonly words: Tensor;
  private readonly row: Float32Array;
  private readonly stream = streamId("augment");

  constructor(
    private readonly engine: Engine,
    readonly shape: ImageShape,
    private readonly seed: number,
    /** The largest batch `apply` is given. */
    readonly maxBatch: number,
    readonly pad = 4,
  ) {
    if (!Number.isInteger(pad) || pad < 0 || pad > 1024) throw new InputError(`augmentation padding ${pad} must be an integer 0 … 1024`);
    this.words = engine.arena.tensor([Math.max(1, maxBatch)], "u32");
    this.row = new Float32Array(shape[2]);
  }

  /**
   * Augments the first `count` images of `images` (rows of C·H·W) in place: the samples at
   * positions `position` … `position + count − 1` of epoch `epoch`'s order.
   */
  apply(images: Float32Array, count: number, epoch: number, position: number): void {
    if (count > this.maxBatch) throw new InputError(`augment: ${count} images exceed the ${this.maxBatch} it was built for`);
    if (count === 0) return;
    const view: Tensor = { shape: [count], dtype: "u32", offset: this.words.offset };
    fillBits(this.engine, view, { seed: this.seed, stream: this.stream, step: epoch, start: position });
    const words = this.engine.u32(view).slice();
    const size = this.shape[0] * this.shape[1] * this.shape[2];
    for (let i = 0; i < count; i++) {
      augmentImage(images, i * size, this.shape, this.pad, decodeAugmentation(words[i] as number, this.pad), this.row);
    }
  }
}
