import { defineConfig } from "vitest/config";

// Slow reliability suites (child processes, kills, several replicas): `npm run test:soak`.
// They need real Postgres (TEST_DATABASE_URL) and skip themselves without it.
export default defineConfig({
  test: {
    include: ["tests/soak/**/*.test.ts"],
    globalSetup: ["./tests/support/global-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: "forks",
    // One file at a time: each one already runs several processes on a 2-core budget.
    fileParallelism: false,
  },
});
