// Convolutional layers on crossbar arrays, and the pooling and flattening
// stages between them. Feature maps are NHWC (image, row, column, channel;
// channels fastest) in wasm memory.
//
// A Conv2d's weights are one crossbar array of K·K·C_in (+1 bias) rows ×
// C_out columns, the kernel unrolled in (kh, kw, c) order: every output
// position applies its receptive field (im2col) as one input vector, so a
// forward pass is one array read of batch × positions vectors, and BP's error
// pass is a transposed read of the output errors followed by col2im. The
// weight gradient is im2colᵀ·δ. The unrolled rows are never all held at once:
// they are built a chunk of whole images at a time in a shared scratch.
//
// Reads with a nonideal periphery (DAC, ADC, read noise) are issued one image
// at a time: the DAC's full scale and a min–max ADC's range are those of one
// image's positions. Ideal reads are exact products and take a chunk at once.

import type { Engine } from "../engine/engine.js";
import { fillUniform, streamId } from "../engine/random.js";
import { type Tensor, view } from "../engine/tensor.js";

export { view };

import { CrossbarArray, type CrossbarOptions, type ReadCounts } from "../device/crossbar.js";
import type { Feedback } from "../learning/feedback.js";
import type { LayerShape } from "./spec.js";

/** How a layer's initial weights and their effective scale are chosen. */
export type WeightInit = "glorot" | "neurosim" | "neurosim-v3";

/**
 * The effective-weight scale (effective = scale × normalized weight, a power of two) and the bound
 * of the uniform normalized initial weights of a layer with the given fans. `glorot`: effective
 * weights uniform in ±L, L = √(6/(fan-in + fan-out)), scale 2^round(log2(weightRange·L)).
 * `neurosim`: DNN+NeuroSim V2.1's WAGE init (its Training_pytorch utee/wage_initializer.py): scale = 1/2^round(log2(W_m/L)) (at
 * most 1), L = √(3/fan-in), W_m = 1.5, normalized weights uniform in ±1.5 — beyond the devices'
 * ±1, so a third start clipped at the bounds, as NeuroSim's do after their first update.
 */
export function initialScale(init: WeightInit, fanIn: number, fanOut: number, weightRange: number): { scale: number; bound: number } {
  if (init === "neurosim-v3") return { scale: 1, bound: 1 };
  if (init === "neurosim") {
    const limit = Math.sqrt(3 / fanIn);
    const wm = 1.5;
    return { scale: 1 / Math.max(1, 2 ** Math.round(Math.log2(wm / limit))), bound: Math.max(wm, limit) };
  }
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const scale = 2 ** Math.round(Math.log2(weightRange * limit));
  return { scale, bound: limit / scale };
}

/**
 * A normalized initial weight from a uniform draw u ∈ [0, 1): uniform in ±bound, or for
 * `neurosim-v3` one of the 7 levels −1, −2/3, …, 1, equally likely (MLP+NeuroSim V3.0,
 * Mapping.cpp WeightInitialize: (rand() % 7 − 3) / 3, effective weights in [−1, 1]; dense
 * layers then shift them as its conductance mapping does, src/nn/network.ts).
 */
export function initialWeight(init: WeightInit, u: number, bound: number): number {
  if (init === "neurosim-v3") return (Math.min(6, Math.floor(u * 7)) - 3) / 3;
  return (2 * u - 1) * bound;
}

/** Floats of unrolled rows built at once (shared by all conv layers of a network): 16 MiB. */
export const IM2COL_BUDGET = 1 << 22;

/** A [rows × cols] f32 view starting `byteOffset` bytes into wasm memory. */

/** What a conv layer needs from its network at build time. */
export interface ConvBuild {
  engine: Engine;
  index: number;
  shape: LayerShape;
  hidden: boolean;
  bias: boolean;
  maxBatch: number;
  /** Read settings and device of its array, as a dense layer's. */
  array: Omit<CrossbarOptions, "rows" | "cols" | "arrayId">;
  /** Scales the Glorot bound into the normalized range (weightRange). */
  weightRange: number;
  init: WeightInit;
}

/**
 * A k × k pooling with stride k over the NHWC output of a conv layer: `max`
 * keeps each window's first maximum (and where it was, for the backward pass),
 * `avg` its mean.
 */
export class Pool2d {
  readonly outHeight: number;
  readonly outWidth: number;
  /** Elements per image after pooling. */
  readonly size: number;
  /** maxBatch × size: the pooled map. */
  readonly out: Tensor;
  /** max only: the argmax element index (relative to the input map) of each output. */
  readonly argmax?: Tensor;

  constructor(
    private readonly engine: Engine,
    readonly type: "max" | "avg",
    readonly window: number,
    readonly channels: number,
    readonly height: number,
    readonly width: number,
    maxBatch: number,
  ) {
    this.outHeight = Math.floor((height - window) / window) + 1;
    this.outWidth = Math.floor((width - window) / window) + 1;
    this.size = this.outHeight * this.outWidth * channels;
    this.out = engine.arena.tensor([maxBatch, this.size]);
    if (type === "max") this.argmax = engine.arena.tensor([maxBatch * this.size], "i32");
  }

  /** Pools `batch` maps at x (batch × H·W·C) into `out`. */
  forward(x: Tensor, batch: number): void {
    const k = this.engine.kernels;
    const { window: p, channels: C, height: H, width: W, outHeight: OH, outWidth: OW } = this;
    if (this.argmax) k.maxPoolForward(batch, H, W, C, p, p, OH, OW, x.offset, this.out.offset, this.argmax.offset);
    else k.avgPoolForward(batch, H, W, C, p, p, OH, OW, x.offset, this.out.offset);
  }

  /** dx (batch × H·W·C) = the pooling's backward pass of dy (batch × size). */
  backward(dy: Tensor, dx: Tensor, batch: number): void {
    const k = this.engine.kernels;
    const { window: p, channels: C, height: H, width: W, outHeight: OH, outWidth: OW } = this;
    if (this.argmax) k.maxPoolBackward(batch * this.size, dy.offset, this.argmax.offset, batch * H * W * C, dx.offset);
    else k.avgPoolBackward(batch, H, W, C, p, p, OH, OW, dy.offset, dx.offset);
  }
}

/** k × k max-pooling, stride k. */
export class MaxPool2d extends Pool2d {
  constructor(engine: Engine, window: number, channels: number, height: number, width: number, maxBatch: number) {
    super(engine, "max", window, channels, height, width, maxBatch);
  }
}

/** k × k average pooling, stride k. */
export class AvgPool2d extends Pool2d {
  constructor(engine: Engine, window: number, channels: number, height: number, width: number, maxBatch: number) {
    super(engine, "avg", window, channels, height, width, maxBatch);
  }
}

/** Flattening an NHWC map for a fully connected layer is free: each image's map is already one row of H·W·C. */
export function flatten(map: Tensor, batch: number, features: number): Tensor {
  return view(map.offset, batch, features);
}

/** A 2-D convolution (square kernel, stride, zero padding) whose weights are a crossbar array. */
export class Conv2d {
  readonly kind = "conv" as const;
  readonly index: number;
  readonly shape: LayerShape;
  readonly hidden: boolean;
  /** Array rows: K·K·C_in, plus one bias row driven by a constant 1 when there is a bias. */
  readonly rows: number;
  /** K·K·C_in: the unrolled receptive field. */
  readonly inputs: number;
  /** C_out: the array's columns. */
  readonly outputs: number;
  readonly positions: number;
  /** Output elements per image before pooling: positions · C_out. */
  readonly neurons: number;
  /** Input elements per image: H · W · C_in. */
  readonly inSize: number;
  readonly bias: boolean;
  readonly array: CrossbarArray;
  /** Effective weight = scale × normalized weight. */
  readonly scale: number;
  /** maxBatch × neurons: the activation (pre-pool); the pre-activation is computed in place. */
  readonly out: Tensor;
  /**
   * The pre-activation: the same buffer as `out` (computed in place; after the activation it holds
   * the activation, from which ReLU's, the sigmoid's and tanh's derivatives follow as well).
   */
  readonly pre: Tensor;
  readonly pool?: Pool2d;
  readonly grad: Tensor;
  readonly velocity: Tensor;
  readonly change: Tensor;
  /** FA / DFA / DRTP: this layer's fixed random feedback matrix. */
  feedback?: Feedback;
  /** Images unrolled per chunk. */
  readonly chunkImages: number;
  /** The input map (maxBatch × inSize, NHWC); set by the network. */
  source!: Tensor;
  /** δ at the pre-activation, maxBatch·positions × C_out (a view of a buffer shared with other layers); set by the network. */
  delta!: Tensor;
  /** The unrolled-rows scratch (≥ chunkImages · positions · rows floats); set by the network. */
  cols!: Tensor;
  private readonly engine: Engine;

  constructor(b: ConvBuild) {
    const { engine, shape: s } = b;
    this.engine = engine;
    this.index = b.index;
    this.shape = s;
    this.hidden = b.hidden;
    this.bias = b.bias;
    this.inputs = s.rows;
    this.rows = s.rows + (b.bias ? 1 : 0);
    this.outputs = s.outChannels;
    this.positions = s.positions;
    this.neurons = s.neurons;
    this.inSize = s.inHeight * s.inWidth * s.inChannels;
    const fanIn = s.kernel * s.kernel * s.inChannels;
    const fanOut = s.kernel * s.kernel * s.outChannels;
    const { scale, bound } = initialScale(b.init, fanIn, fanOut, b.weightRange);
    this.scale = scale;
    const arena = engine.arena;
    const analog = (t: boolean) => {
      const r = t ? b.array.transposed : b.array.forward;
      return r !== undefined && (r.dacBits > 0 || r.adcBits > 0 || b.array.device.readNoise > 0);
    };
    // Nonideal reads go image by image (scratch for one image's positions); ideal ones need no scratch.
    this.array = new CrossbarArray(
      engine,
      { ...b.array, rows: this.rows, cols: this.outputs, arrayId: 2 * b.index },
      analog(false) || analog(true) ? this.positions : 1,
    );
    const init = arena.tensor([this.rows * this.outputs]);
    fillUniform(engine, init, { seed: b.array.seed, stream: streamId("weights", b.index) });
    const w = engine.f32(init);
    const weights = this.inputs * this.outputs;
    for (let i = 0; i < w.length; i++) w[i] = i >= weights ? 0 : initialWeight(b.init, w[i] as number, bound);
    this.array.setWeights(w);
    this.out = arena.tensor([b.maxBatch, this.neurons]);
    this.pre = this.out;
    if (s.pool > 1) {
      const Pool = s.poolType === "avg" ? AvgPool2d : MaxPool2d;
      this.pool = new Pool(engine, s.pool, s.outChannels, s.outHeight, s.outWidth, b.maxBatch);
    }
    this.grad = arena.tensor([this.rows, this.outputs]);
    this.velocity = arena.tensor([this.rows, this.outputs]);
    this.change = arena.tensor([this.rows, this.outputs]);
    this.chunkImages = Math.max(1, Math.min(b.maxBatch, Math.floor(IM2COL_BUDGET / (this.positions * this.rows))));
  }

  /** Elements per image of what the next layer sees (after pooling). */
  get outSize(): number {
    return this.pool ? this.pool.size : this.neurons;
  }

  /** The map the next layer reads: pooled, or the activation itself. */
  get output(): Tensor {
    return this.pool ? this.pool.out : this.out;
  }

  /** Floats of unrolled rows this layer builds at once. */
  get colsFloats(): number {
    return this.chunkImages * this.positions * this.rows;
  }

  private unroll(first: number, count: number): void {
    const s = this.shape;
    this.engine.kernels.im2col(
      count,
      s.inHeight,
      s.inWidth,
      s.inChannels,
      s.kernel,
      s.stride,
      s.padding,
      s.outHeight,
      s.outWidth,
      this.source.offset + first * this.inSize * 4,
      this.cols.offset,
      this.rows,
      this.bias ? 1 : 0,
    );
  }

  /** out = scale · (im2col(source) · W) for `batch` images, through the array's forward read (before the activation). */
  forwardRead(batch: number, counts: ReadCounts): void {
    const P = this.positions;
    const perImage = !this.array.readsIdeal(false);
    for (let i0 = 0; i0 < batch; i0 += this.chunkImages) {
      const n = Math.min(this.chunkImages, batch - i0);
      this.unroll(i0, n);
      const y = this.out.offset + i0 * this.neurons * 4;
      if (perImage) {
        for (let j = 0; j < n; j++) {
          this.array.read(
            view(this.cols.offset + j * P * this.rows * 4, P, this.rows),
            view(y + j * this.neurons * 4, P, this.outputs),
            false,
            counts,
          );
        }
      } else {
        this.array.read(view(this.cols.offset, n * P, this.rows), view(y, n * P, this.outputs), false, counts);
      }
    }
    this.engine.kernels.scale(this.out.offset, this.out.offset, this.scale, batch * this.neurons);
  }

  /**
   * dx (batch × inSize) = col2im(δ · Wᵀ): the error at this layer's input, by a transposed read
   * of its array (BP) or, with `feedback`, by a read of a fixed matrix of W's transposed shape (FA).
   * `feedbackRead` performs a feedback read of rows × C_out inputs into rows × K·K·C_in outputs.
   */
  backwardInput(
    batch: number,
    dx: Tensor,
    counts: ReadCounts,
    feedback?: { read(input: Tensor, output: Tensor, rowsPerRead: number): void; scale: number },
  ): void {
    const k = this.engine.kernels;
    const s = this.shape;
    const P = this.positions;
    const ld = feedback ? this.inputs : this.rows;
    const perImage = !feedback && !this.array.readsIdeal(true);
    for (let i0 = 0; i0 < batch; i0 += this.chunkImages) {
      const n = Math.min(this.chunkImages, batch - i0);
      const d = this.delta.offset + i0 * P * this.outputs * 4;
      if (feedback) {
        feedback.read(view(d, n * P, this.outputs), view(this.cols.offset, n * P, ld), P);
      } else if (perImage) {
        for (let j = 0; j < n; j++) {
          this.array.read(
            view(d + j * P * this.outputs * 4, P, this.outputs),
            view(this.cols.offset + j * P * ld * 4, P, ld),
            true,
            counts,
          );
        }
      } else {
        this.array.read(view(d, n * P, this.outputs), view(this.cols.offset, n * P, ld), true, counts);
      }
      k.col2im(
        n,
        s.inHeight,
        s.inWidth,
        s.inChannels,
        s.kernel,
        s.stride,
        s.padding,
        s.outHeight,
        s.outWidth,
        this.cols.offset,
        ld,
        dx.offset + i0 * this.inSize * 4,
        0,
      );
    }
    const factor = feedback ? feedback.scale : this.scale;
    if (factor !== 1) k.scale(dx.offset, dx.offset, factor, batch * this.inSize);
  }

  /** grad (rows × C_out) = im2col(source)ᵀ · δ over `batch` images (∂J/∂w_normalized / scale). */
  gradient(batch: number): void {
    const e = this.engine;
    const P = this.positions;
    for (let i0 = 0; i0 < batch; i0 += this.chunkImages) {
      const n = Math.min(this.chunkImages, batch - i0);
      this.unroll(i0, n);
      const d = view(this.delta.offset + i0 * P * this.outputs * 4, n * P, this.outputs);
      e.gemm(this.grad, view(this.cols.offset, n * P, this.rows), d, { transA: true, beta: i0 === 0 ? 0 : 1 });
    }
  }
}
