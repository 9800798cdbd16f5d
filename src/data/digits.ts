// The embedded dataset: UCI optical-recognition digits, 8×8, 1,797 images,
// 10 classes, pixel values 0..16 scaled to [0, 1] by /16 (exact in f32).
// No file system and no network: works the same in Node and in a browser.
// License CC BY 4.0; citation and provenance in src/data/README.md.
//
// Split (fixed, no randomness): the first 1,437 images are the training set,
// the last 360 the test set — file order, as scikit-learn's
// train_test_split(X, y, test_size=0.2, shuffle=False) gives. The file
// interleaves the classes, so each class has 33..37 test images.

import { DATASET_INFO, type Dataset, DatasetError, makeSplit } from "./dataset.js";
import { DIGITS_COUNT, DIGITS_FEATURES, DIGITS_ZLIB_BASE64 } from "./digits-data.js";
import { webInflate } from "./gzip.js";

export const DIGITS_TRAIN = 1437;
export const DIGITS_TEST = DIGITS_COUNT - DIGITS_TRAIN;

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The raw embedded bytes: 1,797 × 64 pixel values (0..16, image after image), then 1,797 labels (0..9). */
export async function digitsBytes(): Promise<Uint8Array> {
  const stored = await webInflate(base64ToBytes(DIGITS_ZLIB_BASE64));
  const n = DIGITS_COUNT;
  const f = DIGITS_FEATURES;
  if (stored.length !== n * (f + 1)) {
    throw new DatasetError(
      `embedded digits: expected ${n * (f + 1)} bytes, found ${stored.length}: rebuild with scripts/convert-digits.mjs`,
    );
  }
  // Stored pixel-major (it deflates smaller): back to image after image.
  const raw = stored.slice();
  for (let i = 0; i < n; i++) for (let p = 0; p < f; p++) raw[i * f + p] = stored[p * n + i] as number;
  return raw;
}

let cached: Promise<Uint8Array> | undefined;

/** The embedded digits dataset: fresh arrays on every call (the decoded bytes are kept). */
export async function loadDigits(): Promise<Dataset> {
  cached ??= digitsBytes();
  try {
    return build(await cached);
  } catch (e) {
    cached = undefined;
    throw e;
  }
}

function build(raw: Uint8Array): Dataset {
  const n = DIGITS_COUNT;
  const f = DIGITS_FEATURES;
  const images = new Float32Array(n * f);
  for (let i = 0; i < n * f; i++) images[i] = (raw[i] as number) / 16;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = raw[n * f + i] as number;
  const info = DATASET_INFO.digits;
  return {
    name: "digits",
    shape: info.shape,
    features: f,
    classes: info.classes,
    classNames: info.classNames,
    train: makeSplit(images.slice(0, DIGITS_TRAIN * f), labels.slice(0, DIGITS_TRAIN), f),
    test: makeSplit(images.slice(DIGITS_TRAIN * f), labels.slice(DIGITS_TRAIN), f),
    source: "embedded",
  };
}
