import type { LearningRule } from "./rule.js";

/** δ_l = (y* · B_l) ⊙ f′(a_l): the one-hot target y* (no error at all) to every hidden layer. */
export const drtp: LearningRule = {
  name: "drtp",
  summary: "direct random target projection: the one-hot target to every hidden layer",
  source: "Frenkel, Lefebvre & Bol, Frontiers in Neuroscience 15 (2021)",
  hidden: { kind: "direct", input: "target" },
  activation: "tanh",
};
