import { errorReadLayers, feedbackStore, type HiddenSignal, parallelBackward } from "../../learning/rule.js";
import { ALGORITHMS, LEARNING_RULES } from "../../learning/rules.js";
import { type Command, helpFlag } from "../command.js";
import { formatTable } from "../format.js";

/** A hidden layer's δ as the rule defines it. */
function signalText(h: HiddenSignal): string {
  switch (h.kind) {
    case "none":
      return "— (hidden layers fixed)";
    case "direct":
      return h.input === "output-error" ? "e · B_l" : "y* · B_l (target)";
    case "next-layer":
      switch (h.matrix.kind) {
        case "weights":
          return "δ_{l+1} · W_{l+1}ᵀ";
        case "fixed-random":
          return "δ_{l+1} · B_{l+1} (fixed)";
        case "sign-of-weights":
          return `δ_{l+1} · sign(W_{l+1})ᵀ ⊙ M (${h.matrix.magnitude})`;
        case "learned":
          return "δ_{l+1} · B_{l+1} (learns W's changes)";
      }
  }
}

export const rulesCommand: Command = {
  name: "rules",
  summary: "list the learning rules: each hidden layer's signal, the feedback arrays, what may run in parallel, sources",
  usage: "cimlearn rules [--json]",
  flags: { json: { type: "boolean", help: "print the rules' descriptions as one JSON document" }, ...helpFlag },
  async run(values) {
    if (values.json) {
      process.stdout.write(`${JSON.stringify(LEARNING_RULES, null, 2)}\n`);
      return;
    }
    const rows = ALGORITHMS.map((id) => {
      const r = LEARNING_RULES[id];
      const reads = errorReadLayers(r, 3);
      return [
        id,
        signalText(r.hidden),
        feedbackStore(r),
        reads.some(Boolean) ? (reads[0] ? "B_1 … B_{L−1}" : "layers 2 … L") : "none",
        parallelBackward(r) ? "yes" : "no",
        r.activation ?? "",
      ];
    });
    process.stdout.write(
      `${formatTable(["id", "hidden δ_l (⊙ f′)", "feedback arrays", "error reads", "layers in parallel", "activation"], rows)}\n`,
    );
    process.stdout.write(
      `\n${ALGORITHMS.map((id) => `  ${id}: ${LEARNING_RULES[id].summary} — ${LEARNING_RULES[id].source}`).join("\n")}\n`,
    );
  },
};
