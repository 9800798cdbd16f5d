// The browser playground end to end: the built page (npm run build:web) served by
// scripts/serve-web.mjs, driven in Debian's headless Chromium with playwright-core. A run on the
// embedded digits with bp and dfa must learn, fill the cost panel and download the same document
// `cimlearn train --json` prints for the same settings — bit for bit, apart from wall-clock times.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../chromium.js";

let server: ChildProcess | undefined;
let base = "";
let context: BrowserContext | undefined;
let closeBrowser: (() => Promise<void>) | undefined;
let tmp = "";

beforeAll(async () => {
  expect(existsSync("dist/web/index.html"), "dist/web is missing: run `npm run build:web` (npm run test:e2e does)").toBe(true);
  expect(existsSync("dist/node/cli.js"), "dist/node is missing: run `npm run build` (npm run test:e2e does)").toBe(true);
  tmp = mkdtempSync(join(tmpdir(), "cimlearn-e2e-"));
  // The server as `npm run web` starts it; port 0: any free port.
  const child = spawn(process.execPath, ["scripts/serve-web.mjs", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  server = child;
  base = await new Promise<string>((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolve(m[0]);
    });
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("exit", (code) => reject(new Error(`serve-web.mjs exited with ${code}: ${err}`)));
  });
  const browser = await launchChromium({ acceptDownloads: true });
  context = browser.context;
  closeBrowser = browser.close;
  // Nothing but the local server: the page must need no network.
  await context.route("**/*", (route) => (route.request().url().startsWith(base) ? route.continue() : route.abort()));
});

afterAll(async () => {
  await closeBrowser?.();
  server?.kill();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The page, loaded and ready (engine loaded, form valid); `errors` collects page errors and console errors. */
async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await (context as BrowserContext).newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(base);
  await page.waitForFunction(() => document.body.dataset.state === "ready", null, { timeout: 20_000 });
  return { page, errors };
}

const field = (path: string) => `.field[data-path="${path}"]`;

async function setAlgos(page: Page, algos: string[]): Promise<void> {
  for (const box of await page.$$(`${field("algo")} input[type=checkbox]`)) {
    const value = await box.getAttribute("value");
    await box.setChecked(algos.includes(value ?? ""));
  }
}

/** Starts a run and waits until it has finished (done, or failed with the page's message). */
async function runToEnd(page: Page, timeout = 60_000): Promise<void> {
  await page.click("#start");
  await page.waitForFunction(() => ["done", "error", "stopped"].includes(document.body.dataset.state ?? ""), null, { timeout });
  const state = await page.evaluate(() => document.body.dataset.state);
  expect(state, (await page.textContent("#error")) ?? "").toBe("done");
}

async function download(page: Page, name: string): Promise<{ text: string; json: unknown }> {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  const path = join(tmp, name);
  await dl.saveAs(path);
  const text = readFileSync(path, "utf8");
  return { text, json: JSON.parse(text) };
}

function cli(args: string[]): unknown {
  const r = spawnSync(process.execPath, ["dist/node/cli.js", "train", "--json", ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** The document without wall-clock fields (every epoch's seconds and samples_per_second). */
function withoutTimes(doc: unknown): unknown {
  return JSON.parse(JSON.stringify(doc), (key, value) => (key === "seconds" || key === "samples_per_second" ? undefined : value));
}

type Run = {
  config: { algo: string };
  history: { train_loss: number; train_accuracy: number; test_accuracy: number; test_loss: number }[];
};

async function cellValue(page: Page, selector: string): Promise<number> {
  const v = await page.getAttribute(selector, "data-value");
  return v === null ? Number.NaN : Number(v);
}

/** Pixels drawn on a canvas (alpha > 0). */
async function ink(page: Page, id: string): Promise<number> {
  return page.$eval(`#${id}`, (c) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    if (d) for (let i = 3; i < d.length; i += 4) if ((d[i] as number) > 0) n++;
    return n;
  });
}

describe("browser playground", () => {
  it("trains bp and dfa on the embedded digits, shows the cost, and downloads what the CLI prints", async () => {
    const { page, errors } = await openPage();
    try {
      // Defaults: the embedded digits, the library's model for them, bp and dfa side by side.
      expect(await page.inputValue(`${field("dataset")} select`)).toBe("digits");
      expect(await page.inputValue(`${field("model")} input`)).toBe("mlp:64-64-10");
      expect(await page.isChecked(`${field("algo")} input[value=bp]`)).toBe(true);
      expect(await page.isChecked(`${field("algo")} input[value=dfa]`)).toBe(true);
      // Before any run: the cost model's estimate, and the device curve.
      expect(await page.getAttribute("#cost-table", "data-source")).toBe("estimate");
      expect(await cellValue(page, '#cost-table td[data-rule="dfa"][data-metric="latency"]')).toBeGreaterThan(0);
      expect(await ink(page, "device-chart")).toBeGreaterThan(2000);
      // The estimate follows the settings: more ADC bits, more area.
      const area = await cellValue(page, '#cost-table td[data-rule="bp"][data-metric="area"]');
      await page.fill(`${field("chip.adc.bits")} input`, "8");
      expect(await cellValue(page, '#cost-table td[data-rule="bp"][data-metric="area"]')).toBeGreaterThan(area);
      await page.fill(`${field("chip.adc.bits")} input`, "6");

      await page.fill(`${field("epochs")} input`, "3");
      await runToEnd(page);
      // `npm run web` serves the page cross-origin isolated: the worker trains on every core (the bits of one, as the CLI compares below).
      expect(await page.textContent("#threads")).toMatch(/^[2-9]\d* kernel threads$/);

      for (const algo of ["bp", "dfa"]) {
        const row = `#runs tr[data-rule="${algo}"]`;
        expect(await page.getAttribute(row, "data-status")).toBe("done");
        expect(await cellValue(page, `${row} td[data-field="epoch"]`)).toBe(3);
        // Chance is 10 %.
        expect(await cellValue(page, `${row} td[data-field="test_accuracy"]`)).toBeGreaterThan(0.2);
      }
      // The cost panel now shows the runs' own counts, as numbers.
      expect(await page.getAttribute("#cost-table", "data-source")).toBe("measured");
      for (const algo of ["bp", "dfa"]) {
        for (const metric of [
          "area",
          "latency",
          "energy",
          "latency.forward",
          "latency.error",
          "latency.gradient",
          "latency.update",
          "energy.update",
        ]) {
          const cell = `#cost-table td[data-rule="${algo}"][data-metric="${metric}"]`;
          expect(await cellValue(page, cell), `${algo} ${metric}`).toBeGreaterThan(0);
          expect(await page.textContent(cell)).toMatch(/^\d[\d.]* \S*(s|J|mm²)$/);
        }
      }
      expect(await cellValue(page, '#cost-table td[data-rule="dfa"][data-metric="speedup"]')).toBeGreaterThan(0);
      expect(await cellValue(page, '#cost-table td[data-rule="dfa"][data-metric="speedup.parallel"]')).toBeGreaterThan(1);
      expect(await page.textContent("#speedup")).toMatch(/dfa: \d+\.\d\d× faster than bp/);
      // The timeline: BP sequential and DFA dfa-parallel, every phase drawn, DFA's error reads on its feedback arrays.
      const titles = await page.$$eval("#timeline svg text[font-weight='bold']", (ts) => ts.map((t) => t.textContent));
      expect(titles).toEqual(expect.arrayContaining(["bp · sequential", "dfa · dfa-parallel"]));
      const phases = await page.$$eval("#timeline rect[data-phase]", (rs) => [...new Set(rs.map((r) => r.getAttribute("data-phase")))]);
      expect(phases.sort()).toEqual(["error", "forward", "gradient", "update"]);
      expect(await page.$$eval("#timeline svg text", (ts) => ts.some((t) => t.textContent === "feedback 1"))).toBe(true);
      for (const id of ["accuracy-chart", "loss-chart", "cost-chart"]) expect(await ink(page, id), id).toBeGreaterThan(2000);

      const shot = join(tmp, "playground.png");
      await page.screenshot({ path: shot, fullPage: true });
      const png = readFileSync(shot);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      if (process.env.CIMLEARN_E2E_SCREENSHOT) writeFileSync(process.env.CIMLEARN_E2E_SCREENSHOT, png);

      const { text, json } = await download(page, "browser.json");
      expect(text).toBe(`${JSON.stringify(json, null, 2)}\n`);
      const browser = json as { runs: Run[] };
      expect(browser.runs.map((r) => r.config.algo)).toEqual(["bp", "dfa"]);

      // Determinism across runtimes: the same settings in Node, through the command line.
      const node = cli(["--algo", "bp,dfa", "--epochs", "3"]) as { runs: Run[] };
      for (const [i, run] of browser.runs.entries()) {
        const other = node.runs[i] as Run;
        for (const key of ["train_loss", "train_accuracy", "test_loss", "test_accuracy"] as const) {
          expect(
            run.history.map((h) => h[key]),
            `${run.config.algo} ${key}`,
          ).toEqual(other.history.map((h) => h[key]));
        }
      }
      // And everything else: config, events, cost — all but the wall-clock times.
      expect(withoutTimes(browser)).toStrictEqual(withoutTimes(node));
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("the paper preset sets Wolters et al.'s study on V2.1's recipe; moving ADC bits changes the outcome, as the CLI computes it", async () => {
    const { page, errors } = await openPage();
    try {
      await page.selectOption(`${field("study")} select`, "paper");
      // The preset's fields, and V2.1's own defaults the update brings (lr 1, WAGE 8/8/5).
      expect(await page.inputValue(`${field("update")} select`)).toBe("neurosim-v21");
      expect(await page.inputValue(`${field("lr")} input`)).toBe("1");
      expect(await page.inputValue(`${field("quant.error")} input`)).toBe("8");
      expect(await page.inputValue(`${field("quant.gradient")} input`)).toBe("5");
      expect(await page.inputValue(`${field("loss")} select`)).toBe("squared-error");
      expect(await page.isChecked(`${field("bias")} input`)).toBe(false);
      expect(await page.inputValue(`${field("periphery.adc")} select`)).toBe("chip");
      for (const algo of ["bp", "fa", "dfa", "drtp"]) expect(await page.isChecked(`${field("algo")} input[value=${algo}]`)).toBe(true);
      await page.fill(`${field("epochs")} input`, "2");
      await setAlgos(page, ["bp", "dfa"]);
      await runToEnd(page);
      const eight = (await download(page, "paper-8.json")).json as { runs: (Run & { config: Record<string, unknown> })[] };
      expect(eight.runs[0]?.config).toMatchObject({
        update: "neurosim-v21",
        lr: 1,
        loss: "squared-error",
        bias: false,
        weightInit: "neurosim",
      });
      // What the page ran is what the CLI runs for the same fields.
      const args = [
        "--algo",
        "bp,dfa",
        "--epochs",
        "2",
        "--model",
        "mlp:64-32-10",
        "--set",
        "update=neurosim-v21",
        "--set",
        "weightInit=neurosim",
      ];
      const same = [
        ...args,
        "--set",
        "loss=squared-error",
        "--set",
        "bias=false",
        "--set",
        "feedback.storage=crossbar",
        "--set",
        "periphery.adc=chip",
      ];
      expect(withoutTimes(eight)).toStrictEqual(withoutTimes(cli([...same, "--set", "chip.adc.bits=8"])));
      // One ADC bit: the training reads lose what they carried, and the accuracies follow.
      await page.fill(`${field("chip.adc.bits")} input`, "1");
      await runToEnd(page);
      const one = (await download(page, "paper-1.json")).json as { runs: Run[] };
      const final = (d: { runs: Run[] }) => d.runs.map((r) => r.history[r.history.length - 1]?.test_accuracy as number);
      expect(final(one)[0]).toBeLessThan((final(eight)[0] as number) - 0.2);
      expect(withoutTimes(one)).toStrictEqual(withoutTimes(cli([...same, "--set", "chip.adc.bits=1"])));
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("shows an invalid setting next to its control with the allowed range, and disables Start", async () => {
    const { page, errors } = await openPage();
    try {
      const adc = `${field("chip.adc.bits")}`;
      expect(await page.isDisabled("#start")).toBe(false);
      for (const bad of ["0", "40"]) {
        await page.fill(`${adc} input`, bad);
        expect(await page.textContent(`${adc} .error`)).toMatch(/ADC bits: 1–10, whole — Too (small|big)/);
        expect(await page.getAttribute(adc, "class")).toContain("invalid");
        expect(await page.isDisabled("#start")).toBe(true);
      }
      await page.fill(`${adc} input`, "6");
      expect(await page.textContent(`${adc} .error`)).toBe("");
      expect(await page.isDisabled("#start")).toBe(false);

      // A field the schema bounds from one side only, a model that does not fit the data, no rule.
      await page.fill(`${field("lr")} input`, "0");
      expect(await page.textContent(`${field("lr")} .error`)).toMatch(/> 0/);
      await page.fill(`${field("lr")} input`, "0.03");
      await page.fill(`${field("model")} input`, "mlp:784-16-10");
      expect(await page.textContent(`${field("model")} .error`)).toMatch(/takes 784 inputs, but dataset "digits" has 64 features/);
      await page.fill(`${field("model")} input`, "mlp:64-16-10");
      await setAlgos(page, []);
      expect(await page.textContent(`${field("algo")} .error`)).toMatch(/at least one/);
      expect(await page.isDisabled("#start")).toBe(true);
      // A schedule the rule cannot run (the cost model's check).
      await setAlgos(page, ["bp"]);
      await page.selectOption(`${field("schedule")} select`, "dfa-parallel");
      expect(await page.textContent(`${field("schedule")} .error`)).toMatch(/dfa-parallel/);
      await setAlgos(page, ["dfa"]);
      expect(await page.textContent(`${field("schedule")} .error`)).toBe("");
      expect(await page.isDisabled("#start")).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("Stop ends a run: the worker stops and the page says so; the next run starts afresh", async () => {
    const { page, errors } = await openPage();
    try {
      await setAlgos(page, ["bp"]);
      await page.fill(`${field("epochs")} input`, "100000");
      await page.click("#start");
      const epoch = '#runs tr[data-rule="bp"] td[data-field="epoch"]';
      await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute("data-value")) >= 2, epoch, { timeout: 20_000 });
      await page.click("#stop");
      expect(await page.evaluate(() => document.body.dataset.state)).toBe("stopped");
      expect(await page.textContent("#status")).toBe("stopped");
      expect(await page.getAttribute('#runs tr[data-rule="bp"]', "data-status")).toBe("stopped");
      const done = await cellValue(page, epoch);
      await page.waitForTimeout(1000);
      expect(await cellValue(page, epoch)).toBe(done);
      expect(await page.isDisabled("#download")).toBe(true);
      expect(await page.isDisabled("#start")).toBe(false);

      await page.fill(`${field("epochs")} input`, "1");
      await runToEnd(page);
      expect(await cellValue(page, epoch)).toBe(1);
      expect(await page.isDisabled("#download")).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("trains on IDX files chosen in the page (gzip handled in the browser) as the CLI does on the same files", async () => {
    // A small MNIST-shaped set: 28×28 images whose bright row is the label.
    const dir = join(tmp, "idx");
    mkdirSync(dir, { recursive: true });
    const images = (n: number, offset: number) => {
      const head = Buffer.alloc(16);
      head.writeUInt32BE(2051, 0);
      head.writeUInt32BE(n, 4);
      head.writeUInt32BE(28, 8);
      head.writeUInt32BE(28, 12);
      const px = Buffer.alloc(n * 784);
      for (let i = 0; i < n; i++) {
        const label = (i + offset) % 10;
        for (let x = 0; x < 28; x++) px[i * 784 + (2 + 2 * label) * 28 + x] = 128 + ((i * 7 + x * 13) % 128);
      }
      return Buffer.concat([head, px]);
    };
    const labels = (n: number, offset: number) => {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(2049, 0);
      head.writeUInt32BE(n, 4);
      return Buffer.concat([head, Buffer.from(Array.from({ length: n }, (_, i) => (i + offset) % 10))]);
    };
    const files = {
      "train-images-idx3-ubyte.gz": gzipSync(images(400, 0)),
      "train-labels-idx1-ubyte.gz": gzipSync(labels(400, 0)),
      "t10k-images-idx3-ubyte": images(100, 3),
      "t10k-labels-idx1-ubyte": labels(100, 3),
    };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);

    const { page, errors } = await openPage();
    try {
      await page.selectOption(`${field("dataset")} select`, "mnist");
      // The dataset's own defaults, and the file picker asks for its files.
      expect(await page.inputValue(`${field("model")} input`)).toBe("mlp:784-256-10");
      expect(await page.textContent(`${field("files")} .error`)).toMatch(/choose the mnist files/);
      expect(await page.isDisabled("#start")).toBe(true);
      await page.setInputFiles(
        `${field("files")} input`,
        Object.keys(files).map((f) => join(dir, f)),
      );
      await page.fill(`${field("model")} input`, "mlp:784-16-10");
      await page.fill(`${field("epochs")} input`, "2");
      await setAlgos(page, ["bp"]);
      await runToEnd(page);
      expect(await cellValue(page, '#runs tr[data-rule="bp"] td[data-field="test_accuracy"]')).toBeGreaterThan(0.2);
      const { json } = await download(page, "idx.json");
      const node = cli(["--dataset", "mnist", "--data-dir", dir, "--model", "mlp:784-16-10", "--epochs", "2", "--algo", "bp"]) as {
        runs: { config: { dataDir?: string } }[];
      };
      for (const run of node.runs) delete run.config.dataDir;
      expect(withoutTimes(json)).toStrictEqual(withoutTimes(node));

      // A file that is not what its name says fails with the reader's message, on the page.
      writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), Buffer.from("not an idx file"));
      await page.setInputFiles(
        `${field("files")} input`,
        Object.keys(files).map((f) => join(dir, f)),
      );
      await page.click("#start");
      await page.waitForFunction(() => document.body.dataset.state === "error", null, { timeout: 20_000 });
      expect(await page.textContent("#error")).toMatch(/t10k-labels-idx1-ubyte/);
      expect(await page.isDisabled("#start")).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("downloads a run's checkpoint (the state `cimlearn train --out` writes), loads it back, and reads the deployed chip as `cimlearn evaluate` does", async () => {
    const { page, errors } = await openPage();
    try {
      await setAlgos(page, ["dfa"]);
      await page.fill(`${field("epochs")} input`, "2");
      await runToEnd(page);
      const row = '#runs tr[data-rule="dfa"]';
      const [dl] = await Promise.all([page.waitForEvent("download"), page.click(`${row} td[data-field="checkpoint"] button`)]);
      const saved = join(tmp, "browser.cimlearn");
      await dl.saveAs(saved);
      const bytes = new Uint8Array(readFileSync(saved));

      // The same settings through the command line: the same state, byte for byte (the header's wall-clock times aside).
      const out = join(tmp, "cli-run");
      const r = spawnSync(process.execPath, ["dist/node/cli.js", "train", "--algo", "dfa", "--epochs", "2", "--out", out], {
        encoding: "utf8",
      });
      expect(r.status, r.stderr).toBe(0);
      const { decodeCheckpoint } = await import("../../src/experiment/checkpoint.js");
      const a = decodeCheckpoint(bytes);
      const b = decodeCheckpoint(new Uint8Array(readFileSync(join(out, "checkpoint.cimlearn"))));
      expect(withoutTimes(a.header)).toStrictEqual(withoutTimes(b.header));
      expect(Buffer.from(a.payload).equals(Buffer.from(b.payload))).toBe(true);

      // Loaded back: the finished run comes back as it ended.
      const accuracy = await cellValue(page, `${row} td[data-field="test_accuracy"]`);
      await page.setInputFiles("#checkpoint-file", saved);
      await page.waitForFunction(() => document.body.dataset.state === "done", null, { timeout: 30_000 });
      expect(await cellValue(page, `${row} td[data-field="epoch"]`)).toBe(2);
      expect(await cellValue(page, `${row} td[data-field="test_accuracy"]`)).toBe(accuracy);
      expect(await page.getAttribute("#cost-table", "data-source")).toBe("measured");

      // Deploy, then infer: the numbers `cimlearn evaluate` prints for the same file and settings.
      await page.fill("#deploy-after", "0, 1y");
      await page.fill("#deploy-nu", "0.05");
      await page.fill("#deploy-nu-std", "0.02");
      await page.fill("#deploy-noise", "0.01");
      await page.click("#deploy-run");
      await page.waitForSelector('#deploy-table td[data-field="test_accuracy"]', { timeout: 30_000 });
      const shown = await page.$$eval('#deploy-table td[data-field="test_accuracy"], #deploy-table td[data-field="test_loss"]', (tds) =>
        tds.map((td) => Number(td.getAttribute("data-value"))),
      );
      const ev = spawnSync(
        process.execPath,
        [
          "dist/node/cli.js",
          "evaluate",
          saved,
          "--after",
          "0,1y",
          "--drift-nu",
          "0.05",
          "--drift-nu-std",
          "0.02",
          "--read-noise",
          "0.01",
          "--json",
        ],
        { encoding: "utf8" },
      );
      expect(ev.status, ev.stderr).toBe(0);
      const node = (JSON.parse(ev.stdout) as { evaluations: { test_accuracy: number; test_loss: number }[] }).evaluations;
      expect(shown).toEqual(node.flatMap((e) => [e.test_accuracy, e.test_loss]));
      expect((node[1] as { test_accuracy: number }).test_accuracy).toBeLessThan((node[0] as { test_accuracy: number }).test_accuracy);

      // A file that is not a checkpoint: one clear line, nothing else changes.
      const junk = join(tmp, "junk.cimlearn");
      writeFileSync(junk, "not a checkpoint");
      await page.setInputFiles("#checkpoint-file", junk);
      await page.waitForFunction(() => !(document.getElementById("error") as HTMLElement).hidden);
      expect(await page.textContent("#error")).toMatch(/junk\.cimlearn: checkpoint: not a cimlearn checkpoint/);
      expect(await page.evaluate(() => document.body.dataset.state)).toBe("done");
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
