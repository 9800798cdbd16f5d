// `cimlearn merge DIR… --out OUT`: combine the shards of one sweep into one results directory.

import { InputError } from "../../engine/errors.js";
import { mergeSweeps } from "../../experiment/sweep-merge.js";
import type { FlagValues } from "../args.js";
import { type Command, helpFlag } from "../command.js";

export const mergeCommand: Command = {
  name: "merge",
  summary: "combine the shards of one sweep (`sweep --shard I/N`) into one results directory",
  usage: "cimlearn merge DIR… --out OUT [--json]",
  maxPositionals: 10_000,
  flags: {
    out: {
      type: "string",
      value: "OUT",
      help: "the merged results directory (new, or empty); `cimlearn report OUT` then covers every shard",
    },
    json: { type: "boolean", help: "print the summary as one JSON document on stdout" },
    ...helpFlag,
  },
  async run(values: FlagValues, positionals: string[]) {
    if (typeof values.out !== "string") throw new InputError("`cimlearn merge` needs --out OUT (a new directory for the merged sweep)");
    const summary = mergeSweeps(positionals, values.out);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return;
    }
    const missing = summary.missing_shards.length > 0 ? `; shards ${summary.missing_shards.join(", ")} are missing` : "";
    process.stdout.write(
      `${summary.name}: ${summary.finished} of ${summary.total} runs (${summary.ok} ok, ${summary.failed} failed) from ${summary.inputs.length} directories into ${summary.out}${missing}\nreport: cimlearn report ${summary.out}\n`,
    );
  },
};
