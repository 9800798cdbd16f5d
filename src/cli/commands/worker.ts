// `cimlearn worker --queue URL --sweep SWEEP.json`: run a queued sweep's jobs on this machine.

import { availableParallelism } from "node:os";
import { InputError } from "../../engine/errors.js";
import { expandSweep } from "../../experiment/sweep.js";
import { parseQueueUrl, runQueueWorker } from "../../experiment/sweep-queue.js";
import type { FlagValues } from "../args.js";
import { positiveInteger } from "../args.js";
import { type Command, helpFlag } from "../command.js";
import { readSweepFile } from "./sweep.js";

export const workerCommand: Command = {
  name: "worker",
  summary: "run the jobs of a sweep queued with `sweep --queue` on this machine (any number of machines at once)",
  usage: "cimlearn worker --queue URL --sweep SWEEP.json [--threads N] [--stalled-seconds S] [--exit-when-done]",
  flags: {
    queue: { type: "string", value: "URL", help: "the Redis URL the sweep was queued on (password also from CIMLEARN_REDIS_PASSWORD)" },
    sweep: {
      type: "string",
      value: "FILE",
      help: "the sweep file: this worker runs only that sweep's jobs, each with the config its own expansion gives (a job carries only a run id)",
    },
    threads: {
      type: "string",
      value: "N",
      help: `runs at once, one per thread (default 1; this machine has ${availableParallelism()} cores)`,
    },
    "stalled-seconds": {
      type: "string",
      value: "S",
      help: "a run whose worker stops answering this long goes to another worker (default 30)",
    },
    "exit-when-done": { type: "boolean", help: "end once the sweep's collector has every run (else run until stopped)" },
    json: { type: "boolean", help: "print a summary as one JSON document on stdout when it ends" },
    ...helpFlag,
  },
  async run(values: FlagValues) {
    if (typeof values.queue !== "string") throw new InputError("`cimlearn worker` needs --queue URL (where the sweep was queued)");
    if (typeof values.sweep !== "string") throw new InputError("`cimlearn worker` needs --sweep SWEEP.json (the sweep whose jobs it runs)");
    const queue = parseQueueUrl(values.queue);
    const expanded = expandSweep(readSweepFile(values.sweep), values.sweep);
    const threads = typeof values.threads === "string" ? positiveInteger("threads", values.threads, 256) : 1;
    const stalled =
      typeof values["stalled-seconds"] === "string" ? positiveInteger("stalled-seconds", values["stalled-seconds"], 86_400) : 30;
    const stop = new AbortController();
    let signals = 0;
    const onSignal = () => {
      // First signal: finish the runs in progress, then end; second: end now (their jobs go to other workers).
      if (++signals > 1) process.exit(130);
      process.stderr.write("worker: stopping after the runs in progress (again to stop now)\n");
      stop.abort();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    const result = await runQueueWorker({
      queue,
      expanded,
      threads,
      stalledSeconds: stalled,
      exitWhenDone: values["exit-when-done"] === true,
      signal: stop.signal,
    });
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  },
};
