// Conductances ↔ weights and the helpers of one-shot reads: the weights a pair of columns (or a
// column and its reference) realize, transposed copies, input row sums and active-line counts.

/** w[i] = (g⁺[i] − g⁻[i])·gain, or (g⁺[i] − gRef)·gain when gMinus is 0: the weights the conductances realize. */
export function conductanceToWeight(n: i32, gPlus: usize, gMinus: usize, gRef: f32, gain: f32, w: usize): void {
  convertSpan(0, n, gPlus, gMinus, gRef, gain, w);
}

/**
 * conductanceToWeight over the rows (cols wide) that were programmed: row r
 * when any of the given i32 row arrays (0: absent) is nonzero at r — the rows
 * with a SET or RESET pulse of `program`. The other rows' conductances did not
 * move, so their weights stand.
 */
export function conductanceToWeightRows(
  rows: i32,
  cols: i32,
  gPlus: usize,
  gMinus: usize,
  gRef: f32,
  gain: f32,
  w: usize,
  rowsA: usize,
  rowsB: usize,
  rowsC: usize,
  rowsD: usize,
): void {
  for (let r = 0; r < rows; r++) {
    const o = <usize>r << 2;
    let written = load<i32>(rowsA + o) | load<i32>(rowsB + o);
    if (rowsC != 0) written |= load<i32>(rowsC + o);
    if (rowsD != 0) written |= load<i32>(rowsD + o);
    if (written != 0) convertSpan(r * cols, r * cols + cols, gPlus, gMinus, gRef, gain, w);
  }
}

// The same f32 operations four lanes at a time.
@inline
function convertSpan(start: i32, end: i32, gPlus: usize, gMinus: usize, gRef: f32, gain: f32, w: usize): void {
  const vRef = f32x4.splat(gRef);
  const vGain = f32x4.splat(gain);
  let i = start;
  if (gMinus != 0) {
    for (; i + 4 <= end; i += 4) {
      const o = <usize>i << 2;
      v128.store(w + o, f32x4.mul(f32x4.sub(v128.load(gPlus + o), v128.load(gMinus + o)), vGain));
    }
  } else {
    for (; i + 4 <= end; i += 4) {
      const o = <usize>i << 2;
      v128.store(w + o, f32x4.mul(f32x4.sub(v128.load(gPlus + o), vRef), vGain));
    }
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const ref = gMinus != 0 ? load<f32>(gMinus + o) : gRef;
    store<f32>(w + o, (load<f32>(gPlus + o) - ref) * gain);
  }
}

/** out (cols × rows) = inᵀ (rows × cols), both contiguous: keeps a transposed copy for transposed reads. */
export function transpose(rows: i32, cols: i32, src: usize, dst: usize): void {
  const T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = min(rows, i0 + T);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = min(cols, j0 + T);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          store<f32>(dst + (<usize>(j * rows + i) << 2), load<f32>(src + (<usize>(i * cols + j) << 2)));
        }
      }
    }
  }
}

/** sums[b] = Σ x[b, k0 : k0 + len] (the reference column's input for one-shot reads). */
export function rowSums(batch: i32, x: usize, ldx: i32, k0: i32, len: i32, sums: usize): void {
  for (let b = 0; b < batch; b++) {
    const row = x + (<usize>b * ldx + k0) * 4;
    let s: f32 = 0;
    for (let i = 0; i < len; i++) s += load<f32>(row + (<usize>i << 2));
    store<f32>(sums + (<usize>b << 2), s);
  }
}

/** Nonzero elements of x[b, k0 : k0 + len] summed over the batch rows (active input lines). */
export function countNonzero(batch: i32, x: usize, ldx: i32, k0: i32, len: i32): i32 {
  let count = 0;
  for (let b = 0; b < batch; b++) {
    const row = x + (<usize>b * ldx + k0) * 4;
    for (let i = 0; i < len; i++) if (load<f32>(row + (<usize>i << 2)) != 0) count++;
  }
  return count;
}

