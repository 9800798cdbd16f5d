// A plain-TypeScript twin of the bit-serial read (assembly/bit-serial.ts with assembly/adc.ts), float32
// exact: every sum and ADC step rounded as the kernel rounds it, in the kernel's documented order, so a
// test can compare the kernel with it bit for bit at any ADC resolution. Read noise is not modelled
// (tests compare noiseless reads; the noise has its own statistical tests). Not part of the package.

const f = Math.fround;

export interface BitSerialRead {
  batch: number;
  K: number;
  N: number;
  /** batch × K DAC codes (sign × magnitude < 2^bits), row stride ldc. */
  codes: Int32Array;
  ldc: number;
  bits: number;
  /** K × N conductances, row stride ldg; gMinus absent: a reference column (gRef ≠ 0) or nothing. */
  gPlus: Float32Array;
  gMinus?: Float32Array;
  ldg: number;
  blockRows: number;
  adcBits: number;
  /** 0 min–max of the read's partial sums, 1 fixed [lo, hi], 2 MLP+NeuroSim V3.0 (full scale hi, truncating). */
  adcMode: 0 | 1 | 2;
  lo: number;
  hi: number;
  gRef: number;
  outScale: number;
}

/** y (batch × N, stride ldy) += the read, as the kernel computes it. */
export function bitSerialReadRef(r: BitSerialRead, y: Float32Array, ldy: number): void {
  const { batch, K, N, codes, ldc, bits, gPlus, gMinus, ldg, blockRows } = r;
  for (let k0 = 0; k0 < K; k0 += blockRows) {
    const rows = Math.min(blockRows, K - k0);
    let pos = false;
    let neg = false;
    for (let b = 0; b < batch; b++)
      for (let i = 0; i < rows; i++) {
        const q = codes[b * ldc + k0 + i] as number;
        pos ||= q > 0;
        neg ||= q < 0;
      }
    const has = (q: number, k: number, s: number) => q !== 0 && (q < 0 ? 1 : 0) === s && ((Math.abs(q) >> k) & 1) === 1;
    // Σ over `list` (rows of the sub-array, in order) of g's rows, from `from` (f32, column by column).
    const sum = (g: Float32Array, list: number[], from?: Float32Array) => {
      const out = from ? from.slice() : new Float32Array(N);
      for (const i of list) for (let j = 0; j < N; j++) out[j] = f((out[j] as number) + (g[(k0 + i) * ldg + j] as number));
      return out;
    };
    const rowsWhere = (b: number, test: (q: number) => boolean) => {
      const list: number[] = [];
      for (let i = 0; i < rows; i++) if (test(codes[b * ldc + k0 + i] as number)) list.push(i);
      return list;
    };
    const plane = (k: number, s: number, ps: (Float32Array | undefined)[], psM: (Float32Array | undefined)[], active: number[]) =>
      adcAccumulateRef(r, ps, psM, active, f(f(r.outScale * 2 ** k) * (s === 1 ? -1 : 1)), y, ldy);
    if (!gMinus && bits >= 2 && pos !== neg) {
      // One sign, no G⁻ columns: bits k and k + 1 in one pass (rows with both, then only k / only k + 1).
      const s = neg ? 1 : 0;
      for (let k = 0; k < bits; k += 2) {
        if (k + 1 === bits) {
          const lists = Array.from({ length: batch }, (_, b) => rowsWhere(b, (q) => has(q, k, s)));
          if (lists.every((l) => l.length === 0)) continue;
          const ps = lists.map((l) => (l.length > 0 ? sum(gPlus, l) : undefined));
          plane(
            k,
            s,
            ps,
            [],
            lists.map((l) => l.length),
          );
          continue;
        }
        const psK: (Float32Array | undefined)[] = [];
        const psK1: (Float32Array | undefined)[] = [];
        const activeK: number[] = [];
        const activeK1: number[] = [];
        for (let b = 0; b < batch; b++) {
          const both = rowsWhere(b, (q) => has(q, k, s) && has(q, k + 1, s));
          const onlyK = rowsWhere(b, (q) => has(q, k, s) && !has(q, k + 1, s));
          const onlyK1 = rowsWhere(b, (q) => !has(q, k, s) && has(q, k + 1, s));
          activeK.push(both.length + onlyK.length);
          activeK1.push(both.length + onlyK1.length);
          const z = sum(gPlus, both);
          psK.push(sum(gPlus, onlyK, z));
          psK1.push(sum(gPlus, onlyK1, z));
        }
        if (activeK.some((c) => c > 0)) plane(k, s, psK, [], activeK);
        if (activeK1.some((c) => c > 0)) plane(k + 1, s, psK1, [], activeK1);
      }
      continue;
    }
    for (let k = 0; k < bits; k++)
      for (let s = 0; s < 2; s++) {
        const lists = Array.from({ length: batch }, (_, b) => rowsWhere(b, (q) => has(q, k, s)));
        if (lists.every((l) => l.length === 0)) continue;
        const ps = lists.map((l) => (l.length > 0 ? sum(gPlus, l) : undefined));
        const psM = gMinus ? lists.map((l) => (l.length > 0 ? sum(gMinus, l) : undefined)) : [];
        plane(
          k,
          s,
          ps,
          psM,
          lists.map((l) => l.length),
        );
      }
  }
}

/** assembly/adc.ts's adcAccumulate on one plane: rows with active[b] = 0 add nothing. */
function adcAccumulateRef(
  r: BitSerialRead,
  ps: (Float32Array | undefined)[],
  psM: (Float32Array | undefined)[],
  active: number[],
  scale: number,
  y: Float32Array,
  ldy: number,
): void {
  const { N, adcBits: bits, gMinus } = r;
  const pair = gMinus !== undefined;
  const ref = (b: number) => (!pair && r.gRef !== 0 ? f(f(r.gRef) * (active[b] as number)) : undefined);
  if (bits > 0 && r.adcMode === 2) {
    const step = f(r.hi / (2 ** bits - 1));
    for (let b = 0; b < active.length; b++) {
      if (active[b] === 0) continue;
      const rb = ref(b);
      const rr = rb !== undefined ? Math.trunc(f(rb / step)) : 0;
      for (let j = 0; j < N; j++) {
        const minus = pair ? Math.trunc(f((psM[b]?.[j] as number) / step)) : rr;
        const add = f(f(scale * step) * f(Math.trunc(f((ps[b]?.[j] as number) / step)) - minus));
        y[b * ldy + j] = f((y[b * ldy + j] as number) + add);
      }
    }
    return;
  }
  let lo = 0;
  let step = 0;
  let levels = 0;
  if (bits > 0) {
    levels = 2 ** bits;
    let hi: number;
    if (r.adcMode === 1) {
      lo = f(r.lo);
      hi = f(r.hi);
    } else {
      lo = Number.POSITIVE_INFINITY;
      hi = Number.NEGATIVE_INFINITY;
      for (let b = 0; b < active.length; b++) {
        if (active[b] === 0) continue;
        for (const row of pair ? [ps[b], psM[b]] : [ps[b]])
          for (let j = 0; j < N; j++) {
            lo = Math.min(lo, row?.[j] as number);
            hi = Math.max(hi, row?.[j] as number);
          }
        const rb = ref(b);
        if (rb !== undefined) {
          lo = Math.min(lo, rb);
          hi = Math.max(hi, rb);
        }
      }
      if (lo > hi) return;
    }
    step = f(f(hi - lo) / levels);
  }
  const adc = (v: number) => {
    if (levels === 0 || step === 0) return v;
    const q = Math.min(Math.max(Math.floor(f(f(v - lo) / step)), 0), levels - 1);
    return f(lo + f(f(q + 0.5) * step));
  };
  for (let b = 0; b < active.length; b++) {
    if (active[b] === 0) continue;
    const rb = ref(b);
    const rr = rb !== undefined ? adc(rb) : 0;
    for (let j = 0; j < N; j++) {
      const minus = pair ? adc(psM[b]?.[j] as number) : rr;
      y[b * ldy + j] = f((y[b * ldy + j] as number) + f(scale * f(adc(ps[b]?.[j] as number) - minus)));
    }
  }
}
