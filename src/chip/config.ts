// The `chip` field of a run config: schema (every field optional), defaults with their sources,
// and resolution into a ChipDescription the mapping and the cost model work from.

import { CMOS_NODES, type CmosNode } from "../cost/circuits/technology.js";
import { InputError } from "../engine/errors.js";
import * as z from "../engine/schema.js";

const int = (min: number, max: number) => z.number().check(z.int(), z.minimum(min), z.maximum(max));
const pow2 = (min: number, max: number) =>
  int(min, max).check(z.refine((n) => (n & (n - 1)) === 0, `must be a power of two from ${min} to ${max}`));

export const ADC_TYPES = ["mlsa", "sar"] as const;
export type AdcType = (typeof ADC_TYPES)[number];

const adcReadSchema = z.partial(z.strictObject({ type: z.enum(ADC_TYPES), bits: int(1, 10), mux: pow2(1, 128) }));

export const chipConfigSchema = z.partial(
  z.strictObject({
    technology: z.literal(CMOS_NODES as unknown as CmosNode[]),
    roadmap: z.enum(["lstp", "hp"]),
    temperature: int(300, 400),
    cellType: z.enum(["device", "rram", "fefet", "sram"]),
    convPositions: z.enum(["unpadded", "padded"]),
    clock: z.number().check(z.minimum(1e6), z.maximum(1e10)),
    subArray: z.partial(z.strictObject({ rows: pow2(16, 1024), cols: pow2(16, 1024) })),
    cellAccess: z.enum(["1t1r", "crossbar"]),
    cellBits: int(1, 8),
    weightBits: int(1, 16),
    activationBits: int(1, 16),
    errorBits: int(1, 16),
    dacBits: int(1, 8),
    adc: z.partial(
      z.strictObject({
        type: z.enum(ADC_TYPES),
        sense: z.enum(["current", "voltage"]),
        bits: int(1, 10),
        mux: pow2(1, 128),
        error: adcReadSchema,
        gradient: adcReadSchema,
      }),
    ),
    mapping: z.enum(["novel", "conventional"]),
    buffers: z.partial(
      z.strictObject({
        global: z.enum(["register", "sram"]),
        tile: z.enum(["register", "sram"]),
        pe: z.enum(["register", "sram"]),
        backward: z.enum(["global", "local"]),
      }),
    ),
    maxBusWidth: pow2(64, 65536),
    dram: z.enum(["hbm2", "gddr5"]),
    wgUnit: z.partial(
      z.strictObject({
        rows: pow2(16, 1024),
        cols: pow2(16, 1024),
        sharing: z.enum(["shared", "per-layer"]),
        accumulation: z.enum(["dram", "on-chip"]),
      }),
    ),
  }),
);

export type ChipConfig = z.infer<typeof chipConfigSchema>;

export interface AdcRead {
  type: AdcType;
  bits: number;
  /** Columns (forward) or rows (error, gradient) sharing one ADC. */
  mux: number;
}

export type BufferType = "register" | "sram";

/** The chip config with every field filled in. */
export interface ResolvedChipConfig {
  /** CMOS node (nm), with NeuroSim's wire width for it (Param.cpp's table). */
  technology: CmosNode;
  /** Transistor roadmap: low standby power (NeuroSim deviceroadmap 2, its default) or high performance (1). */
  roadmap: "lstp" | "hp";
  /** Temperature (K): transistor currents and wire resistivity (NeuroSim temp). */
  temperature: number;
  /** The synaptic cell circuit: the device preset's cell, or a given one (NeuroSim memcelltype; "sram" stores one bit per cell). */
  cellType: "device" | "rram" | "fefet" | "sram";
  /**
   * Output positions of a convolution for the cost: on the unpadded input, (H − K + 1)/stride per
   * side, as DNN+NeuroSim V2.1 counts them, or on the zero-padded map the network computes.
   */
  convPositions: "unpadded" | "padded";
  clock: number;
  /** Sub-array rows and columns (NeuroSim numRowSubArray, numColSubArray). */
  subArray: { rows: number; cols: number };
  cellAccess: "1t1r" | "crossbar";
  cellBits: number;
  weightBits: number;
  activationBits: number;
  errorBits: number;
  dacBits: number;
  /** `sense`: the multilevel sense amplifier's mode, current (NeuroSim currentMode true) or voltage. */
  adc: AdcRead & { sense: "current" | "voltage"; error: AdcRead; gradient: AdcRead };
  mapping: "novel" | "conventional";
  /**
   * Buffer circuits (NeuroSim global/tile/peBufferType), and where the backward pass's data (the
   * activations and errors the error reads and gradients move) waits: in the one global buffer, as
   * NeuroSim (one layer at a time), or in a buffer beside each layer (its area is charged), so the
   * layers' backward transfers need not queue for the global one.
   */
  buffers: { global: BufferType; tile: BufferType; pe: BufferType; backward: "global" | "local" };
  maxBusWidth: number;
  dram: "hbm2" | "gddr5";
  /**
   * The weight-gradient unit: its SRAM sub-array size (NeuroSim numRowSubArrayWG, numColSubArrayWG),
   * and whether one unit is shared by all layers (time-multiplexed, as NeuroSim) or each layer has
   * its own (lets the dfa-parallel schedule overlap the layers' gradients; their area is charged);
   * and where a batch's per-image gradients are summed: NeuroSim writes each image's gradient to
   * DRAM and reads it back ("dram"), or an SRAM accumulator beside each layer keeps the running sum
   * ("on-chip": no DRAM round trip; the accumulators' area is charged).
   */
  wgUnit: { rows: number; cols: number; sharing: "shared" | "per-layer"; accumulation: "dram" | "on-chip" };
}

/**
 * Defaults: DNN+NeuroSim V2.1 (its Training_pytorch/NeuroSIM/Param.cpp, and the effective values of its train.py and inference flags):
 * technode 32 nm, clkFreq 1 GHz, 128 × 128 sub-arrays, 1T1R access (accesstype 1), cellBit 5,
 * wl_weight 5, wl_activate 8, wl_error 8, bit-serial inputs (one bit per read: dacBits 1),
 * MLSA ADC (SARADC false) with levelOutput 64 (6 b) and numColMuxed 8, levelOutputAG 64 and
 * numRowMuxedAG 8 for the error read, levelOutputWG 16 (4 b) and numRowMuxedWG 8 for the gradient
 * read, novelMapping true, register-file buffers (global/tile/peBufferType false),
 * maxGlobalBusWidth 8192, dramType 2 (HBM2), 128 × 128 weight-gradient sub-arrays, one shared
 * weight-gradient unit (NeuroSim has one), per-image gradients accumulated through DRAM and the
 * backward data in the global buffer (as NeuroSim's ChipCalculatePerformance moves them).
 */
export const CHIP_DEFAULTS: ResolvedChipConfig = {
  technology: 32,
  roadmap: "lstp",
  temperature: 300,
  cellType: "device",
  convPositions: "unpadded",
  clock: 1e9,
  subArray: { rows: 128, cols: 128 },
  cellAccess: "1t1r",
  cellBits: 5,
  weightBits: 5,
  activationBits: 8,
  errorBits: 8,
  dacBits: 1,
  adc: {
    type: "mlsa",
    sense: "current",
    bits: 6,
    mux: 8,
    error: { type: "mlsa", bits: 6, mux: 8 },
    gradient: { type: "mlsa", bits: 4, mux: 8 },
  },
  mapping: "novel",
  buffers: { global: "register", tile: "register", pe: "register", backward: "global" },
  maxBusWidth: 8192,
  dram: "hbm2",
  wgUnit: { rows: 128, cols: 128, sharing: "shared", accumulation: "dram" },
};

/** Fills in every default; the error and gradient ADCs inherit the forward ADC's type when not given. */
export function resolveChipConfig(config: ChipConfig = {}): ResolvedChipConfig {
  const d = CHIP_DEFAULTS;
  const adc = config.adc ?? {};
  const type = adc.type ?? d.adc.type;
  const resolved: ResolvedChipConfig = {
    technology: config.technology ?? d.technology,
    roadmap: config.roadmap ?? d.roadmap,
    temperature: config.temperature ?? d.temperature,
    cellType: config.cellType ?? d.cellType,
    convPositions: config.convPositions ?? d.convPositions,
    clock: config.clock ?? d.clock,
    subArray: { ...d.subArray, ...config.subArray },
    cellAccess: config.cellAccess ?? d.cellAccess,
    cellBits: config.cellBits ?? d.cellBits,
    weightBits: config.weightBits ?? d.weightBits,
    activationBits: config.activationBits ?? d.activationBits,
    errorBits: config.errorBits ?? d.errorBits,
    dacBits: config.dacBits ?? d.dacBits,
    adc: {
      type,
      sense: adc.sense ?? d.adc.sense,
      bits: adc.bits ?? d.adc.bits,
      mux: adc.mux ?? d.adc.mux,
      error: { type, bits: adc.bits ?? d.adc.error.bits, mux: adc.mux ?? d.adc.error.mux, ...adc.error },
      gradient: { type, bits: d.adc.gradient.bits, mux: d.adc.gradient.mux, ...adc.gradient },
    },
    mapping: config.mapping ?? d.mapping,
    buffers: { ...d.buffers, ...config.buffers },
    maxBusWidth: config.maxBusWidth ?? d.maxBusWidth,
    dram: config.dram ?? d.dram,
    wgUnit: { ...d.wgUnit, ...config.wgUnit },
  };
  for (const [name, read, lines] of [
    ["adc.mux", resolved.adc, resolved.subArray.cols],
    ["adc.error.mux", resolved.adc.error, resolved.subArray.rows],
    ["adc.gradient.mux", resolved.adc.gradient, resolved.wgUnit.cols],
  ] as const) {
    if (read.mux > lines) {
      throw new InputError(`chip.${name}: ${read.mux} exceeds the ${lines} lines of the sub-array it multiplexes; allowed: 1 … ${lines}`);
    }
  }
  if (resolved.cellBits > resolved.weightBits) {
    throw new InputError(
      `chip.cellBits: ${resolved.cellBits} exceeds chip.weightBits ${resolved.weightBits}; a cell cannot hold more bits than a weight has`,
    );
  }
  if (resolved.dacBits > Math.min(resolved.activationBits, resolved.errorBits)) {
    throw new InputError(
      `chip.dacBits: ${resolved.dacBits} exceeds the activation (${resolved.activationBits}) or error (${resolved.errorBits}) bits it slices`,
    );
  }
  return resolved;
}
