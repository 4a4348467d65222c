/**
 * The embedded database's backup file: a one-line magic, a one-line JSON header, then PGlite's
 * gzipped data-directory tarball. pg_dump's custom format starts with "PGDMP" instead, which is how
 * `restore` tells the two apart.
 */
export const PGLITE_MAGIC = "REVINTEL-PGLITE-BACKUP 1\n";
export const PG_DUMP_MAGIC = "PGDMP";

export interface PgliteBackupHeader {
  createdAt: string;
  /** `server_version` of the embedded engine: a data directory only loads into the same major version. */
  postgresVersion: string;
  migrations: number;
  compression: "gzip";
}

export function encodePgliteBackup(header: PgliteBackupHeader, tarball: Uint8Array): Buffer {
  return Buffer.concat([
    Buffer.from(PGLITE_MAGIC, "utf8"),
    Buffer.from(`${JSON.stringify(header)}\n`, "utf8"),
    tarball,
  ]);
}

export type BackupKind = "postgres" | "pglite" | "unknown";

export function detectKind(head: Buffer): BackupKind {
  if (head.subarray(0, PG_DUMP_MAGIC.length).toString("latin1") === PG_DUMP_MAGIC) return "postgres";
  if (head.subarray(0, PGLITE_MAGIC.length).toString("utf8") === PGLITE_MAGIC) return "pglite";
  return "unknown";
}

/** Split an embedded backup into its header and tarball; throws on a truncated or foreign file. */
export function decodePgliteBackup(file: Buffer): {
  header: PgliteBackupHeader;
  tarball: Uint8Array<ArrayBuffer>;
} {
  if (detectKind(file) !== "pglite") throw new Error("not an embedded-database backup");
  const start = PGLITE_MAGIC.length;
  const end = file.indexOf(0x0a, start);
  if (end < 0) throw new Error("truncated backup: no header line");
  const header = JSON.parse(file.subarray(start, end).toString("utf8")) as PgliteBackupHeader;
  // A copy on a plain ArrayBuffer (Blob parts cannot be views of a shared pool buffer).
  const tarball = new Uint8Array(file.subarray(end + 1));
  // gzip magic 1f 8b: a cut-off or edited file fails here rather than inside the engine.
  if (tarball.length < 2 || tarball[0] !== 0x1f || tarball[1] !== 0x8b)
    throw new Error("truncated or damaged backup: the data archive is not gzip");
  return { header, tarball };
}
