import { KERNEL_EXPORT_NAMES, type KernelExports } from "./abi.js";
import { Arena } from "./arena.js";
import { CimlearnError, InputError, KernelError } from "./errors.js";
import type { SimdBuild } from "./simd.js";
import { sizeOf, type Tensor } from "./tensor.js";

export interface GemmOptions {
  /** Use Aᵀ (A stored K×M). */
  transA?: boolean;
  /** Use Bᵀ (B stored N×K). */
  transB?: boolean;
  alpha?: number;
  /** 0 (default) overwrites C without reading it; 1 accumulates. */
  beta?: number;
}

/** A K×N right-hand operand packed once by `Engine.packB`, for repeated products. */
export interface PackedMatrix {
  readonly K: number;
  readonly N: number;
  readonly storage: Tensor;
}

/**
 * One instance of the kernel module: its memory, its arena, and typed access to
 * its kernels. Engines are independent; each owns one linear memory.
 */
export class Engine {
  readonly kernels: KernelExports;
  readonly arena: Arena;
  /** Scratch for the matrix products (gemmWorkspaceBytes bytes), below the arena: for raw `kernels.gemm` calls. */
  readonly gemmWorkspace: number;

  /** Threads the matrix products run on (1 unless loaded with a kernel pool). */
  threads = 1;

  /** The wasm build it runs (set by the loader): "relaxed" rounds the matrix products differently (src/engine/simd.ts). */
  build: SimdBuild = "stock";

  /** Ends the engine's kernel threads, if it has any (attachKernelThreads sets it); it goes on on one thread, with the same results. */
  close(): void {}

  constructor(
    instance: WebAssembly.Instance,
    /** True when this is the debug build (asserts on). */
    readonly debug: boolean,
    /** The shared memory the module imports (the threaded build); otherwise the module's own. */
    importedMemory?: WebAssembly.Memory,
  ) {
    const exports = importedMemory ? { ...instance.exports, memory: importedMemory } : (instance.exports as Record<string, unknown>);
    const missing = KERNEL_EXPORT_NAMES.filter((name) => !(name in exports));
    if (missing.length > 0) {
      throw new CimlearnError(`the wasm module lacks exports ${missing.join(", ")}: rebuild it with \`npm run build\``);
    }
    this.kernels = exports as unknown as KernelExports;
    // The engine's own scratch sits below the arena, so resetting the arena cannot hand it out.
    this.gemmWorkspace = this.kernels.heapBase();
    const arenaBase = this.gemmWorkspace + Math.ceil(this.kernels.gemmWorkspaceBytes() / 16) * 16;
    const memory = this.kernels.memory;
    const short = arenaBase - memory.buffer.byteLength;
    if (short > 0) memory.grow(Math.ceil(short / 65536));
    this.arena = new Arena(memory, arenaBase);
  }

  get memory(): WebAssembly.Memory {
    return this.kernels.memory;
  }

  // Views are made fresh on every call: a view made before memory.grow has length 0.
  f32(t: Tensor): Float32Array {
    expectDType(t, "f32");
    return new Float32Array(this.memory.buffer, t.offset, sizeOf(t.shape));
  }
  i32(t: Tensor): Int32Array {
    expectDType(t, "i32");
    return new Int32Array(this.memory.buffer, t.offset, sizeOf(t.shape));
  }
  u32(t: Tensor): Uint32Array {
    expectDType(t, "u32");
    return new Uint32Array(this.memory.buffer, t.offset, sizeOf(t.shape));
  }
  u8(t: Tensor): Uint8Array {
    expectDType(t, "u8");
    return new Uint8Array(this.memory.buffer, t.offset, sizeOf(t.shape));
  }

  /** Copies `data` into the tensor (same element count). */
  write(t: Tensor, data: ArrayLike<number>): void {
    const view = this.view(t);
    if (data.length !== view.length) {
      throw new InputError(`write: tensor [${t.shape.join("×")}] holds ${view.length} elements, data has ${data.length}`);
    }
    view.set(data);
  }

  /** A copy of the tensor's contents, safe to keep. */
  read(t: Tensor): Float32Array | Int32Array | Uint32Array | Uint8Array {
    return this.view(t).slice();
  }

  private view(t: Tensor): Float32Array | Int32Array | Uint32Array | Uint8Array {
    switch (t.dtype) {
      case "f32":
        return this.f32(t);
      case "i32":
        return this.i32(t);
      case "u32":
        return this.u32(t);
      case "u8":
        return this.u8(t);
    }
  }

  /** C = α·op(A)·op(B) + β·C for 2-D row-major f32 tensors. */
  gemm(c: Tensor, a: Tensor, b: Tensor, options: GemmOptions = {}): void {
    const { transA = false, transB = false, alpha = 1, beta = 0 } = options;
    const [ar, ac] = matrixShape(a, "A");
    const [br, bc] = matrixShape(b, "B");
    const [cr, cc] = matrixShape(c, "C");
    const M = transA ? ac : ar;
    const K = transA ? ar : ac;
    const Kb = transB ? bc : br;
    const N = transB ? br : bc;
    if (K !== Kb || cr !== M || cc !== N) {
      throw new InputError(
        `gemm: shapes do not match: op(A) is ${M}×${K}, op(B) is ${Kb}×${N}, C is ${cr}×${cc} (need C = ${M}×${N}, equal inner sizes)`,
      );
    }
    this.kernels.gemm(+transA, +transB, M, N, K, alpha, a.offset, ac, b.offset, bc, beta, c.offset, cc, this.gemmWorkspace);
  }

  /** Allocates (from the arena) and fills a packed copy of op(B), for `gemmPacked`. */
  packB(b: Tensor, options: { transB?: boolean } = {}): PackedMatrix {
    const [br, bc] = matrixShape(b, "B");
    const transB = options.transB ?? false;
    const K = transB ? bc : br;
    const N = transB ? br : bc;
    const storage = this.arena.tensor([this.kernels.packedBBytes(K, N) / 4]);
    this.repackB(storage, b, transB, K, N);
    return { K, N, storage };
  }

  /** Refreshes a packed copy after B changed (same shape); allocates nothing. */
  repack(packed: PackedMatrix, b: Tensor, options: { transB?: boolean } = {}): void {
    const transB = options.transB ?? false;
    const [br, bc] = matrixShape(b, "B");
    const K = transB ? bc : br;
    const N = transB ? br : bc;
    if (K !== packed.K || N !== packed.N) {
      throw new InputError(`repack: op(B) is ${K}×${N}, the packed matrix is ${packed.K}×${packed.N}`);
    }
    this.repackB(packed.storage, b, transB, K, N);
  }

  private repackB(storage: Tensor, b: Tensor, transB: boolean, K: number, N: number): void {
    this.kernels.packB(+transB, K, N, b.offset, b.shape[1] as number, storage.offset);
  }

  /** C = α·op(A)·B + β·C with B packed by `packB`. */
  gemmPacked(c: Tensor, a: Tensor, b: PackedMatrix, options: Omit<GemmOptions, "transB"> = {}): void {
    const { transA = false, alpha = 1, beta = 0 } = options;
    const [ar, ac] = matrixShape(a, "A");
    const [cr, cc] = matrixShape(c, "C");
    const M = transA ? ac : ar;
    const K = transA ? ar : ac;
    if (K !== b.K || cr !== M || cc !== b.N) {
      throw new InputError(`gemmPacked: shapes do not match: op(A) is ${M}×${K}, B is ${b.K}×${b.N}, C is ${cr}×${cc}`);
    }
    this.kernels.gemmPackedB(+transA, M, b.N, K, alpha, a.offset, ac, b.storage.offset, beta, c.offset, cc, this.gemmWorkspace);
  }
}

function matrixShape(t: Tensor, name: string): [number, number] {
  if (t.shape.length !== 2 || t.dtype !== "f32") {
    throw new InputError(`${name} must be a 2-D f32 tensor, got ${t.dtype} [${t.shape.join("×")}]`);
  }
  return [t.shape[0] as number, t.shape[1] as number];
}

function expectDType(t: Tensor, dtype: Tensor["dtype"]): void {
  if (t.dtype !== dtype) throw new InputError(`expected a ${dtype} tensor, got ${t.dtype} [${t.shape.join("×")}]`);
}

/**
 * Instantiates a compiled kernel module. `abort` (a failed assertion in the
 * debug build) becomes a KernelError carrying the message and the
 * AssemblyScript file:line:column.
 */
export function instantiate(module: WebAssembly.Module, debug: boolean, sharedMemory?: WebAssembly.Memory): Engine {
  let memory: WebAssembly.Memory | undefined;
  const readString = (p: number): string => {
    if (!memory || p === 0) return "";
    // AssemblyScript strings are UTF-16LE with their byte length 4 bytes before the data.
    const bytes = new Uint32Array(memory.buffer, p - 4, 1)[0] as number;
    return String.fromCharCode(...new Uint16Array(memory.buffer, p, bytes >>> 1));
  };
  const imports = {
    env: {
      abort(message: number, file: number, line: number, column: number): never {
        throw new KernelError(`${readString(message)} (${readString(file)}:${line}:${column})`);
      },
      ...(sharedMemory ? { memory: sharedMemory } : {}),
    },
  };
  const instance = new WebAssembly.Instance(module, imports);
  memory = sharedMemory ?? (instance.exports.memory as WebAssembly.Memory);
  return new Engine(instance, debug, sharedMemory);
}

/** Compiles module bytes, explaining the usual reason for failure. */
export async function compile(bytes: BufferSource, origin: string): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes);
  } catch (error) {
    throw new CimlearnError(
      `cannot compile the cimlearn kernels from ${origin}: ${(error as Error).message}. They need WebAssembly SIMD (Node ≥ 16.4, Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4)`,
    );
  }
}
