// `node scripts/lint-assembly.mjs [DIR]`: Biome's recommended rules on the AssemblyScript kernels
// (DIR, default assembly/). Biome parses TypeScript, and AssemblyScript is TypeScript but for its
// decorators on top-level functions (`@inline`, `@global`, …), which TypeScript allows only on
// classes: those lines are blanked in a copy (line numbers kept), the copy is linted, and the
// findings are printed with the real paths. Exit status: Biome's (0: no finding).

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const source = resolve(process.argv[2] ?? join(root, "assembly"));
const DECORATOR = /^(\s*)@(inline|global|lazy|unmanaged|final|operator(\.\w+)?\(.*\)|external\(.*\))\s*$/;

/** Rules that do not hold in AssemblyScript, each with the reason. */
const OFF = {
  suspicious: {
    // `==` compares statically typed values (no coercion); `===` is identity on references. The kernels use `==` as the language does.
    noDoubleEquals: "off",
    // AssemblyScript's isFinite<T> is a typed builtin, not JavaScript's coercing global.
    noGlobalIsFinite: "off",
  },
  correctness: {
    // Integer literals are exact in i64/u64 (0xffffffffffffffff is 2^64 − 1), not JavaScript doubles.
    noPrecisionLoss: "off",
  },
  complexity: {
    // Math.min/max are f64 functions (ints would round-trip through f64), and f32.min/max differ from the
    // comparison on NaN and −0 (relu(−0) stays −0): the kernels' results would change bits.
    useMathMinMax: "off",
  },
};

const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
};
walk(source);

const copy = mkdtempSync(join(tmpdir(), "cimlearn-lint-assembly-"));
try {
  for (const file of files) {
    const text = readFileSync(file, "utf8")
      .split("\n")
      .map((line) => line.replace(DECORATOR, "$1"))
      .join("\n");
    const target = join(copy, relative(source, file));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  const config = {
    files: { includes: ["**/*.ts"] },
    linter: { enabled: true, rules: { preset: "recommended", ...OFF } },
    formatter: { enabled: false },
    assist: { enabled: false },
  };
  writeFileSync(join(copy, "biome.json"), JSON.stringify(config, null, 2));
  const biome = join(root, "node_modules", ".bin", "biome");
  const r = spawnSync(biome, ["lint", ".", "--max-diagnostics=200", "--colors=off"], { cwd: copy, encoding: "utf8" });
  if (r.error) throw r.error;
  // Findings name the copy's files; give them their real paths.
  const where = relative(process.cwd(), source) || ".";
  const fix = (text) => text.replace(/^(\S+\.ts)(:\d+:\d+)/gm, (_, file, at) => `${join(where, file)}${at}`);
  process.stdout.write(fix(r.stdout));
  process.stderr.write(fix(r.stderr));
  if (r.status === 0) process.stdout.write(`lint-assembly: ${files.length} files of ${where}, no finding\n`);
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(copy, { recursive: true, force: true });
}
