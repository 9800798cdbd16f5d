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
  usage: "cimlearn report DIR [--json]",
  maxPositionals: 1,
  flags: {
    json: { type: "boolean", help: "print what was written as one JSON document on stdout" },
    ...helpFlag,
  },
  async run(values: FlagValues, positionals: string[]) {
    const dir = positionals[0];
    if (dir === undefined)
      throw new InputError("`cimlearn report` needs a sweep directory: cimlearn report DIR (the --out of `cimlearn sweep`)");
    const entry = withFs("open the sweep folder", dir, () => statSync(dir, { throwIfNoEntry: false }));
    if (!entry) throw new InputError(`${dir}: no such directory (give the --out of \`cimlearn sweep\`)`);
    if (!entry.isDirectory()) throw new InputError(`${dir} is a file, not a folder (give the --out of \`cimlearn sweep\`)`);
    const written = writeReport(dir);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(written, null, 2)}\n`);
      return;
    }
    process.stdout.write(
      `${written.report}: ${written.finished} of ${written.runs} runs (${written.ok} ok, ${written.failed} failed)\ntables: ${written.csv.join(", ")}\n`,
    );
  },
};
