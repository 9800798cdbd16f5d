// `cimlearn report DIR`: DIR/report.html (self-contained, interactive) and the CSV tables beside it.

import { statSync } from "node:fs";
import { InputError } from "../../engine/errors.js";
import { withFs } from "../../engine/fs-errors.js";
import { writeReport } from "../../report/index.js";
import type { FlagValues } from "../args.js";
import { type Command, helpFlag } from "../command.js";

export const reportCommand: Command = {
  name: "report",
  summary: "write DIR/report.html (charts, self-contained) and CSV tables from a sweep directory",
  usage: "cimlearn report DIR [--stand-in DIR] [--json]",
  maxPositionals: 1,
  flags: {
    "stand-in": {
      type: "string",
      help: 'a BP-vs-DFA sweep on the MLP stand-in (npm run study\'s results/bp-vs-dfa) whose results join the "Reproducing Wolters et al." table as a column',
    },
    json: { type: "boolean", help: "print what was written as one JSON document on stdout" },
    ...helpFlag,
  },
  async run(values: FlagValues, positionals: string[]) {
    const dir = positionals[0];
    if (dir === undefined)
      throw new InputError("`cimlearn report` needs a sweep directory: cimlearn report DIR (the --out of `cimlearn sweep`)");
    const standIn = values["stand-in"] as string | undefined;
    for (const [what, d] of [
      ["", dir],
      ["--stand-in ", standIn],
    ] as const) {
      if (d === undefined) continue;
      const entry = withFs("open the sweep folder", d, () => statSync(d, { throwIfNoEntry: false }));
      if (!entry) throw new InputError(`${what}${d}: no such directory (give the --out of \`cimlearn sweep\`)`);
      if (!entry.isDirectory()) throw new InputError(`${what}${d} is a file, not a folder (give the --out of \`cimlearn sweep\`)`);
    }
    const written = writeReport(dir, standIn === undefined ? {} : { standIn });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(written, null, 2)}\n`);
      return;
    }
    process.stdout.write(
      `${written.report}: ${written.finished} of ${written.runs} runs (${written.ok} ok, ${written.failed} failed)\ntables: ${written.csv.join(", ")}\n${written.findings ? `findings: ${written.findings}\n` : ""}`,
    );
  },
};
