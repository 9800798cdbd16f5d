// The README's library example, unchanged, in Node (the package's Node entry) and in headless
// Chromium (an esbuild bundle of the browser entry, its wasm found beside the bundle): the same
// epochs, accuracies and cost, to the bit.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { launchChromium } from "../chromium.js";

const work = mkdtempSync(join(tmpdir(), "cimlearn-library-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The first js block of the README's "As a library" section. */
function readmeExample(): string {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.slice(readme.indexOf("## As a library"));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error("README: no js example under ## As a library");
  return match[1];
}

describe("the README's library example", () => {
  it("prints the same epochs, accuracies and cost in Node and in a browser bundle", async () => {
    const example = readmeExample();
    expect(example).toMatch(/from "cimlearn"/);

    // Node: the package's Node entry.
    const nodeFile = join(work, "example.mjs");
    writeFileSync(nodeFile, example.replace('from "cimlearn"', `from ${JSON.stringify(resolve("dist/node/index.js"))}`));
    const nodeLines = execFileSync(process.execPath, [nodeFile], { encoding: "utf8" }).trim().split("\n");
    const numbers = (s: string) => (s.match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? []).map(Number);
    const nodeEpochs = nodeLines.filter((l) => /^\d+ /.test(l)).map(numbers);
    const nodeCost = numbers(nodeLines.filter((l) => !/^\d+ /.test(l)).join(" "));
    expect(nodeEpochs).toHaveLength(5);

    // Browser: the same source bundled against the browser entry, served from one origin.
    const bundle = await build({
      stdin: { contents: example, resolveDir: resolve("."), loader: "js" },
      bundle: true,
      format: "esm",
      platform: "browser",
      target: ["es2022", "chrome100"],
      alias: { cimlearn: resolve("src/browser.ts") },
      write: false,
      logLevel: "silent",
    });
    const js = bundle.outputFiles[0]?.text ?? "";
    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      const origin = "http://cimlearn.test";
      await page.route(`${origin}/**`, (route) => {
        const path = new URL(route.request().url()).pathname;
        if (path === "/index.html")
          return route.fulfill({ contentType: "text/html", body: '<script type="module" src="main.js"></script>' });
        if (path === "/main.js") return route.fulfill({ contentType: "text/javascript", body: js });
        if (path === "/cimlearn.wasm") return route.fulfill({ contentType: "application/wasm", body: readFileSync("build/cimlearn.wasm") });
        return route.fulfill({ status: 404, body: "" });
      });
      const logged: unknown[][] = [];
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const done = new Promise<void>((resolveDone) => {
        page.on("console", async (msg) => {
          const args = await Promise.all(msg.args().map((a) => a.jsonValue()));
          logged.push(args);
          if (args.length === 1 && typeof args[0] === "object") resolveDone();
        });
      });
      await page.goto(`${origin}/index.html`);
      await Promise.race([
        done,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`no cost printed; errors: ${errors}`)), 60_000)),
      ]);
      expect(errors).toEqual([]);
      const browserEpochs = logged.filter((a) => a.length === 2).map((a) => a.map(Number));
      const cost = logged.find((a) => a.length === 1)?.[0] as { latency_s: number; energy_j: number };
      expect(browserEpochs).toEqual(nodeEpochs);
      expect([cost.latency_s, cost.energy_j]).toEqual(nodeCost);
    } finally {
      await close();
    }
  });
});
