#!/usr/bin/env node
// Mutation testing in parts that fit this machine (npm run mutate runs everything; hours on two cores).
//
//   node scripts/mutate.mjs sample [--per-folder N] [--seed S]
//       lists every mutant StrykerJS makes in src/learning, src/nn and src/device, draws N per folder
//       (seeded, uniform over the folder's mutants) and writes reports/mutation/sample.config.json, a
//       Stryker config that mutates exactly their source ranges (`npx stryker run` on it), and
//       reports/mutation/sample-ids.json, the drawn mutants.
//   node scripts/mutate.mjs score [--markdown]
//       reads the JSON reports in reports/mutation/ and prints each folder's mutation score: exact
//       where a report holds every mutant of the folder, estimated (95 % Wilson interval) from the
//       drawn mutants otherwise. A range can hold mutants nested in the drawn one (a function body
//       holds its statements); those are tested too but only the drawn ones enter the estimate.
//
// Score as StrykerJS counts it: (killed + timeout) / (killed + timeout + survived + no coverage);
// static mutants (StrykerJS skips them with ignoreStatic) and compile errors do not count.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Instrumenter } from "@stryker-mutator/instrumenter";

const ROOT = new URL("..", import.meta.url).pathname;
const OUT = join(ROOT, "reports/mutation");
const FOLDERS = ["src/learning", "src/nn", "src/device", "src/cost"];
const SAMPLED = ["src/learning", "src/nn", "src/device"];

function filesUnder(dir) {
  const out = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (p.endsWith(".ts") && !p.endsWith(".d.ts")) out.push(p);
  }
  return out.sort();
}

/** Every mutant StrykerJS's instrumenter makes in `files` (0-based lines and columns). */
async function listMutants(files) {
  const quiet = () => {};
  const log = {
    isTraceEnabled: () => false,
    isDebugEnabled: () => false,
    trace: quiet,
    debug: quiet,
    info: quiet,
    warn: quiet,
    error: console.error,
    fatal: console.error,
  };
  const instrumenter = new Instrumenter(log);
  const input = files.map((name) => ({ name, content: readFileSync(join(ROOT, name), "utf8"), mutate: true }));
  const result = await instrumenter.instrument(input, { plugins: null, excludedMutations: [], ignorers: [], noHeader: true });
  return result.mutants.map((m) => ({ file: m.fileName, mutator: m.mutatorName, replacement: m.replacement, location: m.location }));
}

/** Mulberry32: a small seeded generator, enough to draw a sample reproducibly. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function flag(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name}: "${args[i + 1]}" must be a positive integer`);
  return v;
}

const key = (file, mutator, replacement, line, column) => `${file}:${line}:${column}:${mutator}:${replacement}`;

async function sample(args) {
  const perFolder = flag(args, "per-folder", 40);
  const seed = flag(args, "seed", 1);
  const next = random(seed);
  const drawn = [];
  const totals = {};
  for (const folder of SAMPLED) {
    const mutants = await listMutants(filesUnder(folder));
    totals[folder] = mutants.length;
    const pool = [...mutants];
    for (let i = 0; i < Math.min(perFolder, pool.length); i++) {
      const j = i + Math.floor(next() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
      drawn.push({ folder, ...pool[i] });
    }
  }
  const base = JSON.parse(readFileSync(join(ROOT, "stryker.config.json"), "utf8"));
  // StrykerJS ranges: 1-based lines, 0-based columns (the parser's).
  const ranges = drawn.map(
    (m) => `${m.file}:${m.location.start.line + 1}:${m.location.start.column}-${m.location.end.line + 1}:${m.location.end.column}`,
  );
  const config = {
    ...base,
    mutate: [...new Set(ranges)],
    reporters: ["progress", "json"],
    jsonReporter: { fileName: "reports/mutation/sample.json" },
  };
  delete config.$schema;
  delete config.htmlReporter;
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, "sample.config.json"), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(OUT, "sample-ids.json"), `${JSON.stringify({ seed, perFolder, totals, drawn }, null, 2)}\n`);
  console.log(
    `drew ${drawn.length} mutants (seed ${seed}; of ${Object.entries(totals)
      .map(([f, n]) => `${f} ${n}`)
      .join(", ")})`,
  );
  console.log("run: npx stryker run reports/mutation/sample.config.json, then node scripts/mutate.mjs score");
}

const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

function wilson(k, n) {
  if (n === 0) return [0, 1];
  const z = 1.96;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

function score(args) {
  const markdown = args.includes("--markdown");
  const reports = existsSync(OUT)
    ? readdirSync(OUT).filter((f) => f.endsWith(".json") && f !== "sample-ids.json" && !f.endsWith(".config.json"))
    : [];
  // The newest result per mutant wins: later reports (by name order) re-test files earlier ones held.
  const results = new Map();
  const files = new Map();
  for (const name of reports.sort()) {
    const report = JSON.parse(readFileSync(join(OUT, name), "utf8"));
    for (const [file, f] of Object.entries(report.files ?? {})) {
      if (name !== "sample.json") files.set(file, name);
      for (const m of f.mutants)
        results.set(key(file, m.mutatorName, m.replacement, m.location.start.line, m.location.start.column), { ...m, file, report: name });
    }
  }
  const ids = existsSync(join(OUT, "sample-ids.json")) ? JSON.parse(readFileSync(join(OUT, "sample-ids.json"), "utf8")) : undefined;
  const rows = [];
  for (const folder of FOLDERS) {
    const all = filesUnder(folder);
    const complete = all.every((f) => files.has(f) && files.get(f) !== "sample.json");
    if (complete) {
      const ms = [...results.values()].filter((m) => m.file.startsWith(`${folder}/`) && m.report !== "sample.json");
      const detected = ms.filter((m) => DETECTED.has(m.status)).length;
      const valid = ms.filter((m) => DETECTED.has(m.status) || UNDETECTED.has(m.status)).length;
      const survived = ms.filter((m) => m.status === "Survived").length;
      const uncovered = ms.filter((m) => m.status === "NoCoverage").length;
      rows.push({ folder, how: `all ${ms.length} mutants`, detected, valid, survived, uncovered, score: detected / valid });
    } else if (ids && SAMPLED.includes(folder)) {
      const drawn = ids.drawn.filter((m) => m.folder === folder);
      const found = drawn.map((m) =>
        results.get(key(m.file, m.mutator, m.replacement, m.location.start.line + 1, m.location.start.column + 1)),
      );
      const missing = found.filter((m) => !m).length;
      const ms = found.filter(Boolean);
      const detected = ms.filter((m) => DETECTED.has(m.status)).length;
      const valid = ms.filter((m) => DETECTED.has(m.status) || UNDETECTED.has(m.status)).length;
      const survived = ms.filter((m) => m.status === "Survived").length;
      const uncovered = ms.filter((m) => m.status === "NoCoverage").length;
      const [lo, hi] = wilson(detected, valid);
      rows.push({
        folder,
        how: `sample of ${drawn.length} of ${ids.totals[folder]} (seed ${ids.seed})${missing ? `, ${missing} not in a report` : ""}`,
        detected,
        valid,
        survived,
        uncovered,
        score: detected / valid,
        interval: [lo, hi],
      });
    } else {
      rows.push({ folder, how: "not measured" });
    }
  }
  const pct = (x) => `${(100 * x).toFixed(1)} %`;
  if (markdown) {
    console.log("| folder | mutants | detected / counted | survived | no coverage | score |");
    console.log("|---|---|---|---|---|---|");
    for (const r of rows) {
      if (r.score === undefined) console.log(`| ${r.folder} | ${r.how} | | | | |`);
      else
        console.log(
          `| ${r.folder} | ${r.how} | ${r.detected} / ${r.valid} | ${r.survived} | ${r.uncovered} | ${pct(r.score)}${r.interval ? ` (95 %: ${pct(r.interval[0])}–${pct(r.interval[1])})` : ""} |`,
        );
    }
  } else {
    for (const r of rows)
      console.log(
        r.score === undefined
          ? `${r.folder}: ${r.how}`
          : `${r.folder}: ${pct(r.score)}${r.interval ? ` (95 % ${pct(r.interval[0])}–${pct(r.interval[1])})` : ""} — ${r.detected} of ${r.valid} detected, ${r.survived} survived, ${r.uncovered} uncovered; ${r.how}`,
      );
  }
}

const [command, ...args] = process.argv.slice(2);
if (command === "sample") await sample(args);
else if (command === "score") score(args);
else {
  console.error("usage: node scripts/mutate.mjs sample [--per-folder N] [--seed S] | score [--markdown]");
  process.exit(2);
}
