// The wasm module's exports as TypeScript sees them. Pointers (`ptr`) are byte
// offsets into the module's memory; booleans cross as 0 / 1. A test checks that
// this list and the module's export list are the same.

type ptr = number;
type bool = number;

export interface KernelExports extends BlockOffsetGlobals {
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
  binarize(y: ptr, x: ptr, n: number, threshold: number): void;
  relu(y: ptr, x: ptr, n: number): void;
  reluBackward(dx: ptr, dy: ptr, x: ptr, n: number): void;
  sigmoid(y: ptr, x: ptr, n: number): void;
  sigmoidBackward(dx: ptr, dy: ptr, y: ptr, n: number): void;
  tanh(y: ptr, x: ptr, n: number): void;
  tanhBackward(dx: ptr, dy: ptr, y: ptr, n: number): void;
  copyMatrix(rows: number, cols: number, src: ptr, lds: number, dst: ptr, ldd: number): void;
  momentum(v: ptr, g: ptr, mu: number, s: number, n: number): void;
  outer(m: number, n: number, x: ptr, y: ptr, s: number, out: ptr): void;
  signOfTransposed(rows: number, cols: number, w: ptr, ldw: number, u: ptr, mult: number, out: ptr): void;
  transposedChange(rows: number, cols: number, src: ptr, lds: number, s: number, decay: number, b: ptr, out: ptr): void;
  accumulateFire(n: number, chi: ptr, change: ptr, stepUp: number, stepDown: number, threshold: number, out: ptr): void;

  // loss.ts
  softmaxCrossEntropy(logits: ptr, labels: ptr, rows: number, cols: number, probs: ptr, grad: ptr): number;
  squaredError(pred: ptr, target: ptr, n: number, grad: ptr): number;
  argmaxRows(x: ptr, rows: number, cols: number, out: ptr): void;

  // random.ts — Philox4x32-10; `start` is an element index below 2^53; seed, stream, step are u32
  philoxBlock(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: ptr): void;
  randomBits(seed: number, stream: number, step: number, start: number, n: number, out: ptr): void;
  randomUniform(seed: number, stream: number, step: number, start: number, n: number, out: ptr): void;
  randomNormal(seed: number, stream: number, step: number, start: number, n: number, out: ptr): void;
  /** Box–Muller in f32 (polynomial log, tabulated sin/cos), one pair per Philox word (elements 2w, 2w + 1 from element w of randomBits): the C2C noise of `program`. */
  randomNormalFast(seed: number, stream: number, step: number, start: number, n: number, out: ptr): void;

  // device.ts — curve constants, D2D draws, programming (parameter block layout in src/device/array.ts)
  curveGap(a: number): number;
  nlToA(nl: number): number;
  aToNl(a: number): number;
  drawCurveConstants(n: number, nl: number, sigma: number, seed: number, stream: number, out: ptr): void;
  drawBounds(
    n: number,
    gMin: number,
    gMax: number,
    sigmaMin: number,
    sigmaMax: number,
    seed: number,
    stream: number,
    outMin: ptr,
    outMax: ptr,
  ): void;
  drawFaults(
    n: number,
    pMin: number,
    pMax: number,
    seed: number,
    stream: number,
    flags: ptr,
    g: ptr,
    gMinArr: ptr,
    gMaxArr: ptr,
    gMin: number,
    gMax: number,
  ): number;
  PROGRAM_PARAM_BYTES: WebAssembly.Global;
  PROGRAM_COUNT_SLOTS: WebAssembly.Global;
  program(
    rows: number,
    cols: number,
    g: ptr,
    dw: ptr,
    params: ptr,
    aLtp: ptr,
    aLtd: ptr,
    gMinArr: ptr,
    gMaxArr: ptr,
    flags: ptr,
    rowMaxSet: ptr,
    rowMaxReset: ptr,
    pulsesOut: ptr,
    wear: ptr,
    counts: ptr,
  ): void;
  writeWeights(
    n: number,
    w: ptr,
    mid: number,
    slope: number,
    g: ptr,
    gMinArr: ptr,
    gMaxArr: ptr,
    flags: ptr,
    gMin: number,
    gMax: number,
  ): void;
  REWRITE_COUNT_SLOTS: WebAssembly.Global;
  rewriteCounts(
    rows: number,
    cols: number,
    old: ptr,
    now: ptr,
    scale: number,
    levels: number,
    mode: number,
    writesA: ptr,
    writesB: ptr,
    counts: ptr,
  ): void;
  pulseCurve(
    pulses: number,
    gMin: number,
    gMax: number,
    aLtp: number,
    aLtd: number,
    levelsLtp: number,
    levelsLtd: number,
    ltp: ptr,
    ltd: ptr,
  ): void;
  drift(n: number, g: ptr, t: number, t0: number, nu: number, nuStd: number, z: ptr): void;
  driftFactor(t: number, t0: number, nu: number): number;

  // neurosim.ts — the DNN+NeuroSim V2.1 update path (parameter block layout in src/nn/network.ts)
  NEUROSIM_PARAM_BYTES: WebAssembly.Global;
  neurosimUpdate(
    rows: number,
    cols: number,
    w: ptr,
    g: ptr,
    params: ptr,
    aLtp: ptr,
    aLtd: ptr,
    rowMaxSet: ptr,
    rowMaxReset: ptr,
    counts: ptr,
  ): void;

  // crossbar.ts — analog reads (parameter block layout in src/nn/crossbar.ts)
  READ_PARAM_BYTES: WebAssembly.Global;
  READ_COUNT_SLOTS: WebAssembly.Global;
  adcAccumulate(
    batch: number,
    N: number,
    psPlus: ptr,
    psMinus: ptr,
    ref: ptr,
    active: ptr,
    params: ptr,
    outScale: number,
    y: ptr,
    ldy: number,
  ): void;
  readBitSerial(
    batch: number,
    K: number,
    N: number,
    codes: ptr,
    ldc: number,
    bits: number,
    gPlus: ptr,
    gMinus: ptr,
    ldg: number,
    blockRows: number,
    params: ptr,
    outScale: number,
    y: ptr,
    ldy: number,
    scratch: ptr,
    counts: ptr,
  ): void;
  addReadNoise(batch: number, N: number, ps: ptr, norms: ptr, params: ptr, start: number): void;
  rowNorms(batch: number, x: ptr, ldx: number, k0: number, len: number, norms: ptr): void;
  rowSums(batch: number, x: ptr, ldx: number, k0: number, len: number, sums: ptr): void;
  countNonzero(batch: number, x: ptr, ldx: number, k0: number, len: number): number;
  conductanceToWeight(n: number, gPlus: ptr, gMinus: ptr, gRef: number, gain: number, w: ptr): void;
  conductanceToWeightRows(
    rows: number,
    cols: number,
    gPlus: ptr,
    gMinus: ptr,
    gRef: number,
    gain: number,
    w: ptr,
    rowsA: ptr,
    rowsB: ptr,
    rowsC: ptr,
    rowsD: ptr,
  ): void;
  transpose(rows: number, cols: number, src: ptr, dst: ptr): void;

  // quantize.ts — WAGE quantizers, stochastic rounding, DAC encoding
  wageQuantize(out: ptr, x: ptr, n: number, k: number, clip: bool): void;
  powerOfTwoShift(x: number): number;
  maxAbs(x: ptr, n: number): number;
  wageQuantizeError(out: ptr, g: ptr, n: number, k: number): number;
  stochasticRound(out: ptr, x: ptr, n: number, seed: number, stream: number, step: number): void;
  dacEncode(codes: ptr, x: ptr, n: number, bits: number, scale: number): number;
  dacQuantize(out: ptr, x: ptr, n: number, bits: number, scale: number): void;

  // conv.ts — im2col / col2im and pooling on NHWC maps (geometry in src/nn/conv.ts)
  im2col(
    n: number,
    H: number,
    W: number,
    C: number,
    K: number,
    stride: number,
    pad: number,
    OH: number,
    OW: number,
    x: ptr,
    cols: ptr,
    ldc: number,
    ones: bool,
  ): void;
  col2im(
    n: number,
    H: number,
    W: number,
    C: number,
    K: number,
    stride: number,
    pad: number,
    OH: number,
    OW: number,
    cols: ptr,
    ldc: number,
    x: ptr,
    accumulate: bool,
  ): void;
  maxPoolForward(
    n: number,
    H: number,
    W: number,
    C: number,
    k: number,
    s: number,
    OH: number,
    OW: number,
    x: ptr,
    y: ptr,
    argmax: ptr,
  ): void;
  maxPoolBackward(yCount: number, dy: ptr, argmax: ptr, xCount: number, dx: ptr): void;
  avgPoolForward(n: number, H: number, W: number, C: number, k: number, s: number, OH: number, OW: number, x: ptr, y: ptr): void;
  avgPoolBackward(n: number, H: number, W: number, C: number, k: number, s: number, OH: number, OW: number, dy: ptr, dx: ptr): void;
}

/** Every export the module must provide, in the order above. */
/**
 * The parameter blocks' field offsets, by the wasm globals that hold them (docs/abi.md): the module is
 * their one source; hosts read them with `paramOffsets`.
 */
export const PARAM_BLOCKS = {
  program: {
    dwScale: "PROGRAM_AT_DW_SCALE",
    gMin: "PROGRAM_AT_GMIN",
    gMax: "PROGRAM_AT_GMAX",
    aLtp: "PROGRAM_AT_A_LTP",
    aLtd: "PROGRAM_AT_A_LTD",
    levelsLtp: "PROGRAM_AT_LEVELS_LTP",
    levelsLtd: "PROGRAM_AT_LEVELS_LTD",
    c2c: "PROGRAM_AT_C2C",
    threshold: "PROGRAM_AT_THRESHOLD",
    rounding: "PROGRAM_AT_ROUNDING",
    c2cSqrt: "PROGRAM_AT_C2C_SQRT",
    seed: "PROGRAM_AT_SEED",
    streamC2c: "PROGRAM_AT_STREAM_C2C",
    streamRound: "PROGRAM_AT_STREAM_ROUND",
    step: "PROGRAM_AT_STEP",
  },
  read: {
    adcBits: "READ_AT_ADC_BITS",
    adcMode: "READ_AT_ADC_MODE",
    seed: "READ_AT_SEED",
    stream: "READ_AT_STREAM",
    step: "READ_AT_STEP",
    adcLo: "READ_AT_ADC_LO",
    adcHi: "READ_AT_ADC_HI",
    noise: "READ_AT_NOISE",
    gRef: "READ_AT_GREF",
  },
  neurosim: {
    gradScale: "NEUROSIM_AT_GRAD_SCALE",
    levels: "NEUROSIM_AT_LEVELS",
    aLtp: "NEUROSIM_AT_A_LTP",
    aLtd: "NEUROSIM_AT_A_LTD",
    weightSteps: "NEUROSIM_AT_WEIGHT_STEPS",
    gradSteps: "NEUROSIM_AT_GRAD_STEPS",
    c2c: "NEUROSIM_AT_C2C",
    seed: "NEUROSIM_AT_SEED",
    streamRound: "NEUROSIM_AT_STREAM_ROUND",
    streamC2c: "NEUROSIM_AT_STREAM_C2C",
    step: "NEUROSIM_AT_STEP",
  },
} as const;

type Blocks = typeof PARAM_BLOCKS;
type OffsetGlobal = { [B in keyof Blocks]: Blocks[B][keyof Blocks[B]] }[keyof Blocks];
export type BlockOffsetGlobals = { [N in OffsetGlobal]: WebAssembly.Global };

const offsetCache = new WeakMap<KernelExports, Map<string, Record<string, number>>>();

/** A parameter block's field offsets (bytes), read from the module once per instance. */
export function paramOffsets<B extends keyof Blocks>(k: KernelExports, block: B): { [F in keyof Blocks[B]]: number } {
  let byBlock = offsetCache.get(k);
  if (!byBlock) {
    byBlock = new Map();
    offsetCache.set(k, byBlock);
  }
  let offsets = byBlock.get(block);
  if (!offsets) {
    const names = PARAM_BLOCKS[block] as Record<string, OffsetGlobal>;
    offsets = Object.fromEntries(Object.entries(names).map(([field, global]) => [field, k[global].value as number]));
    byBlock.set(block, offsets);
  }
  return offsets as { [F in keyof Blocks[B]]: number };
}

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
  "binarize",
  "relu",
  "reluBackward",
  "sigmoid",
  "sigmoidBackward",
  "tanh",
  "tanhBackward",
  "copyMatrix",
  "momentum",
  "outer",
  "signOfTransposed",
  "transposedChange",
  "accumulateFire",
  "softmaxCrossEntropy",
  "squaredError",
  "argmaxRows",
  "philoxBlock",
  "randomBits",
  "randomUniform",
  "randomNormal",
  "randomNormalFast",
  "curveGap",
  "nlToA",
  "aToNl",
  "drawCurveConstants",
  "drawBounds",
  "drawFaults",
  "PROGRAM_PARAM_BYTES",
  "PROGRAM_COUNT_SLOTS",
  "program",
  "pulseCurve",
  "writeWeights",
  "REWRITE_COUNT_SLOTS",
  "rewriteCounts",
  "drift",
  "driftFactor",
  "NEUROSIM_PARAM_BYTES",
  "neurosimUpdate",
  "READ_PARAM_BYTES",
  "READ_COUNT_SLOTS",
  "adcAccumulate",
  "readBitSerial",
  "addReadNoise",
  "rowNorms",
  "rowSums",
  "countNonzero",
  "conductanceToWeight",
  "conductanceToWeightRows",
  "transpose",
  "wageQuantize",
  "powerOfTwoShift",
  "maxAbs",
  "wageQuantizeError",
  "stochasticRound",
  "dacEncode",
  "dacQuantize",
  "im2col",
  "col2im",
  "maxPoolForward",
  "maxPoolBackward",
  "avgPoolForward",
  "avgPoolBackward",
  ...Object.values(PARAM_BLOCKS).flatMap((b) => Object.values(b) as OffsetGlobal[]),
];
