// The NeuroSim family's training recipe as config fields: a sigmoid output layer with the squared
// error through it, per-layer learning rates — each checked against a hand-computed reference.

import { describe, expect, it } from "vitest";
import { resolveRunConfig } from "../src/experiment/config.js";
import { buildNetwork } from "../src/experiment/train.js";
import { loadEngine } from "../src/index.js";

/** Seeded inputs in [0, 1] and labels for a tiny network. */
function sample(rows: number, dims: number, classes: number, seed: number): { x: Float32Array; labels: Int32Array } {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const x = Float32Array.from({ length: rows * dims }, u);
  const labels = Int32Array.from({ length: rows }, (_, i) => i % classes);
  return { x, labels };
}

describe("sigmoid output layer with the squared error through it", () => {
  it("the loss is ½Σ(σ(z) − onehot)² and the crossbar's gradient matches central finite differences of it", async () => {
    const e = await loadEngine();
    const cfg = {
      ...resolveRunConfig({
        device: "ideal",
        algo: "bp",
        batch: 8,
        lr: 1e-9,
        momentum: 0,
        activation: "sigmoid",
        loss: "squared-error",
        outputActivation: "sigmoid",
      }),
      model: "mlp:5-4-3",
    };
    const net = buildNetwork(e, cfg);
    const { x: values, labels } = sample(8, 5, 3, 5);
    const x = e.arena.tensor([8, 5]);
    e.write(x, values);
    // The loss by hand from the forward pass's logits.
    const logits = e.read(net.forward(x, 8, false)) as Float32Array;
    let expected = 0;
    for (let b = 0; b < 8; b++) {
      for (let c = 0; c < 3; c++) {
        const p = 1 / (1 + Math.exp(-(logits[b * 3 + c] as number)));
        expected += 0.5 * (p - (labels[b] === c ? 1 : 0)) ** 2;
      }
    }
    expect(net.evaluate(x, labels, 8).loss).toBeCloseTo(expected, 4);

    const weights = net.layers.map((l) => e.read(l.array.weights) as Float32Array);
    net.trainStep(x, labels, 8);
    const grads = net.layers.map((l) => e.read(l.grad) as Float32Array);
    net.layers.forEach((l, i) => l.array.setWeights(weights[i] as Float32Array));
    const loss = () => net.evaluate(x, labels, 8).loss / 8;
    const h = 1e-3;
    let checked = 0;
    for (const [li, layer] of net.layers.entries()) {
      const w = weights[li] as Float32Array;
      for (let i = 0; i < w.length; i += 2) {
        const at = (v: number) => {
          const moved = w.slice();
          moved[i] = v;
          layer.array.setWeights(moved);
          return loss();
        };
        const numeric = (at((w[i] as number) + h) - at((w[i] as number) - h)) / (2 * h);
        layer.array.setWeights(w);
        const analytic = layer.scale * (grads[li]?.[i] as number);
        expect(Math.abs(numeric - analytic), `layer ${li} weight ${i}: numeric ${numeric}, analytic ${analytic}`).toBeLessThan(
          2e-3 * Math.abs(analytic) + 2e-5,
        );
        checked++;
      }
    }
    expect(checked).toBe(20);
  });

  it("needs the squared error", () => {
    expect(() => resolveRunConfig({ outputActivation: "sigmoid", loss: "cross-entropy" })).toThrow(
      /outputActivation: "sigmoid" takes the squared error on the sigmoid outputs; set loss "squared-error"/,
    );
  });
});

describe("per-layer learning rates", () => {
  it("each layer's change is its own rate × its gradient (ideal device, no momentum)", async () => {
    const e = await loadEngine();
    const changes = async (lr: number | number[]) => {
      const device = { preset: "ideal", levelsLtp: 1 << 20, levelsLtd: 1 << 20 };
      const cfg = { ...resolveRunConfig({ device, algo: "bp", batch: 8, lr, momentum: 0 }), model: "mlp:5-4-3" };
      const net = buildNetwork(e, cfg);
      const { x: values, labels } = sample(8, 5, 3, 9);
      const x = e.arena.tensor([8, 5]);
      e.write(x, values);
      const before = net.layers.map((l) => e.read(l.array.weights) as Float32Array);
      net.trainStep(x, labels, 8);
      return net.layers.map((l, i) => {
        const after = e.read(l.array.weights) as Float32Array;
        const b = before[i] as Float32Array;
        return after.reduce((s, v, j) => s + Math.abs(v - (b[j] as number)), 0);
      });
    };
    const same = await changes(0.01);
    const split = await changes([0.01, 0.03]);
    expect((split[0] as number) / (same[0] as number)).toBeCloseTo(1, 3);
    expect((split[1] as number) / (same[1] as number)).toBeCloseTo(3, 2);
  });

  it("a list must have one rate per weight layer", () => {
    expect(() => resolveRunConfig({ dataset: "digits", model: "mlp:64-32-10", lr: [0.4, 0.2, 0.1] })).toThrow(
      /lr: \[0\.4,0\.2,0\.1\] gives 3 rates for the 2 weight layers of "mlp:64-32-10"; give one rate, or one per layer/,
    );
  });
});
