import { readFileSync } from "node:fs";
import { loadDataset } from "../../data/node.js";
import { deviceLabel } from "../../device/config.js";
import { InputError } from "../../engine/errors.js";
import { loadEngine } from "../../engine/load-node.js";
import { decodeCheckpoint } from "../../experiment/checkpoint.js";
import { type DeployOptions, evaluateCheckpoint, parseDuration } from "../../experiment/deploy.js";
import { type Command, helpFlag } from "../command.js";
import { numberFlag } from "../config-file.js";
import { formatTable } from "../format.js";

export const evaluateCommand: Command = {
  name: "evaluate",
  summary: "run inference with a trained chip from its checkpoint, optionally after conductance drift and with read noise",
  usage:
    "cimlearn evaluate CHECKPOINT [--after T[,T…]] [--drift-nu X] [--drift-nu-std X] [--read-noise X] [--test-samples N] [--data-dir DIR] [--json]",
  maxPositionals: 1,
  flags: {
    after: {
      type: "string",
      value: "T[,T…]",
      help: "time since programming, one evaluation per value: seconds or with a unit (1h, 30d, 10y); drift G·(t/t0)^−ν applies past the device's t0",
    },
    "drift-nu": { type: "string", value: "X", help: "drift exponent ν in place of the device's" },
    "drift-nu-std": { type: "string", value: "X", help: "device-to-device spread (σ) of ν (default 0: every device drifts alike)" },
    "read-noise": {
      type: "string",
      value: "X",
      help: "read noise σ per read, as a fraction of the conductance range, in place of the device's",
    },
    "test-samples": { type: "string", value: "N", help: "evaluate only the first N test samples" },
    "data-dir": { type: "string", value: "DIR", help: "where the dataset files are" },
    json: { type: "boolean", help: "print the results as JSON" },
    ...helpFlag,
  },
  async run(values, positionals) {
    const file = positionals[0];
    if (!file) throw new InputError("evaluate: give the checkpoint file (train --out DIR writes DIR/checkpoint.cimlearn)");
    let checkpoint: ReturnType<typeof decodeCheckpoint>;
    try {
      checkpoint = decodeCheckpoint(readFileSync(file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EISDIR" || code === "EACCES") throw new InputError(`evaluate: cannot read "${file}" (${code})`);
      if (error instanceof InputError) throw new InputError(`${file}: ${error.message}`);
      throw error;
    }
    const config = checkpoint.header.config;
    const base: DeployOptions = {};
    if (typeof values["drift-nu"] === "string") base.driftNu = numberFlag("drift-nu", values["drift-nu"]);
    if (typeof values["drift-nu-std"] === "string") base.driftNuStd = numberFlag("drift-nu-std", values["drift-nu-std"]);
    if (typeof values["read-noise"] === "string") base.readNoise = numberFlag("read-noise", values["read-noise"]);
    if (typeof values["test-samples"] === "string") base.testSamples = numberFlag("test-samples", values["test-samples"]);
    const times = typeof values.after === "string" ? values.after.split(",").map((t) => parseDuration("--after", t)) : [0];
    const dataDir = typeof values["data-dir"] === "string" ? values["data-dir"] : config.dataDir;
    const data = await loadDataset(config.dataset, {
      ...(dataDir ? { dataDir } : {}),
      log: (line: string) => process.stderr.write(`${line}\n`),
    });
    const results = [];
    for (const afterSeconds of times) results.push(evaluateCheckpoint(await loadEngine(), data, checkpoint, { ...base, afterSeconds }));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(results.length === 1 ? results[0] : { evaluations: results }, null, 2)}\n`);
      return;
    }
    const first = results[0] as (typeof results)[number];
    const head = `${config.model} on ${config.dataset}, ${config.algo}, device ${deviceLabel(config.device)}, after epoch ${first.epoch}${first.trained_test_accuracy !== undefined ? ` (trained: ${(first.trained_test_accuracy * 100).toFixed(2)} % test accuracy)` : ""}; ν ${first.drift_nu} ± ${first.drift_nu_std}, t0 ${config.device.driftT0} s, read noise ${first.read_noise}`;
    const table = formatTable(
      ["after", "G(t)/G(t0)", "test accuracy", "test loss", "samples"],
      results.map((r) => [
        `${r.after_seconds} s`,
        r.drift_factor.toPrecision(4),
        `${(r.test_accuracy * 100).toFixed(2)} %`,
        r.test_loss.toFixed(4),
        String(r.samples),
      ]),
    );
    process.stdout.write(`${head}\n\n${table}\n`);
  },
};
