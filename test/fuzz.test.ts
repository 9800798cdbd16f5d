import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applySet } from "../src/cli/config-file.js";
import { InputError } from "../src/engine/errors.js";
import { resolveRunConfig, runConfigSchema } from "../src/experiment/config.js";
import { checkResources } from "../src/experiment/resources.js";

// Property-based: whatever a config or a command line holds, the answer is a run or one short line
// naming what is wrong — never a stack trace, an echo of the input, a polluted prototype or a
// minute of silence. Fixed seeds and bounded case counts: the same cases in every CI run.

const KEYS = Object.keys((runConfigSchema as unknown as { _zod: { def: { shape: Record<string, unknown> } } })._zod.def.shape);

/** Values a config field can be given: plausible, absurd, huge, nested. */
const value = fc.oneof(
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.double({ noNaN: false }),
  // 0 and Infinity on purpose: what JSON gives for 1e-400 and 1e400.
  fc.constantFrom(0, -1, 0, Number.POSITIVE_INFINITY, Number.NaN, 0.5, 4096, 2 ** 53),
  fc.string({ maxLength: 30 }),
  fc.constantFrom("bp", "dfa", "fefet-v21", "mlp:64-32-10", "cnn:1x8x8-c4-fc10", "vgg8", "digits", "x".repeat(100_000)),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 4 }),
  fc.dictionary(
    fc.constantFrom("preset", "c2c", "bits", "adc", "rows", "__proto__", "x"),
    fc.oneof(fc.integer(), fc.string({ maxLength: 8 })),
    {
      maxKeys: 3,
    },
  ),
);

const config = fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 })), value, { maxKeys: 6 });

function checkError(error: unknown): void {
  expect(error).toBeInstanceOf(InputError);
  const message = (error as Error).message;
  expect(message).not.toContain("\n");
  expect(message.length).toBeLessThan(1500);
  // Names a field, a flag or the config.
  expect(message).toMatch(/[\w.\]-]+:|config|--[\w-]+/);
}

describe("fuzz", () => {
  it("any config object resolves (and is sized) or fails with one short InputError naming the field, fast", () => {
    let failed = 0;
    let resolved = 0;
    fc.assert(
      fc.property(config, (c) => {
        const t = performance.now();
        try {
          checkResources(resolveRunConfig(c));
          resolved++;
        } catch (error) {
          failed++;
          checkError(error);
        }
        expect(performance.now() - t).toBeLessThan(1000);
      }),
      { seed: 20261206, numRuns: 600 },
    );
    console.log(`config fuzz: ${resolved} resolved, ${failed} refused with one line`);
    expect(failed).toBeGreaterThan(100);
  });

  it("any --set assignment sets a config field or fails with one line; Object.prototype is never touched", () => {
    const segment = fc.oneof(
      fc.constantFrom(...KEYS, "__proto__", "constructor", "prototype", "adc", "bits", "", "device"),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 20 }), (path, raw) => {
        const target: Record<string, unknown> = {};
        try {
          applySet(target, `${path.join(".")}=${raw}`);
        } catch (error) {
          checkError(error);
        }
        expect(Object.keys(Object.prototype)).toEqual([]);
        expect(({} as Record<string, unknown>).lr).toBeUndefined();
      }),
      { seed: 20261206, numRuns: 1000 },
    );
  });

  it("the command line: bad flag values exit with code 2 and one bounded line, in under a second", () => {
    const flags = ["--epochs", "--batch", "--lr", "--seed", "--train-samples", "--model", "--algo", "--device", "--dataset", "--set"];
    const bad = fc.oneof(
      fc.constantFrom("-1", "0x10", "1e-400", "1e999", "NaN", "", " ", "abc", "1.5", "__proto__.lr=5", "x".repeat(5000), "0", "-0.0"),
      fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/^\d+$/.test(s) && !s.startsWith("-")),
    );
    const samples = fc.sample(fc.tuple(fc.constantFrom(...flags), bad), { seed: 20261206, numRuns: 30 });
    let cases = 0;
    for (const [flag, v] of samples) {
      const t = performance.now();
      const r = spawnSync(process.execPath, ["dist/node/cli.js", "train", flag, v, "--epochs", flag === "--epochs" ? v : "1"], {
        encoding: "utf8",
        timeout: 20_000,
      });
      const ms = performance.now() - t;
      // A value that happens to be valid for its flag (a model name, "1.5" as lr) trains: exit 0.
      if (r.status === 0) continue;
      cases++;
      expect(r.status, `${flag} ${v.slice(0, 40)}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
      expect(r.stderr.length).toBeLessThan(1500);
      // Refused before any work: well under the run's own time (generous for a loaded machine; node's start included).
      expect(ms, `${flag} ${v.slice(0, 40)}`).toBeLessThan(10_000);
    }
    console.log(`command-line fuzz: ${cases} of ${samples.length} refused with one line`);
    expect(cases).toBeGreaterThan(20);
  }, 120_000);
});
