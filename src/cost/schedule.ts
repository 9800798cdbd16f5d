// Schedules: how the layers' phase work becomes an epoch. A schedule is a timeline of one batch —
// every image's forward, error and gradient work per layer, then every layer's update — in which
// each piece of work occupies the hardware it runs on; the batch takes the timeline's critical
// path and the epoch `iterations` batches. The named schedules are combinations of options:
//
//   sequential    nothing overlaps: layer after layer, phase after phase, image after image
//                 (DNN+NeuroSim, pipeline = false); the epoch is the sum of all the work.
//   pipelined     work runs as soon as its inputs are ready and its hardware is free, and the next
//                 image's forward may start before this image's backward pass ends.
//   dfa-parallel  work runs as soon as its inputs are ready and its hardware is free, one image
//                 at a time, updates of all layers at once: with the output error sent straight
//                 to every layer, the layers' backward work overlaps (Nøkland 2016; Wolters et al., MWSCAS 2023). Only for
//                 rules whose hidden layers do not wait for the next layer's error (dfa, drtp,
//                 output-only).
//
// The hardware decides what may overlap: each layer's weight arrays (forward reads, transposed
// error reads, updates), each layer's feedback arrays, the weight-gradient unit(s) (one shared or
// one per layer), the global buffer and H-tree (or, with local backward buffers, a buffer per
// layer for the backward transfers), and the DRAM. Energy does not depend on the schedule
// (leakage, which runs for the whole epoch, does).

import { InputError } from "../engine/errors.js";
import { errorReadLayers, feedbackStore, type LearningRule, parallelBackward, trainedLayers } from "../learning/rule.js";
import { COMPONENTS, type Components, type LayerCost, type Phase, zeroComponents } from "./account.js";

export const SCHEDULES = ["sequential", "dfa-parallel", "pipelined"] as const;
export type Schedule = (typeof SCHEDULES)[number];

/** What a schedule lets overlap. */
export interface ScheduleOptions {
  /** "none": one piece of work at a time; "resources": work starts once its inputs are ready and its hardware is free. */
  overlap: "none" | "resources";
  /** The next image's forward may start before this image's backward pass ends. */
  pipelineImages: boolean;
  /** The layers' weight updates at the end of a batch: one layer after another, or all at once. */
  updates: "serialized" | "overlapped";
}

/** The hardware a timeline runs on (the chip config's options). */
export interface TimelineHardware {
  wgSharing: "shared" | "per-layer";
  backwardBuffers: "global" | "local";
}

export const SCHEDULE_OPTIONS: Record<Schedule, ScheduleOptions> = {
  sequential: { overlap: "none", pipelineImages: false, updates: "serialized" },
  pipelined: { overlap: "resources", pipelineImages: true, updates: "serialized" },
  "dfa-parallel": { overlap: "resources", pipelineImages: false, updates: "overlapped" },
};

/** A schedule's options with the run's overrides; overrides the schedule cannot honour are refused. */
export function scheduleOptions(schedule: Schedule, overrides: Partial<Omit<ScheduleOptions, "overlap">> = {}): ScheduleOptions {
  const base = SCHEDULE_OPTIONS[schedule];
  if (base.overlap === "none") {
    for (const [key, value] of Object.entries(overrides)) {
      if (value !== undefined && value !== base[key as keyof ScheduleOptions]) {
        throw new InputError(
          `scheduleOptions.${key}: ${JSON.stringify(value)} needs a schedule that overlaps work ("pipelined" or "dfa-parallel"); "sequential" does one thing at a time`,
        );
      }
    }
    return base;
  }
  return { ...base, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
}

export function checkSchedule(schedule: Schedule, rule: LearningRule): void {
  if (schedule === "dfa-parallel" && !parallelBackward(rule)) {
    throw new InputError(
      `schedule: "dfa-parallel" needs a rule whose hidden layers learn from the output alone (a direct rule such as dfa or drtp, or output-only); algo "${rule.name}" chains the error layer by layer — use "sequential" or "pipelined"`,
    );
  }
}

/** One stretch of work on one resource. */
export interface Segment {
  layer: number;
  phase: Phase;
  /** Image within the batch (−1 for updates). */
  image: number;
  resource: string;
  start_s: number;
  end_s: number;
}

/** Per phase and component: seconds on the critical path. */
export type PathTimes = Record<Phase, Components>;

export interface Timeline {
  /** Seconds per batch (the critical path). */
  batch_s: number;
  /** Per layer, per phase and component: seconds per batch on the critical path (together they add up to batch_s). */
  path: PathTimes[];
  /** The drawn window: the first images of a batch and the updates (all of them when images are not pipelined: every image repeats the first). */
  segments: Segment[];
  images_shown: number;
}

interface Piece {
  resource: string;
  duration: number;
  /** How the piece's time splits over components (fractions summing to 1). */
  mix: Components;
}

interface Task {
  layer: number;
  phase: Phase;
  image: number;
  pieces: Piece[];
  deps: number[];
}

const sum = (c: Components) => COMPONENTS.reduce((s, k) => s + c[k], 0);

/** The pieces of one phase of one layer: compute on its own hardware, then its global transfers, then DRAM. */
function pieces(cost: LayerCost, phase: Phase, unit: string, bus: string, overlap: boolean): Piece[] {
  const c = cost[phase];
  const total = sum(c.latency);
  if (total <= 0) return [];
  const mixOf = (keys: Partial<Components>) => {
    const m = zeroComponents();
    const t = COMPONENTS.reduce((s, k) => s + (keys[k] ?? 0), 0);
    if (t > 0) for (const k of COMPONENTS) m[k] = (keys[k] ?? 0) / t;
    return { mix: m, duration: t };
  };
  if (!overlap) return [{ resource: "chip", ...mixOf(c.latency) }];
  const global = Math.min(c.global, c.latency.buffer + c.latency.interconnect);
  const globalShare = c.latency.buffer + c.latency.interconnect > 0 ? global / (c.latency.buffer + c.latency.interconnect) : 0;
  const local: Partial<Components> = { ...c.latency, dram: 0 };
  local.buffer = c.latency.buffer * (1 - globalShare);
  local.interconnect = c.latency.interconnect * (1 - globalShare);
  const out: Piece[] = [];
  const own = mixOf(local);
  if (own.duration > 0) out.push({ resource: unit, ...own });
  const transfer = mixOf({ buffer: c.latency.buffer * globalShare, interconnect: c.latency.interconnect * globalShare });
  if (transfer.duration > 0) out.push({ resource: bus, ...transfer });
  const dram = mixOf({ dram: c.latency.dram });
  if (dram.duration > 0) out.push({ resource: "dram", ...dram });
  return out;
}

/**
 * The tasks of `images` images, in issue order, with their dependencies: forward layer after
 * layer; the error reads in the rule's order (BP/FA from the last layer down, DFA/DRTP all from the
 * output error); a layer's gradient once its δ and its input exist. Then, if `updates`, the batch's
 * updates, each once the layer's gradients are done.
 */
function tasks(
  rule: LearningRule,
  layers: readonly LayerCost[],
  images: number,
  options: ScheduleOptions,
  hw: TimelineHardware,
  updates: boolean,
): Task[] {
  const L = layers.length;
  const overlap = options.overlap === "resources";
  const trained = trainedLayers(rule, L);
  const errors = errorReadLayers(rule, L);
  const chained = !parallelBackward(rule);
  const mirror = feedbackStore(rule) === "mirror";
  const out: Task[] = [];
  const add = (t: Task) => {
    out.push(t);
    return out.length - 1;
  };
  const bus = (l: number) => (hw.backwardBuffers === "local" ? `buffer ${l + 1}` : "global buffer");
  const piecesOf = (l: number, phase: Phase, unit: string, via: string) => pieces(layers[l] as LayerCost, phase, unit, via, overlap);
  let lastOfImage: number[] = [];
  const gradientsOf: number[][] = layers.map(() => []);
  for (let image = 0; image < images; image++) {
    // Without pipelining, an image starts once the previous one is done.
    const barrier = options.pipelineImages ? [] : lastOfImage;
    const forward: number[] = [];
    for (let l = 0; l < L; l++) {
      const deps = l === 0 ? barrier : [forward[l - 1] as number];
      forward.push(add({ layer: l, phase: "forward", image, pieces: piecesOf(l, "forward", `arrays ${l + 1}`, "global buffer"), deps }));
    }
    const output = forward[L - 1] as number;
    const error: (number | undefined)[] = new Array(L).fill(undefined);
    const backward: number[] = [];
    if (chained) {
      // δ_{l−1} comes from layer l's read of δ_l (FA through its own feedback copy): a chain from the output down.
      let previous = output;
      for (let l = L - 1; l >= 1; l--) {
        if (!errors[l]) continue;
        const arrays = mirror ? `feedback ${l + 1}` : `arrays ${l + 1}`;
        previous = add({ layer: l, phase: "error", image, pieces: piecesOf(l, "error", arrays, bus(l)), deps: [previous] });
        error[l] = previous;
        backward.push(previous);
      }
    } else {
      // Every hidden layer reads the output error through its own feedback matrix.
      for (let l = 0; l < L; l++) {
        if (!errors[l]) continue;
        const e = add({ layer: l, phase: "error", image, pieces: piecesOf(l, "error", `feedback ${l + 1}`, bus(l)), deps: [output] });
        error[l] = e;
        backward.push(e);
      }
    }
    // Gradients in the order their δ is ready: the output layer's first.
    const order = chained ? Array.from({ length: L }, (_, k) => L - 1 - k) : [L - 1, ...Array.from({ length: L - 1 }, (_, k) => k)];
    for (const l of order) {
      if (!trained[l]) continue;
      const source = l === L - 1 ? output : chained ? error[l + 1] : error[l];
      const unit = hw.wgSharing === "shared" ? "WG unit" : `WG unit ${l + 1}`;
      const g = add({
        layer: l,
        phase: "gradient",
        image,
        pieces: piecesOf(l, "gradient", unit, bus(l)),
        deps: [source ?? output, forward[l] as number],
      });
      (gradientsOf[l] as number[]).push(g);
      backward.push(g);
    }
    lastOfImage = [...forward, ...backward];
  }
  if (updates) {
    for (let l = 0; l < L; l++) {
      if (!trained[l]) continue;
      const unit = options.updates === "overlapped" ? `arrays ${l + 1}` : "update";
      add({
        layer: l,
        phase: "update",
        image: -1,
        pieces: piecesOf(l, "update", unit, "global buffer"),
        deps: [...(gradientsOf[l] as number[]), ...lastOfImage],
      });
    }
  }
  return out;
}

/** Lists the tasks in issue order: each piece starts when its task's inputs are done and its resource is free. */
function run(list: Task[]): { segments: (Segment & { mix: Components; after: number })[]; end: number } {
  const free = new Map<string, { end: number; segment: number }>();
  const taskEnd: { end: number; segment: number }[] = [];
  const segments: (Segment & { mix: Components; after: number })[] = [];
  for (const t of list) {
    let ready = { end: 0, segment: -1 };
    for (const d of t.deps) {
      const e = taskEnd[d] as { end: number; segment: number };
      if (e.end > ready.end) ready = e;
    }
    for (const p of t.pieces) {
      const busy = free.get(p.resource);
      const after = busy && busy.end > ready.end ? busy : ready;
      const start = after.end;
      const end = start + p.duration;
      segments.push({
        layer: t.layer,
        phase: t.phase,
        image: t.image,
        resource: p.resource,
        start_s: start,
        end_s: end,
        mix: p.mix,
        after: after.segment,
      });
      ready = { end, segment: segments.length - 1 };
      free.set(p.resource, ready);
    }
    taskEnd.push(ready);
  }
  let end = 0;
  for (const s of segments) end = Math.max(end, s.end_s);
  return { segments, end };
}

/** Images laid out one by one when they overlap (a power of two); larger batches extend the steady state. */
const PIPELINE_IMAGES = 256;

const emptyPath = (): PathTimes => ({
  forward: zeroComponents(),
  error: zeroComponents(),
  gradient: zeroComponents(),
  update: zeroComponents(),
});

/** Adds `times` × the critical path's seconds per layer, phase and component: back from the last piece through what each waited for. */
function addCriticalPath(into: PathTimes[], segments: (Segment & { mix: Components; after: number })[], end: number, times: number): void {
  let k = -1;
  for (let i = 0; i < segments.length; i++) if ((segments[i] as Segment).end_s === end) k = i;
  while (k >= 0) {
    const s = segments[k] as Segment & { mix: Components; after: number };
    const d = (s.end_s - s.start_s) * times;
    const layer = into[s.layer] as PathTimes;
    for (const c of COMPONENTS) layer[s.phase][c] += d * s.mix[c];
    k = s.after;
  }
}

/** The batch's timeline: the critical path per layer, phase and component, and the drawn window. */
export function timeline(
  rule: LearningRule,
  layers: readonly LayerCost[],
  batch: number,
  options: ScheduleOptions,
  hw: TimelineHardware,
): Timeline {
  const path = layers.map(emptyPath);
  if (options.pipelineImages) {
    // Images overlap: the whole batch is laid out (beyond PIPELINE_IMAGES images, the steady state
    // the last half of them reached is extended linearly); the window shows its first images.
    const laid = Math.min(batch, PIPELINE_IMAGES);
    const all = run(tasks(rule, layers, laid, options, hw, true));
    addCriticalPath(path, all.segments, all.end, 1);
    let batchSpan = all.end;
    if (batch > laid) {
      const half = run(tasks(rule, layers, laid / 2, options, hw, true));
      const halfPath = layers.map(emptyPath);
      addCriticalPath(halfPath, half.segments, half.end, 1);
      const per = (batch - laid) / (laid / 2);
      batchSpan += (all.end - half.end) * per;
      path.forEach((l, i) => {
        for (const p of ["forward", "error", "gradient", "update"] as const)
          for (const c of COMPONENTS) l[p][c] += (l[p][c] - (halfPath[i] as PathTimes)[p][c]) * per;
      });
    }
    const shown = Math.min(batch, 3);
    const window = run(tasks(rule, layers, shown, options, hw, true));
    return { batch_s: batchSpan, path, segments: window.segments.map(strip), images_shown: shown };
  }
  // One image at a time: every image repeats the first; after the last, the updates.
  const imageTasks = tasks(rule, layers, 1, options, hw, false);
  const image = run(imageTasks);
  addCriticalPath(path, image.segments, image.end, batch);
  const updateTasks = tasks(rule, layers, 1, options, hw, true).slice(imageTasks.length);
  for (const t of updateTasks) t.deps = [];
  const updates = run(updateTasks);
  addCriticalPath(path, updates.segments, updates.end, 1);
  const shifted = updates.segments.map((s) => ({ ...s, start_s: s.start_s + image.end, end_s: s.end_s + image.end }));
  return { batch_s: image.end * batch + updates.end, path, segments: [...image.segments, ...shifted].map(strip), images_shown: 1 };
}

const strip = (s: Segment & { mix: Components; after: number }): Segment => ({
  layer: s.layer,
  phase: s.phase,
  image: s.image,
  resource: s.resource,
  start_s: s.start_s,
  end_s: s.end_s,
});
