import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/index.js";
import { resolveRunConfig } from "../src/experiment/config.js";
import { writeStats } from "../src/experiment/endurance.js";
import { train } from "../src/experiment/train.js";
import { loadEngine } from "../src/index.js";

describe("write endurance", () => {
  it("writeStats: max, mean, nearest-rank percentiles and power-of-two bins, over several arrays", () => {
    // 1,000 devices: value v for 10 devices each, v = 0 … 99.
    const a = Uint32Array.from({ length: 600 }, (_, i) => Math.floor(i / 10));
    const b = Uint32Array.from({ length: 400 }, (_, i) => 60 + Math.floor(i / 10));
    const s = writeStats([a, b]);
    expect(s.devices).toBe(1000);
    expect(s.max).toBe(99);
    expect(s.mean).toBeCloseTo(49.5, 12);
    expect([s.p50, s.p90, s.p99, s.p999]).toEqual([49, 89, 98, 99]);
    expect(s.histogram).toEqual([
      { from: 0, to: 0, devices: 10 },
      { from: 1, to: 1, devices: 10 },
      { from: 2, to: 3, devices: 20 },
      { from: 4, to: 7, devices: 40 },
      { from: 8, to: 15, devices: 80 },
      { from: 16, to: 31, devices: 160 },
      { from: 32, to: 63, devices: 320 },
      { from: 64, to: 99, devices: 360 },
    ]);
    expect(writeStats([new Uint32Array(5)])).toMatchObject({ devices: 5, max: 0, p99: 0, histogram: [{ from: 0, to: 0, devices: 5 }] });
  });

  it("a run reports its writes per device, bounded by the updates; the lifetime is the endurance over the fastest device's writes per epoch", async () => {
    const data = await loadDigits();
    const runs = [];
    for (const endurance of [undefined, 1e6]) {
      const e = await loadEngine();
      const device = endurance === undefined ? "fefet-v21" : { preset: "fefet-v21" as const, endurance };
      const config = resolveRunConfig({ device, algo: "bp", epochs: 2, trainSamples: 320, testSamples: 50 });
      runs.push(train(e, data, config));
    }
    const [unknown, known] = runs as [ReturnType<typeof train>, ReturnType<typeof train>];
    const r = known.endurance;
    expect(r.updates).toBe(20);
    expect(r.all.max).toBeGreaterThan(0);
    expect(r.all.max).toBeLessThanOrEqual(20);
    expect(r.layers.map((l) => l.devices)).toEqual([65 * 64, 65 * 10]);
    expect(r.all.devices).toBe(65 * 64 + 65 * 10);
    expect(r.lifetime_epochs).toBeCloseTo(1e6 / (r.all.max / 2), 9);
    expect(r.endurance_source).toBe("device.endurance");
    // The same training without an endurance: the same writes, no lifetime, and a reason.
    expect(unknown.endurance.all).toEqual(r.all);
    expect(unknown.endurance.lifetime_epochs).toBeUndefined();
    expect(unknown.endurance.endurance_source).toMatch(/unknown: no source for fefet-v21/);
    // Every write is at least one pulse: the pulses bound the writes.
    expect(r.all.mean * r.all.devices).toBeLessThanOrEqual(known.events.update.setPulses + known.events.update.resetPulses);
  });
});
