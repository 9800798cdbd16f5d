import type { FlagSpecs, FlagValues } from "./args.js";

/** A `cimlearn` subcommand. Each lives in its own file under commands/ and is listed in main.ts. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  flags: FlagSpecs;
  /** Most positional arguments accepted. */
  maxPositionals?: number;
  /** Runs with the already-parsed flags; writes its result to stdout. */
  run(values: FlagValues, positionals: string[]): Promise<void>;
}

export const helpFlag: FlagSpecs = { help: { type: "boolean", short: "h", help: "show this help" } };
