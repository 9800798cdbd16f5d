// Learning rules decide one thing: which teaching signal each hidden layer
// receives, and through which matrix it arrives. Everything else — reading
// arrays, derivatives, gradients, updates — is the same for all of them.
//
// Definitions (reference/paper-and-neurosim.md §2.5):
//   bp:   δ_l = (δ_{l+1} · W_{l+1}ᵀ) ⊙ f′(a_l)      the next layer's array, read transposed
//   fa:   δ_l = (δ_{l+1} · B_{l+1}) ⊙ f′(a_l)       a fixed random matrix shaped like W_{l+1}ᵀ
//   dfa:  δ_l = (e · B_l) ⊙ f′(a_l)                 straight from the output error e
//   drtp: δ_l = (y* · B_l) ⊙ f′(a_l)                from the one-hot target y*
//   output-only: hidden layers do not learn (the lower baseline)

export const ALGORITHMS = ["bp", "fa", "dfa", "drtp", "output-only"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** Where a hidden layer's teaching signal comes from. */
export interface SignalSource {
  /** `next-weights`: the next layer's own array read transposed; `feedback`: this layer's fixed random matrix. */
  through: "next-weights" | "feedback";
  /** What is applied to it: the next layer's δ, the output error e, or the one-hot target. */
  input: "next-delta" | "output-error" | "target";
}

export interface LearningRule {
  name: Algorithm;
  /**
   * The signal for hidden layers; undefined when they do not learn. With `through: "feedback"`
   * each hidden layer owns a fixed random B (src/nn/network.ts builds it): for `next-delta` (FA)
   * shaped like the next layer's Wᵀ — for a convolution above, C_out × K·K·C_in, read at every
   * output position and summed back by col2im like BP's transposed read; for `output-error` and
   * `target` (DFA, DRTP) classes × the layer's outputs — for a conv layer its whole output map
   * (before pooling), or with `feedback.conv: "channels"` its channels, shared over positions.
   */
  hidden?: SignalSource;
  /**
   * True when every hidden layer's signal depends only on the output: the
   * layers' backward work can run in parallel (the DFA speed-up).
   */
  parallelBackward: boolean;
}

export const LEARNING_RULES: Readonly<Record<Algorithm, LearningRule>> = {
  bp: { name: "bp", hidden: { through: "next-weights", input: "next-delta" }, parallelBackward: false },
  fa: { name: "fa", hidden: { through: "feedback", input: "next-delta" }, parallelBackward: false },
  dfa: { name: "dfa", hidden: { through: "feedback", input: "output-error" }, parallelBackward: true },
  drtp: { name: "drtp", hidden: { through: "feedback", input: "target" }, parallelBackward: true },
  "output-only": { name: "output-only", parallelBackward: true },
};
