import type { ProgramCounts } from "../device/array.js";
import { addProgramCounts, emptyProgramCounts, type PulseRounding } from "../device/array.js";
import { CrossbarArray, emptyReadCounts, type ReadCounts, type ReadSettings, type WeightMapping } from "../device/crossbar.js";
import type { DeviceParams } from "../device/params.js";
import type { Engine } from "../engine/engine.js";
import { InputError } from "../engine/errors.js";
import { streamId } from "../engine/random.js";
import type { Tensor } from "../engine/tensor.js";
import {
  type ConvFeedback,
  createFeedback,
  type Feedback,
  type FeedbackStorage,
  followWeights,
  learnFeedback,
  readFeedback,
  takeRewrites,
} from "../learning/feedback.js";
import { type Optimizer, symmetricPoint } from "../learning/optimizer.js";
import { directInput, feedbackStore, type LearningRule, readsWeightsTransposed } from "../learning/rule.js";
import { type Algorithm, learningRule } from "../learning/rules.js";
import type { Activation } from "./activation.js";
import { Conv2d, flatten, view, type WeightInit } from "./conv.js";
import { DenseLayer } from "./dense.js";
import type { ModelSpec } from "./spec.js";

export type { Activation };
export type Loss = "cross-entropy" | "squared-error";

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
  /** Per weight layer, its forward reads' periphery when it differs from `forwardRead` (per-layer ADC bits). */
  layerForwardReads?: ReadSettings[];
  errorRead: ReadSettings;
  /** Where DFA/FA/DRTP feedback matrices live: exact digital values, or arrays with the forward device and `errorRead` periphery. */
  feedbackStorage: FeedbackStorage;
  /** Feedback init, times this: FA ±1/√(fan-in of the backward map); DFA/DRTP ±1/√(the layer's units) (Nøkland 2016). */
  feedbackScale: number;
  /** Kolen–Pollack: W and B decay by this fraction per update. */
  feedbackDecay?: number;
  /** Feedback draws shared by every rule (per layer), or each rule's own. */
  feedbackDraw?: "shared" | "per-rule";
  /** Hidden layers' rate ÷ (1 + the mean square of their inputs): bounds the update as activations grow. */
  normalizeHiddenRate?: boolean;
  /** How the desired change reaches the devices (default sgd). */
  optimizer?: Optimizer;
  /** DFA/DRTP on conv layers: B_l onto the full output map (default) or onto its channels. */
  convFeedback?: ConvFeedback;
  /** Effective weight range: a layer's normalized [−1, 1] spans ±2^round(log2(weightRange·L)), L = √(6/(fan-in + fan-out)). */
  weightRange: number;
  /** Initial weights and effective scales: Glorot (default) or DNN+NeuroSim V2.1's WAGE init (src/nn/conv.ts initialScale). */
  weightInit?: WeightInit;
  /** WAGE bits for activations and errors (0: float). */
  activationBits: number;
  errorBits: number;
  /** WAGE bits for the weight update (0: float); stochastic rounding relative to the update's power-of-two scale. */
  gradientBits: number;
  lr: number;
  /** Each layer's rate relative to `lr` (default: all 1). */
  layerRates?: number[];
  /** The output layer's activation; `sigmoid` takes the squared error on its outputs, with the gradient through it. */
  outputActivation?: "linear" | "sigmoid";
  /** Dense hidden layers: the next array reads activation ≥ threshold ? 1 : 0; the backward pass (f′ and the next layer's weight gradient) uses the analog activation. */
  hiddenThreshold?: number;
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

/** The counters a checkpoint keeps beside a network's tensors (Network.checkpointState). */
export interface NetworkCounters {
  updates: number;
  transfers: number;
  /** Reads so far per named array. */
  reads: Record<string, number>;
  /** Sign-symmetric feedback per layer: the update B was last built for, and its rewrites not yet counted. */
  feedback: Record<string, { builtFor: number; rewrites: ProgramCounts }>;
  events: PhaseEvents[];
  evaluationEvents: PhaseEvents;
}

/** Hardware events per training phase, summed over layers (the per-layer split is in `layers`). */
export interface PhaseEvents {
  forward: ReadCounts;
  /** Error reads: transposed reads of the next layer (BP) or reads of feedback matrices (FA, DFA, DRTP). */
  error: ReadCounts;
  /** Weight-gradient computations: multiply-accumulates of the outer products, and batch rows. */
  gradient: { macs: number; outerProducts: number };
  update: ProgramCounts;
  /** Writes of the feedback matrix this layer's error reads: Kolen–Pollack's learning, sign-symmetric rebuilds (a digital B counted as on a mirror array). */
  feedbackUpdate: ProgramCounts;
}

export function emptyEvents(): PhaseEvents {
  return {
    forward: emptyReadCounts(),
    error: emptyReadCounts(),
    gradient: { macs: 0, outerProducts: 0 },
    update: emptyProgramCounts(),
    feedbackUpdate: emptyProgramCounts(),
  };
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
  addProgramCounts(into.feedbackUpdate, e.feedbackUpdate);
}

/** A weight layer: fully connected or convolutional, each on its own crossbar array. */
export type Layer = DenseLayer | Conv2d;

/** Row-limited views of the preallocated buffers (no wasm allocation). */
function rowsOf(t: Tensor, batch: number, cols: number): Tensor {
  return { shape: [batch, cols], dtype: t.dtype, offset: t.offset };
}

/**
 * A network on crossbar arrays — fully connected layers, or convolutions (with pooling) followed by
 * fully connected layers — trained by a learning rule. Everything is allocated at construction;
 * `trainStep` and `evaluate` allocate nothing in the wasm memory.
 */
export class Network {
  readonly layers: Layer[];
  readonly rule: LearningRule;
  /** Inputs per sample, then each layer's outputs (a conv layer's: its channels). */
  readonly widths: number[];
  private readonly outputError: Tensor;
  private readonly target: Tensor;
  private readonly probs: Tensor;
  /** Sigmoid outputs: the output layer's activations. */
  private readonly outputs?: Tensor;
  private readonly predictions: Tensor;
  private readonly labels: Tensor;
  /** Per batch row, ‖input‖₂ of a layer (normalizeHiddenRate). */
  private readonly inputNorms: Tensor;
  /** Mixed precision: each layer's digital accumulator χ (normalized weight units). */
  private readonly accumulators?: Tensor[];
  /** Tiki-Taka: each layer's fast array A (zero-shifted to its device's symmetric point), the one-hot rows transfers read, and what they read. */
  readonly fastArrays?: CrossbarArray[];
  private readonly transferInput?: Tensor;
  private readonly transferOutput?: Tensor;
  private transfers = 0;
  /** Conv networks: the input images as NHWC maps (the dataset rows are C·H·W). */
  private readonly inputMap?: Tensor;
  /** Conv networks: the error at a pooled map (before the pooling's backward pass). */
  private readonly back?: Tensor;
  /** Conv DFA/DRTP with `channels` feedback: one signal per image and channel. */
  private readonly channelSignal?: Tensor;
  /** Hardware events of training, per weight layer (an error read counts for the array it reads). */
  readonly events: PhaseEvents[];
  /** Events of evaluation reads (not part of training). */
  readonly evaluationEvents: PhaseEvents = emptyEvents();
  private updates = 0;
  /** Training steps taken so far. */
  get updatesDone(): number {
    return this.updates;
  }
  /** The current learning rate: options.lr, changed by a schedule between epochs. */
  learningRate: number;

  constructor(
    private readonly engine: Engine,
    readonly options: NetworkOptions,
  ) {
    const { spec } = options;
    const count = spec.layers.length;
    const lastShape = spec.layers[count - 1];
    if (lastShape?.kind !== "dense") throw new InputError(`model "${spec.spec}": the last layer must be fully connected`);
    spec.layers.forEach((l, i) => {
      if (l.kind === "conv" && i > 0 && spec.layers[i - 1]?.kind === "dense") {
        throw new InputError(`model "${spec.spec}": a convolution after a fully connected layer is not supported`);
      }
    });
    this.rule = learningRule(options.algorithm);
    this.learningRate = options.lr;
    this.events = spec.layers.map(() => emptyEvents());
    const features = spec.input.channels * spec.input.height * spec.input.width;
    this.widths = [features, ...spec.layers.map((l) => l.outChannels)];
    const arena = engine.arena;
    const o = options;
    this.layers = spec.layers.map((l, i) => {
      const transposed = readsWeightsTransposed(this.rule) && i > 0;
      if (l.kind === "dense") return new DenseLayer(i, l.rows, l.outChannels, i < count - 1, engine, options, transposed);
      return new Conv2d({
        engine,
        index: i,
        shape: l,
        hidden: true,
        bias: o.bias,
        maxBatch: o.maxBatch,
        weightRange: o.weightRange,
        init: o.weightInit ?? "glorot",
        array: {
          device: o.device,
          mapping: o.mapping,
          subArrayRows: o.subArrayRows,
          forward: o.layerForwardReads?.[i] ?? o.forwardRead,
          transposed: transposed ? o.errorRead : undefined,
          seed: o.seed,
        },
      });
    });
    const convs = this.layers.filter((l): l is Conv2d => l.kind === "conv");
    if (convs.length > 0) {
      // Shared buffers: the unrolled rows of one chunk, the error at a pooled map, and δ of the conv
      // layers in two alternating buffers (a layer's δ is needed only until the layer below has its own).
      const cols = arena.tensor([Math.max(...convs.map((c) => c.colsFloats))]);
      const pooled = convs.filter((c) => c.pool).map((c) => c.outSize);
      if (pooled.length > 0) this.back = arena.tensor([o.maxBatch * Math.max(...pooled)]);
      const deltas = [0, 1].map((parity) => {
        const sizes = convs.filter((c) => c.index % 2 === parity).map((c) => c.neurons);
        return sizes.length > 0 ? arena.tensor([o.maxBatch * Math.max(...sizes)]) : undefined;
      });
      for (const c of convs) {
        c.cols = cols;
        const d = deltas[c.index % 2] as Tensor;
        c.delta = { shape: [o.maxBatch * c.positions, c.outputs], dtype: "f32", offset: d.offset };
      }
      if ((convs[0] as Conv2d).index === 0) this.inputMap = spec.input.channels > 1 ? arena.tensor([o.maxBatch, features]) : undefined;
      for (const c of convs) if (c.index > 0) c.source = (this.layers[c.index - 1] as Conv2d).output;
      if (o.convFeedback === "channels" && feedbackStore(this.rule) === "direct") {
        this.channelSignal = arena.tensor([o.maxBatch * Math.max(...convs.map((c) => c.outputs))]);
      }
    }
    const classes = spec.classes;
    this.outputError = arena.tensor([options.maxBatch, classes]);
    this.target = arena.tensor([options.maxBatch, classes]);
    this.probs = arena.tensor([options.maxBatch, classes]);
    if (options.outputActivation === "sigmoid") this.outputs = arena.tensor([options.maxBatch, classes]);
    this.predictions = arena.tensor([options.maxBatch], "i32");
    this.labels = arena.tensor([options.maxBatch], "i32");
    this.inputNorms = arena.tensor([options.maxBatch]);
    const opt = options.optimizer;
    if (opt?.kind === "tiki-taka") {
      const d = opt.fastDevice;
      const k = engine.kernels;
      const u = symmetricPoint(d.aLtp ?? k.nlToA(d.nlLtp), d.aLtd ?? k.nlToA(d.nlLtd), d.levelsLtp, d.levelsLtd);
      const zeroAt = d.gMin + u * (d.gMax - d.gMin);
      this.fastArrays = this.layers.map((l) => {
        const a = new CrossbarArray(
          engine,
          { ...l.array.options, device: d, mapping: "reference", zeroAt, transposed: undefined, arrayId: 2 * count + l.index },
          Math.min(opt.transferRows, l.rows), // a transfer reads its rows in one batch
        );
        // Every device at the symmetric point: weight 0.
        const start = (zeroAt - (d.gMin + d.gMax) / 2) / ((d.gMax - d.gMin) / 2);
        a.setWeights(new Float32Array(l.rows * l.outputs).fill(start));
        return a;
      });
      this.transferInput = arena.tensor([opt.transferRows, Math.max(...this.layers.map((l) => l.rows))]);
      this.transferOutput = arena.tensor([opt.transferRows, Math.max(...this.layers.map((l) => l.outputs))]);
    }
    if (options.optimizer?.kind === "mixed-precision") {
      this.accumulators = this.layers.map((l) => {
        const chi = arena.tensor([l.rows, l.outputs]);
        engine.f32(chi).fill(0);
        return chi;
      });
    }
    const store = feedbackStore(this.rule);
    if (store !== "none") {
      for (const layer of this.layers.slice(0, -1)) {
        layer.feedback = createFeedback(engine, options, this.rule, layer, this.layers[layer.index + 1] as Layer, classes);
      }
    }
  }

  /**
   * output = input · B, counted as `counts` (the error reads of the layer B feeds). A sign-symmetric B
   * first follows the next layer's weights; its rewrites count as that layer's feedback update.
   */
  private readFeedbackOf(fb: Feedback, input: Tensor, output: Tensor, counts: ReadCounts, rowsPerRead: number, next: Layer): void {
    followWeights(this.engine, this.options, fb, next, this.updates);
    const rewrites = takeRewrites(fb);
    if (rewrites) addProgramCounts((this.events[next.index - 1] as PhaseEvents).feedbackUpdate, rewrites);
    readFeedback(this.engine, this.options, fb, input, output, counts, rowsPerRead);
  }

  /** Every crossbar array, named: the layers', their feedback matrices', Tiki-Taka's fast arrays'. */
  private namedArrays(): [string, CrossbarArray][] {
    const out: [string, CrossbarArray][] = [];
    for (const l of this.layers) {
      const name = `layer${l.index + 1}`;
      out.push([name, l.array]);
      if (l.feedback?.array) out.push([`${name}.feedback`, l.feedback.array]);
      const fast = this.fastArrays?.[l.index];
      if (fast) out.push([`${name}.fast`, fast]);
    }
    return out;
  }

  /**
   * Everything training changes, for a checkpoint (src/experiment/checkpoint.ts): the named tensors
   * (conductances, per-device variation and wear, realized weights, momentum, feedback matrices and
   * their draws, optimizer state) and the counters (updates, transfers, each array's reads — the
   * step of its read-noise draws —, sign-symmetric rebuilds, events).
   */
  checkpointState(): { tensors: [string, Tensor][]; counters: NetworkCounters } {
    const tensors: [string, Tensor][] = [];
    for (const [name, array] of this.namedArrays()) tensors.push(...array.stateTensors(name));
    const feedback: NetworkCounters["feedback"] = {};
    for (const l of this.layers) {
      const name = `layer${l.index + 1}`;
      tensors.push([`${name}.velocity`, l.velocity]);
      const chi = this.accumulators?.[l.index];
      if (chi) tensors.push([`${name}.chi`, chi]);
      const fb = l.feedback;
      if (!fb) continue;
      if (fb.matrix) tensors.push([`${name}.feedback.matrix`, fb.matrix]);
      const f = fb.follow;
      if (f) {
        if (f.uniforms) tensors.push([`${name}.feedback.uniforms`, f.uniforms]);
        if (f.staged) tensors.push([`${name}.feedback.staged`, f.staged]);
        tensors.push([`${name}.feedback.previous`, f.previous]);
        feedback[name] = { builtFor: f.builtFor, rewrites: { ...f.rewrites } };
      }
    }
    const reads: Record<string, number> = {};
    for (const [name, array] of this.namedArrays()) reads[name] = array.reads;
    return {
      tensors,
      counters: {
        updates: this.updates,
        transfers: this.transfers,
        reads,
        feedback,
        events: structuredClone(this.events),
        evaluationEvents: structuredClone(this.evaluationEvents),
      },
    };
  }

  /** After a checkpoint's tensors are written back: its counters (checked against this network's arrays and feedback by the caller). */
  restoreCounters(c: NetworkCounters): void {
    this.updates = c.updates;
    this.transfers = c.transfers;
    for (const [name, array] of this.namedArrays()) array.restore(c.reads[name] ?? 0);
    for (const l of this.layers) {
      const f = l.feedback?.follow;
      const saved = c.feedback[`layer${l.index + 1}`];
      if (f && saved) {
        f.builtFor = saved.builtFor;
        f.rewrites = { ...saved.rewrites };
      }
    }
    c.events.forEach((e, i) => {
      const mine = this.events[i] as PhaseEvents;
      Object.assign(mine, emptyEvents());
      addEvents(mine, e);
    });
    Object.assign(this.evaluationEvents, emptyEvents());
    addEvents(this.evaluationEvents, c.evaluationEvents);
  }

  /** Forward pass of `batch` rows of `x` (batch × inputs); returns the output layer's pre-activations (logits). */
  forward(x: Tensor, batch: number, training: boolean): Tensor {
    const e = this.engine;
    const k = e.kernels;
    const o = this.options;
    let source = x;
    // What the layer below produced before binarization (the same as `source` otherwise).
    let analog = x;
    let sourceCols = this.widths[0] as number;
    for (const layer of this.layers) {
      const events = training ? (this.events[layer.index] as PhaseEvents) : this.evaluationEvents;
      if (layer.kind === "conv") {
        if (layer.index === 0) {
          // Dataset rows are C·H·W; the maps are H·W·C.
          const c = layer.shape.inChannels;
          if (this.inputMap) {
            const hw = layer.inSize / c;
            for (let b = 0; b < batch; b++)
              k.transpose(c, hw, x.offset + b * layer.inSize * 4, this.inputMap.offset + b * layer.inSize * 4);
            layer.source = this.inputMap;
          } else {
            layer.source = x;
          }
        }
        layer.forwardRead(batch, events.forward);
        const n = batch * layer.neurons;
        this.activate(layer.out, layer.out, n);
        if (o.activationBits > 0) k.wageQuantize(layer.out.offset, layer.out.offset, n, o.activationBits, 1);
        layer.pool?.forward(layer.out, batch);
        source = flatten(layer.output, batch, layer.outSize);
        analog = source;
        sourceCols = layer.outSize;
        continue;
      }
      k.copyMatrix(batch, sourceCols, source.offset, sourceCols, layer.input.offset, layer.rows);
      if (layer.analogInput) k.copyMatrix(batch, sourceCols, analog.offset, sourceCols, layer.analogInput.offset, layer.rows);
      const pre = rowsOf(layer.pre, batch, layer.outputs);
      layer.array.read(rowsOf(layer.input, batch, layer.rows), pre, false, events.forward);
      k.scale(pre.offset, pre.offset, layer.scale, batch * layer.outputs);
      if (layer.hidden) {
        const n = batch * layer.outputs;
        this.activate(layer.out, pre, n);
        if (o.activationBits > 0) k.wageQuantize(layer.out.offset, layer.out.offset, n, o.activationBits, 1);
        source = layer.out;
        analog = layer.out;
        if (layer.binary) {
          k.binarize(layer.binary.offset, layer.out.offset, n, o.hiddenThreshold as number);
          source = layer.binary;
        }
        sourceCols = layer.outputs;
      }
    }
    return rowsOf((this.layers[this.layers.length - 1] as DenseLayer).pre, batch, this.widths[this.widths.length - 1] as number);
  }

  private activate(out: Tensor, pre: Tensor, n: number): void {
    const k = this.engine.kernels;
    const a = this.options.activation;
    if (a === "relu") k.relu(out.offset, pre.offset, n);
    else if (a === "sigmoid") k.sigmoid(out.offset, pre.offset, n);
    else k.tanh(out.offset, pre.offset, n);
  }

  /**
   * One training step on `batch` rows: forward, loss, the rule's errors,
   * gradients and device updates. Returns the summed loss over the rows and
   * the number classified correctly.
   */
  trainStep(x: Tensor, labels: Int32Array, batch: number): { loss: number; correct: number } {
    const k = this.engine.kernels;
    const o = this.options;
    const classes = this.widths[this.widths.length - 1] as number;
    const logits = this.forward(x, batch, true);
    const { loss, correct } = this.lossAndError(logits, labels, batch, classes);
    const error = rowsOf(this.outputError, batch, classes);
    const count = this.layers.length;
    const outputLayer = this.layers[count - 1] as DenseLayer;
    k.copyMatrix(batch, classes, error.offset, classes, outputLayer.delta.offset, classes);
    if (o.errorBits > 0) this.quantizeError(outputLayer.delta, batch * classes);

    // From the top down: each layer first hands its error to the layer below (BP and FA read through
    // it, so before it changes), then computes its gradient and is updated.
    const hiddenLearn = this.rule.hidden.kind !== "none";
    this.updates++;
    for (let l = count - 1; l >= 0; l--) {
      const layer = this.layers[l] as Layer;
      if (l > 0 && hiddenLearn) this.error(l - 1, batch, error, classes);
      if (layer.hidden && !hiddenLearn) continue;
      this.gradientAndUpdate(layer, batch);
    }
    return { loss, correct };
  }

  /** Error phase: the hidden layer l's δ from the rule's signal, (signal) ⊙ f′(a_l), quantized when errors are. */
  private error(l: number, batch: number, error: Tensor, classes: number): void {
    const e = this.engine;
    const k = e.kernels;
    const o = this.options;
    const direct = directInput(this.rule);
    const throughWeights = readsWeightsTransposed(this.rule);
    const layer = this.layers[l] as Layer;
    const above = this.layers[l + 1] as Layer;
    const counts = (this.events[l] as PhaseEvents).error;
    const input =
      direct === undefined
        ? above.kind === "dense"
          ? rowsOf(above.delta, batch, above.outputs)
          : above.delta
        : direct === "output-error"
          ? error
          : rowsOf(this.target, batch, classes);
    if (layer.kind === "dense") {
      // Fully connected below a fully connected layer.
      const signal = rowsOf(layer.signal, batch, layer.outputs);
      if (throughWeights) {
        // Transposed read of the array above: batch × rows(above); its first `outputs` columns are this layer's.
        const dense = above as DenseLayer;
        const back = rowsOf(dense.signal, batch, dense.rows);
        dense.array.read(input, back, true, (this.events[dense.index] as PhaseEvents).error);
        k.copyMatrix(batch, layer.outputs, back.offset, dense.rows, signal.offset, layer.outputs);
        k.scale(signal.offset, signal.offset, dense.scale, batch * layer.outputs);
      } else {
        const fb = layer.feedback as Feedback;
        this.readFeedbackOf(fb, input, signal, counts, batch, above);
        if (fb.scale !== 1) k.scale(signal.offset, signal.offset, fb.scale, batch * layer.outputs);
      }
      const n = batch * layer.outputs;
      if (o.activation === "relu") k.reluBackward(layer.delta.offset, signal.offset, layer.pre.offset, n);
      else if (o.activation === "sigmoid") k.sigmoidBackward(layer.delta.offset, signal.offset, layer.out.offset, n);
      else k.tanhBackward(layer.delta.offset, signal.offset, layer.out.offset, n);
      if (o.errorBits > 0) this.quantizeError(layer.delta, n);
      return;
    }

    // A conv layer: the signal is ∂J/∂(its activation map), written into its δ buffer.
    const delta = view(layer.delta.offset, batch, layer.neurons);
    if (direct === undefined) {
      // BP / FA: through the layer above, to the map it reads (pooled or not), then through the pooling.
      const map = view(layer.pool ? (this.back as Tensor).offset : layer.delta.offset, batch, layer.outSize);
      const fb = layer.feedback;
      if (above.kind === "dense") {
        if (throughWeights) {
          const back = rowsOf(above.signal, batch, above.rows);
          above.array.read(input, back, true, (this.events[above.index] as PhaseEvents).error);
          k.copyMatrix(batch, layer.outSize, back.offset, above.rows, map.offset, layer.outSize);
          k.scale(map.offset, map.offset, above.scale, batch * layer.outSize);
        } else {
          const f = fb as Feedback;
          this.readFeedbackOf(f, input, map, counts, 1, above);
          if (f.scale !== 1) k.scale(map.offset, map.offset, f.scale, batch * layer.outSize);
        }
      } else if (throughWeights) {
        above.backwardInput(batch, map, (this.events[above.index] as PhaseEvents).error);
      } else {
        const f = fb as Feedback;
        above.backwardInput(batch, map, counts, {
          read: (x, y, rowsPerRead) => this.readFeedbackOf(f, x, y, counts, rowsPerRead, above),
          scale: f.scale,
        });
      }
      layer.pool?.backward(map, delta, batch);
    } else {
      // DFA / DRTP: B_l maps the output error (or target) onto the whole map, or onto its channels.
      const fb = layer.feedback as Feedback;
      if (fb.conv === "channels") {
        const signal = view((this.channelSignal as Tensor).offset, batch, layer.outputs);
        this.readFeedbackOf(fb, input, signal, counts, 1, above);
        for (let b = 0; b < batch; b++) {
          k.copyMatrix(
            layer.positions,
            layer.outputs,
            signal.offset + b * layer.outputs * 4,
            0,
            delta.offset + b * layer.neurons * 4,
            layer.outputs,
          );
        }
      } else {
        this.readFeedbackOf(fb, input, delta, counts, 1, above);
      }
      if (fb.scale !== 1) k.scale(delta.offset, delta.offset, fb.scale, batch * layer.neurons);
    }
    const n = batch * layer.neurons;
    if (o.activation === "relu") k.reluBackward(delta.offset, delta.offset, layer.out.offset, n);
    else if (o.activation === "sigmoid") k.sigmoidBackward(delta.offset, delta.offset, layer.out.offset, n);
    else k.tanhBackward(delta.offset, delta.offset, layer.out.offset, n);
    if (o.errorBits > 0) this.quantizeError(delta, n);
  }

  /** Gradient phase: the layer's weight gradient inputᵀ·δ into `grad` (∂J/∂W effective; the normalized weights' is scale × it). */
  private gradient(layer: Layer, batch: number): void {
    const e = this.engine;
    const events = this.events[layer.index] as PhaseEvents;
    if (layer.kind === "conv") {
      layer.gradient(batch);
      events.gradient.macs += batch * layer.positions * layer.rows * layer.outputs;
      events.gradient.outerProducts += batch * layer.positions;
      return;
    }
    events.gradient.macs += batch * layer.rows * layer.outputs;
    events.gradient.outerProducts += batch;
    const input = layer.analogInput ?? layer.input;
    if (batch === 1) e.kernels.outer(layer.rows, layer.outputs, input.offset, layer.delta.offset, 1, layer.grad.offset);
    else e.gemm(layer.grad, rowsOf(input, batch, layer.rows), rowsOf(layer.delta, batch, layer.outputs), { transA: true });
  }

  /** Gradient and update phases: the gradient, momentum, and the programming of the layer's array. */
  private gradientAndUpdate(layer: Layer, batch: number): void {
    const k = this.engine.kernels;
    const o = this.options;
    const events = this.events[layer.index] as PhaseEvents;
    // The desired change of the effective weight −lr·v maps to −lr·v/scale normalized.
    const n = layer.rows * layer.outputs;
    const lr = this.learningRate * (o.layerRates?.[layer.index] ?? 1) * this.rateFactor(layer, batch);
    // Without momentum or dampening the velocity is the gradient (0·v + 1·g).
    const plain = o.momentum === 0 && o.dampening === 0;
    if (layer.kind === "dense" && batch === 1 && plain && o.update === "device" && o.gradientBits === 0) {
      // One sample: the gradient is an outer product, and the update it asks for is made in the same pass.
      events.gradient.macs += layer.rows * layer.outputs;
      events.gradient.outerProducts += 1;
      const input = layer.analogInput ?? layer.input;
      k.outer(layer.rows, layer.outputs, input.offset, layer.delta.offset, -lr / layer.scale, layer.change.offset);
      this.program(layer);
      return;
    }
    this.gradient(layer, batch);
    const velocity = plain ? layer.grad : layer.velocity;
    if (!plain) k.momentum(layer.velocity.offset, layer.grad.offset, o.momentum, 1 - o.dampening, n);
    if (o.update === "neurosim-v21") {
      // ĝ = g / shift(max|g|), times grad_scale (our lr); the kernel does the rest (its G bits are quant.gradient).
      const shift = k.powerOfTwoShift(k.maxAbs(velocity.offset, n));
      addProgramCounts(events.update, layer.array.updateNeurosim(velocity, this.updates, lr / shift, o.weightBits, o.gradientBits));
      return;
    }
    k.scale(layer.change.offset, velocity.offset, -lr / layer.scale, n);
    if (o.gradientBits > 0) this.quantizeUpdate(layer, n);
    this.program(layer);
  }

  /**
   * normalizeHiddenRate: 1 / (1 + mean over the batch and the layer's inputs of input²) for hidden
   * layers (the bias line excluded), else 1. An update grows with its inputs; with unbounded units a
   * direct rule's hidden layers otherwise feed that growth back into their own inputs.
   */
  private rateFactor(layer: Layer, batch: number): number {
    if (!this.options.normalizeHiddenRate || !layer.hidden) return 1;
    const k = this.engine.kernels;
    const input = layer.kind === "dense" ? (layer.analogInput ?? layer.input) : layer.source;
    const ld = layer.kind === "dense" ? layer.rows : layer.inSize;
    const width = layer.kind === "dense" ? layer.inputs : layer.inSize;
    k.rowNorms(batch, input.offset, ld, 0, width, this.inputNorms.offset);
    const norms = this.engine.f32(this.inputNorms);
    let sum = 0;
    for (let b = 0; b < batch; b++) sum += (norms[b] as number) * (norms[b] as number);
    return 1 / (1 + sum / (batch * width));
  }

  /**
   * Update phase: programs the layer's desired change into its array. Kolen–Pollack: the feedback B
   * below it receives the same change transposed, and both decay by feedbackDecay.
   */
  private program(layer: Layer): void {
    const o = this.options;
    const events = this.events[layer.index] as PhaseEvents;
    let rounding = o.rounding;
    const chi = this.accumulators?.[layer.index];
    if (chi && o.optimizer?.kind === "mixed-precision") {
      // χ += change; whole pulses (one pulse: 2/levels weight units) leave χ once it holds `threshold` of them.
      const d = o.device;
      const n = layer.rows * layer.outputs;
      this.engine.kernels.accumulateFire(
        n,
        chi.offset,
        layer.change.offset,
        2 / d.levelsLtp,
        2 / d.levelsLtd,
        o.optimizer.threshold,
        layer.change.offset,
      );
      rounding = "nearest"; // the change is a whole number of pulses
    }
    const below = layer.index > 0 ? (this.layers[layer.index - 1] as Layer).feedback : undefined;
    if (below?.learn) {
      const decay = o.feedbackDecay ?? 0;
      const counts = learnFeedback(this.engine, o, below, layer.change, layer.scale, decay, this.updates, o.rounding);
      // B's programming is the feedback's own update work, counted with the layer that reads it.
      if (counts) addProgramCounts((this.events[layer.index - 1] as PhaseEvents).feedbackUpdate, counts);
      if (decay > 0) this.engine.kernels.axpy(layer.change.offset, -decay, layer.array.weights.offset, layer.rows * layer.outputs);
    }
    const fast = this.fastArrays?.[layer.index];
    if (fast && o.optimizer?.kind === "tiki-taka") {
      addProgramCounts(events.update, fast.update(layer.change, this.updates, rounding));
      if (this.updates % o.optimizer.transferEvery === 0)
        this.transfer(layer, fast, o.optimizer.transferRows, o.optimizer.transferLr, rounding);
      return;
    }
    addProgramCounts(events.update, layer.array.update(layer.change, this.updates, rounding));
  }

  /**
   * Tiki-Taka's transfer: the next `rows` rows of A (cycling through them) read through A's periphery
   * with one-hot inputs (a fixed-range ADC set for one driven row, as aihwkit's separate transfer_forward
   * periphery), and added times `lr` to the same rows of the weights C by pulses.
   */
  private transfer(layer: Layer, fast: CrossbarArray, rows: number, lr: number, rounding: PulseRounding): void {
    const k = this.engine.kernels;
    const events = this.events[layer.index] as PhaseEvents;
    const n = Math.min(rows, layer.rows);
    const cols = layer.outputs;
    const first = (this.transfers * n) % layer.rows;
    this.transfers++;
    const x = view((this.transferInput as Tensor).offset, n, layer.rows);
    const y = view((this.transferOutput as Tensor).offset, n, cols);
    k.fill(x.offset, 0, n * layer.rows);
    const xs = this.engine.f32(x);
    for (let i = 0; i < n; i++) xs[i * layer.rows + ((first + i) % layer.rows)] = 1;
    fast.read(x, y, false, events.forward, 1);
    const change = layer.change;
    k.fill(change.offset, 0, layer.rows * cols);
    for (let i = 0; i < n; i++) {
      const row = (first + i) % layer.rows;
      k.scale(change.offset + row * cols * 4, y.offset + i * cols * 4, lr, cols);
    }
    addProgramCounts(events.update, layer.array.update(change, this.updates, rounding));
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
    } else if (this.outputs) {
      // ½Σ(σ(z) − onehot)², and its gradient through the sigmoid: (σ(z) − onehot)·σ(z)(1 − σ(z)).
      const n = batch * classes;
      k.sigmoid(this.outputs.offset, logits.offset, n);
      k.scale(this.probs.offset, this.target.offset, -batch, n);
      loss = k.squaredError(this.outputs.offset, this.probs.offset, n, this.outputError.offset);
      k.sigmoidBackward(this.outputError.offset, this.outputError.offset, this.outputs.offset, n);
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
  private quantizeUpdate(layer: Layer, n: number): void {
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
