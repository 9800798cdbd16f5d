// Feedback matrices: the B through which a rule that does not read the weights transposed sends
// its learning signal (src/learning/rule.ts feedbackStore). Where they live (exact digital values,
// or crossbar arrays read through the error periphery), how they are drawn, read, and — for the
// sign-symmetric rules — rewritten to follow the weights.

import { addProgramCounts, emptyProgramCounts, type ProgramCounts, type PulseRounding, takeRewriteTotals } from "../device/array.js";
import { CrossbarArray, type ReadCounts, type ReadSettings, type WeightMapping } from "../device/crossbar.js";
import type { DeviceParams } from "../device/params.js";
import type { Engine } from "../engine/engine.js";
import { InputError } from "../engine/errors.js";
import { fillUniform, streamId } from "../engine/random.js";
import { type Tensor, view } from "../engine/tensor.js";
import type { Layer } from "../nn/network.js";
import { feedbackLearns, feedbackStore, type LearningRule } from "./rule.js";

/** Where feedback matrices live: exact digital values, or arrays with the forward device and the error reads' periphery. */
export type FeedbackStorage = "digital" | "crossbar";
/** Direct feedback to a conv layer: onto its full output map, or onto its channels (shared over positions). */
export type ConvFeedback = "full" | "channels";

/** What building and reading feedback needs from the network's options. */
export interface FeedbackSettings {
  feedbackStorage: FeedbackStorage;
  /** Init bound multiplier: mirror rules ±scale/√(fan-in of the backward map); direct rules ±scale/√(the layer's units) (Nøkland 2016). */
  feedbackScale: number;
  convFeedback?: ConvFeedback;
  errorRead: ReadSettings;
  device: DeviceParams;
  mapping: WeightMapping;
  subArrayRows: number;
  seed: number;
  maxBatch: number;
  /** `shared`: B drawn from the layer's feedback stream whatever the rule (FA's and DFA's draws coincide); `per-rule`: from a stream of the rule's own. */
  feedbackDraw?: "shared" | "per-rule";
}

/** Layers per rule block of feedback streams (per-rule draws). */
const RULE_STREAM_BLOCK = 4096;

/** A rule's own block of feedback streams: FNV-1a of its name, 1…255 (0 is the shared block). */
export function ruleStreamBlock(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return 1 + (h % 255);
}

/**
 * A feedback matrix: `inputs` input lines × `outputs` output lines, read with one input vector per
 * row. Direct rules: classes × the layer's outputs (a conv layer's full output map, or its channels
 * with the signal shared over positions); mirror rules: shaped like the next layer's Wᵀ.
 */
export interface Feedback {
  inputs: number;
  outputs: number;
  /** Digital storage: the matrix itself (effective values). */
  matrix?: Tensor;
  /** Crossbar storage: normalized to [−1, 1], with `scale` restoring its values. */
  array?: CrossbarArray;
  scale: number;
  /** Conv layers, direct rules: `channels` when one signal per channel is shared by every position. */
  conv?: ConvFeedback;
  /** Sign-symmetric rules: B = sign(W_next)ᵀ ⊙ M, rewritten before every read from the next layer's weights. */
  follow?: {
    /** The magnitude: uSF's uniform value, or the bound of the random |R| (effective units). */
    magnitude: number;
    /** Uniform draws u in [0, 1) giving |R| = |2u − 1|·magnitude (frSF, brSF); undefined for uSF. */
    uniforms?: Tensor;
    /** Redraw the magnitudes for every update (brSF). */
    redraw: boolean;
    /** Normalized values before they are written (crossbar storage). */
    staged?: Tensor;
    /** The update the matrix was last built for. */
    builtFor: number;
    stream: number;
    /** The values before the last rebuild (what a rewrite moves from). */
    previous: Tensor;
    /** What the rebuilds since the last read wrote on B's cells, as pulses (taken by takeRewrites). */
    rewrites: ProgramCounts;
  };
  /** Scratch of rewriteCounts' totals (REWRITE_COUNT_SLOTS f64). */
  writeCounts: Tensor;
  /** Kolen–Pollack: the change B receives (inputs × outputs; normalized on a crossbar, effective when digital). */
  learn?: Tensor;
}

/**
 * Layer `layer`'s feedback matrix for `rule` (`next`: the layer above). Mirror rules: shaped like
 * the next layer's Wᵀ without the bias row (its outputs × its inputs); a fixed random B is uniform
 * in ±scale/√(fan-in of the backward map). Direct rules: classes × the layer's units n_l, uniform
 * in ±scale/√n_l — anokland/dfa-torch's ErrorFeedback default (1/√ of the feedback's width; for a
 * convolution its whole C·H·W map), and the same bound as ChFrenkel/DirectRandomTargetProjection's
 * kaiming_uniform_ on a [classes, n_l] matrix — so ‖B e‖ stays near ‖e‖ however wide the layer. With
 * channel feedback a conv layer's B is classes × C, ±1/√C, and each position gets 1/P of it (the
 * backward pass of a mean over the P positions: a signal the same at every position sums
 * coherently in the weight gradient).
 */
export function createFeedback(
  engine: Engine,
  o: FeedbackSettings,
  rule: LearningRule,
  layer: Layer,
  next: Layer,
  classes: number,
): Feedback {
  const mirror = feedbackStore(rule) === "mirror";
  let inputs: number;
  let outputs: number;
  let bound: number;
  let conv: ConvFeedback | undefined;
  if (mirror) {
    inputs = next.outputs;
    outputs = next.inputs;
    const k = next.kind === "conv" ? next.shape.kernel / next.shape.stride : 1;
    bound = o.feedbackScale / Math.sqrt(inputs * k * k);
  } else {
    inputs = classes;
    outputs = layer.outputs;
    bound = o.feedbackScale / Math.sqrt(outputs);
    if (layer.kind === "conv") {
      conv = o.convFeedback ?? "full";
      if (conv === "channels") bound /= layer.positions;
      else {
        outputs = layer.neurons;
        bound = o.feedbackScale / Math.sqrt(outputs);
      }
    }
  }
  const fb: Feedback = { inputs, outputs, scale: 1, writeCounts: engine.arena.tensor([2 * 5]) };
  if (conv) fb.conv = conv;
  if (layer.index >= RULE_STREAM_BLOCK)
    throw new InputError(
      `feedback: layer ${layer.index + 1} is beyond the ${RULE_STREAM_BLOCK} layers feedback streams are kept apart for`,
    );
  const block = o.feedbackDraw === "per-rule" ? ruleStreamBlock(rule.name) : 0;
  const stream = streamId("feedback", block * RULE_STREAM_BLOCK + layer.index);
  const values = engine.arena.tensor([inputs, outputs]);
  fillUniform(engine, values, { seed: o.seed, stream });
  const h = rule.hidden;
  const sign = h.kind === "next-layer" && h.matrix.kind === "sign-of-weights" ? h.matrix : undefined;
  if (sign) {
    // Liao et al. 2016, sized as BioTorch's uSF: √(2/(fan-in + fan-out)) of W_next (a conv kernel's fan-out counts K·K);
    // the random magnitudes |R| are FA's draws (|2u − 1|·bound).
    const kk = next.kind === "conv" ? next.shape.kernel * next.shape.kernel : 1;
    const magnitude = sign.magnitude === "uniform" ? o.feedbackScale * Math.sqrt(2 / (next.inputs + next.outputs * kk)) : bound;
    fb.follow = {
      magnitude,
      redraw: sign.magnitude === "batch-random",
      builtFor: -1,
      stream,
      previous: engine.arena.tensor([inputs, outputs]),
      rewrites: emptyProgramCounts(),
    };
    if (sign.magnitude !== "uniform") fb.follow.uniforms = values;
  } else {
    const v = engine.f32(values);
    for (let i = 0; i < v.length; i++) v[i] = (2 * (v[i] as number) - 1) * bound;
  }

  if (feedbackLearns(rule)) fb.learn = engine.arena.tensor([inputs, outputs]);
  if (o.feedbackStorage === "digital") {
    fb.matrix = sign ? engine.arena.tensor([inputs, outputs]) : values;
    return fb;
  }
  // Conv layers' feedback arrays read image by image (or position by position) when nonideal.
  const ideal = o.errorRead.dacBits === 0 && o.errorRead.adcBits === 0 && o.device.readNoise === 0;
  const maxBatch = ideal ? 1 : mirror && next.kind === "conv" ? next.positions : layer.kind === "conv" ? 1 : o.maxBatch;
  const array = new CrossbarArray(
    engine,
    {
      rows: inputs,
      cols: outputs,
      device: o.device,
      mapping: o.mapping,
      subArrayRows: o.subArrayRows,
      forward: o.errorRead,
      seed: o.seed,
      arrayId: 2 * layer.index + 1,
    },
    maxBatch,
  );
  if (fb.follow) {
    fb.follow.staged = engine.arena.tensor([inputs, outputs]);
    fb.scale = fb.follow.magnitude;
  } else {
    const normalized = engine.f32(values);
    for (let i = 0; i < normalized.length; i++) normalized[i] = (normalized[i] as number) / bound;
    array.setWeights(values);
    fb.scale = bound;
  }
  fb.array = array;
  return fb;
}

/**
 * Sign-symmetric feedback: B = sign(W_next)ᵀ ⊙ M from the next layer's weights as they are now
 * (digital: recomputed; crossbar: rewritten with write-and-verify), once per update. brSF draws new
 * magnitudes for every update. Every rebuild after the first counts the pulses its changes take on
 * B's cells (on a crossbar also as their wear), whichever the storage: the cost model prices B as
 * a mirror of W's arrays either way.
 */
export function followWeights(engine: Engine, o: FeedbackSettings, fb: Feedback, next: Layer, update: number): void {
  const f = fb.follow;
  if (!f || f.builtFor === update) return;
  const first = f.builtFor === -1;
  f.builtFor = update;
  if (f.uniforms && f.redraw) fillUniform(engine, f.uniforms, { seed: o.seed, stream: f.stream, step: update });
  // Digital: the effective values; crossbar: normalized (the array's scale is the magnitude), written to the array.
  const target = fb.matrix ?? (f.staged as Tensor);
  const k = engine.kernels;
  const n = fb.inputs * fb.outputs;
  if (!first) k.scale(f.previous.offset, target.offset, 1, n);
  const mult = fb.matrix ? f.magnitude : 1;
  k.signOfTransposed(fb.inputs, fb.outputs, next.array.weights.offset, next.outputs, f.uniforms?.offset ?? 0, mult, target.offset);
  if (!first) addProgramCounts(f.rewrites, countWrites(engine, o, fb, f.previous, target, 1 / mult, "verify"));
  fb.array?.setWeights(target);
}

/** The pulses of the sign-symmetric rebuilds since the last call (zero counts when there were none or B is fixed). */
export function takeRewrites(fb: Feedback): ProgramCounts | undefined {
  const f = fb.follow;
  if (!f) return undefined;
  const taken = f.rewrites;
  f.rewrites = emptyProgramCounts();
  return taken;
}

/**
 * Pulses that move B's normalized values (value × scale) from `old` (undefined: 0) to `now`, on the
 * device's levels: written and verified to a new level, or programmed with the run's pulse rounding.
 */
function countWrites(
  engine: Engine,
  o: FeedbackSettings,
  fb: Feedback,
  old: Tensor | undefined,
  now: Tensor,
  scale: number,
  how: "verify" | PulseRounding,
): ProgramCounts {
  engine.kernels.rewriteCounts(
    fb.inputs,
    fb.outputs,
    old?.offset ?? 0,
    now.offset,
    scale,
    Math.max(o.device.levelsLtp, o.device.levelsLtd),
    how === "verify" ? 0 : how === "nearest" ? 1 : 2,
    fb.array?.plus.writes.offset ?? 0,
    fb.array?.minus?.writes.offset ?? 0,
    fb.writeCounts.offset,
  );
  return takeRewriteTotals(engine, fb.writeCounts);
}

/**
 * Kolen–Pollack: B_next receives W_next's change transposed (`change`: the normalized desired change
 * of W_next, rows × outputs, scale `weightScale`), less `decay`·B — the same update W gets, on B's own
 * storage (digital: exactly; crossbar: programmed through its devices). Returns the program counts
 * (digital: the pulses the change would take on a mirror of W's arrays).
 */
export function learnFeedback(
  engine: Engine,
  o: FeedbackSettings,
  fb: Feedback,
  change: Tensor,
  weightScale: number,
  decay: number,
  update: number,
  rounding: PulseRounding,
): ProgramCounts | undefined {
  const out = fb.learn;
  if (!out) return undefined;
  const k = engine.kernels;
  const ld = fb.inputs; // W_next's columns (its outputs)
  if (fb.matrix) {
    k.transposedChange(fb.inputs, fb.outputs, change.offset, ld, weightScale, decay, fb.matrix.offset, out.offset);
    k.add(fb.matrix.offset, fb.matrix.offset, out.offset, fb.inputs * fb.outputs);
    // What the same change would take as pulses on a mirror of W's arrays (normalized as W: ÷ its scale).
    return countWrites(engine, o, fb, undefined, out, 1 / weightScale, rounding);
  }
  const array = fb.array as CrossbarArray;
  k.transposedChange(fb.inputs, fb.outputs, change.offset, ld, weightScale / fb.scale, decay, array.weights.offset, out.offset);
  return array.update(out, update, rounding);
}

/**
 * output (rows × fb.outputs) = input (rows × fb.inputs) · B, counted as the owner's error reads.
 * A crossbar B with a nonideal periphery is read `rowsPerRead` rows at a time.
 */
export function readFeedback(
  engine: Engine,
  o: FeedbackSettings,
  fb: Feedback,
  input: Tensor,
  output: Tensor,
  counts: ReadCounts,
  rowsPerRead: number,
): void {
  const k = engine.kernels;
  const rows = input.shape[0] as number;
  if (fb.matrix) {
    engine.gemm(output, input, fb.matrix);
    // Counted as the read of an array holding B with an ideal periphery, so the cost model charges the feedback path either way.
    const blocks = Math.ceil(fb.inputs / o.subArrayRows);
    counts.reads += rows * blocks;
    counts.activeRows += k.countNonzero(rows, input.offset, fb.inputs, 0, fb.inputs);
    counts.conversions += rows * blocks * fb.outputs * (o.mapping === "differential" ? 2 : 1);
    return;
  }
  const array = fb.array as CrossbarArray;
  if (array.readsIdeal(false) || rows <= rowsPerRead) {
    array.read(input, output, false, counts);
  } else {
    for (let r = 0; r < rows; r += rowsPerRead) {
      const n = Math.min(rowsPerRead, rows - r);
      array.read(
        view(input.offset + r * fb.inputs * 4, n, fb.inputs),
        view(output.offset + r * fb.outputs * 4, n, fb.outputs),
        false,
        counts,
      );
    }
  }
}
