// f32 matrix products on row-major data: C = α·op(A)·op(B) + β·C.
//
// op(A) is M×K and op(B) is K×N; `transA` / `transB` say whether the stored
// matrix is the operand itself (0) or its transpose (1). Leading dimensions
// are in elements.
//
// Structure (Goto/BLIS): the K dimension is cut into KC blocks, N into NC
// blocks and M into MC blocks. Each block of op(A) is packed into MR-row
// panels (k-major) and each block of op(B) into NR-column panels (k-major),
// so the 4×8 micro-kernel reads both operands contiguously whatever the
// transposes. The micro-kernel keeps 8 f32x4 accumulators: V8 11.3 spills
// beyond ~9 v128 registers, and unrolling the k loop makes it hoist and spill
// (as measured on V8 11.3 when this kernel was tuned).
//
// Summation order is part of the contract, so results never depend on the
// batch size or on which path ran: every element of C is, for each KC block
// in order, acc = Σ_k a·b (sequential in k, f32 multiply then add, no FMA)
// and C ← α·acc + β'·C with β' = β for the first block and 1 afterwards.
// The relaxed-SIMD build (asconfig targets relaxed, relaxed-shared) keeps the
// order but may fuse each multiply-add (`madd`), as the hardware decides.

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 120; // multiple of MR; a packed A block (MC×KC) stays in L2
export const NC: i32 = 1024; // multiple of NR; a packed B block (KC×NC) stays in L2

/** Bytes of workspace that `gemm` and `gemmPackedB` need at `work`: packed A, packed B, the edge tile. */
export function gemmWorkspaceBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

/** Bytes of a whole op(B) (K×N) packed by `packB`. */
export function packedBBytes(K: i32, N: i32): i32 {
  return ((N + NR - 1) / NR) * K * NR * 4;
}

// A 4×8 tile for edge cases, then merged into C element by element: in the caller's workspace (set
// on entry; a global is per instance), so threads sharing the memory never share it.
let edgeTile: usize = 0;
const EDGE_AT: usize = <usize>(MC * KC + KC * NC) * 4;

/**
 * C = α·op(A)·op(B) + β·C. `work` must hold gemmWorkspaceBytes() bytes,
 * 16-byte aligned.
 */
export function gemm(
  transA: i32,
  transB: i32,
  M: i32,
  N: i32,
  K: i32,
  alpha: f32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f32,
  c: usize,
  ldc: i32,
  work: usize,
): void {
  assert(M >= 0 && N >= 0 && K >= 0, "gemm: negative dimension");
  assert((work & 15) == 0, "gemm: workspace not 16-byte aligned");
  edgeTile = work + EDGE_AT;
  if (M == 0 || N == 0) return;
  if (K == 0 || alpha == 0) {
    scaleC(M, N, beta, c, ldc);
    return;
  }
  const packA = work;
  const packB = work + <usize>(MC * KC * 4);
  if (M < MR && !transB) {
    smallMRows(transA, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const betaEff: f32 = pc == 0 ? beta : 1;
      packBBlock(transB, kc, nc, b, ldb, pc, jc, packB);
      if (M < MR) {
        smallMPanels(transA, M, nc, kc, alpha, a, lda, pc, packB, kc * NR * 4, betaEff, c + <usize>jc * 4, ldc);
        continue;
      }
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packABlock(transA, mc, kc, a, lda, ic, pc, packA);
        macroKernel(mc, nc, kc, alpha, packA, packB, kc * NR * 4, betaEff, c + (<usize>ic * ldc + jc) * 4, ldc);
      }
    }
  }
}

/**
 * Packs the whole op(B) (K×N) into NR-column panels, each K×NR and k-major,
 * zero-padded on the last panel: the layout `gemmPackedB` reads. Weights that
 * stay fixed over many products are packed once.
 */
export function packB(transB: i32, K: i32, N: i32, b: usize, ldb: i32, dst: usize): void {
  for (let jc = 0; jc < N; jc += NR) {
    const nr = min(NR, N - jc);
    packBPanel(transB, K, nr, b, ldb, 0, jc, dst + <usize>(jc / NR) * K * NR * 4);
  }
}

/** C = α·op(A)·B + β·C with B already packed by `packB` (K×N). */
export function gemmPackedB(
  transA: i32,
  M: i32,
  N: i32,
  K: i32,
  alpha: f32,
  a: usize,
  lda: i32,
  bPacked: usize,
  beta: f32,
  c: usize,
  ldc: i32,
  work: usize,
): void {
  assert(M >= 0 && N >= 0 && K >= 0, "gemmPackedB: negative dimension");
  assert((work & 15) == 0 && (bPacked & 15) == 0, "gemmPackedB: buffer not 16-byte aligned");
  edgeTile = work + EDGE_AT;
  if (M == 0 || N == 0) return;
  if (K == 0 || alpha == 0) {
    scaleC(M, N, beta, c, ldc);
    return;
  }
  const panelStride = K * NR * 4;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const betaEff: f32 = pc == 0 ? beta : 1;
      const pb = bPacked + <usize>(jc / NR) * panelStride + <usize>pc * NR * 4;
      if (M < MR) {
        smallMPanels(transA, M, nc, kc, alpha, a, lda, pc, pb, panelStride, betaEff, c + <usize>jc * 4, ldc);
        continue;
      }
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packABlock(transA, mc, kc, a, lda, ic, pc, work);
        macroKernel(mc, nc, kc, alpha, work, pb, panelStride, betaEff, c + (<usize>ic * ldc + jc) * 4, ldc);
      }
    }
  }
}

function scaleC(M: i32, N: i32, beta: f32, c: usize, ldc: i32): void {
  for (let i = 0; i < M; i++) {
    const row = c + <usize>i * ldc * 4;
    for (let j = 0; j < N; j++) {
      const p = row + (<usize>j << 2);
      store<f32>(p, beta == 0 ? 0 : beta * load<f32>(p));
    }
  }
}

// op(A)[ic.., pc..] (mc×kc) → MR-row panels; dst[(panel·kc + k)·MR + r].
function packABlock(transA: i32, mc: i32, kc: i32, a: usize, lda: i32, ic: i32, pc: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = min(MR, mc - i0);
    const panel = dst + <usize>(i0 / MR) * kc * MR * 4;
    if (transA) {
      // op(A)[i,k] = A[k·lda + i]: the MR rows of a panel are contiguous.
      const src = a + (<usize>pc * lda + ic + i0) * 4;
      if (mr == MR) {
        for (let k = 0; k < kc; k++) {
          v128.store(panel + (<usize>k << 4), v128.load(src + <usize>k * lda * 4));
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const s = src + <usize>k * lda * 4;
          const d = panel + (<usize>k << 4);
          for (let r = 0; r < MR; r++) store<f32>(d + (<usize>r << 2), r < mr ? load<f32>(s + (<usize>r << 2)) : 0);
        }
      }
    } else {
      const src = a + (<usize>(ic + i0) * lda + pc) * 4;
      if (mr == MR) {
        transposeRows4(src, <usize>lda * 4, kc, panel, 16);
      } else {
        for (let r = 0; r < MR; r++) {
          const d = panel + (<usize>r << 2);
          const s = src + <usize>r * lda * 4;
          for (let k = 0; k < kc; k++) store<f32>(d + (<usize>k << 4), r < mr ? load<f32>(s + (<usize>k << 2)) : 0);
        }
      }
    }
  }
}

// op(B)[pc.., jc..] (kc×nc) → NR-column panels of kc rows each.
function packBBlock(transB: i32, kc: i32, nc: i32, b: usize, ldb: i32, pc: i32, jc: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    packBPanel(transB, kc, min(NR, nc - j0), b, ldb, pc, jc + j0, dst + <usize>(j0 / NR) * kc * NR * 4);
  }
}

// One panel: op(B)[pc + k, jc + c] → dst[k·NR + c] for k < kc, c < NR (zero beyond nr).
function packBPanel(transB: i32, kc: i32, nr: i32, b: usize, ldb: i32, pc: i32, jc: i32, dst: usize): void {
  if (!transB) {
    let src = b + (<usize>pc * ldb + jc) * 4;
    const step = <usize>ldb * 4;
    if (nr == NR) {
      for (let k = 0; k < kc; k++) {
        const d = dst + (<usize>k << 5);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
        src += step;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const d = dst + (<usize>k << 5);
        for (let col = 0; col < NR; col++) store<f32>(d + (<usize>col << 2), col < nr ? load<f32>(src + (<usize>col << 2)) : 0);
        src += step;
      }
    }
  } else {
    // op(B)[k, j] = B[j·ldb + k]: each column of the panel is a contiguous row of B.
    const src = b + (<usize>jc * ldb + pc) * 4;
    const rowStep = <usize>ldb * 4;
    if (nr == NR) {
      transposeRows4(src, rowStep, kc, dst, 32);
      transposeRows4(src + 4 * rowStep, rowStep, kc, dst + 16, 32);
    } else {
      for (let col = 0; col < NR; col++) {
        const d = dst + (<usize>col << 2);
        const s = src + <usize>col * rowStep;
        for (let k = 0; k < kc; k++) store<f32>(d + (<usize>k << 5), col < nr ? load<f32>(s + (<usize>k << 2)) : 0);
      }
    }
  }
}

// Four rows of `kc` floats (rowStep bytes apart) → kc groups of four, one
// group per k, groups dstStep bytes apart: the 4×4 transposes that packing
// from the "wrong" orientation needs, four k at a time.
function transposeRows4(src: usize, rowStep: usize, kc: i32, dst: usize, dstStep: usize): void {
  const s1 = src + rowStep;
  const s2 = s1 + rowStep;
  const s3 = s2 + rowStep;
  let k = 0;
  for (; k + 4 <= kc; k += 4) {
    const o = <usize>k << 2;
    const r0 = v128.load(src + o);
    const r1 = v128.load(s1 + o);
    const r2 = v128.load(s2 + o);
    const r3 = v128.load(s3 + o);
    const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5);
    const t1 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7);
    const t2 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
    const t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
    const d = dst + <usize>k * dstStep;
    v128.store(d, v128.shuffle<i32>(t0, t2, 0, 1, 4, 5));
    v128.store(d + dstStep, v128.shuffle<i32>(t0, t2, 2, 3, 6, 7));
    v128.store(d + 2 * dstStep, v128.shuffle<i32>(t1, t3, 0, 1, 4, 5));
    v128.store(d + 3 * dstStep, v128.shuffle<i32>(t1, t3, 2, 3, 6, 7));
  }
  for (; k < kc; k++) {
    const o = <usize>k << 2;
    const d = dst + <usize>k * dstStep;
    store<f32>(d, load<f32>(src + o));
    store<f32>(d, load<f32>(s1 + o), 4);
    store<f32>(d, load<f32>(s2 + o), 8);
    store<f32>(d, load<f32>(s3 + o), 12);
  }
}

// Packed mc×kc A panels times packed kc×nc B panels into C (pointing at the block's corner).
function macroKernel(
  mc: i32,
  nc: i32,
  kc: i32,
  alpha: f32,
  pa: usize,
  pb: usize,
  panelStrideB: i32,
  beta: f32,
  c: usize,
  ldc: i32,
): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = min(NR, nc - j0);
    const bPanel = pb + <usize>(j0 / NR) * panelStrideB;
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const mr = min(MR, mc - i0);
      const aPanel = pa + <usize>(i0 / MR) * kc * MR * 4;
      const cTile = c + (<usize>i0 * ldc + j0) * 4;
      if (mr == MR && nr == NR) {
        micro4x8(kc, aPanel, bPanel, alpha, beta, cTile, ldc);
      } else {
        micro4x8(kc, aPanel, bPanel, 1, 0, edgeTile, NR);
        mergeEdge(mr, nr, alpha, beta, cTile, ldc);
      }
    }
  }
}

// acc[4×8] = Σ_k a[k·4 + r]·b[k·8 + c]; then C ← α·acc + β·C (β = 0: C is not read).
@inline
function micro4x8(kc: i32, pa: usize, pb: usize, alpha: f32, beta: f32, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0);
  let c01 = c00;
  let c10 = c00;
  let c11 = c00;
  let c20 = c00;
  let c21 = c00;
  let c30 = c00;
  let c31 = c00;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(pa, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(pa, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(pa, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    pa += 16;
    pb += 32;
  }
  const stride = <usize>ldc * 4;
  storeRow(c, c00, c01, alpha, beta);
  storeRow(c + stride, c10, c11, alpha, beta);
  storeRow(c + 2 * stride, c20, c21, alpha, beta);
  storeRow(c + 3 * stride, c30, c31, alpha, beta);
}

// c + a·b per lane. Stock: multiply, round, add, round, the same on every host. Relaxed: one
// rounding where the CPU has FMA, so sums differ in the last bits (why that build is opt-in).
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

@inline
function storeRow(p: usize, x0: v128, x1: v128, alpha: f32, beta: f32): void {
  const va = f32x4.splat(alpha);
  if (beta == 0) {
    v128.store(p, f32x4.mul(va, x0));
    v128.store(p, f32x4.mul(va, x1), 16);
  } else {
    const vb = f32x4.splat(beta);
    v128.store(p, f32x4.add(f32x4.mul(va, x0), f32x4.mul(vb, v128.load(p))));
    v128.store(p, f32x4.add(f32x4.mul(va, x1), f32x4.mul(vb, v128.load(p, 16))), 16);
  }
}

function mergeEdge(mr: i32, nr: i32, alpha: f32, beta: f32, c: usize, ldc: i32): void {
  for (let r = 0; r < mr; r++) {
    for (let col = 0; col < nr; col++) {
      const acc = load<f32>(edgeTile + (<usize>(r * NR + col) << 2));
      const p = c + (<usize>(r * ldc + col) << 2);
      store<f32>(p, beta == 0 ? alpha * acc : alpha * acc + beta * load<f32>(p));
    }
  }
}

// Fewer rows than MR with B in packed panels (panelStrideB bytes apart, kc rows used).
// One row at a time against three panels at once: with six accumulators V8
// keeps everything in registers and the loads stream at L3 speed (eight
// accumulators over four panels ran at half the speed).
function smallMPanels(
  transA: i32,
  M: i32,
  nc: i32,
  kc: i32,
  alpha: f32,
  a: usize,
  lda: i32,
  pc: i32,
  pb: usize,
  panelStrideB: i32,
  beta: f32,
  c: usize,
  ldc: i32,
): void {
  const aStep: usize = transA ? <usize>lda * 4 : 4;
  const ps = <usize>panelStrideB;
  for (let i = 0; i < M; i++) {
    const aRow = transA ? a + (<usize>pc * lda + i) * 4 : a + (<usize>i * lda + pc) * 4;
    const cRow = c + <usize>i * ldc * 4;
    let j0 = 0;
    for (; j0 + 3 * NR <= nc; j0 += 3 * NR) {
      let p = pb + <usize>(j0 / NR) * ps;
      let ap = aRow;
      let s0 = f32x4.splat(0);
      let s1 = s0;
      let s2 = s0;
      let s3 = s0;
      let s4 = s0;
      let s5 = s0;
      for (let k = 0; k < kc; k++) {
        const av = v128.load32_splat(ap);
        s0 = madd(av, v128.load(p), s0);
        s1 = madd(av, v128.load(p, 16), s1);
        s2 = madd(av, v128.load(p + ps), s2);
        s3 = madd(av, v128.load(p + ps, 16), s3);
        s4 = madd(av, v128.load(p + 2 * ps), s4);
        s5 = madd(av, v128.load(p + 2 * ps, 16), s5);
        ap += aStep;
        p += 32;
      }
      const cp = cRow + (<usize>j0 << 2);
      storeRow(cp, s0, s1, alpha, beta);
      storeRow(cp + 32, s2, s3, alpha, beta);
      storeRow(cp + 64, s4, s5, alpha, beta);
    }
    for (; j0 < nc; j0 += NR) {
      let p = pb + <usize>(j0 / NR) * ps;
      let ap = aRow;
      let s0 = f32x4.splat(0);
      let s1 = s0;
      for (let k = 0; k < kc; k++) {
        const av = v128.load32_splat(ap);
        s0 = madd(av, v128.load(p), s0);
        s1 = madd(av, v128.load(p, 16), s1);
        ap += aStep;
        p += 32;
      }
      const nr = min(NR, nc - j0);
      const cp = cRow + (<usize>j0 << 2);
      if (nr == NR) {
        storeRow(cp, s0, s1, alpha, beta);
      } else {
        v128.store(edgeTile, s0);
        v128.store(edgeTile, s1, 16);
        mergeEdge(1, nr, alpha, beta, cp, ldc);
      }
    }
  }
}

// Fewer rows than MR with B not transposed: stream B's rows directly (no
// packing pass, which for one row would cost as much as the product itself).
function smallMRows(
  transA: i32,
  M: i32,
  N: i32,
  K: i32,
  alpha: f32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f32,
  c: usize,
  ldc: i32,
): void {
  const aStep: usize = transA ? <usize>lda * 4 : 4;
  const bStep = <usize>ldb * 4;
  for (let pc = 0; pc < K; pc += KC) {
    const kc = min(KC, K - pc);
    const betaEff: f32 = pc == 0 ? beta : 1;
    for (let i = 0; i < M; i++) {
      const aRow = transA ? a + (<usize>pc * lda + i) * 4 : a + (<usize>i * lda + pc) * 4;
      const cRow = c + <usize>i * ldc * 4;
      let j0 = 0;
      for (; j0 + 32 <= N; j0 += 32) {
        let p = b + (<usize>pc * ldb + j0) * 4;
        let ap = aRow;
        let s0 = f32x4.splat(0);
        let s1 = s0;
        let s2 = s0;
        let s3 = s0;
        let s4 = s0;
        let s5 = s0;
        let s6 = s0;
        let s7 = s0;
        for (let k = 0; k < kc; k++) {
          const av = v128.load32_splat(ap);
          s0 = madd(av, v128.load(p), s0);
          s1 = madd(av, v128.load(p, 16), s1);
          s2 = madd(av, v128.load(p, 32), s2);
          s3 = madd(av, v128.load(p, 48), s3);
          s4 = madd(av, v128.load(p, 64), s4);
          s5 = madd(av, v128.load(p, 80), s5);
          s6 = madd(av, v128.load(p, 96), s6);
          s7 = madd(av, v128.load(p, 112), s7);
          ap += aStep;
          p += bStep;
        }
        const cp = cRow + (<usize>j0 << 2);
        storeRow(cp, s0, s1, alpha, betaEff);
        storeRow(cp + 32, s2, s3, alpha, betaEff);
        storeRow(cp + 64, s4, s5, alpha, betaEff);
        storeRow(cp + 96, s6, s7, alpha, betaEff);
      }
      for (; j0 + 4 <= N; j0 += 4) {
        let p = b + (<usize>pc * ldb + j0) * 4;
        let ap = aRow;
        let s0 = f32x4.splat(0);
        for (let k = 0; k < kc; k++) {
          s0 = madd(v128.load32_splat(ap), v128.load(p), s0);
          ap += aStep;
          p += bStep;
        }
        const cp = cRow + (<usize>j0 << 2);
        const va = f32x4.splat(alpha);
        if (betaEff == 0) v128.store(cp, f32x4.mul(va, s0));
        else v128.store(cp, f32x4.add(f32x4.mul(va, s0), f32x4.mul(f32x4.splat(betaEff), v128.load(cp))));
      }
      for (; j0 < N; j0++) {
        let p = b + (<usize>pc * ldb + j0) * 4;
        let ap = aRow;
        let s: f32 = 0;
        for (let k = 0; k < kc; k++) {
          s += load<f32>(ap) * load<f32>(p);
          ap += aStep;
          p += bStep;
        }
        const cp = cRow + (<usize>j0 << 2);
        store<f32>(cp, betaEff == 0 ? alpha * s : alpha * s + betaEff * load<f32>(cp));
      }
    }
  }
}
