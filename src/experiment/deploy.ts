// Deploy-then-infer: the chip as a checkpoint left it, read after a while. Conductances drift as
// G(t) = G(t0)·(t/t0)^−ν from the moment they were last programmed (the power law measured on PCM:
// Ielmini et al., IEEE Trans. Electron Devices 54, 308, 2007; aihwkit's drift model has the same form,
// with a device-to-device spread of ν), and every read adds the device's read noise. The reference
// column is made of the same cells and drifts with the mean ν; the periphery does not drift.

import type { Dataset } from "../data/dataset.js";
import { transformDataset } from "../data/transform.js";
import type { Engine } from "../engine/engine.js";
import { InputError } from "../engine/errors.js";
import { buildNetwork } from "./build.js";
import { type Checkpoint, decodeCheckpoint, restoreCheckpoint } from "./checkpoint.js";
import type { ResolvedRunConfig } from "./config.js";
import { evaluate } from "./simulate.js";

export interface DeployOptions {
  /** Seconds since the weights were programmed (default: none, read at once). Drift applies from the device's driftT0 on. */
  afterSeconds?: number;
  /** Drift exponent ν in place of the device's (default: the checkpoint's device). */
  driftNu?: number;
  /** Device-to-device spread of ν: each device drifts with max(0, ν + σ·z), z standard normal (default 0). */
  driftNuStd?: number;
  /** Read noise σ per device and read, as a fraction of the conductance range, in place of the device's. */
  readNoise?: number;
  /** Evaluate only the first N test samples (default: the checkpoint config's testSamples, else all). */
  testSamples?: number;
}

export interface DeployResult {
  /** Epochs the checkpoint had trained. */
  epoch: number;
  test_loss: number;
  test_accuracy: number;
  samples: number;
  after_seconds: number;
  drift_nu: number;
  drift_nu_std: number;
  read_noise: number;
  /** G(t)/G(t0) at the mean ν (1 without drift). */
  drift_factor: number;
  /** The test accuracy the run itself reported after that epoch (before any drift). */
  trained_test_accuracy?: number;
}

/** A duration in seconds: a number with an optional unit s, min, h, d or y (365 days). `what` names it in errors. */
export function parseDuration(what: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(s|min|h|d|y)?$/.exec(text.trim());
  if (!m) throw new InputError(`${what}: "${text}" is not a duration; use e.g. 3600, 1h, 30d or 10y`);
  const unit = { s: 1, min: 60, h: 3600, d: 86400, y: 365 * 86400 }[(m[2] ?? "s") as "s"];
  return Number(m[1]) * unit;
}

function check(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= min && value <= max))
    throw new InputError(`${name}: ${value} is not allowed; use a number from ${min} to ${max}`);
}

/** Runs inference with a checkpoint's chip on the dataset's test split, after `afterSeconds` of drift and with read noise. */
export function evaluateCheckpoint(
  engine: Engine,
  source: Dataset,
  checkpoint: Uint8Array | Checkpoint,
  o: DeployOptions = {},
): DeployResult {
  check("afterSeconds", o.afterSeconds, 0, 1e12);
  check("driftNu", o.driftNu, 0, 1);
  check("driftNuStd", o.driftNuStd, 0, 1);
  check("readNoise", o.readNoise, 0, 1);
  check("testSamples", o.testSamples, 1, 1e8);
  const decoded = checkpoint instanceof Uint8Array ? decodeCheckpoint(checkpoint) : checkpoint;
  const saved = decoded.header.config;
  const device = {
    ...saved.device,
    ...(o.readNoise !== undefined ? { readNoise: o.readNoise } : {}),
    ...(o.driftNu !== undefined ? { driftNu: o.driftNu } : {}),
  };
  const config: ResolvedRunConfig = { ...saved, device, ...(o.testSamples !== undefined ? { testSamples: o.testSamples } : {}) };
  const data = transformDataset(source, config.transform);
  const features = data.features;
  const net = buildNetwork(engine, config);
  if (net.widths[0] !== features) {
    throw new InputError(
      `evaluate: the data has ${features} features per sample; the checkpoint's ${saved.model} (${saved.dataset}) reads ${net.widths[0]}`,
    );
  }
  const progress = restoreCheckpoint(engine, net, config, decoded, "evaluate");
  const t = o.afterSeconds ?? 0;
  const nuStd = o.driftNuStd ?? 0;
  const factor = engine.kernels.driftFactor(t, device.driftT0, device.driftNu);
  for (const l of net.layers) l.array.drift(t, device.driftT0, device.driftNu, nuStd);
  const batch = config.batch;
  const x = engine.arena.tensor([batch, features]);
  const r = evaluate(
    engine,
    net,
    x,
    new Float32Array(batch * features),
    new Int32Array(batch),
    data.test,
    features,
    batch,
    config.testSamples,
  );
  const trained = progress.history[progress.history.length - 1]?.test_accuracy;
  return {
    epoch: progress.epoch,
    test_loss: r.loss,
    test_accuracy: r.accuracy,
    samples: Math.min(config.testSamples ?? data.test.count, data.test.count),
    after_seconds: t,
    drift_nu: device.driftNu,
    drift_nu_std: nuStd,
    read_noise: device.readNoise,
    drift_factor: factor,
    ...(trained !== undefined ? { trained_test_accuracy: trained } : {}),
  };
}
