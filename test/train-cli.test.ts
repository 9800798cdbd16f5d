import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VERSION } from "../src/index.js";

function cimlearn(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["dist/node/cli.js", ...args], { encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("cimlearn train", () => {
  it("compares algorithms side by side, writes result.json and metrics.jsonl per run, and --json prints one document", () => {
    const out = mkdtempSync(join(tmpdir(), "cimlearn-train-"));
    const r = cimlearn("train", "--algo", "bp,dfa", "--epochs", "2", "--out", out, "--json");
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.runs.map((x: { config: { algo: string } }) => x.config.algo)).toEqual(["bp", "dfa"]);
    for (const run of doc.runs) {
      expect(run.version).toBe(VERSION);
      expect(run.seed).toBe(1);
      expect(run.config.device.preset).toBe("fefet-v21");
      expect(run.history).toHaveLength(2);
      expect(run.test_accuracy).toBeGreaterThan(0.5);
      expect(run.events.forward.reads).toBeGreaterThan(0);
      expect(run.events.update.setPulses + run.events.update.resetPulses).toBeGreaterThan(0);
    }
    for (const algo of ["bp", "dfa"]) {
      const result = JSON.parse(readFileSync(join(out, algo, "result.json"), "utf8"));
      expect(result.config.algo).toBe(algo);
      const lines = readFileSync(join(out, algo, "metrics.jsonl"), "utf8")
        .trim()
        .split("\n");
      expect(lines.map((l) => JSON.parse(l).epoch)).toEqual([1, 2]);
    }
    expect(r.stderr).toMatch(/bp epoch 2: train loss/);
  });

  it("prints the comparison table, and a config file with flags and --set overriding it", () => {
    const dir = mkdtempSync(join(tmpdir(), "cimlearn-config-"));
    const file = join(dir, "run.json");
    writeFileSync(file, JSON.stringify({ algo: "fa", epochs: 5, device: "ideal", seed: 3 }));
    const r = cimlearn("train", "--config", file, "--epochs", "1", "--set", "device.c2c=0.01", "--set", "periphery.adc=chip", "--json");
    expect(r.status, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout).runs[0];
    expect(run.config).toMatchObject({ algo: "fa", epochs: 1, seed: 3, periphery: { adc: "chip" } });
    expect(run.config.device).toMatchObject({ preset: "ideal", c2c: 0.01 });
    const table = cimlearn("train", "--algo", "bp,dfa", "--epochs", "1");
    expect(table.stdout).toMatch(/mlp:64-64-10 on digits, device fefet-v21, 1 epochs/);
    expect(table.stdout).toMatch(/test accuracy\s+\d+\.\d\d %\s+\d+\.\d\d %/);
    expect(table.stdout).not.toMatch(/initial/);
    // Every column names its schedule; the chip time under each schedule the rule allows, and the speed-up over the BP column.
    expect(table.stdout).toMatch(/\s+bp \(sequential\)\s+dfa \(sequential\)\n/);
    const secondsOf = (row: string) => {
      const m = new RegExp(`\\n${row}\\s+(\\S+) s\\s+(\\S+) s\\n`).exec(table.stdout);
      return [Number(m?.[1]), Number(m?.[2])];
    };
    const [bpSequential] = secondsOf(" {2}sequential");
    const dfaParallel = /\n {2}dfa-parallel\s+—\s+(\S+) s\n/.exec(table.stdout)?.[1];
    const speedup = /\n {2}dfa-parallel\s+—\s+(\d+\.\d\d)×\n/.exec(table.stdout)?.[1];
    expect(Number(speedup)).toBeCloseTo((bpSequential as number) / Number(dfaParallel), 1);
    expect(table.stdout).toMatch(/\n {2}Amdahl bound \(dfa-parallel\)\s+—\s+\d+\.\d\d×\n/);
    const initial = cimlearn("train", "--algo", "bp,dfa", "--epochs", "1", "--test-samples", "50", "--set", "evaluateInitial=true");
    expect(initial.stdout).toMatch(/initial test accuracy\s+\d+\.\d\d %\s+\d+\.\d\d %/);
    expect(initial.stdout).toMatch(/initial test loss\s+\d\.\d{4}\s+\d\.\d{4}\n.*\ntest loss\s+\d\.\d{4}/);
    // 50 test samples: every accuracy is a multiple of 2 %.
    for (const m of initial.stdout.matchAll(/accuracy\s+(\d+\.\d\d) %\s+(\d+\.\d\d) %/g))
      for (const v of [m[1], m[2]]) expect(Number(v) % 2).toBe(0);
  });

  it("bad input names the field, the value and what is allowed, and writes nothing", () => {
    const out = mkdtempSync(join(tmpdir(), "cimlearn-bad-"));
    const algo = cimlearn("train", "--algo", "bp,backprop", "--out", join(out, "x"));
    expect(algo.status).toBe(2);
    expect(algo.stderr).toMatch(
      /algo: Invalid option: expected one of "bp"\|"fa"\|"dfa"\|"drtp"\|"output-only"\|"usf"\|"frsf"\|"brsf"\|"kp" \(got "backprop"\)/,
    );
    expect(existsSync(join(out, "x"))).toBe(false);
    expect(cimlearn("train", "--set", "chip.adc.bits=40").stderr).toMatch(/chip\.adc\.bits: Too big/);
    expect(cimlearn("train", "--model", "mlp:784-10").stderr).toMatch(/takes 784 inputs, but dataset "digits" has 64 features/);
    expect(cimlearn("train", "--config", join(out, "missing.json")).stderr).toMatch(
      /cannot read the --config file at ".*missing\.json": it does not exist \(ENOENT\)/,
    );
    const notJson = join(out, "bad.json");
    writeFileSync(notJson, "{ epochs: 3 }");
    expect(cimlearn("train", "--config", notJson).stderr).toMatch(/not valid JSON/);
    expect(cimlearn("train", "--lr", "fast").stderr).toMatch(/--lr must be a decimal number, got "fast"/);
    expect(cimlearn("train", "--set", "epochs").stderr).toMatch(/--set expects PATH=VALUE/);
  });
});

describe("checkpoints on the command line", () => {
  it("train --out writes a checkpoint every epoch; --resume continues it to the uninterrupted run's result; evaluate reads it", async () => {
    const { resolveRunConfig } = await import("../src/experiment/config.js");
    const { train } = await import("../src/experiment/train.js");
    const { loadDigits, loadEngine } = await import("../src/index.js");
    const dropTimes = (r: unknown) => JSON.stringify(r, (k, v) => (k === "seconds" || k === "samples_per_second" ? undefined : v));
    const whole = mkdtempSync(join(tmpdir(), "cimlearn-whole-"));
    const full = cimlearn("train", "--epochs", "3", "--algo", "dfa", "--out", whole, "--json");
    expect(full.status, full.stderr).toBe(0);
    expect(existsSync(join(whole, "checkpoint.cimlearn"))).toBe(true);

    // The same run stopped after epoch 2 (as a kill would leave it: the checkpoint of epoch 2).
    const stopped = mkdtempSync(join(tmpdir(), "cimlearn-stopped-"));
    train(await loadEngine(), await loadDigits(), resolveRunConfig({ epochs: 3, algo: "dfa" }), {
      onCheckpoint: (save, epoch) => {
        if (epoch === 2) writeFileSync(join(stopped, "checkpoint.cimlearn"), save());
      },
    });
    const resumed = cimlearn("train", "--resume", stopped, "--json");
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming dfa after epoch 2 of 3/);
    expect(dropTimes(JSON.parse(resumed.stdout))).toBe(dropTimes(JSON.parse(full.stdout)));
    expect(readFileSync(join(stopped, "metrics.jsonl"), "utf8").trim().split("\n")).toHaveLength(3);

    const changed = cimlearn("train", "--resume", stopped, "--epochs", "5");
    expect(changed.status).toBe(2);
    expect(changed.stderr).toMatch(/--resume continues a run as its checkpoint configured it; --epochs would change it/);
    const empty = cimlearn("train", "--resume", mkdtempSync(join(tmpdir(), "cimlearn-empty-")));
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/no checkpoint\.cimlearn in/);

    const ev = cimlearn("evaluate", join(whole, "checkpoint.cimlearn"), "--json");
    expect(ev.status, ev.stderr).toBe(0);
    const doc = JSON.parse(ev.stdout);
    expect(doc.epoch).toBe(3);
    expect(doc.test_accuracy).toBe(JSON.parse(full.stdout).runs[0].test_accuracy);
    const table = cimlearn(
      "evaluate",
      join(whole, "checkpoint.cimlearn"),
      "--after",
      "0,1h,10y",
      "--drift-nu",
      "0.05",
      "--drift-nu-std",
      "0.02",
    );
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/after +G\(t\)\/G\(t0\) +test accuracy/);
    expect(table.stdout.trim().split("\n")).toHaveLength(7);
    const bad = cimlearn("evaluate", "package.json");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/package\.json: checkpoint: not a cimlearn checkpoint/);
    const duration = cimlearn("evaluate", join(whole, "checkpoint.cimlearn"), "--after", "soon");
    expect(duration.status).toBe(2);
    expect(duration.stderr).toMatch(/--after: "soon" is not a duration/);
  });
});
