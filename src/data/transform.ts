// Dataset transforms applied before training (both splits alike): a centre crop, a resize, and a
// threshold that binarizes the pixels — MLP+NeuroSim V3.0 trains on 20×20 centre crops of MNIST,
// binarized. The model's input size follows the transformed shape.

import { InputError } from "../engine/errors.js";
import type { Dataset, ImageShape, Split } from "./dataset.js";

export interface DatasetTransform {
  /** Keep the centre `[height, width]` (rows and columns cut evenly, an odd one from the bottom/right). */
  crop?: readonly [number, number];
  /** Then resample to `[height, width]` (bilinear, pixel centres aligned). */
  resize?: readonly [number, number];
  /** Then every value above `binarize` becomes 1, the others 0. */
  binarize?: number;
}

/** The image shape after `t`; refuses a crop larger than the image. */
export function transformedShape(shape: ImageShape, t: DatasetTransform | undefined): ImageShape {
  if (!t) return shape;
  let [c, h, w] = shape;
  if (t.crop) {
    const [ch, cw] = t.crop;
    if (ch > h || cw > w) throw new InputError(`transform.crop: ${ch}×${cw} is larger than the ${h}×${w} images`);
    [h, w] = [ch, cw];
  }
  if (t.resize) [h, w] = [t.resize[0], t.resize[1]];
  return [c, h, w];
}

/** Scratch for one image's intermediate steps, allocated once per split. */
interface Scratch {
  cropped?: Float32Array;
  resized?: Float32Array;
}

function transformImage(src: Float32Array, shape: ImageShape, t: DatasetTransform, scratch: Scratch, out: Float32Array): void {
  const [c, h, w] = shape;
  let image = src;
  let ih = h;
  let iw = w;
  if (t.crop) {
    const [ch, cw] = t.crop;
    const top = Math.floor((h - ch) / 2);
    const left = Math.floor((w - cw) / 2);
    const cropped = scratch.cropped as Float32Array;
    for (let k = 0; k < c; k++)
      for (let y = 0; y < ch; y++)
        for (let x = 0; x < cw; x++) cropped[(k * ch + y) * cw + x] = image[(k * h + top + y) * w + left + x] as number;
    image = cropped;
    [ih, iw] = [ch, cw];
  }
  if (t.resize) {
    const [rh, rw] = t.resize;
    const resized = scratch.resized as Float32Array;
    for (let k = 0; k < c; k++) {
      for (let y = 0; y < rh; y++) {
        const sy = Math.min(ih - 1, Math.max(0, ((y + 0.5) * ih) / rh - 0.5));
        const y0 = Math.floor(sy);
        const y1 = Math.min(ih - 1, y0 + 1);
        const fy = sy - y0;
        for (let x = 0; x < rw; x++) {
          const sx = Math.min(iw - 1, Math.max(0, ((x + 0.5) * iw) / rw - 0.5));
          const x0 = Math.floor(sx);
          const x1 = Math.min(iw - 1, x0 + 1);
          const fx = sx - x0;
          const at = (yy: number, xx: number) => image[(k * ih + yy) * iw + xx] as number;
          resized[(k * rh + y) * rw + x] =
            (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1));
        }
      }
    }
    image = resized;
  }
  if (t.binarize !== undefined) {
    for (let i = 0; i < image.length; i++) out[i] = (image[i] as number) > t.binarize ? 1 : 0;
  } else {
    out.set(image);
  }
}

function transformSplit(split: Split, shape: ImageShape, t: DatasetTransform, features: number): Split {
  const inFeatures = shape[0] * shape[1] * shape[2];
  const images = new Float32Array(split.count * features);
  const row = new Float32Array(features);
  const scratch: Scratch = {};
  if (t.crop) scratch.cropped = new Float32Array(shape[0] * t.crop[0] * t.crop[1]);
  if (t.resize) scratch.resized = new Float32Array(shape[0] * t.resize[0] * t.resize[1]);
  for (let i = 0; i < split.count; i++) {
    transformImage(split.images.subarray(i * inFeatures, (i + 1) * inFeatures), shape, t, scratch, row);
    images.set(row, i * features);
  }
  return { images, labels: split.labels, count: split.count };
}

/** `data` with `t` applied to every image of both splits (the dataset itself when there is nothing to do). */
export function transformDataset(data: Dataset, t: DatasetTransform | undefined): Dataset {
  if (!t || (!t.crop && !t.resize && t.binarize === undefined)) return data;
  const shape = transformedShape(data.shape, t);
  const features = shape[0] * shape[1] * shape[2];
  return {
    ...data,
    shape,
    features,
    train: transformSplit(data.train, data.shape, t, features),
    test: transformSplit(data.test, data.shape, t, features),
  };
}
