// The convolution helpers in plain TypeScript (NHWC): im2col and pooling as their definitions
// read, the twins test/conv-kernels.test.ts checks assembly/conv.ts against. Not part of the package.

export interface Geometry {
  n: number;
  H: number;
  W: number;
  C: number;
  K: number;
  stride: number;
  pad: number;
}

export const out = (g: Geometry) => ({
  OH: Math.floor((g.H + 2 * g.pad - g.K) / g.stride) + 1,
  OW: Math.floor((g.W + 2 * g.pad - g.K) / g.stride) + 1,
});

/** NHWC x at (img, h, w, c), 0 outside the image. */
export function at(x: Float32Array, g: Geometry, img: number, h: number, w: number, c: number): number {
  if (h < 0 || h >= g.H || w < 0 || w >= g.W) return 0;
  return x[((img * g.H + h) * g.W + w) * g.C + c] as number;
}

export function im2colRef(x: Float32Array, g: Geometry, ones: boolean): Float32Array {
  const { OH, OW } = out(g);
  const width = g.K * g.K * g.C + (ones ? 1 : 0);
  const cols = new Float32Array(g.n * OH * OW * width);
  let r = 0;
  for (let img = 0; img < g.n; img++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++, r++) {
        let j = 0;
        for (let kh = 0; kh < g.K; kh++)
          for (let kw = 0; kw < g.K; kw++)
            for (let c = 0; c < g.C; c++) cols[r * width + j++] = at(x, g, img, oh * g.stride - g.pad + kh, ow * g.stride - g.pad + kw, c);
        if (ones) cols[r * width + j] = 1;
      }
  return cols;
}

/** col2im: every column entry of y (rows of width K·K·C, stride ld) scatter-added back to its pixel, in float64; padding drops out. */
export function col2imRef(y: ArrayLike<number>, ld: number, g: Geometry): Float64Array {
  const { OH, OW } = out(g);
  const ref = new Float64Array(g.n * g.H * g.W * g.C);
  let r = 0;
  for (let img = 0; img < g.n; img++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++, r++) {
        let j = 0;
        for (let kh = 0; kh < g.K; kh++)
          for (let kw = 0; kw < g.K; kw++)
            for (let c = 0; c < g.C; c++, j++) {
              const h = oh * g.stride - g.pad + kh;
              const w = ow * g.stride - g.pad + kw;
              if (h < 0 || h >= g.H || w < 0 || w >= g.W) continue;
              const i = ((img * g.H + h) * g.W + w) * g.C + c;
              ref[i] = (ref[i] as number) + (y[r * ld + j] as number);
            }
      }
  return ref;
}

export function poolRef(x: Float32Array, n: number, H: number, W: number, C: number, k: number, s: number, type: "max" | "avg") {
  const OH = Math.floor((H - k) / s) + 1;
  const OW = Math.floor((W - k) / s) + 1;
  const y = new Float64Array(n * OH * OW * C);
  const arg = new Int32Array(y.length);
  let o = 0;
  for (let img = 0; img < n; img++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let c = 0; c < C; c++, o++) {
          let best = Number.NEGATIVE_INFINITY;
          let sum = 0;
          for (let kh = 0; kh < k; kh++)
            for (let kw = 0; kw < k; kw++) {
              const i = ((img * H + oh * s + kh) * W + ow * s + kw) * C + c;
              const v = x[i] as number;
              sum += v;
              if (v > best) {
                best = v;
                arg[o] = i;
              }
            }
          y[o] = type === "max" ? best : sum / (k * k);
        }
  return { y, arg, OH, OW };
}
