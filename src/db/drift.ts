import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { childProcessEnv } from "../config/process-env.ts";
import { MIGRATIONS_FOLDER } from "./migrate.ts";

export interface DriftResult {
  drift: boolean;
  newFiles: string[];
}

/**
 * drizzle-kit has no drift check of its own, so: copy the committed migrations to a scratch folder,
 * generate into it from the current schema, and see whether anything new appeared. drizzle-kit
 * exits 0 even when it fails, so its output must say one of the two outcomes or the check fails.
 */
export function checkDrift(projectRoot = resolve(MIGRATIONS_FOLDER, "..")): DriftResult {
  // drizzle-kit only accepts an output folder relative to the project.
  const scratch = join(projectRoot, ".tmp", `drift-${process.pid}-${Date.now()}`);
  mkdirSync(scratch, { recursive: true });
  try {
    cpSync(MIGRATIONS_FOLDER, scratch, { recursive: true });
    const before = new Set(readdirSync(scratch));
    const output = execFileSync(join(projectRoot, "node_modules", ".bin", "drizzle-kit"), ["generate"], {
      cwd: projectRoot,
      env: childProcessEnv({ DRIZZLE_OUT: relative(projectRoot, scratch) }),
      stdio: "pipe",
      encoding: "utf8",
    });
    const newFiles = readdirSync(scratch).filter((f) => f.endsWith(".sql") && !before.has(f));
    if (newFiles.length === 0 && !/No schema changes/i.test(output)) {
      throw new Error(
        `drift check could not run drizzle-kit: ${output.trim().split("\n").slice(-3).join(" ")}`,
      );
    }
    return { drift: newFiles.length > 0, newFiles };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
