import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../src/version.js";

const CLI = "dist/node/cli.js";
const EXAMPLE = "examples/neurosim-v2.1-vgg8.json";

function cimlearn(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
});

describe("cimlearn cost", () => {
  it("prints the floorplan, area, phase × component tables and totals", () => {
    const r = cimlearn("cost", "--config", EXAMPLE);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^cimlearn cost: vgg8, bp, sequential schedule; 32 nm LSTP, 128×128 arrays, device fefet-v21/);
    expect(r.stdout).toContain("ADCs (mlsa): forward 6 b / 8 columns, error 6 b / 8 rows, gradient 6 b / 8 rows");
    expect(r.stdout).toContain("Desired Novel Mapped Tile Storage Size: 9x512x512");
    expect(r.stdout).toContain("layer7: 8\n");
    expect(r.stdout).toContain("Memory Utilization of Whole Chip: 88.5938 % ");
    expect(r.stdout).toMatch(/\nArea +mm² +share\n/);
    expect(r.stdout).toMatch(/\nCIM arrays +0\.365\d +0\.4 %\n/);
    // DNN+NeuroSim V2.1's code at this config: 96.9 mm², ADC ≈ 54 mm² (the grid fixture's row r02).
    expect(r.stdout).toMatch(/\nADC +54\.0\d +5\d\.\d %\n/);
    expect(r.stdout).toMatch(/\nLatency per epoch \(s\) +forward +error +gradient +update +total +share\n/);
    expect(r.stdout).toMatch(/\nEnergy per epoch \(J\) +forward +error +gradient +update +total +share\n/);
    expect(r.stdout).toMatch(/\nbuffer( +[\d.e+-]+){5} +4\d\.\d %\n/);
    expect(r.stdout).toMatch(/Training time per epoch: 12\d\.\d s {3}energy: 11\d\.\d J/);
    expect(r.stdout).not.toContain("Speed-up over BP");
  });

  it("--json prints exactly one JSON document in the contract's shape, with the resolved config and version", () => {
    const r = cimlearn("cost", "--config", EXAMPLE, "--json");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const doc = JSON.parse(r.stdout);
    for (const key of ["config", "area", "floorplan", "phases", "leakage_j", "total", "tops", "tops_per_w", "schedule"])
      expect(doc, key).toHaveProperty(key);
    expect(doc.version).toBe(VERSION);
    expect(doc.config).toMatchObject({ model: "vgg8", batch: 200, iterations: 250, chip: { technology: 32 } });
    expect(Object.keys(doc.area)).toEqual(["total_m2", "breakdown"]);
    expect(Object.keys(doc.phases)).toEqual(["forward", "error", "gradient", "update"]);
    for (const phase of Object.values(doc.phases) as { latency_s: number; energy_j: number; components: object }[]) {
      expect(Object.keys(phase)).toEqual(["latency_s", "overlapped_s", "energy_j", "components"]);
      expect(Object.keys(phase.components)).toEqual(["array", "adc", "accumulation", "buffer", "interconnect", "wgUnit", "update", "dram"]);
    }
    expect(doc.floorplan.map((f: { tiles: number }) => f.tiles)).toEqual([1, 1, 1, 1, 1, 1, 8, 1]);
    // What DNN+NeuroSim V2.1's code prints for this config with these trace statistics is ≈ 129 s (FW 37.9, AG 30.2, WG 60.0 s).
    expect(doc.phases.forward.latency_s).toBeCloseTo(37.9, 0);
    expect(doc.phases.gradient.latency_s).toBeCloseTo(60.1, 0);
    expect(doc.adc.gradient).toEqual({ type: "mlsa", bits: 6, mux: 8 });
    expect(doc.schedule).toBe("sequential");
  });

  it("flags override the config file; other rules report the speed-up over BP", () => {
    const half = JSON.parse(cimlearn("cost", "--config", EXAMPLE, "--batch", "100", "--json").stdout);
    const full = JSON.parse(cimlearn("cost", "--config", EXAMPLE, "--json").stdout);
    expect(half.config.batch).toBe(100);
    expect(half.phases.gradient.components.dram.energy_j / full.phases.gradient.components.dram.energy_j).toBeCloseTo(0.5, 9);
    const dfa = cimlearn("cost", "--config", EXAMPLE, "--algo", "dfa", "--schedule", "dfa-parallel", "--iterations", "10");
    expect(dfa.status, dfa.stderr).toBe(0);
    expect(dfa.stdout).toContain("B1: 10x131072 forward, 86 sub-arrays");
    expect(dfa.stdout).toMatch(/\nfeedback arrays +[\d.]+ +[\d.]+ %\n/);
    expect(dfa.stdout).toMatch(
      /Speed-up over BP on the same chip \(BP sequential\): \d+\.\d\d× per epoch, \d+\.\d\d× for error \+ gradient \+ update\n {2}over BP on the same timeline .*: \d+\.\d\d× per epoch.*\n {2}Amdahl: \d+\.\d % of BP's sequential epoch .* over its 8 layers; .* at most \d+\.\d\d×/,
    );
    expect(dfa.stdout).toMatch(
      /Schedule dfa-parallel: work starts once its inputs are ready .* Hardware: one shared weight-gradient unit, per-image gradients summed through DRAM/,
    );
    const json = JSON.parse(cimlearn("cost", "--model", "mlp:784-256-10", "--dataset", "mnist", "--algo", "dfa", "--json").stdout);
    expect(json.config).toMatchObject({ model: "mlp:784-256-10", algo: "dfa", iterations: 600 });
    expect(json.speedup).toMatchObject({ vs: "bp", schedule: "sequential" });
    // --set comes after the flags; channel feedback shrinks B1 to 10 × 128 (one sub-array).
    const channels = cimlearn(
      "cost",
      "--config",
      EXAMPLE,
      "--algo",
      "dfa",
      "--batch",
      "100",
      "--set",
      "feedback.conv=channels",
      "--set",
      "batch=50",
    );
    expect(channels.status, channels.stderr).toBe(0);
    expect(channels.stdout).toContain("B1: 10x128 forward, 1 sub-arrays");
    expect(channels.stdout).toMatch(/epoch: 50 images ×/);
    expect(cimlearn("cost", "--set", "chip.adc.bits=40").stderr).toMatch(/chip\.adc\.bits: Too big/);
  });

  it("--explain gives any number's formula, per-layer terms and inputs with their sources; --set shadowed by the config warns", () => {
    const r = cimlearn("cost", "--config", EXAMPLE, "--explain", "phases.gradient.latency.buffer");
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(cimlearn("cost", "--config", EXAMPLE, "--json").stdout);
    const value = doc.phases.gradient.components.buffer.latency_s as number;
    expect(r.stdout).toMatch(/^phases\.gradient\.components\.buffer\.latency_s \(weight gradient/);
    expect(r.stdout).toContain(`= ${(value).toPrecision(3)} s`);
    expect(r.stdout).toMatch(/\nformula: .*Buffer\.cpp/);
    expect(r.stdout).toMatch(/\n {2}layer 7 \(fc1\): .* per image × 50000 — 1 positions × copies 1, 8 tile\(s\)/);
    expect(r.stdout).toMatch(/\n {2}buffers: global register, tile register, PE register {2}\[config chip\.buffers/);
    expect(r.stdout).toMatch(/\n {2}trace statistics: activity 0\.5, .*\[config assume\.\*/);
    // Every number of the document can be explained, the config's too.
    for (const path of [
      "area.breakdown.adc",
      "total.energy_j",
      "operations",
      "layers.3.phases.error.latency_s",
      "floorplan.0.duplication",
      "config.batch",
    ]) {
      const e = cimlearn("cost", "--config", EXAMPLE, "--explain", path, "--json");
      expect(e.status, path).toBe(0);
      expect(JSON.parse(e.stdout).explanation, path).toMatch(/formula: /);
    }
    const bad = cimlearn("cost", "--config", EXAMPLE, "--explain", "phases.gradient.speed");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(
      /--explain: "phases\.gradient\.speed" is not a number of the cost report; numbers there include phases\.gradient\.latency_s/,
    );
    const shadowed = cimlearn("cost", "--config", EXAMPLE, "--set", "chip.adc.bits=4", "--json");
    expect(shadowed.stderr).toMatch(
      /warning: --set chip\.adc\.bits does not reach chip\.adc\.error\.bits \(6\) or chip\.adc\.gradient\.bits \(6\)/,
    );
    expect(JSON.parse(shadowed.stdout).adc).toMatchObject({ forward: { bits: 4 }, error: { bits: 6 } });
    expect(
      cimlearn(
        "cost",
        "--config",
        EXAMPLE,
        "--set",
        "chip.adc.bits=4",
        "--set",
        "chip.adc.error.bits=4",
        "--set",
        "chip.adc.gradient.bits=4",
      ).stderr,
    ).toBe("");
  });

  it("bad input fails with exit code 2, naming the field or flag, the value and what is allowed", () => {
    const cases: [string[], RegExp][] = [
      [["--schedule", "fast"], /schedule: .*"sequential"\|"dfa-parallel"\|"pipelined".*\(got "fast"\)/],
      [["--batch", "0"], /--batch must be an integer from 1 to 65536, got "0"/],
      [["--algo", "bp", "--schedule", "dfa-parallel"], /schedule: "dfa-parallel" needs .*algo "bp" chains the error/],
      [["--model", "vgg9"], /model: unknown model "vgg9"; expected mlp:N-N-…-N/],
      [["--model", "vgg8"], /model: "vgg8" takes 3×32×32 images, but dataset "digits" has 1×8×8/],
      [["--config", "no-such-file.json"], /cannot read the --config file at "no-such-file\.json": it does not exist \(ENOENT\)/],
      [["--device", "memristor"], /device: .*"fefet-v21".*\(got "memristor"\)/],
      [["--json", "--bach", "5"], /unknown flag --bach for `cimlearn cost`; valid flags: --config, --model/],
    ];
    for (const [args, message] of cases) {
      const r = cimlearn("cost", ...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(r.stdout).toBe("");
    }
    const dir = mkdtempSync(join(tmpdir(), "cimlearn-cost-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ model: "vgg8", dataset: "cifar10", chip: { adc: { bits: 12 }, tech: 32 } }));
    const r = cimlearn("cost", "--config", file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/chip: unknown key "tech"/);
    expect(r.stderr).toMatch(/chip\.adc\.bits: .*<=10.*\(got 12\)/);
  });

  it("--help lists the flags", () => {
    const r = cimlearn("cost", "--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/cimlearn cost \[--config F\]/);
    expect(r.stdout).toMatch(/--schedule S +sequential, dfa-parallel, pipelined/);
  });
});

describe("cimlearn speedup", () => {
  it("tabulates DFA's speed-up vs depth per hardware assumption; nothing shared on the backward path gives the most", () => {
    const r = cimlearn("speedup", "--depths", "2,5,9", "--width", "256", "--json");
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.assumptions.map((a: { id: string }) => a.id)).toEqual([
      "neurosim",
      "wg-per-layer",
      "on-chip-accumulation",
      "local-buffers",
      "pipelined",
    ]);
    expect(doc.points).toHaveLength(2 * 5 * 3);
    const at = (shape: string, id: string, n: number) =>
      doc.points.find(
        (p: { shape: string; assumption: string; n: number }) => p.shape.startsWith(shape) && p.assumption === id && p.n === n,
      );
    for (const n of [2, 5, 9]) {
      // Equal-width layers, nothing shared: the backward phases approach N; the whole epoch less (the forward stays serial).
      const free = at("equal", "local-buffers", n);
      expect(free.backward / n).toBeGreaterThan(0.9);
      expect(free.total).toBeLessThan(free.backward);
      expect(at("equal", "neurosim", n).total).toBeLessThan(free.total);
      expect(free.model).toBe(`mlp:${Array.from({ length: n + 1 }, () => 256).join("-")}`);
      expect(at("784-input", "neurosim", n).model).toMatch(/^mlp:784-(256-)*10$/);
    }
    const text = cimlearn("speedup", "--depths", "2-4");
    expect(text.stdout).toMatch(/A: DNN\+NeuroSim's chip: one shared WG unit, gradients via DRAM, global buffer/);
    expect(text.stdout).toMatch(/\n2 +\d+\.\d\d× +\d+\.\d\d×/);
    expect(cimlearn("speedup", "--depths", "1-3").stderr).toMatch(/--depths: "1-3" must be a range "A-B" or a list .* from 2 to 64/);
    expect(cimlearn("speedup", "--algo", "bp").stderr).toMatch(/--algo: "bp" — allowed: dfa, drtp/);
  });
});
