// The data layer's browser-safe API: parsing from bytes, the embedded digits,
// gunzip with DecompressionStream, shuffling and batching. No node: imports —
// the Node-only discovery, cache and download are in ./node.ts.

export {
  CIFAR_DIR,
  CIFAR_FILES,
  CIFAR_PIXELS,
  CIFAR_RECORD,
  CIFAR_TEST_FILE,
  CIFAR_TRAIN_FILES,
  type CifarBatch,
  cifarDataset,
  cifarFromTar,
  cifarSplit,
  parseCifarBatch,
  untar,
} from "./cifar.js";
export {
  bytesToUnit,
  checkDatasetName,
  classCounts,
  DATASET_INFO,
  DATASET_NAMES,
  type Dataset,
  DatasetError,
  type DatasetName,
  DatasetNotFoundError,
  type ImageShape,
  isDatasetName,
  makeSplit,
  type Split,
} from "./dataset.js";
export { DIGITS_TEST, DIGITS_TRAIN, digitsBytes, loadDigits } from "./digits.js";
export { CIFAR_ARCHIVE, datasetFromFiles, expectedFiles, type FromFilesOptions } from "./files.js";
export { type Gunzip, isGzip, maybeGunzip, webGunzip } from "./gzip.js";
export {
  IDX_FILES,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  IDX_ROLES,
  type IdxImages,
  type IdxRole,
  idxDataset,
  idxFileNames,
  idxSplit,
  type NamedBytes,
  parseIdxImages,
  parseIdxLabels,
} from "./idx.js";
export {
  batchCount,
  gatherBatch,
  gatherBatchInto,
  permutation,
  SHUFFLE_LAYER,
  Shuffler,
  subset,
  validationSplit,
} from "./shuffle.js";
