import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { openDatabase } from "../../src/db/client.ts";
import { migrate } from "../../src/db/migrate.ts";
import { templateName } from "./postgres-template.ts";

/**
 * The migrated embedded database as a data-directory dump, built once and loaded by every test
 * file. Starting PGlite from a dump skips initdb (a second engine started inside `create`) and the
 * migrations, the bulk of a fresh database's cost. The file name carries the migrations' hash and
 * the engine's version, so a stale dump is never loaded.
 */
export function pgliteTemplatePath(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@electric-sql/pglite");
  const pkg = JSON.parse(readFileSync(join(dirname(entry), "..", "package.json"), "utf8")) as {
    version: string;
  };
  return join(tmpdir(), `${templateName()}_pglite_${pkg.version}.tar`);
}

/** Build the dump unless it exists; returns its path. Concurrent builders each write a whole file. */
export async function ensurePgliteTemplate(): Promise<string> {
  const path = pgliteTemplatePath();
  if (existsSync(path)) return path;
  const database = await openDatabase({ dataDir: "memory://" });
  try {
    await migrate(database);
    await writeDump(database.pglite!, path);
  } finally {
    await database.close();
  }
  return path;
}

/** `pglite`'s data directory as a dump at `path`, written whole (a temporary name, then renamed). */
export async function writeDump(pglite: PGlite, path: string): Promise<void> {
  // A checkpoint first: a database loaded from the dump then starts without replaying the WAL.
  await pglite.exec("CHECKPOINT");
  const dump = await pglite.dumpDataDir("none");
  const partial = `${path}.${randomBytes(4).toString("hex")}`;
  writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
  renameSync(partial, path);
}

/** The dump's bytes, read once per process. */
let cached: Blob | undefined;
export async function pgliteTemplate(): Promise<Blob> {
  cached ??= new Blob([readFileSync(await ensurePgliteTemplate())]);
  return cached;
}
