import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Two cores: one worker keeps the statistical and matrix tests from starving each other.
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
