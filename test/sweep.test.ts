import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError } from "../src/engine/errors.js";
import { expandSweep, setConfigPath } from "../src/experiment/sweep.js";

const base = { model: "mlp:64-16-10", dataset: "digits", epochs: 1, device: "fefet-v21" };

function errorOf(input: unknown): string {
  try {
    expandSweep(input, "s.json");
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("expected the sweep to be refused");
}

describe("sweep expansion", () => {
  it("crosses axes as a cartesian product, first axis outermost, repeat by repeat with seeds seed + r", () => {
    const s = expandSweep({
      base,
      axes: [
        { path: "algo", values: ["bp", "dfa"] },
        { path: "device.c2c", values: [0, 0.01, 0.02] },
      ],
      repeats: 3,
    });
    expect(s.points).toHaveLength(6);
    expect(s.points.map((p) => p.values)).toEqual([
      { algo: "bp", "device.c2c": 0 },
      { algo: "bp", "device.c2c": 0.01 },
      { algo: "bp", "device.c2c": 0.02 },
      { algo: "dfa", "device.c2c": 0 },
      { algo: "dfa", "device.c2c": 0.01 },
      { algo: "dfa", "device.c2c": 0.02 },
    ]);
    expect(s.runs).toHaveLength(18);
    expect(s.runs.slice(0, 7).map((r) => r.id)).toEqual(["p000-r0", "p001-r0", "p002-r0", "p003-r0", "p004-r0", "p005-r0", "p000-r1"]);
    expect(s.runs.filter((r) => r.point === 4).map((r) => [r.repeat, r.seed, r.config.seed])).toEqual([
      [0, 1, 1],
      [1, 2, 2],
      [2, 3, 3],
    ]);
    expect(new Set(s.runs.map((r) => r.id)).size).toBe(18);
  });

  it("a field below a preset id keeps the preset and overrides that field", () => {
    const s = expandSweep({ base, axes: [{ path: "device.c2c", values: [0.05] }] });
    const device = s.points[0]?.resolved.device;
    expect(device?.preset).toBe("fefet-v21");
    expect(device?.c2c).toBe(0.05);
    expect(device?.nlLtp).toBe(1.75); // the preset's other fields stay
    expect(s.points[0]?.config.device).toEqual({ preset: "fefet-v21", c2c: 0.05 });
    // An axis over the device itself combines with one below it, whatever their order.
    const both = expandSweep({
      base,
      axes: [
        { path: "device.c2c", values: [0.02] },
        { path: "device", values: ["rram-v20", "ideal"] },
      ],
    });
    expect(both.points.map((p) => [p.resolved.device.preset, p.resolved.device.c2c])).toEqual([
      ["rram-v20", 0.02],
      ["ideal", 0.02],
    ]);
  });

  it("zipped axes advance together as one dimension", () => {
    const s = expandSweep({
      base: { ...base, periphery: { adc: "chip" } },
      axes: [
        { path: "algo", values: ["bp", "dfa"] },
        {
          zip: [
            { path: "chip.adc.bits", values: [2, 4, 6] },
            { path: "chip.adc.error.bits", values: [3, 5, 7] },
          ],
          label: "ADC bits",
        },
      ],
    });
    expect(s.points).toHaveLength(6);
    expect(s.parts[0]?.dimensions.map((d) => [d.id, d.label, d.steps.length])).toEqual([
      ["algo", "algo", 2],
      ["chip.adc.bits + chip.adc.error.bits", "ADC bits", 3],
    ]);
    expect(s.points.map((p) => [p.resolved.algo, p.resolved.chip.adc.bits, p.resolved.chip.adc.error.bits])).toEqual([
      ["bp", 2, 3],
      ["bp", 4, 5],
      ["bp", 6, 7],
      ["dfa", 2, 3],
      ["dfa", 4, 5],
      ["dfa", 6, 7],
    ]);
    expect(s.points[4]?.steps).toEqual([1, 1]);
  });

  it("parts are a union of products, each with its own base, numbered across parts", () => {
    const s = expandSweep({
      base,
      axes: [{ path: "algo", values: ["bp", "dfa"] }],
      parts: [
        { name: "c2c", axes: [{ path: "device.c2c", values: [0, 0.01] }] },
        { name: "adc", base: { periphery: { adc: "chip" }, device: { c2c: 0 } }, axes: [{ path: "chip.adc.bits", values: [3] }] },
      ],
      repeats: 2,
    });
    expect(s.parts.map((p) => [p.name, p.points])).toEqual([
      ["c2c", [0, 1, 2, 3]],
      ["adc", [4, 5]],
    ]);
    const adc = s.points[5];
    expect(adc?.part).toBe("adc");
    expect(adc?.resolved.periphery.adc).toBe("chip");
    expect(adc?.resolved.device.preset).toBe("fefet-v21");
    expect(adc?.resolved.device.c2c).toBe(0);
    expect(adc?.resolved.chip.adc.bits).toBe(3);
    expect(s.points[0]?.resolved.periphery.adc).toBe("ideal");
    expect(s.runs).toHaveLength(12);
  });

  it("without axes a sweep is its base, repeated", () => {
    const s = expandSweep({ base: { ...base, seed: 10 }, repeats: 2 });
    expect(s.points).toHaveLength(1);
    expect(s.runs.map((r) => r.seed)).toEqual([10, 11]);
  });

  it("setConfigPath creates objects and turns a preset id into preset + override", () => {
    const c: Record<string, unknown> = {};
    setConfigPath(c, "chip.adc.error.bits", 4);
    setConfigPath(c, "device.c2c", 0.01);
    expect(c).toEqual({ chip: { adc: { error: { bits: 4 } } }, device: { preset: "fefet-v21", c2c: 0.01 } });
  });

  it("the built-in study expands to the documented size, and the full size differs only in epochs, samples and repeats", () => {
    const reduced = JSON.parse(readFileSync("examples/bp-vs-dfa.json", "utf8"));
    const full = JSON.parse(readFileSync("examples/bp-vs-dfa-full.json", "utf8"));
    const s = expandSweep(reduced);
    expect(s.points).toHaveLength(160);
    expect(s.repeats).toBeGreaterThanOrEqual(3);
    expect(s.runs).toHaveLength(480);
    expect(s.points.every((p) => p.resolved.dataset === "fashion-mnist" && p.resolved.device.preset === "fefet-v21")).toBe(true);
    expect(new Set(s.points.map((p) => p.resolved.algo))).toEqual(new Set(["bp", "fa", "dfa", "drtp"]));
    const adc = s.points.filter((p) => p.part === "adc");
    expect(adc.every((p) => p.resolved.periphery.adc === "chip")).toBe(true);
    expect([...new Set(adc.map((p) => p.resolved.chip.adc.bits))]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(full.axes).toEqual(reduced.axes);
    expect(full.parts).toEqual(reduced.parts);
    expect(full.base.trainSamples).toBeUndefined();
    expect(full.base.epochs).toBeGreaterThan(reduced.base.epochs);
    expect(expandSweep(full).runs.length).toBe(160 * full.repeats);
  });

  it("the paper study is on DNN+NeuroSim V2.1's recipe everywhere; its reduced size deviates only as its description says", () => {
    const reduced = expandSweep(JSON.parse(readFileSync("examples/paper.json", "utf8")));
    const full = expandSweep(JSON.parse(readFileSync("examples/paper-full.json", "utf8")));
    expect(reduced.runs).toHaveLength(540);
    for (const s of [reduced, full]) {
      for (const p of s.points) {
        // The recipe: the QG update brings V2.1's lr 1, its schedule, momentum/dampening 0.9 and WAGE 8/·/5 bits.
        expect(p.resolved).toMatchObject({ update: "neurosim-v21", lr: 1, momentum: 0.9, dampening: 0.9, loss: "squared-error" });
        expect(p.resolved).toMatchObject({ weightInit: "neurosim", bias: false, lrSchedule: { epochs: [200, 250], factor: 0.125 } });
        expect(p.resolved.quant).toMatchObject({ activation: 8, gradient: 5 });
        expect(p.resolved.device.preset).toBe("fefet-v21");
      }
      const vgg = s.points.filter((p) => p.part.startsWith("vgg-"));
      expect(new Set(vgg.map((p) => p.resolved.dataset))).toEqual(new Set(["cifar10"]));
      expect(new Set(s.points.filter((p) => p.part.startsWith("mlp-")).map((p) => p.resolved.dataset))).toEqual(new Set(["fashion-mnist"]));
      expect(new Set(s.points.map((p) => p.resolved.algo))).toEqual(new Set(["bp", "fa", "dfa", "drtp"]));
    }
    // Full size: V2.1's VGG-8 itself, its batch, augmentation and 8-bit errors.
    const fullVgg = full.points.filter((p) => p.part === "vgg-c2c");
    expect(
      fullVgg.every((p) => p.resolved.model === "vgg8" && p.resolved.batch === 200 && p.resolved.augment && p.resolved.quant.error === 8),
    ).toBe(true);
    // Reduced: 1/8 width, batch 20, float errors but in the part that measures them.
    const reducedVgg = reduced.points.filter((p) => p.part === "vgg-c2c" || p.part === "vgg-adc");
    expect(reducedVgg.every((p) => p.resolved.model === "vgg8:16" && p.resolved.batch === 20 && p.resolved.quant.error === 0)).toBe(true);
    const errorBits = reduced.points.filter((p) => p.part === "vgg-error-bits").map((p) => p.resolved.quant.error);
    expect(new Set(errorBits)).toEqual(new Set([0, 8]));
  });
});

describe("sweep validation (before anything runs)", () => {
  it("names the axis, the value and the field's message for a bad value", () => {
    const message = errorOf({
      base,
      axes: [
        { path: "algo", values: ["bp", "backprop"] },
        { path: "device.c2c", values: [0, -0.1] },
      ],
    });
    expect(message).toMatch(/^s\.json: 2 invalid values; nothing was run/);
    expect(message).toMatch(/axis axes\[0\] \(algo\), value backprop: algo: Invalid option: expected one of "bp"\|"fa"\|"dfa"/);
    expect(message).toMatch(/axis axes\[1\] \(device\.c2c\), value -0\.1: device.*c2c.*>=0.*\(got -0\.1\)/);
  });

  it("names a zipped axis and a part's axis", () => {
    const message = errorOf({
      base,
      parts: [
        {
          name: "adc",
          axes: [
            {
              zip: [
                { path: "chip.adc.bits", values: [4, 11] },
                { path: "chip.adc.error.bits", values: [4, 6] },
              ],
            },
          ],
        },
      ],
    });
    expect(message).toMatch(/axis parts\[0\]\.axes\[0\]\.zip\[0\] \(chip\.adc\.bits\), value 11: chip\.adc\.bits: Too big/);
  });

  it("rejects unknown paths, listing the config's fields", () => {
    expect(errorOf({ base, axes: [{ path: "algorithm", values: ["bp"] }] })).toMatch(
      /axes\[0\]\.path: "algorithm" names no config field: "algorithm" is not one of model, algo, dataset/,
    );
    expect(errorOf({ base, axes: [{ path: "device.c2", values: [0] }] })).toMatch(/device\.c2.*unknown key "c2"/);
    expect(errorOf({ base, axes: [{ path: "device..c2c", values: [0] }] })).toMatch(
      /axes\[0\]\.path: "device\.\.c2c" is not a config path/,
    );
  });

  it("rejects zips of unequal length, repeated values, a path set twice, and seed axes with repeats", () => {
    expect(
      errorOf({
        base,
        axes: [
          {
            zip: [
              { path: "chip.adc.bits", values: [1, 2] },
              { path: "chip.adc.error.bits", values: [1] },
            ],
          },
        ],
      }),
    ).toMatch(
      /axes\[0\]\.zip: zipped axes advance together and need the same number of values; got chip\.adc\.bits: 2, chip\.adc\.error\.bits: 1/,
    );
    expect(errorOf({ base, axes: [{ path: "epochs", values: [1, 2, 1] }] })).toMatch(/axes\[0\]\.values\[2\]: 1 repeats values\[0\]/);
    expect(
      errorOf({
        base,
        axes: [{ path: "algo", values: ["bp"] }],
        parts: [{ name: "a", axes: [{ path: "algo", values: ["dfa"] }] }],
      }),
    ).toMatch(/parts\[0\]\.axes\[0\]: path "algo" is also set by axes\[0\]/);
    expect(errorOf({ base, axes: [{ path: "seed", values: [1, 2] }], repeats: 2 })).toMatch(/"seed" cannot be an axis when repeats > 1/);
  });

  it("rejects a malformed sweep file, naming the field", () => {
    expect(errorOf({ base, axes: [{ path: "algo", values: [] }] })).toMatch(/axes\[0\]: .*zip|axes\[0\]/);
    expect(errorOf({ base, repeat: 3 })).toMatch(
      /top level: unknown key "repeat" \(allowed: name, description, base, axes, parts, repeats\)/,
    );
    expect(errorOf({ base, repeats: 0 })).toMatch(/repeats: Too small/);
    expect(errorOf({ axes: [] })).toMatch(/base: /);
    expect(errorOf({ base, parts: [{ name: "A b" }] })).toMatch(/parts\[0\]\.name: must be lowercase/);
  });

  it("reports an invalid base, part base, and a combination of valid values that does not fit", () => {
    expect(errorOf({ base: { ...base, epochs: 0 } })).toMatch(/s\.json: base: epochs: Too small/);
    expect(errorOf({ base, parts: [{ name: "p", base: { batch: -1 } }] })).toMatch(/parts\[0\]\.base: batch: Too small/);
    const message = errorOf({
      base,
      axes: [
        { path: "model", values: ["mlp:64-16-10", "mlp:784-16-10"] },
        { path: "dataset", values: ["digits", "mnist"] },
      ],
    });
    expect(message).toMatch(
      /point 1 \(model=mlp:64-16-10, dataset=mnist\): model: "mlp:64-16-10" takes 64 inputs, but dataset "mnist" has 784/,
    );
    expect(message).toMatch(/point 2 \(model=mlp:784-16-10, dataset=digits\)/);
  });
});
