// The report's tables as CSV files (RFC 4180: comma-separated, quoted when needed, CRLF-free).

import { BASELINE } from "../learning/rules.js";
import type { ReportData } from "./data.js";
import type { Findings } from "./wolters.js";

export type Cell = string | number | boolean | null | undefined;

function cell(value: Cell): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return `${[header, ...rows].map((r) => r.map(cell).join(",")).join("\n")}\n`;
}

export interface CsvTable {
  file: string;
  title: string;
  description: string;
  header: string[];
  rows: Cell[][];
}

const valueText = (v: unknown) => (v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));

/** Every table of the report. */
export function reportTables(data: ReportData, findings?: Findings): CsvTable[] {
  const paths = [...new Set(data.parts.flatMap((p) => p.dimensions.flatMap((d) => d.paths)))];
  const tables: CsvTable[] = [];

  tables.push({
    file: "runs.csv",
    title: "Runs",
    description: "one row per finished run: axis values, seed, final test accuracy, and cost per epoch under the run's own schedule",
    header: [
      "run",
      "part",
      "point",
      "repeat",
      "seed",
      "status",
      "algo",
      "model",
      ...paths,
      "test_accuracy",
      "epochs",
      "schedule",
      "latency_s",
      "energy_j",
      "area_m2",
      "seconds",
      "error",
    ],
    rows: data.runs.map((r) => [
      r.run,
      r.part,
      r.point,
      r.repeat,
      r.seed,
      r.status,
      r.config.algo,
      r.config.model,
      ...paths.map((p) => valueText(r.values[p])),
      r.test_accuracy,
      r.history.length,
      r.config.schedule,
      r.cost?.total.latency_s,
      r.cost?.total.energy_j,
      r.cost?.area.total_m2,
      r.seconds,
      r.error ? `${r.error.name}: ${r.error.message}` : "",
    ]),
  });

  tables.push({
    file: "epochs.csv",
    title: "Epochs",
    description: "one row per run and epoch: loss and accuracy on the training and test sets",
    header: [
      "run",
      "part",
      "point",
      "repeat",
      "seed",
      "algo",
      "epoch",
      "train_loss",
      "train_accuracy",
      "test_loss",
      "test_accuracy",
      "seconds",
    ],
    rows: data.runs.flatMap((r) =>
      r.history.map((h) => [
        r.run,
        r.part,
        r.point,
        r.repeat,
        r.seed,
        r.config.algo,
        h.epoch,
        h.train_loss,
        h.train_accuracy,
        h.test_loss,
        h.test_accuracy,
        h.seconds,
      ]),
    ),
  });

  tables.push({
    file: "alignment.csv",
    title: "Alignment with BP",
    description:
      "one row per run, epoch (0: untrained) and hidden layer: the angle in degrees between the rule's weight update (and its δ) and backpropagation's on the probe batch",
    header: ["run", "part", "point", "repeat", "seed", "algo", "epoch", "layer", "update_deg", "delta_deg"],
    rows: data.runs.flatMap((r) =>
      [{ epoch: 0, alignment: r.initial_alignment }, ...r.history.map((h) => ({ epoch: h.epoch, alignment: h.alignment }))].flatMap(
        ({ epoch, alignment }) =>
          (alignment ?? []).map((a) => [
            r.run,
            r.part,
            r.point,
            r.repeat,
            r.seed,
            r.config.algo,
            epoch,
            a.layer,
            a.update_deg,
            a.delta_deg,
          ]),
      ),
    ),
  });

  tables.push({
    file: "endurance.csv",
    title: "Write endurance",
    description:
      "one row per run and weight layer (layer 0: all devices; feedback and Tiki-Taka fast arrays marked): writes per device (programming events) and the projected lifetime in epochs when the device's endurance is known",
    header: [
      "run",
      "part",
      "point",
      "repeat",
      "algo",
      "layer",
      "array",
      "devices",
      "max",
      "mean",
      "p50",
      "p90",
      "p99",
      "p999",
      "lifetime_epochs",
    ],
    rows: data.runs.flatMap((r) => {
      const e = r.endurance;
      if (!e) return [];
      const row = (layer: number, array: string, w: typeof e.all) => [
        r.run,
        r.part,
        r.point,
        r.repeat,
        r.config.algo,
        layer,
        array,
        w.devices,
        w.max,
        w.mean,
        w.p50,
        w.p90,
        w.p99,
        w.p999,
        layer === 0 ? (e.lifetime_epochs ?? "") : "",
      ];
      return [
        row(0, "all", e.all),
        ...e.layers.map((l) => row(l.layer, "weights", l)),
        ...e.feedback.map((l) => row(l.layer, "feedback", l)),
        ...(e.fast ?? []).map((l) => row(l.layer, "fast", l)),
      ];
    }),
  });

  tables.push({
    file: "points.csv",
    title: "Points",
    description: "one row per point: final test accuracy over its repeats (mean, min, max) and mean cost per epoch",
    header: [
      "point",
      "part",
      "series",
      "algo",
      "model",
      ...paths,
      "runs",
      "ok",
      "failed",
      "accuracy_mean",
      "accuracy_min",
      "accuracy_max",
      "schedule",
      "latency_s",
      "energy_j",
      "area_m2",
    ],
    rows: data.points.map((p) => [
      p.index,
      p.part,
      p.series,
      p.algo,
      p.model,
      ...paths.map((path) => valueText(p.values[path])),
      p.runs,
      p.ok,
      p.failed,
      p.accuracy?.mean,
      p.accuracy?.min,
      p.accuracy?.max,
      p.schedule,
      p.latency?.mean,
      p.energy?.mean,
      p.area?.mean,
    ]),
  });

  tables.push({
    file: "costs.csv",
    title: "Latency and energy per phase and component",
    description: "per run, schedule, phase and component: latency (s, along the critical path) and energy (J) per epoch",
    header: ["run", "part", "point", "repeat", "algo", "schedule", "phase", "component", "latency_s", "energy_j"],
    rows: data.runs.flatMap((r) =>
      Object.entries(r.costs ?? {}).flatMap(([schedule, c]) =>
        Object.entries(c.phases).flatMap(([phase, ph]) =>
          Object.entries(ph.components).map(([component, v]) => [
            r.run,
            r.part,
            r.point,
            r.repeat,
            r.config.algo,
            schedule,
            phase,
            component,
            v.latency_s,
            v.energy_j,
          ]),
        ),
      ),
    ),
  });

  tables.push({
    file: "area.csv",
    title: "Area breakdown",
    description: "per run and chip component: area (m²)",
    header: ["run", "part", "point", "repeat", "algo", "component", "area_m2"],
    rows: data.runs.flatMap((r) =>
      Object.entries(r.cost?.area.breakdown ?? {}).map(([component, area]) => [
        r.run,
        r.part,
        r.point,
        r.repeat,
        r.config.algo,
        component,
        area,
      ]),
    ),
  });

  tables.push({
    file: "speedup.csv",
    title: "Speed-up over BP",
    description:
      "per DFA/DRTP run with a BP run of the same point and repeat: BP's latency per epoch (sequential schedule) over the rule's (dfa-parallel schedule), whole epoch and backward phases (error + gradient + update), and the energy ratio",
    header: [
      "part",
      "values",
      "depth",
      "algo",
      "repeat",
      "bp_latency_s",
      "latency_s",
      "speedup",
      "bp_backward_s",
      "backward_s",
      "backward_speedup",
      "bp_energy_j",
      "energy_j",
      "energy_ratio",
    ],
    rows: data.speedup.rows.map((r) => [
      r.part,
      r.values,
      r.depth,
      r.algo,
      r.repeat,
      r.bp_latency_s,
      r.latency_s,
      r.speedup,
      r.bp_backward_s,
      r.backward_s,
      r.backward_speedup,
      r.bp_energy_j,
      r.energy_j,
      r.energy_ratio,
    ]),
  });

  tables.push({
    file: "speedup-hardware.csv",
    title: "Speed-up per hardware assumption",
    description: `the cost model's DFA speed-up over BP vs depth for each hardware assumption, on the sweep's chip (${data.hardware.basis}): whole epoch, backward phases, and Amdahl's bound`,
    header: ["shape", "assumption", "n", "model", "speedup", "backward_speedup", "amdahl_bound"],
    rows: data.hardware.points.map((p) => [p.shape, p.assumption, p.n, p.model, p.total, p.backward, p.bound]),
  });

  tables.push({
    file: "timelines.csv",
    title: "Timelines",
    description:
      "the drawn timelines: per BP (sequential) and DFA/DRTP (dfa-parallel) pair, every piece of work with its layer, phase, image (−1: update), the hardware it occupies, and its start and end in one batch",
    header: ["part", "values", "algo", "schedule", "layer", "phase", "image", "resource", "start_s", "end_s"],
    rows: data.timelines.flatMap((t) =>
      (
        [
          [BASELINE, "sequential", t.bp],
          [t.algo, "dfa-parallel", t.rule],
        ] as const
      ).flatMap(([algo, schedule, line]) =>
        line.segments.map((g) => [t.part, t.values, algo, schedule, g.layer + 1, g.phase, g.image, g.resource, g.start_s, g.end_s]),
      ),
    ),
  });

  tables.push({
    file: "failures.csv",
    title: "Failed runs",
    description: "runs that failed, with their error",
    header: ["run", "values", "seed", "error"],
    rows: data.failures.map((f) => [f.run, f.values, f.seed, f.error]),
  });
  if (findings) {
    tables.push({
      file: "findings.csv",
      title: "Reproducing Wolters et al.",
      description: "one row per finding of Wolters et al. (MWSCAS 2023) and setting: the verdict, what was measured, the criterion",
      header: ["finding", "claim", "setting", "verdict", "measured", "criterion", "what_decides_it"],
      rows: findings.findings.flatMap((f) =>
        f.cells.map((c) => [
          f.id,
          f.claim,
          findings.columns.find((col) => col.id === c.column)?.title,
          c.verdict,
          c.text,
          f.criterion,
          f.explanation,
        ]),
      ),
    });
  }
  return tables;
}
