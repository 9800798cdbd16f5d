// The wasm module's exports as TypeScript sees them. Pointers (`ptr`) are byte
// offsets into the module's memory; booleans cross as 0 / 1. A test checks that
// this list and the module's export list are the same.

type ptr = number;
type bool = number;

export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): ptr;

  // gemm.ts — C = α·op(A)·op(B) + β·C, row-major f32
  MR: WebAssembly.Global;
  NR: WebAssembly.Global;
  KC: WebAssembly.Global;
  MC: WebAssembly.Global;
  NC: WebAssembly.Global;
  gemmWorkspaceBytes(): number;
  packedBBytes(K: number, N: number): number;
  gemm(
    transA: bool,
    transB: bool,
    M: number,
    N: number,
    K: number,
    alpha: number,
    a: ptr,
    lda: number,
    b: ptr,
    ldb: number,
    beta: number,
    c: ptr,
    ldc: number,
    work: ptr,
  ): void;
  packB(transB: bool, K: number, N: number, b: ptr, ldb: number, dst: ptr): void;
  gemmPackedB(
    transA: bool,
    M: number,
    N: number,
    K: number,
    alpha: number,
    a: ptr,
    lda: number,
    bPacked: ptr,
    beta: number,
    c: ptr,
    ldc: number,
    work: ptr,
  ): void;

  // elementwise.ts
  fill(out: ptr, value: number, n: number): void;
  add(out: ptr, a: ptr, b: ptr, n: number): void;
  scale(out: ptr, x: ptr, s: number, n: number): void;
  axpy(y: ptr, a: number, x: ptr, n: number): void;
  clamp(out: ptr, x: ptr, lo: number, hi: number, n: number): void;
  relu(y: ptr, x: ptr, n: number): void;
  reluBackward(dx: ptr, dy: ptr, x: ptr, n: number): void;
  sigmoid(y: ptr, x: ptr, n: number): void;
  sigmoidBackward(dx: ptr, dy: ptr, y: ptr, n: number): void;
  tanh(y: ptr, x: ptr, n: number): void;
  tanhBackward(dx: ptr, dy: ptr, y: ptr, n: number): void;

  // loss.ts
  softmaxCrossEntropy(logits: ptr, labels: ptr, rows: number, cols: number, probs: ptr, grad: ptr): number;
  squaredError(pred: ptr, target: ptr, n: number, grad: ptr): number;
  argmaxRows(x: ptr, rows: number, cols: number, out: ptr): void;

  // random.ts — Philox4x32-10; `start` is an element index below 2^53; seed, stream, step are u32
  philoxBlock(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: ptr): void;
  randomBits(seed: number, stream: number, step: number, start: number, n: number, out: ptr): void;
  randomUniform(seed: number, stream: number, step: number, start: number, n: number, out: ptr): void;
  randomNormal(seed: number, stream: number, step: number, start: number, n: number, out: ptr): void;
}

/** Every export the module must provide, in the order above. */
export const KERNEL_EXPORT_NAMES: readonly (keyof KernelExports)[] = [
  "memory",
  "heapBase",
  "MR",
  "NR",
  "KC",
  "MC",
  "NC",
  "gemmWorkspaceBytes",
  "packedBBytes",
  "gemm",
  "packB",
  "gemmPackedB",
  "fill",
  "add",
  "scale",
  "axpy",
  "clamp",
  "relu",
  "reluBackward",
  "sigmoid",
  "sigmoidBackward",
  "tanh",
  "tanhBackward",
  "softmaxCrossEntropy",
  "squaredError",
  "argmaxRows",
  "philoxBlock",
  "randomBits",
  "randomUniform",
  "randomNormal",
];
