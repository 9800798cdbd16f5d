import { defineConfig } from "vitest/config";

// The suite Stryker runs against each mutant of src/cost (stryker.cost.config.json): the cost model's
// own tests, which check it against DNN+NeuroSim V2.1's printed numbers and closed forms. Training
// tests also reach src/cost (every run is priced), but at seconds per mutant on two cores; a cost
// mutant only they would kill counts here as surviving.
export default defineConfig({
  test: {
    include: [
      "test/cost.test.ts",
      "test/cost-circuits-*.test.ts",
      "test/cost-grid.test.ts",
      "test/cost-accounting.test.ts",
      "test/cost-presentation.test.ts",
      "test/cost-update-estimate.test.ts",
      "test/schedule.test.ts",
      "test/chip.test.ts",
    ],
    testTimeout: 120_000,
  },
});
