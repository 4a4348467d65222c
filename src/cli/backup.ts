import { statSync } from "node:fs";
import type { Command } from "commander";
import { z } from "zod";
import { openDatabase } from "../db/client.ts";
import { appliedMigrations, journalEntries } from "../db/migrate.ts";
import { backupDatabase, restoreBackup } from "../ops/backup.ts";
import { fingerprintDatabase } from "../ops/fingerprint.ts";
import { createProgress, watchProgress } from "./progress.ts";
import { EXIT_FAILURE, fail, loadCliConfig, parseFlags, printJson, withContext } from "./run.ts";

const backupFlags = z.object({
  out: z.string().min(1),
  force: z.boolean().optional(),
  json: z.boolean().optional(),
});

export function registerBackup(program: Command): void {
  program
    .command("backup")
    .description(
      "back up the database: pg_dump custom format on PostgreSQL, a data-directory dump when embedded",
    )
    .requiredOption("--out <file>", "where to write the backup")
    .option("--force", "overwrite an existing file")
    .option("--json", "print the result as JSON")
    .action(async (raw) => {
      const flags = parseFlags(backupFlags, raw);
      await withContext(async (ctx) => {
        // The dump is written to <out>.partial, then renamed: its size so far is the progress.
        const progress = createProgress({ title: "backup", unit: "bytes", json: flags.json });
        const result = await watchProgress(
          progress,
          () => fileSize(`${flags.out}.partial`),
          backupDatabase(ctx, flags.out, { overwrite: flags.force }),
        );
        progress.update(result.bytes);
        progress.finish(`written to ${result.file}`);
        if (flags.json) printJson(result);
        else
          process.stdout.write(`backup written: ${result.file} (${result.format}, ${result.bytes} bytes)\n`);
      });
    });

  program
    .command("restore")
    .description(
      "restore a backup into an EMPTY database (DATABASE_URL, or an empty DATA_DIR), then verify it",
    )
    .argument("<file>", "a file written by `revintel backup`")
    .option("--json", "print the result as JSON")
    .action(async (file: string, opts: { json?: boolean }) => {
      const config = loadCliConfig();
      // Restoring reports nothing until it is done: the backup's size and the elapsed time show it works.
      const progress = createProgress({ title: "restore", json: opts.json });
      progress.update(0, `restoring a ${(fileSize(file) / 1_048_576).toFixed(1)} MB backup`);
      const restored = await watchProgress(
        progress,
        () => 0,
        restoreBackup(file, { databaseUrl: config.databaseUrl, dataDir: config.dataDir }),
      );
      progress.finish("restored; verifying");
      const database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        poolSize: 2,
      });
      try {
        const print = await fingerprintDatabase(database.db);
        const migrations = { applied: await appliedMigrations(database), committed: journalEntries() };
        const tables = Object.keys(print.tables).length;
        const rows = Object.values(print.tables).reduce((sum, t) => sum + t.rows, 0);
        if (opts.json) printJson({ ...restored, tables, rows, migrations, audit: print.audit });
        else
          process.stdout.write(
            `restored ${restored.format} backup into ${restored.target}: ${tables} tables, ${rows} rows; ` +
              `migrations ${migrations.applied}/${migrations.committed}; audit chain ${print.audit.ok ? "ok" : "BROKEN"} ` +
              `(${print.audit.rows} events, last hash ${print.audit.lastHash ?? "none"})\n`,
          );
        if (!print.audit.ok) fail("restore: the restored audit chain does not verify", EXIT_FAILURE);
        if (migrations.applied < migrations.committed)
          process.stderr.write("note: the backup predates some migrations; run `revintel migrate` next\n");
      } finally {
        await database.close();
      }
    });
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // not written yet, or not there (the command reports that itself)
  }
}
