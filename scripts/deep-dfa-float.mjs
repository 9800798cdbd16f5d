#!/usr/bin/env node
// An independent float64 DFA (no cimlearn code): an MLP trained with direct feedback alignment on
// Fashion-MNIST, to tell the rule's own behaviour from the simulator's. Variants: the rate, the
// hidden activation, and inputs centred per feature (removing the rank-one mean-input part of every
// first-layer update). Usage:
//   node scripts/deep-dfa-float.mjs [--dir /usr/share/datasets/fashion-mnist] [--hidden 5] [--width 256]
//     [--samples 10000] [--epochs 2] [--lr 0.02] [--activation relu|tanh|relu6] [--center] [--normalize] [--seed 1]
// Prints the test accuracy and the largest hidden activation after every epoch.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";

const { values: a } = parseArgs({
  options: {
    dir: { type: "string", default: "/usr/share/datasets/fashion-mnist" },
    hidden: { type: "string", default: "5" },
    width: { type: "string", default: "256" },
    samples: { type: "string", default: "10000" },
    epochs: { type: "string", default: "2" },
    lr: { type: "string", default: "0.02" },
    activation: { type: "string", default: "relu" },
    center: { type: "boolean", default: false },
    normalize: { type: "boolean", default: false },
    seed: { type: "string", default: "1" },
  },
});
const H = Number(a.hidden);
const W = Number(a.width);
const N = Number(a.samples);
const EPOCHS = Number(a.epochs);
const LR = Number(a.lr);
const ACT = a.activation;
if (!["relu", "tanh", "relu6"].includes(ACT)) throw new Error(`--activation: relu, tanh or relu6, got ${ACT}`);
const BATCH = 100;
const MOMENTUM = 0.9;

function idx(name) {
  let b = readFileSync(join(a.dir, name));
  if (name.endsWith(".gz")) b = gunzipSync(b);
  return b;
}
function images(name, n) {
  const b = idx(name);
  const out = new Float64Array(n * 784);
  for (let i = 0; i < n * 784; i++) out[i] = b[16 + i] / 255;
  return out;
}
const labelsOf = (name, n) => Int32Array.from(idx(name).subarray(8, 8 + n));
const xTrain = images("train-images-idx3-ubyte.gz", N);
const yTrain = labelsOf("train-labels-idx1-ubyte.gz", N);
const xTest = images("t10k-images-idx3-ubyte.gz", 10000);
const yTest = labelsOf("t10k-labels-idx1-ubyte.gz", 10000);
if (a.center) {
  const mean = new Float64Array(784);
  for (let i = 0; i < N; i++) for (let j = 0; j < 784; j++) mean[j] += xTrain[i * 784 + j] / N;
  for (const x of [xTrain, xTest]) for (let i = 0; i < x.length; i++) x[i] -= mean[i % 784];
}

// A small LCG: this script shares nothing with cimlearn's generators.
let s = Number(a.seed) >>> 0 || 1;
const rand = () => {
  s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
  return s / 4294967296;
};
const sizes = [784, ...new Array(H).fill(W), 10];
// Glorot-uniform weights, zero biases; DFA's B_l uniform in ±1/√(units) (Nøkland's dfa-torch default).
const weights = sizes.slice(1).map((out, l) => {
  const fanIn = sizes[l];
  const bound = Math.sqrt(6 / (fanIn + out));
  return Float64Array.from({ length: (fanIn + 1) * out }, (_, i) => (i >= fanIn * out ? 0 : (2 * rand() - 1) * bound));
});
const velocity = weights.map((w) => new Float64Array(w.length));
const feedback = sizes.slice(1, -1).map((units) => Float64Array.from({ length: 10 * units }, () => (2 * rand() - 1) / Math.sqrt(units)));

const f = (z) => (ACT === "tanh" ? Math.tanh(z) : ACT === "relu6" ? Math.min(6, Math.max(0, z)) : Math.max(0, z));
const df = (z, y) => (ACT === "tanh" ? 1 - y * y : z > 0 && (ACT !== "relu6" || z < 6) ? 1 : 0);

function forward(x, rows) {
  const acts = [x];
  const pres = [];
  let h = x;
  for (let l = 0; l < weights.length; l++) {
    const fanIn = sizes[l];
    const out = sizes[l + 1];
    const w = weights[l];
    const z = new Float64Array(rows * out);
    for (let b = 0; b < rows; b++) {
      for (let j = 0; j < out; j++) z[b * out + j] = w[fanIn * out + j];
      for (let i = 0; i < fanIn; i++) {
        const v = h[b * fanIn + i];
        if (v === 0) continue;
        const wi = i * out;
        for (let j = 0; j < out; j++) z[b * out + j] += v * w[wi + j];
      }
    }
    pres.push(z);
    h = l < weights.length - 1 ? z.map(f) : z;
    acts.push(h);
  }
  return { acts, pres };
}

function accuracy() {
  let correct = 0;
  for (let start = 0; start < 10000; start += 500) {
    const { acts } = forward(xTest.subarray(start * 784, (start + 500) * 784), 500);
    const logits = acts[acts.length - 1];
    for (let b = 0; b < 500; b++) {
      let best = 0;
      for (let c = 1; c < 10; c++) if (logits[b * 10 + c] > logits[b * 10 + best]) best = c;
      if (best === yTest[start + b]) correct++;
    }
  }
  return correct / 10000;
}

const order = Int32Array.from({ length: N }, (_, i) => i);
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  for (let i = N - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  let maxAct = 0;
  for (let start = 0; start < N; start += BATCH) {
    const x = new Float64Array(BATCH * 784);
    const y = new Int32Array(BATCH);
    for (let b = 0; b < BATCH; b++) {
      x.set(xTrain.subarray(order[start + b] * 784, (order[start + b] + 1) * 784), b * 784);
      y[b] = yTrain[order[start + b]];
    }
    const { acts, pres } = forward(x, BATCH);
    const logits = acts[acts.length - 1];
    // e = (softmax − one-hot) / batch.
    const e = new Float64Array(BATCH * 10);
    for (let b = 0; b < BATCH; b++) {
      let m = -Infinity;
      for (let c = 0; c < 10; c++) m = Math.max(m, logits[b * 10 + c]);
      let sum = 0;
      for (let c = 0; c < 10; c++) sum += Math.exp(logits[b * 10 + c] - m);
      for (let c = 0; c < 10; c++) e[b * 10 + c] = (Math.exp(logits[b * 10 + c] - m) / sum - (c === y[b] ? 1 : 0)) / BATCH;
    }
    for (let l = 0; l < weights.length; l++) {
      const fanIn = sizes[l];
      const out = sizes[l + 1];
      let delta = e;
      if (l < weights.length - 1) {
        const B = feedback[l];
        delta = new Float64Array(BATCH * out);
        for (let b = 0; b < BATCH; b++) {
          for (let j = 0; j < out; j++) {
            let v = 0;
            for (let c = 0; c < 10; c++) v += e[b * 10 + c] * B[c * out + j];
            const z = pres[l][b * out + j];
            const hj = acts[l + 1][b * out + j];
            if (Math.abs(hj) > maxAct) maxAct = Math.abs(hj);
            delta[b * out + j] = v * df(z, hj);
          }
        }
      }
      // v ← μv + g; W ← W − lr·v, with g = [h; 1]ᵀ·δ.
      const w = weights[l];
      const vel = velocity[l];
      const h = acts[l];
      const g = new Float64Array(w.length);
      for (let b = 0; b < BATCH; b++) {
        for (let i = 0; i <= fanIn; i++) {
          const hv = i === fanIn ? 1 : h[b * fanIn + i];
          if (hv === 0) continue;
          for (let j = 0; j < out; j++) g[i * out + j] += hv * delta[b * out + j];
        }
      }
      // --normalize: hidden layers' rate ÷ (1 + the mean square of their inputs) (cimlearn's feedback.normalize).
      let rate = LR;
      if (a.normalize && l < weights.length - 1) {
        let sq = 0;
        for (let k = 0; k < BATCH * fanIn; k++) sq += h[k] * h[k];
        rate = LR / (1 + sq / (BATCH * fanIn));
      }
      for (let k = 0; k < w.length; k++) {
        vel[k] = MOMENTUM * vel[k] + g[k];
        w[k] -= rate * vel[k];
      }
    }
  }
  console.log(`epoch ${epoch}: test accuracy ${(accuracy() * 100).toFixed(2)} %, largest hidden activation ${maxAct.toPrecision(3)}`);
}
