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
    expect(r.ms).toBeLessThan(5000); // the process start included; the check itself is immediate
    expect(cimlearn("train", "--model", `mlp:${Array(1002).fill(8).join("-")}`).stderr).toMatch(
      /1001 weight layers, more than the 1000 a model may have/,
    );
  });

  it("a sweep is counted before it is expanded: a million-point product is refused at once", () => {
    const axis = (path: string) => ({ path, values: Array.from({ length: 100 }, (_, i) => i + 1) });
    const sweep = { name: "big", base: { epochs: 1 }, axes: [axis("seed"), axis("batch"), axis("trainSamples")] };
    const t = performance.now();
    expect(() => expandSweep(sweep)).toThrow(
      /1,000,000 runs \(100 × 100 × 100\), more than the limit of 100,000; split the sweep .* \(--max-runs N\)/,
    );
    expect(performance.now() - t).toBeLessThan(500);
    expect(expandSweep({ ...sweep, axes: [axis("seed")] }).runs).toHaveLength(100);
  });
});
