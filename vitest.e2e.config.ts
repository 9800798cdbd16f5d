import { defineConfig } from "vitest/config";

// The browser end-to-end tests (npm run test:e2e): the built playground in headless Chromium.
// Kept out of the main suite (vitest.config.ts includes only test/**/*.test.ts).
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    // One browser at a time on two cores.
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
