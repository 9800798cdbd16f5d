import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { resolveRunConfig } from "../src/experiment/config.js";
import { checkResources, estimateResources } from "../src/experiment/resources.js";
import { expandSweep } from "../src/experiment/sweep.js";
import { buildNetwork } from "../src/experiment/train.js";
import { loadEngine } from "../src/index.js";

// Bad input and oversized work, each as one line that names what is wrong (issue: hardening).

function cimlearn(...args: string[]): { status: number | null; stdout: string; stderr: string; ms: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ["dist/node/cli.js", ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t };
}

describe("work is sized before it starts", () => {
  it("the memory estimate is within 30 % of what the network allocates, for MLPs, CNNs, feedback arrays, optimizers and VGG-8", async () => {
    for (const c of [
      { model: "mlp:64-64-10" },
      { model: "mlp:64-512-512-10", algo: "fa" },
      {
        model: "mlp:64-256-10",
        mapping: "differential",
        device: { preset: "fefet-v21", d2dNl: 0.2, d2dGMax: 0.1 },
        periphery: { adc: "chip" },
      },
      { model: "mlp:64-256-256-10", algo: "dfa", feedback: { storage: "crossbar" }, optimizer: "tiki-taka" },
      { model: "cnn:1x8x8-c16-mp2-c32-fc10" },
      { model: "cnn:1x8x8-c64-c64-fc10", batch: 64 },
      { dataset: "cifar10", model: "vgg8", batch: 16 },
      { dataset: "cifar10", model: "vgg8", batch: 100, algo: "dfa" },
    ]) {
      const config = resolveRunConfig(c);
      const e = await loadEngine();
      const before = e.arena.used;
      buildNetwork(e, config);
      const ratio = estimateResources(config).bytes / (e.arena.used - before);
      expect(ratio, JSON.stringify(c)).toBeGreaterThan(0.7);
      expect(ratio, JSON.stringify(c)).toBeLessThan(1.3);
    }
  });

  it("refuses a run past the memory or work limit with the estimate and the flag to raise it, in well under a second", () => {
    expect(() => checkResources(resolveRunConfig({ model: "mlp:64-1000000-10" }))).toThrow(
      /mlp:64-1000000-10 with batch 32 needs about [23]\.\d GiB of simulation memory \(fc1: \d\.\d GiB\), more than the 2\.0 GiB limit; raise the limit with --max-memory 3\.0GiB/,
    );
    // Past 4 GiB no limit helps: wasm32's memory ends there.
    expect(() => checkResources(resolveRunConfig({ model: "cnn:1x8x8-c100000-fc10" }), { memoryBytes: 8 * 2 ** 30 })).toThrow(
      /needs about 5\.\d GiB .* WebAssembly's 32-bit memory ends at 4 GiB/,
    );
    expect(() => checkResources(resolveRunConfig({ dataset: "cifar10", model: "vgg8" }), { macsPerEpoch: 1e12 })).toThrow(
      /vgg8 takes about 9\.\de\+13 multiply-accumulates per epoch, more than the limit of 1\.0e\+12/,
    );
    const r = cimlearn("train", "--model", "mlp:64-1000000-10");
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--max-memory/);
    expect(cimlearn("train", "--model", `mlp:${Array(1002).fill(8).join("-")}`).stderr).toMatch(
      /1001 weight layers, more than the 1000 a model may have/,
    );
  });

  it("a sweep is counted before it is expanded: ten billion points are refused (expanding them would never end)", () => {
    const axis = (path: string, n: number) => ({ path, values: Array.from({ length: n }, (_, i) => i + 1) });
    const sweep = { name: "big", base: { epochs: 1 }, axes: [axis("seed", 100_000), axis("trainSamples", 100_000)] };
    expect(() => expandSweep(sweep)).toThrow(
      /10,000,000,000 runs \(100000 × 100000\), more than the limit of 100,000; split the sweep .* \(--max-runs N\)/,
    );
    expect(() => expandSweep({ ...sweep, axes: [axis("seed", 100), axis("batch", 100), axis("trainSamples", 100)] })).toThrow(
      /1,000,000 runs \(100 × 100 × 100\)/,
    );
    expect(expandSweep({ ...sweep, axes: [axis("seed", 100)] }).runs).toHaveLength(100);
  });
});

describe("every failure is one clear line", () => {
  it("config errors stay short and name the field: a 10 MB string, an object nested 10,000 deep, a typo", async () => {
    const huge = "x".repeat(10_000_000);
    const message = (input: unknown) => {
      try {
        resolveRunConfig(input);
      } catch (error) {
        return String((error as Error).message);
      }
      return "";
    };
    const long = message({ model: huge });
    expect(long).toMatch(/^model: unknown model "x+…" \(10,000,000 characters\)/);
    expect(long.length).toBeLessThan(600);
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10_000; i++) {
      const next = {};
      deep.chip = next;
      deep = next;
    }
    const nested = message({ device: root });
    expect(nested).toMatch(/^invalid config: device/);
    expect(nested.length).toBeLessThan(600);
    expect(message({ algp: "bp" })).toBe('invalid config: unknown key "algp" (did you mean "algo"?)');
    expect(message({ chip: { adc: { bist: 4 } } })).toMatch(/chip\.adc: unknown key "bist" \(did you mean "bits"\?\)/);
    expect(message({ algo: null })).toMatch(/algo: Invalid option: expected one of .* \(got null\)/);
  });

  it("flags: strict numbers, negative values reach the range check, no prototype pollution, algo null or {} in a file is an error", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const oneLine = (r: { status: number | null; stderr: string }, pattern: RegExp) => {
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    };
    oneLine(cimlearn("train", "--seed", "1e-400"), /--seed: "1e-400" is too small to represent/);
    oneLine(cimlearn("train", "--epochs", "0x10"), /--epochs must be a decimal number, got "0x10"/);
    oneLine(cimlearn("train", "--epochs", "-1"), /epochs: Too small: expected number to be >=1 \(got -1\)/);
    oneLine(cimlearn("train", "--set", "__proto__.lr=5"), /--set __proto__\.lr: "__proto__" is not a config field/);
    oneLine(cimlearn("train", "--set", "chip.constructor.x=1"), /"constructor" is not a config field/);
    const dir = mkdtempSync(join(tmpdir(), "cimlearn-flags-"));
    for (const [value, shown] of [
      ["null", "null"],
      ["{}", "\\{\\}"],
    ]) {
      const file = join(dir, "c.json");
      writeFileSync(file, `{"algo": ${value}}`);
      oneLine(cimlearn("train", "--config", file), new RegExp(`invalid --config .*c\\.json: algo: Invalid option: .* \\(got ${shown}\\)`));
    }
    writeFileSync(join(dir, "typo.json"), '{"epocs": 3}');
    oneLine(
      cimlearn("train", "--config", join(dir, "typo.json")),
      /invalid --config .*typo\.json: unknown key "epocs" \(did you mean "epochs"\?\)/,
    );
  });

  it("data: an explicit --data-dir that is missing, holds folders in place of files or loops is an error, never passed over; an empty split is refused", async () => {
    const { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { loadDataset } = await import("../src/data/node.js");
    const { idxSplit } = await import("../src/data/idx.js");
    const none = { download: false, log: () => {} };
    const dir = mkdtempSync(join(tmpdir(), "cimlearn-datadir-"));
    await expect(loadDataset("mnist", { ...none, dataDir: join(dir, "nowhere") })).rejects.toThrow(
      /--data-dir .*nowhere: it does not exist/,
    );
    writeFileSync(join(dir, "file"), "");
    await expect(loadDataset("mnist", { ...none, dataDir: join(dir, "file") })).rejects.toThrow(/it is a file, not a folder/);
    const folders = join(dir, "folders");
    for (const n of ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"])
      mkdirSync(join(folders, n), { recursive: true });
    await expect(loadDataset("mnist", { ...none, dataDir: folders })).rejects.toThrow(
      /--data-dir .*folders holds no mnist files .* it is not passed over/,
    );
    const loop = join(dir, "loop");
    mkdirSync(loop);
    symlinkSync(join(loop, "train-images-idx3-ubyte"), join(loop, "train-images-idx3-ubyte"));
    await expect(loadDataset("mnist", { ...none, dataDir: loop })).rejects.toThrow(/a symbolic link loops \(ELOOP\)/);
    // An IDX image file with 0 images (a valid header).
    const images = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28]);
    const labels = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0]);
    expect(() =>
      idxSplit(
        { name: "t10k-images", bytes: images },
        { name: "t10k-labels", bytes: labels },
        { shape: [1, 28, 28], classes: 10, dataset: "mnist" },
      ),
    ).toThrow(/t10k-images: holds 0 images/);
  });

  it("a diverged rule does not stop the comparison: the others finish, the output says which failed, exit code 1", () => {
    // At this rate BP runs away (weights up to ±1000, squared error) while output-only, training one layer, does not.
    const r = cimlearn(
      "train",
      "--algo",
      "bp,output-only",
      "--epochs",
      "1",
      "--train-samples",
      "256",
      "--set",
      'loss="squared-error"',
      "--set",
      "weightRange=1000",
      "--set",
      "momentum=0",
      "--lr",
      "0.1",
      "--json",
    );
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.runs.map((x: { config: { algo: string } }) => x.config.algo)).toEqual(["output-only"]);
    expect(doc.failed).toEqual([
      { algo: "bp", status: "diverged", message: expect.stringMatching(/loss per sample is [\d.e+]+; suspects: the step size/) },
    ]);
    expect(r.stderr).toMatch(/diverged in epoch 1/);
  });

  it("a modified preset is labelled with what differs in every header", async () => {
    const { deviceLabel } = await import("../src/device/config.js");
    const { resolveDevice } = await import("../src/device/config.js");
    expect(deviceLabel(resolveDevice("fefet-v21"))).toBe("fefet-v21");
    expect(deviceLabel(resolveDevice({ preset: "fefet-v21", nlLtp: 3, levelsLtp: 16, levelsLtd: 16 }))).toBe(
      "fefet-v21 + levels 16, nlLtp=3",
    );
    const r = cimlearn("train", "--epochs", "1", "--train-samples", "64", "--set", "device.c2c=0.05");
    expect(r.stdout).toMatch(/device fefet-v21 \+ c2c=0\.05,/);
  });
});

describe("train's output folder", () => {
  it("a file where the folder should be, or under a file: one line naming the path and the reason, exit 2", () => {
    for (const [out, reason] of [
      ["package.json", /cannot create the output folder at "package\.json": a file is in the way \(EEXIST\)/],
      ["package.json/sub", /a part of the path is a file, not a folder \(ENOTDIR\)/],
    ] as const) {
      const r = cimlearn("train", "--out", out, "--epochs", "1", "--train-samples", "32");
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(reason);
    }
  });
});
