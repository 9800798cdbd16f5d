// How a layer's update reaches its devices, checked at the network against closed forms: momentum
// with dampening (v ← μ·v + (1 − d)·g, Δw = −lr·v on an exact device), and DNN+NeuroSim V2.1's
// update (the layer's gradient, scaled by lr over its power-of-two shift, programmed by the
// crossbar's NeuroSim kernel with the config's weight and gradient bits).

import { describe, expect, it } from "vitest";
import { resolveRunConfig } from "../src/experiment/config.js";
import { buildNetwork } from "../src/experiment/train.js";
import { loadEngine } from "../src/index.js";

const MODEL = "mlp:6-5-3";
const inputs = Float32Array.from({ length: 24 }, (_, i) => 0.5 + 0.45 * Math.sin(0.9 * i + 0.3));
const labels = Int32Array.from([0, 1, 2, 1]);

describe("the device update with momentum and dampening", () => {
  it("first step Δw = −lr·(1 − d)·g; second Δw = −lr·(μ·(1 − d)·g₁ + (1 − d)·g₂) (effective weights, exact device)", async () => {
    const e = await loadEngine();
    const [lr, mu, d] = [0.05, 0.9, 0.25];
    const net = buildNetwork(e, {
      ...resolveRunConfig({ device: "ideal", algo: "bp", batch: 4, lr, momentum: mu, dampening: d, update: "device" }),
      model: MODEL,
    });
    const x = e.arena.tensor([4, 6]);
    e.write(x, inputs);
    const layer = net.layers[1];
    if (!layer) throw new Error("no layer 2");
    const weights = () => Array.from(e.f32(layer.array.weights), (w) => w * layer.scale);
    const w0 = weights();
    net.trainStep(x, labels, 4);
    const g1 = Array.from(e.f32(layer.grad));
    const w1 = weights();
    g1.forEach((g, i) => {
      expect(w1[i] as number, `weight ${i}, step 1`).toBeCloseTo((w0[i] as number) - lr * (1 - d) * g, 6);
    });
    net.trainStep(x, labels, 4);
    const g2 = Array.from(e.f32(layer.grad));
    const w2 = weights();
    g2.forEach((g, i) => {
      const v = mu * (1 - d) * (g1[i] as number) + (1 - d) * g;
      expect(w2[i] as number, `weight ${i}, step 2`).toBeCloseTo((w1[i] as number) - lr * v, 6);
    });
    expect(g1.some((g) => Math.abs(g) > 1e-3)).toBe(true);
  });
});

describe("DNN+NeuroSim V2.1's update", () => {
  it("is the crossbar's NeuroSim programming of the layer's gradient at lr / 2^round(log2 max|g|), with the config's bits", async () => {
    const e = await loadEngine();
    const config = {
      ...resolveRunConfig({ device: "fefet-v21", algo: "bp", batch: 4, update: "neurosim-v21", momentum: 0, dampening: 0, lr: 0.5 }),
      model: MODEL,
    };
    const trained = buildNetwork(e, config);
    const fresh = buildNetwork(e, config);
    const x = e.arena.tensor([4, 6]);
    e.write(x, inputs);
    trained.trainStep(x, labels, 4);
    for (const l of [0, 1]) {
      const a = trained.layers[l];
      const b = fresh.layers[l];
      if (!a || !b) throw new Error(`no layer ${l + 1}`);
      const g = e.f32(a.grad);
      const max = Math.max(...Array.from(g, Math.abs));
      const shift = 2 ** Math.round(Math.log2(max));
      // The same programming by hand on the untrained twin: the first update (its random draws are keyed 1), the same scale and bits.
      const before = Array.from(e.f32(b.array.weights));
      b.array.updateNeurosim(a.grad, 1, 0.5 / shift, config.chip.weightBits, config.quant.gradient);
      const after = Array.from(e.f32(b.array.weights));
      expect(Array.from(e.f32(a.array.weights)), `layer ${l + 1}`).toEqual(after);
      expect(after.filter((w, i) => w !== before[i]).length, `layer ${l + 1}: the step moved weights`).toBeGreaterThan(2);
    }
    // And it differs from the device update of the same gradient.
    const device = buildNetwork(e, { ...config, update: "device" as const });
    device.trainStep(x, labels, 4);
    expect(Array.from(e.f32(device.layers[1]?.array.weights as never))).not.toEqual(
      Array.from(e.f32(trained.layers[1]?.array.weights as never)),
    );
  });
});

describe("evaluation reads", () => {
  it("count as evaluation events, not as training's, and change no weight", async () => {
    const e = await loadEngine();
    const net = buildNetwork(e, { ...resolveRunConfig({ device: "ag-a-si", algo: "bp", batch: 4 }), model: MODEL });
    const x = e.arena.tensor([4, 6]);
    e.write(x, inputs);
    const before = JSON.stringify(net.events);
    const weights = Array.from(e.f32(net.layers[0]?.array.weights as never));
    const r = net.evaluate(x, labels, 4);
    expect(r.correct).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(JSON.stringify(net.events)).toBe(before);
    // Two layers read, four rows each, one block of rows each.
    expect(net.evaluationEvents.forward.reads).toBe(2 * 4);
    expect(Array.from(e.f32(net.layers[0]?.array.weights as never))).toEqual(weights);
    net.trainStep(x, labels, 4);
    expect(net.evaluationEvents.forward.reads).toBe(2 * 4);
    expect(net.events[0]?.forward.reads).toBe(4);
  });
});
