// The wasm module's exports as TypeScript sees them: the declarations are generated from the
// AssemblyScript sources by the compiler (src/engine/kernels.generated.ts, written by `npm run
// asbuild`), so a kernel's signature has one source. Pointers are byte offsets into the module's
// memory; booleans cross as 0 / 1.

import { GENERATED_EXPORT_NAMES, type GeneratedKernelExports } from "./kernels.generated.js";

export type KernelExports = GeneratedKernelExports;

/**
 * The parameter blocks' field offsets, by the wasm globals that hold them (docs/abi.md): the module is
 * their one source; hosts read them with `paramOffsets`.
 */
export const PARAM_BLOCKS = {
  program: {
    dwScale: "PROGRAM_AT_DW_SCALE",
    gMin: "PROGRAM_AT_GMIN",
    gMax: "PROGRAM_AT_GMAX",
    aLtp: "PROGRAM_AT_A_LTP",
    aLtd: "PROGRAM_AT_A_LTD",
    levelsLtp: "PROGRAM_AT_LEVELS_LTP",
    levelsLtd: "PROGRAM_AT_LEVELS_LTD",
    c2c: "PROGRAM_AT_C2C",
    threshold: "PROGRAM_AT_THRESHOLD",
    rounding: "PROGRAM_AT_ROUNDING",
    c2cSqrt: "PROGRAM_AT_C2C_SQRT",
    seed: "PROGRAM_AT_SEED",
    streamC2c: "PROGRAM_AT_STREAM_C2C",
    streamRound: "PROGRAM_AT_STREAM_ROUND",
    step: "PROGRAM_AT_STEP",
  },
  read: {
    adcBits: "READ_AT_ADC_BITS",
    adcMode: "READ_AT_ADC_MODE",
    seed: "READ_AT_SEED",
    stream: "READ_AT_STREAM",
    step: "READ_AT_STEP",
    adcLo: "READ_AT_ADC_LO",
    adcHi: "READ_AT_ADC_HI",
    noise: "READ_AT_NOISE",
    gRef: "READ_AT_GREF",
  },
  neurosim: {
    gradScale: "NEUROSIM_AT_GRAD_SCALE",
    levels: "NEUROSIM_AT_LEVELS",
    aLtp: "NEUROSIM_AT_A_LTP",
    aLtd: "NEUROSIM_AT_A_LTD",
    weightSteps: "NEUROSIM_AT_WEIGHT_STEPS",
    gradSteps: "NEUROSIM_AT_GRAD_STEPS",
    c2c: "NEUROSIM_AT_C2C",
    seed: "NEUROSIM_AT_SEED",
    streamRound: "NEUROSIM_AT_STREAM_ROUND",
    streamC2c: "NEUROSIM_AT_STREAM_C2C",
    step: "NEUROSIM_AT_STEP",
  },
} as const satisfies Record<string, Record<string, keyof GeneratedKernelExports>>;

type Blocks = typeof PARAM_BLOCKS;
type OffsetGlobal = { [B in keyof Blocks]: Blocks[B][keyof Blocks[B]] }[keyof Blocks];

const offsetCache = new WeakMap<KernelExports, Map<string, Record<string, number>>>();

/** A parameter block's field offsets (bytes), read from the module once per instance. */
export function paramOffsets<B extends keyof Blocks>(k: KernelExports, block: B): { [F in keyof Blocks[B]]: number } {
  let byBlock = offsetCache.get(k);
  if (!byBlock) {
    byBlock = new Map();
    offsetCache.set(k, byBlock);
  }
  let offsets = byBlock.get(block);
  if (!offsets) {
    const names = PARAM_BLOCKS[block] as Record<string, OffsetGlobal>;
    offsets = Object.fromEntries(Object.entries(names).map(([field, global]) => [field, k[global].value as number]));
    byBlock.set(block, offsets);
  }
  return offsets as { [F in keyof Blocks[B]]: number };
}

/** Every export the module must provide (a test checks the module's export list against it). */
export const KERNEL_EXPORT_NAMES: readonly (keyof KernelExports)[] = GENERATED_EXPORT_NAMES;

/**
 * Scratch of a bit-serial read of `rows` batch rows (the kernel's layout: partial sums of both
 * column sets, reference sums, active-row counts, row lists per bit, sign and row), 16-aligned. A
 * threaded engine's reads need it for the batch plus one row per extra thread: every thread's share
 * is whole rows.
 */
export function bitSerialScratchBytes(rows: number, N: number, bits: number, blockRows: number): number {
  // 2·rows·N f32 sums, 2·rows f32 and i32 per row, rows·bits·2 lists of blockRows u16 and an i32 count.
  return Math.ceil((rows * (8 * N + 8 + 4 * bits * (blockRows + 2))) / 16) * 16;
}
