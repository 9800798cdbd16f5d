// The NeuroSim family's training recipe as config fields: a sigmoid output layer with the squared
// error through it, per-layer learning rates, dataset transforms, sampling with replacement, the
// error reads' own ADC — each checked against a hand-computed reference.

import { describe, expect, it } from "vitest";
import type { Dataset } from "../src/data/dataset.js";
import { loadDigits } from "../src/data/index.js";
import { Sampler } from "../src/data/shuffle.js";
import { transformDataset } from "../src/data/transform.js";
import { resolveRunConfig } from "../src/experiment/config.js";
import { buildNetwork, readSettings, train } from "../src/experiment/train.js";
import { loadEngine } from "../src/index.js";
import type { DenseLayer } from "../src/nn/dense.js";

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
    net.layers.forEach((l, i) => {
      l.array.setWeights(weights[i] as Float32Array);
    });
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

describe("dataset transforms", () => {
  const tiny = (): Dataset => {
    // One 1×4×4 image per split, pixel (y, x) = (4y + x) / 16.
    const image = Float32Array.from({ length: 16 }, (_, i) => i / 16);
    const split = { images: image, labels: Int32Array.of(0), count: 1 };
    return { name: "digits", shape: [1, 4, 4], features: 16, classes: 10, classNames: [], train: split, test: split, source: "test" };
  };

  it("a centre crop keeps the middle rows and columns; binarize thresholds; resize interpolates bilinearly", () => {
    const cropped = transformDataset(tiny(), { crop: [2, 2] });
    expect(cropped.shape).toEqual([1, 2, 2]);
    expect(Array.from(cropped.train.images)).toEqual([5 / 16, 6 / 16, 9 / 16, 10 / 16]);
    const binary = transformDataset(tiny(), { binarize: 0.5 });
    expect(Array.from(binary.train.images)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
    // 4 → 2: each output pixel centre sits between two input centres: the mean of a 2×2 block here.
    const half = transformDataset(tiny(), { resize: [2, 2] });
    expect(Array.from(half.train.images).map((v) => v * 16)).toEqual([2.5, 4.5, 10.5, 12.5]);
    expect(transformDataset(tiny(), { crop: [2, 2], binarize: 0.5 }).train.images).toEqual(Float32Array.of(0, 0, 1, 1));
    expect(() => transformDataset(tiny(), { crop: [5, 4] })).toThrow(/transform\.crop: 5×4 is larger than the 4×4 images/);
  });

  it("the model's input follows the transformed shape", () => {
    const c = resolveRunConfig({ dataset: "fashion-mnist", transform: { crop: [20, 20], binarize: 0.5 } });
    expect(c.model).toBe("mlp:400-256-10");
    expect(() => resolveRunConfig({ dataset: "fashion-mnist", model: "mlp:784-100-10", transform: { crop: [20, 20] } })).toThrow(
      /model: "mlp:784-100-10" takes 784 inputs, but dataset "fashion-mnist" has 400 features per sample \(1×20×20\)/,
    );
    expect(() => resolveRunConfig({ transform: { binarize: 1 } })).toThrow(/transform\.binarize/);
  });

  it("training runs on the transformed images (digits 8×8 → 6×6 centre, binarized)", async () => {
    const e = await loadEngine();
    const data = await loadDigits();
    const config = resolveRunConfig({
      dataset: "digits",
      epochs: 1,
      transform: { crop: [6, 6], binarize: 0.3 },
      trainSamples: 200,
      testSamples: 100,
    });
    expect(config.model).toBe("mlp:36-64-10");
    const r = train(e, data, config);
    expect(r.test_accuracy).toBeGreaterThan(0.1);
  });
});

describe("sampling with replacement", () => {
  it("draws each epoch's samples uniformly with replacement, reproducibly, and may draw more than the split holds", async () => {
    const e = await loadEngine();
    const sampler = new Sampler(e, 10, 3);
    const a = Array.from(sampler.draw(1, 20_000));
    expect(Array.from(new Sampler(e, 10, 3).draw(1, 20_000))).toEqual(a);
    expect(Array.from(sampler.draw(2, 20_000))).not.toEqual(a);
    const counts = new Array(10).fill(0);
    for (const i of a) counts[i]++;
    // χ² with 9 degrees of freedom: below 27.9 with probability 0.999.
    const chi2 = counts.reduce((s, n) => s + (n - 2000) ** 2 / 2000, 0);
    expect(chi2).toBeLessThan(27.9);
    // Repeats happen (a shuffle would not have them).
    expect(new Set(a.slice(0, 20)).size).toBeLessThan(20);
    const data = await loadDigits();
    const config = resolveRunConfig({ dataset: "digits", epochs: 1, sampling: "with-replacement", trainSamples: 3000, testSamples: 50 });
    const r = train(e, data, config);
    expect(r.history[0]?.samples_per_second).toBeGreaterThan(0);
    expect(r.events.update.setPulses + r.events.update.resetPulses).toBeGreaterThan(0);
  });
});

describe("periphery per phase", () => {
  it("periphery.errorAdc: forward reads through the chip's ADC, error reads ideal (MLP+NeuroSim V3.0), or the other way round", () => {
    const forwardOnly = resolveRunConfig({ periphery: { adc: "chip", errorAdc: "ideal" } });
    expect(readSettings(forwardOnly, "forward").adcBits).toBe(6);
    expect(readSettings(forwardOnly, "error").adcBits).toBe(0);
    const both = resolveRunConfig({ periphery: { adc: "chip" } });
    expect(readSettings(both, "error").adcBits).toBe(6);
    expect(readSettings(resolveRunConfig({ periphery: { errorAdc: "chip" } }), "forward").adcBits).toBe(0);
  });
});

describe("binarized hidden activations", () => {
  it("the next array reads (a > threshold); its weight gradient and the error through it use the analog a (MLP+NeuroSim V3.0)", async () => {
    const e = await loadEngine();
    const device = { preset: "ideal", levelsLtp: 1 << 20, levelsLtd: 1 << 20 };
    const cfg = {
      ...resolveRunConfig({
        device,
        algo: "bp",
        batch: 6,
        lr: 1e-9,
        momentum: 0,
        activation: "sigmoid",
        loss: "squared-error",
        outputActivation: "sigmoid",
        hiddenThreshold: 0.5,
        bias: false,
      }),
      model: "mlp:4-5-3",
    };
    const net = buildNetwork(e, cfg);
    const { x: values, labels } = sample(6, 4, 3, 21);
    const x = e.arena.tensor([6, 4]);
    e.write(x, values);
    net.trainStep(x, labels, 6);
    const [l1, l2] = net.layers as [DenseLayer, DenseLayer];
    const a = e.read(l1.out) as Float32Array;
    const input2 = e.read(l2.input) as Float32Array;
    let ones = 0;
    for (let i = 0; i < 6 * 5; i++) {
      const bit = (a[i] as number) >= 0.5 ? 1 : 0;
      ones += bit;
      expect(input2[i]).toBe(bit);
    }
    expect(ones).toBeGreaterThan(0);
    expect(ones).toBeLessThan(30);
    // Layer 2's gradient: Σ_b a[b]ᵀ δ2[b] with the analog a (Train.cpp: gradt = s2[jj] * a1[k]).
    const d2 = e.read(l2.delta) as Float32Array;
    const g2 = e.read(l2.grad) as Float32Array;
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let b = 0; b < 6; b++) s += (a[b * 5 + i] as number) * (d2[b * 3 + j] as number);
        expect(g2[i * 3 + j]).toBeCloseTo(s, 6);
      }
    }
    // Layer 1's δ: (δ2 · W2ᵀ) ⊙ a(1 − a) with the analog a.
    const w2 = e.read(l2.array.weights) as Float32Array;
    const d1 = e.read(l1.delta) as Float32Array;
    for (let b = 0; b < 6; b++) {
      for (let i = 0; i < 5; i++) {
        let s = 0;
        for (let j = 0; j < 3; j++) s += (d2[b * 3 + j] as number) * (w2[i * 3 + j] as number) * l2.scale;
        const ai = a[b * 5 + i] as number;
        expect(d1[b * 5 + i]).toBeCloseTo(s * ai * (1 - ai), 5);
      }
    }
  });

  it("is for fully connected models", () => {
    expect(() => resolveRunConfig({ dataset: "cifar10", model: "cnn-small", hiddenThreshold: 0.5 })).toThrow(
      /hiddenThreshold: 0\.5 binarizes fully connected hidden layers; model "cnn-small" has convolutions/,
    );
  });
});

describe("MLP+NeuroSim V3.0's weight initialization", () => {
  it("weightInit neurosim-v3: effective weights in [−1, 1] (scale 1), uniform over the 7 levels −1, −2/3, …, 1", async () => {
    const e = await loadEngine();
    // Gmin ≈ 0: no shift (below, the shift MLP+NeuroSim's mapping without Gmin gives).
    const device = { preset: "ideal", levelsLtp: 1 << 20, levelsLtd: 1 << 20, gMin: 1e-15 };
    const cfg = { ...resolveRunConfig({ device, weightInit: "neurosim-v3", bias: false }), model: "mlp:400-100-10" };
    const net = buildNetwork(e, cfg);
    const counts = new Map<number, number>();
    for (const layer of net.layers) {
      expect(layer.scale).toBe(1);
      for (const w of e.read(layer.array.weights) as Float32Array) {
        const level = Math.round(w * 3);
        expect(Math.abs(w * 3 - level)).toBeLessThan(1e-4);
        counts.set(level, (counts.get(level) ?? 0) + 1);
      }
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    // 41,000 weights over 7 levels: χ² with 6 degrees of freedom below 22.5 with probability 0.999.
    const n = 41_000 / 7;
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - n) ** 2 / n, 0);
    expect(chi2).toBeLessThan(22.5);
    // With Gmin: every level 2·Gmin/(Gmax − Gmin) lower, −1 stays −1 (EpiRAM: on/off 50.2, 0.0406).
    const epiram = buildNetwork(e, {
      ...resolveRunConfig({ device: "epiram", weightInit: "neurosim-v3", bias: false }),
      model: "mlp:400-100-10",
    });
    const shifted = new Set(Array.from(e.read((epiram.layers[0] as DenseLayer).array.weights) as Float32Array, (w) => w.toFixed(4)));
    const g = resolveRunConfig({ device: "epiram" }).device;
    const shift = (2 * g.gMin) / (g.gMax - g.gMin);
    const want = new Set([-1, -2 / 3 - shift, -1 / 3 - shift, -shift, 1 / 3 - shift, 2 / 3 - shift, 1 - shift].map((w) => w.toFixed(4)));
    expect(
      [...shifted].every((w) => want.has(w)),
      [...shifted].join(" "),
    ).toBe(true);
    expect(shift).toBeCloseTo(0.0406, 3);
  });
});

describe("per-layer ADC bits", () => {
  it("periphery.layerAdcBits sets each layer's forward-read ADC (0: ideal); the error reads keep theirs", async () => {
    const e = await loadEngine();
    const cfg = {
      ...resolveRunConfig({ periphery: { adc: "chip", layerAdcBits: [0, 3] }, algo: "bp" }),
      model: "mlp:5-4-3",
    };
    const net = buildNetwork(e, cfg);
    const [l1, l2] = net.layers as [DenseLayer, DenseLayer];
    expect(l1.array.options.forward.adcBits).toBe(0);
    expect(l2.array.options.forward.adcBits).toBe(3);
    expect(l2.array.options.transposed?.adcBits).toBe(6);
    // The quantized layer reads differently from an ideal one; the ideal one exactly as the product.
    const { x: values } = sample(4, 5, 3, 31);
    const x = e.arena.tensor([4, 5]);
    e.write(x, values);
    net.forward(x, 4, false);
    const w1 = e.read(l1.array.weights) as Float32Array;
    const pre1 = e.read(l1.pre) as Float32Array;
    for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let k = 0; k < 5; k++) s += (values[k] as number) * (w1[k * 4 + j] as number);
      expect(pre1[j]).toBeCloseTo(s * l1.scale, 5);
    }
  });

  it("needs one value per weight layer and the chip's ADC", () => {
    expect(() => resolveRunConfig({ dataset: "digits", periphery: { adc: "chip", layerAdcBits: [4] } })).toThrow(
      /periphery\.layerAdcBits: \[4\] gives 1 values for the 2 weight layers of "mlp:64-64-10"/,
    );
    expect(() => resolveRunConfig({ dataset: "digits", periphery: { layerAdcBits: [4, 4] } })).toThrow(/need periphery\.adc "chip"/);
  });
});
