// Elementwise kernels over f32 arrays of n elements. Output pointers may equal
// an input pointer (in place). Transcendentals use AssemblyScript's own Mathf,
// compiled into the module, so every JavaScript engine gives the same bits.

/** out[i] = value */
export function fill(out: usize, value: f32, n: i32): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), value);
}

/** out[i] = a[i] + b[i] */
export function add(out: usize, a: usize, b: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) + load<f32>(b + o));
  }
}

/** out[i] = s·x[i] */
export function scale(out: usize, x: usize, s: f32, n: i32): void {
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(vs, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, s * load<f32>(x + o));
  }
}

/** out[i·n + j] = (x[i]·y[j])·s for i < m, j < n: a batch-1 weight gradient (s = 1), or the update it asks for. */
export function outer(m: i32, n: i32, x: usize, y: usize, s: f32, out: usize): void {
  const vs = f32x4.splat(s);
  for (let i = 0; i < m; i++) {
    const xi = load<f32>(x + (<usize>i << 2));
    const vx = f32x4.splat(xi);
    const row = out + (<usize>(i * n) << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      v128.store(row + o, f32x4.mul(f32x4.mul(vx, v128.load(y + o)), vs));
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      store<f32>(row + o, xi * load<f32>(y + o) * s);
    }
  }
}

/**
 * out (rows × cols) = sign(w)ᵀ ⊙ M · mult: out[j·cols + i] = sign(w[i·ldw + j])·m·mult for the first
 * `cols` rows of w (ldw wide), with m = |2u[j·cols + i] − 1| from uniforms u, or 1 when u is 0.
 * sign(0) = 0. Sign-symmetric feedback (Liao, Leibo & Poggio 2016).
 */
export function signOfTransposed(rows: i32, cols: i32, w: usize, ldw: i32, u: usize, mult: f32, out: usize): void {
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const v = load<f32>(w + ((<usize>i * ldw + j) << 2));
      const s: f32 = v > 0 ? 1 : v < 0 ? -1 : 0;
      const o = <usize>(j * cols + i) << 2;
      const m: f32 = u != 0 ? Mathf.abs(2 * load<f32>(u + o) - 1) : 1;
      store<f32>(out + o, s * m * mult);
    }
  }
}

/**
 * out (rows × cols) = srcᵀ·s − decay·b: out[j·cols + i] = src[i·lds + j]·s − decay·b[j·cols + i]
 * over the first `cols` rows of src (lds wide). A Kolen–Pollack feedback update from W's change.
 */
export function transposedChange(rows: i32, cols: i32, src: usize, lds: i32, s: f32, decay: f32, b: usize, out: usize): void {
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const o = <usize>(j * cols + i) << 2;
      store<f32>(out + o, load<f32>(src + ((<usize>i * lds + j) << 2)) * s - decay * load<f32>(b + o));
    }
  }
}

/**
 * Mixed-precision accumulation (Nandakumar et al. 2020): chi[i] += change[i]; where |chi| reaches
 * `threshold` pulses of `step` (stepUp for a positive chi, stepDown for a negative one) the whole
 * pulses it holds, trunc(chi/step), go to out[i] as q·step and leave chi; elsewhere out[i] = 0.
 */
export function accumulateFire(n: i32, chi: usize, change: usize, stepUp: f32, stepDown: f32, threshold: f32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const c = load<f32>(chi + o) + load<f32>(change + o);
    const step = c >= 0 ? stepUp : stepDown;
    const pulses = Mathf.trunc(c / step);
    if (Mathf.abs(pulses) >= threshold) {
      const d = pulses * step;
      store<f32>(out + o, d);
      store<f32>(chi + o, c - d);
    } else {
      store<f32>(out + o, 0);
      store<f32>(chi + o, c);
    }
  }
}

/** y[i] = y[i] + a·x[i] */
export function axpy(y: usize, a: f32, x: usize, n: i32): void {
  const va = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + a * load<f32>(x + o));
  }
}

/** out[i] = min(max(x[i], lo), hi); NaN stays NaN. */
export function clamp(out: usize, x: usize, lo: f32, hi: f32, n: i32): void {
  assert(lo <= hi, "clamp: lo > hi");
  const vlo = f32x4.splat(lo);
  const vhi = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    // pmax/pmin return their first operand when the comparison fails, so NaN passes through.
    v128.store(out + o, f32x4.pmin(f32x4.pmax(v128.load(x + o), vlo), vhi));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let v = load<f32>(x + o);
    if (v < lo) v = lo;
    if (v > hi) v = hi;
    store<f32>(out + o, v);
  }
}

/** y[i] = max(x[i], 0) */
/** y[i] = x[i] ≥ threshold ? 1 : 0 (MLP+NeuroSim V3.0's round_th: a sigmoid output of exactly 0.5 is 1). */
export function binarize(y: usize, x: usize, n: i32, threshold: f32): void {
  const t = f32x4.splat(threshold);
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, v128.and(f32x4.ge(v128.load(x + o), t), one));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(x + o) >= threshold ? 1 : 0);
  }
}

export function relu(y: usize, x: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.pmax(v128.load(x + o), zero));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    store<f32>(y + o, v < 0 ? 0 : v);
  }
}

/** dx[i] = x[i] > 0 ? dy[i] : 0 — ReLU's derivative applied to the upstream gradient. */
export function reluBackward(dx: usize, dy: usize, x: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, v128.and(v128.load(dy + o), f32x4.gt(v128.load(x + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, load<f32>(x + o) > 0 ? load<f32>(dy + o) : 0);
  }
}

/** y[i] = 1 / (1 + e^(−x[i])) */
export function sigmoid(y: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, sigmoidOf(load<f32>(x + o)));
  }
}

/** dx[i] = dy[i]·y[i]·(1 − y[i]), with y the sigmoid's output. */
export function sigmoidBackward(dx: usize, dy: usize, y: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(y + o);
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), f32x4.mul(v, f32x4.sub(one, v))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(y + o);
    store<f32>(dx + o, load<f32>(dy + o) * (v * (1 - v)));
  }
}

/** y[i] = tanh(x[i]) */
export function tanh(y: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, Mathf.tanh(load<f32>(x + o)));
  }
}

/** dx[i] = dy[i]·(1 − y[i]²), with y the tanh's output. */
export function tanhBackward(dx: usize, dy: usize, y: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(y + o);
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), f32x4.sub(one, f32x4.mul(v, v))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(y + o);
    store<f32>(dx + o, load<f32>(dy + o) * (1 - v * v));
  }
}

@inline
function sigmoidOf(v: f32): f32 {
  // Both branches only ever exponentiate a non-positive number: no overflow.
  if (v >= 0) return 1 / (1 + Mathf.exp(-v));
  const e = Mathf.exp(v);
  return e / (1 + e);
}

/** dst[r, c] = src[r, c] for r < rows, c < cols, with leading dimensions lds / ldd (elements). */
export function copyMatrix(rows: i32, cols: i32, src: usize, lds: i32, dst: usize, ldd: i32): void {
  for (let r = 0; r < rows; r++) memory.copy(dst + <usize>r * ldd * 4, src + <usize>r * lds * 4, <usize>cols << 2);
}

/** v[i] = μ·v[i] + s·g[i]: momentum accumulation (s = 1 − dampening). */
export function momentum(v: usize, g: usize, mu: f32, s: f32, n: i32): void {
  const vm = f32x4.splat(mu);
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(v + o, f32x4.add(f32x4.mul(vm, v128.load(v + o)), f32x4.mul(vs, v128.load(g + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(v + o, mu * load<f32>(v + o) + s * load<f32>(g + o));
  }
}
