/** Element types a tensor can hold in wasm memory. */
export type DType = "f32" | "i32" | "u32" | "u8";

export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { f32: 4, i32: 4, u32: 4, u8: 1 };

/**
 * A tensor is a place in the wasm module's memory: its shape, element type and
 * byte offset. It owns no JavaScript array; views are made on demand by the
 * engine, because growing the memory detaches every view made before.
 */
export interface Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly offset: number;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function byteLengthOf(t: Tensor): number {
  return sizeOf(t.shape) * BYTES_PER_ELEMENT[t.dtype];
}

/** A rows × cols f32 view of the memory at `byteOffset` (no allocation): a slice of a preallocated buffer. */
export function view(byteOffset: number, rows: number, cols: number): Tensor {
  return { shape: [rows, cols], dtype: "f32", offset: byteOffset };
}
