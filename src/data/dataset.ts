// What a dataset is once it is in memory, the names cimlearn knows, and the
// errors a data file can cause. Pure: no I/O, safe in browsers.

import { InputError } from "../engine/errors.js";
import { preview } from "../engine/preview.js";

/** The datasets `loadDataset` knows. */
export const DATASET_NAMES = ["digits", "mnist", "fashion-mnist", "cifar10"] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

/** Fails with the list of valid names unless `name` is one of them. */
export function checkDatasetName(name: string): DatasetName {
  if (!isDatasetName(name)) throw new InputError(`dataset ${preview(name)} is not one of ${DATASET_NAMES.join(", ")}`);
  return name;
}

/** Image shape: channels, height, width. */
export type ImageShape = readonly [channels: number, height: number, width: number];

/** One split (train, test or validation) of a dataset. */
export interface Split {
  /** count × features values in [0, 1], row-major; each row is one image in C·H·W order. */
  readonly images: Float32Array;
  /** count class indices in [0, classes). */
  readonly labels: Int32Array;
  readonly count: number;
}

export interface Dataset {
  readonly name: string;
  /** [C, H, W] of one image. */
  readonly shape: ImageShape;
  /** C·H·W: the length of one row of `images`. */
  readonly features: number;
  readonly classes: number;
  /** Human-readable class names, index = label. */
  readonly classNames: readonly string[];
  readonly train: Split;
  readonly test: Split;
  /** Where the data came from: a directory, an archive, or "embedded". */
  readonly source: string;
}

/** A data file is missing, truncated or corrupt. The message names the file, what was expected and what was found. */
export class DatasetError extends InputError {
  override name = "DatasetError";
  constructor(
    message: string,
    /** The file at fault, when there is one. */
    readonly file?: string,
  ) {
    super(message);
  }
}

/** The dataset's files are not on this machine and could not be downloaded. The message says how to provide them. */
export class DatasetNotFoundError extends DatasetError {
  override name = "DatasetNotFoundError";
}

/** Thousands separators, for byte and sample counts in messages. */
export function fmt(n: number): string {
  return n.toLocaleString("en-US");
}

const DIGIT_NAMES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] as const;

/** Shape, class count and class names of each known dataset. */
export const DATASET_INFO: Readonly<
  Record<DatasetName, { readonly shape: ImageShape; readonly classes: number; readonly classNames: readonly string[] }>
> = {
  digits: { shape: [1, 8, 8], classes: 10, classNames: DIGIT_NAMES },
  mnist: { shape: [1, 28, 28], classes: 10, classNames: DIGIT_NAMES },
  "fashion-mnist": {
    shape: [1, 28, 28],
    classes: 10,
    classNames: ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
  },
  cifar10: {
    shape: [3, 32, 32],
    classes: 10,
    classNames: ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
  },
};

/** byte / 255 as f32, for every byte: one table so every engine gives the same bits. */
const BYTE_TO_UNIT = (() => {
  const t = new Float32Array(256);
  for (let i = 0; i < 256; i++) t[i] = i / 255;
  return t;
})();

/** Scales bytes 0..255 to [0, 1] (f32 of byte/255). */
export function bytesToUnit(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = BYTE_TO_UNIT[bytes[i] as number] as number;
  return out;
}

/** A split from its parts, checking that they agree. */
export function makeSplit(images: Float32Array, labels: Int32Array, features: number): Split {
  if (images.length !== labels.length * features) {
    throw new InputError(`split: ${images.length} image values for ${labels.length} labels of ${features} features each`);
  }
  return { images, labels, count: labels.length };
}

/** Samples per class in a split. */
export function classCounts(split: Split, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of split.labels) counts[label] = (counts[label] as number) + 1;
  return counts;
}
