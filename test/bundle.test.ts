import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The bundles as shipped (npm run build), not the sources.

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const name = (req.url ?? "/").replace(/^\//, "");
    if (!/^[\w.-]+$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(`dist/browser/${name}`);
      res.writeHead(200, { "content-type": name.endsWith(".wasm") ? "application/wasm" : "text/javascript" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe("bundles", () => {
  // The kernel threads are the separate entry cimlearn/threads, not counted here.
  it("the browser bundle stays within its budget: 150 kB gzipped", () => {
    const gzipped = gzipSync(readFileSync("dist/browser/index.js"), { level: 9 }).length;
    console.log(`browser bundle: ${(gzipped / 1024).toFixed(1)} kB gzipped`);
    expect(gzipped).toBeLessThanOrEqual(150 * 1024);
  });

  it("the browser bundle has no Node imports and loads its wasm with fetch", async () => {
    const source = readFileSync("dist/browser/index.js", "utf8");
    expect(source).not.toMatch(/from\s*["']node:|require\(["']node:/);
    expect(source).not.toMatch(/fromBase64/);
    const lib = await import(pathToFileURL(resolve("dist/browser/index.js")).href);
    const e = await lib.loadEngine({ baseUrl: base });
    const a = e.arena.tensor([2, 3]);
    const b = e.arena.tensor([3, 2]);
    const c = e.arena.tensor([2, 2]);
    e.write(a, [1, 2, 3, 4, 5, 6]);
    e.write(b, [1, 0, 0, 1, 1, 1]);
    e.gemm(c, a, b);
    expect(Array.from(e.f32(c))).toEqual([4, 5, 10, 11]);
    await expect(lib.loadEngine({ baseUrl: `${base}missing/` })).rejects.toThrow(/HTTP 404/);
  });

  it("the Node bundle loads the wasm shipped beside it", async () => {
    const lib = await import(pathToFileURL(resolve("dist/node/index.js")).href);
    const e = await lib.loadEngine();
    const x = e.arena.tensor([3]);
    e.write(x, [-1, 0.5, 2]);
    e.kernels.relu(x.offset, x.offset, 3);
    expect(Array.from(e.f32(x))).toEqual([0, 0.5, 2]);
    expect(readFileSync("dist/node/index.js", "utf8")).not.toMatch(/fromBase64/);
  });

  it("the Node bundle runs a sweep on its own worker script and writes the report", async () => {
    const lib = await import(pathToFileURL(resolve("dist/node/index.js")).href);
    const out = join(mkdtempSync(join(tmpdir(), "cimlearn-lib-sweep-")), "s");
    const sweep = lib.expandSweep({
      name: "lib",
      base: { model: "mlp:64-8-10", epochs: 1, device: "ideal", trainSamples: 100 },
      axes: [{ path: "algo", values: ["bp", "dfa"] }],
    });
    const summary = await lib.runSweep(sweep, { out, workers: 1, log: () => {} });
    expect(summary).toMatchObject({ total: 2, ok: 2, failed: 0 });
    expect(lib.writeReport(out).runs).toBe(2);
  });
});
