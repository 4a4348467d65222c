import { defineConfig } from "vitest/config";

// Browser suite: a real server in-process and Debian's Chromium (CHROMIUM_PATH) through playwright-core.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    // The migrated templates, and the shop every file serves seeded once (copied per file).
    globalSetup: ["./tests/e2e/support/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: "forks",
    // Two files at once: each runs its own server and browser, and one file leaves a core partly idle
    // (the browser waits on the server and back); two cores run two files in about 0.7 of the time.
    maxWorkers: 2,
    // Files share their worker's loaded modules (each still starts its own server, database and
    // browser), which saves loading the app once per file, as the unit suite does.
    isolate: false,
  },
});
