import type { LearningRule } from "./rule.js";

/** Hidden layers keep their initial weights; only the output layer learns (the lower baseline). */
export const outputOnly: LearningRule = {
  name: "output-only",
  summary: "only the output layer learns (the baseline every rule must beat)",
  source: "a fixed random hidden representation, e.g. Huang, Zhu & Siew, Neurocomputing 70 (2006)",
  hidden: { kind: "none" },
};
