// Sizes of what users download: the browser bundle of src/browser.ts (built in memory, minified as
// an app's bundler would), raw and gzipped, with the bytes each dependency puts in it; and the npm
// package as `npm pack` would make it from the current dist/ (run `npm run build && npm run types` first).
//
//   node scripts/size.mjs
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const kB = (n) => `${(n / 1024).toFixed(1)} kB`; // 1 kB = 1024 bytes

const result = await build({
  entryPoints: ["src/browser.ts"],
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  // As scripts/build.mjs: without a target, esbuild ≥ 0.27 may emit Uint8Array.fromBase64.
  target: ["es2022", "chrome100", "firefox100", "safari16"],
  write: false,
  metafile: true,
  logLevel: "warning",
});
// One entry, no outfile: one output.
const js = result.outputFiles[0];
const output = Object.values(result.metafile.outputs)[0];
const byPackage = new Map();
for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  const name = m ? m[1] : "(cimlearn)";
  byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
}
const gzipped = gzipSync(js.contents, { level: 9 }).length;
console.log(`browser bundle (src/browser.ts): ${kB(js.contents.length)} minified, ${kB(gzipped)} gzipped`);
for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1])) console.log(`  ${name.padEnd(24)} ${kB(bytes).padStart(10)}`);

if (!existsSync("dist/browser/index.js") || !existsSync("dist/types/index.d.ts")) {
  console.log("npm package: dist/ is not built (npm run build && npm run types)");
} else {
  // --ignore-scripts: measure dist/ as it is (prepack would rebuild it).
  const [pack] = JSON.parse(execSync("npm pack --dry-run --json --ignore-scripts", { encoding: "utf8" }));
  console.log(`npm package: ${kB(pack.size)} packed, ${kB(pack.unpackedSize)} unpacked, ${pack.entryCount} files`);
}
