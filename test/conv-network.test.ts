// Convolutional networks on crossbars: Conv2d against a direct convolution,
// gradients by finite differences, every learning rule on a small image
// problem, DFA feedback shapes, and VGG-8's shapes and counted MACs.

import { describe, expect, it } from "vitest";
import type { Dataset } from "../src/data/dataset.js";
import { type ResolvedRunConfig, resolveRunConfig } from "../src/experiment/config.js";
import { buildNetwork, train } from "../src/experiment/train.js";
import { type Engine, InputError, loadEngine } from "../src/index.js";
import { type Conv2d, initialScale } from "../src/nn/conv.js";
import type { Network } from "../src/nn/network.js";
import { parseModelSpec } from "../src/nn/spec.js";
import { expectClose, lcgFill } from "./helpers.js";

/** A run config for `model` built on the ideal device (the dataset check is resolveRunConfig's, bypassed here). */
function configFor(model: string, extra: Record<string, unknown> = {}): ResolvedRunConfig {
  const { bias, ...rest } = extra;
  return { ...resolveRunConfig({ device: "ideal", lrSchedule: "constant", ...rest }), model, bias: (bias as boolean | undefined) ?? true };
}

/** Effective weights (normalized × scale) of a layer, rows × cols. */
function effective(e: Engine, layer: { array: { weights: never }; scale: number }): Float64Array {
  return Float64Array.from(e.read(layer.array.weights) as Float32Array, (v) => v * layer.scale);
}

/** Direct convolution of CHW images with (kh, kw, c)-row weights, in float64: NHWC output, pre-activation. */
function directConv(
  x: Float32Array,
  n: number,
  C: number,
  H: number,
  W: number,
  w: Float64Array,
  cout: number,
  K: number,
  stride: number,
  pad: number,
  bias: boolean,
): Float64Array {
  const OH = Math.floor((H + 2 * pad - K) / stride) + 1;
  const OW = Math.floor((W + 2 * pad - K) / stride) + 1;
  const y = new Float64Array(n * OH * OW * cout);
  const rows = K * K * C;
  for (let img = 0; img < n; img++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let co = 0; co < cout; co++) {
          let s = bias ? (w[rows * cout + co] as number) : 0;
          for (let kh = 0; kh < K; kh++)
            for (let kw = 0; kw < K; kw++)
              for (let c = 0; c < C; c++) {
                const h = oh * stride - pad + kh;
                const ww = ow * stride - pad + kw;
                if (h < 0 || h >= H || ww < 0 || ww >= W) continue;
                s += (x[((img * C + c) * H + h) * W + ww] as number) * (w[((kh * K + kw) * C + c) * cout + co] as number);
              }
          y[((img * OH + oh) * OW + ow) * cout + co] = s;
        }
  return y;
}

describe("Conv2d on a crossbar", () => {
  it("equals a direct (non-im2col) float convolution with every nonideality off, before and after pooling", async () => {
    for (const [model, pool] of [
      ["cnn:3x7x6-c5k3s2p1-fc4", "none"],
      ["cnn:3x8x8-c4k3p1-mp2-fc3", "max"],
      ["cnn:2x9x7-c6k2s1p0-ap2-fc3", "avg"],
    ] as const) {
      for (const bias of [false, true]) {
        const e = await loadEngine();
        const net = buildNetwork(e, configFor(model, { batch: 3, bias }));
        const conv = net.layers[0] as Conv2d;
        const s = conv.shape;
        const x = lcgFill(3 * s.inChannels * s.inHeight * s.inWidth, 17);
        for (let i = 0; i < x.length; i++) x[i] = Math.abs(x[i] as number);
        const xt = e.arena.tensor([3, x.length / 3]);
        e.write(xt, x);
        net.forward(xt, 3, false);
        const pre = directConv(
          x,
          3,
          s.inChannels,
          s.inHeight,
          s.inWidth,
          effective(e, conv as never),
          s.outChannels,
          s.kernel,
          s.stride,
          s.padding,
          bias,
        );
        const act = pre.map((v) => Math.max(0, v));
        const tol = 1e-5;
        expectClose(e.f32(conv.out).subarray(0, act.length), act, tol, `${model} bias ${bias} activation`);
        if (pool === "none") continue;
        const p = s.pool;
        const PH = Math.floor(s.outHeight / p);
        const PW = Math.floor(s.outWidth / p);
        const want = new Float64Array(3 * PH * PW * s.outChannels);
        for (let img = 0; img < 3; img++)
          for (let ph = 0; ph < PH; ph++)
            for (let pw = 0; pw < PW; pw++)
              for (let c = 0; c < s.outChannels; c++) {
                let m = Number.NEGATIVE_INFINITY;
                let sum = 0;
                for (let a = 0; a < p; a++)
                  for (let b = 0; b < p; b++) {
                    const v = act[((img * s.outHeight + ph * p + a) * s.outWidth + pw * p + b) * s.outChannels + c] as number;
                    m = Math.max(m, v);
                    sum += v;
                  }
                want[((img * PH + ph) * PW + pw) * s.outChannels + c] = pool === "max" ? m : sum / (p * p);
              }
        expectClose(e.f32(conv.output).subarray(0, want.length), want, tol, `${model} pooled`);
      }
    }
  });

  it("with a bit-serial DAC (ideal ADC) reads image by image and stays within the DAC's quantization of the float result", async () => {
    const e = await loadEngine();
    const cfg = configFor("cnn:3x8x8-c4k3p1-mp2-fc3", { batch: 4, periphery: { dac: "bit-serial" }, chip: { activationBits: 8 } });
    const net = buildNetwork(e, cfg);
    const conv = net.layers[0] as Conv2d;
    const s = conv.shape;
    const x = lcgFill(4 * 192, 3).map(Math.abs);
    const xt = e.arena.tensor([4, 192]);
    e.write(xt, x);
    net.forward(xt, 4, true);
    const act = directConv(x, 4, 3, 8, 8, effective(e, conv as never), s.outChannels, 3, 1, 1, true).map((v) => Math.max(0, v));
    // 8-bit inputs of one image's scale: |error| ≤ rows · (max|x|/255/2) · max|w|, well inside 2 %.
    expectClose(e.f32(conv.out).subarray(0, act.length), act, 0.02, "bit-serial conv");
    // One bit-serial read per sub-array, bit and sign with active rows, per position: at most 4·64·8·2.
    const reads = net.events[0]?.forward.reads as number;
    expect(reads).toBeGreaterThan(4 * 64);
    expect(reads).toBeLessThanOrEqual(4 * 64 * 8 * 2);
  });
});

/** Central finite differences of the mean loss against the analytic gradient, for every weight of every layer. */
async function checkGradient(model: string, algoExtra: Record<string, unknown>): Promise<number> {
  const e = await loadEngine();
  const batch = 5;
  const net: Network = buildNetwork(e, configFor(model, { algo: "bp", batch, lr: 1e-9, momentum: 0, ...algoExtra }));
  const features = parseModelSpec(model).layers[0]?.inChannels as number;
  const first = net.layers[0] as Conv2d;
  const size = first.inSize;
  expect(features).toBeGreaterThan(0);
  const x = e.arena.tensor([batch, size]);
  e.write(x, lcgFill(batch * size, 23).map(Math.abs));
  const labels = Int32Array.from({ length: batch }, (_, i) => i % 3);
  const weights = net.layers.map((l) => e.read(l.array.weights) as Float32Array);
  net.trainStep(x, labels, batch);
  const grads = net.layers.map((l) => e.read(l.grad) as Float32Array);
  net.layers.forEach((l, i) => {
    l.array.setWeights(weights[i] as Float32Array);
  });
  const loss = () => net.evaluate(x, labels, batch).loss / batch;
  const h = 1e-3;
  let checked = 0;
  for (const [li, layer] of net.layers.entries()) {
    const w = weights[li] as Float32Array;
    for (let i = 0; i < w.length; i++) {
      const plus = w.slice();
      plus[i] = (w[i] as number) + h;
      layer.array.setWeights(plus);
      const up = loss();
      const minus = w.slice();
      minus[i] = (w[i] as number) - h;
      layer.array.setWeights(minus);
      const down = loss();
      layer.array.setWeights(w);
      const numeric = (up - down) / (2 * h);
      const analytic = layer.scale * (grads[li]?.[i] as number);
      expect(Math.abs(numeric - analytic), `${model} layer ${li} weight ${i}: numeric ${numeric}, analytic ${analytic}`).toBeLessThan(
        2e-3 * Math.abs(analytic) + 3e-4,
      );
      checked++;
    }
  }
  return checked;
}

describe("conv gradients by finite differences (BP, ideal device)", () => {
  it("stride 2 + max-pool, then a 2×2 kernel without padding, then a dense layer; with biases", async () => {
    // conv1: 7×7×2 → 4×4×3 (stride 2, pad 1), max-pool → 2×2×3; conv2 k2 p0 → 1×1×4; fc → 3.
    expect(await checkGradient("cnn:2x7x7-c3k3s2p1-mp2-c4k2p0-fc3", { bias: true })).toBe(19 * 3 + 13 * 4 + 5 * 3);
  });

  it("average pooling between two convolutions, no biases", async () => {
    // conv1: 6×6×2 → 6×6×3, avg-pool → 3×3×3; conv2 k3 p1 → 3×3×2; fc (18 inputs) → 3.
    expect(await checkGradient("cnn:2x6x6-c3-ap2-c2-fc3", { bias: false })).toBe(18 * 3 + 27 * 2 + 18 * 3);
  });
});

/** A small 28×28 image problem: four classes of 2-pixel strokes (horizontal, vertical, diagonal, box) at random places, with noise. */
function strokes(perClass: number, seed: number): Dataset {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const make = (n: number) => {
    const count = 4 * n;
    const images = new Float32Array(count * 784);
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const c = i % 4;
      labels[i] = c;
      const img = images.subarray(i * 784, (i + 1) * 784);
      for (let p = 0; p < 784; p++) img[p] = 0.15 * u();
      const a = 4 + Math.floor(u() * 12);
      const b = 4 + Math.floor(u() * 12);
      const len = 8 + Math.floor(u() * 4);
      for (let t = 0; t < len; t++) {
        for (let d = 0; d < 2; d++) {
          if (c === 0) img[(a + d) * 28 + b + t] = 1;
          else if (c === 1) img[(a + t) * 28 + b + d] = 1;
          else if (c === 2) img[(a + t) * 28 + b + t + d] = 1;
          else if (t < 8) {
            img[(a + d) * 28 + b + t] = 1;
            img[(a + 7 - d) * 28 + b + t] = 1;
            img[(a + t) * 28 + b + d] = 1;
            img[(a + t) * 28 + b + 7 - d] = 1;
          }
        }
      }
    }
    return { images, labels, count };
  };
  return {
    name: "strokes",
    shape: [1, 28, 28],
    features: 784,
    classes: 10,
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    train: make(perClass),
    test: make(perClass >> 2),
    source: "test strokes",
  };
}

describe("learning rules on cnn-small", () => {
  const data = strokes(40, 7);
  // Measured (ideal device): the mean training loss of epoch 4 over epoch 1 is 0.51 (bp), 0.54 (fa), 0.70 (dfa),
  // 0.81 (dfa, channel feedback), 0.59 (drtp), 0.95 (output-only: only the last layer learns).
  for (const [algo, extra, factor] of [
    ["bp", {}, 0.65],
    ["fa", {}, 0.7],
    ["dfa", {}, 0.8],
    ["dfa", { feedback: { conv: "channels" } }, 0.9],
    ["drtp", {}, 0.75],
    ["output-only", {}, 0.98],
  ] as const) {
    it(`${algo}${"feedback" in extra ? " (channel feedback)" : ""} reduces the loss on a small image problem`, async () => {
      const config = resolveRunConfig({
        dataset: "fashion-mnist",
        model: "cnn-small",
        device: "ideal",
        algo,
        batch: 8,
        epochs: 4,
        lr: 0.01,
        ...extra,
      });
      const r = train(await loadEngine(), data, config);
      const first = r.history[0]?.train_loss as number;
      const last = r.history[r.history.length - 1]?.train_loss as number;
      expect(last, `${algo}: loss ${first} → ${last}, accuracy ${r.test_accuracy}`).toBeLessThan(first * factor);
      expect(r.layer_events.every((l) => l.forward.reads > 0)).toBe(true);
    });
  }
});

describe("feedback matrices of conv layers", () => {
  it("DFA maps e onto the full output map (classes × positions·C_out) or onto the channels; FA's B is shaped like the next Wᵀ", async () => {
    const model = "cnn:1x8x8-c4-mp2-c6-fc5";
    const shapes = async (algo: string, conv?: "full" | "channels") => {
      const net = buildNetwork(await loadEngine(), configFor(model, { algo, batch: 2, bias: false, feedback: conv ? { conv } : {} }));
      return net.layers.map((l) => (l.feedback ? [l.feedback.inputs, l.feedback.outputs] : undefined));
    };
    expect(await shapes("dfa")).toEqual([[5, 64 * 4], [5, 16 * 6], undefined]);
    expect(await shapes("dfa", "channels")).toEqual([[5, 4], [5, 6], undefined]);
    // FA: conv2's Wᵀ is 6 × (3·3·4); fc's Wᵀ is 5 × (4·4·6).
    expect(await shapes("fa")).toEqual([[6, 36], [5, 96], undefined]);
    expect(await shapes("bp")).toEqual([undefined, undefined, undefined]);
  });

  it("B's init: DFA uniform in ±1/√(the layer's units) as anokland/dfa-torch (channels: ±1/√C, 1/P per position), FA ±1/√fan-in", async () => {
    const model = "cnn:1x16x16-c8-mp2-c12-fc64-fc10";
    const bounds = async (algo: string, scale: number, conv?: "full" | "channels") => {
      const e = await loadEngine();
      const net = buildNetwork(e, configFor(model, { algo, batch: 2, bias: false, feedback: { scale, ...(conv ? { conv } : {}) } }));
      return net.layers.flatMap((l) => {
        if (!l.feedback?.matrix) return [];
        const v = e.f32(l.feedback.matrix);
        let max = 0;
        let sq = 0;
        for (const x of v) {
          max = Math.max(max, Math.abs(x));
          sq += x * x;
        }
        return [{ n: v.length, max, rms: Math.sqrt(sq / v.length) }];
      });
    };
    const check = (got: { n: number; max: number; rms: number }[], expected: number[]) => {
      expect(got.length).toBe(expected.length);
      got.forEach((g, i) => {
        const b = expected[i] as number;
        expect(g.max).toBeLessThanOrEqual(b);
        expect(g.max).toBeGreaterThan(b * (1 - 20 / g.n)); // the largest of n uniform draws
        expect(g.rms / (b / Math.sqrt(3))).toBeCloseTo(1, 0); // uniform: rms = bound/√3
      });
    };
    // conv1: 8 × 16·16 units, conv2: 12 × 8·8, fc1: 64.
    check(await bounds("dfa", 1), [1 / Math.sqrt(8 * 256), 1 / Math.sqrt(12 * 64), 1 / 8]);
    check(await bounds("dfa", 0.5), [0.5 / Math.sqrt(8 * 256), 0.5 / Math.sqrt(12 * 64), 0.5 / 8]);
    check(await bounds("dfa", 1, "channels"), [1 / Math.sqrt(8) / 256, 1 / Math.sqrt(12) / 64, 1 / 8]);
    check(await bounds("drtp", 1), [1 / Math.sqrt(8 * 256), 1 / Math.sqrt(12 * 64), 1 / 8]);
    // FA: B shaped like the next layer's Wᵀ, ±1/√ of the backward map's fan-in (next outputs × kernel²).
    check(await bounds("fa", 1), [1 / Math.sqrt(12 * 9), 1 / Math.sqrt(64), 1 / Math.sqrt(10)]);
  });

  it("with channel feedback, a conv layer's δ is (e·B_l)[c] ⊙ f′ at every position", async () => {
    const e = await loadEngine();
    const net = buildNetwork(
      e,
      configFor("cnn:1x6x6-c3-fc2", { algo: "dfa", batch: 2, bias: false, lr: 1e-9, momentum: 0, feedback: { conv: "channels" } }),
    );
    const x = e.arena.tensor([2, 36]);
    e.write(x, lcgFill(72, 5).map(Math.abs));
    net.trainStep(x, Int32Array.from([0, 1]), 2);
    const conv = net.layers[0] as Conv2d;
    const B = e.read(conv.feedback?.matrix as never) as Float32Array; // 2 × 3
    const err = e.f32(net.layers[1]?.delta as never).slice(0, 4);
    const out = e.f32(conv.out).slice(0, 2 * 36 * 3);
    const delta = e.f32(conv.delta).slice(0, 2 * 36 * 3);
    for (let b = 0; b < 2; b++)
      for (let p = 0; p < 36; p++)
        for (let c = 0; c < 3; c++) {
          const s = (err[b * 2] as number) * (B[c] as number) + (err[b * 2 + 1] as number) * (B[3 + c] as number);
          const i = (b * 36 + p) * 3 + c;
          expect(delta[i] as number).toBeCloseTo((out[i] as number) > 0 ? s : 0, 7);
        }
  });
});

describe("VGG-8 on crossbars", () => {
  it("has NeuroSim's 12,973,440 weights and counts, per layer, the reference table's MACs per image", async () => {
    const e = await loadEngine();
    const config = resolveRunConfig({ model: "vgg8", dataset: "cifar10", device: "ideal", batch: 2, lr: 1e-3 });
    expect(config.bias).toBe(false);
    const net = buildNetwork(e, config);
    expect(net.layers.map((l) => l.rows * l.outputs)).toEqual([3456, 147456, 294912, 589824, 1179648, 2359296, 8388608, 10240]);
    expect(net.layers.reduce((s, l) => s + l.rows * l.outputs, 0)).toBe(12973440);
    const x = e.arena.tensor([2, 3072]);
    e.write(x, lcgFill(2 * 3072, 9).map(Math.abs));
    const r = net.trainStep(x, Int32Array.from([3, 7]), 2);
    expect(Number.isFinite(r.loss)).toBe(true);
    // The gradient of each layer is one MAC per weight per input vector: 2 images × the table's MACs.
    const table = [3538944, 150994944, 75497472, 150994944, 75497472, 150994944, 8388608, 10240];
    expect(net.events.map((l) => l.gradient.macs)).toEqual(table.map((m) => 2 * m));
    // Forward: one read per input vector (position) per 128-row sub-array.
    const positions = [1024, 1024, 256, 256, 64, 64, 1, 1];
    const rows = [27, 1152, 1152, 2304, 2304, 4608, 8192, 1024];
    expect(net.events.map((l) => l.forward.reads)).toEqual(positions.map((p, i) => 2 * p * Math.ceil((rows[i] as number) / 128)));
  });
});

describe("weight init", () => {
  it("neurosim: WAGE's per-layer scale 1/2^round(log2(1.5/√(3/fan-in))) and ±1.5 normalized weights, a third clipped at the bounds", async () => {
    // VGG-8's fan-ins (DNN+NeuroSim V2.1's wage_initializer.py): 27 → 1/4, 1152 → 1/32, 2304 → 1/32, 4608 → 1/64, 8192 → 1/64, 1024 → 1/32.
    expect([27, 1152, 2304, 4608, 8192, 1024].map((f) => 1 / initialScale("neurosim", f, 1, 2.5).scale)).toEqual([4, 32, 32, 64, 64, 32]);
    expect(initialScale("glorot", 784, 256, 2.5)).toEqual({ scale: 0.25, bound: Math.sqrt(6 / 1040) / 0.25 });
    const e = await loadEngine();
    const net = buildNetwork(e, configFor("cnn:3x8x8-c16-fc10", { batch: 1, bias: false, weightInit: "neurosim" }));
    const w = e.read(net.layers[0]?.array.weights as never) as Float32Array;
    const clipped = w.filter((v) => Math.abs(v) > 0.9999).length / w.length;
    expect(Math.abs(clipped - 1 / 3)).toBeLessThan(0.05);
    expect(net.layers[0]?.scale).toBe(1 / 4); // fan-in 3·3·3 = 27, as VGG-8's first layer
  });
});

describe("model and config checks", () => {
  it("cnn:… custom stacks: cnn-small spelled out is cnn-small; malformed stacks are rejected with the reason", () => {
    const custom = parseModelSpec("cnn:1x28x28-c32-mp2-c64-mp2-fc128-fc10");
    expect(custom.layers).toEqual(parseModelSpec("cnn-small").layers);
    expect(custom.spec).toBe("cnn:1x28x28-c32-mp2-c64-mp2-fc128-fc10");
    const odd = parseModelSpec("cnn:3x32x32-c16k5s2p2-ap2-fc10");
    expect(odd.layers[0]).toMatchObject({ kernel: 5, stride: 2, padding: 2, outHeight: 16, pool: 2, poolType: "avg", positions: 256 });
    expect(odd.layers[1]).toMatchObject({ kind: "dense", inChannels: 16 * 8 * 8 });
    for (const [bad, why] of [
      ["cnn:1x28-c8-fc10", /input "1x28" is not CxHxW/],
      ["cnn:1x28x28-mp2-fc10", /must follow a convolution/],
      ["cnn:1x28x28-c8-mp2-mp2-fc10", /one pooling per convolution/],
      ["cnn:1x28x28-c8", /last stage must be a fully connected layer/],
      ["cnn:1x28x28-fc10-c8-fc10", /convolution "c8" after a fully connected layer/],
      ["cnn:1x4x4-c8k7p0-fc10", /does not fit/],
      ["cnn:1x28x28-c8x-fc10", /unknown stage "c8x"/],
      ["cnn:1x28x28-c8k3p3-fc10", /padding below the kernel/],
    ] as const) {
      expect(() => parseModelSpec(bad), bad).toThrow(InputError);
      expect(() => parseModelSpec(bad), bad).toThrow(why);
    }
  });

  it("vgg8:W is VGG-8 with every width scaled by W/128, spelled out as the cnn:… stack; vgg8:128 is vgg8", () => {
    const narrow = parseModelSpec("vgg8:16");
    expect(narrow.spec).toBe("vgg8:16");
    expect(narrow.layers).toEqual(parseModelSpec("cnn:3x32x32-c16-c16-mp2-c32-c32-mp2-c64-c64-mp2-fc128-fc10").layers);
    expect(narrow.layers[6]).toMatchObject({ kind: "dense", inChannels: 64 * 4 * 4, outChannels: 128 });
    const full = parseModelSpec("vgg8:128");
    expect(full.spec).toBe("vgg8");
    expect(full.layers).toEqual(parseModelSpec("vgg8").layers);
    for (const bad of ["vgg8:0", "vgg8:", "vgg8:1.5", "vgg8:4097", "vgg8:x"]) {
      expect(() => parseModelSpec(bad), bad).toThrow(/the VGG-8 width must be a whole number 1 … 4096/);
    }
  });

  it("a conv model needs the dataset's image shape; conv models default to no bias, full DFA feedback and no augmentation", () => {
    expect(() => resolveRunConfig({ model: "cnn-small", dataset: "digits" })).toThrow(
      /takes 1×28×28 images, but dataset "digits" has 1×8×8/,
    );
    expect(() => resolveRunConfig({ model: "cnn:1x784x1-c4-fc10", dataset: "mnist" })).toThrow(/takes 1×784×1 images/);
    const c = resolveRunConfig({ model: "cnn-small", dataset: "fashion-mnist" });
    expect(c).toMatchObject({ bias: false, augment: false, feedback: { conv: "full" } });
    expect(resolveRunConfig({ dataset: "mnist" }).bias).toBe(true);
    expect(() => resolveRunConfig({ feedback: { conv: "rows" } })).toThrow(/feedback\.conv/);
  });
});

describe("conv reads image by image on a non-ideal periphery", () => {
  it("three copies of one image give three identical activations and errors at every conv layer, and the activations of the image alone", async () => {
    const e = await loadEngine();
    const config = (batch: number) => ({
      ...resolveRunConfig({
        device: "ideal",
        algo: "bp",
        batch,
        lr: 1e-9,
        momentum: 0,
        periphery: { adc: "chip", errorAdc: "chip" },
        chip: { adc: { bits: 5 } },
      }),
      model: "cnn:1x6x6-c2k3-c3k3-fc3",
    });
    const image = Array.from({ length: 36 }, (_, i) => 0.5 + 0.5 * Math.sin(0.7 * i));
    const three = buildNetwork(e, config(3));
    const one = buildNetwork(e, config(1));
    const x3 = e.arena.tensor([3, 36]);
    e.write(x3, [...image, ...image, ...image]);
    const x1 = e.arena.tensor([1, 36]);
    e.write(x1, image);
    three.trainStep(x3, Int32Array.from([1, 1, 1]), 3);
    one.trainStep(x1, Int32Array.from([1]), 1);
    for (const l of [0, 1]) {
      const a = three.layers[l] as Conv2d;
      const b = one.layers[l] as Conv2d;
      expect(a.kind).toBe("conv");
      expect(a.array.readsIdeal(false) || a.array.readsIdeal(true)).toBe(false);
      const per = a.neurons;
      const out = Array.from(e.f32(a.out)).slice(0, 3 * per);
      expect(out.slice(per, 2 * per), `layer ${l + 1} image 2`).toEqual(out.slice(0, per));
      expect(out.slice(2 * per), `layer ${l + 1} image 3`).toEqual(out.slice(0, per));
      expect(out.slice(0, per)).toEqual(Array.from(e.f32(b.out)).slice(0, per));
      const deltaPer = a.positions * a.outputs;
      const delta = Array.from(e.f32(a.delta)).slice(0, 3 * deltaPer);
      expect(
        delta.some((v) => v !== 0),
        `layer ${l + 1}: a zero error tests nothing`,
      ).toBe(true);
      expect(delta.slice(deltaPer, 2 * deltaPer), `layer ${l + 1} δ image 2`).toEqual(delta.slice(0, deltaPer));
      expect(delta.slice(2 * deltaPer), `layer ${l + 1} δ image 3`).toEqual(delta.slice(0, deltaPer));
    }
  });
});

describe("conv layers unroll a large batch in chunks", () => {
  it("four copies of one 128×128 image, unrolled three and one: the same activations, errors and gradient as the image alone", async () => {
    const e = await loadEngine();
    const config = (batch: number) => ({
      ...resolveRunConfig({ device: "ideal", algo: "bp", batch, lr: 1e-9, momentum: 0 }),
      model: "cnn:1x128x128-c8k3-c8k3-fc3",
    });
    const image = Array.from({ length: 128 * 128 }, (_, i) => 0.5 + 0.5 * Math.sin(0.013 * i) * Math.cos(0.07 * i));
    const four = buildNetwork(e, config(4));
    const one = buildNetwork(e, config(1));
    const layer = four.layers[1] as Conv2d;
    // The second conv layer unrolls 128·128 positions × 73 rows per image: three images per chunk.
    expect(layer.chunkImages).toBe(3);
    const x4 = e.arena.tensor([4, 128 * 128]);
    e.write(x4, [...image, ...image, ...image, ...image]);
    const x1 = e.arena.tensor([1, 128 * 128]);
    e.write(x1, image);
    four.trainStep(x4, Int32Array.from([2, 2, 2, 2]), 4);
    one.trainStep(x1, Int32Array.from([2]), 1);
    for (const l of [0, 1]) {
      const a = four.layers[l] as Conv2d;
      const b = one.layers[l] as Conv2d;
      const per = a.neurons;
      const out = e.f32(a.out);
      const alone = e.f32(b.out).slice(0, per);
      for (let j = 0; j < 4; j++)
        expect(Array.from(out.slice(j * per, (j + 1) * per)), `layer ${l + 1} image ${j + 1}`).toEqual(Array.from(alone));
      const dPer = a.positions * a.outputs;
      const delta = e.f32(a.delta);
      // The batch's mean loss gives each copy a quarter of the lone image's error.
      const lone = Array.from(e.f32(b.delta).slice(0, dPer), (v) => v / 4);
      const largest = (v: ArrayLike<number>) => Array.from(v).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      expect(largest(lone), `layer ${l + 1}: a zero error tests nothing`).toBeGreaterThan(1e-6);
      for (let j = 0; j < 4; j++)
        expectClose(delta.slice(j * dPer, (j + 1) * dPer), lone, 1e-5 * largest(lone), `layer ${l + 1} δ image ${j + 1}`);
      expectClose(e.f32(a.grad), e.f32(b.grad), 1e-4 * largest(e.f32(b.grad)), `layer ${l + 1} gradient`);
    }
  });
});
