// The IDX and CIFAR-10 readers on small files built here, including every kind of corrupt file.

import { describe, expect, it } from "vitest";
import {
  CIFAR_ARCHIVE,
  cifarDataset,
  cifarFromTar,
  DatasetError,
  datasetFromFiles,
  isGzip,
  parseCifarBatch,
  parseIdxImages,
  parseIdxLabels,
  untar,
  webGunzip,
} from "../src/data/index.js";
import { nodeGunzip } from "../src/data/node.js";
import { cifarBatch, cifarSet, cyclicLabels, gzip, idxImages, idxLabels, idxSet, pixel, tar } from "./data-helpers.js";

/** The error `fn` throws (sync or async), checked to be a DatasetError. */
async function dataError(fn: () => unknown): Promise<DatasetError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return e as DatasetError;
  }
  throw new Error("expected a DatasetError, nothing was thrown");
}

describe("IDX reader", () => {
  it("reads images and labels, scaled to [0, 1] with the byte/255 values", () => {
    const img = parseIdxImages(idxImages(3, 4, 5), "img");
    expect([img.count, img.height, img.width]).toEqual([3, 4, 5]);
    expect(img.pixels[2 * 20 + 7]).toBe(pixel(2, 7));
    expect(Array.from(parseIdxLabels(idxLabels([3, 1, 4]), "lab", 10))).toEqual([3, 1, 4]);
  });

  it("reads a dataset from raw and from gzip files (DecompressionStream and zlib), with the same result", async () => {
    const raw = await datasetFromFiles("fashion-mnist", idxSet("", false));
    const web = await datasetFromFiles("fashion-mnist", idxSet("dir/", true));
    const node = await datasetFromFiles("fashion-mnist", idxSet("", true), { gunzip: nodeGunzip });
    for (const d of [raw, web, node]) {
      expect(d.shape).toEqual([1, 28, 28]);
      expect(d.features).toBe(784);
      expect(d.train.count).toBe(30);
      expect(d.test.count).toBe(12);
      expect(d.classNames[9]).toBe("Ankle boot");
    }
    expect(web.train.images).toEqual(raw.train.images);
    expect(node.test.labels).toEqual(raw.test.labels);
    expect(raw.train.images[5 * 784 + 100]).toBe(Math.fround(pixel(5, 100) / 255));
    expect(Array.from(raw.test.labels)).toEqual(cyclicLabels(12));
    let min = 1;
    let max = 0;
    for (const v of raw.train.images) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect([min, max]).toEqual([0, 1]);
  });

  it("detects gzip by magic bytes, not by name", async () => {
    const files = idxSet("", false);
    files["train-images-idx3-ubyte"] = gzip(files["train-images-idx3-ubyte"] as Uint8Array);
    expect(isGzip(files["train-images-idx3-ubyte"] as Uint8Array)).toBe(true);
    const d = await datasetFromFiles("mnist", files);
    expect(d.train.count).toBe(30);
  });

  it("accepts the dotted names (train-images.idx3-ubyte)", async () => {
    const files = Object.fromEntries(Object.entries(idxSet("", false)).map(([k, v]) => [k.replace("-idx", ".idx"), v]));
    expect((await datasetFromFiles("mnist", files)).test.count).toBe(12);
  });

  it("wrong magic: names the file, the expected and the found magic", async () => {
    const e1 = await dataError(() => parseIdxImages(idxLabels([1, 2]), "t10k-images-idx3-ubyte"));
    expect(e1.message).toMatch(/^t10k-images-idx3-ubyte: not an IDX image file: expected magic number 2051 \(0x00000803\), found 2049/);
    expect(e1.message).toMatch(/label file/);
    expect(e1.file).toBe("t10k-images-idx3-ubyte");
    const e2 = await dataError(() => parseIdxLabels(idxImages(1), "lab", 10));
    expect(e2.message).toMatch(/expected magic number 2049 .*found 2051 .*image file/);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect((await dataError(() => parseIdxImages(png, "x.png"))).message).toMatch(/found 0x89504e47: not an IDX file at all/);
  });

  it("fewer bytes than the header says: truncated, with both sizes", async () => {
    const full = idxImages(10, 28, 28);
    const e = await dataError(() => parseIdxImages(full.subarray(0, full.length - 100), "train-images-idx3-ubyte"));
    expect(e.message).toBe(
      "train-images-idx3-ubyte: truncated: the header declares 10 × 28 × 28 = 7,840 data bytes after the 16-byte header, found 7,740",
    );
    const header = await dataError(() => parseIdxImages(full.subarray(0, 10), "img"));
    expect(header.message).toMatch(/img: truncated: the IDX image header needs 16 bytes, the file has 10/);
    const tiny = await dataError(() => parseIdxLabels(new Uint8Array(2), "lab", 10));
    expect(tiny.message).toMatch(/lab: truncated: expected an IDX label file of at least 8 bytes, found 2/);
    const labels = idxLabels([1, 2, 3]);
    expect((await dataError(() => parseIdxLabels(labels.subarray(0, 10), "lab", 10))).message).toMatch(
      /declares 3 = 3 data bytes .* found 2/,
    );
  });

  it("extra bytes after the data are corruption too", async () => {
    const padded = new Uint8Array(idxLabels([1, 2]).length + 3);
    padded.set(idxLabels([1, 2]));
    expect((await dataError(() => parseIdxLabels(padded, "lab", 10))).message).toMatch(/lab: corrupt: 3 bytes after the 2 data bytes/);
  });

  it("dimension mismatch: the image size is not the dataset's", async () => {
    const files = idxSet("", false);
    files["t10k-images-idx3-ubyte"] = idxImages(12, 32, 32);
    const e = await dataError(() => datasetFromFiles("fashion-mnist", files));
    expect(e.message).toBe("t10k-images-idx3-ubyte: image size mismatch: expected 28×28 images for fashion-mnist, found 32×32");
  });

  it("label count ≠ image count", async () => {
    const files = idxSet("", false);
    files["train-labels-idx1-ubyte"] = idxLabels(cyclicLabels(29));
    const e = await dataError(() => datasetFromFiles("mnist", files));
    expect(e.message).toBe(
      "train-labels-idx1-ubyte: label count mismatch: expected one label per image of train-images-idx3-ubyte (30), found 29",
    );
    expect(e.file).toBe("train-labels-idx1-ubyte");
  });

  it("label ≥ classes", async () => {
    const e = await dataError(() => parseIdxLabels(idxLabels([0, 9, 10, 1]), "labels.idx", 10));
    expect(e.message).toBe("labels.idx: label 10 at index 2 is out of range: expected a class in 0..9");
  });

  it("corrupt or cut-short gzip names the file (both decompressors)", async () => {
    const gz = gzip(idxImages(5));
    const cut = gz.subarray(0, gz.length - 20);
    for (const gunzip of [webGunzip, nodeGunzip]) {
      const e = await dataError(() => gunzip(cut, "train-images-idx3-ubyte.gz"));
      expect(e.message).toMatch(/^train-images-idx3-ubyte\.gz: corrupt gzip data \(.+\); it is probably cut short/);
    }
    const mangled = gz.slice();
    mangled.fill(0xff, 12, 40);
    await dataError(() => nodeGunzip(mangled, "m.gz"));
  });

  it("a missing file is named, with its accepted spellings", async () => {
    const files = idxSet("", true);
    delete files["t10k-labels-idx1-ubyte.gz"];
    const e = await dataError(() => datasetFromFiles("mnist", files));
    expect(e.message).toMatch(/mnist: the given files lack t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte\.gz/);
  });
});

describe("CIFAR-10 reader", () => {
  it("reads records: label byte then 3,072 CHW pixel bytes", () => {
    const b = parseCifarBatch(cifarBatch(4, 7), "data_batch_1.bin");
    expect(b.count).toBe(4);
    expect(Array.from(b.labels)).toEqual([7, 8, 9, 0]);
    expect(b.pixels[2 * 3072 + 1024 + 5]).toBe(pixel(9, 1024 + 5)); // record 2, green plane, pixel 5
  });

  it("builds train (five batches, in order) and test splits scaled to [0, 1]", async () => {
    const d = await datasetFromFiles("cifar10", cifarSet("cifar-10-batches-bin/"));
    expect(d.shape).toEqual([3, 32, 32]);
    expect(d.features).toBe(3072);
    expect(d.train.count).toBe(15);
    expect(d.test.count).toBe(4);
    expect(Array.from(d.train.labels)).toEqual([3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7]);
    expect(d.train.images[4 * 3072 + 3000]).toBe(Math.fround(pixel(4 + 3, 3000) / 255)); // batch 2, record 1 → salt 6
    expect(d.classNames[0]).toBe("airplane");
  });

  it("size not a multiple of 3,073", async () => {
    const e = await dataError(() => parseCifarBatch(cifarBatch(2).subarray(0, 3073 + 100), "data_batch_3.bin"));
    expect(e.message).toMatch(
      /^data_batch_3\.bin: size mismatch: expected a multiple of 3,073 bytes \(1 label byte \+ 3,072 pixel bytes per image\), found 3,173 bytes = 1 records \+ 100 bytes/,
    );
    const cifar100 = new Uint8Array(3074 * 3);
    expect((await dataError(() => parseCifarBatch(cifar100, "train.bin"))).message).toMatch(/looks like CIFAR-100/);
    expect((await dataError(() => parseCifarBatch(new Uint8Array(0), "empty.bin"))).message).toMatch(/empty.bin: empty/);
  });

  it("label > 9", async () => {
    const bytes = cifarBatch(3);
    bytes[2 * 3073] = 12;
    const e = await dataError(() => parseCifarBatch(bytes, "test_batch.bin"));
    expect(e.message).toBe("test_batch.bin: label out of range in record 2 (byte offset 6,146): expected 0..9, found 12");
  });

  it("a missing batch is named", async () => {
    const files = cifarSet();
    delete files["data_batch_5.bin"];
    const e = await dataError(() => datasetFromFiles("cifar10", files));
    expect(e.message).toMatch(/incomplete CIFAR-10: expected data_batch_1\.bin, .*, test_batch\.bin, missing data_batch_5\.bin/);
    await dataError(() => cifarDataset(new Map(), "dir"));
  });

  it("reads the batches straight from the official archive layout (tar.gz)", async () => {
    const archive = gzip(
      tar({ ...cifarSet("cifar-10-batches-bin/"), "cifar-10-batches-bin/batches.meta.txt": new TextEncoder().encode("airplane\n") }),
    );
    const d = await datasetFromFiles("cifar10", { [CIFAR_ARCHIVE]: archive });
    expect(d.train.count).toBe(15);
    expect(d.source).toBe(CIFAR_ARCHIVE);
    const direct = cifarFromTar(tar(cifarSet("x/")), "a.tar");
    expect(direct.test.labels).toEqual(d.test.labels);
  });

  it("tar: reads members, rejects a bad header checksum and a truncated member", async () => {
    const t = tar({ "a/one.txt": new Uint8Array([1, 2, 3]), "two.bin": new Uint8Array(600).fill(7) });
    const m = untar(t, "t.tar");
    expect([...m.keys()]).toEqual(["a/one.txt", "two.bin"]);
    expect(Array.from(m.get("a/one.txt") as Uint8Array)).toEqual([1, 2, 3]);
    expect((m.get("two.bin") as Uint8Array).length).toBe(600);
    const bad = t.slice();
    bad[0] = 0x41;
    expect((await dataError(() => untar(bad, "t.tar"))).message).toMatch(/t\.tar: corrupt tar archive: bad header checksum at byte 0/);
    expect((await dataError(() => untar(t.subarray(0, 1100), "t.tar"))).message).toMatch(
      /truncated tar archive: 76 bytes of a 512-byte header/,
    );
    expect((await dataError(() => untar(t.subarray(0, 1700), "t.tar"))).message).toMatch(
      /truncated tar archive: member two\.bin declares 600 bytes/,
    );
  });
});
