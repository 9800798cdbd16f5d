import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The package as a consumer gets it: packed (the bundles `npm test` built, plus the type
// declarations; `npm pack` alone runs the same build as its prepack), installed into an empty
// project, type-checked strictly and run. The test does not rebuild dist/: other tests run from it.

const repo = resolve(".");
const work = mkdtempSync(join(tmpdir(), "cimlearn-package-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CONSUMER = `import { ALGORITHMS, costInputOf, estimateCost, loadDigits, loadEngine, resolveRunConfig, train, type TrainResult } from "cimlearn";
const engine = await loadEngine();
const data = await loadDigits();
const config = resolveRunConfig({ algo: "dfa", epochs: 1, trainSamples: 320, testSamples: 100 });
const result: TrainResult = train(engine, data, config);
console.log(JSON.stringify({ rules: ALGORITHMS.length, accuracy: result.test_accuracy, latency: estimateCost(costInputOf(config)).total.latency_s }));
`;

describe("the npm package", () => {
  it("packs without source maps or the playground, installs into an empty project, type-checks strictly and trains in Node, Deno and Bun alike", () => {
    const packDir = join(work, "pack");
    mkdirSync(packDir);
    execFileSync(process.execPath, [join(repo, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.types.json"], { cwd: repo });
    const out = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", packDir], {
      cwd: repo,
      encoding: "utf8",
    });
    const tarball = join(packDir, out.trim().split("\n").pop() as string);
    const files = execFileSync("tar", ["tzf", tarball], { encoding: "utf8" }).trim().split("\n");
    expect(files.filter((f) => f.endsWith(".map") || f.includes("/web/"))).toEqual([]);
    for (const f of [
      "package/dist/node/index.js",
      "package/dist/node/cimlearn.wasm",
      "package/dist/browser/index.js",
      "package/dist/types/index.d.ts",
      "package/dist/types/browser.d.ts",
    ]) {
      expect(files).toContain(f);
    }
    const packed = statSync(tarball).size;
    console.log(`package: ${(packed / 1024).toFixed(0)} kB packed, ${files.length} files`);
    expect(packed).toBeLessThan(1.5 * 1024 * 1024);

    const consumer = join(work, "consumer");
    mkdirSync(consumer);
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], { cwd: consumer, stdio: "pipe" });
    writeFileSync(join(consumer, "main.ts"), CONSUMER);
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ["node"],
          typeRoots: [join(repo, "node_modules/@types")],
        },
        include: ["main.ts"],
      }),
    );
    execFileSync(process.execPath, [join(repo, "node_modules/typescript/bin/tsc"), "-p", consumer], { stdio: "pipe" });
    // Node 20 cannot run TypeScript: the same program without its one type annotation.
    writeFileSync(join(consumer, "main.mjs"), CONSUMER.replace(": TrainResult", "").replace(", type TrainResult", ""));
    const output = execFileSync(process.execPath, ["main.mjs"], { cwd: consumer, encoding: "utf8" });
    const printed = JSON.parse(output);
    expect(printed.rules).toBeGreaterThanOrEqual(9);
    expect(printed.accuracy).toBeGreaterThan(0.1);
    expect(printed.latency).toBeGreaterThan(0);
    // Deno and Bun run the installed package as it is (bare "cimlearn" from node_modules) and print the same line.
    expect(
      execFileSync(join(repo, "node_modules/.bin/deno"), ["run", "--allow-read", "--allow-env", "main.mjs"], {
        cwd: consumer,
        encoding: "utf8",
      }),
    ).toBe(output);
    expect(execFileSync(join(repo, "node_modules/.bin/bun"), ["main.mjs"], { cwd: consumer, encoding: "utf8" })).toBe(output);
    // The README's library example, unchanged, against the installed package: the same numbers in all three.
    const readme = readFileSync(join(repo, "README.md"), "utf8");
    const example = /```js\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf("## As a library")))?.[1] ?? "";
    expect(example).toMatch(/from "cimlearn"/);
    writeFileSync(join(consumer, "readme.mjs"), example);
    const numbers = (s: string) => (s.match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? []).map(Number);
    const inNode = numbers(execFileSync(process.execPath, ["readme.mjs"], { cwd: consumer, encoding: "utf8" }));
    expect(inNode.length).toBeGreaterThan(10);
    const deno = execFileSync(join(repo, "node_modules/.bin/deno"), ["run", "--allow-read", "--allow-env", "readme.mjs"], {
      cwd: consumer,
      encoding: "utf8",
    });
    expect(numbers(deno)).toEqual(inNode);
    expect(numbers(execFileSync(join(repo, "node_modules/.bin/bun"), ["readme.mjs"], { cwd: consumer, encoding: "utf8" }))).toEqual(inNode);
  }, 300_000);
});
