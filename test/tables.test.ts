import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// The kernels' constant tables (assembly/tables/) are generated: the committed files must be exactly
// what scripts/tables.mjs makes, so an edit by hand (or a change of the script without rerunning it) fails.
describe("generated tables", () => {
  it("assembly/tables/ equals what scripts/tables.mjs generates", () => {
    const r = spawnSync(process.execPath, ["scripts/tables.mjs", "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
