// How a layer's desired change reaches its devices. `sgd` programs it as it is (the device's pulse
// rounding decides the pulses); `mixed-precision` (Nandakumar et al., Frontiers in Neuroscience 14,
// 406, 2020) accumulates it in a digital χ per weight and programs only whole pulses, once χ holds
// `threshold` of them, keeping the remainder. χ lives where the chip accumulates gradients
// (chip.wgUnit.accumulation: on-chip SRAM or DRAM) and is priced there.

export const OPTIMIZERS = ["sgd", "mixed-precision"] as const;
export type OptimizerKind = (typeof OPTIMIZERS)[number];

export type Optimizer = { kind: "sgd" } | { kind: "mixed-precision"; threshold: number };
