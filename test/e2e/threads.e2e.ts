// Kernel threads in the browser: the shipped `cimlearn/threads` bundle (dist/browser/threads.js) in
// headless Chromium. In a worker of a cross-origin isolated page, training on 2 and 3 threads gives
// the bits of one thread; a page without the isolation headers gets one thread and the reason, and
// asking it for more is refused with that reason.

import { readFileSync } from "node:fs";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../chromium.js";

// localhost: a secure context, which shared memory needs besides the headers.
const ORIGIN = "http://localhost:8765";
const ISOLATION = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };

// The worker: one training run per thread count (large enough products to be split), each as the JSON
// `train` returns without its timings; then what threadSupport says and what threads: 2 does.
const WORK = `
import { loadDigits, loadEngine, resolveRunConfig, threadSupport, train } from "./threads.js";
const support = threadSupport();
const out = { support, runs: [], refused: null };
if (support.threads > 1) {
  const data = await loadDigits();
  const config = resolveRunConfig({ algo: "dfa", device: "fefet-v21", model: "mlp:64-512-512-10", periphery: { adc: "chip" }, epochs: 1, batch: 128, trainSamples: 512 });
  for (const threads of [1, 2, 3]) {
    const engine = await loadEngine({ threads });
    const result = train(engine, data, config);
    out.runs.push({ threads: engine.threads, json: JSON.stringify(result, (k, v) => (k === "seconds" || k === "samples_per_second" ? undefined : v)) });
    engine.close();
  }
} else {
  try {
    await loadEngine({ threads: 2 });
  } catch (e) {
    out.refused = e.message;
  }
}
postMessage(out);
`;

let context: BrowserContext | undefined;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ context, close } = await launchChromium());
});
afterAll(async () => {
  await close?.();
});

interface Outcome {
  support: { threads: number; reason?: string };
  runs: { threads: number; json: string }[];
  refused: string | null;
}

async function runWorker(isolated: boolean): Promise<Outcome> {
  const page = await (context as BrowserContext).newPage();
  const headers = isolated ? ISOLATION : {};
  const files: Record<string, [string, Buffer | string]> = {
    "/index.html": ["text/html", "<!doctype html><title>threads</title>"],
    "/work.js": ["text/javascript", WORK],
    "/threads.js": ["text/javascript", readFileSync("dist/browser/threads.js")],
    "/cimlearn.wasm": ["application/wasm", readFileSync("dist/browser/cimlearn.wasm")],
    "/cimlearn.shared.wasm": ["application/wasm", readFileSync("dist/browser/cimlearn.shared.wasm")],
  };
  await page.route(`${ORIGIN}/**`, (route) => {
    const file = files[new URL(route.request().url()).pathname];
    if (!file) return route.fulfill({ status: 404, body: "" });
    return route.fulfill({ status: 200, contentType: file[0], body: file[1], headers });
  });
  await page.goto(`${ORIGIN}/index.html`);
  try {
    return await page.evaluate(
      () =>
        new Promise<Outcome>((resolve, reject) => {
          const w = new Worker("work.js", { type: "module" });
          w.onmessage = (e) => resolve(e.data as Outcome);
          w.onerror = (e) => reject(new Error(`worker failed: ${e.message}`));
        }),
    );
  } finally {
    await page.close();
  }
}

describe("kernel threads in the browser (cimlearn/threads)", () => {
  it("a cross-origin isolated page's worker trains on 2 and 3 threads with the bits of one", async () => {
    const out = await runWorker(true);
    expect(out.support.reason).toBeUndefined();
    expect(out.support.threads).toBeGreaterThan(1);
    expect(out.runs.map((r) => r.threads)).toEqual([1, 2, 3]);
    const [one, ...many] = out.runs;
    expect(JSON.parse(one?.json ?? "{}").history).toHaveLength(1);
    for (const r of many) expect(r.json, `${r.threads} threads`).toBe(one?.json);
  });

  it("a page without the isolation headers gets one thread and the reason; threads: 2 is refused with it", async () => {
    const out = await runWorker(false);
    expect(out.support.threads).toBe(1);
    expect(out.support.reason).toMatch(
      /not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/,
    );
    expect(out.refused).toMatch(/^threads: 2 cannot run here: the page is not cross-origin isolated/);
  });
});
