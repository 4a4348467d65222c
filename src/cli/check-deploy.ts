import type { Command } from "commander";
import { countDemoUsers } from "../auth/index.ts";
import { deployChecks } from "../config/check-deploy.ts";
import { rawEnvironment } from "../config/process-env.ts";
import { openDatabase } from "../db/client.ts";
import { fail, printJson } from "./run.ts";

async function readDemoUsers(env: Record<string, string | undefined>): Promise<number | null> {
  if (!env.DATABASE_URL || !/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) return null;
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, poolSize: 1 });
  try {
    return await countDemoUsers({ db: database.db });
  } catch {
    return null;
  } finally {
    await database.close();
  }
}

export function registerCheckDeploy(program: Command): void {
  program
    .command("check-deploy")
    .description("production readiness checklist; exit 1 naming each failure")
    .option("--json", "print the checks as JSON")
    .action(async (opts: { json?: boolean }) => {
      const env = rawEnvironment();
      const checks = deployChecks(env, await readDemoUsers(env));
      const failed = checks.filter((c) => !c.ok);
      if (opts.json) printJson({ ok: failed.length === 0, checks });
      else
        for (const c of checks) process.stdout.write(`${c.ok ? "ok  " : "FAIL"}  ${c.name}: ${c.message}\n`);
      if (failed.length > 0)
        fail(`check-deploy: ${failed.length} failed: ${failed.map((c) => c.name).join(", ")}`);
    });
}
