import type { LearningRule } from "./rule.js";

/** δ_l = (δ_{l+1} · W_{l+1}ᵀ) ⊙ f′(a_l): the next layer's own array, read transposed. */
export const bp: LearningRule = {
  name: "bp",
  summary: "backpropagation: δ through the next layer's weights, read transposed",
  source: "Rumelhart, Hinton & Williams, Nature 323 (1986)",
  hidden: { kind: "next-layer", matrix: { kind: "weights" } },
};
