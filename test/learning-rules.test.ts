import { describe, expect, it } from "vitest";
import { costInputOf, estimateCost } from "../src/cost/index.js";
import { loadDigits } from "../src/data/index.js";
import { DeviceArray } from "../src/device/array.js";
import { resolveDevice } from "../src/device/config.js";
import { resolveRunConfig } from "../src/experiment/config.js";
import { enduranceReport } from "../src/experiment/endurance.js";
import { buildNetwork, train } from "../src/experiment/train.js";
import { type Engine, loadEngine } from "../src/index.js";
import { symmetricPoint } from "../src/learning/optimizer.js";
import { ALGORITHMS, type Algorithm, LEARNING_RULES, learningRule } from "../src/learning/rules.js";
import type { Network } from "../src/nn/network.js";

// Every rule × feedback storage, one training step on a tiny MLP (biases on, two hidden ReLU
// layers, ideal device and periphery, no momentum, a vanishing rate), against a plain float64
// restatement of the rule: each trained layer's gradient aᵀ·δ from the weights as realized, the
// rule's definition of δ, and its feedback — sign-symmetric B derived here from W's signs.

const BATCH = 6;
const MODEL = [5, 4, 4, 3];

type Matrix = number[][];

function matmul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => (b[0] as number[]).map((_, j) => row.reduce((s, v, k) => s + v * ((b[k] as number[])[j] as number), 0)));
}

function transpose(a: Matrix): Matrix {
  return (a[0] as number[]).map((_, j) => a.map((row) => row[j] as number));
}

function matrixOf(values: ArrayLike<number>, rows: number, cols: number, scale = 1): Matrix {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (values[i * cols + j] as number) * scale));
}

/** Realized feedback B of layer l, effective values (digital matrix, or the array's weights × its scale). */
function storedFeedback(e: Engine, net: Network, l: number): Matrix {
  const fb = net.layers[l]?.feedback;
  if (!fb) throw new Error(`layer ${l} has no feedback`);
  if (fb.matrix) return matrixOf(e.f32(fb.matrix), fb.inputs, fb.outputs);
  if (!fb.array) throw new Error("feedback without storage");
  return matrixOf(e.f32(fb.array.weights), fb.inputs, fb.outputs, fb.scale);
}

/** The rule's B for the layer below `next` (mirror rules: shaped like W_nextᵀ without the bias row), derived independently where the rule defines it. */
function mirrorFeedback(e: Engine, net: Network, algo: Algorithm, l: number, weights: Matrix[], before: Matrix | undefined): Matrix {
  const h = learningRule(algo).hidden;
  if (h.kind !== "next-layer") throw new Error("not a mirror rule");
  const next = weights[l + 1] as Matrix;
  const inputs = MODEL[l + 1] as number;
  const wT = transpose(next.slice(0, inputs)); // outputs × inputs, effective
  switch (h.matrix.kind) {
    case "weights":
      return wT;
    case "fixed-random":
    case "learned":
      // Stored data (a learned B is read before the step's update reaches it).
      if (!before) throw new Error(`layer ${l}: no stored feedback`);
      return before;
    case "sign-of-weights": {
      const fanIn = inputs;
      const fanOut = MODEL[l + 2] as number;
      const fb = net.layers[l]?.feedback;
      const u = fb?.follow?.uniforms ? e.f32(fb.follow.uniforms) : undefined;
      const bound = 1 / Math.sqrt(fanOut); // FA's bound: feedbackScale 1 / √(fan-in of the backward map)
      return wT.map((row, j) =>
        row.map((w, i) => {
          const m = u ? Math.abs(2 * (u[j * inputs + i] as number) - 1) * bound : Math.sqrt(2 / (fanIn + fanOut));
          return Math.sign(w) * m;
        }),
      );
    }
  }
}

function relu(z: Matrix): Matrix {
  return z.map((r) => r.map((v) => Math.max(0, v)));
}

describe("every learning rule against a float64 restatement", () => {
  for (const algo of ALGORITHMS) {
    for (const [storage, optimizer] of [
      ["digital", "sgd"],
      ["crossbar", "sgd"],
      ["crossbar", "mixed-precision"],
      ["crossbar", "tiki-taka"],
    ] as const) {
      it(`${algo}, feedback ${storage}, ${optimizer}: each trained layer's gradient is aᵀ·δ with the rule's δ`, async () => {
        const e = await loadEngine();
        const config = {
          ...resolveRunConfig({
            device: "ideal",
            algo,
            batch: BATCH,
            lr: 1e-9,
            momentum: 0,
            activation: "relu",
            feedback: { storage },
            optimizer,
          }),
          model: `mlp:${MODEL.join("-")}`,
        };
        const net = buildNetwork(e, config);
        const L = net.layers.length;
        let s = 7;
        const rand = () => {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          return (s >>> 8) / 16777216;
        };
        const xs = Array.from({ length: BATCH }, () => Array.from({ length: MODEL[0] as number }, rand));
        const labels = Int32Array.from({ length: BATCH }, (_, b) => b % 3);
        const x = e.arena.tensor([BATCH, MODEL[0] as number]);
        e.write(x, xs.flat());
        // Effective weights as realized before the step (rows include the bias row).
        const weights = net.layers.map((layer, l) =>
          matrixOf(e.f32(layer.array.weights), (MODEL[l] as number) + 1, MODEL[l + 1] as number, layer.scale),
        );
        // B of the direct rules and FA, as stored before the step (B does not learn).
        const stored = net.layers
          .slice(0, -1)
          .map((layer, l) => (layer.feedback?.follow ? undefined : layer.feedback ? storedFeedback(e, net, l) : undefined));
        net.trainStep(x, labels, BATCH);

        // Forward.
        const inputs: Matrix[] = [];
        const pre: Matrix[] = [];
        let a = xs;
        for (let l = 0; l < L; l++) {
          const withBias = a.map((r) => [...r, 1]);
          inputs.push(withBias);
          const z = matmul(withBias, weights[l] as Matrix);
          pre.push(z);
          a = l < L - 1 ? relu(z) : z;
        }
        // Output error of the mean cross-entropy, and DRTP's target signal −y*/batch.
        const error = a.map((row, b) => {
          const m = Math.max(...row);
          const ex = row.map((v) => Math.exp(v - m));
          const sum = ex.reduce((p, q) => p + q, 0);
          return ex.map((v, c) => (v / sum - (c === labels[b] ? 1 : 0)) / BATCH);
        });
        const target = labels.length ? Array.from(labels, (y) => Array.from({ length: 3 }, (_, c) => (c === y ? -1 / BATCH : 0))) : [];
        const rule = LEARNING_RULES[algo];
        const deltas: Matrix[] = new Array(L);
        deltas[L - 1] = error;
        for (let l = L - 2; l >= 0; l--) {
          let signal: Matrix | undefined;
          const h = rule.hidden;
          if (h.kind === "next-layer") signal = matmul(deltas[l + 1] as Matrix, mirrorFeedback(e, net, algo, l, weights, stored[l]));
          else if (h.kind === "direct") signal = matmul(h.input === "output-error" ? error : target, stored[l] as Matrix);
          if (!signal) continue;
          deltas[l] = signal.map((r, b) => r.map((v, j) => ((((pre[l] as Matrix)[b] as number[])[j] as number) > 0 ? v : 0)));
        }
        let checked = 0;
        for (let l = 0; l < L; l++) {
          const delta = deltas[l];
          if (!delta) continue;
          const want = matmul(transpose(inputs[l] as Matrix), delta);
          const layer = net.layers[l];
          if (!layer) continue;
          const got = matrixOf(e.f32(layer.grad), want.length, (want[0] as number[]).length);
          const scale = Math.max(...want.flat().map(Math.abs));
          expect(scale, `${algo} layer ${l}: a zero gradient tests nothing`).toBeGreaterThan(1e-6);
          want.forEach((row, i) => {
            row.forEach((v, j) => {
              const g = (got[i] as number[])[j] as number;
              expect(Math.abs(g - v), `${algo} ${storage} layer ${l} [${i}, ${j}]: ${g}, want ${v}`).toBeLessThanOrEqual(
                1e-4 * scale + 1e-7,
              );
            });
          });
          checked++;
        }
        expect(checked).toBe(rule.hidden.kind === "none" ? 1 : L);
      });
    }
  }

  it("sign-symmetric B follows W: brSF redraws its magnitudes every update, frSF keeps them, and a flipped weight flips B", async () => {
    for (const algo of ["usf", "frsf", "brsf"] as const) {
      const e = await loadEngine();
      const config = { ...resolveRunConfig({ device: "ideal", algo, batch: 4, lr: 1e-9, momentum: 0 }), model: "mlp:5-4-4-3" };
      const net = buildNetwork(e, config);
      const x = e.arena.tensor([4, 5]);
      e.write(
        x,
        Float32Array.from({ length: 20 }, (_, i) => Math.cos(i) * 0.5 + 0.5),
      );
      const labels = Int32Array.from([0, 1, 2, 0]);
      const fb = net.layers[0]?.feedback;
      const magnitudes = () => (fb?.follow?.uniforms ? e.f32(fb.follow.uniforms).slice() : undefined);
      const b = () => (fb?.matrix ? e.f32(fb.matrix).slice() : new Float32Array());
      net.trainStep(x, labels, 4);
      const m1 = magnitudes();
      const b1 = b();
      // Flip W₂[0][0] (input 0 → output 0): B₂[0][0] must flip with it at the next step.
      const next = net.layers[1];
      if (!next) throw new Error("no layer 1");
      const w = e.f32(next.array.weights).slice();
      w[0] = -(w[0] as number);
      next.array.setWeights(w);
      net.trainStep(x, labels, 4);
      const m2 = magnitudes();
      const b2 = b();
      expect(Math.sign(b2[0] as number), algo).toBe(-Math.sign(b1[0] as number));
      if (algo === "usf") expect(m1).toBeUndefined();
      else if (algo === "frsf") expect(m2).toEqual(m1);
      else expect(m2).not.toEqual(m1);
    }
  });

  it("a sign-symmetric rebuild counts its writes on B's cells: a flip moves a cell across the range (levels pulses), in either storage; on a crossbar they wear B's devices", async () => {
    for (const storage of ["digital", "crossbar"] as const) {
      const e = await loadEngine();
      const config = {
        ...resolveRunConfig({ device: "fefet-v21", algo: "usf", batch: 4, lr: 1e-9, momentum: 0, feedback: { storage } }),
        model: "mlp:5-6-4-3",
      };
      const net = buildNetwork(e, config);
      const x = e.arena.tensor([4, 5]);
      e.write(
        x,
        Float32Array.from({ length: 20 }, (_, i) => Math.cos(i) * 0.5 + 0.5),
      );
      const labels = Int32Array.from([0, 1, 2, 0]);
      const next = net.layers[1];
      if (!next) throw new Error("no layer 2");
      // B₂ = sign(W₂)ᵀ over W₂'s 6 input rows (not its bias row).
      const signs = () => Array.from(e.f32(next.array.weights).subarray(0, 6 * 4), (v) => Math.sign(v));
      const fbEvents = () => net.events[0]?.feedbackUpdate;
      const wear = () => (net.layers[0]?.feedback?.array ? Array.from(e.u32(net.layers[0].feedback.array.plus.writes)) : []);
      const s0 = signs();
      net.trainStep(x, labels, 4); // builds B from s0: the first write is not an update's
      expect(fbEvents()?.setPulses).toBe(0);
      // Flip every third weight of W₂ (an update would flip few): the next build follows them.
      const w = e.f32(next.array.weights).slice();
      for (let i = 0; i < 6 * 4; i += 3) w[i] = -(w[i] as number);
      next.array.setWeights(w);
      const s1 = signs();
      // Every W₂[i][j] whose sign moved (B₂ = sign(W₂)ᵀ moves with it) for the next build to follow.
      let set = 0;
      let reset = 0;
      let moved = 0;
      for (let i = 0; i < s1.length; i++) {
        const d = (s1[i] as number) - (s0[i] as number);
        if (d === 0) continue;
        moved++;
        const pulses = (Math.abs(d) * 32) / 2; // fefet-v21: 32 levels over the normalized range [−1, 1]
        if (d > 0) set += pulses;
        else reset += pulses;
      }
      expect(moved).toBeGreaterThanOrEqual(6);
      net.trainStep(x, labels, 4);
      expect(fbEvents()?.setPulses, storage).toBe(set);
      expect(fbEvents()?.resetPulses, storage).toBe(reset);
      expect(fbEvents()?.writePulseSlots).toBeGreaterThan(0);
      if (storage === "crossbar") expect(wear().reduce((a, b) => a + b, 0)).toBe(moved);
    }
  });

  it("a digital Kolen–Pollack B counts the pulses its change would take on a mirror of W's arrays, with the run's pulse rounding", async () => {
    for (const rounding of ["nearest", "stochastic"] as const) {
      const e = await loadEngine();
      const config = {
        ...resolveRunConfig({ device: "fefet-v21", algo: "kp", batch: 4, lr: 30, momentum: 0, rounding }),
        model: "mlp:5-6-4-3",
      };
      const net = buildNetwork(e, config);
      const x = e.arena.tensor([4, 5]);
      e.write(
        x,
        Float32Array.from({ length: 20 }, (_, i) => Math.sin(i) * 0.5 + 0.5),
      );
      net.trainStep(x, Int32Array.from([0, 1, 2, 0]), 4);
      const fb = net.layers[0]?.feedback;
      const above = net.layers[1];
      if (!fb?.learn || !above) throw new Error("no learned feedback");
      // B₂'s change in W₂'s normalized units, 32 levels over [−1, 1]: nearest (half to even) or the expected count.
      let set = 0;
      let reset = 0;
      for (const v of e.f32(fb.learn)) {
        const d = (Math.abs(v) / above.scale) * 16;
        const f = Math.floor(d);
        const p = rounding === "stochastic" ? d : d - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(d);
        if (v > 0) set += p;
        else reset += p;
      }
      const counted = net.events[0]?.feedbackUpdate;
      expect(set + reset, rounding).toBeGreaterThan(5);
      expect(counted?.setPulses).toBeCloseTo(set, 9);
      expect(counted?.resetPulses).toBeCloseTo(reset, 9);
    }
  });

  it("Kolen–Pollack: one step adds W's desired change transposed to B and decays both; over training B comes to mirror W (FA's does not)", async () => {
    const cosine = (net: Network, e: Engine) => {
      const fb = net.layers[0]?.feedback;
      const next = net.layers[1];
      if (!fb || !next) throw new Error("no feedback");
      const b = fb.matrix ? e.f32(fb.matrix) : new Float32Array();
      const w = e.f32(next.array.weights);
      let dot = 0;
      let nb = 0;
      let nw = 0;
      for (let j = 0; j < fb.inputs; j++) {
        for (let i = 0; i < fb.outputs; i++) {
          const bv = b[j * fb.outputs + i] as number;
          const wv = w[i * fb.inputs + j] as number;
          dot += bv * wv;
          nb += bv * bv;
          nw += wv * wv;
        }
      }
      return dot / Math.sqrt(nb * nw);
    };
    const x6 = Float32Array.from({ length: 8 * 6 }, (_, i) => 0.5 + 0.5 * Math.sin(1.7 * i));
    const labels = Int32Array.from({ length: 8 }, (_, i) => i % 3);
    // One step, digital B: B' = B + (ΔW·scale)ᵀ − λB, with ΔW the desired (normalized) change before W's own decay.
    {
      const e = await loadEngine();
      const decay = 0.05;
      const config = {
        ...resolveRunConfig({ device: "ideal", algo: "kp", batch: 8, lr: 0.5, momentum: 0, feedback: { decay } }),
        model: "mlp:6-5-3",
      };
      const net = buildNetwork(e, config);
      const fb = net.layers[0]?.feedback;
      const next = net.layers[1];
      if (!fb?.matrix || !next) throw new Error("no feedback");
      const before = e.f32(fb.matrix).slice();
      const x = e.arena.tensor([8, 6]);
      e.write(x, x6);
      net.trainStep(x, labels, 8);
      const after = e.f32(fb.matrix);
      const grad = e.f32(next.grad); // rows (5 + bias) × 3, effective ∂J/∂W
      for (let j = 0; j < 3; j++) {
        for (let i = 0; i < 5; i++) {
          const want = (before[j * 5 + i] as number) - 0.5 * (grad[i * 3 + j] as number) - decay * (before[j * 5 + i] as number);
          expect(after[j * 5 + i] as number).toBeCloseTo(want, 5);
        }
      }
    }
    // Training: B's cosine with Wᵀ rises from ≈ 0 to near 1 with KP, and stays low with FA.
    const finals: Record<string, [number, number]> = {};
    for (const algo of ["kp", "fa"] as const) {
      const e = await loadEngine();
      const config = {
        ...resolveRunConfig({ device: "ideal", algo, batch: 8, lr: 0.1, momentum: 0, feedback: { decay: 0.02 } }),
        model: "mlp:6-5-3",
      };
      const net = buildNetwork(e, config);
      const x = e.arena.tensor([8, 6]);
      e.write(x, x6);
      const first = cosine(net, e);
      for (let step = 0; step < 300; step++) net.trainStep(x, labels, 8);
      finals[algo] = [first, cosine(net, e)];
    }
    const [kp0, kp1] = finals.kp as [number, number];
    const [fa0, fa1] = finals.fa as [number, number];
    expect(Math.abs(kp0)).toBeLessThan(0.8);
    expect(kp1, `kp: cosine ${kp0} → ${kp1}`).toBeGreaterThan(0.95);
    expect(fa1, `fa: cosine ${fa0} → ${fa1}`).toBeLessThan(0.95);
  });

  it("normalizeHiddenRate: a hidden layer's change is scaled by 1 / (1 + mean square of its inputs); the output layer's is not", async () => {
    const changes: Float32Array[][] = [];
    const inputs: Float32Array[] = [];
    for (const normalizeHiddenRate of [false, true]) {
      const e = await loadEngine();
      const config = {
        ...resolveRunConfig({ device: "ideal", algo: "dfa", batch: 4, lr: 0.1, momentum: 0, normalizeHiddenRate }),
        model: "mlp:5-4-4-3",
      };
      const net = buildNetwork(e, config);
      const x = e.arena.tensor([4, 5]);
      e.write(
        x,
        Float32Array.from({ length: 20 }, (_, i) => 2 * Math.sin(i) + 1),
      );
      net.trainStep(x, Int32Array.from([0, 1, 2, 0]), 4);
      changes.push(net.layers.map((l) => e.f32(l.change).slice()));
      inputs.push(...net.layers.map((l) => (l.kind === "dense" ? e.f32(l.input).slice(0, 4 * l.rows) : new Float32Array())));
    }
    const [plain, normalized] = changes as [Float32Array[], Float32Array[]];
    for (let l = 0; l < 3; l++) {
      const rows = MODEL[l] as number;
      const input = inputs[l] as Float32Array; // the first run's layer inputs: 4 rows × (rows + bias)
      let sq = 0;
      for (let b = 0; b < 4; b++) for (let i = 0; i < rows; i++) sq += (input[b * (rows + 1) + i] as number) ** 2;
      const factor = l < 2 ? 1 / (1 + sq / (4 * rows)) : 1;
      const p = plain[l] as Float32Array;
      const q = normalized[l] as Float32Array;
      for (let i = 0; i < p.length; i++) expect(q[i] as number).toBeCloseTo((p[i] as number) * factor, 6);
    }
  });

  it("FA ≡ DFA with one hidden layer: δ₁ = (e·B)⊙f′ either way, B of classes × hidden units", async () => {
    const grads: Float32Array[] = [];
    for (const algo of ["fa", "dfa"] as const) {
      const e = await loadEngine();
      const config = { ...resolveRunConfig({ device: "ideal", algo, batch: 4, lr: 1e-9, momentum: 0 }), model: "mlp:5-4-3" };
      const net = buildNetwork(e, config);
      const fb = net.layers[0]?.feedback;
      expect([fb?.inputs, fb?.outputs]).toEqual([3, 4]);
      const x = e.arena.tensor([4, 5]);
      e.write(
        x,
        Float32Array.from({ length: 20 }, (_, i) => Math.sin(i) * 0.5 + 0.5),
      );
      net.trainStep(x, Int32Array.from([0, 1, 2, 0]), 4);
      grads.push(e.f32(net.layers[0]?.grad as never).slice());
    }
    // Both draw B from the layer's feedback stream; FA scales by 1/√(fan-in of the backward map) = 1/√3, DFA by 1/√(units) = 1/2.
    const ratio = (grads[0] as Float32Array).map((g, i) => g / ((grads[1] as Float32Array)[i] as number));
    for (const r of ratio) if (Number.isFinite(r)) expect(r).toBeCloseTo(2 / Math.sqrt(3), 4);
  });

  it("feedback.draw per-rule: each rule draws its own B (FA's and DFA's no longer coincide); shared keeps the layer's stream", async () => {
    const matrices: Record<string, Float32Array> = {};
    for (const draw of ["shared", "per-rule"] as const) {
      for (const algo of ["fa", "dfa"] as const) {
        const e = await loadEngine();
        const config = { ...resolveRunConfig({ device: "ideal", algo, feedback: { draw } }), model: "mlp:5-4-3" };
        const net = buildNetwork(e, config);
        const fb = net.layers[0]?.feedback;
        if (!fb?.matrix) throw new Error("no feedback");
        matrices[`${draw} ${algo}`] = e.f32(fb.matrix).slice();
      }
    }
    const ratios = (a: Float32Array, b: Float32Array) => Array.from(a, (v, i) => v / (b[i] as number));
    const spreadOf = (r: number[]) => Math.max(...r) - Math.min(...r);
    expect(spreadOf(ratios(matrices["shared fa"] as Float32Array, matrices["shared dfa"] as Float32Array))).toBeLessThan(1e-5);
    expect(spreadOf(ratios(matrices["per-rule fa"] as Float32Array, matrices["per-rule dfa"] as Float32Array))).toBeGreaterThan(0.5);
    expect(matrices["per-rule dfa"]).not.toEqual(matrices["shared dfa"]);
  });
});

describe("optimizers", () => {
  it("mixed precision: χ accumulates the desired change, whole pulses fire once χ holds `threshold` of them, the rest stays (conservation over steps)", async () => {
    for (const threshold of [1, 3]) {
      const e = await loadEngine();
      const levels = 16;
      const config = {
        ...resolveRunConfig({
          device: { preset: "ideal", levelsLtp: levels, levelsLtd: levels },
          algo: "bp",
          batch: 4,
          lr: 0.5,
          momentum: 0,
          optimizer: "mixed-precision",
          optimizerOptions: { threshold },
        }),
        model: "mlp:5-4-3",
      };
      const net = buildNetwork(e, config);
      const layer = net.layers[1];
      if (!layer) throw new Error("no layer");
      const eps = 2 / levels;
      const n = layer.rows * layer.outputs;
      const start = e.f32(layer.array.weights).slice();
      const desired = new Float64Array(n);
      let fired = 0;
      let held = 0;
      for (let step = 0; step < 6; step++) {
        const x = e.arena.tensor([4, 5]);
        e.write(
          x,
          Float32Array.from({ length: 20 }, (_, i) => Math.sin(i + step) + 0.5),
        );
        const before = e.f32(layer.array.weights).slice();
        net.trainStep(x, Int32Array.from([0, 1, 2, step % 3]), 4);
        const grad = e.f32(layer.grad);
        const after = e.f32(layer.array.weights);
        for (let i = 0; i < n; i++) {
          desired[i] = (desired[i] as number) - (0.5 * (grad[i] as number)) / layer.scale;
          // Every realized move is a whole number of pulses, and at least `threshold` of them.
          const pulses = ((after[i] as number) - (before[i] as number)) / eps;
          expect(Math.abs(pulses - Math.round(pulses)), `weight ${i}: ${pulses} pulses`).toBeLessThan(1e-3);
          if (Math.round(pulses) !== 0) {
            expect(Math.abs(Math.round(pulses))).toBeGreaterThanOrEqual(threshold);
            fired++;
          }
        }
      }
      // What moved plus what χ holds is what was asked for; χ holds less than `threshold` pulses.
      const after = e.f32(layer.array.weights);
      const chi = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        chi[i] = (desired[i] as number) - ((after[i] as number) - (start[i] as number));
        expect(Math.abs(chi[i] as number), `weight ${i}: χ ${chi[i]}`).toBeLessThan(threshold * eps + 1e-4);
        if (Math.abs(chi[i] as number) > 1e-6) held++;
      }
      expect(fired).toBeGreaterThan(0);
      expect(held).toBeGreaterThan(0);
    }
  });

  it("mixed precision needs the device update", () => {
    expect(() => resolveRunConfig({ optimizer: "mixed-precision", update: "neurosim-v21", quant: { gradient: 5 } })).toThrow(
      /optimizer: "mixed-precision" decides the pulses of the "device" update/,
    );
  });
});

describe("Tiki-Taka", () => {
  it("symmetricPoint: mid-range for mirrored or linear devices; elsewhere one LTP and one LTD pulse move a device there by the same amount (through the kernel)", async () => {
    expect(symmetricPoint(0.3, -0.3, 40, 40)).toBeCloseTo(0.5, 12);
    expect(symmetricPoint(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 40, 40)).toBe(0.5);
    // Linear with unequal levels: the steps cancel nowhere, so mid-range too (not NaN).
    expect(symmetricPoint(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 40, 64)).toBe(0.5);
    // One side linear, the other not: still a point in [0, 1].
    const half = symmetricPoint(Number.POSITIVE_INFINITY, -0.5, 40, 40);
    expect(half).toBeGreaterThanOrEqual(0);
    expect(half).toBeLessThanOrEqual(1);
    const e = await loadEngine();
    for (const [nlLtp, nlLtd] of [
      [2.4, -4.88],
      [3.68, -6.76],
      [1, -3],
    ] as const) {
      const device = resolveDevice({ preset: "ideal", levelsLtp: 50, levelsLtd: 50, nlLtp, nlLtd });
      const u = symmetricPoint(e.kernels.nlToA(nlLtp), e.kernels.nlToA(nlLtd), 50, 50);
      expect(u).toBeGreaterThan(0);
      expect(u).toBeLessThan(1);
      const g = device.gMin + u * (device.gMax - device.gMin);
      const moves = [1, -1].map((sign) => {
        const arr = new DeviceArray(e, { rows: 1, cols: 4, device, seed: 1, arrayId: 9 });
        e.f32(arr.g).fill(g);
        const dw = e.arena.tensor([1, 4]);
        e.write(dw, [sign * (2 / 50), 0, 0, 0]);
        arr.program(dw, 0.5, 0, "nearest");
        return ((e.f32(arr.g)[0] as number) - g) / (device.gMax - device.gMin);
      });
      expect(Math.abs((moves[0] as number) + (moves[1] as number)), `NL ${nlLtp}/${nlLtd}: ${moves}`).toBeLessThan(1e-5);
      expect(moves[0] as number).toBeGreaterThan(1e-3);
    }
  });

  it("the chip carries a fast array per weight array: a mirror of every layer's tiles in the area, nothing else changed", () => {
    const sgd = estimateCost(costInputOf(resolveRunConfig({ dataset: "fashion-mnist", model: "mlp:784-256-256-10" })));
    const tt = estimateCost(
      costInputOf(resolveRunConfig({ dataset: "fashion-mnist", model: "mlp:784-256-256-10", optimizer: "tiki-taka" })),
    );
    const fa = estimateCost(costInputOf(resolveRunConfig({ dataset: "fashion-mnist", model: "mlp:784-256-256-10", algo: "fa" })));
    expect(sgd.area.breakdown.optimizerArrays).toBe(0);
    expect(tt.area.breakdown.optimizerArrays).toBeGreaterThan(fa.area.breakdown.feedbackArrays);
    expect(tt.area.total_m2).toBeCloseTo(sgd.area.total_m2 + tt.area.breakdown.optimizerArrays, 15);
    expect(tt.total.latency_s).toBe(sgd.total.latency_s);
  });

  it("transfers several rows at once through a nonideal periphery", async () => {
    const e = await loadEngine();
    const config = {
      ...resolveRunConfig({
        device: "ag-a-si",
        algo: "dfa",
        batch: 2,
        periphery: { adc: "chip" },
        optimizer: "tiki-taka",
        optimizerOptions: { transferRows: 3 },
      }),
      model: "mlp:5-4-3",
    };
    const net = buildNetwork(e, config);
    const x = e.arena.tensor([2, 5]);
    e.write(x, [0.1, 0.5, 0.9, 0.3, 0.7, 0.2, 0.4, 0.6, 0.8, 1]);
    const before = e.f32(net.layers[0]?.array.weights as never).slice();
    for (let i = 0; i < 3; i++) net.trainStep(x, Int32Array.from([0, 2]), 2);
    expect(e.f32(net.layers[0]?.array.weights as never)).not.toEqual(before);
    // A's writes are part of the run's endurance.
    const report = enduranceReport(e, net, 3, 1, "ag-a-si");
    expect(report.fast.map((f) => f.devices)).toEqual([6 * 4, 5 * 3]);
    expect(report.fast[0]?.max).toBeGreaterThan(0);
    expect(report.all.devices).toBe(2 * (6 * 4 + 5 * 3));
  });

  it("a transfer reads one row of A through a fixed-range ADC set for one driven row: A's values arrive, not zeros", async () => {
    // 40 inputs + bias: a full scale for the whole sub-array would put a single cell below one code of 6 bits.
    const e = await loadEngine();
    const config = {
      ...resolveRunConfig({
        device: { preset: "ideal", levelsLtp: 4096, levelsLtd: 4096 },
        batch: 4,
        lr: 0.5,
        momentum: 0,
        rounding: "nearest",
        periphery: { adc: "chip", adcRange: "fixed" },
        chip: { adc: { bits: 6 } },
        optimizer: "tiki-taka",
        optimizerOptions: { transferRows: 41, transferLr: 1 },
      }),
      model: "mlp:40-4-3",
    };
    const net = buildNetwork(e, config);
    const fast = net.fastArrays?.[0];
    const layer = net.layers[0];
    if (!fast || !layer) throw new Error("no fast array");
    const before = e.f32(layer.array.weights).slice();
    const x = e.arena.tensor([4, 40]);
    e.write(
      x,
      Float32Array.from({ length: 160 }, (_, i) => Math.abs(Math.sin(i)) + 0.2),
    );
    net.trainStep(x, Int32Array.from([0, 1, 2, 0]), 4);
    const a = e.f32(fast.weights);
    const c = e.f32(layer.array.weights);
    // One code of a 6-bit ADC over one cell's [0, Gmax]: the weight range (±2.5) spans (Gmax − Gmin)/Gmax of 63 codes.
    const code = (2 * config.weightRange) / 63 / (1 - config.device.gMin / config.device.gMax);
    let largest = 0;
    for (let i = 0; i < a.length; i++) {
      const moved = (c[i] as number) - (before[i] as number);
      expect(Math.abs(moved - (a[i] as number)), `weight ${i}`).toBeLessThanOrEqual(code);
      largest = Math.max(largest, Math.abs(moved));
    }
    expect(largest).toBeGreaterThan(code);
  });

  it("recovers the accuracy plain SGD loses on a strongly asymmetric preset (PCMO, NL 3.68/−6.76, batch 1)", async () => {
    // Batch-1 updates are noisy; on PCMO every up/down pair drags a weight toward the device's symmetric point
    // (not weight 0), so SGD drifts. Tiki-Taka's A, zero-shifted to that point, filters the noise before it
    // reaches the weights. Measured, digits, seeds 1–4: ideal 86.7–89.7 %, SGD 63.9–70.6 %, Tiki-Taka 80.6–85.6 %.
    const data = await loadDigits();
    const base = {
      device: "pcmo",
      batch: 1,
      epochs: 5,
      lr: 0.02,
      momentum: 0,
      lrSchedule: "constant",
      model: "mlp:64-64-10",
    } as const;
    const accuracy = async (over: object) => train(await loadEngine(), data, resolveRunConfig({ ...base, ...over })).test_accuracy;
    const ideal = await accuracy({ device: "ideal" });
    const sgd = await accuracy({});
    const tikiTaka = await accuracy({ optimizer: "tiki-taka", optimizerOptions: { transferLr: 0.1 } });
    expect(ideal - sgd, `ideal ${ideal}, sgd ${sgd}`).toBeGreaterThan(0.12);
    expect(tikiTaka - sgd, `tiki-taka ${tikiTaka}, sgd ${sgd}`).toBeGreaterThan(0.08);
    expect(ideal - tikiTaka, `ideal ${ideal}, tiki-taka ${tikiTaka}`).toBeLessThan(0.08);
  });

  it("the update goes to the fast array A; a transfer adds transferLr × A's rows, as read, to the weights; transferEvery spaces them", async () => {
    for (const transferEvery of [1, 2]) {
      const e = await loadEngine();
      const config = {
        ...resolveRunConfig({
          device: { preset: "ideal", levelsLtp: 4096, levelsLtd: 4096 },
          algo: "bp",
          batch: 4,
          lr: 0.5,
          momentum: 0,
          rounding: "nearest",
          optimizer: "tiki-taka",
          optimizerOptions: { transferRows: 6, transferLr: 0.5, transferEvery },
        }),
        model: "mlp:5-4-3",
      };
      const net = buildNetwork(e, config);
      const fast = net.fastArrays?.[1];
      const layer = net.layers[1];
      if (!fast || !layer) throw new Error("no fast array");
      expect(Array.from(e.f32(fast.weights)).every((v) => Math.abs(v) < 1e-6)).toBe(true); // zero-shifted start
      const before = e.f32(layer.array.weights).slice();
      const x = e.arena.tensor([4, 5]);
      e.write(
        x,
        Float32Array.from({ length: 20 }, (_, i) => Math.cos(i) + 0.5),
      );
      net.trainStep(x, Int32Array.from([0, 1, 2, 0]), 4);
      const a = e.f32(fast.weights);
      const grad = e.f32(layer.grad);
      const c = e.f32(layer.array.weights);
      for (let i = 0; i < a.length; i++) {
        // A took the desired change; C got half of A (all 5 rows and the bias row transferred) or nothing yet.
        expect(a[i] as number).toBeCloseTo((-0.5 * (grad[i] as number)) / layer.scale, 3);
        const moved = (c[i] as number) - (before[i] as number);
        expect(moved).toBeCloseTo(transferEvery === 1 ? 0.5 * (a[i] as number) : 0, 3);
      }
    }
  });
});
