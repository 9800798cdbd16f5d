import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/index.js";
import { portableAcosDeg, portableExp, portableSigmoid, portableTanh } from "../src/engine/portable-math.js";
import { type RunConfig, resolveRunConfig } from "../src/experiment/config.js";
import { buildNetwork, train } from "../src/experiment/train.js";
import { loadEngine } from "../src/index.js";
import { angleDeg, probeAlignment } from "../src/learning/alignment.js";

describe("portable elementary functions (the same bits in Node and a browser)", () => {
  it("agree with Math's to a few ulps: exp, tanh, sigmoid, acos in degrees", () => {
    for (let x = -30; x <= 30; x += 0.37) {
      expect(Math.abs(portableExp(x) / Math.exp(x) - 1)).toBeLessThan(1.2e-15);
      expect(Math.abs(portableTanh(x) - Math.tanh(x))).toBeLessThan(1.2e-15);
      expect(Math.abs(portableSigmoid(x) - 1 / (1 + Math.exp(-x)))).toBeLessThan(1.2e-15);
    }
    expect(portableExp(-800)).toBe(0);
    expect(portableExp(800)).toBe(Number.POSITIVE_INFINITY);
    for (let c = -1; c <= 1; c += 1 / 64) expect(Math.abs(portableAcosDeg(c) - (Math.acos(c) * 180) / Math.PI)).toBeLessThan(1e-11);
    expect(portableAcosDeg(1)).toBe(0);
    expect(portableAcosDeg(-1)).toBe(180);
    expect(portableAcosDeg(2)).toBe(0);
  });
});

describe("alignment diagnostics", () => {
  it("angleDeg: 0 parallel, 90 orthogonal (or a zero vector), 180 opposite, 45 and 60 where they should be", () => {
    const v = (...x: number[]) => Float64Array.from(x);
    expect(angleDeg(v(1, 2, 3), v(2, 4, 6))).toBeCloseTo(0, 6);
    expect(angleDeg(v(1, 0), v(0, 5))).toBeCloseTo(90, 12);
    expect(angleDeg(v(0, 0), v(1, 1))).toBe(90);
    expect(angleDeg(v(1, -2), v(-1, 2))).toBeCloseTo(180, 6);
    expect(angleDeg(v(1, 0), v(1, 1))).toBeCloseTo(45, 12);
    expect(angleDeg(v(1, 0), v(0.5, Math.sqrt(3) / 2))).toBeCloseTo(60, 12);
  });

  it("BP is at 0°; FA with B set to the next layer's Wᵀ is at 0°, with −Wᵀ at 180° (δ) just below the output", async () => {
    const e = await loadEngine();
    const x = Float32Array.from({ length: 16 * 6 }, (_, i) => 0.5 + 0.5 * Math.sin(0.7 * i));
    const labels = Int32Array.from({ length: 16 }, (_, i) => i % 3);
    const bp = buildNetwork(e, { ...resolveRunConfig({ device: "ideal", algo: "bp", batch: 16 }), model: "mlp:6-5-4-3" });
    for (const a of probeAlignment(e, bp, x, labels, 16) ?? []) {
      expect(a.update_deg).toBeLessThan(1e-3);
      expect(a.delta_deg).toBeLessThan(1e-3);
    }
    for (const sign of [1, -1]) {
      const fa = buildNetwork(e, { ...resolveRunConfig({ device: "ideal", algo: "fa", batch: 16 }), model: "mlp:6-5-4-3" });
      // B of each hidden layer := sign × the next layer's effective Wᵀ (without its bias row).
      fa.layers.slice(0, -1).forEach((layer, l) => {
        const next = fa.layers[l + 1];
        const fb = layer.feedback;
        if (!next || !fb?.matrix) throw new Error("no digital feedback");
        const w = e.f32(next.array.weights);
        const b = e.f32(fb.matrix);
        for (let j = 0; j < fb.inputs; j++)
          for (let i = 0; i < fb.outputs; i++) b[j * fb.outputs + i] = sign * (w[i * fb.inputs + j] as number) * next.scale;
      });
      const angles = probeAlignment(e, fa, x, labels, 16) ?? [];
      expect(angles.map((a) => a.layer)).toEqual([1, 2]);
      const top = angles[1];
      if (!top) throw new Error("no layer 2");
      if (sign === 1) for (const a of angles) expect(Math.max(a.update_deg, a.delta_deg)).toBeLessThan(1e-3);
      else expect(top.delta_deg).toBeGreaterThan(180 - 1e-3);
    }
  });

  it("a run records the untrained and per-epoch angles per hidden layer; DFA's update angle falls from about 90°; conv models have none; alignmentProbe 0 turns it off", async () => {
    const data = await loadDigits();
    const run = async (cfg: RunConfig) => train(await loadEngine(), data, resolveRunConfig({ device: "ideal", ...cfg }));
    const dfa = await run({ algo: "dfa", model: "mlp:64-32-10", epochs: 4, trainSamples: 640, testSamples: 64 });
    const before = dfa.initial_alignment?.[0]?.update_deg as number;
    const after = dfa.history[3]?.alignment?.[0]?.update_deg as number;
    expect(dfa.history.every((h) => h.alignment?.length === 1)).toBe(true);
    expect(Math.abs(before - 90)).toBeLessThan(20);
    expect(after).toBeLessThan(before - 10);
    const off = await run({ algo: "dfa", model: "mlp:64-32-10", epochs: 1, trainSamples: 64, testSamples: 64, alignmentProbe: 0 });
    expect(off.history[0]?.alignment).toBeUndefined();
    expect(off.initial_alignment).toBeUndefined();
    const only = await run({ algo: "output-only", model: "mlp:64-32-10", epochs: 1, trainSamples: 64, testSamples: 64 });
    expect(only.history[0]?.alignment).toEqual([]);
    const conv = await run({ algo: "dfa", model: "cnn:1x8x8-c4k3p1-mp2-fc10", epochs: 1, trainSamples: 64, testSamples: 64 });
    expect(conv.history[0]?.alignment).toBeUndefined();
  });
});

describe("probeAlignment against the network's own gradients", () => {
  // The probe restates the forward and backward pass in float64; the network computes the rule's and
  // BP's gradients itself (an ideal device, a vanishing rate: layer.grad after one step is aᵀ·δ).
  // The angle between the two networks' gradients must be the probe's update angle, for every
  // activation, loss and output, with and without bias.
  const cases = [
    { algo: "dfa", activation: "relu", loss: "cross-entropy", bias: true },
    { algo: "dfa", activation: "tanh", loss: "squared-error", bias: false },
    { algo: "drtp", activation: "sigmoid", loss: "squared-error", outputActivation: "sigmoid", bias: true },
    { algo: "drtp", activation: "tanh", loss: "cross-entropy", bias: true },
    { algo: "fa", activation: "sigmoid", loss: "cross-entropy", bias: false },
    // Binarized hidden activations (MLP+NeuroSim's): the next layer reads 0/1, the gradient the analog values.
    { algo: "dfa", activation: "sigmoid", loss: "cross-entropy", bias: true, hiddenThreshold: 0.5 },
  ] as const;
  for (const c of cases) {
    it(`${c.algo}, ${c.activation}, ${c.loss}${"outputActivation" in c ? " (sigmoid output)" : ""}, bias ${c.bias}${"hiddenThreshold" in c ? ", binarized" : ""}`, async () => {
      const e = await loadEngine();
      const batch = 8;
      const make = (algo: string) =>
        buildNetwork(e, {
          ...resolveRunConfig({
            device: "ideal",
            algo,
            batch,
            lr: 1e-9,
            momentum: 0,
            activation: c.activation,
            loss: c.loss,
            bias: c.bias,
            ...("outputActivation" in c ? { outputActivation: c.outputActivation } : {}),
            ...("hiddenThreshold" in c ? { hiddenThreshold: c.hiddenThreshold } : {}),
            seed: 11,
          } as RunConfig),
          model: "mlp:6-7-5-3",
        });
      const rule = make(c.algo);
      const bp = make("bp");
      const xs = Float32Array.from({ length: batch * 6 }, (_, i) => 0.5 + 0.45 * Math.sin(1.3 * i + 0.2));
      const labels = Int32Array.from({ length: batch }, (_, b) => (3 * b + 1) % 3);
      const probe = probeAlignment(e, rule, xs, labels, batch);
      const x = e.arena.tensor([batch, 6]);
      e.write(x, xs);
      // The same initial weights (the seed decides them, not the rule).
      expect(Array.from(e.f32(rule.layers[0]?.array.weights as never))).toEqual(Array.from(e.f32(bp.layers[0]?.array.weights as never)));
      rule.trainStep(x, labels, batch);
      bp.trainStep(x, labels, batch);
      expect(probe?.map((a) => a.layer)).toEqual([1, 2]);
      for (const a of probe ?? []) {
        const mine = Float64Array.from(e.f32(rule.layers[a.layer - 1]?.grad as never));
        const theirs = Float64Array.from(e.f32(bp.layers[a.layer - 1]?.grad as never));
        expect(
          mine.some((v) => v !== 0),
          `layer ${a.layer}: a zero gradient tests nothing`,
        ).toBe(true);
        expect(Math.abs(a.update_deg - angleDeg(mine, theirs)), `layer ${a.layer}: ${a.update_deg}°`).toBeLessThan(0.05);
        expect(a.update_deg).toBeGreaterThan(1);
      }
    });
  }
});
