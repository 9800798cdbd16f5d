import { CrossbarArray } from "../device/crossbar.js";
import type { Engine } from "../engine/engine.js";
import { fillUniform, streamId } from "../engine/random.js";
import type { Tensor } from "../engine/tensor.js";
import type { Feedback } from "../learning/feedback.js";
import { initialScale, initialWeight } from "./conv.js";
import type { NetworkOptions } from "./network.js";

/** A fully connected layer whose weights are a crossbar array. */
export class DenseLayer {
  readonly kind = "dense" as const;
  readonly rows: number;
  readonly array: CrossbarArray;
  /** Effective weight = scale × normalized weight. */
  readonly scale: number;
  readonly input: Tensor; // maxBatch × rows (last column 1 when there is a bias)
  /** Below a binarized hidden layer: its analog activations (and the bias 1), which the weight gradient takes. */
  readonly analogInput?: Tensor;
  readonly pre: Tensor; // maxBatch × outputs
  readonly out: Tensor; // maxBatch × outputs
  /** With a hidden threshold: the binarized activations the next layer reads. */
  readonly binary?: Tensor; // maxBatch × outputs
  readonly delta: Tensor; // maxBatch × outputs
  readonly signal: Tensor; // maxBatch × max(rows, outputs): transposed-read / feedback output
  readonly grad: Tensor; // rows × outputs
  readonly velocity: Tensor;
  readonly change: Tensor;
  feedback?: Feedback;

  constructor(
    readonly index: number,
    readonly inputs: number,
    readonly outputs: number,
    readonly hidden: boolean,
    engine: Engine,
    o: NetworkOptions,
    transposedRead: boolean,
  ) {
    const arena = engine.arena;
    this.rows = inputs + (o.bias ? 1 : 0);
    const { scale, bound } = initialScale(o.weightInit ?? "glorot", inputs, outputs, o.weightRange);
    this.scale = scale;
    this.array = new CrossbarArray(
      engine,
      {
        rows: this.rows,
        cols: outputs,
        device: o.device,
        mapping: o.mapping,
        subArrayRows: o.subArrayRows,
        forward: o.layerForwardReads?.[index] ?? o.forwardRead,
        transposed: transposedRead ? o.errorRead : undefined,
        seed: o.seed,
        arrayId: 2 * index,
      },
      o.maxBatch,
    );
    // Uniform initial weights, stored normalized; biases start at 0.
    const init = arena.tensor([this.rows * outputs]);
    fillUniform(engine, init, { seed: o.seed, stream: streamId("weights", index) });
    const w = engine.f32(init);
    const init0 = o.weightInit ?? "glorot";
    // MLP+NeuroSim V3.0 writes its initial weights as G = (w + 1)/2·(Gmax − Gmin), without Gmin
    // (Array.cpp WriteCell): they start 2·Gmin/(Gmax − Gmin) lower, clamped at −1.
    const shift = init0 === "neurosim-v3" ? (2 * o.device.gMin) / (o.device.gMax - o.device.gMin) : 0;
    for (let i = 0; i < w.length; i++) {
      w[i] = i >= inputs * outputs ? 0 : Math.max(-1, initialWeight(init0, w[i] as number, bound) - shift);
    }
    this.array.setWeights(w);
    this.input = arena.tensor([o.maxBatch, this.rows]);
    if (index > 0 && o.hiddenThreshold !== undefined) this.analogInput = arena.tensor([o.maxBatch, this.rows]);
    if (o.bias) {
      for (const t of [this.input, this.analogInput]) {
        if (!t) continue;
        const x = engine.f32(t);
        for (let b = 0; b < o.maxBatch; b++) x[b * this.rows + inputs] = 1;
      }
    }
    this.pre = arena.tensor([o.maxBatch, outputs]);
    this.out = arena.tensor([o.maxBatch, outputs]);
    if (hidden && o.hiddenThreshold !== undefined) this.binary = arena.tensor([o.maxBatch, outputs]);
    this.delta = arena.tensor([o.maxBatch, outputs]);
    this.signal = arena.tensor([o.maxBatch * Math.max(this.rows, outputs)]);
    this.grad = arena.tensor([this.rows, outputs]);
    this.velocity = arena.tensor([this.rows, outputs]);
    this.change = arena.tensor([this.rows, outputs]);
  }
}
