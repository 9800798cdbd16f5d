import { bitSerialScratchBytes, paramOffsets } from "../engine/abi.js";
import type { Engine } from "../engine/engine.js";
import { InputError } from "../engine/errors.js";
import { fillNormal, streamId } from "../engine/random.js";
import type { Tensor } from "../engine/tensor.js";
import {
  addProgramCounts,
  DeviceArray,
  emptyProgramCounts,
  type ProgramCounts,
  type PulseRounding,
  rowWrites,
  takeRewriteTotals,
} from "./array.js";
import type { DeviceParams } from "./params.js";

/**
 * How a signed weight lives in conductances. `differential`: a pair,
 * w = (G⁺ − G⁻)/(gMax − gMin), both centred at mid-range and pushed in
 * opposite directions by updates. `reference`: one device per weight and a
 * reference column at (gMin + gMax)/2, w = 2·(G − Gref)/(gMax − gMin) — the
 * linear map of [−1, 1] onto [gMin, gMax] that DNN+NeuroSim V2.1 uses.
 */
export type WeightMapping = "differential" | "reference";

/** The periphery of one read direction. */
export interface ReadSettings {
  /** Input DAC bits, applied bit-serially; 0 = an ideal DAC applying analog values in one shot. */
  dacBits: number;
  /** Column ADC bits; 0 = ideal. */
  adcBits: number;
  /**
   * ADC range: `min-max` of each read's partial sums (NeuroSim), `fixed` full scale [0, rows·gMax]
   * per input unit, or `neurosim-v3`: MLP+NeuroSim V3.0's — full scale rows·(gMax − gMin), 2^bits − 1
   * steps, codes truncated (not clipped), the column's and the reference's converted separately, and
   * reconstructed with gMax − gMin as weight 1 (with the reference mapping: half the weighted sum).
   */
  adcRange: "min-max" | "fixed" | "neurosim-v3";
}

export const IDEAL_READ: ReadSettings = { dacBits: 0, adcBits: 0, adcRange: "min-max" };

export interface CrossbarOptions {
  /** Input lines of the forward read (the weight matrix is rows × cols, y = x·W). */
  rows: number;
  cols: number;
  device: DeviceParams;
  mapping: WeightMapping;
  /** Input lines per sub-array: partial sums are digitized per sub-array (NeuroSim numRowSubArray, 128). */
  subArrayRows: number;
  forward: ReadSettings;
  /** Settings of the transposed read (x·Wᵀ, the error path); omit when the array is never read transposed. */
  transposed?: ReadSettings;
  seed: number;
  /** Distinguishes this array's random streams (< 2^18: each array uses up to four device streams). */
  arrayId: number;
  /** Reference mapping: the reference column's conductance, weight 0 (default mid-range; a device's symmetric point when zero-shifted). */
  zeroAt?: number;
}

/** Hardware events of reads, for the cost model. */
export interface ReadCounts {
  /** Sub-array read operations (one per sub-array, input bit-plane and sign, per batch row). */
  reads: number;
  /** Active input lines summed over those reads (activity × lines). */
  activeRows: number;
  /** ADC conversions. */
  conversions: number;
}

export function emptyReadCounts(): ReadCounts {
  return { reads: 0, activeRows: 0, conversions: 0 };
}

/**
 * A weight matrix stored in a crossbar array of devices: every read goes
 * through the DAC / array / ADC model and every update through the devices'
 * programming model. `weights` holds the weights the conductances currently
 * realize (for ideal reads, a single matrix product); it is refreshed after
 * every update.
 */
export class CrossbarArray {
  readonly rows: number;
  readonly cols: number;
  readonly options: CrossbarOptions;
  readonly plus: DeviceArray;
  readonly minus?: DeviceArray;
  /** rows × cols f32: the realized weights. */
  readonly weights: Tensor;
  /** Conductance → weight factor, and the reference conductance (reference mapping; it drifts with the cells). */
  readonly gain: number;
  gRef: number;
  private readonly plusT?: Tensor;
  private readonly minusT?: Tensor;
  private readonly params: Tensor;
  private readonly counts: Tensor;
  private readonly rowMaxSet: Tensor;
  private readonly rowMaxReset: Tensor;
  private readonly scratch: Tensor;
  private readonly codes: Tensor;
  private readonly quantized: Tensor;
  private readonly norms: Tensor;
  private readonly maxBatch: number;
  private readCalls = 0;
  /** The ideal device moves continuously (exactUpdate): updates skip pulses, levels and curves. */
  private readonly exact: boolean;
  private readonly exactCounts?: Tensor;

  constructor(
    private readonly engine: Engine,
    options: CrossbarOptions,
    /** Largest batch a read will be given: scratch is sized for it once. */
    maxBatch: number,
  ) {
    const { rows, cols, device, mapping, seed, arrayId } = options;
    for (const [name, s] of [
      ["forward", options.forward],
      ["transposed", options.transposed],
    ] as const) {
      if (!s) continue;
      if (!Number.isInteger(s.dacBits) || s.dacBits < 0 || s.dacBits > 16)
        throw new InputError(`${name} read: dacBits ${s.dacBits} must be an integer 0…16`);
      if (!Number.isInteger(s.adcBits) || s.adcBits < 0 || s.adcBits > 24)
        throw new InputError(`${name} read: adcBits ${s.adcBits} must be an integer 0…24`);
    }
    if (!Number.isInteger(options.subArrayRows) || options.subArrayRows < 1 || options.subArrayRows > 65536) {
      throw new InputError(`subArrayRows ${options.subArrayRows} must be an integer 1…65536`);
    }
    this.rows = rows;
    this.cols = cols;
    this.options = options;
    this.maxBatch = maxBatch;
    const arena = engine.arena;
    this.plus = new DeviceArray(engine, { rows, cols, device, seed, arrayId: arrayId * 4 });
    if (mapping === "differential") this.minus = new DeviceArray(engine, { rows, cols, device, seed, arrayId: arrayId * 4 + 1 });
    const range = device.gMax - device.gMin;
    this.gain = mapping === "differential" ? 1 / range : 2 / range;
    this.gRef = mapping === "differential" ? 0 : (options.zeroAt ?? (device.gMin + device.gMax) / 2);
    this.weights = arena.tensor([rows, cols]);
    const transposedAnalog = options.transposed !== undefined && !this.isIdeal(options.transposed);
    if (transposedAnalog) {
      this.plusT = arena.tensor([cols, rows]);
      if (this.minus) this.minusT = arena.tensor([cols, rows]);
    }
    const k = engine.kernels;
    this.params = arena.tensor([Math.max(k.READ_PARAM_BYTES.value as number, k.NEUROSIM_PARAM_BYTES.value as number)], "u8");
    this.rowMaxSet = arena.tensor([rows], "i32");
    this.rowMaxReset = arena.tensor([rows], "i32");
    this.counts = arena.tensor([(k.READ_COUNT_SLOTS.value as number) * 8], "u8");
    const maxK = Math.max(rows, cols);
    const maxN = Math.max(rows, cols);
    const bits = Math.max(options.forward.dacBits, options.transposed?.dacBits ?? 0, 1);
    const block = options.subArrayRows; // the kernel lays its row lists out per full sub-array
    // A threaded engine splits a read's batch rows: each thread's share is whole rows, 16-aligned.
    const scratchBytes = bitSerialScratchBytes(maxBatch + engine.threads - 1, maxN, bits, block) + 16 * engine.threads;
    this.scratch = arena.tensor([Math.ceil(scratchBytes / 4)]);
    this.codes = arena.tensor([maxBatch * maxK], "i32");
    this.quantized = arena.tensor([maxBatch, maxK]);
    this.norms = arena.tensor([maxBatch]);
    this.exact = exactUpdate(device);
    if (this.exact) this.exactCounts = arena.tensor([2 * (k.REWRITE_COUNT_SLOTS.value as number)]);
    this.setWeights(new Float32Array(rows * cols));
  }

  /** True when reads in this direction are exact matrix products (no DAC, ADC or read noise): they need no scratch and take any batch. */
  readsIdeal(transposed: boolean): boolean {
    const s = transposed ? this.options.transposed : this.options.forward;
    return s !== undefined && this.isIdeal(s);
  }

  private isIdeal(s: ReadSettings): boolean {
    return s.dacBits === 0 && s.adcBits === 0 && this.options.device.readNoise === 0;
  }

  /** Writes weights (rounded to f32, clamped to [−1, 1]) into the conductances directly (write-and-verify, no pulse model), then refreshes. */
  setWeights(w: ArrayLike<number> | Tensor): void {
    const n = this.rows * this.cols;
    if (!("offset" in w)) {
      if (w.length !== n) throw new InputError(`setWeights: ${w.length} values for a ${this.rows}×${this.cols} array`);
      this.engine.f32(this.weights).set(w);
      w = this.weights;
    }
    const half = (this.options.device.gMax - this.options.device.gMin) / 2;
    this.plus.writeWeights(w, half);
    this.minus?.writeWeights(w, -half);
    this.refresh();
  }

  /** Recomputes the realized weights (and transposed copies) from the conductances. */
  refresh(): void {
    const k = this.engine.kernels;
    const n = this.rows * this.cols;
    k.conductanceToWeight(n, this.plus.g.offset, this.minus?.g.offset ?? 0, this.gRef, this.gain, this.weights.offset);
    this.transposeConductances();
  }

  private transposeConductances(): void {
    const k = this.engine.kernels;
    if (this.plusT) k.transpose(this.rows, this.cols, this.plus.g.offset, this.plusT.offset);
    if (this.minusT && this.minus) k.transpose(this.rows, this.cols, this.minus.g.offset, this.minusT.offset);
  }

  /** The state a checkpoint keeps, by name: each device array's, and the realized weights. */
  stateTensors(prefix: string): [string, Tensor][] {
    return [
      ...this.plus.stateTensors(`${prefix}.plus`),
      ...(this.minus?.stateTensors(`${prefix}.minus`) ?? []),
      [`${prefix}.weights`, this.weights],
    ];
  }

  /**
   * Conductance drift `t` seconds after programming (t ≥ t0): every device's G ← G·(t/t0)^−νᵢ with
   * νᵢ = max(0, ν + νσ·zᵢ), zᵢ standard normal per device (its own stream), and the reference
   * column, made of the same cells, by the mean ν; the realized weights follow.
   */
  drift(t: number, t0: number, nu: number, nuStd: number): void {
    if (t <= t0 || (nu === 0 && nuStd === 0)) return;
    const e = this.engine;
    const k = e.kernels;
    for (const [i, d] of [this.plus, this.minus].entries()) {
      if (!d) continue;
      const n = d.rows * d.cols;
      // The per-device draws are scratch: released after use, so repeated drifts take no memory.
      const mark = e.arena.mark();
      let z = 0;
      if (nuStd > 0) {
        const draws = e.arena.tensor([n]);
        fillNormal(e, draws, { seed: this.options.seed, stream: streamId("drift", this.options.arrayId * 2 + i) });
        z = draws.offset;
      }
      k.drift(n, d.g.offset, t, t0, nu, nuStd, z);
      e.arena.release(mark);
    }
    this.gRef *= k.driftFactor(t, t0, nu);
    this.refresh();
  }

  /** Reads so far: the step of the next read's noise draws (a checkpoint keeps it). */
  get reads(): number {
    return this.readCalls;
  }

  /** After a checkpoint's tensors are written back: the read counter, and the transposed copies the conductances imply. */
  restore(reads: number): void {
    this.readCalls = reads;
    this.transposeConductances();
  }

  /**
   * y = x·W (forward, x: batch × rows) or y = x·Wᵀ (transposed, x: batch ×
   * cols) through the array's periphery. Adds the read's events to `counts`. `rangeRows`: the driven
   * rows a fixed-range ADC's full scale is set for (default: a whole sub-array; a read that drives one
   * row by design, as Tiki-Taka's transfer, sets 1 so its single cell does not fall below one code).
   */
  read(x: Tensor, y: Tensor, transposed: boolean, counts: ReadCounts, rangeRows = Number.POSITIVE_INFINITY): void {
    const e = this.engine;
    const k = e.kernels;
    const settings = transposed ? this.options.transposed : this.options.forward;
    if (!settings) throw new InputError("this crossbar has no transposed read configured");
    const K = transposed ? this.cols : this.rows;
    const N = transposed ? this.rows : this.cols;
    const batch = x.shape[0] as number;
    if (x.shape.length !== 2 || x.shape[1] !== K || y.shape.length !== 2 || y.shape[0] !== batch || y.shape[1] !== N) {
      throw new InputError(`crossbar read: x [${x.shape.join("×")}] and y [${y.shape.join("×")}] do not fit a ${K}→${N} read`);
    }
    const block = this.options.subArrayRows;
    const blocks = Math.ceil(K / block);
    const columnSets = this.minus ? 2 : 1;
    const refColumns = this.minus ? 0 : 1;
    this.readCalls++;

    if (this.isIdeal(settings)) {
      // An exact product needs no scratch: any batch.
      e.gemm(y, x, this.weights, { transB: transposed });
      const active = k.countNonzero(batch, x.offset, K, 0, K);
      countOneShot(counts, batch, blocks, active, N * columnSets + refColumns);
      return;
    }
    if (batch > this.maxBatch) throw new InputError(`crossbar read: batch ${batch} exceeds the ${this.maxBatch} it was built for`);
    const scale = k.maxAbs(x.offset, batch * K);
    const d = this.options.device;
    const R = paramOffsets(k, "read");
    const view = new DataView(e.memory.buffer, this.params.offset, k.READ_PARAM_BYTES.value as number);
    view.setInt32(R.adcBits, settings.adcBits, true);
    view.setInt32(R.adcMode, settings.adcRange === "fixed" ? 1 : settings.adcRange === "neurosim-v3" ? 2 : 0, true);
    // MLP+NeuroSim V3.0's full scale: every row of the block at (Gmax − Gmin), per input unit; it
    // reconstructs a code as rows ÷ (2^bits − 1) weight units (DigitsToAlgorithm), i.e. Gmax − Gmin as
    // weight 1 — half the weight a reference-mapped cell's (Gmax − Gmin) / 2 excursion stands for.
    const v3 = settings.adcRange === "neurosim-v3";
    const span = v3 ? d.gMax - d.gMin : d.gMax;
    const gain = v3 ? 1 / (d.gMax - d.gMin) : this.gain;
    view.setUint32(R.seed, this.options.seed >>> 0, true);
    view.setUint32(R.stream, streamId("read-noise", this.options.arrayId), true);
    view.setUint32(R.step, this.readCalls >>> 0, true);
    view.setFloat64(R.noise, d.readNoise * (d.gMax - d.gMin), true);
    view.setFloat64(R.gRef, this.gRef, true);
    k.fill(y.offset, 0, batch * N);
    if (scale === 0) {
      // All inputs zero: one-shot reads are still issued (as on the ideal path); bit-serial planes have no active line.
      if (settings.dacBits === 0) countOneShot(counts, batch, blocks, 0, N * columnSets + refColumns);
      return;
    }
    const gPlus = transposed ? (this.plusT ?? this.plus.g) : this.plus.g;
    const gMinus = this.minus ? (transposed ? (this.minusT ?? this.minus.g) : this.minus.g) : undefined;

    if (settings.dacBits > 0 && settings.adcBits === 0 && d.readNoise === 0) {
      // Ideal ADC: the shift-and-add of the bit-planes is exactly the product of the quantized inputs.
      k.dacQuantize(this.quantized.offset, x.offset, batch * K, settings.dacBits, scale);
      k.gemm(
        0,
        transposed ? 1 : 0,
        batch,
        N,
        K,
        1,
        this.quantized.offset,
        K,
        this.weights.offset,
        this.cols,
        0,
        y.offset,
        N,
        e.gemmWorkspace,
      );
      countBitSerial(counts, this.engine, this.codes, x, batch, K, block, settings.dacBits, scale, N * columnSets + refColumns);
      return;
    }
    const counter = new Float64Array(e.memory.buffer, this.counts.offset, 3);
    counter.fill(0);
    if (settings.dacBits > 0) {
      view.setFloat64(R.adcLo, 0, true);
      view.setFloat64(R.adcHi, Math.min(block, K, rangeRows) * span, true);
      k.dacEncode(this.codes.offset, x.offset, batch * K, settings.dacBits, scale);
      const outScale = (scale / (2 ** settings.dacBits - 1)) * gain;
      k.readBitSerial(
        batch,
        K,
        N,
        this.codes.offset,
        K,
        settings.dacBits,
        gPlus.offset,
        gMinus?.offset ?? 0,
        N,
        block,
        this.params.offset,
        outScale,
        y.offset,
        N,
        this.scratch.offset,
        this.counts.offset,
      );
      const after = new Float64Array(e.memory.buffer, this.counts.offset, 3);
      counts.reads += after[0] as number;
      counts.activeRows += after[1] as number;
      counts.conversions += after[2] as number;
      return;
    }
    // Ideal DAC, nonideal ADC or read noise: one analog read per sub-array with the inputs as they are.
    const signed = hasNegative(e, x, batch * K);
    const psPlus = this.scratch.offset;
    const psMinus = psPlus + batch * N * 4;
    const ref = psMinus + batch * N * 4;
    for (let b0 = 0, blockIndex = 0; b0 < K; b0 += block, blockIndex++) {
      const len = Math.min(block, K - b0);
      const ranged = Math.min(len, rangeRows);
      view.setFloat64(R.adcLo, signed ? -ranged * d.gMax * scale : 0, true);
      view.setFloat64(R.adcHi, ranged * span * scale, true);
      const gOffset = gPlus.offset + b0 * N * 4;
      k.gemm(0, 0, batch, N, len, 1, x.offset + b0 * 4, K, gOffset, N, 0, psPlus, N, e.gemmWorkspace);
      k.rowNorms(batch, x.offset, K, b0, len, this.norms.offset);
      const noiseBase = blockIndex * batch * N * 2;
      k.addReadNoise(batch, N, psPlus, this.norms.offset, this.params.offset, noiseBase);
      if (gMinus) {
        k.gemm(0, 0, batch, N, len, 1, x.offset + b0 * 4, K, gMinus.offset + b0 * N * 4, N, 0, psMinus, N, e.gemmWorkspace);
        k.addReadNoise(batch, N, psMinus, this.norms.offset, this.params.offset, noiseBase + batch * N);
      } else {
        k.rowSums(batch, x.offset, K, b0, len, ref);
        k.scale(ref, ref, this.gRef, batch);
      }
      k.adcAccumulate(batch, N, psPlus, gMinus ? psMinus : 0, gMinus ? 0 : ref, 0, this.params.offset, gain, y.offset, N);
      const active = k.countNonzero(batch, x.offset, K, b0, len);
      countOneShot(counts, batch, 1, active, N * columnSets + refColumns);
    }
  }

  /**
   * The DNN+NeuroSim V2.1 update path (assembly/neurosim.ts): the weights as
   * the conductances realize them move by the device-curve step of the pulses
   * the normalized gradient asks for, rounded stochastically to the gradient
   * grid, with C2C noise on changed weights; the result is written back into
   * the conductances. `gradient` is rows × cols; `gradScale` multiplies it
   * (NeuroSim's grad_scale / shift(max|g|)).
   */
  updateNeurosim(gradient: Tensor, step: number, gradScale: number, weightBits: number, gradientBits: number): ProgramCounts {
    const e = this.engine;
    const k = e.kernels;
    const d = this.options.device;
    const N = paramOffsets(k, "neurosim");
    const view = new DataView(e.memory.buffer, this.params.offset, k.NEUROSIM_PARAM_BYTES.value as number);
    view.setFloat64(N.gradScale, gradScale, true);
    view.setFloat64(N.levels, Math.max(d.levelsLtp, d.levelsLtd), true);
    view.setFloat64(N.aLtp, this.plus.aLtpNominal, true);
    view.setFloat64(N.aLtd, this.plus.aLtdNominal, true);
    view.setFloat64(N.weightSteps, 2 ** (weightBits - 1), true);
    view.setFloat64(N.gradSteps, 2 ** (gradientBits - 1), true);
    view.setFloat64(N.c2c, 2 * d.c2c, true);
    view.setUint32(N.seed, this.options.seed >>> 0, true);
    view.setUint32(N.streamRound, streamId("stochastic-rounding", this.options.arrayId * 4 + 2), true);
    view.setUint32(N.streamC2c, streamId("cycle-to-cycle", this.options.arrayId * 4 + 2), true);
    view.setUint32(N.step, step >>> 0, true);
    new Float64Array(e.memory.buffer, this.counts.offset, 3).fill(0);
    k.neurosimUpdate(
      this.rows,
      this.cols,
      this.weights.offset,
      gradient.offset,
      this.params.offset,
      this.plus.aLtp?.offset ?? 0,
      this.plus.aLtd?.offset ?? 0,
      this.rowMaxSet.offset,
      this.rowMaxReset.offset,
      this.counts.offset,
    );
    const after = new Float64Array(e.memory.buffer, this.counts.offset, 3);
    const { rowsWritten, slots } = rowWrites(e.i32(this.rowMaxSet), e.i32(this.rowMaxReset));
    const counts: ProgramCounts = {
      setPulses: after[0] as number,
      resetPulses: after[1] as number,
      devicesMoved: after[2] as number,
      stuckPulsed: 0,
      rowsWritten,
      writePulseSlots: slots,
    };
    this.setWeights(this.weights);
    return counts;
  }

  /**
   * Applies desired weight changes `dw` (rows × cols) through the devices'
   * pulse programming, then refreshes the realized weights. Each device gets
   * dw·levels/2 pulses (a full-range step is `levels` pulses and spans 2 weight
   * units); differential pairs move G⁺ and G⁻ in opposite directions.
   */
  update(dw: Tensor, step: number, rounding: PulseRounding, threshold = 0): ProgramCounts {
    if (this.exact && threshold === 0) return this.updateExact(dw);
    const counts = emptyProgramCounts();
    if (this.minus) {
      addProgramCounts(counts, this.plus.program(dw, 0.5, step, rounding, threshold));
      addProgramCounts(counts, this.minus.program(dw, -0.5, step, rounding, threshold));
    } else {
      addProgramCounts(counts, this.plus.program(dw, 0.5, step, rounding, threshold));
    }
    // Only the rows that were written moved.
    const k = this.engine.kernels;
    const { plus, minus } = this;
    k.conductanceToWeightRows(
      this.rows,
      this.cols,
      plus.g.offset,
      minus?.g.offset ?? 0,
      this.gRef,
      this.gain,
      this.weights.offset,
      plus.rowMaxSet.offset,
      plus.rowMaxReset.offset,
      minus?.rowMaxSet.offset ?? 0,
      minus?.rowMaxReset.offset ?? 0,
    );
    if (this.plusT) k.transpose(this.rows, this.cols, plus.g.offset, this.plusT.offset);
    if (this.minusT && minus) k.transpose(this.rows, this.cols, minus.g.offset, this.minusT.offset);
    return counts;
  }

  /**
   * The ideal device's update: every conductance moves by exactly ±Δw·(Gmax − Gmin)/2 (the two
   * cells of a differential pair in opposite directions), clamped to its range. Counted as the
   * pulses stochastic rounding would give on average, |Δw|·levels/2 per cell, and as a write of
   * every cell that moved.
   */
  private updateExact(dw: Tensor): ProgramCounts {
    const k = this.engine.kernels;
    const d = this.options.device;
    const half = (d.gMax - d.gMin) / 2;
    const counts = emptyProgramCounts();
    const slots = this.exactCounts as Tensor;
    for (const [device, sign] of [
      [this.plus, 1],
      [this.minus, -1],
    ] as const) {
      if (!device) continue;
      const step = sign * half;
      k.updateExact(
        this.rows,
        this.cols,
        device.g.offset,
        dw.offset,
        step,
        d.gMin,
        d.gMax,
        Math.max(d.levelsLtp, d.levelsLtd) / 2,
        device.writes.offset,
        slots.offset,
      );
      addProgramCounts(counts, takeRewriteTotals(this.engine, slots));
    }
    this.refresh();
    return counts;
  }
}

/**
 * Whether a device's update is continuous: the ideal preset's physics (linear, no cycle-to-cycle or
 * device-to-device variation, no stuck cells, at least its 65,536 levels), where pulse programming
 * would only approximate w + Δw. Any other device, or an ideal one given fewer levels, is programmed.
 */
export function exactUpdate(d: DeviceParams): boolean {
  const linear = d.nlLtp === 0 && d.nlLtd === 0 && d.aLtp === undefined && d.aLtd === undefined;
  const quiet = d.c2c === 0 && d.d2dNl === 0 && d.d2dGMin === 0 && d.d2dGMax === 0 && d.stuckAtGMin === 0 && d.stuckAtGMax === 0;
  return d.cell === "ideal" && linear && quiet && Math.min(d.levelsLtp, d.levelsLtd) >= 65_536;
}

function countOneShot(counts: ReadCounts, batch: number, blocks: number, active: number, columns: number): void {
  counts.reads += batch * blocks;
  counts.activeRows += active;
  counts.conversions += batch * blocks * columns;
}

// The events of a bit-serial read with an ideal ADC, counted exactly as the bit-serial kernel would.
function countBitSerial(
  counts: ReadCounts,
  e: Engine,
  codes: Tensor,
  x: Tensor,
  batch: number,
  K: number,
  block: number,
  bits: number,
  scale: number,
  columns: number,
): void {
  e.kernels.dacEncode(codes.offset, x.offset, batch * K, bits, scale);
  const c = new Int32Array(e.memory.buffer, codes.offset, batch * K);
  for (let b = 0; b < batch; b++) {
    for (let b0 = 0; b0 < K; b0 += block) {
      const end = Math.min(K, b0 + block);
      for (let bit = 0; bit < bits; bit++) {
        for (let sign = 0; sign < 2; sign++) {
          let active = 0;
          for (let i = b0; i < end; i++) {
            const q = c[b * K + i] as number;
            if (q !== 0 && q < 0 === (sign === 1) && (Math.abs(q) >> bit) & 1) active++;
          }
          if (active > 0) {
            counts.reads += 1;
            counts.activeRows += active;
            counts.conversions += columns;
          }
        }
      }
    }
  }
}

function hasNegative(e: Engine, x: Tensor, n: number): boolean {
  const v = new Float32Array(e.memory.buffer, x.offset, n);
  for (let i = 0; i < n; i++) if ((v[i] as number) < 0) return true;
  return false;
}
