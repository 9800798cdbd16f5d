// Node side of the data layer: discovery order, cache, download with checksums
// from a local HTTP server (127.0.0.1 only), and the offline error. Nothing here
// touches the network or the real cache.

import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  checkNotTheOther,
  DatasetError,
  DatasetNotFoundError,
  defaultCacheDir,
  loadDataset,
  locateDataset,
  type NodeLoadOptions,
  REMOTE_SOURCES,
} from "../src/data/node.js";
import { cifarSet, gzip, idxSet, tar, tempDir, writeFiles } from "./data-helpers.js";

const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

let tmp: { dir: string; cleanup: () => void };
afterEach(() => tmp?.cleanup());

/** Options that see only the temporary tree: no real cache, no system dirs, no process env, no download. */
function isolated(extra: NodeLoadOptions = {}): NodeLoadOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    env: { HOME: join(tmp.dir, "home") },
    systemDirs: [],
    download: false,
    log: (l) => lines.push(l),
    lines,
    ...extra,
  };
}

describe("cache location", () => {
  it("is $XDG_CACHE_HOME/cimlearn, else ~/.cache/cimlearn (a relative XDG_CACHE_HOME is ignored)", () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/xdg", HOME: "/h" })).toBe("/xdg/cimlearn");
    expect(defaultCacheDir({ HOME: "/h" })).toBe("/h/.cache/cimlearn");
    expect(defaultCacheDir({ XDG_CACHE_HOME: "rel", HOME: "/h" })).toBe("/h/.cache/cimlearn");
  });
});

describe("discovery", () => {
  it("searches --data-dir, then CIMLEARN_DATA, then the cache, then system locations", async () => {
    tmp = tempDir();
    const d = (name: string) => join(tmp.dir, name);
    // A different training-set size in each place tells them apart.
    writeFiles(d("explicit"), idxSet("fashion-mnist/", true, 11));
    writeFiles(d("env"), idxSet("", false, 12));
    writeFiles(d("xdg/cimlearn"), idxSet("fashion-mnist/", true, 13));
    writeFiles(d("sys"), idxSet("fashion-mnist/", true, 14));
    const opts = isolated({ dataDir: d("explicit"), env: { CIMLEARN_DATA: d("env"), XDG_CACHE_HOME: d("xdg") }, systemDirs: [d("sys")] });

    const a = await loadDataset("fashion-mnist", opts);
    expect(a.train.count).toBe(11);
    expect(a.source).toBe(d("explicit/fashion-mnist"));
    expect(opts.lines).toEqual([`fashion-mnist: reading ${d("explicit/fashion-mnist")} (--data-dir)`]);

    const { dataDir: _, ...noDir } = opts;
    expect((await loadDataset("fashion-mnist", noDir)).train.count).toBe(12);
    expect(locateDataset("fashion-mnist", noDir)).toMatchObject({ dir: d("env"), origin: "CIMLEARN_DATA" });

    const cacheOnly = { ...noDir, env: { XDG_CACHE_HOME: d("xdg") } };
    expect((await loadDataset("fashion-mnist", cacheOnly)).train.count).toBe(13);
    expect(locateDataset("fashion-mnist", cacheOnly)?.origin).toBe("cache");

    const systemOnly = { ...noDir, env: { HOME: d("home") } };
    expect((await loadDataset("fashion-mnist", systemOnly)).train.count).toBe(14);
    expect(locateDataset("fashion-mnist", systemOnly)).toMatchObject({ dir: d("sys/fashion-mnist"), origin: "system" });

    // Another dataset's subfolder is not taken for this one (files directly in --data-dir or
    // $CIMLEARN_DATA are: the user pointed there).
    expect(locateDataset("mnist", cacheOnly)).toBeNull();
    expect(locateDataset("mnist", systemOnly)).toBeNull();
    expect(locateDataset("mnist", noDir)?.dir).toBe(d("env"));
  });

  it("accepts the usual subfolder layouts and several CIMLEARN_DATA directories", () => {
    tmp = tempDir();
    const d = (name: string) => join(tmp.dir, name);
    writeFiles(d("a"), idxSet("MNIST/raw/", false));
    writeFiles(d("b"), idxSet("FashionMNIST/raw/", true));
    writeFiles(d("c"), cifarSet("cifar-10-batches-bin/"));
    const opts = isolated({ env: { CIMLEARN_DATA: [d("empty"), d("a"), d("b"), d("c")].join(":") } });
    expect(locateDataset("mnist", opts)?.dir).toBe(d("a/MNIST/raw"));
    expect(locateDataset("fashion-mnist", opts)?.dir).toBe(d("b/FashionMNIST/raw"));
    expect(locateDataset("cifar10", opts)?.dir).toBe(d("c/cifar-10-batches-bin"));
    expect(locateDataset("digits", opts)).toBeNull();
  });

  it("a partial set in --data-dir is an error naming what is there and what is missing", () => {
    tmp = tempDir();
    const files = idxSet("mnist/", true);
    delete files["mnist/t10k-images-idx3-ubyte.gz"];
    writeFiles(tmp.dir, files);
    const dir = join(tmp.dir, "mnist");
    expect(() => locateDataset("mnist", isolated({ dataDir: tmp.dir }))).toThrow(
      `mnist: ${dir} (from --data-dir) has an incomplete set: found train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-labels-idx1-ubyte.gz; missing t10k-images-idx3-ubyte or t10k-images-idx3-ubyte.gz`,
    );
    const cifar = cifarSet();
    delete cifar["data_batch_5.bin"];
    writeFiles(join(tmp.dir, "c"), cifar);
    expect(() => locateDataset("cifar10", isolated({ dataDir: join(tmp.dir, "c") }))).toThrow(
      /has an incomplete set: .*missing data_batch_5\.bin/,
    );
  });

  it("reads the CIFAR-10 archive where it lies, and a corrupt file in a found set names that file", async () => {
    tmp = tempDir();
    writeFiles(tmp.dir, { "cifar-10-binary.tar.gz": gzip(tar(cifarSet("cifar-10-batches-bin/"))) });
    const d = await loadDataset("cifar10", isolated({ dataDir: tmp.dir }));
    expect(d.train.count).toBe(15);
    expect(d.source).toBe(join(tmp.dir, "cifar-10-binary.tar.gz"));

    const files = idxSet("", true);
    const images = files["train-images-idx3-ubyte.gz"] as Uint8Array;
    files["train-images-idx3-ubyte.gz"] = images.subarray(0, images.length - 30);
    writeFiles(join(tmp.dir, "m"), files);
    const e = await loadDataset("mnist", isolated({ dataDir: join(tmp.dir, "m") })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DatasetError);
    expect((e as Error).message).toContain(`${join(tmp.dir, "m", "train-images-idx3-ubyte.gz")}: corrupt gzip data`);
  });

  it("refuses Fashion-MNIST's label file (known by its published MD5) when MNIST is asked for", () => {
    const fake = new Uint8Array([1, 2, 3]);
    // The real file is not here: a table that publishes the fake's MD5 for Fashion-MNIST stands in for the real one.
    const fm = REMOTE_SOURCES["fashion-mnist"];
    const sources = {
      ...REMOTE_SOURCES,
      "fashion-mnist": { ...fm, files: fm.files.map((f) => (f.name === "train-labels-idx1-ubyte.gz" ? { ...f, checksum: md5(fake) } : f)) },
    };
    expect(() => checkNotTheOther("mnist", "/d/train-labels-idx1-ubyte.gz", fake, sources)).toThrow(
      `/d/train-labels-idx1-ubyte.gz: this is fashion-mnist's train-labels-idx1-ubyte.gz (its published MD5 ${md5(fake)}), not mnist's; keep each dataset in its own subfolder (mnist/, fashion-mnist/)`,
    );
    expect(() => checkNotTheOther("fashion-mnist", "/d/train-labels-idx1-ubyte.gz", fake, sources)).not.toThrow();
    expect(() => checkNotTheOther("mnist", "/d/train-labels-idx1-ubyte.gz", fake)).not.toThrow();
  });

  it("with nothing found and downloading off, says how to provide the files", async () => {
    tmp = tempDir();
    const e = (await loadDataset("fashion-mnist", isolated({ cacheDir: join(tmp.dir, "cache") })).catch((x: unknown) => x)) as Error;
    expect(e).toBeInstanceOf(DatasetNotFoundError);
    expect(e.message).toMatch(/^fashion-mnist: the data files are not on this machine, and downloading is turned off\./);
    for (const s of [
      "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz",
      "--data-dir DIR",
      "CIMLEARN_DATA",
      `${join(tmp.dir, "cache", "fashion-mnist")}/`,
      "apt-get install dataset-fashion-mnist",
      "/usr/share/datasets/fashion-mnist/",
    ]) {
      expect(e.message).toContain(s);
    }
  });
});

describe("download", () => {
  let server: Server;
  let base: string;
  const served = new Map<string, Uint8Array>();
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? "/";
      requests.push(path);
      if (path.startsWith("/hang/")) return; // never answers
      const body = served.get(path);
      if (!body) {
        res.writeHead(404, "Not Found").end();
        return;
      }
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length }).end(body);
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  });

  function serve(prefix: string, files: Record<string, Uint8Array>): Record<string, string> {
    const sums: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(files)) {
      served.set(`${prefix}${name}`, bytes);
      sums[name] = md5(bytes);
    }
    return sums;
  }

  it("downloads into the cache, verifies the checksums, says so, and reads from the cache afterwards", async () => {
    tmp = tempDir();
    const files = idxSet("", true, 20, 10);
    const sums = serve("/fm/", files);
    sums["t10k-labels-idx1-ubyte.gz"] = sha256(files["t10k-labels-idx1-ubyte.gz"] as Uint8Array); // SHA-256 works too
    const cache = join(tmp.dir, "xdg");
    const opts = isolated({ download: true, env: { XDG_CACHE_HOME: cache }, baseUrl: `${base}/fm/`, checksums: sums });
    requests.length = 0;
    const d = await loadDataset("fashion-mnist", opts);
    expect(d.train.count).toBe(20);
    const dir = join(cache, "cimlearn", "fashion-mnist");
    expect(d.source).toBe(dir);
    expect(readdirSync(dir).sort()).toEqual(Object.keys(files).sort()); // no .part left
    expect(requests.sort()).toEqual(
      Object.keys(files)
        .map((f) => `/fm/${f}`)
        .sort(),
    );
    const log = opts.lines.join("\n");
    expect(log).toContain(`fashion-mnist: not found on this machine; downloading it into ${dir}`);
    expect(log).toContain(`downloading ${base}/fm/train-images-idx3-ubyte.gz`);
    expect(log).toContain(`train-images-idx3-ubyte.gz: 0.0 MB, MD5 ${sums["train-images-idx3-ubyte.gz"]} verified`);
    expect(log).toContain("t10k-labels-idx1-ubyte.gz: 0.0 MB, SHA256");
    expect(opts.lines.at(-1)).toBe(`fashion-mnist: reading ${dir} (the cache)`);

    requests.length = 0;
    opts.lines.length = 0;
    expect((await loadDataset("fashion-mnist", opts)).train.count).toBe(20);
    expect(requests).toEqual([]);
    expect(opts.lines).toEqual([`fashion-mnist: reading ${dir} (the cache)`]);
  });

  it("a checksum mismatch fails naming the URL and both digests, and keeps nothing", async () => {
    tmp = tempDir();
    serve("/bad/", idxSet("", true)); // built here: cannot match the published MNIST checksums
    const cache = join(tmp.dir, "cache");
    const opts = isolated({ download: true, cacheDir: cache, baseUrl: `${base}/bad/` });
    const e = (await loadDataset("mnist", opts).catch((x: unknown) => x)) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e).not.toBeInstanceOf(DatasetNotFoundError);
    const published = REMOTE_SOURCES.mnist.files[0]?.checksum;
    expect(e.message).toMatch(
      new RegExp(
        `^mnist: checksum mismatch for ${base}/bad/train-images-idx3-ubyte\\.gz: expected MD5 ${published}, found [0-9a-f]{32} \\(`,
      ),
    );
    expect(e.message).toContain("the download was deleted");
    expect(readdirSync(join(cache, "mnist"))).toEqual([]);
  });

  it("tries the next URL after an HTTP error, and fetches only the files the cache lacks", async () => {
    tmp = tempDir();
    const files = idxSet("", true);
    const sums = serve("/mirror/", files);
    const cache = join(tmp.dir, "cache");
    const keep = { "mnist/train-images-idx3-ubyte.gz": files["train-images-idx3-ubyte.gz"] as Uint8Array };
    writeFiles(cache, keep);
    const opts = isolated({ download: true, cacheDir: cache, baseUrl: [`${base}/missing/`, `${base}/mirror/`], checksums: sums });
    requests.length = 0;
    expect((await loadDataset("mnist", opts)).test.count).toBe(12);
    expect(requests).not.toContain("/missing/train-images-idx3-ubyte.gz");
    expect(requests).not.toContain("/mirror/train-images-idx3-ubyte.gz");
    expect(requests).toContain("/missing/t10k-images-idx3-ubyte.gz");
    expect(requests).toContain("/mirror/t10k-images-idx3-ubyte.gz");
  });

  it("an HTTP error from every URL fails with the statuses and the how-to", async () => {
    tmp = tempDir();
    const opts = isolated({ download: true, cacheDir: join(tmp.dir, "c"), baseUrl: `${base}/nothing/` });
    const e = (await loadDataset("mnist", opts).catch((x: unknown) => x)) as Error;
    expect(e).toBeInstanceOf(DatasetNotFoundError);
    expect(e.message).toContain(`the download failed (${base}/nothing/train-images-idx3-ubyte.gz: HTTP 404 Not Found)`);
    expect(e.message).toContain("--data-dir DIR");
  });

  it("offline (connection refused): says exactly how to provide the files", async () => {
    tmp = tempDir();
    const cache = join(tmp.dir, "cache");
    // A port that was free a moment ago: nothing listens there, so the connection is refused.
    const probe = createServer();
    await new Promise<void>((ok) => probe.listen(0, "127.0.0.1", ok));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((ok) => probe.close(ok));
    const opts = isolated({ download: true, cacheDir: cache, baseUrl: `http://127.0.0.1:${port}/` });
    const e = (await loadDataset("fashion-mnist", opts).catch((x: unknown) => x)) as Error;
    expect(e).toBeInstanceOf(DatasetNotFoundError);
    expect(e.message).toMatch(
      /^fashion-mnist: the data files are not on this machine, and no connection to 127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\): this machine seems to be offline\.\n/,
    );
    expect(e.message).toContain(
      "Provide the four IDX files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz (gzip or uncompressed)",
    );
    expect(e.message).toContain("a directory passed with --data-dir DIR (the dataDir option), or its subfolder DIR/fashion-mnist/");
    expect(e.message).toContain("the directory in the CIMLEARN_DATA environment variable (not set)");
    expect(e.message).toContain(`the cache ${join(cache, "fashion-mnist")}/`);
    expect(e.message).toContain("apt-get install dataset-fashion-mnist");
  });

  it("a server that never answers times out and counts as offline", async () => {
    tmp = tempDir();
    const opts = isolated({ download: true, cacheDir: join(tmp.dir, "c"), baseUrl: `${base}/hang/`, timeoutMs: 200 });
    const e = (await loadDataset("cifar10", opts).catch((x: unknown) => x)) as Error;
    expect(e).toBeInstanceOf(DatasetNotFoundError);
    expect(e.message).toMatch(/no connection to 127\.0\.0\.1:\d+ \(no data for 0\.2 s\)/);
    expect(e.message).toContain("the six CIFAR-10 batches (data_batch_1.bin, data_batch_2.bin");
    expect(e.message).toContain(`\`node scripts/cifar10-from-npm.mjs\` writes them into ${join(tmp.dir, "c", "cifar-10-batches-bin")}/`);
  });

  it("uses an injected fetch", async () => {
    tmp = tempDir();
    const files = idxSet("", false);
    const sums = Object.fromEntries(Object.keys(files).map((k) => [`${k}.gz`, md5(gzip(files[k] as Uint8Array))]));
    const seen: string[] = [];
    const fakeFetch = (async (url: string | URL | Request) => {
      seen.push(String(url));
      const name = String(url).split("/").pop() as string;
      return new Response(gzip(files[name.replace(/\.gz$/, "")] as Uint8Array) as Uint8Array<ArrayBuffer>);
    }) as typeof fetch;
    const opts = isolated({ download: true, cacheDir: join(tmp.dir, "c"), fetch: fakeFetch, checksums: sums });
    // The deterministic gzip of zlib makes the re-gzipped bytes equal to the ones hashed above.
    expect((await loadDataset("mnist", opts)).train.count).toBe(30);
    expect(seen[0]).toBe(`${REMOTE_SOURCES.mnist.urls[0]}train-images-idx3-ubyte.gz`);
  });

  it("CIFAR-10: downloads the archive, verifies it, extracts the batches into the cache and deletes the archive", async () => {
    tmp = tempDir();
    const archive = gzip(tar(cifarSet("cifar-10-batches-bin/")));
    const sums = serve("/cifar/", { "cifar-10-binary.tar.gz": archive });
    const cache = join(tmp.dir, "cache");
    const opts = isolated({ download: true, cacheDir: cache, baseUrl: `${base}/cifar/`, checksums: sums });
    const d = await loadDataset("cifar10", opts);
    expect(d.train.count).toBe(15);
    expect(d.test.count).toBe(4);
    const dir = join(cache, "cifar-10-batches-bin");
    expect(d.source).toBe(dir);
    expect(readdirSync(dir).sort()).toEqual([
      "data_batch_1.bin",
      "data_batch_2.bin",
      "data_batch_3.bin",
      "data_batch_4.bin",
      "data_batch_5.bin",
      "test_batch.bin",
    ]);
    expect(existsSync(join(cache, "cifar-10-binary.tar.gz"))).toBe(false);
    expect(opts.lines.join("\n")).toContain(`cifar10: extracted data_batch_1.bin`);
  });
});
