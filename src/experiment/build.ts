// Config → simulation: the settings each part of the simulation takes from a resolved run config
// (read periphery per direction, learning rates, the optimizer) and the network built from them.
// The training loop (train.ts) only runs what is built here.

import type { ReadSettings } from "../device/crossbar.js";
import type { Engine } from "../engine/engine.js";
import type { Optimizer } from "../learning/optimizer.js";
import { Network } from "../nn/network.js";
import { modelOf, type ResolvedRunConfig } from "./config.js";

/** The periphery of one read direction: forward reads take the activation bits and the ADC; error reads the error bits and the error ADC. */
export function readSettings(config: ResolvedRunConfig, direction: "forward" | "error"): ReadSettings {
  const p = config.periphery;
  const c = config.chip;
  return {
    dacBits: p.dac === "bit-serial" ? (direction === "forward" ? c.activationBits : c.errorBits) : 0,
    adcBits: (direction === "forward" ? p.adc : p.errorAdc) === "chip" ? (direction === "forward" ? c.adc.bits : c.adc.error.bits) : 0,
    adcRange: p.adcRange,
  };
}

/** The first layer's rate (the config's, or its first) in `epoch`; the others keep their ratio to it (`layerRates`). */
export function learningRate(config: ResolvedRunConfig, epoch: number): number {
  const s = config.lrSchedule;
  const lr = baseRate(config);
  if (s === "constant") return lr;
  if (s === "cosine") return lr * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / config.epochs));
  return lr * s.factor ** s.epochs.filter((e) => epoch > e).length;
}

const baseRate = (config: ResolvedRunConfig) => (Array.isArray(config.lr) ? (config.lr[0] as number) : config.lr);

/** Each layer's rate relative to the first (all 1 for a single rate). */
export function layerRates(config: ResolvedRunConfig): number[] | undefined {
  return Array.isArray(config.lr) ? config.lr.map((r) => r / baseRate(config)) : undefined;
}

function optimizerOf(config: ResolvedRunConfig): Optimizer {
  const o = config.optimizerOptions;
  switch (config.optimizer) {
    case "sgd":
      return { kind: "sgd" };
    case "mixed-precision":
      return { kind: "mixed-precision", threshold: o.threshold };
    case "tiki-taka":
      return {
        kind: "tiki-taka",
        transferEvery: o.transferEvery,
        transferRows: o.transferRows,
        transferLr: o.transferLr,
        fastDevice: o.fastDevice,
      };
  }
}

export function buildNetwork(engine: Engine, config: ResolvedRunConfig): Network {
  return new Network(engine, {
    spec: modelOf(config),
    algorithm: config.algo,
    activation: config.activation,
    loss: config.loss,
    outputActivation: config.outputActivation,
    ...(config.hiddenThreshold !== undefined ? { hiddenThreshold: config.hiddenThreshold } : {}),
    bias: config.bias,
    device: config.device,
    mapping: config.mapping,
    subArrayRows: config.chip.subArray.rows,
    forwardRead: readSettings(config, "forward"),
    ...(config.periphery.layerAdcBits
      ? { layerForwardReads: config.periphery.layerAdcBits.map((adcBits) => ({ ...readSettings(config, "forward"), adcBits })) }
      : {}),
    errorRead: readSettings(config, "error"),
    feedbackStorage: config.feedback.storage,
    feedbackScale: config.feedback.scale,
    feedbackDecay: config.feedback.decay,
    feedbackDraw: config.feedback.draw,
    normalizeHiddenRate: config.normalizeHiddenRate,
    optimizer: optimizerOf(config),
    convFeedback: config.feedback.conv,
    weightRange: config.weightRange,
    weightInit: config.weightInit,
    activationBits: config.quant.activation,
    errorBits: config.quant.error,
    gradientBits: config.quant.gradient,
    lr: baseRate(config),
    ...(Array.isArray(config.lr) ? { layerRates: layerRates(config) } : {}),
    momentum: config.momentum,
    dampening: config.dampening,
    rounding: config.rounding,
    update: config.update,
    weightBits: config.chip.weightBits,
    seed: config.seed,
    maxBatch: config.batch,
  });
}
