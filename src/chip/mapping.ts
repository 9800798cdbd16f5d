// The learning rules' hardware: which fixed random feedback matrices a rule stores on the chip,
// and how the floorplan is printed. The weight matrices' floorplan itself is DNN+NeuroSim V2.1's
// (src/cost/circuits/floorplan.ts).

import type { ConvFeedback } from "../learning/feedback.js";
import { feedbackStore, type LearningRule } from "../learning/rule.js";
import type { ModelSpec } from "../nn/spec.js";

/** A feedback matrix (mirror rules such as FA: B_l shaped like W_l; direct rules such as DFA/DRTP: B_l of classes × n_l). */
export interface FeedbackMatrix {
  /** The layer whose error this matrix produces (DFA/DRTP) or whose transposed read it replaces (FA). */
  index: number;
  /** As stored: rows receive the input vector, columns give the outputs (FA: read transposed, like W_l). */
  rows: number;
  cols: number;
  read: "forward" | "transposed";
  /** DFA/DRTP: the layer's error signals (its neurons, or its channels with channel feedback). */
  signals: number;
}

/**
 * Feedback matrices on their own arrays (src/learning/rule.ts feedbackStore):
 *   mirror: B_l (l ≥ 2) shaped like W_l, on a mirror of W_l's tiles, read transposed in place of W_l;
 *   direct: B_l of classes × n_l for every hidden layer (n_l: its output neurons before pooling, or
 *           its channels with channel feedback), read forward with the output error or target as input;
 *   none:   no feedback matrix.
 */
export function feedbackMatrices(
  model: ModelSpec,
  rule: LearningRule,
  colsPerSynapse: number,
  convFeedback: ConvFeedback,
): FeedbackMatrix[] {
  const store = feedbackStore(rule);
  switch (store) {
    case "mirror":
      return model.layers.slice(1).map((l, k) => ({
        index: k + 1,
        rows: l.rows,
        cols: l.outChannels * colsPerSynapse,
        read: "transposed",
        signals: l.outChannels,
      }));
    case "direct":
      return model.layers.slice(0, -1).map((l, index) => {
        const signals = l.kind === "conv" && convFeedback === "channels" ? l.outChannels : l.neurons;
        return { index, rows: model.classes, cols: signals * colsPerSynapse, read: "forward", signals };
      });
    case "none":
      return [];
  }
}

/** C++ `cout` formatting of a double (6 significant digits, no trailing zeros). */
function cppNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  return String(Number(x.toPrecision(6)));
}

/** Tile and PE sizes of a floorplan (rows = columns), and PEs per novel tile (0: none). */
export interface FloorplanSizes {
  tile: number;
  pe: number;
  novel_pe: number;
  novel_pes: number;
}

/** The floorplan as DNN+NeuroSim prints it, plus the feedback arrays when the rule has them. */
export function formatFloorplan(
  sizes: FloorplanSizes,
  layers: { layer: number; tiles: number; duplication: number; utilization: number }[],
  subArray: { rows: number; cols: number },
  chipUtilization: number,
  feedback: { layer: number; rows: number; cols: number; read: string; sub_arrays: number }[] = [],
): string {
  const lines = [
    "------------------------------ FloorPlan --------------------------------",
    "",
    "Tile and PE size are optimized to maximize memory utilization ( = memory mapped by synapse / total memory on chip)",
    "",
    `Desired Conventional Mapped Tile Storage Size: ${sizes.tile}x${sizes.tile}`,
    `Desired Conventional PE Storage Size: ${sizes.pe}x${sizes.pe}`,
  ];
  if (sizes.novel_pes > 0) lines.push(`Desired Novel Mapped Tile Storage Size: ${sizes.novel_pes}x${sizes.novel_pe}x${sizes.novel_pe}`);
  lines.push(
    `User-defined SubArray Size: ${subArray.rows}x${subArray.cols}`,
    "",
    "----------------- # of tile used for each layer -----------------",
  );
  for (const l of layers) lines.push(`layer${l.layer}: ${l.tiles}`);
  lines.push("", "----------------- Speed-up of each layer ------------------");
  for (const l of layers) lines.push(`layer${l.layer}: ${l.duplication}`);
  lines.push("", "----------------- Utilization of each layer ------------------");
  for (const l of layers) lines.push(`layer${l.layer}: ${cppNumber(l.utilization)}`);
  lines.push(`Memory Utilization of Whole Chip: ${cppNumber(chipUtilization * 100)} % `);
  if (feedback.length > 0) {
    lines.push("", "----------------- Feedback arrays ------------------");
    for (const f of feedback) lines.push(`B${f.layer}: ${f.rows}x${f.cols} ${f.read}, ${f.sub_arrays} sub-arrays`);
  }
  lines.push("", "---------------------------- FloorPlan Done ------------------------------");
  return lines.join("\n");
}
