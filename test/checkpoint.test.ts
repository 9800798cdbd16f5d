import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/index.js";
import { decodeCheckpoint, restoreCheckpoint } from "../src/experiment/checkpoint.js";
import { resolveRunConfig } from "../src/experiment/config.js";
import { type DeployOptions, evaluateCheckpoint } from "../src/experiment/deploy.js";
import { buildNetwork, type TrainResult, train } from "../src/experiment/train.js";
import { type Engine, loadEngine } from "../src/index.js";

// A run stopped after an epoch and resumed from its checkpoint must come out as the uninterrupted
// run, to the bit, whatever state it carries: device variation and faults, read noise, stochastic
// rounding, momentum, feedback arrays (fixed, learned, sign-following), optimizers, conv layers.

const timings = (key: string, value: unknown) => (key === "seconds" || key === "samples_per_second" ? undefined : value);
const same = (r: TrainResult) => JSON.stringify(r, timings);

const CASES: Record<string, object> = {
  "bp, fefet-v21 (stochastic rounding, momentum)": { algo: "bp" },
  "dfa on crossbar feedback, ag-a-si with D2D, stuck cells, read noise, the chip ADC": {
    algo: "dfa",
    device: { preset: "ag-a-si", d2dNl: 0.3, d2dGMax: 0.05, stuckAtGMin: 0.01, readNoise: 0.02 },
    periphery: { adc: "chip" },
    feedback: { storage: "crossbar" },
    model: "mlp:64-24-24-10",
  },
  "brsf on crossbar feedback (rebuilt every update), differential mapping": {
    algo: "brsf",
    mapping: "differential",
    feedback: { storage: "crossbar" },
    model: "mlp:64-24-24-10",
  },
  "kp with Tiki-Taka on pcmo": { algo: "kp", device: "pcmo", optimizer: "tiki-taka", model: "mlp:64-24-24-10", batch: 8 },
  "fa with mixed precision, evaluateInitial": { algo: "fa", optimizer: "mixed-precision", evaluateInitial: true },
  "a CNN with the DNN+NeuroSim V2.1 update and WAGE quantizers": {
    algo: "bp",
    model: "cnn:1x8x8-c4-mp2-fc10",
    update: "neurosim-v21",
    lr: 1,
    quant: { activation: 8, error: 8, gradient: 5 },
    trainSamples: 256,
  },
};

describe("checkpoints", () => {
  const data = loadDigits();
  for (const [name, over] of Object.entries(CASES)) {
    it(`resume after epoch 2 of 3 = the uninterrupted run: ${name}`, async () => {
      const config = resolveRunConfig({ epochs: 3, trainSamples: 512, testSamples: 200, ...over });
      let saved: Uint8Array | undefined;
      const whole = train(await loadEngine(), await data, config, {
        onCheckpoint: (save, epoch) => {
          if (epoch === 2) saved = save();
        },
      });
      expect(saved).toBeDefined();
      const resumed = train(await loadEngine(), await data, config, { resumeFrom: saved });
      expect(resumed.history).toHaveLength(3);
      expect(same(resumed)).toBe(same(whole));
    });
  }

  it("refuses, naming what differs and loading nothing: another config, a damaged or truncated file, another format version", async () => {
    const config = resolveRunConfig({ epochs: 1, trainSamples: 128, testSamples: 50, algo: "dfa" });
    let bytes: Uint8Array = new Uint8Array();
    train(await loadEngine(), await data, config, { onCheckpoint: (save) => (bytes = save()) });
    const e = await loadEngine();
    const other = resolveRunConfig({
      epochs: 1,
      trainSamples: 128,
      testSamples: 50,
      algo: "dfa",
      device: { preset: "fefet-v21", c2c: 0.01 },
    });
    const net = buildNetwork(e, other);
    const before = e.f32(net.layers[0]?.array.weights as never).slice();
    expect(() => restoreCheckpoint(e, net, other, decodeCheckpoint(bytes))).toThrow(
      /differs at device\.c2c \(checkpoint 0\.003, this run 0\.01\)/,
    );
    // Another model: the config check names it first.
    const wider = resolveRunConfig({ epochs: 1, trainSamples: 128, testSamples: 50, algo: "dfa", model: "mlp:64-32-10" });
    expect(() => restoreCheckpoint(e, buildNetwork(e, wider), wider, decodeCheckpoint(bytes))).toThrow(/differs at model/);
    expect(e.f32(net.layers[0]?.array.weights as never)).toEqual(before);

    const flipped = bytes.slice();
    flipped[flipped.length - 100] = (flipped[flipped.length - 100] as number) ^ 1;
    expect(() => decodeCheckpoint(flipped)).toThrow(/checksum mismatch .* changed or damaged/);
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 10))).toThrow(/truncated/);
    expect(() => decodeCheckpoint(bytes.subarray(0, 12))).toThrow(/not a cimlearn checkpoint/);
    const version = bytes.slice();
    new DataView(version.buffer).setUint32(8, 99, true);
    expect(() => decodeCheckpoint(version)).toThrow(/format version 99; this cimlearn .* reads version 1/);
    expect(() => decodeCheckpoint(new TextEncoder().encode('{"not": "a checkpoint"}'))).toThrow(/not a cimlearn checkpoint/);
  });
});

describe("deploy-then-infer", () => {
  it("uniform drift scales every weight by (t/t0)^−ν (the reference drifts along): without biases ReLU keeps every decision, the loss moves; a spread of ν costs accuracy", async () => {
    const data = await loadDigits();
    // No biases: a scaled ReLU network's logits are scaled too (with biases the bias inputs, 1, do not scale).
    const config = resolveRunConfig({ epochs: 2, trainSamples: 512, testSamples: 200, device: "fefet-v21", bias: false });
    let bytes: Uint8Array = new Uint8Array();
    train(await loadEngine(), data, config, { onCheckpoint: (save) => (bytes = save()) });
    // One engine per evaluation (each builds a network in its arena).
    const engines: Engine[] = [];
    for (let i = 0; i < 4; i++) engines.push(await loadEngine());
    const at = (o: DeployOptions) => evaluateCheckpoint(engines.shift() as Engine, data, bytes, o);
    const now = at({});
    const year = 365 * 86400;
    const drifted = at({ afterSeconds: year, driftNu: 0.05 });
    expect(drifted.drift_factor).toBeCloseTo(year ** -0.05, 12);
    expect(drifted.test_accuracy).toBe(now.test_accuracy);
    expect(drifted.test_loss).toBeGreaterThan(now.test_loss);
    const spread = at({ afterSeconds: year, driftNu: 0.05, driftNuStd: 0.05 });
    expect(spread.test_accuracy).toBeLessThan(now.test_accuracy - 0.05);
    // Before t0 nothing drifts.
    expect(at({ afterSeconds: 0.5, driftNu: 0.05 }).test_loss).toBe(now.test_loss);
  });

  it("a drifted array's weights are the trained ones times the factor", async () => {
    const e = await loadEngine();
    const config = resolveRunConfig({ device: "fefet-v21", model: "mlp:64-16-10" });
    const net = buildNetwork(e, config);
    const array = net.layers[0]?.array;
    if (!array) throw new Error("no array");
    const before = e.f32(array.weights).slice();
    array.drift(1000, 1, 0.1, 0);
    const f = 1000 ** -0.1;
    const after = e.f32(array.weights);
    for (let i = 0; i < before.length; i++) expect(after[i] as number).toBeCloseTo(f * (before[i] as number), 5);
  });
});
