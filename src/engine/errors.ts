/** Base class of every error cimlearn throws on purpose. */
export class CimlearnError extends Error {
  override name = "CimlearnError";
}

/** Bad input from the user: a config field, a flag, a file. The message names it, its value and what is allowed. */
export class InputError extends CimlearnError {
  override name = "InputError";
}

/** A kernel's assertion failed inside the wasm module (debug build); the message carries the AssemblyScript file:line:column. */
export class KernelError extends CimlearnError {
  override name = "KernelError";
}
