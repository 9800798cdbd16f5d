// Builds the wasm (every asconfig target) unless nothing it is built from changed: a hash of
// assembly/, asconfig.json and the compiler's version, kept beside the outputs in build/.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { GENERATED_PATH, kernelBindings } from "./kernel-bindings.mjs";

// The release build also writes the compiler's bindings (build/cimlearn.js, build/cimlearn.d.ts):
// the declaration of every export, from which src/engine/kernels.generated.ts is generated.
// The shared target imports a shared memory: the threaded engine's build (src/engine/threads-node.ts).
// The relaxed targets are release and shared with relaxed SIMD (fused multiply-add in the matrix
// products): the opt-in `simd: "relaxed"` builds (src/engine/simd.ts).
const TARGETS = ["release", "debug", "shared", "relaxed", "relaxed-shared"];
const outputs = [
  "build/cimlearn.wasm",
  "build/cimlearn.debug.wasm",
  "build/cimlearn.shared.wasm",
  "build/cimlearn.relaxed.wasm",
  "build/cimlearn.relaxed.shared.wasm",
  "build/cimlearn.d.ts",
];
const stamp = "build/.wasm-inputs";

function files(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

const hash = createHash("sha256");
for (const f of [...files("assembly"), "asconfig.json", "node_modules/assemblyscript/package.json"]) {
  hash.update(f);
  hash.update(readFileSync(f));
}
const digest = hash.digest("hex");
const force = process.argv.includes("--force");
function writeBindings() {
  const text = kernelBindings(readFileSync("build/cimlearn.d.ts", "utf8"));
  if (!existsSync(GENERATED_PATH) || readFileSync(GENERATED_PATH, "utf8") !== text) writeFileSync(GENERATED_PATH, text);
}

if (!force && outputs.every(existsSync) && existsSync(stamp) && readFileSync(stamp, "utf8") === digest) {
  writeBindings();
  console.log("wasm up to date (assembly/ unchanged; --force rebuilds)");
  process.exit(0);
}
for (const target of TARGETS) {
  const bindings = target === "release" ? ["--bindings", "raw"] : [];
  const r = spawnSync(process.execPath, ["node_modules/assemblyscript/bin/asc.js", "assembly/index.ts", "--target", target, ...bindings], {
    stdio: "inherit",
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
writeBindings();
writeFileSync(stamp, digest);
