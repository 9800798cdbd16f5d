// The embedded UCI digits: size, classes, values, the fixed split, and fidelity to the source CSV.

import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DIGITS_SHA256 } from "../src/data/digits-data.js";
import { classCounts, DIGITS_TEST, DIGITS_TRAIN, datasetFromFiles, digitsBytes, loadDigits } from "../src/data/index.js";
import { loadDataset } from "../src/data/node.js";

// The workspace's copy of the source (beside the repository); the fidelity test is skipped where it is absent.
const CSV = resolve("../shared/data/uci-digits/digits.csv.gz");

describe("digits (embedded)", () => {
  it("has 1,797 8×8 images in 10 classes, split 1,437 / 360", async () => {
    const d = await loadDigits();
    expect(d.name).toBe("digits");
    expect(d.shape).toEqual([1, 8, 8]);
    expect(d.features).toBe(64);
    expect(d.classes).toBe(10);
    expect(d.source).toBe("embedded");
    expect([DIGITS_TRAIN, DIGITS_TEST]).toEqual([1437, 360]);
    expect(d.train.count + d.test.count).toBe(1797);
    expect(d.train.images.length).toBe(1437 * 64);
    expect(d.test.labels.length).toBe(360);
  });

  it("class counts are those of the UCI set, and every class is in both splits", async () => {
    const d = await loadDigits();
    const train = classCounts(d.train, 10);
    const test = classCounts(d.test, 10);
    expect(train.map((n, c) => n + (test[c] as number))).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(test).toEqual([35, 36, 35, 37, 37, 37, 37, 36, 33, 37]);
  });

  it("values are k/16 for k in 0..16, all of them present, exactly", async () => {
    const d = await loadDigits();
    const seen = new Set<number>();
    for (const v of [...d.train.images, ...d.test.images]) {
      const k = v * 16;
      expect(Number.isInteger(k) && k >= 0 && k <= 16).toBe(true);
      seen.add(k);
    }
    expect(seen.size).toBe(17);
  });

  it("the split is fixed: the first 1,437 rows train, the last 360 test, in file order", async () => {
    const a = await loadDigits();
    const b = await loadDigits();
    expect(a.train.images).not.toBe(b.train.images); // fresh arrays per call
    expect(a.train.images).toEqual(b.train.images);
    expect(Array.from(a.train.labels.subarray(0, 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // First row of the source file: 0,0,5,13,9,1,0,0,... label 0.
    expect(Array.from(a.train.images.subarray(0, 8), (v) => v * 16)).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    const raw = await digitsBytes();
    expect(a.test.labels[0]).toBe(raw[1797 * 64 + 1437]);
    expect(a.test.images[64 * 359 + 63]).toBe((raw[1796 * 64 + 63] as number) / 16);
  });

  it("decodes to the bytes the converter hashed", async () => {
    const raw = await digitsBytes();
    const digest = Buffer.from(await crypto.subtle.digest("SHA-256", raw as Uint8Array<ArrayBuffer>)).toString("hex");
    expect(digest).toBe(DIGITS_SHA256);
  });

  it.skipIf(!existsSync(CSV))("matches the source CSV value for value", async () => {
    const rows = gunzipSync(readFileSync(CSV))
      .toString("utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => l.split(",").map(Number));
    const d = await loadDigits();
    expect(rows.length).toBe(1797);
    rows.forEach((row, i) => {
      const split = i < 1437 ? d.train : d.test;
      const r = i < 1437 ? i : i - 1437;
      const got = Array.from(split.images.subarray(r * 64, r * 64 + 64), (v) => v * 16);
      expect([...got, split.labels[r]]).toEqual(row);
    });
  });

  it("is what loadDataset and datasetFromFiles return for 'digits', with no files", async () => {
    const viaNode = await loadDataset("digits", { download: false, dataDir: "/nonexistent" });
    const viaFiles = await datasetFromFiles("digits", {});
    expect(viaNode.test.images).toEqual(viaFiles.test.images);
  });

  it("unknown dataset names are refused with the list of valid ones", async () => {
    await expect(loadDataset("emnist")).rejects.toThrow('dataset "emnist" is not one of digits, mnist, fashion-mnist, cifar10');
  });
});
