// One training run, simulated: build the network on the simulated chip, train it epoch by epoch on
// a dataset, evaluate, and count every hardware event. It prices nothing: src/experiment/train.ts
// hands the counted events to the cost model.

import type { Measured } from "../cost/counts.js";
import { Augmenter } from "../data/augment.js";
import type { Dataset, Split } from "../data/dataset.js";
import { gatherBatch, Sampler, Shuffler } from "../data/shuffle.js";
import { transformDataset } from "../data/transform.js";
import type { Engine } from "../engine/engine.js";
import { CimlearnError, InputError } from "../engine/errors.js";
import type { SimdBuild } from "../engine/simd.js";
import type { Tensor } from "../engine/tensor.js";
import { type LayerAlignment, probeAlignment } from "../learning/alignment.js";
import { learningRule } from "../learning/rules.js";
import { addEvents, emptyEvents, type Network, type PhaseEvents } from "../nn/network.js";
import { VERSION } from "../version.js";
import { buildNetwork, learningRate } from "./build.js";
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint, restoreCheckpoint, type TrainingProgress } from "./checkpoint.js";
import { modelOf, type ResolvedRunConfig } from "./config.js";
import { type EnduranceReport, enduranceReport } from "./endurance.js";
import type { EpochRecord } from "./records.js";
import { checkResources, type ResourceLimits } from "./resources.js";

/** The training loss became NaN or infinite: the run stops, keeping what it already reported. */
export class DivergenceError extends CimlearnError {
  override name = "DivergenceError";
}

/** What a simulated run gives: its accuracy, history and counted events, before any pricing. */
export interface Simulation {
  version: string;
  seed: number;
  /** The wasm build that computed it: "stock", or "relaxed" (fused multiply-add, rounded differently; `loadEngine({ simd })`). */
  build: SimdBuild;
  config: ResolvedRunConfig;
  /** Test accuracy after the last epoch. */
  test_accuracy: number;
  /** The untrained network's test loss and accuracy (when config.evaluateInitial). */
  initial?: { test_loss: number; test_accuracy: number };
  /** The untrained network's alignment (config.alignmentProbe). */
  initial_alignment?: LayerAlignment[];
  history: EpochRecord[];
  /** Hardware events of the whole run, per training phase (evaluation reads are not included). */
  events: PhaseEvents;
  /** The same, per weight layer. */
  layer_events: PhaseEvents[];
  /** The counts the cost model prices: per layer and phase, with the images and updates they came from. */
  measured: Measured;
  /** Writes per device (programming events) and the projected lifetime at the device's endurance. */
  endurance: EnduranceReport;
  /** Problems the run itself shows (a run that does not train), each one line; absent when none. */
  warnings?: string[];
  /** Trainable layers' shapes as mapped: rows (inputs + bias) × columns. */
  arrays: { layer: number; rows: number; cols: number; feedback?: { rows: number; cols: number } }[];
}

export interface TrainHooks {
  /** After every batch: samples done in this epoch, of `total`, and the running loss and accuracy. */
  onBatch?(epoch: number, done: number, total: number, loss: number, accuracy: number): void;
  /** A problem the run shows (it does not train), when it is seen; also in the result's `warnings`. */
  onWarning?(message: string): void;
  /** After every epoch, before the next starts. */
  onEpoch?(record: EpochRecord): void;
  /** Checked between batches; returning true stops the run after the current epoch's partial record. */
  shouldStop?(): boolean;
  /**
   * After every finished epoch (after onEpoch): `save()` gives the run's checkpoint as bytes
   * (src/experiment/checkpoint.ts), encoded only when called — call it before returning.
   */
  onCheckpoint?(save: () => Uint8Array, epoch: number): void;
  /** Continue the run a checkpoint of this config stopped (bytes, or decoded): its later epochs come out as an uninterrupted run's. */
  resumeFrom?: Uint8Array | Checkpoint;
  /** Memory and work a run may take; a larger run is refused before anything is allocated (src/experiment/resources.ts). */
  limits?: ResourceLimits;
}

/**
 * A loss per sample past this, or not finite, is divergence: cross-entropy at chance is ln(classes),
 * and no squared error of outputs that still track their targets comes near it (7e35 did pass as a
 * finite loss).
 */
const DIVERGED_LOSS = 1e6;

/** What can make this config's training run away, most likely first: noise on reads and writes, then the step size. */
function divergenceSuspects(config: ResolvedRunConfig): string {
  const d = config.device;
  const suspects: string[] = [];
  if (d.readNoise > 0) suspects.push(`read noise (device.readNoise ${d.readNoise}; try less)`);
  if (d.c2c >= 0.02) suspects.push(`write noise (device.c2c ${d.c2c})`);
  if (config.periphery.adc === "chip" && config.chip.adc.bits <= 4) suspects.push(`a coarse ADC (chip.adc.bits ${config.chip.adc.bits})`);
  suspects.push(
    `the step size (lr ${JSON.stringify(config.lr)}${config.momentum > 0 ? `, momentum ${config.momentum}` : ""}; try a smaller lr)`,
  );
  if (config.activation === "relu" && modelOf(config).layers.length > 3 && learningRule(config.algo).hidden.kind === "direct")
    suspects.push("deep ReLU layers under a direct rule (normalizeHiddenRate, or tanh)");
  return `suspects: ${suspects.join("; ")}`;
}

/**
 * The warning for a run that has not trained by the last epoch of `history`: its test accuracy at
 * chance or below (within a point) and its training loss not fallen — below the first epoch's, or, after
 * one epoch of cross-entropy, below 98 % of the loss at chance, ln(classes) — or undefined.
 */
export function notTraining(config: ResolvedRunConfig, history: readonly EpochRecord[], classes: number): string | undefined {
  const last = history[history.length - 1];
  const first = history[0];
  if (!last || !first) return undefined;
  const chance = 1 / classes;
  const reference = history.length > 1 ? first.train_loss : config.loss === "cross-entropy" ? 0.98 * Math.log(classes) : undefined;
  if (reference === undefined || !(last.train_loss >= reference) || last.test_accuracy > chance + 0.01) return undefined;
  const lr = Array.isArray(config.lr) ? config.lr.join(", ") : String(config.lr);
  const hint =
    config.update === "neurosim-v21"
      ? `the neurosim-v21 update scales the normalized gradient by lr (lr ${lr}; DNN+NeuroSim V2.1 uses 1)`
      : `check the step size (lr ${lr}) and the device's levels (${config.device.levelsLtp}/${config.device.levelsLtd})`;
  const since = history.length > 1 ? `epoch 1's ${first.train_loss.toFixed(4)}` : `the ${reference.toFixed(4)} of chance`;
  return `not training: after epoch ${last.epoch} the training loss, ${last.train_loss.toFixed(4)}, has not fallen below ${since}, and the test accuracy, ${(last.test_accuracy * 100).toFixed(2)} %, is at chance (${(chance * 100).toFixed(1)} %) or below; ${hint}`;
}

/**
 * Trains `config` on `source` on the simulated chip, counting every hardware event. The engine's
 * arena must have room for the network; everything is allocated before the first step.
 */
export function simulate(engine: Engine, source: Dataset, config: ResolvedRunConfig, hooks: TrainHooks = {}): Simulation {
  checkResources(config, hooks.limits);
  const data = transformDataset(source, config.transform);
  const net = buildNetwork(engine, config);
  const batch = config.batch;
  const features = data.features;
  const x = engine.arena.tensor([batch, features]);
  const labels = new Int32Array(batch);
  const images = new Float32Array(batch * features);
  // Drawn with replacement, an epoch may hold more samples than the split.
  const trainCount =
    config.sampling === "with-replacement"
      ? (config.trainSamples ?? data.train.count)
      : Math.min(config.trainSamples ?? data.train.count, data.train.count);
  const shuffler = new Shuffler(engine, data.train.count, config.seed);
  const sampler = config.sampling === "with-replacement" ? new Sampler(engine, data.train.count, config.seed) : undefined;
  const augmenter = config.augment ? new Augmenter(engine, data.shape, config.seed, batch) : undefined;
  // The probe: the first training samples, in file order, the same every epoch.
  const probeCount = Math.min(config.alignmentProbe, data.train.count);
  const probe = probeCount > 0 ? data.train.images.subarray(0, probeCount * features) : undefined;
  const probeLabels = data.train.labels.subarray(0, probeCount);
  const align = () => (probe ? probeAlignment(engine, net, probe, probeLabels, probeCount) : undefined);
  let history: EpochRecord[] = [];
  let imagesSeen = 0;
  let initial: { test_loss: number; test_accuracy: number } | undefined;
  let initialAlignment: LayerAlignment[] | undefined;
  let firstEpoch = 1;
  if (hooks.resumeFrom) {
    const checkpoint = hooks.resumeFrom instanceof Uint8Array ? decodeCheckpoint(hooks.resumeFrom) : hooks.resumeFrom;
    // One run, one build: the builds round differently, so a continuation on the other would mix them.
    const saved: SimdBuild = checkpoint.header.progress.build ?? "stock";
    if (saved !== engine.build)
      throw new InputError(`checkpoint: written by the ${saved} build; resume it on an engine loaded with simd "${saved}"`);
    const progress = restoreCheckpoint(engine, net, config, checkpoint);
    ({ history, initial, initial_alignment: initialAlignment } = structuredClone(progress));
    imagesSeen = progress.images_seen;
    firstEpoch = progress.epoch + 1;
  } else {
    if (config.evaluateInitial) {
      const r = evaluate(engine, net, x, images, labels, data.test, features, batch, config.testSamples);
      initial = { test_loss: r.loss, test_accuracy: r.accuracy };
    }
    initialAlignment = align();
  }
  const progress = (epoch: number): TrainingProgress => ({
    epoch,
    images_seen: imagesSeen,
    history: history.slice(),
    ...(initial ? { initial } : {}),
    ...(initialAlignment ? { initial_alignment: initialAlignment } : {}),
    ...(engine.build === "relaxed" ? { build: engine.build } : {}),
  });

  let warned = false;
  for (let epoch = firstEpoch; epoch <= config.epochs; epoch++) {
    net.learningRate = learningRate(config, epoch);
    const started = performance.now();
    const order = sampler ? sampler.draw(epoch, trainCount) : shuffler.shuffle(epoch).subarray(0, trainCount);
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    for (let start = 0; start < trainCount; start += batch) {
      const rows = gatherBatch(data.train, features, order, start, images, labels);
      augmenter?.apply(images, rows, epoch, start);
      engine.f32(x).set(rows === batch ? images : images.subarray(0, rows * features));
      const step = net.trainStep(x, labels, rows);
      if (!(Math.abs(step.loss) <= DIVERGED_LOSS * rows)) {
        throw new DivergenceError(
          `training diverged in epoch ${epoch} after ${seen} samples: the loss per sample is ${(step.loss / rows).toPrecision(3)}; ${divergenceSuspects(config)}`,
        );
      }
      lossSum += step.loss;
      correct += step.correct;
      seen += rows;
      imagesSeen += rows;
      hooks.onBatch?.(epoch, seen, trainCount, lossSum / seen, correct / seen);
      if (hooks.shouldStop?.()) break;
    }
    const test = evaluate(engine, net, x, images, labels, data.test, features, batch, config.testSamples);
    const seconds = (performance.now() - started) / 1000;
    const record: EpochRecord = {
      epoch,
      train_loss: lossSum / seen,
      train_accuracy: correct / seen,
      test_loss: test.loss,
      test_accuracy: test.accuracy,
      seconds,
      samples_per_second: seen / seconds,
    };
    const alignment = align();
    if (alignment) record.alignment = alignment;
    history.push(record);
    hooks.onEpoch?.(record);
    const stalled = warned ? undefined : notTraining(config, history, data.classes);
    if (stalled) {
      warned = true;
      hooks.onWarning?.(stalled);
    }
    if (hooks.shouldStop?.()) break;
    const finished = progress(epoch);
    hooks.onCheckpoint?.(() => encodeCheckpoint(engine, net, config, finished), epoch);
  }
  const updatesDone = net.updatesDone;
  const total = emptyEvents();
  for (const e of net.events) addEvents(total, e);
  const measured: Measured = {
    layers: net.events.map((e) => ({ forward: e.forward, error: e.error, update: e.update, feedbackUpdate: e.feedbackUpdate })),
    images: imagesSeen,
    updates: updatesDone,
  };
  // From the history alone, so that a resumed run warns as the uninterrupted one does.
  const warnings: string[] = [];
  for (let e = 1; e <= history.length && warnings.length === 0; e++) {
    const w = notTraining(config, history.slice(0, e), data.classes);
    if (w) warnings.push(w);
  }
  return {
    version: VERSION,
    seed: config.seed,
    build: engine.build,
    config,
    test_accuracy: history[history.length - 1]?.test_accuracy ?? 0,
    ...(initial ? { initial } : {}),
    ...(initialAlignment ? { initial_alignment: initialAlignment } : {}),
    history,
    events: total,
    layer_events: net.events,
    measured,
    endurance: enduranceReport(engine, net, updatesDone, history.length, config.device.preset),
    ...(warnings.length > 0 ? { warnings } : {}),
    arrays: net.layers.map((l) => {
      const entry: Simulation["arrays"][number] = { layer: l.index, rows: l.rows, cols: l.outputs };
      if (l.feedback) entry.feedback = { rows: l.feedback.inputs, cols: l.feedback.outputs };
      return entry;
    }),
  };
}

export function evaluate(
  engine: Engine,
  net: Network,
  x: Tensor,
  images: Float32Array,
  labels: Int32Array,
  split: Split,
  features: number,
  batch: number,
  limit = split.count,
): { loss: number; accuracy: number } {
  const count = Math.min(limit, split.count);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < count; start += batch) {
    const rows = gatherBatch(split, features, order, start, images, labels);
    engine.f32(x).set(rows === batch ? images : images.subarray(0, rows * features));
    const r = net.evaluate(x, labels, rows);
    loss += r.loss;
    correct += r.correct;
  }
  return { loss: loss / count, accuracy: correct / count };
}
