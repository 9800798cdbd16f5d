import { paramOffsets } from "../engine/abi.js";
import type { Engine } from "../engine/engine.js";
import { InputError } from "../engine/errors.js";
import { streamId } from "../engine/random.js";
import type { Tensor } from "../engine/tensor.js";
import type { DeviceParams } from "./params.js";

/** How a fractional pulse count becomes an integer. */
export type PulseRounding = "nearest" | "stochastic";

/** What one programming call did, for the cost model. */
export interface ProgramCounts {
  /** Potentiating (SET) pulses applied, summed over devices. */
  setPulses: number;
  /** Depressing (RESET) pulses applied, summed over devices. */
  resetPulses: number;
  /** Devices that received at least one pulse and could move. */
  devicesMoved: number;
  /** Devices that received pulses but are stuck. */
  stuckPulsed: number;
  /** Rows with at least one pulse: rows are written one after another. */
  rowsWritten: number;
  /** Σ over rows of (most SET pulses in the row + most RESET pulses in the row): the sequential write time in pulse widths (NeuroSim's totalNumWritePulse). */
  writePulseSlots: number;
}

export function emptyProgramCounts(): ProgramCounts {
  return { setPulses: 0, resetPulses: 0, devicesMoved: 0, stuckPulsed: 0, rowsWritten: 0, writePulseSlots: 0 };
}

export function addProgramCounts(into: ProgramCounts, c: ProgramCounts): void {
  into.setPulses += c.setPulses;
  into.resetPulses += c.resetPulses;
  into.devicesMoved += c.devicesMoved;
  into.stuckPulsed += c.stuckPulsed;
  into.rowsWritten += c.rowsWritten;
  into.writePulseSlots += c.writePulseSlots;
}

/**
 * The totals a `rewriteCounts` or `updateExact` kernel call added at `slots` (REWRITE_COUNT_SLOTS
 * f64: SET, RESET, cells moved, rows written, write slots) as program counts; the slots are cleared
 * for the next call (an arena tensor starts cleared).
 */
export function takeRewriteTotals(engine: Engine, slots: Tensor): ProgramCounts {
  const c = new Float64Array(engine.memory.buffer, slots.offset, 5);
  const totals = {
    setPulses: c[0] as number,
    resetPulses: c[1] as number,
    devicesMoved: c[2] as number,
    stuckPulsed: 0,
    rowsWritten: c[3] as number,
    writePulseSlots: c[4] as number,
  };
  c.fill(0);
  return totals;
}

/**
 * Rows are written one after another, columns in parallel: from each row's
 * most SET and most RESET pulses, the rows that were written and the pulse
 * slots the writes take (NeuroSim's totalNumWritePulse).
 */
export function rowWrites(rowMaxSet: Int32Array, rowMaxReset: Int32Array): { rowsWritten: number; slots: number } {
  let slots = 0;
  let rowsWritten = 0;
  for (let r = 0; r < rowMaxSet.length; r++) {
    const s = (rowMaxSet[r] as number) + (rowMaxReset[r] as number);
    slots += s;
    if (s > 0) rowsWritten++;
  }
  return { rowsWritten, slots };
}

export interface DeviceArrayOptions {
  rows: number;
  cols: number;
  device: DeviceParams;
  seed: number;
  /** Distinguishes this array's random streams from every other array's (< 2^20). */
  arrayId: number;
}

/**
 * A rows × cols array of devices: their conductances (f32 siemens, row-major),
 * their device-to-device draws, stuck faults, and programming. Everything is
 * allocated once, from the engine's arena, at construction.
 */
export class DeviceArray {
  readonly rows: number;
  readonly cols: number;
  readonly device: DeviceParams;
  readonly g: Tensor;
  /** Per-device normalized curve constants, when D2D variation of the labels is on. */
  readonly aLtp?: Tensor;
  readonly aLtd?: Tensor;
  /** Per-device bounds, when D2D variation of gMin/gMax is on. */
  readonly gMin?: Tensor;
  readonly gMax?: Tensor;
  /** Stuck flags (u8: 0 ok, 1 at gMin, 2 at gMax), when faults are on. */
  readonly flags?: Tensor;
  readonly stuckCount: number;
  /** Nominal normalized curve constants (Infinity: linear). */
  readonly aLtpNominal: number;
  readonly aLtdNominal: number;
  private readonly params: Tensor;
  private readonly counts: Tensor;
  /** Per device (u32): the programming events (updates that pulsed it) since construction — its write cycles, for endurance. */
  readonly writes: Tensor;
  /** Per row (i32), the most SET / RESET pulses a device of the row got in the last `program`. */
  readonly rowMaxSet: Tensor;
  readonly rowMaxReset: Tensor;
  private readonly seed: number;
  private readonly arrayId: number;

  constructor(
    private readonly engine: Engine,
    options: DeviceArrayOptions,
  ) {
    const { rows, cols, device, seed, arrayId } = options;
    this.rows = rows;
    this.cols = cols;
    this.device = device;
    this.seed = seed;
    this.arrayId = arrayId;
    const k = engine.kernels;
    const n = rows * cols;
    const arena = engine.arena;
    this.g = arena.tensor([rows, cols]);
    this.params = arena.tensor([k.PROGRAM_PARAM_BYTES.value as number], "u8");
    this.counts = arena.tensor([(k.PROGRAM_COUNT_SLOTS.value as number) * 8], "u8");
    this.rowMaxSet = arena.tensor([rows], "i32");
    this.rowMaxReset = arena.tensor([rows], "i32");
    this.writes = arena.tensor([rows, cols], "u32");
    engine.u32(this.writes).fill(0);
    this.aLtpNominal = device.aLtp ?? k.nlToA(device.nlLtp);
    this.aLtdNominal = device.aLtd ?? k.nlToA(device.nlLtd);
    const d2dStream = streamId("device-to-device", arrayId);
    if (device.d2dNl > 0) {
      if (device.aLtp !== undefined || device.aLtd !== undefined) {
        throw new InputError("device: d2dNl varies the NL labels, so it cannot be combined with aLtp/aLtd given directly");
      }
      this.aLtp = arena.tensor([rows, cols]);
      this.aLtd = arena.tensor([rows, cols]);
      // The same draw moves both labels (NeuroSim V2.1): the same stream and seed for both.
      k.drawCurveConstants(n, device.nlLtp, device.d2dNl, seed, d2dStream, this.aLtp.offset);
      k.drawCurveConstants(n, device.nlLtd, device.d2dNl, seed, d2dStream, this.aLtd.offset);
    }
    if (device.d2dGMax > 0 || device.d2dGMin > 0) {
      this.gMin = arena.tensor([rows, cols]);
      this.gMax = arena.tensor([rows, cols]);
      k.drawBounds(
        n,
        device.gMin,
        device.gMax,
        device.d2dGMin,
        device.d2dGMax,
        seed,
        (d2dStream + 1) >>> 0,
        this.gMin.offset,
        this.gMax.offset,
      );
    }
    // Start at mid-range; the owner writes real values with writeWeights.
    engine.kernels.fill(this.g.offset, (device.gMin + device.gMax) / 2, n);
    let stuck = 0;
    if (device.stuckAtGMin > 0 || device.stuckAtGMax > 0) {
      this.flags = arena.tensor([rows, cols], "u8");
      stuck = k.drawFaults(
        n,
        device.stuckAtGMin,
        device.stuckAtGMax,
        seed,
        streamId("faults", arrayId),
        this.flags.offset,
        this.g.offset,
        this.gMin?.offset ?? 0,
        this.gMax?.offset ?? 0,
        device.gMin,
        device.gMax,
      );
    }
    this.stuckCount = stuck;
  }

  /** The state a checkpoint keeps, by name: conductances, per-device variation and faults, wear. */
  stateTensors(prefix: string): [string, Tensor][] {
    const out: [string, Tensor][] = [[`${prefix}.g`, this.g]];
    const optional: [string, Tensor | undefined][] = [
      ["aLtp", this.aLtp],
      ["aLtd", this.aLtd],
      ["gMin", this.gMin],
      ["gMax", this.gMax],
      ["flags", this.flags],
    ];
    for (const [name, t] of optional) if (t) out.push([`${prefix}.${name}`, t]);
    out.push([`${prefix}.writes`, this.writes]);
    return out;
  }

  /**
   * Writes weights w (f32, rows × cols, clamped to [−1, 1]) into every device
   * that is not stuck as G = mid + slope·w (mid-range ± half the range per
   * weight unit), clamped to the device's own bounds: initial weights written
   * with write-and-verify, no pulse model.
   */
  writeWeights(w: Tensor, slope: number): void {
    const n = this.rows * this.cols;
    if (w.dtype !== "f32" || w.shape.reduce((a, b) => a * b, 1) !== n) {
      throw new InputError(`writeWeights: w must be f32 with ${n} values, got ${w.dtype} [${w.shape.join("×")}]`);
    }
    const d = this.device;
    this.engine.kernels.writeWeights(
      n,
      w.offset,
      (d.gMin + d.gMax) / 2,
      slope,
      this.g.offset,
      this.gMin?.offset ?? 0,
      this.gMax?.offset ?? 0,
      this.flags?.offset ?? 0,
      d.gMin,
      d.gMax,
    );
  }

  /**
   * Applies the desired weight changes `dw` (f32, rows × cols, weight units):
   * each device gets round(dw·dwScale·levels) pulses (LTP when positive) along
   * its own curve, then C2C noise, then clamping. `step` keys this update's
   * random draws. `threshold`: desired pulse magnitudes below it are skipped.
   */
  program(dw: Tensor, dwScale: number, step: number, rounding: PulseRounding, threshold = 0): ProgramCounts {
    const e = this.engine;
    const k = e.kernels;
    if (dw.dtype !== "f32" || dw.shape.length !== 2 || dw.shape[0] !== this.rows || dw.shape[1] !== this.cols) {
      throw new InputError(`program: dw must be f32 [${this.rows}×${this.cols}], got ${dw.dtype} [${dw.shape.join("×")}]`);
    }
    const d = this.device;
    const P = paramOffsets(k, "program");
    const view = new DataView(e.memory.buffer, this.params.offset, k.PROGRAM_PARAM_BYTES.value as number);
    view.setFloat64(P.dwScale, dwScale, true);
    view.setFloat64(P.gMin, d.gMin, true);
    view.setFloat64(P.gMax, d.gMax, true);
    view.setFloat64(P.aLtp, this.aLtpNominal, true);
    view.setFloat64(P.aLtd, this.aLtdNominal, true);
    view.setFloat64(P.levelsLtp, d.levelsLtp, true);
    view.setFloat64(P.levelsLtd, d.levelsLtd, true);
    view.setFloat64(P.c2c, d.c2c, true);
    view.setFloat64(P.threshold, threshold, true);
    view.setUint32(P.rounding, rounding === "stochastic" ? 1 : 0, true);
    view.setUint32(P.c2cSqrt, d.c2cMode === "sqrt-pulses" ? 1 : 0, true);
    view.setUint32(P.seed, this.seed >>> 0, true);
    view.setUint32(P.streamC2c, streamId("cycle-to-cycle", this.arrayId), true);
    view.setUint32(P.streamRound, streamId("stochastic-rounding", this.arrayId), true);
    view.setUint32(P.step, step >>> 0, true);
    const counts = new Float64Array(e.memory.buffer, this.counts.offset, 4);
    counts.fill(0);
    k.program(
      this.rows,
      this.cols,
      this.g.offset,
      dw.offset,
      this.params.offset,
      this.aLtp?.offset ?? 0,
      this.aLtd?.offset ?? 0,
      this.gMin?.offset ?? 0,
      this.gMax?.offset ?? 0,
      this.flags?.offset ?? 0,
      this.rowMaxSet.offset,
      this.rowMaxReset.offset,
      0,
      this.writes.offset,
      this.counts.offset,
    );
    const after = new Float64Array(e.memory.buffer, this.counts.offset, 4);
    const { rowsWritten, slots } = rowWrites(e.i32(this.rowMaxSet), e.i32(this.rowMaxReset));
    return {
      setPulses: after[0] as number,
      resetPulses: after[1] as number,
      devicesMoved: after[2] as number,
      stuckPulsed: after[3] as number,
      rowsWritten,
      writePulseSlots: slots,
    };
  }
}
