import { describe, expect, it } from "vitest";
import { InputError, KernelError, loadEngine } from "../src/index.js";
import { gemmRef } from "../src/reference/gemm.js";
import { engine, expectClose, lcgFill, tensorOf } from "./helpers.js";

const SIZES = [1, 3, 4, 5, 17, 64, 129];
const SCALARS: [number, number][] = [
  [1, 0],
  [0.5, 1],
  [-2, 0.25],
  [1, 1],
];

interface Case {
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
  alpha: number;
  beta: number;
}

function run(e: Awaited<ReturnType<typeof engine>>, c: Case, salt: number): void {
  const { transA, transB, M, N, K, alpha, beta } = c;
  const mark = e.arena.mark();
  const aData = lcgFill(M * K, salt);
  const bData = lcgFill(K * N, salt + 1);
  const cData = lcgFill(M * N, salt + 2);
  const A = tensorOf(e, transA ? [K, M] : [M, K], aData);
  const B = tensorOf(e, transB ? [N, K] : [K, N], bData);
  const C = tensorOf(e, [M, N], cData);
  e.gemm(C, A, B, { transA, transB, alpha, beta });
  const ref = gemmRef(transA, transB, M, N, K, alpha, aData, transA ? M : K, bData, transB ? K : N, beta, cData, N);
  expectClose(e.f32(C), ref.value, ref.tol, `gemm ${JSON.stringify(c)}`);
  e.arena.release(mark);
}

describe("gemm against a float64 reference", () => {
  it("every M, N, K in {1, 3, 4, 5, 17, 64, 129}, both transposes, α/β cases", async () => {
    const e = await engine();
    let n = 0;
    for (const M of SIZES) {
      for (const N of SIZES) {
        for (const K of SIZES) {
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              const [alpha, beta] = SCALARS[n % SCALARS.length] as [number, number];
              run(e, { transA, transB, M, N, K, alpha, beta }, n);
              n++;
            }
          }
        }
      }
    }
    expect(n).toBe(SIZES.length ** 3 * 4);
  });

  it("shapes across the cache blocks (KC = 256, MC = 120, NC = 1024) and their remainders", async () => {
    const e = await engine();
    const cases: [number, number, number][] = [
      [121, 9, 257],
      [240, 33, 513],
      [7, 1030, 300],
      [2, 1025, 600],
      [130, 1031, 40],
    ];
    let n = 0;
    for (const [M, N, K] of cases) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          run(e, { transA, transB, M, N, K, alpha: 0.75, beta: n % 2 ? 0.5 : 0 }, 1000 + n);
          n++;
        }
      }
    }
  });

  it("the block constants are those the comments and the workspace assume", async () => {
    const e = await engine();
    const k = e.kernels;
    expect([k.MR.value, k.NR.value, k.KC.value, k.MC.value, k.NC.value]).toEqual([4, 8, 256, 120, 1024]);
    // Packed A, packed B and the 4×8 edge tile (per workspace, so threads do not share it).
    expect(k.gemmWorkspaceBytes()).toBe((120 * 256 + 256 * 1024 + 4 * 8) * 4);
    expect(k.packedBBytes(784, 513)).toBe(Math.ceil(513 / 8) * 784 * 8 * 4);
  });
});

describe("gemm edge semantics", () => {
  it("β = 0 overwrites C without reading it (NaN in C does not leak)", async () => {
    const e = await engine();
    const A = tensorOf(e, [5, 3], lcgFill(15, 1));
    const B = tensorOf(e, [3, 9], lcgFill(27, 2));
    const C = tensorOf(e, [5, 9], new Float32Array(45).fill(Number.NaN));
    e.gemm(C, A, B);
    expect(e.f32(C).every(Number.isFinite)).toBe(true);
  });

  it("K = 0 and α = 0 give β·C", async () => {
    const e = await engine();
    const c0 = lcgFill(12, 3);
    for (const [K, alpha] of [
      [0, 1],
      [4, 0],
    ] as const) {
      const A = e.arena.tensor([3, K]);
      const B = e.arena.tensor([K, 4]);
      const C = tensorOf(e, [3, 4], c0);
      e.gemm(C, A, B, { alpha, beta: 0.5 });
      expect(Array.from(e.f32(C))).toEqual(Array.from(c0, (x) => Math.fround(0.5 * x)));
      e.gemm(C, A, B, { alpha, beta: 0 });
      expect(Array.from(e.f32(C))).toEqual(new Array(12).fill(0));
    }
  });

  it("honours leading dimensions larger than the row length (sub-matrices)", async () => {
    const e = await engine();
    const [M, N, K, lda, ldb, ldc] = [6, 10, 7, 11, 13, 12];
    const aData = lcgFill(M * lda, 5);
    const bData = lcgFill(K * ldb, 6);
    const cData = lcgFill(M * ldc, 7);
    const A = tensorOf(e, [M * lda], aData);
    const B = tensorOf(e, [K * ldb], bData);
    const C = tensorOf(e, [M * ldc], cData);
    e.kernels.gemm(0, 0, M, N, K, 1, A.offset, lda, B.offset, ldb, 1, C.offset, ldc, e.arena.alloc(e.kernels.gemmWorkspaceBytes()));
    const ref = gemmRef(false, false, M, N, K, 1, aData, lda, bData, ldb, 1, cData, ldc);
    const got = e.f32(C);
    for (let i = 0; i < M; i++) {
      expectClose(
        got.subarray(i * ldc, i * ldc + N),
        ref.value.subarray(i * N, (i + 1) * N),
        ref.tol.subarray(i * N, (i + 1) * N),
        `row ${i}`,
      );
      // Padding columns are untouched.
      expect(Array.from(got.subarray(i * ldc + N, (i + 1) * ldc))).toEqual(Array.from(cData.subarray(i * ldc + N, (i + 1) * ldc)));
    }
  });

  it("rejects mismatched shapes with a message naming them", async () => {
    const e = await engine();
    const A = e.arena.tensor([3, 4]);
    const B = e.arena.tensor([5, 6]);
    const C = e.arena.tensor([3, 6]);
    expect(() => e.gemm(C, A, B)).toThrow(InputError);
    expect(() => e.gemm(C, A, B)).toThrow(/op\(A\) is 3×4, op\(B\) is 5×6/);
  });

  it("a failed kernel assertion in the debug build is an Error with the AssemblyScript file:line", async () => {
    const e = await loadEngine({ debug: true });
    expect(e.debug).toBe(true);
    expect(() => e.kernels.gemm(0, 0, -1, 2, 2, 1, 0, 2, 0, 2, 0, 0, 2, 0)).toThrow(KernelError);
    expect(() => e.kernels.gemm(0, 0, -1, 2, 2, 1, 0, 2, 0, 2, 0, 0, 2, 0)).toThrow(/negative dimension \(assembly\/gemm\.ts:\d+:\d+\)/);
  });
});

describe("gemm summation order is part of the contract", () => {
  it("a row's result does not depend on the batch it is in, nor on packing", async () => {
    const e = await engine();
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const [M, N, K] = [37, 70, 600];
      const aData = lcgFill(M * K, 11);
      const A = tensorOf(e, transA ? [K, M] : [M, K], aData);
      const B = tensorOf(e, transB ? [N, K] : [K, N], lcgFill(K * N, 12));
      const C = e.arena.tensor([M, N]);
      e.gemm(C, A, B, { transA, transB });
      const whole = e.read(C);

      const packed = e.packB(B, { transB });
      const Cp = e.arena.tensor([M, N]);
      e.gemmPacked(Cp, A, packed, { transA });
      expect(e.read(Cp)).toEqual(whole);

      // One row at a time (the small-M paths) and three rows at a time.
      for (const rows of [1, 3]) {
        for (let i0 = 0; i0 + rows <= M; i0 += 5) {
          const part = new Float32Array(rows * K);
          for (let r = 0; r < rows; r++) {
            for (let k = 0; k < K; k++) part[r * K + k] = transA ? (aData[k * M + i0 + r] as number) : (aData[(i0 + r) * K + k] as number);
          }
          const Ai = tensorOf(e, [rows, K], part);
          const Ci = e.arena.tensor([rows, N]);
          e.gemm(Ci, Ai, B, { transB });
          expect(e.read(Ci), `rows ${i0}..${i0 + rows} transA ${transA} transB ${transB}`).toEqual(whole.subarray(i0 * N, (i0 + rows) * N));
          e.gemmPacked(Ci, Ai, packed);
          expect(e.read(Ci)).toEqual(whole.subarray(i0 * N, (i0 + rows) * N));
        }
      }
    }
  });

  it("repack refreshes a packed matrix in place", async () => {
    const e = await engine();
    const B = tensorOf(e, [20, 9], lcgFill(180, 1));
    const packed = e.packB(B);
    const used = e.arena.used;
    e.write(B, lcgFill(180, 2));
    e.repack(packed, B);
    expect(e.arena.used).toBe(used);
    const A = tensorOf(e, [6, 20], lcgFill(120, 3));
    const C1 = e.arena.tensor([6, 9]);
    const C2 = e.arena.tensor([6, 9]);
    e.gemm(C1, A, B);
    e.gemmPacked(C2, A, packed);
    expect(e.read(C2)).toEqual(e.read(C1));
    expect(() => e.repack(packed, e.arena.tensor([9, 20]))).toThrow(/op\(B\) is 9×20, the packed matrix is 20×9/);
  });
});
