import { defineConfig } from "vitest/config";
import { engineDependentFiles, listTestFiles, OWN_MODULE_FILES } from "./tests/support/engine-files.ts";

// One suite, two engines: embedded PGlite by default; Postgres when TEST_DATABASE_URL is set
// (each test file gets its own database cloned from a migrated template).
const root = import.meta.dirname;
const testDirs = ["src", "tests/integration"];
const all = ["src/**/*.test.ts", "src/**/*.test.tsx", "tests/integration/**/*.test.ts"];

// On Postgres only the files that reach the test database run (tests/support/engine-files.ts): the
// others would run the same code twice for the same answer. TEST_ALL_FILES=1 runs every file.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL) && process.env.TEST_ALL_FILES !== "1";
const include = onPostgres
  ? engineDependentFiles(root, listTestFiles(root, testDirs, [".test.ts", ".test.tsx"]))
  : all;

// Files share their worker's loaded modules (each still gets its own database), which saves loading
// the app and the database engine once per file; files that replace a module keep their own.
const ownModules = [...OWN_MODULE_FILES];

export default defineConfig({
  test: {
    globalSetup: ["./tests/support/global-setup.ts"],
    setupFiles: ["./tests/support/per-file.ts"],
    // Generous: property and fuzz suites do thousands of requests on a 2-core machine; speed is measured in bench/.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: process.env.CI ? 2 : undefined,
    projects: [
      {
        extends: true,
        test: { name: "shared", include, exclude: ["**/node_modules/**", ...ownModules], isolate: false },
      },
      {
        extends: true,
        test: {
          name: "own-modules",
          include: onPostgres ? ownModules.filter((file) => include.includes(file)) : ownModules,
          isolate: true,
        },
      },
    ],
  },
});
