// The paper's headline as a function of the hardware: DFA's training-time speed-up over BP on the
// same chip versus the number of weight layers N, for each hardware assumption in turn — from
// DNN+NeuroSim's chip (one shared weight-gradient unit, per-image gradients through DRAM, the
// backward data in the global buffer) to a chip where nothing on the backward path is shared.
// Cost model only: the statistics are the config's assumptions, no training run is involved.

import type { ResolvedChipConfig } from "../chip/config.js";
import type { Algorithm } from "../learning/rules.js";
import { type CostSettings, costInputOf, estimateCost } from "./index.js";

export interface HardwareAssumption {
  id: string;
  label: string;
  chip: { wgUnit: Partial<ResolvedChipConfig["wgUnit"]>; buffers: Partial<ResolvedChipConfig["buffers"]> };
  /** Images pipelined through the layers (then BP is pipelined too, on the same hardware). */
  pipelineImages: boolean;
}

/** Each step removes one shared resource from the backward path, then images overlap too. */
export const HARDWARE_ASSUMPTIONS: HardwareAssumption[] = [
  {
    id: "neurosim",
    label: "DNN+NeuroSim's chip: one shared WG unit, gradients via DRAM, global buffer",
    chip: { wgUnit: { sharing: "shared", accumulation: "dram" }, buffers: { backward: "global" } },
    pipelineImages: false,
  },
  {
    id: "wg-per-layer",
    label: "+ a WG unit per layer",
    chip: { wgUnit: { sharing: "per-layer", accumulation: "dram" }, buffers: { backward: "global" } },
    pipelineImages: false,
  },
  {
    id: "on-chip-accumulation",
    label: "+ gradients summed on chip",
    chip: { wgUnit: { sharing: "per-layer", accumulation: "on-chip" }, buffers: { backward: "global" } },
    pipelineImages: false,
  },
  {
    id: "local-buffers",
    label: "+ backward data in a buffer per layer (nothing shared)",
    chip: { wgUnit: { sharing: "per-layer", accumulation: "on-chip" }, buffers: { backward: "local" } },
    pipelineImages: false,
  },
  {
    id: "pipelined",
    label: "+ images pipelined (BP pipelined too)",
    chip: { wgUnit: { sharing: "per-layer", accumulation: "on-chip" }, buffers: { backward: "local" } },
    pipelineImages: true,
  },
];

export interface SpeedupPoint {
  shape: string;
  assumption: string;
  /** Weight layers. */
  n: number;
  model: string;
  /** BP's epoch over the rule's (BP sequential, or pipelined on the same hardware when images are pipelined). */
  total: number;
  /** The same for error + gradient + update. */
  backward: number;
  /** Amdahl's bound for BP's error and gradient work (and updates) spread over the N layers. */
  bound: number;
}

/** The MLP of a shape at depth n: `equal` has n weight layers of width × width; `input` reads `inputs` features and ends in `classes`. */
export function studyModel(
  shape: { kind: "equal"; width: number } | { kind: "input"; inputs: number; width: number; classes: number },
  n: number,
): string {
  if (shape.kind === "equal") return `mlp:${Array.from({ length: n + 1 }, () => shape.width).join("-")}`;
  return `mlp:${[shape.inputs, ...Array.from({ length: n - 1 }, () => shape.width), shape.classes].join("-")}`;
}

/**
 * DFA (or `algo`) under dfa-parallel against BP, for every depth and hardware assumption, on the
 * base settings' chip, device and epoch.
 */
export function speedupStudy(
  base: CostSettings,
  options: {
    depths: number[];
    shapes: { name: string; shape: Parameters<typeof studyModel>[0] }[];
    algo?: Algorithm;
    assumptions?: HardwareAssumption[];
  },
): SpeedupPoint[] {
  const out: SpeedupPoint[] = [];
  for (const { name, shape } of options.shapes) {
    for (const a of options.assumptions ?? HARDWARE_ASSUMPTIONS) {
      for (const n of options.depths) {
        const model = studyModel(shape, n);
        const chip: ResolvedChipConfig = {
          ...base.chip,
          wgUnit: { ...base.chip.wgUnit, ...a.chip.wgUnit },
          buffers: { ...base.chip.buffers, ...a.chip.buffers },
        };
        const settings: CostSettings = {
          ...base,
          model,
          algo: options.algo ?? "dfa",
          chip,
          schedule: "dfa-parallel",
          scheduleOptions: { pipelineImages: a.pipelineImages },
        };
        const r = estimateCost(costInputOf(settings));
        const s = r.speedup;
        if (!s) continue;
        const vs = a.pipelineImages && s.same_timeline ? s.same_timeline : s;
        out.push({ shape: name, assumption: a.id, n, model, total: vs.total, backward: vs.backward, bound: s.amdahl.bound });
      }
    }
  }
  return out;
}
