// assembly/conv.ts against plain float64 references: im2col / col2im, max and
// average pooling, on shapes that are not multiples of the SIMD width.

import { describe, expect, it } from "vitest";
import { type Engine, KernelError, loadEngine } from "../src/index.js";
import { col2imRef, type Geometry, im2colRef, out, poolRef } from "../src/reference/conv.js";
import { engine, expectClose, lcgFill, tensorOf } from "./helpers.js";

const GEOMETRIES: Geometry[] = [
  { n: 2, H: 7, W: 5, C: 3, K: 3, stride: 2, pad: 1 },
  { n: 1, H: 6, W: 6, C: 5, K: 2, stride: 1, pad: 0 },
  { n: 3, H: 9, W: 8, C: 1, K: 5, stride: 1, pad: 2 },
  { n: 2, H: 4, W: 4, C: 8, K: 3, stride: 1, pad: 1 },
  { n: 1, H: 5, W: 7, C: 4, K: 1, stride: 2, pad: 0 },
  { n: 1, H: 3, W: 3, C: 6, K: 3, stride: 3, pad: 2 }, // a window entirely on padding
];

describe("im2col / col2im", () => {
  it("im2col unrolls each receptive field in (kh, kw, c) order, zero on padding, with a bias column of ones", async () => {
    const e = await engine();
    for (const g of GEOMETRIES) {
      for (const ones of [false, true]) {
        const { OH, OW } = out(g);
        const x = lcgFill(g.n * g.H * g.W * g.C, g.H * 31 + g.C);
        const width = g.K * g.K * g.C + (ones ? 1 : 0);
        const ld = width + 3; // a leading dimension wider than the row
        const xt = tensorOf(e, [x.length], x);
        const cols = tensorOf(e, [g.n * OH * OW * ld], new Float32Array(g.n * OH * OW * ld).fill(7));
        e.kernels.im2col(g.n, g.H, g.W, g.C, g.K, g.stride, g.pad, OH, OW, xt.offset, cols.offset, ld, ones ? 1 : 0);
        const got = e.f32(cols);
        const want = im2colRef(x, g, ones);
        for (let r = 0; r < g.n * OH * OW; r++) {
          expect(Array.from(got.subarray(r * ld, r * ld + width)), `${JSON.stringify(g)} row ${r}`).toEqual(
            Array.from(want.subarray(r * width, (r + 1) * width)),
          );
          expect(got[r * ld + width], "past the row is untouched").toBe(7);
        }
      }
    }
  });

  it("col2im is im2col's adjoint: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩, and it sums overlaps in a fixed order", async () => {
    const e = await engine();
    for (const g of GEOMETRIES) {
      const { OH, OW } = out(g);
      const width = g.K * g.K * g.C;
      const ld = width + 1;
      const x = lcgFill(g.n * g.H * g.W * g.C, 5);
      const y = lcgFill(g.n * OH * OW * ld, 6);
      const yt = tensorOf(e, [y.length], y);
      const dx = tensorOf(e, [x.length], new Float32Array(x.length).fill(3));
      e.kernels.col2im(g.n, g.H, g.W, g.C, g.K, g.stride, g.pad, OH, OW, yt.offset, ld, dx.offset, 0);
      const back = e.f32(dx).slice();
      const ref = col2imRef(y, ld, g);
      expectClose(back, ref, 1e-5, `col2im ${JSON.stringify(g)}`);
      // accumulate = 1 adds onto what is there.
      e.kernels.col2im(g.n, g.H, g.W, g.C, g.K, g.stride, g.pad, OH, OW, yt.offset, ld, dx.offset, 1);
      expectClose(
        e.f32(dx),
        Float64Array.from(ref, (v) => 2 * v),
        2e-5,
        `col2im accumulate ${JSON.stringify(g)}`,
      );
    }
  });
});

describe("pooling", () => {
  const cases = [
    { n: 2, H: 6, W: 4, C: 5, k: 2, s: 2 },
    { n: 1, H: 7, W: 7, C: 3, k: 2, s: 2 }, // odd side: the last row and column are dropped
    { n: 2, H: 5, W: 6, C: 8, k: 3, s: 1 }, // overlapping windows
    { n: 1, H: 4, W: 4, C: 1, k: 4, s: 4 },
  ];

  it("max-pooling: the window maximum and the index of its first occurrence; backward scatters through it", async () => {
    const e = await engine();
    for (const c of cases) {
      const x = lcgFill(c.n * c.H * c.W * c.C, c.C * 7 + c.k);
      // Ties: copy one element onto its neighbour in a window, the first one must win.
      x[c.C] = x[0] as number;
      const ref = poolRef(x, c.n, c.H, c.W, c.C, c.k, c.s, "max");
      const xt = tensorOf(e, [x.length], x);
      const y = e.arena.tensor([ref.y.length]);
      const arg = e.arena.tensor([ref.y.length], "i32");
      e.kernels.maxPoolForward(c.n, c.H, c.W, c.C, c.k, c.s, ref.OH, ref.OW, xt.offset, y.offset, arg.offset);
      expect(Array.from(e.f32(y)), JSON.stringify(c)).toEqual(Array.from(ref.y));
      expect(Array.from(e.i32(arg)), JSON.stringify(c)).toEqual(Array.from(ref.arg));
      const dy = lcgFill(ref.y.length, 3);
      const dyt = tensorOf(e, [dy.length], dy);
      const dx = tensorOf(e, [x.length], new Float32Array(x.length).fill(9));
      e.kernels.maxPoolBackward(dy.length, dyt.offset, arg.offset, x.length, dx.offset);
      const want = new Float64Array(x.length);
      ref.arg.forEach((i, o) => {
        want[i] = (want[i] as number) + (dy[o] as number);
      });
      expectClose(e.f32(dx), want, 1e-6, `maxPool backward ${JSON.stringify(c)}`);
    }
  });

  it("average pooling: the window mean; backward spreads dy/k² over the window", async () => {
    const e = await engine();
    for (const c of cases) {
      const x = lcgFill(c.n * c.H * c.W * c.C, c.C * 11 + c.k);
      const ref = poolRef(x, c.n, c.H, c.W, c.C, c.k, c.s, "avg");
      const xt = tensorOf(e, [x.length], x);
      const y = e.arena.tensor([ref.y.length]);
      e.kernels.avgPoolForward(c.n, c.H, c.W, c.C, c.k, c.s, ref.OH, ref.OW, xt.offset, y.offset);
      expectClose(e.f32(y), ref.y, 1e-6, `avgPool ${JSON.stringify(c)}`);
      // Backward is the adjoint of forward: ⟨pool(x), dy⟩ = ⟨x, pool′(dy)⟩.
      const dy = lcgFill(ref.y.length, 4);
      const dyt = tensorOf(e, [dy.length], dy);
      const dx = tensorOf(e, [x.length], new Float32Array(x.length).fill(9));
      e.kernels.avgPoolBackward(c.n, c.H, c.W, c.C, c.k, c.s, ref.OH, ref.OW, dyt.offset, dx.offset);
      const g = e.f32(dx);
      let lhs = 0;
      let rhs = 0;
      for (let i = 0; i < dy.length; i++) lhs += (ref.y[i] as number) * (dy[i] as number);
      for (let i = 0; i < x.length; i++) rhs += (x[i] as number) * (g[i] as number);
      expect(rhs).toBeCloseTo(lhs, 4);
      if (c.s === c.k) {
        // Non-overlapping windows: every input of a window gets exactly dy/k².
        for (let i = 0; i < x.length; i++) {
          const img = Math.floor(i / (c.H * c.W * c.C));
          const h = Math.floor(i / (c.W * c.C)) % c.H;
          const w = Math.floor(i / c.C) % c.W;
          const ch = i % c.C;
          const oh = Math.floor(h / c.k);
          const ow = Math.floor(w / c.k);
          const want = oh < ref.OH && ow < ref.OW ? (dy[((img * ref.OH + oh) * ref.OW + ow) * c.C + ch] as number) / (c.k * c.k) : 0;
          expect(g[i] as number).toBeCloseTo(want, 6);
        }
      }
    }
  });

  it("the debug build rejects a window that does not fit", async () => {
    const e: Engine = await loadEngine({ debug: true });
    const x = e.arena.tensor([16]);
    expect(() => e.kernels.maxPoolForward(1, 4, 4, 1, 2, 2, 3, 2, x.offset, x.offset, x.offset)).toThrow(KernelError);
  });
});
