// `cimlearn collect DIR --queue URL`: go on collecting a queued sweep into its directory.

import { InputError } from "../../engine/errors.js";
import { expandSweep } from "../../experiment/sweep.js";
import { parseQueueUrl, runQueuedSweep } from "../../experiment/sweep-queue.js";
import { readManifest } from "../../experiment/sweep-store.js";
import type { FlagValues } from "../args.js";
import { type Command, helpFlag } from "../command.js";

export const collectCommand: Command = {
  name: "collect",
  summary: "collect a queued sweep's results into its directory (after `sweep --queue` ended), re-queueing runs a Redis restart lost",
  usage: "cimlearn collect DIR --queue URL [--retry-failed] [--json]",
  maxPositionals: 1,
  flags: {
    queue: { type: "string", value: "URL", help: "the Redis URL the sweep was queued on (password also from CIMLEARN_REDIS_PASSWORD)" },
    "retry-failed": { type: "boolean", help: "queue the failed runs again too" },
    json: { type: "boolean", help: "print the summary as one JSON document on stdout" },
    ...helpFlag,
  },
  async run(values: FlagValues, positionals: string[]) {
    const dir = positionals[0];
    if (dir === undefined) throw new InputError("`cimlearn collect` needs the sweep directory: cimlearn collect DIR --queue URL");
    if (typeof values.queue !== "string") throw new InputError("`cimlearn collect` needs --queue URL (where the sweep was queued)");
    const queue = parseQueueUrl(values.queue);
    const manifest = readManifest(dir);
    if (manifest.shard)
      throw new InputError(`${dir} holds shard ${manifest.shard.index}/${manifest.shard.count} of a sweep, not a queued sweep`);
    // The stored sweep, expanded again: opening the directory checks that it still resolves the same.
    const expanded = expandSweep(manifest.sweep, manifest.source);
    const summary = await runQueuedSweep(expanded, {
      out: dir,
      source: manifest.source,
      queue,
      retryFailed: values["retry-failed"] === true,
    });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return;
    }
    process.stdout.write(
      `${summary.name}: ${summary.skipped + summary.ran} of ${summary.total} runs collected (${summary.ran} now: ${summary.ok} ok, ${summary.failed} failed) in ${summary.seconds.toFixed(1)} s\nresults: ${dir}/results.jsonl; report: cimlearn report ${dir}\n`,
    );
  },
};
