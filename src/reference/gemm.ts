// The matrix product in plain TypeScript: the float64 twin the kernel tests compare with (value and
// the error bound of a sequential float32 sum), and, over rows [0, rows), the plain-JavaScript peer
// `npm run bench` times. Not part of the package.

/** An entry of op(A)·op(B) (row-major operands with leading dimensions lda, ldb): the float64 sum and Σ|a·b|. */
function entry(
  transA: boolean,
  transB: boolean,
  i: number,
  j: number,
  K: number,
  a: ArrayLike<number>,
  lda: number,
  b: ArrayLike<number>,
  ldb: number,
): [number, number] {
  let s = 0;
  let sAbs = 0;
  for (let k = 0; k < K; k++) {
    const p =
      (transA ? (a[k * lda + i] as number) : (a[i * lda + k] as number)) *
      (transB ? (b[j * ldb + k] as number) : (b[k * ldb + j] as number));
    s += p;
    sAbs += Math.abs(p);
  }
  return [s, sAbs];
}

/** The bound on a length-K float32 sum of terms whose magnitudes add to `magnitude`, plus a few roundings (α, β, K-block merges). */
function sumBound(K: number, magnitude: number): number {
  return (K + 4 + Math.ceil(K / 256)) * 2 ** -24 * magnitude + 1e-30;
}

/**
 * C = α·op(A)·op(B) + β·C (C row-major, ldc) in float64, with the per-element bound of the kernel's
 * float32 arithmetic: a sequential length-K sum (|err| ≤ K·u·Σ|ab|) plus a few roundings for α, β and
 * the merges of K blocks. A fused multiply-add only rounds less, so the bound holds for it too.
 */
export function gemmRef(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  a: ArrayLike<number>,
  lda: number,
  b: ArrayLike<number>,
  ldb: number,
  beta: number,
  c: ArrayLike<number>,
  ldc: number,
): { value: Float64Array; tol: Float64Array } {
  const value = new Float64Array(M * N);
  const tol = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      const [s, sAbs] = entry(transA, transB, i, j, K, a, lda, b, ldb);
      const c0 = beta === 0 ? 0 : (c[i * ldc + j] as number);
      value[i * N + j] = alpha * s + beta * c0;
      tol[i * N + j] = sumBound(K, Math.abs(alpha) * sAbs + Math.abs(beta * c0));
    }
  }
  return { value, tol };
}

/** out[i, j] = (op(A)·op(B))[i, j] for rows [0, rows): the triple loop a JavaScript user writes (tight operands). */
export function gemmRows(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  out: Float32Array,
  rows: number,
): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++)
        s +=
          (transA ? (a[k * M + i] as number) : (a[i * K + k] as number)) * (transB ? (b[j * K + k] as number) : (b[k * N + j] as number));
      out[i * N + j] = s;
    }
  }
}

/** Checks sampled entries of `out` (rows [0, rows)) against the float64 product within gemmRef's bound; the first that is not, or undefined. */
export function firstGemmMismatch(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  out: ArrayLike<number>,
  rows: number,
): string | undefined {
  for (let t = 0; t < 64; t++) {
    const i = (t * 7919) % rows;
    const j = (t * 104729) % N;
    const [s, sAbs] = entry(transA, transB, i, j, K, a, transA ? M : K, b, transB ? K : N);
    const tol = sumBound(K, sAbs);
    const got = out[i * N + j] as number;
    if (!(Math.abs(got - s) <= tol)) return `C[${i},${j}] = ${got}, float64 reference ${s}, allowed error ${tol.toExponential(2)}`;
  }
  return undefined;
}
