import type { LearningRule } from "./rule.js";

/**
 * δ_l = (δ_{l+1} · B_{l+1}) ⊙ f′(a_l), B_{l+1} a fixed random matrix shaped like W_{l+1}ᵀ. With one
 * hidden layer FA is DFA: δ_2 is the output error, and B_2 (classes × units) is DFA's B_1.
 */
export const fa: LearningRule = {
  name: "fa",
  summary: "feedback alignment: δ through a fixed random copy of the next layer's shape",
  source: "Lillicrap et al., Nature Communications 7, 13276 (2016)",
  hidden: { kind: "next-layer", matrix: { kind: "fixed-random" } },
};
