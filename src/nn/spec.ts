// Model spec strings → layer shapes. Pure shape information: the cost model maps these onto
// arrays, and the training code builds its layers from the same list.

import { InputError } from "../engine/errors.js";

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
  /** Max-pooling window after the activation (1: none, 2: 2 × 2 with stride 2). */
  pool: number;
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

export const MODEL_SPEC_HELP = "mlp:N-N-…-N (at least two sizes, each 1 … 1,000,000), vgg8, cnn-small";

interface ConvArgs {
  out: number;
  kernel?: number;
  padding?: number;
  stride?: number;
  pool?: number;
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

  conv({ out, kernel = 3, padding = 1, stride = 1, pool = 1 }: ConvArgs): this {
    const outHeight = Math.floor((this.h + 2 * padding - kernel) / stride) + 1;
    const outWidth = Math.floor((this.w + 2 * padding - kernel) / stride) + 1;
    this.push("conv", this.c, this.h, this.w, kernel, stride, padding, out, outHeight, outWidth, pool);
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
 * VGG-8 exactly as DNN+NeuroSim V2.1 (reference §3.5, NetWork.csv): six 3 × 3 "same" convolutions
 * 128-128-P-256-256-P-512-512-P (P: 2 × 2 max-pool), then FC 8192 → 1024 → 10; no bias, no batch-norm.
 */
function vgg8(): ModelSpec {
  const b = new Builder(3, 32, 32)
    .conv({ out: 128 })
    .conv({ out: 128, pool: 2 })
    .conv({ out: 256 })
    .conv({ out: 256, pool: 2 })
    .conv({ out: 512 })
    .conv({ out: 512, pool: 2 })
    .dense(1024)
    .dense(10);
  return { spec: "vgg8", input: { channels: 3, height: 32, width: 32 }, classes: 10, layers: b.layers };
}

/** A small CNN for 28 × 28 inputs: conv 3×3 32 → pool 2 → conv 3×3 64 → pool 2 → fc 128 → fc 10 (padding 1). */
function cnnSmall(): ModelSpec {
  const b = new Builder(1, 28, 28).conv({ out: 32, pool: 2 }).conv({ out: 64, pool: 2 }).dense(128).dense(10);
  return { spec: "cnn-small", input: { channels: 1, height: 28, width: 28 }, classes: 10, layers: b.layers };
}

const MAX_WIDTH = 1_000_000;

function mlp(spec: string, body: string, path: string): ModelSpec {
  const parts = body.split("-");
  const sizes = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
  if (parts.length < 2 || sizes.some((n) => !Number.isSafeInteger(n) || n < 1 || n > MAX_WIDTH)) {
    throw new InputError(`${path}: "${spec}" is not a valid MLP spec; expected ${MODEL_SPEC_HELP}`);
  }
  const b = new Builder(sizes[0] as number, 1, 1);
  for (const n of sizes.slice(1)) b.dense(n);
  return {
    spec: `mlp:${sizes.join("-")}`,
    input: { channels: sizes[0] as number, height: 1, width: 1 },
    classes: sizes[sizes.length - 1] as number,
    layers: b.layers,
  };
}

/** Parses a model spec string (`mlp:784-256-10`, `vgg8`, `cnn-small`); `path` names the field in errors. */
export function parseModelSpec(spec: string, path = "model"): ModelSpec {
  const s = spec.trim();
  if (s === "vgg8") return vgg8();
  if (s === "cnn-small") return cnnSmall();
  if (s.startsWith("mlp:")) return mlp(s, s.slice(4), path);
  throw new InputError(`${path}: unknown model "${spec}"; expected ${MODEL_SPEC_HELP}`);
}
