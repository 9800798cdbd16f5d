// A StrykerJS ignorer for the drawn samples of scripts/mutate.mjs: inside a drawn mutant's range it
// ignores every node that is not a drawn mutant's own node and holds none, so a drawn function body
// or object literal does not bring its nested statements' mutants along (they would triple the run).
// Mutants of other mutators on a drawn node are still tested; scripts/mutate.mjs counts the drawn ones only.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

const OUT = join(fileURLToPath(new URL("..", import.meta.url)), "reports/mutation");

/** Drawn nodes per file: 0-based start/end lines and columns, as the instrumenter lists them. */
function drawnLocations() {
  const byFile = new Map();
  if (!existsSync(OUT)) return byFile;
  for (const name of readdirSync(OUT).filter((f) => /^sample-.+-ids\.json$/.test(f))) {
    for (const m of JSON.parse(readFileSync(join(OUT, name), "utf8")).drawn) {
      const list = byFile.get(m.file) ?? [];
      list.push(m.location);
      byFile.set(m.file, list);
    }
  }
  return byFile;
}

const drawn = drawnLocations();
const before = (a, b) => a.line < b.line || (a.line === b.line && a.column <= b.column);

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "drawn-only", {
    shouldIgnore(path) {
      const file = path.hub?.file?.opts?.filename ?? "";
      const loc = path.node.loc;
      const list = [...drawn.entries()].find(([f]) => file === f || file.endsWith(`/${f}`))?.[1];
      if (!list || !loc) return undefined;
      // Babel's lines are 1-based, the drawn ones 0-based; columns are 0-based in both.
      const start = { line: loc.start.line - 1, column: loc.start.column };
      const end = { line: loc.end.line - 1, column: loc.end.column };
      const same = (l) =>
        l.start.line === start.line && l.start.column === start.column && l.end.line === end.line && l.end.column === end.column;
      const holds = (l) => before(start, l.start) && before(l.end, end);
      if (list.some((l) => same(l) || holds(l))) return undefined;
      return "not drawn (scripts/mutate.mjs sample)";
    },
  }),
];
