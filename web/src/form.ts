// The settings form: its controls are config paths; their defaults come from the library's own
// defaults (resolveRunConfig of the chosen dataset, the device presets) and their ranges and
// messages from the run-config schema. The form builds the run config `cimlearn train --config`
// would read and checks it with the same functions the CLI uses.

import {
  ALGORITHMS,
  costInputOf,
  DATASET_INFO,
  DATASET_NAMES,
  DEVICE_PRESETS,
  type DeviceParams,
  expectedFiles,
  findDevicePreset,
  type ResolvedRunConfig,
  type RunConfig,
  resolveRunConfig,
} from "../../src/browser.js";
import { describeRange, type FieldIssue, issueOfError, optionsAt, rangeAt, schemaIssues } from "./schema.js";

type Kind = "number" | "text" | "select" | "checks" | "files" | "toggle";

interface ControlSpec {
  /** The config path it sets ("files" is the dataset's file picker). */
  path: string;
  label: string;
  kind: Kind;
  group: string;
  /** Blank leaves the field out of the config (its default applies). */
  optional?: boolean;
  title?: string;
}

/** The rules compared when the page opens: the study's pair (as `npm start`). */
const INITIAL_ALGOS = ["bp", "dfa"];

const GROUPS = ["Study", "Data", "Model and training", "Device", "Periphery and precision", "Cost model"] as const;

/**
 * Starting points that set several controls at once. `paper`: Wolters et al.'s study on DNN+NeuroSim
 * V2.1's recipe at toy size (examples/paper.json's MLP parts on the embedded digits), every rule side
 * by side, the ADC in the training reads: move C2C σ or ADC bits and run again to see a finding
 * change. `stand-in`: the same on cimlearn's device update (examples/bp-vs-dfa.json's recipe).
 */
const STUDY_PRESETS: Record<string, { label: string; values: Record<string, unknown> }> = {
  paper: {
    label: "paper: Wolters et al. on V2.1's recipe (toy size)",
    values: {
      dataset: "digits",
      model: "mlp:64-32-10",
      algo: ["bp", "fa", "dfa", "drtp"],
      epochs: 10,
      update: "neurosim-v21",
      weightInit: "neurosim",
      loss: "squared-error",
      bias: false,
      "feedback.storage": "crossbar",
      "device.preset": "fefet-v21",
      "periphery.adc": "chip",
      "chip.adc.bits": 8,
    },
  },
  "stand-in": {
    label: "stand-in: the same on the device update (toy size)",
    values: {
      dataset: "digits",
      model: "mlp:64-32-10",
      algo: ["bp", "fa", "dfa", "drtp"],
      epochs: 10,
      update: "device",
      weightInit: "glorot",
      loss: "cross-entropy",
      bias: true,
      "feedback.storage": "crossbar",
      "device.preset": "fefet-v21",
      "periphery.adc": "chip",
      "chip.adc.bits": 8,
    },
  },
};

const CONTROLS: ControlSpec[] = [
  {
    path: "study",
    label: "Start from",
    kind: "select",
    group: "Study",
    title: "set several controls at once; change any of them afterwards",
  },
  {
    path: "dataset",
    label: "Dataset",
    kind: "select",
    group: "Data",
    title: "digits is embedded; the others are read from files you choose",
  },
  { path: "files", label: "Files", kind: "files", group: "Data" },
  {
    path: "model",
    label: "Model",
    kind: "text",
    group: "Model and training",
    title: "mlp:IN-HIDDEN-…-OUT, cnn-small (28×28 images), vgg8 (CIFAR-10), cnn:…",
  },
  {
    path: "algo",
    label: "Learning rules",
    kind: "checks",
    group: "Model and training",
    title: "trained one after another on the same data",
  },
  { path: "epochs", label: "Epochs", kind: "number", group: "Model and training" },
  { path: "batch", label: "Batch", kind: "number", group: "Model and training" },
  { path: "lr", label: "Learning rate", kind: "number", group: "Model and training", title: "with momentum and a cosine schedule" },
  {
    path: "trainSamples",
    label: "Train samples / epoch",
    kind: "number",
    group: "Model and training",
    optional: true,
    title: "a fresh random subset every epoch; blank: all",
  },
  {
    path: "testSamples",
    label: "Test samples",
    kind: "number",
    group: "Model and training",
    optional: true,
    title: "evaluate the first N test samples after each epoch; blank: all",
  },
  { path: "seed", label: "Seed", kind: "number", group: "Model and training" },
  {
    path: "update",
    label: "Weight update",
    kind: "select",
    group: "Model and training",
    title:
      "device: the desired change through the devices' pulse programming; neurosim-v21: DNN+NeuroSim V2.1's QG update (its lr, schedule, momentum and WAGE bits unless set)",
  },
  { path: "loss", label: "Loss", kind: "select", group: "Model and training" },
  { path: "weightInit", label: "Weight init", kind: "select", group: "Model and training" },
  { path: "bias", label: "Bias", kind: "toggle", group: "Model and training", title: "a bias line per layer" },
  {
    path: "optimizer",
    label: "Optimizer",
    kind: "select",
    group: "Model and training",
    title: "sgd: the desired change as it is; mixed-precision: a digital accumulator per weight fires whole pulses",
  },
  {
    path: "feedback.storage",
    label: "Feedback matrices",
    kind: "select",
    group: "Model and training",
    title: "where FA/DFA/DRTP/KP keep B: exact digital values, or crossbar arrays with the device",
  },
  { path: "device.preset", label: "Preset", kind: "select", group: "Device" },
  { path: "device.nlLtp", label: "NL label LTP", kind: "number", group: "Device", title: "nonlinearity of potentiation; 0 is linear" },
  {
    path: "device.nlLtd",
    label: "NL label LTD",
    kind: "number",
    group: "Device",
    title: "nonlinearity of depression; the opposite sign of LTP is asymmetric",
  },
  { path: "device.levelsLtp", label: "Levels LTP", kind: "number", group: "Device", title: "pulses from Gmin to Gmax" },
  { path: "device.levelsLtd", label: "Levels LTD", kind: "number", group: "Device", title: "pulses from Gmax to Gmin" },
  {
    path: "device.c2c",
    label: "C2C σ",
    kind: "number",
    group: "Device",
    title: "cycle-to-cycle variation, fraction of the conductance range",
  },
  { path: "device.d2dNl", label: "D2D σ (NL)", kind: "number", group: "Device", title: "device-to-device variation of the NL label" },
  {
    path: "periphery.adc",
    label: "ADC in training",
    kind: "select",
    group: "Periphery and precision",
    title: "ideal: reads are exact during training (DNN+NeuroSim V2.1); chip: every read goes through the ADC bits",
  },
  { path: "chip.adc.bits", label: "ADC bits", kind: "number", group: "Periphery and precision" },
  {
    path: "periphery.dac",
    label: "DAC in training",
    kind: "select",
    group: "Periphery and precision",
    title: "bit-serial: inputs are sliced into DAC-bit chunks of the activation / error bits",
  },
  { path: "chip.dacBits", label: "DAC bits", kind: "number", group: "Periphery and precision" },
  { path: "chip.weightBits", label: "W bits", kind: "number", group: "Periphery and precision", title: "WAGE: weight precision" },
  { path: "quant.activation", label: "A bits", kind: "number", group: "Periphery and precision", title: "WAGE: activations (0 = float)" },
  { path: "quant.gradient", label: "G bits", kind: "number", group: "Periphery and precision", title: "WAGE: weight updates (0 = float)" },
  { path: "quant.error", label: "E bits", kind: "number", group: "Periphery and precision", title: "WAGE: errors (0 = float)" },
  {
    path: "schedule",
    label: "Schedule",
    kind: "select",
    group: "Cost model",
    title: "how the chip runs the phases; dfa-parallel needs DFA-like rules only",
  },
  {
    path: "chip.wgUnit.sharing",
    label: "Weight-gradient unit",
    kind: "select",
    group: "Cost model",
    title: "one unit shared by all layers (NeuroSim), or one per layer so that DFA's layers can compute their gradients in parallel",
  },
];

/** Fields whose defaults depend on the dataset: reset when it changes. */
const DATASET_DEPENDENT = ["model", "batch", "lr"];
/** Fields whose defaults depend on the weight update (neurosim-v21 brings V2.1's own): reset when it changes. */
const UPDATE_DEPENDENT = ["lr", "quant.activation", "quant.error", "quant.gradient"];

interface Field {
  spec: ControlSpec;
  wrapper: HTMLElement;
  inputs: HTMLInputElement[];
  select?: HTMLSelectElement;
  error: HTMLElement;
}

export interface Validation {
  /** The run config without `algo`: only fields that differ from the defaults. */
  base: RunConfig;
  algos: string[];
  files: File[];
  /** Problems, by control path ("" when no control owns them). */
  issues: FieldIssue[];
  /** One resolved config per rule when there are no issues. */
  configs: ResolvedRunConfig[];
  /** The device with the form's overrides, when those are valid (for the curve). */
  device?: DeviceParams & { preset: string };
}

const defaultsCache = new Map<string, ResolvedRunConfig>();
/** The library's defaults for a dataset and weight update (model, batch and lr depend on the first; lr and WAGE bits on the second). */
export function defaultsFor(dataset: string, update = "device"): ResolvedRunConfig {
  const key = `${dataset} ${update}`;
  let d = defaultsCache.get(key);
  if (!d) {
    d = resolveRunConfig({ dataset, update: update as ResolvedRunConfig["update"] });
    defaultsCache.set(key, d);
  }
  return d;
}

function getPath(obj: unknown, path: string): unknown {
  let v = obj;
  for (const k of path.split(".")) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = obj;
  for (const k of keys.slice(0, -1)) {
    if (node[k] === undefined || typeof node[k] !== "object") node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

function deletePath(obj: Record<string, unknown>, path: string): void {
  const keys = path.split(".");
  let node: unknown = obj;
  for (const k of keys.slice(0, -1)) node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[k] : undefined;
  if (node !== null && typeof node === "object") delete (node as Record<string, unknown>)[keys[keys.length - 1] as string];
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export class RunForm {
  private readonly fields = new Map<string, Field>();
  private readonly general: HTMLElement;
  private readonly datalist: HTMLDataListElement;
  private readonly fileList: HTMLElement;
  /** Called after every change of a control. */
  onChange: () => void = () => {};

  constructor(container: HTMLElement) {
    const groups = new Map<string, HTMLElement>();
    for (const g of GROUPS) {
      const fs = el("fieldset", { "data-group": g });
      fs.appendChild(el("legend", {}, g));
      container.appendChild(fs);
      groups.set(g, fs);
    }
    this.datalist = el("datalist", { id: "model-suggestions" });
    this.fileList = el("div", { class: "file-list" });
    for (const spec of CONTROLS) (groups.get(spec.group) as HTMLElement).appendChild(this.build(spec));
    this.general = el("div", { class: "error general", role: "alert", "data-path": "" });
    container.appendChild(this.general);
    container.appendChild(this.datalist);
    this.reset("digits");
  }

  private build(spec: ControlSpec): HTMLElement {
    const wrapper = el("div", { class: `field ${spec.kind}`, "data-path": spec.path });
    if (spec.title) wrapper.title = spec.title;
    const id = `f-${spec.path.replace(/\./g, "-")}`;
    const label = el("label", { for: id }, spec.label);
    wrapper.appendChild(label);
    const error = el("div", { class: "error", role: "alert" });
    const field: Field = { spec, wrapper, inputs: [], error };
    const changed = () => this.changed(spec.path);

    if (spec.kind === "select") {
      const select = el("select", { id, name: spec.path });
      const options: [string, string][] =
        spec.path === "dataset"
          ? DATASET_NAMES.map((n) => [n, n === "digits" ? "digits (embedded)" : n])
          : spec.path === "device.preset"
            ? DEVICE_PRESETS.map((p) => [p.id, p.id])
            : spec.path === "study"
              ? [["", "—"], ...Object.entries(STUDY_PRESETS).map(([id, p]): [string, string] => [id, p.label])]
              : optionsAt(spec.path).map((o) => [o, o]);
      for (const [value, text] of options) select.appendChild(el("option", { value }, text));
      select.addEventListener("change", changed);
      field.select = select;
      wrapper.appendChild(select);
    } else if (spec.kind === "checks") {
      const box = el("div", { class: "checks", id });
      for (const algo of ALGORITHMS) {
        const input = el("input", { type: "checkbox", name: "algo", value: algo });
        input.addEventListener("change", changed);
        const l = el("label", { class: "check" });
        l.append(input, ` ${algo}`);
        box.appendChild(l);
        field.inputs.push(input);
      }
      wrapper.appendChild(box);
    } else if (spec.kind === "toggle") {
      const input = el("input", { id, type: "checkbox", name: spec.path });
      input.addEventListener("change", changed);
      field.inputs.push(input);
      wrapper.appendChild(input);
    } else if (spec.kind === "files") {
      const input = el("input", { id, type: "file", multiple: "", name: "files" });
      input.addEventListener("change", changed);
      field.inputs.push(input);
      wrapper.append(input, this.fileList);
    } else {
      const input = el("input", { id, name: spec.path, type: spec.kind === "number" ? "number" : "text", autocomplete: "off" });
      if (spec.kind === "text") input.setAttribute("list", "model-suggestions");
      const range = spec.kind === "number" ? rangeAt(spec.path) : undefined;
      if (range) {
        input.step = range.integer ? "1" : "any";
        if (range.min !== undefined && range.minInclusive) input.min = String(range.min);
        if (range.max !== undefined && range.maxInclusive) input.max = String(range.max);
        wrapper.appendChild(el("small", { class: "hint" }, describeRange(range)));
      }
      input.addEventListener("input", changed);
      field.inputs.push(input);
      wrapper.appendChild(input);
    }
    wrapper.appendChild(error);
    this.fields.set(spec.path, field);
    return wrapper;
  }

  private field(path: string): Field {
    return this.fields.get(path) as Field;
  }

  private setValue(path: string, value: unknown): void {
    const f = this.field(path);
    if (f.select) f.select.value = String(value);
    else if (f.spec.kind === "checks") for (const i of f.inputs) i.checked = (value as string[]).includes(i.value);
    else if (f.spec.kind === "toggle") (f.inputs[0] as HTMLInputElement).checked = value === true;
    else if (f.spec.kind !== "files") (f.inputs[0] as HTMLInputElement).value = value === undefined ? "" : String(value);
  }

  /** Every control to the library's defaults for `dataset`. */
  reset(dataset: string): void {
    const d = defaultsFor(dataset);
    for (const spec of CONTROLS) {
      if (spec.path === "files" || spec.path === "study" || spec.path.startsWith("device.")) continue;
      if (spec.path === "algo") this.setValue("algo", INITIAL_ALGOS);
      else this.setValue(spec.path, getPath(d, spec.path));
    }
    this.setValue("device.preset", d.device.preset);
    this.presetChanged();
    this.datasetChanged();
  }

  private presetChanged(): void {
    const preset = findDevicePreset(this.field("device.preset").select?.value ?? "");
    if (!preset) return;
    for (const spec of CONTROLS) {
      if (spec.path.startsWith("device.") && spec.path !== "device.preset") {
        this.setValue(spec.path, preset.params[spec.path.slice(7) as keyof DeviceParams]);
      }
    }
    this.field("device.preset").wrapper.title = `${preset.name}. Sources: ${preset.source}`;
  }

  /** Sets the controls a study preset names (the dataset first, as its defaults reset others). */
  private studyChanged(): void {
    const preset = STUDY_PRESETS[this.field("study").select?.value ?? ""];
    if (!preset) return;
    const { dataset, update, ...rest } = preset.values;
    this.setValue("dataset", dataset);
    this.datasetChanged();
    this.setValue("update", update);
    this.updateChanged();
    for (const [path, value] of Object.entries(rest)) {
      this.setValue(path, value);
      if (path === "device.preset") this.presetChanged();
    }
  }

  private updateChanged(): void {
    const d = defaultsFor(this.dataset(), this.update());
    for (const path of UPDATE_DEPENDENT) this.setValue(path, getPath(d, path));
  }

  private update(): string {
    return this.field("update").select?.value ?? "device";
  }

  private datasetChanged(): void {
    const dataset = this.dataset();
    const d = defaultsFor(dataset, this.update());
    for (const path of DATASET_DEPENDENT) this.setValue(path, getPath(d, path));
    for (const path of ["trainSamples", "testSamples"]) (this.field(path).inputs[0] as HTMLInputElement).placeholder = "all";
    const files = this.field("files");
    files.wrapper.hidden = dataset === "digits";
    if (dataset !== "digits") {
      (files.wrapper.querySelector("label") as HTMLElement).textContent =
        `Files: ${expectedFiles(dataset as Exclude<typeof dataset, "digits">).join(", ")}${dataset === "cifar10" ? " (or cifar-10-binary.tar.gz)" : " (.gz or not)"}`;
    }
    // Model suggestions that fit the dataset's images.
    const info = DATASET_INFO[dataset];
    const features = info.shape[0] * info.shape[1] * info.shape[2];
    const [, hidden] = /^mlp:\d+-(\d+)/.exec(d.model) ?? [];
    const suggestions = [d.model, `mlp:${features}-16-${info.classes}`, `mlp:${features}-${hidden ?? 64}-${hidden ?? 64}-${info.classes}`];
    if (info.shape.join("x") === "1x28x28") suggestions.push("cnn-small");
    if (info.shape.join("x") === "3x32x32") suggestions.push("vgg8");
    this.datalist.replaceChildren(...suggestions.map((s) => el("option", { value: s })));
  }

  private changed(path: string): void {
    if (path === "study") this.studyChanged();
    if (path === "dataset") this.datasetChanged();
    if (path === "update") this.updateChanged();
    if (path === "device.preset") this.presetChanged();
    if (path === "files") this.showFiles();
    this.onChange();
  }

  private showFiles(): void {
    const files = this.files();
    this.fileList.textContent = files.length ? files.map((f) => `${f.name} (${(f.size / 1e6).toFixed(1)} MB)`).join(", ") : "";
  }

  dataset(): (typeof DATASET_NAMES)[number] {
    return (this.field("dataset").select?.value ?? "digits") as (typeof DATASET_NAMES)[number];
  }

  files(): File[] {
    return Array.from((this.field("files").inputs[0] as HTMLInputElement).files ?? []);
  }

  /** Reads the controls, builds the config and checks it as the CLI would. */
  validate(): Validation {
    const issues: FieldIssue[] = [];
    const dataset = this.dataset();
    const defaults = defaultsFor(dataset, this.update());
    const base: Record<string, unknown> = { dataset };
    const deviceValues: Record<string, unknown> = {};
    let algos: string[] = [];

    for (const spec of CONTROLS) {
      const f = this.field(spec.path);
      if (spec.kind === "files") continue;
      if (spec.kind === "checks") {
        algos = f.inputs.filter((i) => i.checked).map((i) => i.value);
        if (algos.length === 0) issues.push({ path: "algo", message: "choose at least one learning rule" });
        continue;
      }
      if (spec.path === "study") continue;
      let value: unknown;
      if (f.select) value = f.select.value;
      else if (spec.kind === "toggle") value = (f.inputs[0] as HTMLInputElement).checked;
      else {
        const input = f.inputs[0] as HTMLInputElement;
        const text = input.value.trim();
        if (spec.kind === "number") {
          if (input.validity.badInput) {
            issues.push({ path: spec.path, message: "not a number" });
            continue;
          }
          if (text === "") {
            if (!spec.optional) issues.push({ path: spec.path, message: "required" });
            continue;
          }
          value = Number(text);
        } else {
          if (text === "") {
            if (!spec.optional) issues.push({ path: spec.path, message: "required" });
            continue;
          }
          value = text;
        }
      }
      if (spec.path === "dataset") continue;
      if (spec.path.startsWith("device.")) deviceValues[spec.path.slice(7)] = value;
      // The update itself is compared with the plain defaults: the rest with those it brings.
      else if (value !== getPath(spec.path === "update" ? defaultsFor(dataset) : defaults, spec.path)) setPath(base, spec.path, value);
    }
    if (dataset !== "digits" && this.files().length === 0) {
      issues.push({ path: "files", message: `choose the ${dataset} files: ${expectedFiles(dataset).join(", ")}` });
    }

    // The device: its preset, plus the fields that differ from the preset.
    const presetId = String(deviceValues.preset);
    const preset = findDevicePreset(presetId);
    const overrides: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(deviceValues)) {
      if (k !== "preset" && preset && v !== preset.params[k as keyof DeviceParams]) overrides[k] = v;
    }
    const device = Object.keys(overrides).length > 0 ? { preset: presetId, ...overrides } : presetId;
    if (device !== defaults.device.preset) base.device = device;

    let deviceParams: Validation["device"];
    try {
      deviceParams = resolveRunConfig({ device: base.device ?? presetId }).device;
    } catch {
      deviceParams = undefined;
    }

    // The schema's issues, for every chosen rule (or bp, to check the rest).
    const seen = new Set(issues.map((i) => i.path));
    for (const algo of algos.length ? algos : ["bp"]) {
      for (const issue of schemaIssues({ ...base, algo })) {
        if (seen.has(issue.path)) continue;
        seen.add(issue.path);
        issues.push(issue);
      }
    }
    // Then what involves several fields: resolution (model vs dataset, cell vs weight bits, …) and the
    // cost model (schedule vs rule) — of the config without the fields already found wrong, so that
    // these show at the same time.
    const checked = structuredClone(base);
    for (const path of seen) deletePath(checked, path);
    const configs: ResolvedRunConfig[] = [];
    for (const algo of algos) {
      try {
        const config = resolveRunConfig({ ...checked, algo });
        costInputOf(config);
        configs.push(config);
      } catch (error) {
        const issue = issueOfError(error);
        if (!issues.some((i) => i.path === issue.path || i.message === issue.message)) issues.push(issue);
      }
    }
    const files = dataset === "digits" ? [] : this.files();
    const result: Validation = { base: base as RunConfig, algos, files, issues, configs: issues.length ? [] : configs };
    if (deviceParams) result.device = deviceParams;
    return result;
  }

  /** The control that owns an issue's path: itself, the closest enclosing control, a control the message names, or none. */
  private owner(issue: FieldIssue): string {
    const paths = [...this.fields.keys()];
    if (this.fields.has(issue.path)) return issue.path;
    const parts = issue.path.split(".");
    for (let n = parts.length - 1; n > 0; n--) {
      const prefix = parts.slice(0, n).join(".");
      if (this.fields.has(prefix)) return prefix;
    }
    const named = paths.find((p) => p.includes(".") && issue.message.includes(p));
    if (named) return named;
    if (issue.path) {
      const inside = paths.find((p) => p.startsWith(`${issue.path}.`));
      if (inside) return inside;
    }
    return "";
  }

  /** Shows each issue next to its control, with the allowed range from the schema. */
  showIssues(issues: FieldIssue[]): void {
    const byControl = new Map<string, string[]>();
    for (const issue of issues) {
      const owner = this.owner(issue);
      const range = owner ? rangeAt(owner) : undefined;
      const own = owner === issue.path || owner === "";
      let text = own ? issue.message : `${issue.path}: ${issue.message}`;
      if (!owner && issue.path) text = `${issue.path}: ${issue.message}`;
      if (range && own) text = `${this.field(owner).spec.label}: ${describeRange(range)} — ${issue.message}`;
      byControl.set(owner, [...(byControl.get(owner) ?? []), text]);
    }
    for (const [path, f] of this.fields) {
      const texts = byControl.get(path);
      f.error.textContent = texts ? texts.join("; ") : "";
      f.wrapper.classList.toggle("invalid", texts !== undefined);
      for (const i of f.inputs) i.setAttribute("aria-invalid", String(texts !== undefined));
      f.select?.setAttribute("aria-invalid", String(texts !== undefined));
    }
    const general = byControl.get("");
    this.general.textContent = general ? general.join("; ") : "";
  }

  /** Disables every control while a run is going. */
  setDisabled(disabled: boolean): void {
    for (const f of this.fields.values()) {
      for (const i of f.inputs) i.disabled = disabled;
      if (f.select) f.select.disabled = disabled;
    }
  }
}
