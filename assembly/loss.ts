// Losses over a batch (rows × cols, row-major) and the row-wise argmax.

/**
 * Row-wise softmax of `logits` into `probs`, and the cross-entropy against the
 * integer class `labels` (i32, one per row). Returns the loss summed over rows,
 * each row's −log p[label] computed as logsumexp − logit (no log of 0). When
 * `grad` is not 0 it receives ∂loss/∂logits = probs − onehot(labels).
 * `probs` and `grad` may be the same buffer; `probs` may be `logits`.
 */
export function softmaxCrossEntropy(
  logits: usize,
  labels: usize,
  rows: i32,
  cols: i32,
  probs: usize,
  grad: usize,
): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const x = logits + <usize>r * cols * 4;
    const p = probs + <usize>r * cols * 4;
    const label = load<i32>(labels + (<usize>r << 2));
    assert(label >= 0 && label < cols, "softmaxCrossEntropy: label out of range");
    let mx = load<f32>(x);
    for (let j = 1; j < cols; j++) mx = max(mx, load<f32>(x + (<usize>j << 2)));
    const target = load<f32>(x + (<usize>label << 2)) - mx;
    let sum: f32 = 0;
    for (let j = 0; j < cols; j++) {
      const e = Mathf.exp(load<f32>(x + (<usize>j << 2)) - mx);
      store<f32>(p + (<usize>j << 2), e);
      sum += e;
    }
    const inv: f32 = 1 / sum;
    for (let j = 0; j < cols; j++) store<f32>(p + (<usize>j << 2), load<f32>(p + (<usize>j << 2)) * inv);
    total += <f64>(Mathf.log(sum) - target);
    if (grad != 0) {
      const g = grad + <usize>r * cols * 4;
      for (let j = 0; j < cols; j++) {
        const pj = load<f32>(p + (<usize>j << 2));
        store<f32>(g + (<usize>j << 2), j == label ? pj - 1 : pj);
      }
    }
  }
  return total;
}

/**
 * Summed squared error ½·Σ(pred − target)² over n elements (the SSE loss of
 * DNN+NeuroSim); when `grad` is not 0 it receives pred − target.
 */
export function squaredError(pred: usize, target: usize, n: i32, grad: usize): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(pred + o) - load<f32>(target + o);
    total += 0.5 * <f64>d * <f64>d;
    if (grad != 0) store<f32>(grad + o, d);
  }
  return total;
}

/** out[r] = index of the largest element of row r (the first one on ties). */
export function argmaxRows(x: usize, rows: i32, cols: i32, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * cols * 4;
    let best = 0;
    let bestValue = load<f32>(row);
    for (let j = 1; j < cols; j++) {
      const v = load<f32>(row + (<usize>j << 2));
      if (v > bestValue) {
        bestValue = v;
        best = j;
      }
    }
    store<i32>(out + (<usize>r << 2), best);
  }
}
