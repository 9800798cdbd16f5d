#!/usr/bin/env node
// The `cimlearn` command: dispatch to a subcommand, turn input errors into exit code 2.

import { CimlearnError, InputError } from "../engine/errors.js";
import { VERSION } from "../version.js";
import { formatFlags, parseFlags } from "./args.js";
import type { Command } from "./command.js";
import { benchCommand } from "./commands/bench.js";
import { collectCommand } from "./commands/collect.js";
import { costCommand } from "./commands/cost.js";
import { deviceCommand, devicesCommand } from "./commands/devices.js";
import { evaluateCommand } from "./commands/evaluate.js";
import { mergeCommand } from "./commands/merge.js";
import { reportCommand } from "./commands/report.js";
import { rulesCommand } from "./commands/rules.js";
import { speedupCommand } from "./commands/speedup.js";
import { sweepCommand } from "./commands/sweep.js";
import { trainCommand } from "./commands/train.js";
import { workerCommand } from "./commands/worker.js";

const COMMANDS: readonly Command[] = [
  trainCommand,
  evaluateCommand,
  benchCommand,
  devicesCommand,
  deviceCommand,
  rulesCommand,
  costCommand,
  speedupCommand,
  sweepCommand,
  workerCommand,
  collectCommand,
  mergeCommand,
  reportCommand,
];

function printHelp(command?: Command): void {
  if (command) {
    process.stdout.write(`${command.usage}\n\n${command.summary}\n\n${formatFlags(command.flags)}\n`);
    return;
  }
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join("\n");
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
    if (first === undefined || first === "--help" || first === "-h") {
      printHelp();
      return 0;
    }
    if (first === "--version" || first === "-v") {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === first);
    if (!command) {
      const kind = first.startsWith("-") ? "flag" : "command";
      throw new InputError(`unknown ${kind} "${first}"; commands: ${COMMANDS.map((c) => c.name).join(", ")}; flags: --help, --version`);
    }
    const { values, positionals } = parseFlags(command.name, rest, command.flags, command.maxPositionals ?? 0);
    if (values.help) {
      printHelp(command);
      return 0;
    }
    await command.run(values, positionals);
    // A command that finished but with a failed part (a diverged rule of a comparison) set exit code 1.
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CimlearnError) {
      process.stderr.write(`cimlearn: ${error.message}\n`);
      return error instanceof InputError ? 2 : 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
