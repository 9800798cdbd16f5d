// Datasets from file contents the caller already has (a browser's file picker
// or fetch, or the Node loader): file names are matched by their base name,
// gzip is detected by magic bytes. Pure; no node: imports.

import { CIFAR_FILES, cifarDataset, cifarFromTar } from "./cifar.js";
import { checkDatasetName, DATASET_INFO, type Dataset, type DatasetName, DatasetNotFoundError } from "./dataset.js";
import { loadDigits } from "./digits.js";
import { type Gunzip, maybeGunzip, webGunzip } from "./gzip.js";
import { IDX_ROLES, type IdxRole, idxDataset, idxFileNames, type NamedBytes } from "./idx.js";

/** The official CIFAR-10 binary archive's name. */
export const CIFAR_ARCHIVE = "cifar-10-binary.tar.gz";

export interface FromFilesOptions {
  /** Decompressor for gzip files; default DecompressionStream. */
  gunzip?: Gunzip;
  /** Where the files came from, recorded as `Dataset.source`. */
  source?: string;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

/** The file names a dataset is read from, for messages: one entry per needed file, its accepted spellings joined by " or ". */
export function expectedFiles(name: Exclude<DatasetName, "digits">): string[] {
  if (name === "cifar10") return [...CIFAR_FILES];
  return IDX_ROLES.map((role) => idxFileNames(role).slice(0, 2).join(" or "));
}

/**
 * A dataset from files keyed by name or path (only the base name counts):
 * for mnist / fashion-mnist the four IDX files (train-images-idx3-ubyte[.gz],
 * train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz],
 * t10k-labels-idx1-ubyte[.gz]); for cifar10 the six batches
 * (data_batch_1.bin … data_batch_5.bin, test_batch.bin) or the archive
 * cifar-10-binary.tar.gz; digits needs none.
 */
export async function datasetFromFiles(
  name: string,
  files: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>,
  options: FromFilesOptions = {},
): Promise<Dataset> {
  const dataset = checkDatasetName(name);
  if (dataset === "digits") return loadDigits();
  const gunzip = options.gunzip ?? webGunzip;
  const byBase = new Map<string, NamedBytes>();
  for (const [path, bytes] of files instanceof Map ? files : Object.entries(files)) byBase.set(baseName(path), { name: path, bytes });
  const source = options.source ?? "the given files";

  if (dataset === "cifar10") {
    const haveBatches = CIFAR_FILES.some((f) => byBase.has(f));
    const archive = byBase.get(CIFAR_ARCHIVE);
    if (!haveBatches && archive) return cifarFromTar(await maybeGunzip(archive.bytes, archive.name, gunzip), archive.name);
    const plain = new Map<string, NamedBytes>();
    for (const f of CIFAR_FILES) {
      const nb = byBase.get(f);
      if (nb) plain.set(f, { name: nb.name, bytes: await maybeGunzip(nb.bytes, nb.name, gunzip) });
    }
    return cifarDataset(plain, source);
  }

  const found: Partial<Record<IdxRole, NamedBytes>> = {};
  const missing: string[] = [];
  for (const role of IDX_ROLES) {
    const hit = idxFileNames(role)
      .map((n) => byBase.get(n))
      .find((nb) => nb !== undefined);
    if (hit) found[role] = { name: hit.name, bytes: await maybeGunzip(hit.bytes, hit.name, gunzip) };
    else missing.push(idxFileNames(role).slice(0, 2).join(" or "));
  }
  if (missing.length > 0) throw new DatasetNotFoundError(`${dataset}: ${source} lack ${missing.join(", ")}`);
  const info = DATASET_INFO[dataset];
  return idxDataset(found as Record<IdxRole, NamedBytes>, { name: dataset, ...info, source });
}
