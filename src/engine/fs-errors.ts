// One line for every filesystem failure a command can meet: what it was doing, on which path, and
// what the system said, instead of a stack trace. Every writer and reader of user paths goes through it.

import { CimlearnError, InputError } from "./errors.js";

/** The system's reasons, as a user would fix them. */
const REASONS: Record<string, string> = {
  ENOENT: "it does not exist",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "it is a folder, not a file",
  EEXIST: "a file is in the way",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the filesystem is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  ELOOP: "a symbolic link loops",
  ENAMETOOLONG: "the path is too long",
  EMFILE: "too many open files",
  EIO: "an input/output error",
};

/** Errors from fs calls carry a code; anything else is not a filesystem failure. */
function codeOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && code.startsWith("E") ? code : undefined;
}

/**
 * The one-line error for a failed filesystem call: `action` says what was being done ("write the
 * results", "read the data folder"), `path` where. Paths the user gave or controls are InputErrors
 * (exit code 2); a full disk or an I/O error is the machine's (exit code 1). Other errors pass through.
 */
export function fileError(error: unknown, action: string, path: string): Error {
  if (error instanceof CimlearnError) return error;
  const code = codeOf(error);
  if (!code) return error instanceof Error ? error : new Error(String(error));
  const reason = REASONS[code] ?? (error as Error).message;
  const message = `cannot ${action} at "${path}": ${reason} (${code})`;
  return code === "ENOSPC" || code === "EDQUOT" || code === "EIO" || code === "EMFILE"
    ? new CimlearnError(message)
    : new InputError(message);
}

/** Runs a filesystem call, turning its failure into fileError's one line. */
export function withFs<T>(action: string, path: string, f: () => T): T {
  try {
    return f();
  } catch (error) {
    throw fileError(error, action, path);
  }
}
