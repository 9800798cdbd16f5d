// The module's exports, nothing else. Everything crosses as pointers and numbers.

export { KC, MC, MR, NC, NR, gemm, gemmPackedB, gemmWorkspaceBytes, packB, packedBBytes } from "./gemm";
export {
  add,
  axpy,
  clamp,
  copyMatrix,
  fill,
  momentum,
  outer,
  signOfTransposed,
  accumulateFire,
  transposedChange,
  binarize,
  relu,
  reluBackward,
  scale,
  sigmoid,
  sigmoidBackward,
  tanh,
  tanhBackward,
} from "./elementwise";
export { argmaxRows, softmaxCrossEntropy, squaredError } from "./loss";
export { NEUROSIM_PARAM_BYTES, neurosimUpdate } from "./neurosim";
export { philoxBlock, randomBits, randomNormal, randomNormalFast, randomUniform } from "./random";
export {
  aToNl,
  curveGap,
  drawBounds,
  drawCurveConstants,
  drawFaults,
  drift,
  nlToA,
  PROGRAM_COUNT_SLOTS,
  PROGRAM_PARAM_BYTES,
  program,
  pulseCurve,
  writeWeights,
} from "./device";
export {
  adcAccumulate,
  addReadNoise,
  conductanceToWeight,
  conductanceToWeightRows,
  countNonzero,
  READ_COUNT_SLOTS,
  READ_PARAM_BYTES,
  readBitSerial,
  rowNorms,
  rowSums,
  transpose,
} from "./crossbar";
export { avgPoolBackward, avgPoolForward, col2im, im2col, maxPoolBackward, maxPoolForward } from "./conv";
export { dacEncode, dacQuantize, maxAbs, powerOfTwoShift, stochasticRound, wageQuantize, wageQuantizeError } from "./quantize";

/** First byte after the module's static data, 16-byte aligned: where the host's arena begins. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}
