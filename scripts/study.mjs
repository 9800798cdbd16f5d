// `npm run study [-- --full] [-- --workers N] [-- --out DIR]`: the built-in BP-vs-DFA study
// (examples/bp-vs-dfa.json, or with --full examples/bp-vs-dfa-full.json), then its report.
// Rerunning resumes the sweep where it stopped.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

let values;
try {
  ({ values } = parseArgs({
    options: { full: { type: "boolean" }, workers: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } },
    strict: true,
  }));
} catch (error) {
  process.stderr.write(`npm run study: ${error.message}\nusage: npm run study [-- --full] [-- --workers N] [-- --out DIR]\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(
    "usage: npm run study [-- --full] [-- --workers N] [-- --out DIR]\n" +
      "  reduced size (default): examples/bp-vs-dfa.json into results/bp-vs-dfa (under an hour on 2 cores)\n" +
      "  --full: examples/bp-vs-dfa-full.json into results/bp-vs-dfa-full\n",
  );
  process.exit(0);
}
const file = values.full ? "examples/bp-vs-dfa-full.json" : "examples/bp-vs-dfa.json";
const out = values.out ?? (values.full ? "results/bp-vs-dfa-full" : "results/bp-vs-dfa");
const cli = (...args) => spawnSync(process.execPath, ["dist/node/cli.js", ...args], { stdio: "inherit" }).status ?? 1;

const started = performance.now();
let status = cli("sweep", file, "--out", out, ...(values.workers ? ["--workers", values.workers] : []));
if (status === 0) status = cli("report", out);
if (status === 0) process.stderr.write(`study: ${((performance.now() - started) / 60000).toFixed(1)} min; open ${out}/report.html\n`);
process.exit(status);
