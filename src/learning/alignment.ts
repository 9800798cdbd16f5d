// Alignment diagnostics: how closely a rule's learning signal follows the true gradient. On a fixed
// probe batch, in float64 with the weights (and feedback matrices) as the arrays realize them and
// ideal reads, the rule's hidden δ and weight update aᵀ·δ are compared with backpropagation's.
// 0° is the gradient's direction; 90° carries no information about it (Lillicrap et al. 2016 and
// Nøkland 2016 plot the same angle).

import type { Engine } from "../engine/engine.js";
import { portableAcosDeg, portableExp, portableSigmoid, portableTanh } from "../engine/portable-math.js";
import type { DenseLayer } from "../nn/dense.js";
import type { Network } from "../nn/network.js";
import { followWeights } from "./feedback.js";

export interface LayerAlignment {
  /** 1-based weight layer. */
  layer: number;
  /** Angle (degrees) between the rule's weight update and BP's, summed over the probe batch. */
  update_deg: number;
  /** Angle (degrees) between the rule's δ and BP's over the probe batch. */
  delta_deg: number;
}

type Matrix = Float64Array[];

function rowsOfF32(values: Float32Array, rows: number, cols: number, scale: number, keepRows = rows): Matrix {
  return Array.from({ length: keepRows }, (_, i) => Float64Array.from(values.subarray(i * cols, i * cols + cols), (v) => v * scale));
}

/** a (n × k) · b (k × m). */
function mul(a: Matrix, b: Matrix): Matrix {
  const m = b[0]?.length ?? 0;
  return a.map((row) => {
    const out = new Float64Array(m);
    row.forEach((v, k) => {
      if (v === 0) return;
      const bk = b[k] as Float64Array;
      for (let j = 0; j < m; j++) out[j] = (out[j] as number) + v * (bk[j] as number);
    });
    return out;
  });
}

/** a (n × k) · bᵀ (b: m × k, first k columns used). */
function mulT(a: Matrix, b: Matrix): Matrix {
  return a.map((row) =>
    Float64Array.from(b, (bj) => {
      let s = 0;
      for (let k = 0; k < row.length; k++) s += (row[k] as number) * (bj[k] as number);
      return s;
    }),
  );
}

/** aᵀ·d summed over the batch, flattened. */
function update(a: Matrix, d: Matrix): Float64Array {
  const n = a[0]?.length ?? 0;
  const m = d[0]?.length ?? 0;
  const out = new Float64Array(n * m);
  a.forEach((ar, b) => {
    const dr = d[b] as Float64Array;
    for (let i = 0; i < n; i++) {
      const v = ar[i] as number;
      if (v === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] = (out[i * m + j] as number) + v * (dr[j] as number);
    }
  });
  return out;
}

function flat(m: Matrix): Float64Array {
  const out = new Float64Array(m.length * (m[0]?.length ?? 0));
  m.forEach((r, i) => {
    out.set(r, i * r.length);
  });
  return out;
}

/** Angle between two vectors in degrees (90 when either is zero). */
export function angleDeg(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return 90;
  return portableAcosDeg(dot / Math.sqrt(na * nb));
}

/**
 * Per hidden layer, the angles between the rule's δ and update and BP's, on `count` probe rows of
 * `x` (count × inputs) with `labels`. Fully connected networks only (undefined otherwise), and
 * only rules whose hidden layers learn (an empty list otherwise).
 */
export function probeAlignment(
  engine: Engine,
  net: Network,
  x: Float32Array,
  labels: Int32Array,
  count: number,
): LayerAlignment[] | undefined {
  if (net.layers.some((l) => l.kind !== "dense")) return undefined;
  const layers = net.layers as DenseLayer[];
  const rule = net.rule.hidden;
  if (rule.kind === "none") return [];
  const o = net.options;
  const L = layers.length;
  const classes = layers[L - 1]?.outputs as number;
  const act = o.activation;
  const f = (z: number) => (act === "relu" ? Math.max(0, z) : act === "sigmoid" ? portableSigmoid(z) : portableTanh(z));
  const df = (z: number, a: number) => (act === "relu" ? (z > 0 ? 1 : 0) : act === "sigmoid" ? a * (1 - a) : 1 - a * a);
  // Effective weights as realized, rows × outputs (the bias row last when there is one).
  const weights = layers.map((l) => rowsOfF32(engine.f32(l.array.weights), l.rows, l.outputs, l.scale));

  // Forward, as the network reads: inputs with the bias 1, binarized hidden activations when set.
  const inputs: Matrix[] = [];
  const analogInputs: Matrix[] = [];
  const pre: Matrix[] = [];
  const post: Matrix[] = [];
  let a: Matrix = Array.from({ length: count }, (_, b) =>
    Float64Array.from(x.subarray(b * (layers[0]?.inputs ?? 0), (b + 1) * (layers[0]?.inputs ?? 0))),
  );
  let analog = a;
  for (let l = 0; l < L; l++) {
    const withBias = (m: Matrix) => (o.bias ? m.map((r) => Float64Array.from([...r, 1])) : m);
    inputs.push(withBias(a));
    analogInputs.push(withBias(analog));
    const z = mul(inputs[l] as Matrix, weights[l] as Matrix);
    pre.push(z);
    if (l === L - 1) break;
    analog = z.map((r) => r.map(f));
    post.push(analog);
    const t = o.hiddenThreshold;
    a = t === undefined ? analog : analog.map((r) => r.map((v) => (v >= t ? 1 : 0)));
  }
  // Output error of the mean loss (as the network's lossAndError) and DRTP's target signal.
  const logits = pre[L - 1] as Matrix;
  const error: Matrix = logits.map((row, b) => {
    const y = labels[b] as number;
    if (o.loss === "cross-entropy") {
      const m = Math.max(...row);
      const ex = row.map((v) => portableExp(v - m));
      const sum = ex.reduce((p, q) => p + q, 0);
      return ex.map((v, c) => (v / sum - (c === y ? 1 : 0)) / count);
    }
    if (o.outputActivation === "sigmoid") {
      return row.map((z, c) => {
        const s = portableSigmoid(z);
        return ((s - (c === y ? 1 : 0)) * s * (1 - s)) / count;
      });
    }
    return row.map((z, c) => (z - (c === y ? 1 : 0)) / count);
  });
  const target: Matrix = Array.from({ length: count }, (_, b) =>
    Float64Array.from({ length: classes }, (_, c) => (c === labels[b] ? -1 / count : 0)),
  );

  const gate = (signal: Matrix, l: number): Matrix =>
    signal.map((r, b) =>
      r.map((v, j) => v * df(((pre[l] as Matrix)[b] as Float64Array)[j] as number, ((post[l] as Matrix)[b] as Float64Array)[j] as number)),
    );
  const feedbackOf = (l: number): Matrix => {
    const fb = layers[l]?.feedback;
    if (!fb) throw new Error(`alignment: layer ${l + 1} has no feedback matrix`);
    // Sign-symmetric B as the next step would read it (rebuilt for the same update: the same draws).
    followWeights(engine, o, fb, layers[l + 1] as DenseLayer, net.updatesDone);
    if (fb.matrix) return rowsOfF32(engine.f32(fb.matrix), fb.inputs, fb.outputs, 1);
    if (!fb.array) throw new Error(`alignment: layer ${l + 1}'s feedback has no storage`);
    return rowsOfF32(engine.f32(fb.array.weights), fb.inputs, fb.outputs, fb.scale);
  };

  const bp: Matrix[] = new Array(L);
  const mine: Matrix[] = new Array(L);
  bp[L - 1] = error;
  mine[L - 1] = error;
  for (let l = L - 2; l >= 0; l--) {
    const next = weights[l + 1] as Matrix;
    const units = layers[l]?.outputs as number;
    // BP: δ_{l+1} · W_{l+1}ᵀ over this layer's units (not the bias row).
    bp[l] = gate(mulT(bp[l + 1] as Matrix, next.slice(0, units)), l);
    switch (rule.kind) {
      case "next-layer":
        mine[l] = gate(
          rule.matrix.kind === "weights" ? mulT(mine[l + 1] as Matrix, next.slice(0, units)) : mul(mine[l + 1] as Matrix, feedbackOf(l)),
          l,
        );
        break;
      case "direct":
        mine[l] = gate(mul(rule.input === "output-error" ? error : target, feedbackOf(l)), l);
        break;
    }
  }
  const out: LayerAlignment[] = [];
  for (let l = 0; l < L - 1; l++) {
    const input = (layers[l]?.analogInput ? analogInputs[l] : inputs[l]) as Matrix;
    out.push({
      layer: l + 1,
      update_deg: angleDeg(update(input, mine[l] as Matrix), update(input, bp[l] as Matrix)),
      delta_deg: angleDeg(flat(mine[l] as Matrix), flat(bp[l] as Matrix)),
    });
  }
  return out;
}
