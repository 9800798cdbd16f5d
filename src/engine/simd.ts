// The relaxed-SIMD build: the same kernels with the matrix products' multiply-adds fused where the
// CPU can (assembly/gemm.ts, `madd`). Opt-in: its sums round differently from the stock build's, and
// by the CPU, so its results are neither bit-identical to the stock build's nor across machines.

import { InputError } from "./errors.js";
import { preview } from "./preview.js";

/** Which wasm build an engine runs: "stock" (default; the same bits on every host) or "relaxed". */
export type SimdBuild = "stock" | "relaxed";

// A module of one function, (v128) → f32x4.relaxed_madd of it thrice: valid only where relaxed SIMD is on.
const PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 0, 32, 0, 253, 133, 2, 11,
]);

/** Whether this engine compiles relaxed SIMD. */
export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(PROBE);
}

/** A `simd` option checked against the other load options: undefined is "stock"; there is no relaxed debug build. */
export function simdBuildOf(value: unknown, debug: boolean): SimdBuild {
  if (value === undefined || value === "stock") return "stock";
  if (value !== "relaxed") throw new InputError(`simd: ${preview(value)} is not a build; use "stock" (the default) or "relaxed"`);
  if (debug) throw new InputError('simd: "relaxed" has no debug build; use simd "stock" with debug');
  return value;
}

/** Why the relaxed build cannot load here; `engine` names the runtime (e.g. "Node 20.20.2, V8 11.3"), `option` how it was asked for. */
export function relaxedUnsupported(engine: string, option = 'simd: "relaxed"'): InputError {
  return new InputError(`${option} needs WebAssembly relaxed SIMD, which this engine (${engine}) lacks; use simd "stock" (the default)`);
}
