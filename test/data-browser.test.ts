// The browser-safe half of the data layer bundles for browsers without Node modules and works from bytes alone.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { idxSet } from "./data-helpers.js";

describe("data layer in a browser bundle", () => {
  it("src/data/index.ts bundles for the browser with no node: imports, and loads digits and gzip IDX files", async () => {
    const result = await build({
      entryPoints: ["src/data/index.ts"],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: ["es2022", "chrome100", "firefox100", "safari16"],
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]?.text ?? "";
    expect(code).not.toMatch(/from\s*["']node:|require\(["']node:|import\(["']node:/);
    expect(code).not.toMatch(/\bprocess\.|\bBuffer\b/);
    expect(code.length).toBeLessThan(120_000); // the embedded digits are ~58 kB of base64

    const dir = mkdtempSync(join(tmpdir(), "cimlearn-bundle-"));
    try {
      const file = join(dir, "data.mjs");
      writeFileSync(file, code);
      const lib = await import(pathToFileURL(file).href);
      const digits = await lib.loadDigits();
      expect(digits.train.count + digits.test.count).toBe(1797);
      const fm = await lib.datasetFromFiles("fashion-mnist", idxSet("", true));
      expect(fm.train.count).toBe(30);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
