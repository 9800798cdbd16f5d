#!/usr/bin/env node

// Mutation testing in parts that fit this machine (npm run mutate runs everything: hours on two cores).
//
//   node scripts/mutate.mjs sample FOLDER [--size N] [--seed S]
//       lists every mutant StrykerJS makes in FOLDER (src/learning, src/nn, src/device or src/cost),
//       draws N of them (seeded, uniform over the folder's mutants) and writes
//       reports/mutation/sample-NAME.config.json, a Stryker config (the folder's suite:
//       stryker.config.json, or stryker.cost.config.json for src/cost) that mutates exactly their
//       source ranges, and reports/mutation/sample-NAME-ids.json, the drawn mutants.
//       Then: npx stryker run reports/mutation/sample-NAME.config.json
//   node scripts/mutate.mjs samples [--seed S] [FOLDER …]
//       draws each folder (all four by default; SIZES below) and runs StrykerJS on each draw in turn,
//       then scores. A new seed gives a fresh draw (a measurement not biased by survivors killed
//       after looking at an earlier draw).
//   node scripts/mutate.mjs score [--markdown] [--save]
//       (--save: into docs/mutation-score.json, for the README)
//   node scripts/mutate.mjs readme [--check]
//       README.md's score table and docs/mutation.md's table and survivors from docs/mutation-score.json.
//       reads the JSON reports in reports/mutation/ and prints each folder's mutation score: exact
//       where a full run's report holds every file of the folder, else estimated (95 % Wilson
//       interval) from the drawn mutants. A range can hold mutants nested in the drawn one (a
//       function body holds its statements); they are tested too, but only the drawn ones count.
//
// Score as StrykerJS counts it: (killed + timeout) / (killed + timeout + survived + no coverage);
// static mutants (StrykerJS skips them with ignoreStatic) and compile errors do not count.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Instrumenter } from "@stryker-mutator/instrumenter";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, "reports/mutation");
const FOLDERS = ["src/learning", "src/nn", "src/device", "src/cost"];
const nameOf = (folder) => folder.replace(/^src\//, "");
/** Draw sizes for about an hour on two cores (measured here: 1–3 s per mutant tested). */
const SIZES = { "src/cost": 500, "src/learning": 150, "src/device": 150, "src/nn": 200 };

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
  const folder = args[0]?.replace(/\/$/, "");
  if (!FOLDERS.includes(folder)) throw new Error(`sample: folder "${args[0]}" — allowed: ${FOLDERS.join(", ")}`);
  const size = flag(args, "size", 100);
  const seed = flag(args, "seed", 1);
  const next = random(seed);
  const mutants = await listMutants(filesUnder(folder));
  // A partial Fisher–Yates shuffle: the first `size` places are a uniform draw without replacement.
  const pool = [...mutants];
  const drawn = [];
  for (let i = 0; i < Math.min(size, pool.length); i++) {
    const j = i + Math.floor(next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
    drawn.push(pool[i]);
  }
  const name = nameOf(folder);
  const base = JSON.parse(readFileSync(join(ROOT, folder === "src/cost" ? "stryker.cost.config.json" : "stryker.config.json"), "utf8"));
  // StrykerJS ranges: 1-based lines, 0-based columns (the parser's).
  const ranges = drawn.map(
    (m) => `${m.file}:${m.location.start.line + 1}:${m.location.start.column}-${m.location.end.line + 1}:${m.location.end.column}`,
  );
  const config = {
    ...base,
    mutate: [...new Set(ranges)],
    reporters: ["progress", "json"],
    jsonReporter: { fileName: `reports/mutation/sample-${name}.json` },
    // Only the drawn nodes, not what their ranges hold (scripts/mutate-sample-ignorer.mjs).
    plugins: ["@stryker-mutator/*", "./scripts/mutate-sample-ignorer.mjs"],
    ignorers: ["drawn-only"],
    tempDirName: `.stryker-tmp-${name}`,
  };
  delete config.$schema;
  delete config.htmlReporter;
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, `sample-${name}.config.json`), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(OUT, `sample-${name}-ids.json`), `${JSON.stringify({ folder, seed, size, total: mutants.length, drawn }, null, 2)}\n`);
  console.log(`drew ${drawn.length} of ${folder}'s ${mutants.length} mutants (seed ${seed})`);
  console.log(`run: npx stryker run reports/mutation/sample-${name}.config.json, then node scripts/mutate.mjs score`);
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

const count = (ms) => ({
  detected: ms.filter((m) => DETECTED.has(m.status)).length,
  valid: ms.filter((m) => DETECTED.has(m.status) || UNDETECTED.has(m.status)).length,
  survived: ms.filter((m) => m.status === "Survived").length,
  uncovered: ms.filter((m) => m.status === "NoCoverage").length,
});

/** The commit the tree was at when `file` was written (a draw's config is written as its run starts). */
function commitAt(file) {
  const at = Math.floor(statSync(file).mtimeMs / 1000);
  return spawnSync("git", ["rev-list", "-1", `--before=@${at}`, "--abbrev-commit", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
}

/** Each folder's score from the reports in reports/mutation/ (exact, or estimated from a draw). */
function measure() {
  const names = existsSync(OUT)
    ? readdirSync(OUT).filter((f) => f.endsWith(".json") && !f.endsWith("-ids.json") && !f.endsWith(".config.json"))
    : [];
  const load = (name) => JSON.parse(readFileSync(join(OUT, name), "utf8"));
  const rows = [];
  for (const folder of FOLDERS) {
    const files = filesUnder(folder);
    const name = nameOf(folder);
    // A full run: a report (not a sample's) that holds every file of the folder.
    const full = names
      .filter((n) => !n.startsWith("sample-"))
      .map((n) => ({ n, r: load(n) }))
      .find(({ r }) => files.every((f) => r.files?.[f]));
    if (full) {
      const ms = files.flatMap((f) => full.r.files[f].mutants);
      const c = count(ms);
      const left = files.flatMap((f) => full.r.files[f].mutants.filter((m) => UNDETECTED.has(m.status)).map((m) => ({ ...m, file: f })));
      rows.push({
        folder,
        commit: commitAt(join(OUT, full.n)),
        total: ms.length,
        how: `all ${ms.length} mutants`,
        ...c,
        score: c.detected / c.valid,
        survivors: left.map((m) => ({
          file: m.file,
          line: m.location.start.line,
          column: m.location.start.column,
          mutator: m.mutatorName,
          replacement: m.replacement,
          status: m.status,
        })),
      });
    } else if (existsSync(join(OUT, `sample-${name}-ids.json`)) && names.includes(`sample-${name}.json`)) {
      const sample = load(`sample-${name}-ids.json`);
      const results = new Map();
      for (const [file, f] of Object.entries(load(`sample-${name}.json`).files ?? {}))
        for (const m of f.mutants) results.set(key(file, m.mutatorName, m.replacement, m.location.start.line, m.location.start.column), m);
      // The report's positions are 1-based (line and column), the instrumenter's 0-based.
      const found = sample.drawn.map((m) =>
        results.get(key(m.file, m.mutator, m.replacement, m.location.start.line + 1, m.location.start.column + 1)),
      );
      const missing = found.filter((m) => !m).length;
      const tested = found.filter(Boolean);
      const c = count(tested);
      const skipped = tested.length - c.valid;
      rows.push({
        folder,
        commit: commitAt(join(OUT, `sample-${name}.config.json`)),
        total: sample.total,
        how: `${sample.drawn.length} drawn of ${sample.total} (seed ${sample.seed}${skipped ? `; ${skipped} static, not counted` : ""}${missing ? `; ${missing} not in the report` : ""})`,
        ...c,
        score: c.detected / c.valid,
        interval: wilson(c.detected, c.valid),
        survivors: sample.drawn
          .map((m, i) => ({ m, r: found[i] }))
          .filter(({ r }) => r && UNDETECTED.has(r.status))
          .map(({ m, r }) => ({
            file: m.file,
            line: m.location.start.line + 1,
            column: m.location.start.column + 1,
            mutator: m.mutator,
            replacement: m.replacement,
            status: r.status,
          })),
      });
    } else {
      rows.push({ folder, how: "not measured" });
    }
  }
  return rows;
}

const pct = (x) => `${(100 * x).toFixed(1)} %`;
const range = (r) => (r.interval ? ` (95 %: ${pct(r.interval[0])}–${pct(r.interval[1])})` : "");

function markdownTable(rows) {
  const lines = ["| folder | commit | mutants | detected / counted | survived | no coverage | score |", "|---|---|---|---:|---:|---:|---|"];
  for (const r of rows) {
    if (r.score === undefined) lines.push(`| ${r.folder} | | ${r.how} | | | | |`);
    else
      lines.push(
        `| ${r.folder} | ${r.commit} | ${r.how} | ${r.detected} / ${r.valid} | ${r.survived} | ${r.uncovered} | **${pct(r.score)}**${range(r)} |`,
      );
  }
  const all = overall(rows);
  if (all) lines.push(`| all four | | weighted by each folder's ${all.mutants} mutants | | | | **${pct(all.score)}**${range(all)} |`);
  return lines.join("\n");
}

/**
 * The four folders together: each folder's score weighted by its share of all mutants (a stratified
 * estimate), its 95 % interval from the strata's binomial variances (exact folders add none).
 */
function overall(rows) {
  if (rows.some((r) => r.score === undefined)) return undefined;
  const sizes = rows.map((r) => r.total ?? r.valid);
  const mutants = sizes.reduce((a, b) => a + b, 0);
  let score = 0;
  let variance = 0;
  rows.forEach((r, i) => {
    const w = sizes[i] / mutants;
    score += w * r.score;
    if (r.interval) variance += (w * w * r.score * (1 - r.score)) / r.valid;
  });
  const h = 1.96 * Math.sqrt(variance);
  return { mutants, score, interval: variance > 0 ? [score - h, score + h] : undefined };
}

/** Inline code that may hold backticks: a fence longer than any run of them inside. */
function code(text) {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

function markdownSurvivors(rows) {
  const lines = [];
  for (const r of rows) {
    if (!r.survivors?.length) continue;
    lines.push(`${r.folder} (${r.survivors.length}):`, "");
    for (const m of r.survivors) {
      const replacement = m.replacement.replace(/\s+/g, " ");
      const shown = replacement.length > 70 ? `${replacement.slice(0, 70)}…` : replacement;
      lines.push(
        `- ${code(`${m.file}:${m.line}:${m.column}`)} ${m.mutator} → ${code(shown)}${m.status === "NoCoverage" ? " (no test reaches it)" : ""}`,
      );
    }
    lines.push("");
  }
  return lines.join("\n").trim();
}

const SCORE_FILE = join(ROOT, "docs/mutation-score.json");

function score(args) {
  const rows = measure();
  if (args.includes("--save")) {
    const measured = { date: new Date().toISOString().slice(0, 10), rows };
    writeFileSync(SCORE_FILE, `${JSON.stringify(measured, null, 2)}\n`);
  }
  if (args.includes("--markdown")) {
    console.log(markdownTable(rows));
    return;
  }
  for (const r of rows) {
    if (r.score === undefined) {
      console.log(`${r.folder}: ${r.how}`);
      continue;
    }
    console.log(
      `${r.folder}: ${pct(r.score)}${range(r)} — ${r.detected} of ${r.valid} detected, ${r.survived} survived, ${r.uncovered} uncovered; ${r.how}`,
    );
    for (const m of r.survivors ?? []) console.log(`  ${m.file}:${m.line}:${m.column} ${m.mutator} → ${m.replacement.slice(0, 60)}`);
  }
  const all = overall(rows);
  if (all) console.log(`all four, weighted by their ${all.mutants} mutants: ${pct(all.score)}${range(all)}`);
}

/** A generated block between markers, rewritten or checked. */
function block(text, name, body, source) {
  const start = `<!-- ${name}:start (generated by scripts/mutate.mjs readme from docs/mutation-score.json; do not edit) -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${source}: no "${start}" … "${end}" section`);
  return `${text.slice(0, a + start.length)}\n${body.trim()}\n${text.slice(b)}`;
}

/** README.md's score table and docs/mutation.md's table and survivors, from docs/mutation-score.json. */
export function generatedDocs(readme, doc, measured) {
  const head = `Measured ${measured.date}, each folder on the commit its run started from (StrykerJS, this 2-core machine).`;
  return {
    readme: block(readme, "mutation", `${head}\n\n${markdownTable(measured.rows)}`, "README.md"),
    doc: block(
      block(doc, "mutation", `${head}\n\n${markdownTable(measured.rows)}`, "docs/mutation.md"),
      "survivors",
      markdownSurvivors(measured.rows),
      "docs/mutation.md",
    ),
  };
}

function readme(args) {
  const measured = JSON.parse(readFileSync(SCORE_FILE, "utf8"));
  const files = { readme: join(ROOT, "README.md"), doc: join(ROOT, "docs/mutation.md") };
  const now = { readme: readFileSync(files.readme, "utf8"), doc: readFileSync(files.doc, "utf8") };
  const next = generatedDocs(now.readme, now.doc, measured);
  for (const k of ["readme", "doc"]) {
    if (next[k] === now[k]) continue;
    if (args.includes("--check")) {
      console.error(`${files[k]} differs from docs/mutation-score.json: run node scripts/mutate.mjs readme`);
      process.exit(1);
    }
    writeFileSync(files[k], next[k]);
  }
}

async function samples(args) {
  const seed = String(flag(args, "seed", 1));
  const chosen = args.filter((a, i) => FOLDERS.includes(a.replace(/\/$/, "")) && args[i - 1] !== "--seed").map((a) => a.replace(/\/$/, ""));
  const folders = chosen.length ? chosen : FOLDERS;
  for (const folder of folders) await sample([folder, "--size", String(SIZES[folder]), "--seed", seed]);
  for (const folder of folders) {
    const run = spawnSync("npx", ["stryker", "run", `reports/mutation/sample-${nameOf(folder)}.config.json`], {
      cwd: ROOT,
      stdio: "inherit",
    });
    if (run.status !== 0) throw new Error(`stryker on ${folder}'s draw exited with ${run.status}`);
  }
  score([]);
}

const [command, ...args] = process.argv.slice(2);
if (fileURLToPath(import.meta.url) !== resolve(process.argv[1] ?? "")) {
  // Imported (the README check's test): nothing to run.
} else if (command === "sample") await sample(args);
else if (command === "samples") await samples(args);
else if (command === "score") score(args);
else if (command === "readme") readme(args);
else {
  console.error(
    "usage: node scripts/mutate.mjs sample FOLDER [--size N] [--seed S] | samples [--seed S] [FOLDER …] | score [--markdown] [--save] | readme [--check]",
  );
  process.exit(2);
}
