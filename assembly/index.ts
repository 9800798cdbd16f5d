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
export { philoxBlock, RANDOM_SCRATCH_BYTES, randomBits, randomNormal, randomNormalFast, randomUniform, useRandomScratch } from "./random";
export {
  aToNl,
  curveGap,
  drawBounds,
  drawCurveConstants,
  drawFaults,
  drift,
  driftFactor,
  nlToA,
  PROGRAM_COUNT_SLOTS,
  PROGRAM_PARAM_BYTES,
  program,
  programRows,
  PROGRAM_SCRATCH_BYTES,
  useProgramScratch,
  pulseCurve,
  REWRITE_COUNT_SLOTS,
  rewriteCounts,
  updateExact,
  writeWeights,
} from "./device";
export { adcAccumulate } from "./adc";
export { readBitSerial, readBitSerialRows } from "./bit-serial";
export { conductanceToWeight, conductanceToWeightRows, countNonzero, rowSums, transpose } from "./conductance";
export { READ_COUNT_SLOTS, READ_PARAM_BYTES } from "./read-params";
export { addReadNoise, READ_SCRATCH_BYTES, rowNorms, useReadScratch } from "./read-noise";
export { avgPoolBackward, avgPoolForward, col2im, im2col, maxPoolBackward, maxPoolForward } from "./conv";
export { dacEncode, dacQuantize, maxAbs, powerOfTwoShift, stochasticRound, wageQuantize, wageQuantizeError } from "./quantize";

// The parameter blocks' field offsets (docs/abi.md): the one source the host reads them from.
export {
  PROGRAM_AT_DW_SCALE,
  PROGRAM_AT_GMIN,
  PROGRAM_AT_GMAX,
  PROGRAM_AT_A_LTP,
  PROGRAM_AT_A_LTD,
  PROGRAM_AT_LEVELS_LTP,
  PROGRAM_AT_LEVELS_LTD,
  PROGRAM_AT_C2C,
  PROGRAM_AT_THRESHOLD,
  PROGRAM_AT_ROUNDING,
  PROGRAM_AT_C2C_SQRT,
  PROGRAM_AT_SEED,
  PROGRAM_AT_STREAM_C2C,
  PROGRAM_AT_STREAM_ROUND,
  PROGRAM_AT_STEP,
} from "./device";
export {
  READ_AT_ADC_BITS,
  READ_AT_ADC_MODE,
  READ_AT_SEED,
  READ_AT_STREAM,
  READ_AT_STEP,
  READ_AT_ADC_LO,
  READ_AT_ADC_HI,
  READ_AT_NOISE,
  READ_AT_GREF,
} from "./read-params";
export {
  NEUROSIM_AT_GRAD_SCALE,
  NEUROSIM_AT_LEVELS,
  NEUROSIM_AT_A_LTP,
  NEUROSIM_AT_A_LTD,
  NEUROSIM_AT_WEIGHT_STEPS,
  NEUROSIM_AT_GRAD_STEPS,
  NEUROSIM_AT_C2C,
  NEUROSIM_AT_SEED,
  NEUROSIM_AT_STREAM_ROUND,
  NEUROSIM_AT_STREAM_C2C,
  NEUROSIM_AT_STEP,
} from "./neurosim";

/** First byte after the module's static data, 16-byte aligned: where the host's arena begins. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}
