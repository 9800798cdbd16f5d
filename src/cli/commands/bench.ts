import { allCaseIds, type BenchOptions, formatBench, runBench } from "../../../bench/run.js";
import { InputError } from "../../engine/errors.js";
import { loadEngine } from "../../engine/load-node.js";
import { positiveInteger } from "../args.js";
import { type Command, helpFlag } from "../command.js";

export const benchCommand: Command = {
  name: "bench",
  summary: "kernel throughput, with peers measured in the same process",
  usage: "cimlearn bench [--json] [--case IDS] [--rounds N] [--no-peers]",
  flags: {
    json: { type: "boolean", help: "print one JSON document on stdout (progress goes to stderr)" },
    case: { type: "string", value: "IDS", help: `comma-separated case ids (default: all): ${allCaseIds().join(", ")}` },
    rounds: { type: "string", value: "N", help: "timed rounds per implementation; the median is reported (default 7)" },
    "no-peers": { type: "boolean", help: "measure cimlearn only, not the peers (plain JS, TensorFlow.js-wasm)" },
    ...helpFlag,
  },
  async run(values) {
    const valid = allCaseIds();
    const cases = typeof values.case === "string" ? values.case.split(",").map((s) => s.trim()) : [];
    for (const id of cases) {
      if (!valid.includes(id)) throw new InputError(`--case "${id}" is not a benchmark case; valid: ${valid.join(", ")}`);
    }
    const options: BenchOptions = {
      cases,
      rounds: typeof values.rounds === "string" ? positiveInteger("rounds", values.rounds, 1000) : 7,
      peers: !values["no-peers"],
      log: (line) => process.stderr.write(`${line}\n`),
    };
    const report = await runBench(await loadEngine(), options);
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatBench(report)}\n`);
  },
};
