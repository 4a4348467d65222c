import { defineConfig } from "vitest/config";

// Browser suite: a real server in-process and Debian's Chromium (CHROMIUM_PATH) through playwright-core.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["./tests/support/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: "forks",
    // Two files at once: each runs its own server and browser, and one file leaves a core partly idle
    // (the browser waits on the server and back); two cores run two files in about 0.7 of the time.
    maxWorkers: 2,
  },
});
