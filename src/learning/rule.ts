// What a learning rule is, as data: where each hidden layer's learning signal comes from and
// through which matrix it arrives. Everything the network, the chip mapping, the cost model, the
// schedules and the report need to know about a rule is derived here from that description, by
// exhaustive switches — a rule is one object (src/learning/rules/), and a new kind of signal does
// not compile until every consumer handles it.

import type { Activation } from "../nn/activation.js";

/** The matrix a next-layer rule sends δ_{l+1} through: shaped like W_{l+1}ᵀ. */
export type NextLayerMatrix =
  /** W_{l+1} itself, its array read transposed (backpropagation). */
  | { kind: "weights" }
  /** A fixed random B_{l+1}, uniform in ±feedbackScale/√(fan-in of the backward map) (feedback alignment). */
  | { kind: "fixed-random" }
  /**
   * sign(W_{l+1}) with a magnitude M (Liao, Leibo & Poggio 2016, "How important is weight symmetry
   * in backpropagation?"): `uniform` M = √(2/(fan-in + fan-out)) of W_{l+1} (uSF), `fixed-random`
   * |R| drawn once like FA's B (frSF), `batch-random` |R| redrawn for every update (brSF). The signs
   * follow W_{l+1} as it is realized after every update.
   */
  | { kind: "sign-of-weights"; magnitude: "uniform" | "fixed-random" | "batch-random" }
  /**
   * A B_{l+1} drawn like FA's that learns: every update of W_{l+1} is applied to it transposed, and
   * both decay by `feedback.decay` per update (Kolen & Pollack 1994; Akrout et al., NeurIPS 2019), so
   * B − Wᵀ shrinks geometrically and B comes to mirror W.
   */
  | { kind: "learned" };

/** How a hidden layer l receives its learning signal. */
export type HiddenSignal =
  /** Hidden layers do not learn (only the output layer does). */
  | { kind: "none" }
  /** δ_l = (δ_{l+1} · M_{l+1}) ⊙ f′(a_l): a chain from the output down. */
  | { kind: "next-layer"; matrix: NextLayerMatrix }
  /** δ_l = (s · B_l) ⊙ f′(a_l), B_l of classes × the layer's units, s the output error or the one-hot target. */
  | { kind: "direct"; input: "output-error" | "target" };

export interface LearningRule {
  /** The id used in configs and on the command line. */
  name: string;
  /** One line for help texts and tables. */
  summary: string;
  /** The primary source of the rule. */
  source: string;
  hidden: HiddenSignal;
  /** The hidden activation this rule defaults to (DRTP: tanh, as Frenkel et al. 2021). */
  activation?: Activation;
}

/** Layers whose weights learn: all of them, or only the output layer when hidden layers do not. */
export function trainedLayers(rule: LearningRule, layers: number): boolean[] {
  const hiddenLearn = rule.hidden.kind !== "none";
  return Array.from({ length: layers }, (_, i) => hiddenLearn || i === layers - 1);
}

/**
 * Layers with an error-phase read, counted for the array that is read: next-layer rules read
 * layers 2…L (W or its feedback copy, producing δ_1…δ_{L−1}); direct rules read B_1…B_{L−1}.
 */
export function errorReadLayers(rule: LearningRule, layers: number): boolean[] {
  const h = rule.hidden;
  switch (h.kind) {
    case "none":
      return new Array(layers).fill(false);
    case "next-layer":
      return Array.from({ length: layers }, (_, i) => i > 0);
    case "direct":
      return Array.from({ length: layers }, (_, i) => i < layers - 1);
  }
}

/** True when every hidden layer's signal depends only on the output: the layers' backward work can run in parallel. */
export function parallelBackward(rule: LearningRule): boolean {
  const h = rule.hidden;
  switch (h.kind) {
    case "none":
    case "direct":
      return true;
    case "next-layer":
      return false;
  }
}

/** Where the hidden layers' error reads happen. */
export type FeedbackStore =
  /** No feedback matrix: no hidden error (output-only) or W read transposed (BP). */
  | "none"
  /** B_{l+1} shaped like W_{l+1}ᵀ, on a mirror of W_{l+1}'s tiles, read transposed in its place. */
  | "mirror"
  /** B_l of classes × the layer's units, on its own arrays, read forward with the output signal. */
  | "direct";

export function feedbackStore(rule: LearningRule): FeedbackStore {
  const h = rule.hidden;
  switch (h.kind) {
    case "none":
      return "none";
    case "direct":
      return "direct";
    case "next-layer":
      switch (h.matrix.kind) {
        case "weights":
          return "none";
        case "fixed-random":
        case "sign-of-weights":
        case "learned":
          return "mirror";
      }
  }
}

/** Whether B learns alongside W (Kolen–Pollack): every update of W_{l+1} also updates B_{l+1}, and both decay. */
export function feedbackLearns(rule: LearningRule): boolean {
  const h = rule.hidden;
  if (h.kind !== "next-layer") return false;
  switch (h.matrix.kind) {
    case "weights":
    case "fixed-random":
    case "sign-of-weights":
      return false;
    case "learned":
      return true;
  }
}

/**
 * How B changes during training, so its cells are written: not at all (fixed, or no B), by the
 * update W gets (Kolen–Pollack: written alongside W), or rebuilt from W's realized weights after
 * W's update (sign-symmetric: written after W).
 */
export type FeedbackWrites = "none" | "learned" | "follows-weights";

export function feedbackWrites(rule: LearningRule): FeedbackWrites {
  const h = rule.hidden;
  if (h.kind !== "next-layer") return "none";
  switch (h.matrix.kind) {
    case "weights":
    case "fixed-random":
      return "none";
    case "sign-of-weights":
      return "follows-weights";
    case "learned":
      return "learned";
  }
}

/** The input of a direct rule's feedback reads: the output error (DFA) or the one-hot target (DRTP, one active line). */
export function directInput(rule: LearningRule): "output-error" | "target" | undefined {
  return rule.hidden.kind === "direct" ? rule.hidden.input : undefined;
}

/** Whether hidden errors come from the next layer's own array read transposed (BP): those arrays need a transposed read path. */
export function readsWeightsTransposed(rule: LearningRule): boolean {
  const h = rule.hidden;
  return h.kind === "next-layer" && h.matrix.kind === "weights";
}
