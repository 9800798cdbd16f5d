// `npm run study [-- --paper] [-- --full] [-- --workers N] [-- --out DIR]`: a built-in study, then its
// report. The BP-vs-DFA study on the MLP stand-in (examples/bp-vs-dfa.json) or, with --paper, Wolters et
// al.'s study on DNN+NeuroSim V2.1's recipe (examples/paper.json); --full takes the -full file of either.
// Rerunning resumes the sweep where it stopped.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";

let values;
try {
  ({ values } = parseArgs({
    options: {
      paper: { type: "boolean" },
      full: { type: "boolean" },
      workers: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  }));
} catch (error) {
  process.stderr.write(`npm run study: ${error.message}\nusage: npm run study [-- --paper] [-- --full] [-- --workers N] [-- --out DIR]\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(
    "usage: npm run study [-- --paper] [-- --full] [-- --workers N] [-- --out DIR]\n" +
      "  default: the BP-vs-DFA study on the MLP stand-in, examples/bp-vs-dfa.json into results/bp-vs-dfa (under an hour on 2 cores)\n" +
      "  --paper: Wolters et al.'s study on DNN+NeuroSim V2.1's recipe, examples/paper.json into results/paper (about an hour on 2 cores)\n" +
      "  --full: the full size of either (examples/bp-vs-dfa-full.json, examples/paper-full.json), into results/NAME-full\n",
  );
  process.exit(0);
}
const name = `${values.paper ? "paper" : "bp-vs-dfa"}${values.full ? "-full" : ""}`;
const file = `examples/${name}.json`;
const out = values.out ?? `results/${name}`;
const cli = (...args) => spawnSync(process.execPath, ["dist/node/cli.js", ...args], { stdio: "inherit" }).status ?? 1;

const started = performance.now();
let status = cli("sweep", file, "--out", out, ...(values.workers ? ["--workers", values.workers] : []));
// The paper study's report checks Wolters et al.'s findings; the stand-in study's results, when run, join as a column.
const standIn = `results/bp-vs-dfa${values.full ? "-full" : ""}`;
const withStandIn = values.paper && existsSync(`${standIn}/sweep.json`) ? ["--stand-in", standIn] : [];
if (status === 0) status = cli("report", out, ...withStandIn);
if (status === 0) process.stderr.write(`study: ${((performance.now() - started) / 60000).toFixed(1)} min; open ${out}/report.html\n`);
process.exit(status);
