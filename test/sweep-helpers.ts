// Sweep test fixtures: the worker script bundled from the current source (as scripts/build.mjs does
// for dist/node), and tiny sweeps on the embedded digits.

import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

/**
 * Bundles src/experiment/sweep-worker.ts into build/test-worker-<pid>-<n>/ (two levels below the
 * repository, so the engine finds build/cimlearn.wasm as it does from dist/node). Returns its URL
 * and a function that removes it.
 */
export async function bundleWorker(): Promise<{ url: URL; remove: () => void }> {
  const dir = join(process.cwd(), "build", `test-worker-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "sweep-worker.js");
  await build({
    entryPoints: ["src/experiment/sweep-worker.ts"],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    outfile: file,
    logLevel: "warning",
  });
  return { url: pathToFileURL(file), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A small sweep on digits: `points` points × `repeats`, each run about 0.1 s. */
export function tinySweep(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "tiny",
    base: { model: "mlp:64-16-10", dataset: "digits", epochs: 1, device: "ideal", trainSamples: 400 },
    axes: [
      { path: "algo", values: ["bp", "dfa"] },
      { path: "device.c2c", values: [0, 0.01] },
    ],
    repeats: 2,
    ...overrides,
  };
}
