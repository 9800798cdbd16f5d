import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DEVICE_PRESET_IDS, findDevicePreset } from "../src/device/presets.js";
import { ALGORITHMS } from "../src/learning/rules.js";

function cimlearn(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["dist/node/cli.js", ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("cimlearn devices / device", () => {
  it("devices lists every preset with its source; --json is the preset table", () => {
    const text = cimlearn("devices");
    expect(text.status).toBe(0);
    for (const id of DEVICE_PRESET_IDS) expect(text.stdout).toMatch(new RegExp(`^${id}\\s`, "m"));
    expect(text.stdout).toMatch(/fefet-v21\s+fefet\s+240 kΩ\s+100\s+32\/32\s+1\.75\/1\.46/);
    const json = JSON.parse(cimlearn("devices", "--json").stdout);
    expect(json.map((p: { id: string }) => p.id)).toEqual(DEVICE_PRESET_IDS);
    expect(json[0].source).toMatch(/DNN\+NeuroSim V2\.1 train\.py/);
  });

  it("device PRESET --json gives the noiseless LTP and LTD curves in siemens", () => {
    const r = cimlearn("device", "fefet-v21", "--pulses", "40", "--json");
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const d = findDevicePreset("fefet-v21")?.params;
    expect(doc.preset).toBe("fefet-v21");
    expect(doc.params.gMax).toBe(d?.gMax);
    expect(doc.ltp).toHaveLength(41);
    expect(doc.ltd).toHaveLength(41);
    expect(doc.ltp[0]).toBe(d?.gMin);
    expect(doc.ltd[0]).toBe(d?.gMax);
    // Saturated after `levels` (32) pulses, monotone before.
    expect(doc.ltp[32]).toBeCloseTo(d?.gMax as number, 15);
    expect(doc.ltp[40]).toBe(doc.ltp[32]);
    expect(doc.ltd[32]).toBeCloseTo(d?.gMin as number, 15);
    for (let i = 1; i <= 32; i++) {
      expect(doc.ltp[i]).toBeGreaterThan(doc.ltp[i - 1]);
      expect(doc.ltd[i]).toBeLessThan(doc.ltd[i - 1]);
    }
    // Concave LTP (NL 1.75 > 0): the first step is the largest.
    expect(doc.ltp[1] - doc.ltp[0]).toBeGreaterThan(doc.ltp[32] - doc.ltp[31]);
  });

  it("device prints a table by default and names bad input", () => {
    const table = cimlearn("device", "ag-a-si", "--pulses", "3");
    expect(table.stdout).toMatch(/pulse\s+G after LTP \(nS\)\s+G after LTD \(nS\)/);
    expect(table.stdout.trim().split("\n")).toHaveLength(4 + 4);
    const unknown = cimlearn("device", "rram");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown device preset "rram"; valid: fefet-v21, rram-v20/);
    const missing = cimlearn("device");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/needs a preset/);
    const pulses = cimlearn("device", "ideal", "--pulses", "-3");
    expect(pulses.status).toBe(2);
  });
});

describe("cimlearn rules", () => {
  it("lists every rule with its hidden signal, feedback arrays, parallelism and source; --json is the descriptions", () => {
    const text = cimlearn("rules");
    expect(text.status, text.stderr).toBe(0);
    for (const id of ALGORITHMS) expect(text.stdout).toMatch(new RegExp(`^${id}\\s`, "m"));
    expect(text.stdout).toMatch(/^dfa\s+e · B_l\s+direct\s+B_1 … B_\{L−1\}\s+yes/m);
    expect(text.stdout).toMatch(/^bp\s+δ_\{l\+1\} · W_\{l\+1\}ᵀ\s+none\s+layers 2 … L\s+no/m);
    expect(text.stdout).toMatch(/drtp: .*Frenkel, Lefebvre & Bol/);
    const json = JSON.parse(cimlearn("rules", "--json").stdout);
    expect(Object.keys(json)).toEqual([...ALGORITHMS]);
    expect(json.kp.hidden).toEqual({ kind: "next-layer", matrix: { kind: "learned" } });
  });
});
