import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { type Engine, KernelError, loadEngine, type Tensor } from "../src/index.js";
import { engine, expectClose, lcgFill, tensorOf } from "./helpers.js";

// The losses against float64 references: softmax cross-entropy (log-sum-exp),
// squared error, and the row-wise argmax.

const SHAPES: readonly [number, number][] = [
  [1, 1],
  [1, 10],
  [3, 5],
  [17, 10],
  [64, 129],
];

/** f32 unit roundoff. */
const U = 2 ** -24;

/** Logit sets: ordinary, widely spread, all huge, all hugely negative, and rows with one ±1000 outlier. */
const LOGIT_KINDS: readonly { name: string; make(rows: number, cols: number, salt: number): Float32Array }[] = [
  { name: "in [−5, 5)", make: (r, c, s) => lcgFill(r * c, s, 5) },
  { name: "in [−1000, 1000)", make: (r, c, s) => lcgFill(r * c, s, 1000) },
  { name: "near +1000", make: (r, c, s) => lcgFill(r * c, s, 3).map((v) => v + 1000) },
  { name: "near −1000", make: (r, c, s) => lcgFill(r * c, s, 3).map((v) => v - 1000) },
  {
    name: "one ±1000 per row",
    make: (r, c, s) => {
      const x = lcgFill(r * c, s, 2);
      for (let i = 0; i < r; i++) x[i * c + ((i * 7) % c)] = i % 2 === 0 ? 1000 : -1000;
      return x;
    },
  },
];

function labelsFor(rows: number, cols: number, salt: number): Int32Array {
  const u = lcgFill(rows, salt);
  return Int32Array.from(u, (v) => Math.min(cols - 1, Math.floor(((v + 1) / 2) * cols)));
}

interface SoftmaxRef {
  loss: number;
  lossTol: number;
  probs: Float64Array;
  probsTol: Float64Array;
  grad: Float64Array;
  gradTol: Float64Array;
}

/**
 * Row-wise softmax and summed cross-entropy in float64 by log-sum-exp:
 * loss_r = log Σ_j exp(x_j) − x_label, probs_j = exp(x_j − lse). The
 * tolerances bound a float32 evaluation: the sum of `cols` exponentials, a
 * logarithm, and the rounding of the shifted logits (proportional to their size).
 */
function softmaxRef(x: Float32Array, labels: Int32Array, rows: number, cols: number): SoftmaxRef {
  const probs = new Float64Array(rows * cols);
  const probsTol = new Float64Array(rows * cols);
  const grad = new Float64Array(rows * cols);
  const gradTol = new Float64Array(rows * cols);
  let loss = 0;
  let lossTol = 0;
  for (let r = 0; r < rows; r++) {
    const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
    const label = labels[r] as number;
    const mx = Math.max(...row);
    let sum = 0;
    for (const v of row) sum += Math.exp(v - mx);
    const lse = mx + Math.log(sum);
    const target = (row[label] as number) - mx;
    loss += lse - (row[label] as number);
    lossTol += U * (4 * cols + 16 + 4 * (Math.log(sum) + Math.abs(target)));
    for (let j = 0; j < cols; j++) {
      const v = row[j] as number;
      const p = Math.exp(v - lse);
      const tol = p * U * (4 * cols + 16 + 2 * Math.abs(v - mx)) + 1e-38;
      probs[r * cols + j] = p;
      probsTol[r * cols + j] = tol;
      grad[r * cols + j] = j === label ? p - 1 : p;
      gradTol[r * cols + j] = tol + U;
    }
  }
  return { loss, lossTol, probs, probsTol, grad, gradTol };
}

/** Bytes [0, arena.base): the module's static data and the engine's scratch. A kernel handed pointer 0 must not write here. */
function lowMemory(e: Engine): Uint8Array {
  return new Uint8Array(e.memory.buffer, 0, e.arena.base).slice();
}

function expectSameBytes(a: Uint8Array, b: Uint8Array, label: string): void {
  expect(a.length, label).toBe(b.length);
  if (Buffer.compare(a, b) !== 0) expect.fail(`${label}: byte ${a.findIndex((v, i) => v !== b[i])} changed`);
}

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

describe("softmaxCrossEntropy", () => {
  let e: Engine;
  beforeAll(async () => {
    e = await engine();
  });

  it("probs, summed loss (log-sum-exp) and gradient probs − onehot match float64, logits up to ±1000 included", () => {
    let salt = 100;
    for (const [rows, cols] of SHAPES) {
      for (const kind of LOGIT_KINDS) {
        salt++;
        const label = `${rows}×${cols} logits ${kind.name}`;
        const mark = e.arena.mark();
        const xData = kind.make(rows, cols, salt);
        const lData = labelsFor(rows, cols, salt);
        const x = tensorOf(e, [rows, cols], xData);
        const labels = tensorOf(e, [rows], lData, "i32");
        const probs = e.arena.tensor([rows, cols]);
        const grad = e.arena.tensor([rows, cols]);
        const loss = e.kernels.softmaxCrossEntropy(x.offset, labels.offset, rows, cols, probs.offset, grad.offset);
        const ref = softmaxRef(xData, lData, rows, cols);

        expect(Number.isFinite(loss), `${label}: loss ${loss}`).toBe(true);
        expect(Math.abs(loss - ref.loss), `${label}: loss ${loss}, want ${ref.loss}`).toBeLessThanOrEqual(ref.lossTol);
        const p = e.f32(probs);
        const g = e.f32(grad);
        expectClose(p, ref.probs, ref.probsTol, `${label}: probs`);
        expectClose(g, ref.grad, ref.gradTol, `${label}: grad`);
        // The gradient is exactly the stored probabilities minus the one-hot, rounded once.
        for (let r = 0; r < rows; r++) {
          let sum = 0;
          for (let j = 0; j < cols; j++) {
            const pj = p[r * cols + j] as number;
            sum += pj;
            const want = Math.fround(j === lData[r] ? pj - 1 : pj);
            if (g[r * cols + j] !== want) expect.fail(`${label}: grad[${r}, ${j}] = ${g[r * cols + j]}, probs − onehot = ${want}`);
            if (!(pj >= 0 && pj <= 1)) expect.fail(`${label}: probs[${r}, ${j}] = ${pj}`);
          }
          expect(Math.abs(sum - 1), `${label}: row ${r} sums to ${sum}`).toBeLessThanOrEqual((cols + 4) * 4 * U);
        }
        // The logits are read only.
        expect(Array.from(e.f32(x))).toEqual(Array.from(xData));
        e.arena.release(mark);
      }
    }
  });

  it("a single class gives loss 0 and probability 1, whatever the logit", () => {
    for (const v of [0, 1000, -1000, 3.4e38]) {
      const mark = e.arena.mark();
      const x = tensorOf(e, [2, 1], [v, -v]);
      const labels = tensorOf(e, [2], [0, 0], "i32");
      const probs = e.arena.tensor([2, 1]);
      const grad = e.arena.tensor([2, 1]);
      expect(e.kernels.softmaxCrossEntropy(x.offset, labels.offset, 2, 1, probs.offset, grad.offset), `logit ${v}`).toBe(0);
      expect(Array.from(e.f32(probs))).toEqual([1, 1]);
      expect(Array.from(e.f32(grad))).toEqual([0, 0]);
      e.arena.release(mark);
    }
  });

  it("two classes at ±1000: loss is 2000 per row (a naive softmax would give ∞ or NaN)", () => {
    const mark = e.arena.mark();
    const x = tensorOf(e, [2, 2], [1000, -1000, -1000, 1000]);
    const labels = tensorOf(e, [2], [1, 1], "i32");
    const probs = e.arena.tensor([2, 2]);
    const loss = e.kernels.softmaxCrossEntropy(x.offset, labels.offset, 2, 2, probs.offset, 0);
    expect(loss).toBe(2000); // row 0: log(1 + e^−2000) − (−1000 − 1000) = 2000; row 1: log(1 + e^−2000) − 0 = 0
    expect(Array.from(e.f32(probs))).toEqual([1, 0, 0, 1]);
    e.arena.release(mark);
  });

  it("with grad pointer 0 writes no gradient, and gives the same loss and probs", () => {
    for (const [rows, cols] of SHAPES) {
      const mark = e.arena.mark();
      const xData = lcgFill(rows * cols, rows + cols, 4);
      const lData = labelsFor(rows, cols, rows * cols);
      const x = tensorOf(e, [rows, cols], xData);
      const labels = tensorOf(e, [rows], lData, "i32");
      const probs1 = e.arena.tensor([rows, cols]);
      const grad1 = e.arena.tensor([rows, cols]);
      const probs0 = e.arena.tensor([rows, cols]);
      const loss1 = e.kernels.softmaxCrossEntropy(x.offset, labels.offset, rows, cols, probs1.offset, grad1.offset);
      const before = lowMemory(e);
      const loss0 = e.kernels.softmaxCrossEntropy(x.offset, labels.offset, rows, cols, probs0.offset, 0);
      expectSameBytes(lowMemory(e), before, `${rows}×${cols} grad = 0`);
      expect(loss0).toBe(loss1);
      expect(bits(e.f32(probs0))).toEqual(bits(e.f32(probs1)));
      e.arena.release(mark);
    }
  });

  it("probs and grad may be one buffer, and probs may be the logits: results are bit-identical to separate buffers", () => {
    for (const [rows, cols] of SHAPES) {
      const mark = e.arena.mark();
      const xData = lcgFill(rows * cols, 7 * rows + cols, 30);
      const lData = labelsFor(rows, cols, rows + 3);
      const x = tensorOf(e, [rows, cols], xData);
      const labels = tensorOf(e, [rows], lData, "i32");
      const probs = e.arena.tensor([rows, cols]);
      const grad = e.arena.tensor([rows, cols]);
      const loss = e.kernels.softmaxCrossEntropy(x.offset, labels.offset, rows, cols, probs.offset, grad.offset);
      const wantProbs = bits(e.f32(probs));
      const wantGrad = bits(e.f32(grad));

      // probs == grad: the buffer ends up holding the gradient
      const shared = e.arena.tensor([rows, cols]);
      expect(e.kernels.softmaxCrossEntropy(x.offset, labels.offset, rows, cols, shared.offset, shared.offset)).toBe(loss);
      expect(bits(e.f32(shared)), `${rows}×${cols} probs == grad`).toEqual(wantGrad);

      // probs == logits
      const inPlace = tensorOf(e, [rows, cols], xData);
      const grad2 = e.arena.tensor([rows, cols]);
      expect(e.kernels.softmaxCrossEntropy(inPlace.offset, labels.offset, rows, cols, inPlace.offset, grad2.offset)).toBe(loss);
      expect(bits(e.f32(inPlace)), `${rows}×${cols} probs == logits`).toEqual(wantProbs);
      expect(bits(e.f32(grad2)), `${rows}×${cols} probs == logits, grad`).toEqual(wantGrad);

      // logits == probs == grad
      const all = tensorOf(e, [rows, cols], xData);
      expect(e.kernels.softmaxCrossEntropy(all.offset, labels.offset, rows, cols, all.offset, all.offset)).toBe(loss);
      expect(bits(e.f32(all)), `${rows}×${cols} logits == probs == grad`).toEqual(wantGrad);
      e.arena.release(mark);
    }
  });

  it("the debug build gives bit-identical results to the release build", async () => {
    const d = await loadEngine({ debug: true });
    const [rows, cols] = [17, 10];
    const run = (en: Engine): [number, Uint32Array] => {
      const x = tensorOf(en, [rows, cols], lcgFill(rows * cols, 5, 50));
      const labels = tensorOf(en, [rows], labelsFor(rows, cols, 5), "i32");
      const grad = en.arena.tensor([rows, cols]);
      const loss = en.kernels.softmaxCrossEntropy(x.offset, labels.offset, rows, cols, grad.offset, grad.offset);
      return [loss, bits(en.f32(grad))];
    };
    const [lossD, gradD] = run(d);
    const [lossR, gradR] = run(e);
    expect(lossD).toBe(lossR);
    expect(gradD).toEqual(gradR);
  });

  it("the debug build turns a label out of range into a KernelError naming assembly/loss.ts and the assert's line", async () => {
    const d = await loadEngine({ debug: true });
    const source = readFileSync(new URL("../assembly/loss.ts", import.meta.url), "utf8").split("\n");
    const assertLine = source.findIndex((line) => line.includes("label out of range")) + 1;
    expect(assertLine).toBeGreaterThan(0);
    const [rows, cols] = [3, 5];
    const x = tensorOf(d, [rows, cols], lcgFill(rows * cols, 9));
    const probs = d.arena.tensor([rows, cols]);
    for (const bad of [cols, -1, 1 << 30]) {
      const labels = tensorOf(d, [rows], [0, bad, 1], "i32");
      let caught: unknown;
      try {
        d.kernels.softmaxCrossEntropy(x.offset, labels.offset, rows, cols, probs.offset, 0);
      } catch (error) {
        caught = error;
      }
      expect(caught, `label ${bad}`).toBeInstanceOf(KernelError);
      const message = (caught as Error).message;
      expect(message).toContain("label out of range");
      expect(message).toMatch(/assembly\/loss\.ts:\d+/);
      expect(Number(/assembly\/loss\.ts:(\d+)/.exec(message)?.[1]), message).toBe(assertLine);
    }
  });
});

describe("squaredError", () => {
  let e: Engine;
  beforeAll(async () => {
    e = await engine();
  });

  /** ½·Σ(p − t)² in float64 on the f32 inputs, and the bound on an f32 difference squared and summed in f64. */
  function sseRef(p: Float32Array, t: Float32Array): { loss: number; tol: number; grad: Float64Array } {
    let loss = 0;
    let tol = 0;
    const grad = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) {
      const d = (p[i] as number) - (t[i] as number);
      loss += 0.5 * d * d;
      tol += 0.5 * d * d * 3 * U;
      grad[i] = d;
    }
    return { loss, tol: tol + 1e-300, grad };
  }

  it("loss ½Σ(p − t)² and gradient p − t match float64; the f32 difference is exact where determined", () => {
    let salt = 200;
    for (const [rows, cols] of SHAPES) {
      for (const spread of [1, 1000]) {
        salt++;
        const n = rows * cols;
        const mark = e.arena.mark();
        const pData = lcgFill(n, salt, spread);
        const tData = lcgFill(n, salt + 50, spread);
        const pred = tensorOf(e, [rows, cols], pData);
        const target = tensorOf(e, [rows, cols], tData);
        const grad = e.arena.tensor([rows, cols]);
        const loss = e.kernels.squaredError(pred.offset, target.offset, n, grad.offset);
        const ref = sseRef(pData, tData);
        const label = `${rows}×${cols} spread ${spread}`;
        expect(Math.abs(loss - ref.loss), `${label}: loss ${loss}, want ${ref.loss}`).toBeLessThanOrEqual(ref.tol);
        const g = e.f32(grad);
        expectClose(
          g,
          ref.grad,
          ref.grad.map((d) => Math.abs(d) * U),
          `${label}: grad`,
        );
        // Each gradient element is the f32 difference; the loss is ½d² summed in f64 in order.
        let exact = 0;
        for (let i = 0; i < n; i++) {
          const d = Math.fround((pData[i] as number) - (tData[i] as number));
          if (g[i] !== d) expect.fail(`${label}: grad[${i}] = ${g[i]}, fround(p − t) = ${d}`);
          exact += 0.5 * d * d;
        }
        expect(loss, label).toBe(exact);
        e.arena.release(mark);
      }
    }
  });

  it("with grad pointer 0 writes no gradient and gives the same loss", () => {
    for (const [rows, cols] of SHAPES) {
      const n = rows * cols;
      const mark = e.arena.mark();
      const pred = tensorOf(e, [n], lcgFill(n, n + 1, 3));
      const target = tensorOf(e, [n], lcgFill(n, n + 2, 3));
      const grad = e.arena.tensor([n]);
      const withGrad = e.kernels.squaredError(pred.offset, target.offset, n, grad.offset);
      const before = lowMemory(e);
      expect(e.kernels.squaredError(pred.offset, target.offset, n, 0)).toBe(withGrad);
      expectSameBytes(lowMemory(e), before, `${rows}×${cols} grad = 0`);
      e.arena.release(mark);
    }
  });

  it("is 0 for n = 0 and for equal inputs", () => {
    const mark = e.arena.mark();
    const a = tensorOf(e, [5], [1, -2, 3, 0, 1e30]);
    const grad = tensorOf(e, [5], [9, 9, 9, 9, 9]);
    expect(e.kernels.squaredError(a.offset, a.offset, 0, grad.offset)).toBe(0);
    expect(Array.from(e.f32(grad))).toEqual([9, 9, 9, 9, 9]);
    expect(e.kernels.squaredError(a.offset, a.offset, 5, grad.offset)).toBe(0);
    expect(Array.from(e.f32(grad))).toEqual([0, 0, 0, 0, 0]);
    e.arena.release(mark);
  });
});

describe("argmaxRows", () => {
  let e: Engine;
  beforeAll(async () => {
    e = await engine();
  });

  /** Index of each row's largest value, the first one on ties. */
  function argmaxRef(x: Float32Array, rows: number, cols: number): number[] {
    const out: number[] = [];
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let j = 1; j < cols; j++) if ((x[r * cols + j] as number) > (x[r * cols + best] as number)) best = j;
      out.push(best);
    }
    return out;
  }

  function run(x: Tensor, rows: number, cols: number): number[] {
    // One extra cell after the output: it must keep its sentinel.
    const out = tensorOf(e, [rows + 1], new Array(rows + 1).fill(-99), "i32");
    e.kernels.argmaxRows(x.offset, rows, cols, out.offset);
    const got = Array.from(e.i32(out));
    expect(got[rows], "cell past the output").toBe(-99);
    return got.slice(0, rows);
  }

  it("matches the reference on every shape, with distinct values, many ties, and ±1000", () => {
    let salt = 300;
    for (const [rows, cols] of SHAPES) {
      const sets: [string, Float32Array][] = [
        ["distinct", lcgFill(rows * cols, ++salt, 5)],
        // Rounded to a few levels: most rows have their maximum several times.
        ["ties", lcgFill(rows * cols, ++salt, 2).map((v) => Math.round(v))],
        ["±1000", lcgFill(rows * cols, ++salt, 1000)],
        ["all equal", new Float32Array(rows * cols).fill(-3)],
      ];
      for (const [name, data] of sets) {
        const mark = e.arena.mark();
        const x = tensorOf(e, [rows, cols], data);
        expect(run(x, rows, cols), `${rows}×${cols} ${name}`).toEqual(argmaxRef(data, rows, cols));
        e.arena.release(mark);
      }
    }
  });

  it("returns the first index of the maximum on ties", () => {
    const mark = e.arena.mark();
    const rows = [
      [1, 5, 5, 2],
      [7, 7, 7, 7],
      [0, -1, 3, 3],
      [-0, 0, -1, -2], // −0 == 0: a tie
      [-Infinity, -Infinity, -5, -5],
    ];
    const x = tensorOf(e, [5, 4], rows.flat());
    expect(run(x, 5, 4)).toEqual([1, 0, 2, 0, 2]);
    e.arena.release(mark);
  });
});
