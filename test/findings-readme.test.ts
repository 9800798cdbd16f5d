import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STUDY_DIR, withFindingsSection } from "../scripts/findings-readme.mjs";

describe("the README's 'Reproducing Wolters et al.' table", () => {
  it("is the committed paper study's findings.md (node scripts/findings-readme.mjs rewrites it), and the report it comes from is linked", () => {
    const findings = readFileSync(join(STUDY_DIR, "findings.md"), "utf8");
    const readme = readFileSync("README.md", "utf8");
    expect(withFindingsSection(readme, findings)).toBe(readme);
    // Every finding, on the three settings.
    const rows = findings.split("\n").filter((l) => l.startsWith("| ") && l.includes("**"));
    expect(rows).toHaveLength(7);
    for (const row of rows) expect(row.match(/\*\*(reproduced|not reproduced|not testable)\*\*/g)).toHaveLength(3);
    expect(existsSync(join(STUDY_DIR, "report.html"))).toBe(true);
    expect(readme).toContain("(docs/studies/paper/report.html)");
    expect(readFileSync(join(STUDY_DIR, "report.html"), "utf8")).toContain('<section id="wolters">');
  });
});
