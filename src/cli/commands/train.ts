import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { Schedule } from "../../cost/schedule.js";
import type { Dataset } from "../../data/dataset.js";
import { loadDataset } from "../../data/node.js";
import { deviceLabel } from "../../device/config.js";
import { InputError } from "../../engine/errors.js";
import { withFs } from "../../engine/fs-errors.js";
import { loadEngine, requireRelaxedSimd } from "../../engine/load-node.js";
import { preview } from "../../engine/preview.js";
import type { SimdBuild } from "../../engine/simd.js";
import { type Checkpoint, decodeCheckpoint } from "../../experiment/checkpoint.js";
import { modelOf, type ResolvedRunConfig, resolveRunConfig } from "../../experiment/config.js";
import { checkResources, type ResourceLimits } from "../../experiment/resources.js";
import { DivergenceError, type EpochRecord, type TrainResult, train } from "../../experiment/train.js";
import { ALGORITHMS, type Algorithm, BASELINE, isDirectRule, learningRule } from "../../learning/rules.js";
import { type FlagValues, positiveInteger } from "../args.js";
import { type Command, helpFlag } from "../command.js";
import { applySet, numberFlag, readConfigFile, shadowedSets } from "../config-file.js";
import { formatTable } from "../format.js";

/** The config a command line stands for: the file, then flags, then --set assignments. */
export function configFromFlags(values: FlagValues): Record<string, unknown> {
  const config: Record<string, unknown> = typeof values.config === "string" ? readConfigFile(values.config) : {};
  const strings: [string, string][] = [
    ["model", "model"],
    ["device", "device"],
    ["dataset", "dataset"],
    ["data-dir", "dataDir"],
  ];
  for (const [flag, key] of strings) if (typeof values[flag] === "string") config[key] = values[flag];
  const numbers: [string, string][] = [
    ["epochs", "epochs"],
    ["batch", "batch"],
    ["lr", "lr"],
    ["seed", "seed"],
    ["train-samples", "trainSamples"],
    ["test-samples", "testSamples"],
  ];
  for (const [flag, key] of numbers) if (typeof values[flag] === "string") config[key] = numberFlag(flag, values[flag] as string);
  for (const s of (values.set as string[] | undefined) ?? []) applySet(config, s);
  for (const w of shadowedSets(config, (values.set as string[] | undefined) ?? [])) process.stderr.write(`${w}\n`);
  return config;
}

/** A progress line per epoch on stderr, redrawn in place on a terminal. */
function progress(label: string): {
  batch: (epoch: number, done: number, total: number, loss: number, acc: number) => void;
  epoch: (r: EpochRecord) => void;
} {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let epochStart = performance.now();
  let current = 0;
  return {
    batch(epoch, done, total, loss, acc) {
      const now = performance.now();
      if (epoch !== current) {
        current = epoch;
        epochStart = now;
        last = now;
      }
      if (!tty) {
        // Logs: a line every 10 s of a long epoch, with the rate and the time the epoch has left.
        if (now - last < 10_000 || done >= total) return;
        last = now;
        const rate = done / ((now - epochStart) / 1000);
        process.stderr.write(
          `${label} epoch ${epoch}: ${done}/${total} samples, loss ${loss.toFixed(4)}, acc ${(acc * 100).toFixed(1)}%, ${Math.round(rate)} samples/s, ETA ${Math.ceil((total - done) / rate)} s\n`,
        );
        return;
      }
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 24;
      const filled = Math.round((width * done) / total);
      process.stderr.write(
        `\r${label} epoch ${epoch} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} loss ${loss.toFixed(4)} acc ${(acc * 100).toFixed(1)}%`,
      );
    },
    epoch(r) {
      const angles = r.alignment?.length ? `, update vs BP ${r.alignment.map((a) => `${a.update_deg.toFixed(0)}°`).join("/")}` : "";
      const line = `${label} epoch ${r.epoch}: train loss ${r.train_loss.toFixed(4)} acc ${(r.train_accuracy * 100).toFixed(2)}%, test acc ${(r.test_accuracy * 100).toFixed(2)}%${angles}, ${Math.round(r.samples_per_second)} samples/s, ${r.seconds.toFixed(2)} s`;
      process.stderr.write(tty ? `\r\x1b[K${line}\n` : `${line}\n`);
    },
  };
}

/** The checkpoint file in a run's output folder, rewritten after every epoch. */
export const CHECKPOINT_FILE = "checkpoint.cimlearn";

/** Writes through a temporary file and a rename: a kill leaves the old file or the new, never half of one. */
function writeAtomically(path: string, bytes: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  withFs("write the checkpoint", path, () => {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  });
}

async function runOne(
  config: ResolvedRunConfig,
  data: Dataset,
  outDir: string | undefined,
  label: string,
  resumeFrom?: Checkpoint,
  limits?: ResourceLimits,
  threads = 1,
  simd: SimdBuild = "stock",
): Promise<TrainResult> {
  const engine = await loadEngine({ threads, simd });
  if (outDir) {
    withFs("create the output folder", outDir, () => mkdirSync(outDir, { recursive: true }));
    // Resumed: the epochs the checkpoint holds, whatever was appended after it was written.
    const done = resumeFrom?.header.progress.history ?? [];
    const metrics = join(outDir, "metrics.jsonl");
    withFs("write the metrics", metrics, () => writeFileSync(metrics, done.map((r) => `${JSON.stringify(r)}\n`).join("")));
  }
  const bar = progress(label);
  try {
    const result = train(engine, data, config, {
      onBatch: bar.batch,
      onWarning: (message) => process.stderr.write(`${config.algo}: warning: ${message}\n`),
      onEpoch(record) {
        bar.epoch(record);
        if (outDir) {
          const metrics = join(outDir, "metrics.jsonl");
          withFs("append to the metrics", metrics, () => appendFileSync(metrics, `${JSON.stringify(record)}\n`));
        }
      },
      ...(outDir ? { onCheckpoint: (save) => writeAtomically(join(outDir, CHECKPOINT_FILE), save()) } : {}),
      ...(resumeFrom ? { resumeFrom } : {}),
      ...(limits ? { limits } : {}),
    });
    if (outDir) writeAtomically(join(outDir, "result.json"), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } catch (error) {
    if (error instanceof DivergenceError && outDir) {
      const path = join(outDir, "error.json");
      withFs("write the error record", path, () =>
        writeFileSync(path, `${JSON.stringify({ status: "diverged", message: error.message, config }, null, 2)}\n`),
      );
    }
    throw error;
  }
}

/** `--threads N` (default: every core); the matrix products split by rows, so any count gives the same results. */
export function threadsFrom(values: FlagValues): number {
  return typeof values.threads === "string" ? positiveInteger("threads", values.threads, 64) : Math.min(64, availableParallelism());
}

/** `--simd stock|relaxed` (default stock), refused before anything is read when this engine lacks relaxed SIMD. */
export function simdFrom(values: FlagValues): SimdBuild {
  const value = values.simd;
  if (value === undefined || value === "stock") return "stock";
  if (value !== "relaxed") throw new InputError(`--simd must be stock or relaxed, got ${preview(value)}`);
  requireRelaxedSimd("--simd relaxed");
  return value;
}

/** `--max-memory 3GB` / `--max-ops 1e16` as limits (unset: the defaults). */
export function limitsFrom(values: FlagValues): ResourceLimits {
  const limits: ResourceLimits = {};
  if (typeof values["max-memory"] === "string") {
    const m = /^(\d+(?:\.\d+)?)\s*(k|m|g)i?b?$/i.exec(values["max-memory"].trim());
    if (!m) throw new InputError(`--max-memory: ${preview(values["max-memory"])} is not a size; use e.g. 512MB or 3GB`);
    limits.memoryBytes = Number(m[1]) * 1024 ** { k: 1, m: 2, g: 3 }[(m[2] as string).toLowerCase() as "k"];
  }
  if (typeof values["max-ops"] === "string") limits.macsPerEpoch = numberFlag("max-ops", values["max-ops"]);
  return limits;
}

/** A rule of a comparison that diverged: the others go on, and the output says which failed and why. */
interface FailedRun {
  algo: string;
  status: "diverged";
  message: string;
}

export const trainCommand: Command = {
  name: "train",
  summary: "train a network in-situ on the simulated chip; with several --algo, compare them side by side",
  usage:
    "cimlearn train [--config F] [--model M] [--algo A[,B…]] [--device PRESET] [--dataset NAME] [--epochs N] [--seed S] [--out DIR] [--json] | --resume DIR",
  flags: {
    config: { type: "string", value: "FILE", help: "JSON run config; flags override it" },
    model: { type: "string", value: "SPEC", help: "mlp:64-64-10 (default: an MLP sized for the dataset)" },
    algo: { type: "string", value: "A[,B…]", help: `learning rule(s): ${ALGORITHMS.join(", ")} (default bp)` },
    device: { type: "string", value: "PRESET", help: "device preset (see `cimlearn devices`; default fefet-v21)" },
    dataset: { type: "string", value: "NAME", help: "digits (embedded, default), mnist, fashion-mnist, cifar10" },
    "data-dir": { type: "string", value: "DIR", help: "where the dataset files are" },
    epochs: { type: "string", value: "N", help: "epochs (default 10)" },
    batch: { type: "string", value: "N", help: "batch size (default: 32 for digits, 100 for the others)" },
    lr: {
      type: "string",
      value: "X",
      help: "learning rate, with momentum 0.9 and a cosine schedule (default: 0.03 digits, 0.02 MNIST and Fashion-MNIST)",
    },
    seed: { type: "string", value: "S", help: "random seed (default 1)" },
    "train-samples": { type: "string", value: "N", help: "use only the first N shuffled training samples per epoch" },
    "test-samples": { type: "string", value: "N", help: "evaluate only the first N test samples after each epoch" },
    set: {
      type: "string",
      multiple: true,
      value: "PATH=V",
      help: "set any config field, e.g. --set chip.adc.bits=4 --set periphery.adc=chip",
    },
    out: {
      type: "string",
      value: "DIR",
      help: `write result.json, metrics.jsonl and after every epoch ${CHECKPOINT_FILE} (per algorithm subfolder when comparing)`,
    },
    resume: {
      type: "string",
      value: "DIR",
      help: `continue the run (or comparison) whose --out was DIR from its ${CHECKPOINT_FILE}, as configured there`,
    },
    json: { type: "boolean", help: "print the result as one JSON document on stdout" },
    threads: {
      type: "string",
      value: "N",
      help: `threads for the matrix products (default: every core, here ${availableParallelism()}); results are the same for any count`,
    },
    "max-memory": { type: "string", value: "SIZE", help: "simulation memory a run may take, e.g. 3GB (default 2GB; wasm32 ends at 4GB)" },
    "max-ops": { type: "string", value: "N", help: "multiply-accumulates an epoch may take (default 1e15)" },
    simd: {
      type: "string",
      value: "BUILD",
      help: "wasm build: stock (default) or relaxed (fused multiply-add: faster, rounds differently; results name it)",
    },
    ...helpFlag,
  },
  async run(values) {
    if (typeof values.resume === "string") return resume(values.resume, values);
    const simd = simdFrom(values);
    const base = configFromFlags(values);
    // Without --algo the config's own algo (checked by the schema as it is: null or an object is an error, not the default).
    const algos: unknown[] =
      typeof values.algo === "string" ? values.algo.split(",").map((a) => a.trim()) : [base.algo === undefined ? BASELINE : base.algo];
    const configs = algos.map((algo) => resolveRunConfig({ ...base, algo }));
    // Sized before the data is read or anything allocated.
    const limits = limitsFrom(values);
    for (const config of configs) checkResources(config, limits);
    const first = configs[0] as ResolvedRunConfig;
    const data = await loadDataset(first.dataset, {
      ...(first.dataDir ? { dataDir: first.dataDir } : {}),
      log: (line: string) => process.stderr.write(`${line}\n`),
    });
    const out = typeof values.out === "string" ? values.out : undefined;
    const results: TrainResult[] = [];
    const failed: FailedRun[] = [];
    for (const config of configs) {
      const dir = out && configs.length > 1 ? join(out, config.algo) : out;
      try {
        results.push(await runOne(config, data, dir, config.algo, undefined, limits, threadsFrom(values), simd));
      } catch (error) {
        // A diverged rule does not stop the comparison; anything else does.
        if (!(error instanceof DivergenceError)) throw error;
        process.stderr.write(`${config.algo}: ${error.message}\n`);
        failed.push({ algo: config.algo, status: "diverged", message: error.message });
      }
    }
    printResults(results, values, failed);
  },
};

/**
 * `--json`: always `{ "runs": [...] }` (one per rule that finished, in --algo order), with `failed`
 * listing the rules that diverged; the table otherwise. Exit code 1 when a rule failed.
 */
function printResults(results: TrainResult[], values: FlagValues, failed: FailedRun[] = []): void {
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ runs: results, ...(failed.length ? { failed } : {}) }, null, 2)}\n`);
  } else if (results.length > 0) {
    const note = failed.length ? `\n\nDiverged: ${failed.map((f) => `${f.algo} (${f.message})`).join("; ")}` : "";
    process.stdout.write(`${formatComparison(results)}${note}\n`);
  }
  if (failed.length > 0) {
    if (results.length === 0) throw new DivergenceError(failed.map((f) => `${f.algo}: ${f.message}`).join("; "));
    process.exitCode = 1;
  }
}

/** `train --resume DIR`: the run in DIR, or each algorithm's run of a comparison in DIR's subfolders, continued from its checkpoint. */
async function resume(dir: string, values: FlagValues): Promise<void> {
  const changing = Object.keys(values).filter(
    (k) => !["resume", "data-dir", "json", "help", "max-memory", "max-ops", "threads"].includes(k) && values[k] !== undefined,
  );
  if (changing.length > 0) {
    throw new InputError(
      `--resume continues a run as its checkpoint configured it; --${changing[0]} would change it (only --data-dir, --json, --max-memory and --max-ops go with --resume)`,
    );
  }
  if (!existsSync(dir)) throw new InputError(`--resume: "${dir}" does not exist`);
  const dirs = existsSync(join(dir, CHECKPOINT_FILE))
    ? [dir]
    : readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, CHECKPOINT_FILE)))
        .map((d) => join(dir, d.name))
        .sort();
  if (dirs.length === 0)
    throw new InputError(`--resume: no ${CHECKPOINT_FILE} in "${dir}" or its subfolders (train --out writes one after every epoch)`);
  // Every checkpoint is read and checked before any run continues.
  const runs = dirs.map((d) => {
    const path = join(d, CHECKPOINT_FILE);
    try {
      return { dir: d, checkpoint: decodeCheckpoint(readFileSync(path)) };
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`${path}: ${error.message}`);
      throw error;
    }
  });
  const results: TrainResult[] = [];
  let data: Dataset | undefined;
  for (const { dir: d, checkpoint } of runs) {
    const saved = checkpoint.header.config;
    const config: ResolvedRunConfig = typeof values["data-dir"] === "string" ? { ...saved, dataDir: values["data-dir"] } : saved;
    const p = checkpoint.header.progress;
    process.stderr.write(`${d}: resuming ${config.algo} after epoch ${p.epoch} of ${config.epochs}\n`);
    data ??= await loadDataset(config.dataset, {
      ...(config.dataDir ? { dataDir: config.dataDir } : {}),
      log: (line: string) => process.stderr.write(`${line}\n`),
    });
    // The build that ran the checkpoint's epochs runs the rest (train() refuses a mix).
    const simd = p.build ?? "stock";
    if (simd === "relaxed") requireRelaxedSimd(`resuming ${d} (its checkpoint was written by the relaxed build)`);
    results.push(await runOne(config, data, d, config.algo, checkpoint, limitsFrom(values), threadsFrom(values), simd));
  }
  printResults(results, values);
}

/** The last epoch's alignment angles per hidden layer, and the untrained network's before an arrow. */
function anglesOf(r: TrainResult, key: "update_deg" | "delta_deg"): string {
  const last = r.history[r.history.length - 1]?.alignment;
  if (!last) return "—";
  if (last.length === 0) return "(hidden layers fixed)";
  const list = (a: NonNullable<typeof last>) => a.map((x) => x[key].toFixed(1)).join(", ");
  return r.initial_alignment ? `${list(r.initial_alignment)} → ${list(last)}` : list(last);
}

const seconds = (x: number | undefined) => (x === undefined ? "—" : `${x.toPrecision(3)} s`);
const times = (x: number | undefined) => (x === undefined ? "—" : `${x.toFixed(2)}×`);

/** Final accuracy, loss, time and hardware events per run, side by side; each column names its schedule, and the chip time under the others. */
export function formatComparison(results: TrainResult[]): string {
  const c = (results[0] as TrainResult).config;
  // Against the BP column's own run when there is one (its counts), else against BP costed from this run's counts.
  const bp = results.find((r) => r.config.algo === BASELINE)?.costs.sequential?.total.latency_s;
  const speedup = (r: TrainResult, schedule: Schedule): number | undefined => {
    if (r.config.algo === BASELINE) return undefined;
    const own = r.costs[schedule];
    if (!own) return undefined;
    return bp !== undefined ? bp / own.total.latency_s : own.speedup?.total;
  };
  const rows: [string, (r: TrainResult) => string][] = [
    ["activation", (r) => r.config.activation + (r.config.outputActivation === "sigmoid" ? ", sigmoid output" : "")],
    ["test accuracy", (r) => `${(r.test_accuracy * 100).toFixed(2)} %`],
    ["train loss", (r) => (r.history[r.history.length - 1]?.train_loss ?? Number.NaN).toFixed(4)],
    ["update vs BP (° per hidden layer)", (r) => anglesOf(r, "update_deg")],
    ["  δ vs BP", (r) => anglesOf(r, "delta_deg")],
    ["seconds", (r) => r.history.reduce((s, h) => s + h.seconds, 0).toFixed(2)],
    ["chip latency / epoch", (r) => `${r.cost.total.latency_s.toPrecision(3)} s`],
    ["  sequential", (r) => seconds(r.costs.sequential?.total.latency_s)],
    ["  pipelined", (r) => seconds(r.costs.pipelined?.total.latency_s)],
    ["  dfa-parallel", (r) => seconds(r.costs["dfa-parallel"]?.total.latency_s)],
    ["speed-up over BP sequential", (r) => times(speedup(r, "sequential"))],
    ["  pipelined", (r) => times(speedup(r, "pipelined"))],
    ["  dfa-parallel", (r) => times(speedup(r, "dfa-parallel"))],
    ["  Amdahl bound (dfa-parallel)", (r) => times(r.costs["dfa-parallel"]?.speedup?.amdahl.bound)],
    ["chip energy / epoch", (r) => `${r.cost.total.energy_j.toPrecision(3)} J`],
    ["chip area", (r) => `${(r.cost.area.total_m2 * 1e6).toPrecision(3)} mm²`],
    ["forward reads", (r) => String(r.events.forward.reads)],
    ["error reads", (r) => String(r.events.error.reads)],
    ["ADC conversions", (r) => String(r.events.forward.conversions + r.events.error.conversions)],
    ["gradient MACs", (r) => String(r.events.gradient.macs)],
    ["write pulses", (r) => String(r.events.update.setPulses + r.events.update.resetPulses)],
    ["rows written", (r) => String(r.events.update.rowsWritten)],
    ["writes / device: max", (r) => String(r.endurance.all.max)],
    ["  median, 99th percentile", (r) => `${r.endurance.all.p50}, ${r.endurance.all.p99}`],
    [
      "lifetime at this rate",
      (r) => (r.endurance.lifetime_epochs !== undefined ? `${r.endurance.lifetime_epochs.toPrecision(3)} epochs` : "endurance unknown"),
    ],
  ];
  if (results.every((r) => r.initial)) {
    rows.splice(
      1,
      0,
      ["initial test accuracy", (r) => `${((r.initial?.test_accuracy ?? Number.NaN) * 100).toFixed(2)} %`],
      ["initial test loss", (r) => (r.initial?.test_loss ?? Number.NaN).toFixed(4)],
    );
    rows.splice(4, 0, ["test loss", (r) => (r.history[r.history.length - 1]?.test_loss ?? Number.NaN).toFixed(4)]);
  }
  const table = formatTable(
    ["", ...results.map((r) => `${r.config.algo} (${r.config.schedule})`)],
    rows.map(([name, f]) => [name, ...results.map(f)]),
  );
  const algos = new Set(results.map((r) => r.config.algo));
  const oneHidden = modelOf(c).layers.length === 2;
  // With one hidden layer the next layer's δ is the output error: a fixed random mirror B is a direct rule's B.
  const fixedMirror = (a: string) => {
    const h = learningRule(a as Algorithm).hidden;
    return h.kind === "next-layer" && h.matrix.kind === "fixed-random";
  };
  const note =
    oneHidden && [...algos].some(fixedMirror) && [...algos].some(isDirectRule)
      ? "\n\nWith one hidden layer FA and DFA are the same rule (δ₁ = (e·B)⊙f′), differing only in B's scale: compare them on deeper models."
      : "";
  // Only the opt-in build is named: the stock build's header stays as it always was.
  const build = results.some((r) => r.build === "relaxed") ? ", relaxed-SIMD build" : "";
  return `${c.model} on ${c.dataset}, device ${deviceLabel(c.device)}, ${c.epochs} epochs, batch ${c.batch}, seed ${c.seed}${build}\n\n${table}${note}`;
}
