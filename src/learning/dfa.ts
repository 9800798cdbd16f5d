import type { LearningRule } from "./rule.js";

/** δ_l = (e · B_l) ⊙ f′(a_l): the output error e straight to every hidden layer through its own fixed random B_l. */
export const dfa: LearningRule = {
  name: "dfa",
  summary: "direct feedback alignment: the output error to every hidden layer through a fixed random matrix",
  source: "Nøkland, NeurIPS 2016",
  hidden: { kind: "direct", input: "output-error" },
};
