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
  /** The signal for hidden layers; undefined when they do not learn. */
  hidden?: SignalSource;
  /**
   * Rows (input lines) of hidden layer l's feedback matrix, given the layer
   * widths; its columns are layer l's outputs. Undefined: no feedback matrix.
   */
  feedbackInputs?(l: number, widths: readonly number[]): number;
  /**
   * True when every hidden layer's signal depends only on the output: the
   * layers' backward work can run in parallel (the DFA speed-up).
   */
  parallelBackward: boolean;
}

const last = (widths: readonly number[]) => widths[widths.length - 1] as number;

export const LEARNING_RULES: Readonly<Record<Algorithm, LearningRule>> = {
  bp: { name: "bp", hidden: { through: "next-weights", input: "next-delta" }, parallelBackward: false },
  fa: {
    name: "fa",
    hidden: { through: "feedback", input: "next-delta" },
    feedbackInputs: (l, widths) => widths[l + 2] as number,
    parallelBackward: false,
  },
  dfa: {
    name: "dfa",
    hidden: { through: "feedback", input: "output-error" },
    feedbackInputs: (_l, widths) => last(widths),
    parallelBackward: true,
  },
  drtp: {
    name: "drtp",
    hidden: { through: "feedback", input: "target" },
    feedbackInputs: (_l, widths) => last(widths),
    parallelBackward: true,
  },
  "output-only": { name: "output-only", parallelBackward: true },
};
