// The CIFAR-10 binary format (https://www.cs.toronto.edu/~kriz/cifar.html):
// data_batch_1.bin … data_batch_5.bin (training, 10,000 images each) and
// test_batch.bin, each a sequence of 3,073-byte records: one label byte (0..9),
// then 3,072 pixel bytes — the red 32×32 plane, then green, then blue (CHW,
// rows top to bottom). The official archive cifar-10-binary.tar.gz holds them
// in cifar-10-batches-bin/. Pure: bytes in, arrays out.

import { bytesToUnit, DATASET_INFO, type Dataset, DatasetError, fmt, makeSplit, type Split } from "./dataset.js";
import type { NamedBytes } from "./idx.js";

export const CIFAR_PIXELS = 3 * 32 * 32;
export const CIFAR_RECORD = 1 + CIFAR_PIXELS;
export const CIFAR_TRAIN_FILES = [
  "data_batch_1.bin",
  "data_batch_2.bin",
  "data_batch_3.bin",
  "data_batch_4.bin",
  "data_batch_5.bin",
] as const;
export const CIFAR_TEST_FILE = "test_batch.bin";
/** Every file the reader needs, training batches first. */
export const CIFAR_FILES = [...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE] as const;
/** The folder the official archive unpacks to. */
export const CIFAR_DIR = "cifar-10-batches-bin";

export interface CifarBatch {
  count: number;
  /** count × 3,072 bytes, CHW per record. */
  pixels: Uint8Array;
  labels: Int32Array;
}

/** Parses one CIFAR-10 binary batch file. */
export function parseCifarBatch(bytes: Uint8Array, file: string): CifarBatch {
  if (bytes.length === 0)
    throw new DatasetError(`${file}: empty: expected CIFAR-10 records of ${fmt(CIFAR_RECORD)} bytes, found 0 bytes`, file);
  if (bytes.length % CIFAR_RECORD !== 0) {
    const hint =
      bytes.length % (CIFAR_RECORD + 1) === 0
        ? " (it is a multiple of 3,074: this looks like CIFAR-100, whose records have two label bytes)"
        : " (the file is truncated or not a CIFAR-10 binary batch)";
    throw new DatasetError(
      `${file}: size mismatch: expected a multiple of ${fmt(CIFAR_RECORD)} bytes (1 label byte + 3,072 pixel bytes per image), found ${fmt(bytes.length)} bytes = ${fmt(Math.floor(bytes.length / CIFAR_RECORD))} records + ${fmt(bytes.length % CIFAR_RECORD)} bytes${hint}`,
      file,
    );
  }
  const count = bytes.length / CIFAR_RECORD;
  const pixels = new Uint8Array(count * CIFAR_PIXELS);
  const labels = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const at = r * CIFAR_RECORD;
    const label = bytes[at] as number;
    if (label > 9) {
      throw new DatasetError(
        `${file}: label out of range in record ${fmt(r)} (byte offset ${fmt(at)}): expected 0..9, found ${label}${r === 0 ? " (not a CIFAR-10 binary batch?)" : ""}`,
        file,
      );
    }
    labels[r] = label;
    pixels.set(bytes.subarray(at + 1, at + CIFAR_RECORD), r * CIFAR_PIXELS);
  }
  return { count, pixels, labels };
}

/** Concatenates batches into one split scaled to [0, 1]. */
export function cifarSplit(batches: readonly NamedBytes[]): Split {
  const parsed = batches.map((b) => parseCifarBatch(b.bytes, b.name));
  const count = parsed.reduce((n, b) => n + b.count, 0);
  const pixels = new Uint8Array(count * CIFAR_PIXELS);
  const labels = new Int32Array(count);
  let at = 0;
  for (const b of parsed) {
    pixels.set(b.pixels, at * CIFAR_PIXELS);
    labels.set(b.labels, at);
    at += b.count;
  }
  return makeSplit(bytesToUnit(pixels), labels, CIFAR_PIXELS);
}

/** CIFAR-10 from its six batch files, keyed by file name (data_batch_1.bin … test_batch.bin). */
export function cifarDataset(files: ReadonlyMap<string, NamedBytes> | Record<string, NamedBytes>, source: string): Dataset {
  const get = (name: string): NamedBytes | undefined =>
    files instanceof Map ? files.get(name) : (files as Record<string, NamedBytes>)[name];
  const missing = CIFAR_FILES.filter((name) => !get(name));
  if (missing.length > 0) {
    throw new DatasetError(
      `${source}: incomplete CIFAR-10: expected ${CIFAR_FILES.join(", ")}, missing ${missing.join(", ")}`,
      `${source}/${missing[0]}`,
    );
  }
  const info = DATASET_INFO.cifar10;
  return {
    name: "cifar10",
    shape: info.shape,
    features: CIFAR_PIXELS,
    classes: info.classes,
    classNames: info.classNames,
    train: cifarSplit(CIFAR_TRAIN_FILES.map((name) => get(name) as NamedBytes)),
    test: cifarSplit([get(CIFAR_TEST_FILE) as NamedBytes]),
    source,
  };
}

/**
 * The regular files in an uncompressed tar archive (ustar, GNU or old-style
 * headers), as paths → contents (views into `bytes`, not copies). `file` names
 * the archive in errors.
 */
export function untar(bytes: Uint8Array, file: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const text = (from: number, len: number): string => {
    let end = from;
    while (end < from + len && bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(from, end));
  };
  let at = 0;
  let longName: string | undefined;
  while (at + 512 <= bytes.length) {
    const header = bytes.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] as number);
    const stored = Number.parseInt(text(at + 148, 8).trim() || "x", 8);
    if (stored !== sum) {
      throw new DatasetError(
        `${file}: corrupt tar archive: bad header checksum at byte ${fmt(at)} (expected ${sum}, found ${text(at + 148, 8).trim()})`,
        file,
      );
    }
    const size = Number.parseInt(text(at + 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] as number);
    const magic = text(at + 257, 6);
    const prefix = magic.startsWith("ustar") ? text(at + 345, 155) : "";
    let name = longName ?? (prefix ? `${prefix}/${text(at, 100)}` : text(at, 100));
    longName = undefined;
    const dataAt = at + 512;
    if (dataAt + size > bytes.length) {
      throw new DatasetError(
        `${file}: truncated tar archive: member ${name} declares ${fmt(size)} bytes at offset ${fmt(dataAt)}, the archive has ${fmt(bytes.length)}`,
        file,
      );
    }
    const data = bytes.subarray(dataAt, dataAt + size);
    if (type === "L") longName = text(dataAt, size);
    else if (type === "0" || type === "\0" || type === "7") {
      name = name.replace(/^\.\//, "");
      out.set(name, data);
    }
    at = dataAt + Math.ceil(size / 512) * 512;
  }
  if (at < bytes.length && at + 512 > bytes.length) {
    throw new DatasetError(`${file}: truncated tar archive: ${bytes.length - at} bytes of a 512-byte header at offset ${fmt(at)}`, file);
  }
  return out;
}

/** CIFAR-10 from the official archive's uncompressed tar bytes (the batches in any folder of it). */
export function cifarFromTar(tar: Uint8Array, archive: string): Dataset {
  const members = untar(tar, archive);
  const files = new Map<string, NamedBytes>();
  for (const [path, bytes] of members) {
    const base = path.slice(path.lastIndexOf("/") + 1);
    if ((CIFAR_FILES as readonly string[]).includes(base) && !files.has(base)) files.set(base, { name: `${archive}:${path}`, bytes });
  }
  return cifarDataset(files, archive);
}
