import type { Command } from "commander";
import { checkDrift } from "../db/drift.ts";
import { migrate } from "../db/migrate.ts";
import { EXIT_FAILURE, fail, printJson, withContext } from "./run.ts";

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("apply committed migrations; --check fails when the schema has changes with no migration")
    .option("--check", "drift gate: exit 1 if the Drizzle schema differs from the committed migrations")
    .option("--json", "print the result as JSON")
    .action(async (opts: { check?: boolean; json?: boolean }) => {
      if (opts.check) {
        const result = checkDrift();
        if (opts.json) printJson(result);
        if (result.drift) {
          fail(
            `schema drift: the schema has changes with no migration (run \`npm run db:generate\`); would create ${result.newFiles.join(", ")}`,
            EXIT_FAILURE,
          );
        }
        if (!opts.json) process.stdout.write("migrations match the schema (no drift)\n");
        return;
      }
      await withContext(async (ctx) => {
        const result = await migrate(ctx.database);
        if (opts.json) printJson({ ...result, database: ctx.database.label });
        else
          process.stdout.write(
            `applied ${result.applied} migration(s); ${result.total} in total on ${ctx.database.label}\n`,
          );
      });
    });
}
