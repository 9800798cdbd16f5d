import { describe, expect, it } from "vitest";
import { InputError } from "../src/engine/errors.js";
import { parseModelSpec } from "../src/nn/spec.js";

describe("model specs", () => {
  it("vgg8 is DNN+NeuroSim's VGG-8: NetWork.csv rows, MACs and weights per layer (its NeuroSIM/NetWork.csv)", () => {
    const m = parseModelSpec("vgg8");
    // IFM H, W, C, K, C_out, pooled — the NetWork.csv rows.
    const rows = m.layers.map((l) => [l.inHeight, l.inWidth, l.inChannels, l.kernel, l.outChannels, l.pool > 1 ? 1 : 0]);
    expect(rows).toEqual([
      [32, 32, 3, 3, 128, 0],
      [32, 32, 128, 3, 128, 1],
      [16, 16, 128, 3, 256, 0],
      [16, 16, 256, 3, 256, 1],
      [8, 8, 256, 3, 512, 0],
      [8, 8, 512, 3, 512, 1],
      [1, 1, 8192, 1, 1024, 0],
      [1, 1, 1024, 1, 10, 0],
    ]);
    expect(m.layers.map((l) => l.macs)).toEqual([3538944, 150994944, 75497472, 150994944, 75497472, 150994944, 8388608, 10240]);
    expect(m.layers.map((l) => l.weights)).toEqual([3456, 147456, 294912, 589824, 1179648, 2359296, 8388608, 10240]);
    expect(m.layers.reduce((s, l) => s + l.weights, 0)).toBe(12973440);
    expect(m.layers.reduce((s, l) => s + l.macs, 0)).toBe(615917568);
    // "Same" padding keeps the map; DFA feedback rows = neurons before pooling (§2.6 table).
    expect(m.layers.slice(0, 7).map((l) => l.neurons)).toEqual([131072, 131072, 65536, 65536, 32768, 32768, 1024]);
    expect(m.layers.map((l) => l.kind)).toEqual(["conv", "conv", "conv", "conv", "conv", "conv", "dense", "dense"]);
    expect(m).toMatchObject({ spec: "vgg8", classes: 10, input: { channels: 3, height: 32, width: 32 } });
  });

  it("cnn-small: conv 3×3 32 → pool → conv 3×3 64 → pool → fc 128 → fc 10 on 28 × 28", () => {
    const m = parseModelSpec("cnn-small");
    expect(m.layers.map((l) => [l.kind, l.inChannels, l.inHeight, l.outChannels, l.outHeight, l.pool])).toEqual([
      ["conv", 1, 28, 32, 28, 2],
      ["conv", 32, 14, 64, 14, 2],
      ["dense", 64 * 7 * 7, 1, 128, 1, 1],
      ["dense", 128, 1, 10, 1, 1],
    ]);
    expect(m.layers.map((l) => l.name)).toEqual(["conv1", "conv2", "fc1", "fc2"]);
    expect(m.layers[1]?.rows).toBe(32 * 9);
  });

  it("mlp:N-…-N gives one dense layer per consecutive pair", () => {
    const m = parseModelSpec(" mlp:784-256-10 ");
    expect(m.spec).toBe("mlp:784-256-10");
    expect(m.layers.map((l) => [l.rows, l.outChannels, l.positions, l.macs])).toEqual([
      [784, 256, 1, 784 * 256],
      [256, 10, 1, 2560],
    ]);
    expect(m.classes).toBe(10);
  });

  it("rejects anything else, naming the field, the value and what is allowed", () => {
    for (const bad of ["mlp:784", "mlp:784-0-10", "mlp:784-x-10", "mlp:", "resnet18", "vgg16", "mlp:784--10"]) {
      expect(() => parseModelSpec(bad), bad).toThrow(InputError);
    }
    expect(() => parseModelSpec("resnet18")).toThrow(
      /model: unknown model "resnet18"; expected mlp:N-N-…-N .*vgg8, vgg8:W \(W first-layer channels, 1 … 4096\), cnn-small/,
    );
    expect(() => parseModelSpec("mlp:784-0-10", "sweep.model")).toThrow(/sweep\.model: "mlp:784-0-10" is not a valid MLP spec/);
  });
});

describe("model spec limits: each bound accepted, one past it refused with the stage named", () => {
  it("pooling windows 1 … 64; fully connected widths 1 … 1,000,000; conv channels, kernels and strides", () => {
    const big = "cnn:1x70x70";
    expect(parseModelSpec(`${big}-c2k3-mp1-fc10`).layers[0]?.pool).toBe(1);
    expect(parseModelSpec(`${big}-c2k1-mp64-fc10`).layers[0]?.pool).toBe(64);
    expect(() => parseModelSpec(`${big}-c2k1-mp65-fc10`)).toThrow(/"mp65": window 1 … 64/);
    expect(() => parseModelSpec(`${big}-c2k1-mp0-fc10`)).toThrow(/"mp0": window 1 … 64/);
    expect(parseModelSpec("cnn:1x4x4-c2-fc1000000").layers[1]?.outChannels).toBe(1_000_000);
    expect(() => parseModelSpec("cnn:1x4x4-c2-fc1000001")).toThrow(/"fc1000001": width must be 1 … 1000000/);
    expect(() => parseModelSpec("cnn:1x4x4-c2-fc0")).toThrow(/"fc0": width must be 1 … 1000000/);
    expect(parseModelSpec(`${big}-c2k64s64p0-fc10`).layers[0]?.outHeight).toBe(1);
    expect(() => parseModelSpec(`${big}-c2k65-fc10`)).toThrow(/"c2k65": kernel 1 … 64, stride 1 … 64, padding below the kernel/);
    expect(() => parseModelSpec(`${big}-c2k3s65-fc10`)).toThrow(/"c2k3s65": kernel 1 … 64/);
    expect(() => parseModelSpec(`${big}-c2k3p3-fc10`)).toThrow(/"c2k3p3": kernel 1 … 64, stride 1 … 64, padding below the kernel/);
    expect(() => parseModelSpec(`${big}-c0-fc10`)).toThrow(/"c0": channels must be 1 … 1000000/);
  });

  it("CNN inputs 1 … 4096 per side; at least one stage; conv channels up to 1,000,000; it ends in a fully connected layer", () => {
    expect(parseModelSpec("cnn:1x4096x1-c1k1-fc2").input).toEqual({ channels: 1, height: 4096, width: 1 });
    for (const input of ["0x8x8", "1x0x8", "1x8x0", "1x4097x1", "4097x1x1", "1x1x4097"])
      expect(() => parseModelSpec(`cnn:${input}-c2-fc2`), input).toThrow(/input sizes must be 1 … 4096/);
    expect(() => parseModelSpec("cnn:1x8x8")).toThrow(/it has no layers/);
    expect(parseModelSpec("cnn:1x2x2-c1000000k1-fc1").layers[0]?.outChannels).toBe(1_000_000);
    expect(() => parseModelSpec("cnn:1x2x2-c1000001k1-fc2")).toThrow(/"c1000001k1": channels must be 1 … 1000000/);
    expect(parseModelSpec("cnn:1x4x4-c2-fc1").classes).toBe(1);
    expect(() => parseModelSpec("cnn:1x4x4-fc3-c2")).toThrow(/convolution "c2" after a fully connected layer/);
    expect(() => parseModelSpec("cnn:1x4x4-c2-mp2")).toThrow(/the last stage must be a fully connected layer \(fcN\)/);
    expect(() => parseModelSpec("cnn:1x4x4-c2")).toThrow(/the last stage must be a fully connected layer/);
  });

  it("stages are whole words; kernels and pooling must fit the map, on either side", () => {
    expect(parseModelSpec("cnn:1x40x40-c2k21p10-fc2").layers[0]?.outHeight).toBe(40);
    for (const stage of ["xc2", "c2x", "xfc2", "mp2x", "xmp2"])
      expect(() => parseModelSpec(`cnn:1x8x8-c2-${stage}-fc2`), stage).toThrow(/unknown stage/);
    expect(() => parseModelSpec("cnn:1x8x8-c2-fc2x")).toThrow(/unknown stage "fc2x"/);
    // A 5×5 kernel without padding fits 5×5, not 4 on either side.
    expect(parseModelSpec("cnn:1x5x5-c2k5p0-fc2").layers[0]?.outHeight).toBe(1);
    expect(() => parseModelSpec("cnn:1x4x5-c2k5p0-fc2")).toThrow(/a 5×5 kernel does not fit the 4×5 map \(padding 0\)/);
    expect(() => parseModelSpec("cnn:1x5x4-c2k5p0-fc2")).toThrow(/a 5×5 kernel does not fit the 5×4 map/);
    expect(parseModelSpec("cnn:1x3x3-c2k5p1-fc2").layers[0]?.outHeight).toBe(1);
    // Pooling 4 fits a 4×4 map, not 3 on either side.
    expect(parseModelSpec("cnn:1x4x4-c2-mp4-fc2").layers[0]?.pool).toBe(4);
    expect(() => parseModelSpec("cnn:1x3x4-c2-mp4-fc2")).toThrow(/pooling 4×4 does not fit the 3×4 map/);
    expect(() => parseModelSpec("cnn:1x4x3-c2-mp4-fc2")).toThrow(/pooling 4×4 does not fit the 4×3 map/);
  });

  it("an MLP of 1,000 weight layers is allowed, 1,001 refused", () => {
    expect(parseModelSpec(`mlp:${Array.from({ length: 1001 }, () => 2).join("-")}`).layers).toHaveLength(1000);
    expect(() => parseModelSpec(`mlp:${Array.from({ length: 1002 }, () => 2).join("-")}`)).toThrow(
      "model: 1001 weight layers, more than the 1000 a model may have",
    );
  });
});
