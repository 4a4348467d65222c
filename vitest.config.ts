import { defineConfig } from "vitest/config";

// One suite, two engines: embedded PGlite by default; Postgres when TEST_DATABASE_URL is set
// (each test file gets its own database cloned from a migrated template).
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx", "tests/integration/**/*.test.ts"],
    globalSetup: ["./tests/support/global-setup.ts"],
    // Generous: property and fuzz suites do thousands of requests on a 2-core machine; speed is measured in bench/.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: process.env.CI ? 2 : undefined,
  },
});
