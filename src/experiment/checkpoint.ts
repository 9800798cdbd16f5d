// Checkpoints: a training run's whole state after an epoch, as one self-checking binary file
// (docs/checkpoint.md). Encoding and decoding work on bytes, so Node, browsers and other hosts share
// them; nothing is written into a network until the whole file has been checked against it.

import type { Engine } from "../engine/engine.js";
import { InputError } from "../engine/errors.js";
import type { Tensor } from "../engine/tensor.js";
import type { LayerAlignment } from "../learning/alignment.js";
import type { Network, NetworkCounters } from "../nn/network.js";
import { VERSION } from "../version.js";
import type { ResolvedRunConfig } from "./config.js";
import type { EpochRecord } from "./records.js";

/** The file's first 8 bytes. */
const MAGIC = "CIMLCKPT";
/** Bumped whenever the layout or the meaning of a field changes; files of other versions are refused. */
export const CHECKPOINT_FORMAT = 1;

/** Where a run stands after an epoch, beside the network's state. */
export interface TrainingProgress {
  /** Epochs finished. */
  epoch: number;
  images_seen: number;
  history: EpochRecord[];
  initial?: { test_loss: number; test_accuracy: number };
  initial_alignment?: LayerAlignment[];
  /** Present when the relaxed-SIMD build ran the epochs: the run continues only on that build. */
  build?: "relaxed";
}

interface TensorEntry {
  name: string;
  dtype: Tensor["dtype"];
  shape: number[];
  /** Byte offset from the start of the payload (8-aligned). */
  offset: number;
  bytes: number;
}

/** The JSON header of a checkpoint. */
export interface CheckpointHeader {
  format: typeof CHECKPOINT_FORMAT;
  /** The cimlearn version that wrote it. */
  cimlearn: string;
  config: ResolvedRunConfig;
  progress: TrainingProgress;
  counters: NetworkCounters;
  tensors: TensorEntry[];
}

/** A checked checkpoint: its header, and its payload (tensor bytes at each entry's offset). */
export interface Checkpoint {
  header: CheckpointHeader;
  payload: Uint8Array;
}

/** Config fields that may differ between a checkpoint and the run that loads it: where the data is, and what an evaluation varies. */
export type ConfigAllowance = "resume" | "evaluate";
const MAY_DIFFER: Record<ConfigAllowance, string[]> = {
  resume: ["dataDir"],
  evaluate: ["dataDir", "testSamples", "device.readNoise", "device.driftNu", "device.driftT0"],
};

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zip and PNG). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const BYTES: Record<Tensor["dtype"], number> = { f32: 4, i32: 4, u32: 4, u8: 1 };
const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** The network's state and the run's progress as checkpoint bytes. */
export function encodeCheckpoint(engine: Engine, net: Network, config: ResolvedRunConfig, progress: TrainingProgress): Uint8Array {
  const { tensors, counters } = net.checkpointState();
  const entries: TensorEntry[] = [];
  let size = 0;
  for (const [name, t] of tensors) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * BYTES[t.dtype];
    entries.push({ name, dtype: t.dtype, shape: [...t.shape], offset: size, bytes });
    size = align8(size + bytes);
  }
  const header: CheckpointHeader = { format: CHECKPOINT_FORMAT, cimlearn: VERSION, config, progress, counters, tensors: entries };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = align8(16 + json.length);
  const out = new Uint8Array(start + size + 4);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, CHECKPOINT_FORMAT, true);
  view.setUint32(12, json.length, true);
  out.set(json, 16);
  const memory = new Uint8Array(engine.memory.buffer);
  tensors.forEach(([, t], i) => {
    const e = entries[i] as TensorEntry;
    out.set(memory.subarray(t.offset, t.offset + e.bytes), start + e.offset);
  });
  view.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

/** Parses and checks checkpoint bytes: magic, format version, length, checksum, header. */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const fail = (why: string): never => {
    throw new InputError(`checkpoint: ${why}`);
  };
  if (bytes.length < 20 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) fail("not a cimlearn checkpoint (no CIMLCKPT header)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint32(8, true);
  if (format !== CHECKPOINT_FORMAT) fail(`format version ${format}; this cimlearn (${VERSION}) reads version ${CHECKPOINT_FORMAT}`);
  const headerLength = view.getUint32(12, true);
  const start = align8(16 + headerLength);
  if (start + 4 > bytes.length) fail(`truncated: ${bytes.length} bytes, the header alone needs ${start + 4}`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(16, 16 + headerLength)));
  } catch (error) {
    return fail(`the header is not valid JSON (${(error as Error).message}): the file is damaged`);
  }
  const entries = Array.isArray(header?.tensors) ? header.tensors : fail("the header lists no tensors");
  const size = entries.reduce((end, e) => Math.max(end, align8(e.offset + e.bytes)), 0);
  if (bytes.length !== start + size + 4) fail(`truncated or padded: ${bytes.length} bytes where the header describes ${start + size + 4}`);
  const stored = view.getUint32(bytes.length - 4, true);
  const actual = crc32(bytes.subarray(0, bytes.length - 4));
  if (stored !== actual) fail(`checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)}): the file was changed or damaged`);
  if (header.format !== CHECKPOINT_FORMAT) fail(`the header says format ${header.format}, the file ${format}`);
  return { header, payload: bytes.subarray(start, start + size) };
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;

/** Paths where two JSON values differ (at most `limit`), each "path (checkpoint A, this run B)". */
function differences(a: unknown, b: unknown, path: string, ignore: Set<string>, out: string[], limit = 5): void {
  if (out.length >= limit || ignore.has(path)) return;
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k, ignore, out, limit);
    }
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    const show = (v: unknown) => (v === undefined ? "unset" : JSON.stringify(v).slice(0, 80));
    out.push(`${path || "config"} (checkpoint ${show(a)}, this run ${show(b)})`);
  }
}

/**
 * Writes a checked checkpoint into `net` (built from `config`): refuses, before writing anything, a
 * config that differs beyond `allow`'s fields, or a tensor list that does not match the network's
 * names, types and shapes. Returns the run's progress.
 */
export function restoreCheckpoint(
  engine: Engine,
  net: Network,
  config: ResolvedRunConfig,
  checkpoint: Checkpoint,
  allow: ConfigAllowance = "resume",
): TrainingProgress {
  const { header, payload } = checkpoint;
  const diff: string[] = [];
  // Through JSON, as the checkpoint stores it.
  differences(header.config, JSON.parse(JSON.stringify(config)), "", new Set(MAY_DIFFER[allow]), diff);
  if (diff.length > 0) throw new InputError(`checkpoint: it was written for another config; differs at ${diff.join("; ")}`);
  const { tensors, counters } = net.checkpointState();
  const saved = new Map(header.tensors.map((e) => [e.name, e]));
  const mine = new Set(tensors.map(([name]) => name));
  const missing = tensors.filter(([name]) => !saved.has(name)).map(([name]) => name);
  const extra = header.tensors.filter((e) => !mine.has(e.name)).map((e) => e.name);
  if (missing.length > 0 || extra.length > 0) {
    const list = (xs: string[]) => xs.slice(0, 5).join(", ") + (xs.length > 5 ? ` and ${xs.length - 5} more` : "");
    throw new InputError(
      `checkpoint: its state does not match this network${missing.length ? `; missing ${list(missing)}` : ""}${extra.length ? `; unexpected ${list(extra)}` : ""}`,
    );
  }
  for (const [name, t] of tensors) {
    const e = saved.get(name) as TensorEntry;
    const bytes = t.shape.reduce((a, b) => a * b, 1) * BYTES[t.dtype];
    if (e.dtype !== t.dtype || e.shape.join("×") !== t.shape.join("×") || e.bytes !== bytes || e.offset + e.bytes > payload.length) {
      throw new InputError(`checkpoint: ${name} is ${e.dtype} [${e.shape.join("×")}], this network's is ${t.dtype} [${t.shape.join("×")}]`);
    }
  }
  const c = header.counters;
  const arrays = Object.keys(counters.reads).sort().join(",");
  if (
    Object.keys(c?.reads ?? {})
      .sort()
      .join(",") !== arrays ||
    c.events?.length !== counters.events.length
  ) {
    throw new InputError("checkpoint: its counters do not match this network's arrays");
  }
  // Checked: now write.
  const memory = new Uint8Array(engine.memory.buffer);
  for (const [name, t] of tensors) {
    const e = saved.get(name) as TensorEntry;
    memory.set(payload.subarray(e.offset, e.offset + e.bytes), t.offset);
  }
  net.restoreCounters(c);
  return header.progress;
}
