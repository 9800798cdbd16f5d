import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_ASSUMPTIONS } from "../src/cost/neurosim-inputs.js";
import { InputError } from "../src/engine/errors.js";
import { resolveConfig } from "../src/experiment/config.js";

const example = JSON.parse(readFileSync("examples/neurosim-v2.1-vgg8.json", "utf8"));

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("expected an InputError");
}

describe("run config", () => {
  it("fills every default: the chip from NeuroSim V2.1, the cost assumptions, iterations = training samples / batch", () => {
    const c = resolveConfig({});
    expect(c.chip.technology).toBe(32);
    expect(c.chip.adc.gradient.bits).toBe(4);
    expect(c.device.preset).toBe("fefet-v21");
    expect(c.assume).toEqual(DEFAULT_ASSUMPTIONS);
    expect(c.iterations).toBe(Math.ceil(1437 / c.batch)); // embedded digits: 1437 training images
    expect(resolveConfig({ dataset: "cifar10", model: "vgg8", batch: 200 }).iterations).toBe(250);
    expect(resolveConfig({ dataset: "mnist", batch: 128 }).iterations).toBe(469);
    expect(resolveConfig({ dataset: "mnist", trainSamples: 1000, batch: 100 }).iterations).toBe(10);
  });

  it("the example is the NeuroSim V2.1 VGG-8 run, resolved as written", () => {
    const c = resolveConfig(example);
    expect(c).toMatchObject({ model: "vgg8", dataset: "cifar10", batch: 200, iterations: 250, schedule: "sequential", bias: false });
    expect(c.chip.adc.gradient).toEqual({ type: "mlsa", bits: 6, mux: 8 });
    expect(c.assume).toEqual({ ...DEFAULT_ASSUMPTIONS, activity: 0.5, errorActivity: 0.5, updateFraction: 0.5 });
  });

  it("flags override the file's top-level fields", () => {
    const c = resolveConfig(example, { algo: "dfa", schedule: "dfa-parallel", batch: "100", iterations: "500", device: "rram-v20" });
    expect(c).toMatchObject({ algo: "dfa", schedule: "dfa-parallel", batch: 100, iterations: 500 });
    expect(c.device.preset).toBe("rram-v20");
    expect(c.chip.adc.gradient.bits).toBe(6);
    expect(resolveConfig({ model: "mlp:64-32-10" }, { model: undefined }).model).toBe("mlp:64-32-10");
  });

  it("rejects unknown keys at any depth, naming the path", () => {
    expect(errorOf(() => resolveConfig({ ...example, itterations: 5 }))).toMatch(/unknown key "itterations"/);
    expect(errorOf(() => resolveConfig({ chip: { adc: { bit: 5 } } }))).toMatch(/chip\.adc: unknown key "bit"/);
    expect(errorOf(() => resolveConfig({ assume: { activty: 0.2 } }))).toMatch(/assume: unknown key "activty"/);
  });

  it("bad values name the field, the value and what is allowed", () => {
    expect(errorOf(() => resolveConfig({ chip: { technology: 40 } }))).toMatch(
      /chip\.technology: .*130\|90\|65\|45\|32\|22\|14\|10\|7.*\(got 40\)/,
    );
    expect(errorOf(() => resolveConfig({ schedule: "parallel" }))).toMatch(
      /schedule: .*"sequential"\|"dfa-parallel"\|"pipelined".*\(got "parallel"\)/,
    );
    expect(errorOf(() => resolveConfig({ chip: { subArray: { rows: 100 } } }))).toMatch(
      /chip\.subArray\.rows: must be a power of two from 16 to 1024 \(got 100\)/,
    );
    expect(errorOf(() => resolveConfig({ assume: { activity: 1.5 } }))).toMatch(/assume\.activity: .*<=1.*\(got 1\.5\)/);
    expect(errorOf(() => resolveConfig({ chip: { dram: "ddr4" } }))).toMatch(/chip\.dram: .*"hbm2"\|"gddr5".*\(got "ddr4"\)/);
    expect(errorOf(() => resolveConfig({ iterations: 0 }))).toMatch(/iterations: .*>=1.*\(got 0\)/);
    expect(errorOf(() => resolveConfig([]))).toMatch(/config: must be a JSON object/);
  });

  it("bad flag values name the flag", () => {
    expect(errorOf(() => resolveConfig({}, { batch: "0" }))).toBe('--batch must be an integer from 1 to 65536, got "0"');
    expect(errorOf(() => resolveConfig({}, { iterations: "ten" }))).toBe('--iterations must be an integer from 1 to 10000000, got "ten"');
    expect(errorOf(() => resolveConfig({}, { algo: "backprop" }))).toMatch(
      /algo: .*"bp"\|"fa"\|"dfa"\|"drtp"\|"output-only".*\(got "backprop"\)/,
    );
  });
});

describe("the neurosim-v21 update brings DNN+NeuroSim V2.1's own training settings", () => {
  it("lr 1, its step schedule, momentum and dampening 0.9, WAGE 8/8/5 — each unless given; the device path keeps its own", async () => {
    const { resolveRunConfig } = await import("../src/experiment/config.js");
    const v21 = resolveRunConfig({ dataset: "fashion-mnist", update: "neurosim-v21" });
    expect([v21.lr, v21.lrSchedule, v21.momentum, v21.dampening, v21.quant]).toEqual([
      1,
      { epochs: [200, 250], factor: 0.125 },
      0.9,
      0.9,
      { activation: 8, error: 8, gradient: 5 },
    ]);
    const given = resolveRunConfig({
      dataset: "fashion-mnist",
      update: "neurosim-v21",
      lr: 0.25,
      lrSchedule: "constant",
      momentum: 0.5,
      dampening: 0,
      quant: { activation: 0 },
    });
    expect([given.lr, given.lrSchedule, given.momentum, given.dampening, given.quant]).toEqual([
      0.25,
      "constant",
      0.5,
      0,
      { activation: 0, error: 8, gradient: 5 },
    ]);
    const device = resolveRunConfig({ dataset: "fashion-mnist" });
    expect([device.lr, device.lrSchedule, device.momentum, device.dampening, device.quant]).toEqual([
      0.02,
      "cosine",
      0.9,
      0,
      { activation: 0, error: 0, gradient: 0 },
    ]);
  });
});
