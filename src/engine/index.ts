export type { KernelExports } from "./abi.js";
export { Arena } from "./arena.js";
export { Engine, type GemmOptions, type PackedMatrix } from "./engine.js";
export { CimlearnError, InputError, KernelError } from "./errors.js";
export { fillBits, fillNormal, fillUniform, RANDOM_PURPOSES, type RandomKey, type RandomPurpose, streamId } from "./random.js";
export type { SimdBuild } from "./simd.js";
export { BYTES_PER_ELEMENT, byteLengthOf, type DType, sizeOf, type Tensor } from "./tensor.js";
