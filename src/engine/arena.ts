import { CimlearnError } from "./errors.js";
import { BYTES_PER_ELEMENT, type DType, sizeOf, type Tensor } from "./tensor.js";

const PAGE = 65536;
/** wasm32 memory cannot exceed 65536 pages (4 GiB). */
const MAX_PAGES = 65536;

/**
 * A bump allocator over the wasm memory above the module's static data. A model
 * takes everything it needs once, at build time; a training step allocates
 * nothing, so the memory never grows under it and no view goes stale.
 * Nothing is freed one by one: `mark` / `release` drop everything allocated
 * after a mark, `reset` drops everything.
 */
export class Arena {
  private top: number;

  constructor(
    private readonly memory: WebAssembly.Memory,
    readonly base: number,
  ) {
    if (base % 16 !== 0) throw new CimlearnError(`arena base ${base} is not 16-byte aligned`);
    this.top = base;
  }

  /** Bytes currently allocated. */
  get used(): number {
    return this.top - this.base;
  }

  /** Reserves `bytes` bytes aligned to `align` (a power of two, default 16 for v128) and returns the offset. Contents are not cleared. */
  alloc(bytes: number, align = 16): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new CimlearnError(`arena.alloc: bytes must be a non-negative integer, got ${bytes}`);
    if (align < 1 || (align & (align - 1)) !== 0) throw new CimlearnError(`arena.alloc: align must be a power of two, got ${align}`);
    const offset = Math.ceil(this.top / align) * align;
    const end = offset + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      const current = have / PAGE;
      if (current + pages > MAX_PAGES) {
        throw new CimlearnError(
          `out of wasm memory: ${bytes} more bytes requested with ${this.used} already allocated; wasm32 allows at most 4 GiB`,
        );
      }
      try {
        this.memory.grow(pages);
      } catch {
        // The engine (browser tab, Node's limits) would not give the memory, short of the 4 GiB wasm32 allows.
        throw new CimlearnError(
          `out of wasm memory: ${bytes} more bytes requested with ${this.used} already allocated, and the host refused to grow the memory past ${have} bytes`,
        );
      }
    }
    this.top = end;
    return offset;
  }

  /** A zero-filled tensor of the given shape. */
  tensor(shape: readonly number[], dtype: DType = "f32"): Tensor {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0)
        throw new CimlearnError(`tensor shape [${shape.join(", ")}]: dimensions must be non-negative integers`);
    }
    const bytes = sizeOf(shape) * BYTES_PER_ELEMENT[dtype];
    const offset = this.alloc(bytes);
    new Uint8Array(this.memory.buffer, offset, bytes).fill(0);
    return { shape: [...shape], dtype, offset };
  }

  /** The current top, for `release`. */
  mark(): number {
    return this.top;
  }

  /** Drops everything allocated since `mark` was taken. Tensors from that span must not be used again. */
  release(mark: number): void {
    if (mark < this.base || mark > this.top) throw new CimlearnError(`arena.release: mark ${mark} is outside [${this.base}, ${this.top}]`);
    this.top = mark;
  }

  /** Drops every allocation. The memory itself never shrinks (wasm cannot). */
  reset(): void {
    this.top = this.base;
  }
}
