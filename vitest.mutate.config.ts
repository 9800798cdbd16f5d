import { defineConfig } from "vitest/config";

// The suite Stryker runs against each mutant (npm run mutate): the tests of src/ itself. Tests that
// drive the built bundles, the CLI as a process, other runtimes or worker bundles see none of a
// mutant in src/ (they run dist/), so they are left out here; `npm test` runs everything. Also left
// out, for time (each surviving mutant runs every test that covers it, seconds each on two cores):
// the statistical comparison with MLP+NeuroSim (18 s, 3-point tolerance), the kernel threads' tests
// (they compare thread counts with each other, which a mutant of src/ changes alike) and the
// assembly linter (it reads no src/).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [
      "test/bundle.test.ts",
      "test/cli.test.ts",
      "test/cost-cli.test.ts",
      "test/cost-grid.test.ts",
      "test/devices-cli.test.ts",
      "test/fuzz.test.ts",
      "test/hardening-fs.test.ts",
      "test/hardening.test.ts",
      "test/lint-assembly.test.ts",
      "test/mlp-neurosim.test.ts",
      "test/package.test.ts",
      "test/relaxed-simd.test.ts",
      "test/report.test.ts",
      "test/runtimes.test.ts",
      "test/sweep-queue.test.ts",
      "test/sweep-run.test.ts",
      "test/sweep-shard.test.ts",
      "test/tables.test.ts",
      "test/threads.test.ts",
      "test/train-cli.test.ts",
    ],
    testTimeout: 120_000,
  },
});
