import { allCaseIds, type BenchOptions, formatBench, runBench } from "../../../bench/run.js";
import { InputError } from "../../engine/errors.js";
import { loadEngine, requireRelaxedSimd } from "../../engine/load-node.js";
import { preview } from "../../engine/preview.js";
import { positiveInteger } from "../args.js";
import { type Command, helpFlag } from "../command.js";

export const benchCommand: Command = {
  name: "bench",
  summary: "kernel throughput, with peers measured in the same process",
  usage: "cimlearn bench [--json] [--case IDS] [--rounds N] [--no-peers] [--simd relaxed]",
  flags: {
    json: { type: "boolean", help: "print one JSON document on stdout (progress goes to stderr)" },
    case: { type: "string", value: "IDS", help: `comma-separated case ids (default: all): ${allCaseIds().join(", ")}` },
    rounds: { type: "string", value: "N", help: "timed rounds per implementation; the median is reported (default 7)" },
    "no-peers": { type: "boolean", help: "measure cimlearn only, not the peers (plain JS, TensorFlow.js-wasm)" },
    simd: { type: "string", value: "BUILD", help: "stock (default) or relaxed: also time the relaxed-SIMD build's matrix products" },
    ...helpFlag,
  },
  async run(values) {
    const valid = allCaseIds();
    const cases = typeof values.case === "string" ? values.case.split(",").map((s) => s.trim()) : [];
    for (const id of cases) {
      if (!valid.includes(id)) throw new InputError(`--case "${id}" is not a benchmark case; valid: ${valid.join(", ")}`);
    }
    const simd = values.simd;
    if (simd !== undefined && simd !== "stock" && simd !== "relaxed")
      throw new InputError(`--simd must be stock or relaxed, got ${preview(simd)}`);
    if (simd === "relaxed") requireRelaxedSimd("--simd relaxed");
    const options: BenchOptions = {
      cases,
      rounds: typeof values.rounds === "string" ? positiveInteger("rounds", values.rounds, 1000) : 7,
      peers: !values["no-peers"],
      log: (line) => process.stderr.write(`${line}\n`),
      ...(simd === "relaxed" ? { relaxed: await loadEngine({ simd }) } : {}),
    };
    const report = await runBench(await loadEngine(), options);
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatBench(report)}\n`);
  },
};
