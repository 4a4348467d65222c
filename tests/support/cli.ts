import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

/**
 * Runs `revintel` as a child process on its own embedded database, the way an operator would.
 * Only our variables pass through: vitest exports BASE_URL and NODE_ENV for Vite, and the test
 * database settings would point the CLI elsewhere.
 */
export function cliRunner(name: string, timeout = 120_000) {
  const dataDir = mkdtempSync(join(tmpdir(), `revintel-${name}-`));
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("DATABASE_") && !["NODE_ENV", "BASE_URL", "PORT"].includes(k),
    ),
  );
  return {
    dataDir,
    run(args: string[], env: Record<string, string> = {}) {
      const result = spawnSync(process.execPath, [join(root, "bin/revintel.js"), ...args], {
        cwd: root,
        env: { ...clean, DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env },
        encoding: "utf8",
        timeout,
      });
      return { code: result.status, out: result.stdout, err: result.stderr };
    },
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
