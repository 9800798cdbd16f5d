// Datasets by name in a browser (or any runtime with fetch): the embedded digits, or the dataset's
// files fetched from a folder the page serves. The browser entry's `loadDataset`, the counterpart of
// the Node entry's (which reads folders and the download cache).

import { CIFAR_FILES } from "./cifar.js";
import { checkDatasetName, type Dataset, DatasetError } from "./dataset.js";
import { loadDigits } from "./digits.js";
import { datasetFromFiles } from "./files.js";
import type { Gunzip } from "./gzip.js";
import { IDX_ROLES, idxFileNames } from "./idx.js";

export interface FetchLoadOptions {
  /** The folder (URL) holding the dataset's files: the four IDX files (raw or .gz), or CIFAR-10's six binary batches. */
  baseUrl?: string | URL;
  /** The fetch to use (default: the global one). */
  fetch?: (url: URL) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
  gunzip?: Gunzip;
}

/** A dataset by name: digits from the bundle; mnist, fashion-mnist, cifar10 from `options.baseUrl`. */
export async function loadDataset(name: string, options: FetchLoadOptions = {}): Promise<Dataset> {
  const dataset = checkDatasetName(name);
  if (dataset === "digits") return loadDigits();
  const wanted: string[][] = dataset === "cifar10" ? CIFAR_FILES.map((f) => [f]) : IDX_ROLES.map((role) => idxFileNames(role));
  if (options.baseUrl === undefined) {
    throw new DatasetError(
      `${dataset}: options.baseUrl is needed here — the URL of a folder serving ${wanted.map((n) => n[0]).join(", ")} (or pass files the user picked to datasetFromFiles)`,
    );
  }
  const base = new URL(String(options.baseUrl).endsWith("/") ? String(options.baseUrl) : `${options.baseUrl}/`, globalThis.location?.href);
  const get = options.fetch ?? ((url: URL) => fetch(url));
  const files = new Map<string, Uint8Array>();
  for (const names of wanted) {
    let found = false;
    const tried: string[] = [];
    for (const n of names) {
      const url = new URL(n, base);
      const response = await get(url);
      if (!response.ok) {
        tried.push(`${n} (HTTP ${response.status})`);
        continue;
      }
      files.set(n, new Uint8Array(await response.arrayBuffer()));
      found = true;
      break;
    }
    if (!found) throw new DatasetError(`${dataset}: not found under ${base.href}: ${tried.join(", ")}`);
  }
  return datasetFromFiles(dataset, files, { source: base.href, ...(options.gunzip ? { gunzip: options.gunzip } : {}) });
}
