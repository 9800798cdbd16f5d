// Small dataset files built by the tests: IDX, CIFAR-10 batches, tar archives.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

/** Pixel value of (image i, byte k): deterministic and covering 0..255. */
export function pixel(i: number, k: number): number {
  return (i * 31 + k * 7) & 0xff;
}

/** An IDX image file (magic 2051) of `count` images of h×w with `pixel(i, k)`. */
export function idxImages(count: number, h = 28, w = 28): Uint8Array {
  const out = new Uint8Array(16 + count * h * w);
  const view = new DataView(out.buffer);
  view.setUint32(0, 2051);
  view.setUint32(4, count);
  view.setUint32(8, h);
  view.setUint32(12, w);
  for (let i = 0; i < count; i++) for (let k = 0; k < h * w; k++) out[16 + i * h * w + k] = pixel(i, k);
  return out;
}

/** An IDX label file (magic 2049). */
export function idxLabels(labels: readonly number[]): Uint8Array {
  const out = new Uint8Array(8 + labels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 2049);
  view.setUint32(4, labels.length);
  out.set(labels, 8);
  return out;
}

/** Labels i % 10. */
export function cyclicLabels(count: number, classes = 10): number[] {
  return Array.from({ length: count }, (_, i) => i % classes);
}

/** A CIFAR-10 batch of `count` records, label (i + salt) % 10, pixels pixel(i + salt, k). */
export function cifarBatch(count: number, salt = 0): Uint8Array {
  const out = new Uint8Array(count * 3073);
  for (let i = 0; i < count; i++) {
    out[i * 3073] = (i + salt) % 10;
    for (let k = 0; k < 3072; k++) out[i * 3073 + 1 + k] = pixel(i + salt, k);
  }
  return out;
}

/** A ustar archive of regular files. */
export function tar(files: Record<string, Uint8Array>): Uint8Array {
  const blocks: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (const [name, data] of Object.entries(files)) {
    const h = new Uint8Array(512);
    h.set(enc.encode(name).subarray(0, 100), 0);
    h.set(enc.encode("0000644\0"), 100);
    h.set(enc.encode("0000000\0"), 108);
    h.set(enc.encode("0000000\0"), 116);
    h.set(enc.encode(`${data.length.toString(8).padStart(11, "0")}\0`), 124);
    h.set(enc.encode("00000000000\0"), 136);
    h[156] = "0".charCodeAt(0);
    h.set(enc.encode("ustar\0"), 257);
    h.set(enc.encode("00"), 263);
    h.fill(32, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.set(enc.encode(`${sum.toString(8).padStart(6, "0")}\0 `), 148);
    blocks.push(h);
    const body = new Uint8Array(Math.ceil(data.length / 512) * 512);
    body.set(data);
    blocks.push(body);
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

export function gzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(bytes));
}

/** A fresh temporary directory; `cleanup` removes it. */
export function tempDir(prefix = "cimlearn-data-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes files (paths relative to `dir`), creating folders. */
export function writeFiles(dir: string, files: Record<string, Uint8Array>): void {
  for (const [path, bytes] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
  }
}

/** The four IDX files of a tiny dataset (train 30, test 12 images of 28×28), gzipped or not, under `prefix`. */
export function idxSet(prefix = "", compress = true, train = 30, test = 12): Record<string, Uint8Array> {
  const enc = (b: Uint8Array) => (compress ? gzip(b) : b);
  const ext = compress ? ".gz" : "";
  return {
    [`${prefix}train-images-idx3-ubyte${ext}`]: enc(idxImages(train)),
    [`${prefix}train-labels-idx1-ubyte${ext}`]: enc(idxLabels(cyclicLabels(train))),
    [`${prefix}t10k-images-idx3-ubyte${ext}`]: enc(idxImages(test)),
    [`${prefix}t10k-labels-idx1-ubyte${ext}`]: enc(idxLabels(cyclicLabels(test))),
  };
}

/** The six CIFAR batch files (3 records per training batch, 4 in the test batch) under `prefix`. */
export function cifarSet(prefix = ""): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (let b = 1; b <= 5; b++) files[`${prefix}data_batch_${b}.bin`] = cifarBatch(3, b * 3);
  files[`${prefix}test_batch.bin`] = cifarBatch(4, 100);
  return files;
}
