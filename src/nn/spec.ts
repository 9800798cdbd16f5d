// Model spec strings → layer shapes. Pure shape information: the cost model maps these onto
// arrays, and the training code builds its layers from the same list.

import { InputError } from "../engine/errors.js";
import { preview } from "../engine/preview.js";

/** One weight layer (a crossbar matrix), with the shapes of its input and output feature maps. */
export interface LayerShape {
  kind: "conv" | "dense";
  /** "conv1", "fc2", …: 1-based, counted per kind. */
  name: string;
  /** Input feature map; dense layers have 1 × 1 × features. */
  inChannels: number;
  inHeight: number;
  inWidth: number;
  /** Square kernel side (1 for dense), stride and zero padding on each side. */
  kernel: number;
  stride: number;
  padding: number;
  /** Output feature map before pooling. */
  outChannels: number;
  outHeight: number;
  outWidth: number;
  /** Pooling window after the activation, with stride equal to the window (1: none, 2: 2 × 2 with stride 2). */
  pool: number;
  /** Kind of that pooling; absent means max-pooling (VGG-8's). */
  poolType?: "max" | "avg";
  /** Weights: inChannels · kernel² · outChannels (no bias, as NeuroSim's VGG-8). */
  weights: number;
  /** Multiply-accumulates per image: outHeight · outWidth · weights. */
  macs: number;
  /** Output neurons before pooling: outChannels · outHeight · outWidth (the rows of a DFA feedback matrix). */
  neurons: number;
  /** Rows of the unrolled weight matrix: inChannels · kernel². */
  rows: number;
  /** Output positions per image (input vectors applied to the matrix): outHeight · outWidth. */
  positions: number;
}

export interface ModelSpec {
  /** The spec string it was parsed from, normalized. */
  spec: string;
  input: { channels: number; height: number; width: number };
  /** Output classes (the last layer's outputs). */
  classes: number;
  layers: LayerShape[];
}

export const MODEL_SPEC_HELP =
  "mlp:N-N-…-N (at least two sizes, each 1 … 1,000,000), vgg8, vgg8:W (W first-layer channels, 1 … 4096), cnn-small, cnn:CxHxW-STAGE-…-fcN (stages cN[kK][sS][pP], mpK, apK, fcN)";

interface ConvArgs {
  out: number;
  kernel?: number;
  padding?: number;
  stride?: number;
  pool?: number;
  poolType?: "max" | "avg";
}

/** Builds the layer list for a sequence of conv / dense stages, tracking the feature-map shape. */
class Builder {
  readonly layers: LayerShape[] = [];
  private counts = { conv: 0, dense: 0 };
  constructor(
    private c: number,
    private h: number,
    private w: number,
  ) {}

  /** The current feature map (channels, height, width). */
  get map(): { c: number; h: number; w: number } {
    return { c: this.c, h: this.h, w: this.w };
  }

  conv({ out, kernel = 3, padding = 1, stride = 1, pool = 1, poolType }: ConvArgs): this {
    const outHeight = Math.floor((this.h + 2 * padding - kernel) / stride) + 1;
    const outWidth = Math.floor((this.w + 2 * padding - kernel) / stride) + 1;
    this.push("conv", this.c, this.h, this.w, kernel, stride, padding, out, outHeight, outWidth, pool);
    if (poolType === "avg") (this.layers[this.layers.length - 1] as LayerShape).poolType = "avg";
    this.c = out;
    this.h = Math.floor(outHeight / pool);
    this.w = Math.floor(outWidth / pool);
    return this;
  }

  dense(out: number): this {
    const features = this.c * this.h * this.w;
    this.push("dense", features, 1, 1, 1, 1, 0, out, 1, 1, 1);
    this.c = out;
    this.h = 1;
    this.w = 1;
    return this;
  }

  private push(
    kind: LayerShape["kind"],
    inChannels: number,
    inHeight: number,
    inWidth: number,
    kernel: number,
    stride: number,
    padding: number,
    outChannels: number,
    outHeight: number,
    outWidth: number,
    pool: number,
  ): void {
    this.counts[kind]++;
    const weights = inChannels * kernel * kernel * outChannels;
    const positions = outHeight * outWidth;
    this.layers.push({
      kind,
      name: `${kind === "conv" ? "conv" : "fc"}${this.counts[kind]}`,
      inChannels,
      inHeight,
      inWidth,
      kernel,
      stride,
      padding,
      outChannels,
      outHeight,
      outWidth,
      pool,
      weights,
      macs: positions * weights,
      neurons: outChannels * positions,
      rows: inChannels * kernel * kernel,
      positions,
    });
  }
}

/**
 * VGG-8 exactly as DNN+NeuroSim V2.1 (its Training_pytorch/NeuroSIM/NetWork.csv): six 3 × 3 "same" convolutions
 * 128-128-P-256-256-P-512-512-P (P: 2 × 2 max-pool), then FC 8192 → 1024 → 10; no bias, no batch-norm.
 * `vgg8:W` scales every width by W/128 (W-W-P-2W-2W-P-4W-4W-P, FC 64W → 8W → 10): the same network
 * narrower or wider, for width sweeps and for runs that must be cheap; `vgg8:128` is `vgg8`.
 */
function vgg8(w = 128): ModelSpec {
  const b = new Builder(3, 32, 32)
    .conv({ out: w })
    .conv({ out: w, pool: 2 })
    .conv({ out: 2 * w })
    .conv({ out: 2 * w, pool: 2 })
    .conv({ out: 4 * w })
    .conv({ out: 4 * w, pool: 2 })
    .dense(8 * w)
    .dense(10);
  return { spec: w === 128 ? "vgg8" : `vgg8:${w}`, input: { channels: 3, height: 32, width: 32 }, classes: 10, layers: b.layers };
}

const MAX_VGG_WIDTH = 4096;

/** A small CNN for 28 × 28 inputs: conv 3×3 32 → pool 2 → conv 3×3 64 → pool 2 → fc 128 → fc 10 (padding 1). */
function cnnSmall(): ModelSpec {
  const b = new Builder(1, 28, 28).conv({ out: 32, pool: 2 }).conv({ out: 64, pool: 2 }).dense(128).dense(10);
  return { spec: "cnn-small", input: { channels: 1, height: 28, width: 28 }, classes: 10, layers: b.layers };
}

const MAX_WIDTH = 1_000_000;
/** Weight layers a spec may have: far past any network trained in-situ, short of what builds for minutes. */
const MAX_LAYERS = 1_000;

function mlp(spec: string, body: string, path: string): ModelSpec {
  const parts = body.split("-");
  const sizes = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
  if (parts.length < 2 || sizes.some((n) => !Number.isSafeInteger(n) || n < 1 || n > MAX_WIDTH)) {
    throw new InputError(`${path}: ${preview(spec)} is not a valid MLP spec; expected ${MODEL_SPEC_HELP}`);
  }
  if (sizes.length - 1 > MAX_LAYERS)
    throw new InputError(`${path}: ${sizes.length - 1} weight layers, more than the ${MAX_LAYERS} a model may have`);
  const b = new Builder(sizes[0] as number, 1, 1);
  for (const n of sizes.slice(1)) b.dense(n);
  return {
    spec: `mlp:${sizes.join("-")}`,
    input: { channels: sizes[0] as number, height: 1, width: 1 },
    classes: sizes[sizes.length - 1] as number,
    layers: b.layers,
  };
}

const MAX_SIDE = 4096;
const MAX_KERNEL = 64;

/**
 * A custom stack: `cnn:CxHxW-` then stages separated by `-`: `cN` a convolution with N output
 * channels (suffixes `kK` kernel, default 3; `sS` stride, default 1; `pP` zero padding, default
 * ⌊K/2⌋), `mpK` / `apK` K × K max / average pooling with stride K after a convolution, `fcN` a
 * fully connected layer (the map is flattened before the first). The last stage is `fcN`.
 * `cnn:1x28x28-c32-mp2-c64-mp2-fc128-fc10` is cnn-small.
 */
function cnn(spec: string, path: string): ModelSpec {
  const fail = (why: string): never => {
    throw new InputError(
      `${path}: ${preview(spec)} is not a valid CNN spec: ${why.length > 200 ? `${why.slice(0, 200)}…` : why}; expected ${MODEL_SPEC_HELP}`,
    );
  };
  const parts = spec.slice(4).split("-");
  const input = /^(\d+)x(\d+)x(\d+)$/.exec(parts[0] ?? "");
  if (!input) return fail(`the input "${parts[0] ?? ""}" is not CxHxW`);
  const [c, h, w] = [Number(input[1]), Number(input[2]), Number(input[3])];
  if ([c, h, w].some((v) => !Number.isSafeInteger(v) || v < 1 || v > MAX_SIDE)) return fail(`input sizes must be 1 … ${MAX_SIDE}`);
  const b = new Builder(c, h, w);
  const stages = parts.slice(1);
  if (stages.length === 0) return fail("it has no layers");
  if (stages.length > 2 * MAX_LAYERS) return fail(`${stages.length} stages, more than a model may have`);
  const convs: ConvArgs[] = [];
  let dense = false;
  let poolAfter = false;
  const flushConv = () => {
    const args = convs.pop();
    if (!args) return;
    const m = b.map;
    const k = args.kernel as number;
    const p = args.padding as number;
    if (m.h + 2 * p < k || m.w + 2 * p < k) fail(`a ${k}×${k} kernel does not fit the ${m.h}×${m.w} map (padding ${p})`);
    b.conv(args);
    const last = b.layers[b.layers.length - 1] as LayerShape;
    if (last.pool > last.outHeight || last.pool > last.outWidth)
      fail(`pooling ${last.pool}×${last.pool} does not fit the ${last.outHeight}×${last.outWidth} map`);
  };
  for (const stage of stages) {
    const conv = /^c(\d+)(?:k(\d+))?(?:s(\d+))?(?:p(\d+))?$/.exec(stage);
    const pool = /^(mp|ap)(\d+)$/.exec(stage);
    const fc = /^fc(\d+)$/.exec(stage);
    if (conv) {
      const m = conv;
      if (dense) fail(`convolution "${stage}" after a fully connected layer`);
      flushConv();
      const out = Number(m[1]);
      const kernel = m[2] === undefined ? 3 : Number(m[2]);
      const stride = m[3] === undefined ? 1 : Number(m[3]);
      const padding = m[4] === undefined ? Math.floor(kernel / 2) : Number(m[4]);
      if (out < 1 || out > MAX_WIDTH) fail(`"${stage}": channels must be 1 … ${MAX_WIDTH}`);
      if (kernel < 1 || kernel > MAX_KERNEL || stride < 1 || stride > MAX_KERNEL || padding >= kernel)
        fail(`"${stage}": kernel 1 … ${MAX_KERNEL}, stride 1 … ${MAX_KERNEL}, padding below the kernel`);
      convs.push({ out, kernel, stride, padding });
      poolAfter = false;
    } else if (pool) {
      const m = pool;
      const args = convs[convs.length - 1];
      if (!args || poolAfter) fail(`pooling "${stage}" must follow a convolution (one pooling per convolution)`);
      const k = Number(m[2]);
      if (k < 1 || k > MAX_KERNEL) fail(`"${stage}": window 1 … ${MAX_KERNEL}`);
      (args as ConvArgs).pool = k;
      if (m[1] === "ap") (args as ConvArgs).poolType = "avg";
      poolAfter = true;
    } else if (fc) {
      const m = fc;
      flushConv();
      const n = Number(m[1]);
      if (n < 1 || n > MAX_WIDTH) fail(`"${stage}": width must be 1 … ${MAX_WIDTH}`);
      b.dense(n);
      dense = true;
    } else {
      fail(`unknown stage "${stage}"`);
    }
  }
  if (!dense || !stages[stages.length - 1]?.startsWith("fc")) fail("the last stage must be a fully connected layer (fcN)");
  const last = b.layers[b.layers.length - 1] as LayerShape;
  return { spec: `cnn:${parts.join("-")}`, input: { channels: c, height: h, width: w }, classes: last.outChannels, layers: b.layers };
}

/** Parses a model spec string (`mlp:784-256-10`, `vgg8`, `vgg8:16`, `cnn-small`, `cnn:…`); `path` names the field in errors. */
export function parseModelSpec(spec: string, path = "model"): ModelSpec {
  const s = spec.trim();
  if (s === "vgg8") return vgg8();
  if (s.startsWith("vgg8:")) {
    const w = /^\d+$/.test(s.slice(5)) ? Number(s.slice(5)) : Number.NaN;
    if (!Number.isSafeInteger(w) || w < 1 || w > MAX_VGG_WIDTH)
      throw new InputError(
        `${path}: ${preview(spec)}: the VGG-8 width must be a whole number 1 … ${MAX_VGG_WIDTH}; expected ${MODEL_SPEC_HELP}`,
      );
    return vgg8(w);
  }
  if (s === "cnn-small") return cnnSmall();
  if (s.startsWith("mlp:")) return mlp(s, s.slice(4), path);
  if (s.startsWith("cnn:")) return cnn(s, path);
  throw new InputError(`${path}: unknown model ${preview(spec)}; expected ${MODEL_SPEC_HELP}`);
}
