// The module's exports, nothing else. Everything crosses as pointers and numbers.

export { KC, MC, MR, NC, NR, gemm, gemmPackedB, gemmWorkspaceBytes, packB, packedBBytes } from "./gemm";
export { add, axpy, clamp, fill, relu, reluBackward, scale, sigmoid, sigmoidBackward, tanh, tanhBackward } from "./elementwise";
export { argmaxRows, softmaxCrossEntropy, squaredError } from "./loss";
export { philoxBlock, randomBits, randomNormal, randomUniform } from "./random";

/** First byte after the module's static data, 16-byte aligned: where the host's arena begins. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}
