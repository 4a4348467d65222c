import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { open, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { AppContext } from "../context.ts";
import { appliedMigrations } from "../db/migrate.ts";
import { queryOne } from "../db/sql.ts";
import { AppError } from "../shared/errors.ts";
import { countUserRelations, describeUrl, libpqTarget, runTool } from "./pg-tools.ts";
import { type BackupKind, decodePgliteBackup, detectKind, encodePgliteBackup } from "./pglite-archive.ts";

export class BackupError extends AppError {}

export interface BackupResult {
  format: "postgres" | "pglite";
  file: string;
  bytes: number;
}

/**
 * Back up the primary database to `outFile`: `pg_dump --format=custom` on PostgreSQL, a dump of the
 * embedded data directory otherwise. Written to `<file>.partial` and renamed, so a failed run never
 * leaves a file that looks complete.
 */
export async function backupDatabase(
  ctx: AppContext,
  outFile: string,
  options: { overwrite?: boolean } = {},
): Promise<BackupResult> {
  if (existsSync(outFile) && !options.overwrite)
    throw new BackupError("backup.exists", `${outFile} already exists (use --force to overwrite)`, 400);
  const partial = `${outFile}.partial`;
  rmSync(partial, { force: true });
  try {
    if (ctx.database.kind === "postgres") {
      // The pool's own connection string: exactly the database this process is connected to.
      const url = ctx.database.pool?.options.connectionString ?? ctx.config.databaseUrl;
      if (!url) throw new BackupError("backup.no_url", "DATABASE_URL is not set", 400);
      const { dbname, env } = libpqTarget(url);
      await runTool("pg_dump", ["--format=custom", `--file=${partial}`, `--dbname=${dbname}`], env);
    } else {
      const pglite = ctx.database.pglite;
      if (!pglite) throw new BackupError("backup.no_engine", "the embedded engine is not open", 500);
      const version = await queryOne<{ v: string }>(
        ctx.db,
        sql`SELECT current_setting('server_version') AS v`,
      );
      const migrations = await appliedMigrations(ctx.database);
      // PGlite runs one statement at a time, so the dump is taken between transactions: consistent.
      // A checkpoint first, so the restored copy starts clean instead of replaying WAL (which would also
      // advance every sequence by its pre-logged 32 values).
      await pglite.exec("CHECKPOINT");
      const tarball = new Uint8Array(await (await pglite.dumpDataDir("gzip")).arrayBuffer());
      const header = {
        createdAt: ctx.clock.now().toISOString(),
        postgresVersion: version?.v ?? "unknown",
        migrations,
        compression: "gzip" as const,
      };
      await writeFile(partial, encodePgliteBackup(header, tarball));
    }
    renameSync(partial, outFile);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err instanceof AppError ? err : new BackupError("backup.failed", errorMessage(err), 500);
  }
  return { format: ctx.database.kind, file: outFile, bytes: statSync(outFile).size };
}

export async function readBackupKind(file: string): Promise<BackupKind> {
  if (!existsSync(file)) throw new BackupError("backup.missing", `${file}: no such file`, 400);
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return detectKind(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

export interface RestoreTarget {
  /** PostgreSQL target (pg_dump backups). */
  databaseUrl?: string;
  /** Embedded target directory (embedded backups). */
  dataDir: string;
}

export interface RestoreResult {
  format: "postgres" | "pglite";
  target: string;
}

/** Restore a backup into an EMPTY database; refuses (exit 1) a database that already holds tables. */
export async function restoreBackup(file: string, target: RestoreTarget): Promise<RestoreResult> {
  const kind = await readBackupKind(file);
  if (kind === "unknown")
    throw new BackupError(
      "backup.unknown_format",
      `${file} is not a revintel backup (neither pg_dump custom format nor an embedded-database backup)`,
      400,
    );
  if (kind === "postgres") {
    if (!target.databaseUrl)
      throw new BackupError(
        "backup.format_mismatch",
        "this is a PostgreSQL backup (pg_dump): set DATABASE_URL to an empty PostgreSQL database",
        400,
      );
    const where = describeUrl(target.databaseUrl);
    const relations = await countUserRelations(target.databaseUrl);
    if (relations > 0) throw notEmpty(`${where} has ${relations} table(s)/sequence(s)`);
    const { dbname, env } = libpqTarget(target.databaseUrl);
    await runTool(
      "pg_restore",
      ["--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", `--dbname=${dbname}`, file],
      env,
    ).catch((err: unknown) => {
      throw new BackupError("backup.restore_failed", errorMessage(err), 500);
    });
    return { format: "postgres", target: where };
  }
  if (target.databaseUrl)
    throw new BackupError(
      "backup.format_mismatch",
      "this is an embedded-database backup: unset DATABASE_URL and point DATA_DIR at an empty directory",
      400,
    );
  const dir = target.dataDir;
  if (dir.startsWith("memory://"))
    throw new BackupError("backup.bad_target", "DATA_DIR must be a directory, not memory://", 400);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw notEmpty(`DATA_DIR ${dir} is not empty`);
  let decoded: ReturnType<typeof decodePgliteBackup>;
  try {
    decoded = decodePgliteBackup(await readFile(file));
  } catch (err) {
    throw new BackupError("backup.damaged", `${file}: ${errorMessage(err)}`, 400);
  }
  try {
    const pglite = await PGlite.create(dir, { loadDataDir: new Blob([decoded.tarball]) });
    await pglite.close();
  } catch (err) {
    // The directory was empty before: clear the partial copy so the next attempt is not refused.
    for (const entry of existsSync(dir) ? readdirSync(dir) : [])
      rmSync(join(dir, entry), { recursive: true, force: true });
    throw new BackupError("backup.restore_failed", `${file}: ${errorMessage(err)}`, 500);
  }
  return { format: "pglite", target: `embedded (${dir})` };
}

function notEmpty(detail: string): BackupError {
  return new BackupError(
    "backup.target_not_empty",
    `refusing to restore: ${detail}; restore only into an empty database`,
    409,
  );
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
