import type { ProgramCounts } from "../device/array.js";
import { addProgramCounts, emptyProgramCounts, type PulseRounding } from "../device/array.js";
import type { DeviceParams } from "../device/params.js";
import type { Engine } from "../engine/engine.js";
import { InputError } from "../engine/errors.js";
import { fillUniform, streamId } from "../engine/random.js";
import type { Tensor } from "../engine/tensor.js";
import { type Algorithm, LEARNING_RULES, type LearningRule } from "../learning/rules.js";
import { CrossbarArray, emptyReadCounts, type ReadCounts, type ReadSettings, type WeightMapping } from "./crossbar.js";
import type { ModelSpec } from "./spec.js";

export type Activation = "relu" | "sigmoid" | "tanh";
export type Loss = "cross-entropy" | "squared-error";
/** How an update reaches the weights: `device` programs the desired change with pulses. */
export type FeedbackStorage = "digital" | "crossbar";

export interface NetworkOptions {
  spec: ModelSpec;
  algorithm: Algorithm;
  activation: Activation;
  loss: Loss;
  /** A bias per neuron, stored as one more array row driven by a constant 1. */
  bias: boolean;
  device: DeviceParams;
  mapping: WeightMapping;
  subArrayRows: number;
  /** Periphery of forward reads, of transposed (error) reads, and of feedback-matrix reads. */
  forwardRead: ReadSettings;
  errorRead: ReadSettings;
  /** Where DFA/FA/DRTP feedback matrices live: exact digital values, or arrays with the forward device and `errorRead` periphery. */
  feedbackStorage: FeedbackStorage;
  /** Feedback init: uniform in ±feedbackScale/√(inputs of the matrix) (Nøkland 2016 with scale 1). */
  feedbackScale: number;
  /** Effective weight range: a layer's normalized [−1, 1] spans ±2^round(log2(weightRange·L)), L = √(6/(fan-in + fan-out)). */
  weightRange: number;
  /** WAGE bits for activations and errors (0: float). */
  activationBits: number;
  errorBits: number;
  /** WAGE bits for the weight update (0: float); stochastic rounding relative to the update's power-of-two scale. */
  gradientBits: number;
  lr: number;
  momentum: number;
  dampening: number;
  rounding: PulseRounding;
  /** `device`: the desired change goes through the devices' pulse programming; `neurosim-v21`: DNN+NeuroSim V2.1's QG path. */
  update: "device" | "neurosim-v21";
  /** Weight bits of the NeuroSim path's clipping (S(wl_weight)). */
  weightBits: number;
  seed: number;
  maxBatch: number;
}

/** Hardware events per training phase, summed over layers (the per-layer split is in `layers`). */
export interface PhaseEvents {
  forward: ReadCounts;
  /** Error reads: transposed reads of the next layer (BP) or reads of feedback matrices (FA, DFA, DRTP). */
  error: ReadCounts;
  /** Weight-gradient computations: multiply-accumulates of the outer products, and batch rows. */
  gradient: { macs: number; outerProducts: number };
  update: ProgramCounts;
}

export function emptyEvents(): PhaseEvents {
  return { forward: emptyReadCounts(), error: emptyReadCounts(), gradient: { macs: 0, outerProducts: 0 }, update: emptyProgramCounts() };
}

function addReads(into: ReadCounts, c: ReadCounts): void {
  into.reads += c.reads;
  into.activeRows += c.activeRows;
  into.conversions += c.conversions;
}

export function addEvents(into: PhaseEvents, e: PhaseEvents): void {
  addReads(into.forward, e.forward);
  addReads(into.error, e.error);
  into.gradient.macs += e.gradient.macs;
  into.gradient.outerProducts += e.gradient.outerProducts;
  addProgramCounts(into.update, e.update);
}

/** A feedback matrix: input lines × this layer's outputs, read with an input vector per batch row. */
interface Feedback {
  inputs: number;
  /** Digital storage: the matrix itself. */
  matrix?: Tensor;
  /** Crossbar storage: normalized to [−1, 1], with `scale` restoring its values. */
  array?: CrossbarArray;
  scale: number;
}

/** A fully connected layer whose weights are a crossbar array. */
class DenseLayer {
  readonly rows: number;
  readonly array: CrossbarArray;
  /** Effective weight = scale × normalized weight. */
  readonly scale: number;
  readonly input: Tensor; // maxBatch × rows (last column 1 when there is a bias)
  readonly pre: Tensor; // maxBatch × outputs
  readonly out: Tensor; // maxBatch × outputs
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
    const limit = Math.sqrt(6 / (inputs + outputs));
    this.scale = 2 ** Math.round(Math.log2(o.weightRange * limit));
    this.array = new CrossbarArray(
      engine,
      {
        rows: this.rows,
        cols: outputs,
        device: o.device,
        mapping: o.mapping,
        subArrayRows: o.subArrayRows,
        forward: o.forwardRead,
        transposed: transposedRead ? o.errorRead : undefined,
        seed: o.seed,
        arrayId: 2 * index,
      },
      o.maxBatch,
    );
    // Glorot-uniform effective weights, stored normalized; biases start at 0.
    const init = arena.tensor([this.rows * outputs]);
    fillUniform(engine, init, { seed: o.seed, stream: streamId("weights", index) });
    const w = engine.f32(init);
    const bound = limit / this.scale;
    for (let i = 0; i < w.length; i++) w[i] = i >= inputs * outputs ? 0 : (2 * (w[i] as number) - 1) * bound;
    this.array.setWeights(w);
    this.input = arena.tensor([o.maxBatch, this.rows]);
    if (o.bias) {
      const x = engine.f32(this.input);
      for (let b = 0; b < o.maxBatch; b++) x[b * this.rows + inputs] = 1;
    }
    this.pre = arena.tensor([o.maxBatch, outputs]);
    this.out = arena.tensor([o.maxBatch, outputs]);
    this.delta = arena.tensor([o.maxBatch, outputs]);
    this.signal = arena.tensor([o.maxBatch * Math.max(this.rows, outputs)]);
    this.grad = arena.tensor([this.rows, outputs]);
    this.velocity = arena.tensor([this.rows, outputs]);
    this.change = arena.tensor([this.rows, outputs]);
  }
}

/** Row-limited views of the preallocated buffers (no wasm allocation). */
function rowsOf(t: Tensor, batch: number, cols: number): Tensor {
  return { shape: [batch, cols], dtype: t.dtype, offset: t.offset };
}

/**
 * A multilayer perceptron on crossbar arrays, trained by a learning rule.
 * Everything is allocated at construction; `trainStep` and `evaluate`
 * allocate nothing in the wasm memory.
 */
export class Network {
  readonly layers: DenseLayer[];
  readonly rule: LearningRule;
  readonly widths: number[];
  private readonly outputError: Tensor;
  private readonly target: Tensor;
  private readonly probs: Tensor;
  private readonly predictions: Tensor;
  private readonly labels: Tensor;
  /** Hardware events of training, per weight layer (an error read counts for the array it reads). */
  readonly events: PhaseEvents[];
  /** Events of evaluation reads (not part of training). */
  readonly evaluationEvents: PhaseEvents = emptyEvents();
  private updates = 0;

  constructor(
    private readonly engine: Engine,
    readonly options: NetworkOptions,
  ) {
    const { spec } = options;
    if (spec.layers.some((l) => l.kind !== "dense")) {
      throw new InputError(`model "${spec.spec}" has convolutions; training supports MLPs (mlp:…) so far`);
    }
    this.rule = LEARNING_RULES[options.algorithm];
    this.events = spec.layers.map(() => emptyEvents());
    this.widths = [spec.layers[0]?.rows as number, ...spec.layers.map((l) => l.outChannels)];
    const count = spec.layers.length;
    this.layers = spec.layers.map((l, i) => {
      const transposed = this.rule.hidden?.through === "next-weights" && i > 0;
      return new DenseLayer(i, l.rows, l.outChannels, i < count - 1, engine, options, transposed);
    });
    const classes = spec.classes;
    const arena = engine.arena;
    this.outputError = arena.tensor([options.maxBatch, classes]);
    this.target = arena.tensor([options.maxBatch, classes]);
    this.probs = arena.tensor([options.maxBatch, classes]);
    this.predictions = arena.tensor([options.maxBatch], "i32");
    this.labels = arena.tensor([options.maxBatch], "i32");
    if (this.rule.feedbackInputs) {
      for (const layer of this.layers.slice(0, -1))
        layer.feedback = this.makeFeedback(layer, this.rule.feedbackInputs(layer.index, this.widths));
    }
  }

  private makeFeedback(layer: DenseLayer, inputs: number): Feedback {
    const e = this.engine;
    const o = this.options;
    const values = e.arena.tensor([inputs, layer.outputs]);
    fillUniform(e, values, { seed: o.seed, stream: streamId("feedback", layer.index) });
    const bound = o.feedbackScale / Math.sqrt(inputs);
    const v = e.f32(values);
    for (let i = 0; i < v.length; i++) v[i] = (2 * (v[i] as number) - 1) * bound;
    if (o.feedbackStorage === "digital") return { inputs, matrix: values, scale: 1 };
    const array = new CrossbarArray(
      e,
      {
        rows: inputs,
        cols: layer.outputs,
        device: o.device,
        mapping: o.mapping,
        subArrayRows: o.subArrayRows,
        forward: o.errorRead,
        seed: o.seed,
        arrayId: 2 * layer.index + 1,
      },
      o.maxBatch,
    );
    const normalized = e.read(values) as Float32Array;
    for (let i = 0; i < normalized.length; i++) normalized[i] = (normalized[i] as number) / bound;
    array.setWeights(normalized);
    return { inputs, array, scale: bound };
  }

  /** Forward pass of `batch` rows of `x` (batch × inputs); returns the output layer's pre-activations (logits). */
  forward(x: Tensor, batch: number, training: boolean): Tensor {
    const e = this.engine;
    const k = e.kernels;
    const o = this.options;
    let source = x;
    let sourceCols = this.widths[0] as number;
    for (const layer of this.layers) {
      k.copyMatrix(batch, sourceCols, source.offset, sourceCols, layer.input.offset, layer.rows);
      const pre = rowsOf(layer.pre, batch, layer.outputs);
      const events = training ? (this.events[layer.index] as PhaseEvents) : this.evaluationEvents;
      layer.array.read(rowsOf(layer.input, batch, layer.rows), pre, false, events.forward);
      k.scale(pre.offset, pre.offset, layer.scale, batch * layer.outputs);
      if (layer.hidden) {
        const n = batch * layer.outputs;
        if (o.activation === "relu") k.relu(layer.out.offset, pre.offset, n);
        else if (o.activation === "sigmoid") k.sigmoid(layer.out.offset, pre.offset, n);
        else k.tanh(layer.out.offset, pre.offset, n);
        if (o.activationBits > 0) k.wageQuantize(layer.out.offset, layer.out.offset, n, o.activationBits, 1);
        source = layer.out;
        sourceCols = layer.outputs;
      }
    }
    return rowsOf((this.layers[this.layers.length - 1] as DenseLayer).pre, batch, this.widths[this.widths.length - 1] as number);
  }

  /**
   * One training step on `batch` rows: forward, loss, the rule's errors,
   * gradients and device updates. Returns the summed loss over the rows and
   * the number classified correctly.
   */
  trainStep(x: Tensor, labels: Int32Array, batch: number): { loss: number; correct: number } {
    const e = this.engine;
    const k = e.kernels;
    const o = this.options;
    const classes = this.widths[this.widths.length - 1] as number;
    const logits = this.forward(x, batch, true);
    const { loss, correct } = this.lossAndError(logits, labels, batch, classes);
    const error = rowsOf(this.outputError, batch, classes);
    const count = this.layers.length;
    const outputLayer = this.layers[count - 1] as DenseLayer;
    k.copyMatrix(batch, classes, error.offset, classes, outputLayer.delta.offset, classes);
    if (o.errorBits > 0) this.quantizeError(outputLayer.delta, batch * classes);

    // Hidden layers' errors, from the top down (BP and FA need the layer above first).
    const hidden = this.rule.hidden;
    for (let l = count - 2; l >= 0 && hidden; l--) {
      const layer = this.layers[l] as DenseLayer;
      const above = this.layers[l + 1] as DenseLayer;
      const signal = rowsOf(layer.signal, batch, layer.outputs);
      const input =
        hidden.input === "next-delta"
          ? rowsOf(above.delta, batch, above.outputs)
          : hidden.input === "output-error"
            ? error
            : rowsOf(this.target, batch, classes);
      if (hidden.through === "next-weights") {
        // Transposed read of the array above: batch × rows(above); its first `outputs` columns are this layer's.
        const back = rowsOf(above.signal, batch, above.rows);
        above.array.read(input, back, true, (this.events[above.index] as PhaseEvents).error);
        k.copyMatrix(batch, layer.outputs, back.offset, above.rows, signal.offset, layer.outputs);
        k.scale(signal.offset, signal.offset, above.scale, batch * layer.outputs);
      } else {
        const fb = layer.feedback as Feedback;
        if (fb.matrix) {
          e.gemm(signal, input, fb.matrix);
          // Counted as the read of an array holding B with an ideal periphery, so the cost model charges the feedback path either way.
          const counts = (this.events[layer.index] as PhaseEvents).error;
          const blocks = Math.ceil(fb.inputs / o.subArrayRows);
          counts.reads += batch * blocks;
          counts.activeRows += k.countNonzero(batch, input.offset, fb.inputs, 0, fb.inputs);
          counts.conversions += batch * blocks * layer.outputs * (o.mapping === "differential" ? 2 : 1);
        } else {
          (fb.array as CrossbarArray).read(input, signal, false, (this.events[layer.index] as PhaseEvents).error);
          k.scale(signal.offset, signal.offset, fb.scale, batch * layer.outputs);
        }
      }
      const n = batch * layer.outputs;
      if (o.activation === "relu") k.reluBackward(layer.delta.offset, signal.offset, layer.pre.offset, n);
      else if (o.activation === "sigmoid") k.sigmoidBackward(layer.delta.offset, signal.offset, layer.out.offset, n);
      else k.tanhBackward(layer.delta.offset, signal.offset, layer.out.offset, n);
      if (o.errorBits > 0) this.quantizeError(layer.delta, n);
    }

    // Gradients and updates: every layer that learns.
    this.updates++;
    for (const layer of this.layers) {
      if (layer.hidden && !hidden) continue;
      const events = this.events[layer.index] as PhaseEvents;
      const delta = rowsOf(layer.delta, batch, layer.outputs);
      // ∂J/∂w_normalized = scale · inputᵀ·δ; the desired change of the effective weight −lr·v maps to −lr·v/scale normalized.
      e.gemm(layer.grad, rowsOf(layer.input, batch, layer.rows), delta, { transA: true });
      events.gradient.macs += batch * layer.rows * layer.outputs;
      events.gradient.outerProducts += batch;
      const n = layer.rows * layer.outputs;
      k.momentum(layer.velocity.offset, layer.grad.offset, o.momentum, 1 - o.dampening, n);
      if (o.update === "neurosim-v21") {
        // ĝ = g / shift(max|g|), times grad_scale (our lr); the kernel does the rest (its G bits are quant.gradient).
        const shift = k.powerOfTwoShift(k.maxAbs(layer.velocity.offset, n));
        addProgramCounts(events.update, layer.array.updateNeurosim(layer.velocity, this.updates, o.lr / shift, o.weightBits, o.gradientBits));
        continue;
      }
      k.scale(layer.change.offset, layer.velocity.offset, -o.lr / layer.scale, n);
      if (o.gradientBits > 0) this.quantizeUpdate(layer, n);
      addProgramCounts(events.update, layer.array.update(layer.change, this.updates, o.rounding));
    }
    return { loss, correct };
  }

  /** Output error (∂ mean loss / ∂ logits) into outputError, one-hot targets into target; summed loss and correct count. */
  private lossAndError(logits: Tensor, labels: Int32Array, batch: number, classes: number): { loss: number; correct: number } {
    const e = this.engine;
    const k = e.kernels;
    e.i32(this.labels).set(labels.subarray(0, batch));
    // DRTP's teaching signal: the one-hot target as a proxy for the error, −y*/batch, on the scale and with the
    // sign the output error has at the true class (Frenkel et al. 2021).
    const t = e.f32(this.target);
    t.fill(0, 0, batch * classes);
    for (let b = 0; b < batch; b++) t[b * classes + (labels[b] as number)] = -1 / batch;
    let loss: number;
    if (this.options.loss === "cross-entropy") {
      loss = k.softmaxCrossEntropy(logits.offset, this.labels.offset, batch, classes, this.probs.offset, this.outputError.offset);
    } else {
      // ½Σ(logit − onehot)²: the one-hot target is −batch × the DRTP signal.
      k.scale(this.probs.offset, this.target.offset, -batch, batch * classes);
      loss = k.squaredError(logits.offset, this.probs.offset, batch * classes, this.outputError.offset);
    }
    k.scale(this.outputError.offset, this.outputError.offset, 1 / batch, batch * classes);
    return { loss, correct: this.countCorrect(logits, labels, batch, classes) };
  }

  private countCorrect(logits: Tensor, labels: Int32Array, batch: number, classes: number): number {
    const e = this.engine;
    e.kernels.argmaxRows(logits.offset, batch, classes, this.predictions.offset);
    const p = e.i32(this.predictions);
    let correct = 0;
    for (let b = 0; b < batch; b++) if (p[b] === labels[b]) correct++;
    return correct;
  }

  /** Loss (summed) and correct count of `batch` rows without training. */
  evaluate(x: Tensor, labels: Int32Array, batch: number): { loss: number; correct: number } {
    const classes = this.widths[this.widths.length - 1] as number;
    const logits = this.forward(x, batch, false);
    return this.lossAndError(logits, labels, batch, classes);
  }

  // WAGE error quantizer, keeping the tensor's scale (QE drops it; the update's own normalization makes that moot).
  private quantizeError(t: Tensor, n: number): void {
    const k = this.engine.kernels;
    const shift = k.wageQuantizeError(t.offset, t.offset, n, this.options.errorBits);
    k.scale(t.offset, t.offset, shift, n);
  }

  // WAGE gradient quantizer: the update in units of its power-of-two scale / 2^(bits−1), stochastically rounded.
  private quantizeUpdate(layer: DenseLayer, n: number): void {
    const k = this.engine.kernels;
    const o = this.options;
    const shift = k.powerOfTwoShift(k.maxAbs(layer.change.offset, n));
    const steps = 2 ** (o.gradientBits - 1);
    k.scale(layer.change.offset, layer.change.offset, steps / shift, n);
    k.stochasticRound(
      layer.change.offset,
      layer.change.offset,
      n,
      o.seed,
      streamId("stochastic-rounding", 0xff000 + layer.index),
      this.updates,
    );
    k.scale(layer.change.offset, layer.change.offset, shift / steps, n);
  }
}
