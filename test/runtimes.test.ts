import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The Node entry under Deno and Bun (both devDependencies from the npm registry): the README's
// library example and a run that exercises the noisy device paths, the feedback arrays and the cost
// model, printed in full, must come out byte for byte as in Node. Bun runs JavaScriptCore, whose
// Math functions may differ from V8's in the last bit: anything the results depend on must not.

const work = mkdtempSync(join(tmpdir(), "cimlearn-runtimes-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const entry = JSON.stringify(resolve("dist/node/index.js"));

function readmeExample(): string {
  const readme = readFileSync("README.md", "utf8");
  const match = /```js\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf("## As a library")));
  if (!match?.[1]) throw new Error("README: no js example under ## As a library");
  return match[1].replace('from "cimlearn"', `from ${entry}`);
}

// Timings differ from run to run; everything else is printed.
const STRESS = `import { costInputOf, estimateCost, loadDataset, loadEngine, resolveRunConfig, train } from ${entry};
const engine = await loadEngine();
const data = await loadDataset("digits");
const drop = (key, value) => (key === "seconds" || key === "samples_per_second" ? undefined : value);
for (const config of [
  { algo: "dfa", device: { preset: "ag-a-si", d2dNl: 0.2, readNoise: 0.01 }, model: "mlp:64-32-32-10", epochs: 2, periphery: { adc: "chip" }, feedback: { storage: "crossbar" } },
  { algo: "kp", device: "pcmo", model: "mlp:64-32-32-10", epochs: 2, batch: 8, optimizer: "tiki-taka", optimizerOptions: { transferLr: 0.1 } },
  { algo: "bp", model: "cnn:1x8x8-c4-fc10", epochs: 1, trainSamples: 200, quant: { activation: 8, error: 8, gradient: 5 } },
]) {
  const result = train(engine, data, resolveRunConfig(config));
  console.log(JSON.stringify(result, drop));
}
console.log(JSON.stringify(estimateCost(costInputOf(resolveRunConfig({ dataset: "cifar10", model: "vgg8", algo: "dfa" })))));
`;

const RUNTIMES: [string, string[]][] = [
  ["node", [process.execPath]],
  ["deno", [resolve("node_modules/.bin/deno"), "run", "--allow-read", "--allow-env"]],
  ["bun", [resolve("node_modules/.bin/bun")]],
];

function runAll(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, [bin, ...args]] of RUNTIMES)
    out[name] = execFileSync(bin as string, [...args, file], { encoding: "utf8", cwd: work, maxBuffer: 64 << 20 });
  return out;
}

describe("Deno and Bun", () => {
  it("run the README's library example with Node's output", () => {
    const file = join(work, "example.mjs");
    writeFileSync(file, readmeExample());
    const out = runAll(file);
    const numbers = (s: string) => (s.match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? []).map(Number);
    expect(numbers(out.node as string).length).toBeGreaterThan(10);
    // Bun's console.log lays objects out differently; the numbers are what must agree.
    expect(numbers(out.deno as string)).toEqual(numbers(out.node as string));
    expect(numbers(out.bun as string)).toEqual(numbers(out.node as string));
  });

  it("give bit-identical training results and costs: noisy devices, crossbar feedback, Tiki-Taka, a CNN, VGG-8's cost", () => {
    const file = join(work, "stress.mjs");
    writeFileSync(file, STRESS);
    const out = runAll(file);
    const lines = (out.node as string).trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[0] as string).history).toHaveLength(2);
    expect(out.deno).toBe(out.node);
    expect(out.bun).toBe(out.node);
  });
});
