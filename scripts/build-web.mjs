// Bundles the browser playground (web/) into dist/web: the page script (ESM), the simulation
// worker (a classic script, so every current browser can start it), the release wasm beside
// them, and the static files. Run after the wasm build (npm run build:web does both).
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { build } from "esbuild";

const out = "dist/web";
if (!existsSync("build/cimlearn.wasm")) {
  console.error("build/cimlearn.wasm is missing: run `npm run asbuild` first (npm run build:web does)");
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  platform: "browser",
  // Always a target: without one, esbuild ≥ 0.27 may emit Uint8Array.fromBase64.
  target: ["es2022", "chrome100", "firefox100", "safari16"],
  sourcemap: "linked",
  minify: true,
  logLevel: "warning",
  outdir: out,
};

await build({ ...common, format: "esm", entryPoints: { main: "web/src/main.ts" } });
await build({
  ...common,
  format: "iife",
  entryPoints: { worker: "web/src/worker.ts" },
  // The library's default wasm location (import.meta.url) is never used here (the worker passes
  // its own base URL); a classic worker has no import.meta, so give it the script's address.
  define: { "import.meta.url": "self.location.href" },
});

for (const file of ["web/index.html", "web/style.css"]) copyFileSync(file, `${out}/${file.slice(4)}`);
// The shared-memory build: the worker's kernel threads, when the page is cross-origin isolated.
for (const file of ["cimlearn.wasm", "cimlearn.shared.wasm"]) copyFileSync(`build/${file}`, `${out}/${file}`);
console.log(`playground built in ${out}/`);
