import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const lint = (...args: string[]) => spawnSync(process.execPath, ["scripts/lint-assembly.mjs", ...args], { encoding: "utf8" });

describe("scripts/lint-assembly.mjs: Biome's recommended rules on the AssemblyScript kernels", () => {
  it("the kernels pass", () => {
    const r = lint();
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/lint-assembly: \d+ files of assembly, no finding/);
  });

  it("a finding fails it, named at its real path and line (decorator lines kept, so the numbers hold)", () => {
    const dir = mkdtempSync(join(tmpdir(), "cimlearn-lint-as-"));
    writeFileSync(join(dir, "k.ts"), "// k\n@inline\nexport function f(a: i32): i32 {\n  debugger;\n  return a == 1 ? 0 : a;\n}\n");
    const r = lint(dir);
    expect(r.status).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/k\.ts:4:3 lint\/suspicious\/noDebugger/);
    // `==` is the language's equality in AssemblyScript: not a finding.
    expect(out).not.toMatch(/noDoubleEquals/);
  });
});
