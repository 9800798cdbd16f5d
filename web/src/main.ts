// The playground page: settings, live charts, the device curve and the cost panel. Training runs
// in a Web Worker (./worker.ts) on the library's own code; this thread only draws. The device
// curve and the cost estimate are cheap and computed here, with an engine of this thread's own.

import {
  type DeployResult,
  decodeCheckpoint,
  deviceCurve,
  type Engine,
  type EpochRecord,
  findDevicePreset,
  loadEngine,
  parseDuration,
  type TrainResult,
  VERSION,
} from "../../src/browser.js";
import { CostChart, DeviceChart, ruleColor, TrainingCharts } from "./charts.js";
import { CostPanel, type CostView, estimateRules, type RuleCost } from "./cost.js";
import { RunForm, type Validation } from "./form.js";
import { fixed, percent, si } from "./format.js";
import type { DeployRequest, ResumeRequest, RunRequest, ScheduleCost, WorkerMessage } from "./protocol.js";

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

type RuleStatus = "queued" | "running" | "done" | "stopped" | "failed";
interface RuleRun {
  algo: string;
  epochs: number;
  status: RuleStatus;
  history: EpochRecord[];
  progress?: { epoch: number; done: number; total: number; loss: number; accuracy: number };
  result?: TrainResult;
  schedules?: Record<string, ScheduleCost>;
  /** Its state after the last epoch (a finished rule). */
  checkpoint?: Uint8Array;
}
interface RunState {
  /** The settings it was started with (the cost panel shows its numbers while they are unchanged). */
  key: string;
  rules: RuleRun[];
  started: number;
  output?: { runs: TrainResult[] };
  state: "running" | "done" | "stopped" | "error";
  /** Resumed from a loaded checkpoint: its own config, not the form's (the cost panel shows its numbers). */
  loaded?: string;
}

const form = new RunForm($("form"));
const charts = new TrainingCharts($("accuracy-chart"), $("loss-chart"));
const deviceChart = new DeviceChart($("device-chart"));
const costPanel = new CostPanel($("cost-table"), $("cost-source"), $("speedup"), new CostChart($("cost-chart")), $("timeline"));
const startButton = $<HTMLButtonElement>("start");
const stopButton = $<HTMLButtonElement>("stop");
const downloadButton = $<HTMLButtonElement>("download");
const costView = $<HTMLSelectElement>("cost-view");
const checkpointInput = $<HTMLInputElement>("checkpoint-file");
const deployButton = $<HTMLButtonElement>("deploy-run");
const deployRule = $<HTMLSelectElement>("deploy-rule");
const statusLine = $("status");
const threadsLine = $("threads");
const errorBox = $("error");

let validation: Validation = form.validate();
let curveEngine: Engine | undefined;
let worker: Worker | undefined;
let run: RunState | undefined;
let deploying = false;

$("version").textContent = `cimlearn ${VERSION}`;

function keyOf(v: Validation): string {
  return JSON.stringify([v.base, v.algos, v.files.map((f) => [f.name, f.size, f.lastModified])]);
}

function setStatus(text: string, state: string): void {
  statusLine.textContent = text;
  document.body.dataset.state = state;
}

function showError(message: string): void {
  errorBox.textContent = message;
  errorBox.hidden = message === "";
}

// ---- the settings: validation, config preview, device curve, cost estimate ----

function refresh(): void {
  validation = form.validate();
  form.showIssues(validation.issues);
  const running = run?.state === "running";
  startButton.disabled = running || validation.issues.length > 0 || validation.configs.length === 0;
  $("config-json").textContent = `${JSON.stringify(validation.base, null, 2)}\n`;
  $("cli").textContent = `cimlearn train --config playground.json --algo ${validation.algos.join(",") || "…"} --json`;
  drawDevice();
  drawCost();
}

function drawDevice(): void {
  const device = validation.device;
  const info = $("device-info");
  if (!device) {
    info.textContent = "Fix the device settings to see its curve.";
    return;
  }
  const preset = findDevicePreset(device.preset);
  info.textContent = `${preset?.name ?? device.preset}: Gmin ${si(device.gMin, "S")}, Gmax ${si(device.gMax, "S")}, ${device.levelsLtp}/${device.levelsLtd} levels, NL ${device.nlLtp}/${device.nlLtd}, C2C ${+(device.c2c * 100).toPrecision(3)} %, D2D σ(NL) ${device.d2dNl}. Curves without variation.`;
  if (!curveEngine) return;
  const pulses = Math.max(device.levelsLtp, device.levelsLtd);
  deviceChart.update(deviceCurve(curveEngine, device, pulses));
}

function costRules(): { rules: RuleCost[]; measured: boolean } {
  if (run && (run.loaded || run.key === keyOf(validation))) {
    const finished = run.rules.filter((r) => r.result && r.schedules);
    if (finished.length > 0) {
      return {
        rules: finished.map((r) => ({ algo: r.algo, report: (r.result as TrainResult).cost, schedules: r.schedules ?? {} })),
        measured: true,
      };
    }
  }
  try {
    return { rules: estimateRules(validation.configs), measured: false };
  } catch (error) {
    showError(`cost model: ${(error as Error).message}`);
    return { rules: [], measured: false };
  }
}

function drawCost(): void {
  const { rules, measured } = costRules();
  costPanel.render(rules, measured, costView.value as CostView);
}

// ---- runs ----

function renderRuns(): void {
  const body = $("runs-body");
  if (!run) {
    const td = document.createElement("td");
    td.colSpan = 11;
    td.className = "empty";
    td.textContent = "Choose the settings and press Start: the rules train one after another, in a worker of this page.";
    const tr = document.createElement("tr");
    tr.appendChild(td);
    body.replaceChildren(tr);
    return;
  }
  body.replaceChildren(
    ...run.rules.map((r) => {
      const tr = document.createElement("tr");
      tr.dataset.rule = r.algo;
      tr.dataset.status = r.status;
      const last = r.history[r.history.length - 1];
      const p = r.progress;
      const seconds = r.history.reduce((s, h) => s + h.seconds, 0);
      const cells: [string, string, number | undefined][] = [
        ["algo", r.algo, undefined],
        ["status", r.status, undefined],
        ["epoch", `${r.history.length} / ${r.epochs}`, r.history.length],
        [
          "progress",
          p && r.status === "running" ? `epoch ${p.epoch}: ${p.done}/${p.total}, loss ${fixed(p.loss)}, acc ${percent(p.accuracy, 1)}` : "",
          undefined,
        ],
        ["train_loss", fixed(last?.train_loss), last?.train_loss],
        ["train_accuracy", percent(last?.train_accuracy), last?.train_accuracy],
        ["test_accuracy", percent(last?.test_accuracy), last?.test_accuracy],
        ["seconds", last ? seconds.toFixed(2) : "", last ? seconds : undefined],
        [
          "alignment",
          last?.alignment ? (last.alignment.length ? last.alignment.map((a) => `${a.update_deg.toFixed(1)}°`).join(", ") : "fixed") : "",
          last?.alignment?.[0]?.update_deg,
        ],
        ["writes", r.result ? String(r.result.endurance.all.max) : "", r.result?.endurance.all.max],
        ["checkpoint", "", undefined],
      ];
      for (const [field, text, value] of cells) {
        const td = document.createElement("td");
        td.dataset.field = field;
        if (value !== undefined) td.dataset.value = String(value);
        td.textContent = text;
        if (field === "algo") {
          td.style.color = ruleColor(r.algo);
          td.style.fontWeight = "600";
        }
        tr.appendChild(td);
      }
      const checkpoint = r.checkpoint;
      if (checkpoint) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = "download";
        button.addEventListener("click", () =>
          save(checkpoint, `cimlearn-${r.algo}-epoch${r.history.length}.cimlearn`, "application/octet-stream"),
        );
        (tr.querySelector('[data-field="checkpoint"]') as HTMLElement).appendChild(button);
      }
      const bar = tr.querySelector('[data-field="progress"]') as HTMLElement;
      if (p && r.status === "running") {
        const frac = (p.epoch - 1 + p.done / p.total) / r.epochs;
        bar.style.setProperty("--progress", `${(frac * 100).toFixed(1)}%`);
        bar.classList.add("bar");
      }
      return tr;
    }),
  );
}

function renderCharts(): void {
  if (!run) return;
  // The axis grows with the epochs done (a run may ask for thousands).
  charts.update(
    run.rules.filter((r) => r.history.length > 0).map((r) => ({ algo: r.algo, history: r.history })),
    Math.max(1, ...run.rules.map((r) => r.history.length)),
  );
}

let frame = 0;
/** Redraws at most once per animation frame, however fast the worker posts. */
function scheduleRender(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    renderRuns();
    renderCharts();
  });
}

function newWorker(): Worker {
  const w = new Worker(new URL("./worker.js", import.meta.url));
  w.onmessage = (event: MessageEvent<WorkerMessage>) => onWorkerMessage(event.data);
  w.onerror = (event) => {
    event.preventDefault();
    fail(`the simulation worker failed: ${event.message || "it could not be loaded"}`);
  };
  return w;
}

function onWorkerMessage(m: WorkerMessage): void {
  if (m.type === "threads") {
    threadsLine.textContent = m.threads > 1 ? `${m.threads} kernel threads` : `1 kernel thread: ${m.reason ?? "this machine has one core"}`;
    return;
  }
  if (deploying && (m.type === "deployed" || m.type === "error")) {
    deploying = false;
    if (m.type === "deployed") renderDeploy(m.results);
    else showError(`deploy: ${m.message}`);
    refreshDeploy();
    return;
  }
  if (run?.state !== "running") return;
  const rule = "index" in m && m.index !== undefined ? run.rules[m.index] : undefined;
  switch (m.type) {
    case "status":
      setStatus(m.text, "running");
      break;
    case "start":
      if (rule) {
        rule.status = "running";
        rule.epochs = m.epochs;
      }
      setStatus(`training ${m.algo} (${m.index + 1} of ${run.rules.length})…`, "running");
      break;
    case "batch":
      if (rule) rule.progress = { epoch: m.epoch, done: m.done, total: m.total, loss: m.loss, accuracy: m.accuracy };
      break;
    case "epoch":
      rule?.history.push(m.record);
      break;
    case "result":
      if (rule) {
        rule.status = "done";
        rule.result = m.result;
        rule.history = m.result.history;
        rule.schedules = m.schedules;
        if (m.checkpoint) rule.checkpoint = m.checkpoint;
      }
      drawCost();
      refreshDeploy();
      break;
    case "done":
      run.output = m.output;
      run.state = "done";
      finishRun(`done in ${((performance.now() - run.started) / 1000).toFixed(1)} s`, "done");
      break;
    case "error":
      if (rule) rule.status = "failed";
      fail(`${m.name === "Error" ? "" : `${m.name}: `}${m.message}`);
      break;
  }
  scheduleRender();
}

function finishRun(text: string, state: string): void {
  stopButton.disabled = true;
  refreshDeployLater();
  downloadButton.disabled = !run?.output;
  form.setDisabled(false);
  setStatus(text, state);
  refresh();
  scheduleRender();
}

/** After the run's state settles (finishRun runs before `run.state` is final in some paths). */
function refreshDeployLater(): void {
  queueMicrotask(refreshDeploy);
}

function fail(message: string): void {
  if (run) {
    run.state = "error";
    for (const r of run.rules)
      if (r.status === "running" || r.status === "queued") r.status = r.status === "running" ? "failed" : "stopped";
  }
  // A failed worker may be in any state: start the next run on a fresh one.
  worker?.terminate();
  worker = undefined;
  showError(message);
  finishRun("failed", "error");
}

function start(): void {
  refresh();
  if (startButton.disabled) return;
  const v = validation;
  showError("");
  run = {
    key: keyOf(v),
    rules: v.configs.map((c) => ({ algo: c.algo, epochs: c.epochs, status: "queued", history: [] })),
    started: performance.now(),
    state: "running",
  };
  worker ??= newWorker();
  const request: RunRequest = { type: "run", base: v.base, algos: v.algos, files: v.files };
  worker.postMessage(request);
  form.setDisabled(true);
  startButton.disabled = true;
  stopButton.disabled = false;
  downloadButton.disabled = true;
  setStatus("starting…", "running");
  refreshDeploy();
  renderRuns();
  renderCharts();
}

/** train() runs synchronously in the worker, so stopping ends the worker; the next run starts a fresh one. */
function stop(): void {
  if (run?.state !== "running") return;
  worker?.terminate();
  worker = undefined;
  run.state = "stopped";
  for (const r of run.rules) if (r.status === "running" || r.status === "queued") r.status = "stopped";
  finishRun("stopped", "stopped");
}

function save(content: string | Uint8Array, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function download(): void {
  if (!run?.output) return;
  // Exactly what `cimlearn train --json` prints: {runs: […]}, one per rule.
  save(`${JSON.stringify(run.output, null, 2)}\n`, `cimlearn-train-${run.rules.map((r) => r.algo).join("-")}.json`, "application/json");
}

/** The files a checkpoint's dataset needs: none for digits, else the ones chosen in the settings for that dataset. */
function filesFor(dataset: string): File[] {
  if (dataset === "digits") return [];
  if (form.dataset() !== dataset || form.files().length === 0) {
    throw new Error(`the checkpoint trained on ${dataset}: choose ${dataset} and its files in the settings first`);
  }
  return form.files();
}

/** Load checkpoint: continue its run here (as `cimlearn train --resume`); a finished run comes back as it ended. */
async function loadCheckpoint(file: File): Promise<void> {
  showError("");
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const { header } = decodeCheckpoint(bytes);
    const c = header.config;
    const files = filesFor(c.dataset);
    run = {
      key: `checkpoint ${file.name}`,
      loaded: file.name,
      rules: [{ algo: c.algo, epochs: c.epochs, status: "queued", history: [...header.progress.history] }],
      started: performance.now(),
      state: "running",
    };
    worker ??= newWorker();
    const request: ResumeRequest = { type: "resume", checkpoint: bytes, files };
    worker.postMessage(request);
    form.setDisabled(true);
    startButton.disabled = true;
    stopButton.disabled = false;
    downloadButton.disabled = true;
    setStatus(`resuming ${c.algo} (${c.model} on ${c.dataset}) after epoch ${header.progress.epoch} of ${c.epochs}…`, "running");
    refreshDeploy();
    renderRuns();
    renderCharts();
  } catch (error) {
    showError(`${file.name}: ${(error as Error).message}`);
  }
}

/** The deploy panel lists the finished rules that have a checkpoint. */
function refreshDeploy(): void {
  const ready = run?.rules.filter((r) => r.checkpoint) ?? [];
  const chosen = deployRule.value;
  deployRule.replaceChildren(
    ...ready.map((r) => {
      const o = document.createElement("option");
      o.value = r.algo;
      o.textContent = `${r.algo} (epoch ${r.history.length})`;
      return o;
    }),
  );
  if (ready.some((r) => r.algo === chosen)) deployRule.value = chosen;
  deployButton.disabled = deploying || run?.state === "running" || ready.length === 0;
}

function deploy(): void {
  const rule = run?.rules.find((r) => r.algo === deployRule.value && r.checkpoint);
  if (!rule?.checkpoint || deploying) return;
  showError("");
  try {
    const number = (id: string, name: string) => {
      const v = Number(($(id) as HTMLInputElement).value);
      if (!Number.isFinite(v) || v < 0 || v > 1) throw new Error(`${name}: use a number from 0 to 1`);
      return v;
    };
    const after = ($("deploy-after") as HTMLInputElement).value.split(",").map((t) => parseDuration("after", t));
    const request: DeployRequest = {
      type: "deploy",
      checkpoint: rule.checkpoint,
      files: filesFor(decodeCheckpoint(rule.checkpoint).header.config.dataset),
      after,
      driftNu: number("deploy-nu", "ν"),
      driftNuStd: number("deploy-nu-std", "σ(ν)"),
      readNoise: number("deploy-noise", "read noise"),
    };
    worker ??= newWorker();
    deploying = true;
    refreshDeploy();
    worker.postMessage(request);
  } catch (error) {
    showError(`deploy: ${(error as Error).message}`);
  }
}

function renderDeploy(results: DeployResult[]): void {
  const table = $("deploy-table");
  const head = document.createElement("tr");
  for (const h of ["after (s)", "G(t)/G(t0)", "test accuracy", "test loss", "samples"]) {
    const th = document.createElement("th");
    th.textContent = h;
    head.appendChild(th);
  }
  const rows = results.map((r) => {
    const tr = document.createElement("tr");
    const cells: [string, string, number][] = [
      ["after_seconds", String(r.after_seconds), r.after_seconds],
      ["drift_factor", r.drift_factor.toPrecision(4), r.drift_factor],
      ["test_accuracy", percent(r.test_accuracy), r.test_accuracy],
      ["test_loss", fixed(r.test_loss), r.test_loss],
      ["samples", String(r.samples), r.samples],
    ];
    for (const [field, text, value] of cells) {
      const td = document.createElement("td");
      td.dataset.field = field;
      td.dataset.value = String(value);
      td.textContent = text;
      tr.appendChild(td);
    }
    return tr;
  });
  table.replaceChildren(head, ...rows);
}

form.onChange = refresh;
startButton.addEventListener("click", start);
stopButton.addEventListener("click", stop);
downloadButton.addEventListener("click", download);
deployButton.addEventListener("click", deploy);
checkpointInput.addEventListener("change", () => {
  const file = checkpointInput.files?.[0];
  checkpointInput.value = "";
  if (file) void loadCheckpoint(file);
});
costView.addEventListener("change", drawCost);
$("form").addEventListener("submit", (e) => {
  e.preventDefault();
  start();
});

refresh();
renderRuns();
setStatus("loading the engine…", "loading");
loadEngine({ baseUrl: new URL(".", import.meta.url) })
  .then((engine) => {
    curveEngine = engine;
    drawDevice();
    setStatus("ready", "ready");
  })
  .catch((error: Error) => {
    showError(`cannot load the WebAssembly engine: ${error.message}`);
    setStatus("failed", "error");
  });
