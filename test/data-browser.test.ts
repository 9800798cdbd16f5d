// The browser-safe half of the data layer bundles for browsers without Node modules and works from bytes alone.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { loadDataset as loadDatasetByFetch } from "../src/data/fetch.js";
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

describe("loadDataset in a browser (files fetched from a folder the page serves)", () => {
  const serve = (files: Record<string, Uint8Array>) => {
    const asked: string[] = [];
    const fetcher = async (url: URL) => {
      asked.push(url.href);
      const name = url.pathname.split("/").pop() as string;
      const bytes = url.href.startsWith("https://example.test/data/fm/") ? files[name] : undefined;
      return {
        ok: bytes !== undefined,
        status: bytes ? 200 : 404,
        arrayBuffer: async () => (bytes as Uint8Array).slice().buffer,
      };
    };
    return { fetcher, asked };
  };

  it("fetches the IDX files from baseUrl (raw first, then .gz), digits needs nothing, and a missing file or baseUrl is a clear error", async () => {
    const { fetcher, asked } = serve(idxSet("", true));
    const fm = await loadDatasetByFetch("fashion-mnist", { baseUrl: "https://example.test/data/fm", fetch: fetcher });
    expect([fm.train.count, fm.test.count]).toEqual([30, 12]);
    expect(fm.source).toBe("https://example.test/data/fm/");
    expect(asked.slice(0, 2)).toEqual([
      "https://example.test/data/fm/train-images-idx3-ubyte",
      "https://example.test/data/fm/train-images-idx3-ubyte.gz",
    ]);
    const digits = await loadDatasetByFetch("digits");
    expect(digits.train.count + digits.test.count).toBe(1797);
    await expect(loadDatasetByFetch("mnist")).rejects.toThrow(
      /mnist: options\.baseUrl is needed here — the URL of a folder serving train-images-idx3-ubyte/,
    );
    const partial = idxSet("", true);
    delete partial["t10k-labels-idx1-ubyte.gz"];
    await expect(
      loadDatasetByFetch("fashion-mnist", { baseUrl: "https://example.test/data/fm/", fetch: serve(partial).fetcher }),
    ).rejects.toThrow(
      /fashion-mnist: not found under https:\/\/example\.test\/data\/fm\/: t10k-labels-idx1-ubyte \(HTTP 404\), t10k-labels-idx1-ubyte\.gz \(HTTP 404\)/,
    );
  });
});
