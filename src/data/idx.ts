// The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
// a big-endian header — two zero bytes, a type byte (0x08 = unsigned byte), the
// number of dimensions — then one u32 per dimension, then the data. Images have
// magic 2051 (0x00000803: bytes, 3 dimensions N×rows×cols), labels 2049
// (0x00000801: bytes, 1 dimension N). Pure: bytes in, arrays out.

import { bytesToUnit, type Dataset, DatasetError, fmt, type ImageShape, makeSplit, type Split } from "./dataset.js";

export const IDX_IMAGES_MAGIC = 2051;
export const IDX_LABELS_MAGIC = 2049;

/** The four files of an IDX dataset, by role, with their canonical names (uncompressed). */
export const IDX_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;
export type IdxRole = keyof typeof IDX_FILES;
export const IDX_ROLES = Object.keys(IDX_FILES) as IdxRole[];

/**
 * The names a file of `role` goes by: canonical (train-images-idx3-ubyte), the
 * dotted form some archives use (train-images.idx3-ubyte), each raw or .gz.
 * Raw first: it needs no decompression.
 */
export function idxFileNames(role: IdxRole): string[] {
  const base = IDX_FILES[role];
  const dotted = base.replace(/-idx(\d)-ubyte$/, ".idx$1-ubyte");
  return [base, `${base}.gz`, dotted, `${dotted}.gz`];
}

export interface IdxImages {
  count: number;
  height: number;
  width: number;
  /** count·height·width bytes, row-major. */
  pixels: Uint8Array;
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

function describeMagic(magic: number): string {
  if (magic === IDX_IMAGES_MAGIC) return `${magic} (${hex32(magic)}), the magic number of an IDX image file`;
  if (magic === IDX_LABELS_MAGIC) return `${magic} (${hex32(magic)}), the magic number of an IDX label file`;
  if (magic >>> 16 === 0x1f8b) return `${hex32(magic)}: gzip data inside gzip data, or a gzip file that was not decompressed`;
  if (magic >>> 16 === 0) {
    const type = (magic >>> 8) & 0xff;
    return `${hex32(magic)}: IDX data of type 0x${type.toString(16).padStart(2, "0")}${type === 8 ? "" : " (not unsigned bytes)"} with ${magic & 0xff} dimensions`;
  }
  return `${hex32(magic)}: not an IDX file at all`;
}

/** Parses the header, checks magic, dimensions and size; returns the dimensions and the data after the header. */
function parseIdx(bytes: Uint8Array, file: string, magic: number, what: string): { dims: number[]; data: Uint8Array } {
  const ndim = magic & 0xff;
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < 4) {
    throw new DatasetError(
      `${file}: truncated: expected an IDX ${what} file of at least ${headerBytes} bytes, found ${bytes.length}`,
      file,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) {
    throw new DatasetError(
      `${file}: not an IDX ${what} file: expected magic number ${magic} (${hex32(magic)}), found ${describeMagic(found)}`,
      file,
    );
  }
  if (bytes.length < headerBytes) {
    throw new DatasetError(`${file}: truncated: the IDX ${what} header needs ${headerBytes} bytes, the file has ${bytes.length}`, file);
  }
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const need = dims.reduce((a, b) => a * b, 1);
  const have = bytes.length - headerBytes;
  if (have < need) {
    throw new DatasetError(
      `${file}: truncated: the header declares ${dims.map(fmt).join(" × ")} = ${fmt(need)} data bytes after the ${headerBytes}-byte header, found ${fmt(have)}`,
      file,
    );
  }
  if (have > need) {
    throw new DatasetError(
      `${file}: corrupt: ${fmt(have - need)} bytes after the ${fmt(need)} data bytes the header declares (${dims.map(fmt).join(" × ")})`,
      file,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/**
 * Parses an uncompressed IDX image file (magic 2051). With `expect`, the image
 * size must match it.
 */
export function parseIdxImages(bytes: Uint8Array, file: string, expect?: { height: number; width: number; dataset?: string }): IdxImages {
  const { dims, data } = parseIdx(bytes, file, IDX_IMAGES_MAGIC, "image");
  const [count, height, width] = dims as [number, number, number];
  if (expect && (height !== expect.height || width !== expect.width)) {
    throw new DatasetError(
      `${file}: image size mismatch: expected ${expect.height}×${expect.width} images${expect.dataset ? ` for ${expect.dataset}` : ""}, found ${height}×${width}`,
      file,
    );
  }
  return { count, height, width, pixels: data };
}

/** Parses an uncompressed IDX label file (magic 2049); every label must be below `classes`. */
export function parseIdxLabels(bytes: Uint8Array, file: string, classes: number): Int32Array {
  const { data } = parseIdx(bytes, file, IDX_LABELS_MAGIC, "label");
  const labels = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const label = data[i] as number;
    if (label >= classes) {
      throw new DatasetError(`${file}: label ${label} at index ${fmt(i)} is out of range: expected a class in 0..${classes - 1}`, file);
    }
    labels[i] = label;
  }
  return labels;
}

/** A named, uncompressed file's contents. */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/** One split from an image file and a label file, checking they agree. */
export function idxSplit(images: NamedBytes, labels: NamedBytes, spec: { shape: ImageShape; classes: number; dataset: string }): Split {
  const [, height, width] = spec.shape;
  const img = parseIdxImages(images.bytes, images.name, { height, width, dataset: spec.dataset });
  const lab = parseIdxLabels(labels.bytes, labels.name, spec.classes);
  if (img.count === 0) {
    throw new DatasetError(`${images.name}: holds 0 images; a split needs at least one (the file is empty or cut short)`, images.name);
  }
  if (lab.length !== img.count) {
    throw new DatasetError(
      `${labels.name}: label count mismatch: expected one label per image of ${images.name} (${fmt(img.count)}), found ${fmt(lab.length)}`,
      labels.name,
    );
  }
  return makeSplit(bytesToUnit(img.pixels), lab, height * width);
}

/** A dataset from its four uncompressed IDX files. */
export function idxDataset(
  files: Record<IdxRole, NamedBytes>,
  spec: { name: string; shape: ImageShape; classes: number; classNames: readonly string[]; source: string },
): Dataset {
  const s = { shape: spec.shape, classes: spec.classes, dataset: spec.name };
  const train = idxSplit(files.trainImages, files.trainLabels, s);
  const test = idxSplit(files.testImages, files.testLabels, s);
  const [c, h, w] = spec.shape;
  return {
    name: spec.name,
    shape: spec.shape,
    features: c * h * w,
    classes: spec.classes,
    classNames: spec.classNames,
    train,
    test,
    source: spec.source,
  };
}
