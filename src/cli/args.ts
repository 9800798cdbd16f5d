import { parseArgs } from "node:util";
import { InputError } from "../engine/errors.js";
import { preview } from "../engine/preview.js";

export interface FlagSpec {
  type: "boolean" | "string";
  short?: string;
  /** May be given more than once; the values arrive as an array. */
  multiple?: boolean;
  /** Value placeholder and description for --help. */
  value?: string;
  help: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/**
 * Parses `argv` strictly against `flags`: an unknown flag, a missing value or
 * a stray argument is an InputError naming it and listing what is valid.
 */
export function parseFlags(
  command: string,
  argv: string[],
  flags: FlagSpecs,
  maxPositionals = 0,
): { values: FlagValues; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, spec]) => [
      name,
      { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) },
    ]),
  );
  const valid = Object.keys(flags)
    .map((f) => `--${f}`)
    .join(", ");
  // A value-taking flag followed by a negative number takes it as its value (`--epochs -1`, checked
  // later against the field's range) instead of reading it as another flag.
  const args = argv.flatMap((a, i) => {
    const name = /^--([\w-]+)$/.exec(a)?.[1];
    const next = argv[i + 1];
    if (name && flags[name]?.type === "string" && next !== undefined && /^-(\d|\.\d)/.test(next)) return [`${a}=${next}`];
    const prev = /^--([\w-]+)$/.exec(argv[i - 1] ?? "")?.[1];
    if (prev && flags[prev]?.type === "string" && /^-(\d|\.\d)/.test(a)) return [];
    return [a];
  });
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    const e = error as Error & { code?: string };
    const flag = /'([^']+)'/.exec(e.message)?.[1] ?? "";
    if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      throw new InputError(`unknown flag ${flag} for \`cimlearn ${command}\`; valid flags: ${valid}`);
    }
    if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      throw new InputError(`\`cimlearn ${command}\`: ${e.message.replace(/^Option /, "flag ")}`);
    }
    throw new InputError(`\`cimlearn ${command}\`: ${e.message}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new InputError(
      `\`cimlearn ${command}\` takes ${maxPositionals === 0 ? "no arguments" : `at most ${maxPositionals}`}, got ${preview(parsed.positionals.join(" "))}; valid flags: ${valid}`,
    );
  }
  return { values: parsed.values as FlagValues, positionals: parsed.positionals };
}

export function formatFlags(flags: FlagSpecs): string {
  const lines = Object.entries(flags).map(([name, spec]) => {
    const left = `  ${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.value ? ` ${spec.value}` : ""}`;
    return `${left.padEnd(28)}${spec.help}`;
  });
  return lines.join("\n");
}

/** A positive integer flag value, or an InputError naming the flag. */
export function positiveInteger(flag: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new InputError(`--${flag} must be an integer from 1 to ${max}, got ${preview(value)}`);
  }
  return n;
}
