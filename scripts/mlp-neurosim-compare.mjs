// cimlearn's examples/mlp-neurosim-v3.json against MLP+NeuroSim V3.0's own runs
// (test/fixtures/mlp-neurosim-v3.json): for every device of the fixture, cimlearn trains with
// seeds 1…N on the same number of images and prints, per epoch, both tools' mean ± standard
// deviation of the test accuracy, and both tools' training images per CPU-second (the markdown
// table in the README). Needs the build (npm run build) and Fashion-MNIST on the machine.
//
//   node scripts/mlp-neurosim-compare.mjs [--seeds 3]

import { readFileSync } from "node:fs";
import { loadDataset, loadEngine, resolveRunConfig, train } from "../dist/node/index.js";

const seedsArg = process.argv.indexOf("--seeds");
const seeds = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 3;
const fixture = JSON.parse(readFileSync(new URL("../test/fixtures/mlp-neurosim-v3.json", import.meta.url), "utf8"));
const recipe = JSON.parse(readFileSync(new URL("../examples/mlp-neurosim-v3.json", import.meta.url), "utf8"));
const data = await loadDataset("fashion-mnist");

const stats = (values) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { mean, sd };
};
const fmt = ({ mean, sd }) => `${mean.toFixed(1)} ± ${sd.toFixed(1)}`;

const lines = [];
let cpu = 0;
let images = 0;
for (const [name, device] of Object.entries(fixture.devices)) {
  const epochs = fixture.epochs;
  const ours = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const config = resolveRunConfig({ ...recipe, device: device.cimlearn, seed, epochs, trainSamples: fixture.images_per_epoch });
    const engine = await loadEngine();
    const t0 = process.cpuUsage();
    const r = train(engine, data, config);
    const t = process.cpuUsage(t0);
    cpu += (t.user + t.system) / 1e6;
    images += epochs * fixture.images_per_epoch;
    ours.push(r.history.map((h) => 100 * h.test_accuracy));
  }
  for (let e = 0; e < epochs; e++) {
    const theirs = stats(device.runs.map((run) => run[e]));
    const mine = stats(ours.map((run) => run[e]));
    lines.push(`| ${name} | ${(e + 1) * fixture.images_per_epoch} | ${fmt(theirs)} (${device.runs.length}) | ${fmt(mine)} (${seeds}) |`);
  }
}
console.log("| device | images | MLP+NeuroSim V3.0: test accuracy % (seeds) | cimlearn |");
console.log("|---|---:|---:|---:|");
for (const l of lines) console.log(l);
console.log(
  `\nTraining images per CPU-second: MLP+NeuroSim ${JSON.stringify(fixture.speed.train_images_per_cpu_second)}; cimlearn ${Math.round(images / cpu)} over all devices, including its test passes (10,000 images after every epoch).`,
);
