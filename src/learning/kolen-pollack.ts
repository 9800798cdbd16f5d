import type { LearningRule } from "./rule.js";

/**
 * δ_l = (δ_{l+1} · B_{l+1}) ⊙ f′(a_l) with a B that learns: B_{l+1} starts random like FA's and
 * receives W_{l+1}'s every update, transposed; W and B both decay by `feedback.decay` per update, so
 * their difference shrinks and B comes to mirror W — without W ever being read for it.
 */
export const kp: LearningRule = {
  name: "kp",
  summary: "Kolen–Pollack: a feedback matrix that learns with W's updates (transposed) and decays with it",
  source: "Kolen & Pollack, ICNN 1994; Akrout, Wilson, Humphreys, Lillicrap & Tweed, NeurIPS 2019",
  hidden: { kind: "next-layer", matrix: { kind: "learned" } },
};
