// Bundles the TypeScript for Node (library + CLI) and for browsers (ESM), and
// ships the wasm modules beside each bundle.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { build } from "esbuild";

// cimlearn.relaxed.wasm: the opt-in relaxed-SIMD build (loadEngine's `simd: "relaxed"`), in both entries.
const wasm = ["cimlearn.wasm", "cimlearn.debug.wasm", "cimlearn.relaxed.wasm"];

const common = {
  bundle: true,
  format: "esm",
  sourcemap: "linked",
  logLevel: "warning",
};
// Split chunks are content-hashed: without a clean start, every build's stale chunks would pile up (and be packed).
for (const dir of ["dist/node", "dist/browser"]) rmSync(dir, { recursive: true, force: true });

// Every build names its target: without one, esbuild ≥ 0.27 may emit Uint8Array.fromBase64, which Node 20 lacks.

await build({
  ...common,
  platform: "node",
  target: "node20",
  entryPoints: { index: "src/index.ts", cli: "src/cli/main.ts", "sweep-worker": "src/experiment/sweep-worker.ts" },
  outdir: "dist/node",
  splitting: true,
  // The benchmark's peer is a devDependency, loaded only when it is installed.
  // The queue backend's packages are dependencies, loaded from node_modules when a queue is used.
  external: ["@tensorflow/*", "bullmq", "ioredis"],
});

// Minified: what a page downloads (the budget test holds it to 150 kB gzipped).
await build({
  ...common,
  minify: true,
  platform: "browser",
  target: ["es2022", "chrome100", "firefox100", "safari16"],
  // threads.js (`cimlearn/threads`): the same library with the Web Worker kernel threads, self-contained.
  entryPoints: { index: "src/browser.ts", threads: "src/browser-threads.ts" },
  outdir: "dist/browser",
});

for (const dir of ["dist/node", "dist/browser"]) {
  mkdirSync(dir, { recursive: true });
  for (const file of wasm) copyFileSync(`build/${file}`, `${dir}/${file}`);
}
// The threaded engine's builds (shared memory): Node's worker_threads and the browser's `cimlearn/threads`.
for (const dir of ["dist/node", "dist/browser"])
  for (const file of ["cimlearn.shared.wasm", "cimlearn.relaxed.shared.wasm"]) copyFileSync(`build/${file}`, `${dir}/${file}`);
