import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("the mutation score in the README and docs/mutation.md", () => {
  it("is docs/mutation-score.json's (node scripts/mutate.mjs readme rewrites both), for all four folders, with its survivors listed", () => {
    const r = spawnSync(process.execPath, ["scripts/mutate.mjs", "readme", "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const measured = JSON.parse(readFileSync("docs/mutation-score.json", "utf8")) as {
      rows: { folder: string; score?: number; survived?: number; uncovered?: number; survivors?: unknown[] }[];
    };
    expect(measured.rows.map((row) => row.folder)).toEqual(["src/learning", "src/nn", "src/device", "src/cost"]);
    for (const row of measured.rows) {
      expect(row.score, row.folder).toBeGreaterThan(0);
      expect(row.survivors, row.folder).toHaveLength((row.survived ?? 0) + (row.uncovered ?? 0));
    }
  });
});
