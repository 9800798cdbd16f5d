// cimlearn's cost model against DNN+NeuroSim V2.1 as its code computes today: every row of the
// validation grid (test/fixtures/neurosim-v2.1-grid.json: the tool's commit, every Param.cpp change,
// the trace statistics, and what it printed), through the same path as `cimlearn cost --json`.
// Totals within ±10 %, each area component and each phase's latency and energy within ±20 %.

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compare, costOf, grid, knownDeviations, ratio, unsupported, within } from "./neurosim-grid.js";

describe("DNN+NeuroSim V2.1 validation grid", () => {
  it("has at least 24 rows over ≥ 5 networks, every node the tool runs, and the options the issue lists", () => {
    const rows = grid.rows.filter((r) => !unsupported(r));
    expect(rows.length).toBeGreaterThanOrEqual(24);
    expect(new Set(rows.map((r) => r.network)).size).toBeGreaterThanOrEqual(5);
    const nodes = new Set(rows.map((r) => Number(r.param_changes.technode ?? 32)));
    for (const n of [22, 32, 45, 65]) expect(nodes.has(n), `${n} nm`).toBe(true);
    for (const key of ["numRowSubArray", "levelOutput", "numColMuxed", "levelOutputWG", "memcelltype", "globalBufferType", "SARADC"]) {
      expect(
        rows.some((r) => key in r.param_changes),
        key,
      ).toBe(true);
    }
    expect(new Set(rows.map((r) => r.trace.activity)).size).toBeGreaterThan(1);
  });

  it("docs/cost-model.md carries the table generated from this fixture (node scripts/cost-validation.mjs)", () => {
    const r = spawnSync(process.execPath, ["scripts/cost-validation.mjs", "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  for (const row of grid.rows) {
    const why = unsupported(row);
    it.skipIf(why !== null)(`${row.id}: ${row.network} ${JSON.stringify(row.param_changes)} ${why ?? ""}`, () => {
      const report = costOf(row);
      const excluded = knownDeviations(row, report)?.quantities ?? [];
      const failures = compare(row, report)
        .filter((c) => !within(c) && !excluded.includes(c.quantity))
        .map(
          (c) =>
            `${c.quantity}: ${c.ours.toPrecision(4)} vs ${c.theirs.toPrecision(4)} (×${ratio(c).toFixed(3)}, allowed ±${c.tolerance * 100} %)`,
        );
      expect(failures).toEqual([]);
    });
  }
});
