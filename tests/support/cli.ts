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
    /**
     * The same command through the CLI's `main` in this process: the same parsing, validation,
     * exit code and output, without a Node start per call. For the tables of flag and input cases;
     * what depends on being a process of its own (startup, signals, a terminal) keeps `run`.
     */
    async inProcess(args: string[], env: Record<string, string> = {}) {
      const { main } = await import("../../src/cli/main.ts");
      const saved = process.env;
      process.env = { ...clean, DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env };
      let out = "";
      let err = "";
      const writes = { out: process.stdout.write, err: process.stderr.write };
      process.stdout.write = ((chunk: string | Uint8Array) => {
        out += String(chunk);
        return true;
      }) as typeof process.stdout.write;
      process.stderr.write = ((chunk: string | Uint8Array) => {
        err += String(chunk);
        return true;
      }) as typeof process.stderr.write;
      try {
        return { code: await main(args), out, err };
      } finally {
        process.stdout.write = writes.out;
        process.stderr.write = writes.err;
        process.env = saved;
      }
    },
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
