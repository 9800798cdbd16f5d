import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../src/index.js";

const CLI = "dist/node/cli.js";

function cimlearn(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
});

describe("cimlearn command line", () => {
  it("--version and --help", () => {
    expect(cimlearn("--version")).toMatchObject({ status: 0, stdout: `${VERSION}\n` });
    const help = cimlearn("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: cimlearn <command>/);
    expect(help.stdout).toMatch(/bench/);
    expect(cimlearn("bench", "--help").stdout).toMatch(/--rounds N/);
  });

  it("unknown commands and flags fail with exit code 2, naming them and what is valid", () => {
    const command = cimlearn("trian");
    expect(command.status).toBe(2);
    expect(command.stderr).toMatch(/unknown command "trian"; commands: train, evaluate, bench, devices, device/);
    const flag = cimlearn("bench", "--jsn");
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(
      /unknown flag --jsn for `cimlearn bench`; valid flags: --json, --case, --rounds, --no-peers, --simd, --help/,
    );
    const top = cimlearn("--verbose");
    expect(top.status).toBe(2);
    expect(top.stderr).toMatch(/unknown flag "--verbose"/);
  });

  it("bad flag values are named with what is allowed", () => {
    const rounds = cimlearn("bench", "--rounds", "0");
    expect(rounds.status).toBe(2);
    expect(rounds.stderr).toMatch(/--rounds must be an integer from 1 to 1000, got "0"/);
    const unknownCase = cimlearn("bench", "--case", "vector,conv2");
    expect(unknownCase.status).toBe(2);
    expect(unknownCase.stderr).toMatch(/--case "conv2" is not a benchmark case; valid: vector, forward-784/);
    const missing = cimlearn("bench", "--rounds");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--rounds/);
  });

  it("bench --json prints exactly one JSON document on stdout, progress on stderr, with every peer", () => {
    const r = cimlearn("bench", "--json", "--case", "vector,gradient", "--rounds", "1");
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.version).toBe(VERSION);
    expect(report.machine).toMatchObject({ node: process.versions.node, clock: "cpu" });
    expect(Object.keys(report.machine.peers).sort()).toEqual(["js", "tfjs-wasm"]);
    const seen = report.results.map((x: { case: string; impl: string }) => `${x.case}/${x.impl}`).sort();
    expect(seen).toEqual(["gradient/cimlearn", "gradient/js", "gradient/tfjs-wasm", "vector/cimlearn", "vector/js", "vector/tfjs-wasm"]);
    for (const x of report.results) {
      expect(x.kernel).toBe("gemm");
      expect(x.gflops).toBeGreaterThan(0);
    }
    expect(r.stderr).toMatch(/gemm vector: cimlearn/);
  });

  it("bench without --json prints the table with ratios", () => {
    const r = cimlearn("bench", "--case", "vector", "--rounds", "1", "--no-peers");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^gemm\s+shape\s+cimlearn GFLOP\/s/);
    expect(r.stdout).toMatch(/vector\s+A·B 1×784·784×512\s+\d+\.\d\d/);
  });
});
