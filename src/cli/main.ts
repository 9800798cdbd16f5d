#!/usr/bin/env node

// The `cimlearn` command.

import { GEMM_CASES } from "../../bench/gemm.js";
import { type BenchOptions, formatBench, runBench } from "../../bench/run.js";
import { CimlearnError, InputError } from "../engine/errors.js";
import { loadEngine } from "../engine/load-node.js";
import { VERSION } from "../version.js";
import { type FlagSpecs, formatFlags, parseFlags, positiveInteger } from "./args.js";

interface Command {
  summary: string;
  usage: string;
  flags: FlagSpecs;
  run(argv: string[]): Promise<void>;
}

const helpFlag: FlagSpecs = { help: { type: "boolean", short: "h", help: "show this help" } };

const benchFlags: FlagSpecs = {
  json: { type: "boolean", help: "print one JSON document on stdout (progress goes to stderr)" },
  case: { type: "string", value: "IDS", help: `comma-separated case ids (default: all): ${GEMM_CASES.map((c) => c.id).join(", ")}` },
  rounds: { type: "string", value: "N", help: "timed rounds per implementation; the median is reported (default 7)" },
  "no-peers": { type: "boolean", help: "measure cimlearn only, not the plain-JS loop and TensorFlow.js-wasm" },
  ...helpFlag,
};

const commands: Record<string, Command> = {
  bench: {
    summary: "kernel throughput, with the plain-JS loop and TensorFlow.js-wasm as peers",
    usage: "cimlearn bench [--json] [--case IDS] [--rounds N] [--no-peers]",
    flags: benchFlags,
    async run(argv) {
      const { values } = parseFlags("bench", argv, benchFlags);
      if (values.help) return printHelp("bench");
      const cases = typeof values.case === "string" ? values.case.split(",").map((s) => s.trim()) : [];
      for (const id of cases) {
        if (!GEMM_CASES.some((c) => c.id === id)) {
          throw new InputError(`--case "${id}" is not a benchmark case; valid: ${GEMM_CASES.map((c) => c.id).join(", ")}`);
        }
      }
      const options: BenchOptions = {
        cases,
        rounds: typeof values.rounds === "string" ? positiveInteger("rounds", values.rounds, 1000) : 7,
        peers: !values["no-peers"],
        log: (line) => process.stderr.write(`${line}\n`),
      };
      const engine = await loadEngine();
      const report = await runBench(engine, options);
      process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatBench(report)}\n`);
    },
  },
};

function printHelp(command?: string): void {
  if (command) {
    const c = commands[command] as Command;
    process.stdout.write(`${c.usage}\n\n${c.summary}\n\n${formatFlags(c.flags)}\n`);
    return;
  }
  const list = Object.entries(commands)
    .map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`)
    .join("\n");
  process.stdout.write(
    `cimlearn ${VERSION} — train neural networks in-situ on simulated compute-in-memory chips

Usage: cimlearn <command> [flags]

Commands:
${list}

Flags:
  -h, --help       show help (also \`cimlearn <command> --help\`)
  -v, --version    print the version

`,
  );
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === "--help" || first === "-h" || first === "help") {
      printHelp(first === "help" ? rest[0] : undefined);
      return 0;
    }
    if (first === "--version" || first === "-v") {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const command = commands[first];
    if (!command) {
      const kind = first.startsWith("-") ? "flag" : "command";
      throw new InputError(`unknown ${kind} "${first}"; commands: ${Object.keys(commands).join(", ")}; flags: --help, --version`);
    }
    await command.run(rest);
    return 0;
  } catch (error) {
    if (error instanceof CimlearnError) {
      process.stderr.write(`cimlearn: ${error.message}\n`);
      return error instanceof InputError ? 2 : 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
