// The learning rules, by id. A rule is one file in this folder (its description as data, see
// rule.ts) and one line here.

import { bp } from "./bp.js";
import { dfa } from "./dfa.js";
import { drtp } from "./drtp.js";
import { fa } from "./fa.js";
import { kp } from "./kolen-pollack.js";
import { outputOnly } from "./output-only.js";
import { directInput, type LearningRule } from "./rule.js";
import { brsf, frsf, usf } from "./sign-symmetry.js";

export const LEARNING_RULES = {
  bp,
  fa,
  dfa,
  drtp,
  "output-only": outputOnly,
  usf,
  frsf,
  brsf,
  kp,
} as const satisfies Record<string, LearningRule>;

export type Algorithm = keyof typeof LEARNING_RULES;
export const ALGORITHMS = Object.keys(LEARNING_RULES) as [Algorithm, ...Algorithm[]];

/** The rule every other is compared with (accuracy, and the DFA speed-up's denominator). */
export const BASELINE: Algorithm = "bp";

export function learningRule(algo: Algorithm): LearningRule {
  return LEARNING_RULES[algo];
}

export type { LearningRule } from "./rule.js";

/** Rules whose hidden layers learn from the output alone (direct rules): the ones the DFA speed-up is about. */
export const DIRECT_RULES: readonly Algorithm[] = ALGORITHMS.filter((a) => directInput(LEARNING_RULES[a]) !== undefined);

/** Whether `name` is a direct rule (DFA, DRTP, …). */
export function isDirectRule(name: string): boolean {
  return (DIRECT_RULES as readonly string[]).includes(name);
}
