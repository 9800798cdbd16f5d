import type { LearningRule } from "./rule.js";

// Sign-symmetric feedback (Liao, Leibo & Poggio, AAAI 2016, "How important is weight symmetry in
// backpropagation?"): δ_l = (δ_{l+1} · V_{l+1}) ⊙ f′(a_l) with V = M ⊙ sign(W_{l+1})ᵀ — the signs of
// the forward weights, not their magnitudes. B follows W's signs as W learns; on a crossbar it is
// rewritten (write-and-verify) before the step that reads it.
const source = "Liao, Leibo & Poggio, AAAI 2016";

/** uSF: M uniform, √(2/(fan-in + fan-out)) of W_{l+1} (as BioTorch sizes it). */
export const usf: LearningRule = {
  name: "usf",
  summary: "uniform sign-concordant feedback: δ through sign(W) of the next layer",
  source,
  hidden: { kind: "next-layer", matrix: { kind: "sign-of-weights", magnitude: "uniform" } },
};

/** frSF: M = |R|, random magnitudes drawn once (FA's draw). */
export const frsf: LearningRule = {
  name: "frsf",
  summary: "fixed random-magnitude sign-concordant feedback: sign(W) ⊙ |R|, R fixed",
  source,
  hidden: { kind: "next-layer", matrix: { kind: "sign-of-weights", magnitude: "fixed-random" } },
};

/** brSF: M = |R|, random magnitudes redrawn for every update. */
export const brsf: LearningRule = {
  name: "brsf",
  summary: "batchwise random-magnitude sign-concordant feedback: sign(W) ⊙ |R|, R redrawn every update",
  source,
  hidden: { kind: "next-layer", matrix: { kind: "sign-of-weights", magnitude: "batch-random" } },
};
