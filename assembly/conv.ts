// Convolution lowering and pooling on NHWC feature maps (f32, row-major:
// image, row, column, channel — channels fastest).
//
// A convolution runs on a crossbar as a matrix product: every output position
// applies one input vector, the receptive field unrolled in (kh, kw, c) order,
// to an array of K·K·C_in rows × C_out columns. `im2col` builds those vectors
// and `col2im` is its adjoint (the transposed read's results, summed back onto
// the input map). In NHWC the K kernel columns of one kernel row are K·C
// consecutive floats of the input, so both copy whole runs with SIMD.
//
// Pooling windows are k × k with stride s and no padding (OH = ⌊(H − k)/s⌋ + 1).
// Max-pooling records, per output, the element index (relative to x) of the
// first maximum in window order; its backward pass scatters through them.
// Every sum has a fixed order, so results never depend on how a batch is cut.

/** dst[0..n) = src[0..n) (the ranges do not overlap). */
@inline
function copyRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    v128.store(dst + o, v128.load(src + o));
    v128.store(dst + o, v128.load(src + o, 16), 16);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, v128.load(src + o));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(src + o));
  }
}

/** dst[0..n) = 0 */
@inline
function zeroRun(dst: usize, n: i32): void {
  const z = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), z);
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
}

/** dst[0..n) += src[0..n) */
@inline
function addRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/** dst[0..n) += s·src[0..n) */
@inline
function addScaledRun(dst: usize, src: usize, s: f32, n: i32): void {
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), f32x4.mul(vs, v128.load(src + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + s * load<f32>(src + o));
  }
}

/**
 * Unrolls n NHWC images (H × W × C, at x) into n·OH·OW rows at `cols`, row
 * (img, oh, ow) holding the receptive field in (kh, kw, c) order — K·K·C
 * values, zero where the window covers padding — with leading dimension ldc
 * (elements, ≥ K·K·C). With `ones` set, column K·K·C of every row is 1 (a
 * bias row of the array, driven by a constant input).
 */
export function im2col(
  n: i32,
  H: i32,
  W: i32,
  C: i32,
  K: i32,
  stride: i32,
  pad: i32,
  OH: i32,
  OW: i32,
  x: usize,
  cols: usize,
  ldc: i32,
  ones: i32,
): void {
  assert(n >= 0 && H > 0 && W > 0 && C > 0 && K > 0 && stride > 0 && pad >= 0, "im2col: bad geometry");
  assert(ldc >= K * K * C + (ones != 0 ? 1 : 0), "im2col: ldc too small");
  const run = K * C; // one kernel row
  const rowStep = <usize>ldc << 2;
  let row = cols;
  for (let img = 0; img < n; img++) {
    const image = x + <usize>img * H * W * C * 4;
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * stride - pad;
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * stride - pad;
        // Kernel columns inside the image: [kwLo, kwHi).
        const kwLo = iw0 < 0 ? min(K, -iw0) : 0;
        const kwHi = max(kwLo, min(K, W - iw0));
        let d = row;
        for (let kh = 0; kh < K; kh++) {
          const ih = ih0 + kh;
          if (ih < 0 || ih >= H) {
            zeroRun(d, run);
          } else {
            if (kwLo > 0) zeroRun(d, kwLo * C);
            const src = image + ((<usize>ih * W + iw0 + kwLo) * C << 2);
            copyRun(d + (<usize>(kwLo * C) << 2), src, (kwHi - kwLo) * C);
            if (kwHi < K) zeroRun(d + (<usize>(kwHi * C) << 2), (K - kwHi) * C);
          }
          d += <usize>run << 2;
        }
        if (ones != 0) store<f32>(d, 1);
        row += rowStep;
      }
    }
  }
}

/**
 * The adjoint of `im2col`: adds every row's K·K·C values (leading dimension
 * ldc; further columns are ignored) onto the input positions they were taken
 * from, in row order, and drops those that fell on padding. `accumulate` 0
 * zeroes the n × H × W × C map at x first.
 */
export function col2im(
  n: i32,
  H: i32,
  W: i32,
  C: i32,
  K: i32,
  stride: i32,
  pad: i32,
  OH: i32,
  OW: i32,
  cols: usize,
  ldc: i32,
  x: usize,
  accumulate: i32,
): void {
  assert(n >= 0 && H > 0 && W > 0 && C > 0 && K > 0 && stride > 0 && pad >= 0, "col2im: bad geometry");
  assert(ldc >= K * K * C, "col2im: ldc too small");
  if (accumulate == 0) zeroRun(x, n * H * W * C);
  const run = K * C;
  const rowStep = <usize>ldc << 2;
  let row = cols;
  for (let img = 0; img < n; img++) {
    const image = x + <usize>img * H * W * C * 4;
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * stride - pad;
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * stride - pad;
        const kwLo = iw0 < 0 ? min(K, -iw0) : 0;
        const kwHi = max(kwLo, min(K, W - iw0));
        let s = row;
        for (let kh = 0; kh < K; kh++) {
          const ih = ih0 + kh;
          if (ih >= 0 && ih < H && kwHi > kwLo) {
            const dst = image + ((<usize>ih * W + iw0 + kwLo) * C << 2);
            addRun(dst, s + (<usize>(kwLo * C) << 2), (kwHi - kwLo) * C);
          }
          s += <usize>run << 2;
        }
        row += rowStep;
      }
    }
  }
}

/**
 * Max-pooling of n NHWC maps (H × W × C at x) with k × k windows and stride s
 * into y (n × OH × OW × C). argmax (i32, same size as y) receives the element
 * index, relative to x, of each window's first maximum (windows are scanned
 * row by row).
 */
export function maxPoolForward(n: i32, H: i32, W: i32, C: i32, k: i32, s: i32, OH: i32, OW: i32, x: usize, y: usize, argmax: usize): void {
  assert(k > 0 && s > 0 && OH >= 0 && OW >= 0 && (OH == 0 || (OH - 1) * s + k <= H) && (OW == 0 || (OW - 1) * s + k <= W), "maxPool: bad geometry");
  const lanes = i32x4(0, 1, 2, 3);
  let out = 0; // output element index
  for (let img = 0; img < n; img++) {
    const base = img * H * W * C;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const first = base + (oh * s * W + ow * s) * C; // element index of the window's corner, channel 0
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          let best = v128.load(x + (<usize>(first + c) << 2));
          let index = i32x4.add(i32x4.splat(first + c), lanes);
          for (let kh = 0; kh < k; kh++) {
            for (let kw = 0; kw < k; kw++) {
              if (kh == 0 && kw == 0) continue;
              const e = first + (kh * W + kw) * C + c;
              const v = v128.load(x + (<usize>e << 2));
              const greater = f32x4.gt(v, best);
              best = v128.bitselect(v, best, greater);
              index = v128.bitselect(i32x4.add(i32x4.splat(e), lanes), index, greater);
            }
          }
          v128.store(y + (<usize>(out + c) << 2), best);
          v128.store(argmax + (<usize>(out + c) << 2), index);
        }
        for (; c < C; c++) {
          let best = load<f32>(x + (<usize>(first + c) << 2));
          let index = first + c;
          for (let kh = 0; kh < k; kh++) {
            for (let kw = 0; kw < k; kw++) {
              const e = first + (kh * W + kw) * C + c;
              const v = load<f32>(x + (<usize>e << 2));
              if (v > best) {
                best = v;
                index = e;
              }
            }
          }
          store<f32>(y + (<usize>(out + c) << 2), best);
          store<i32>(argmax + (<usize>(out + c) << 2), index);
        }
        out += C;
      }
    }
  }
}

/**
 * Max-pooling's backward pass: dx (xCount elements) = 0, then
 * dx[argmax[i]] += dy[i] for the yCount outputs in order.
 */
export function maxPoolBackward(yCount: i32, dy: usize, argmax: usize, xCount: i32, dx: usize): void {
  zeroRun(dx, xCount);
  for (let i = 0; i < yCount; i++) {
    const o = <usize>i << 2;
    const p = dx + (<usize>load<i32>(argmax + o) << 2);
    store<f32>(p, load<f32>(p) + load<f32>(dy + o));
  }
}

/** Average pooling (k × k windows, stride s, no padding): y = the window's sum, in window order, times 1/k². */
export function avgPoolForward(n: i32, H: i32, W: i32, C: i32, k: i32, s: i32, OH: i32, OW: i32, x: usize, y: usize): void {
  assert(k > 0 && s > 0 && OH >= 0 && OW >= 0 && (OH == 0 || (OH - 1) * s + k <= H) && (OW == 0 || (OW - 1) * s + k <= W), "avgPool: bad geometry");
  const inv: f32 = 1 / <f32>(k * k);
  let out = y;
  for (let img = 0; img < n; img++) {
    const image = x + <usize>img * H * W * C * 4;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const corner = image + (<usize>(oh * s * W + ow * s) * C << 2);
        copyRun(out, corner, C);
        for (let kh = 0; kh < k; kh++) {
          for (let kw = 0; kw < k; kw++) {
            if (kh == 0 && kw == 0) continue;
            addRun(out, corner + (<usize>((kh * W + kw) * C) << 2), C);
          }
        }
        scaleRun(out, inv, C);
        out += <usize>C << 2;
      }
    }
  }
}

@inline
function scaleRun(p: usize, s: f32, n: i32): void {
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(p + o, f32x4.mul(vs, v128.load(p + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(p + o, s * load<f32>(p + o));
  }
}

/** Average pooling's backward pass: dx = 0, then every window's inputs += dy/k², outputs in order. */
export function avgPoolBackward(n: i32, H: i32, W: i32, C: i32, k: i32, s: i32, OH: i32, OW: i32, dy: usize, dx: usize): void {
  assert(k > 0 && s > 0 && OH >= 0 && OW >= 0 && (OH == 0 || (OH - 1) * s + k <= H) && (OW == 0 || (OW - 1) * s + k <= W), "avgPool: bad geometry");
  zeroRun(dx, n * H * W * C);
  const inv: f32 = 1 / <f32>(k * k);
  let g = dy;
  for (let img = 0; img < n; img++) {
    const image = dx + <usize>img * H * W * C * 4;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const corner = image + (<usize>(oh * s * W + ow * s) * C << 2);
        for (let kh = 0; kh < k; kh++) {
          for (let kw = 0; kw < k; kw++) {
            addScaledRun(corner + (<usize>((kh * W + kw) * C) << 2), g, inv, C);
          }
        }
        g += <usize>C << 2;
      }
    }
  }
}
