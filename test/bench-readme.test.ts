import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RESULTS, renderBench, withBenchSection } from "../scripts/bench-readme.mjs";

describe("the README's performance tables", () => {
  it("are generated from docs/bench-results.json, a bench run's JSON (node scripts/bench-readme.mjs rewrites them)", () => {
    const report = JSON.parse(readFileSync(RESULTS, "utf8"));
    const readme = readFileSync("README.md", "utf8");
    expect(withBenchSection(readme, renderBench(report))).toBe(readme);
    // The run covers every suite, with the peers.
    const kernels = new Set(report.results.map((r: { kernel: string }) => r.kernel));
    for (const k of ["gemm", "program", "read", "train", "cost", "conv"]) expect(kernels.has(k), k).toBe(true);
    expect(report.results.some((r: { case: string; impl: string }) => r.case === "train-ideal" && r.impl === "tfjs-wasm")).toBe(true);
  });
});
