import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { onPostgres } from "../../tests/support/db.ts";
import { DOC_PERIOD, loadDocExample } from "../../tests/support/doc-example.ts";
import { buildSnapshots, computeKpis, computeKpisRaw, type Kpis } from "../analytics/index.ts";
import { audit, cliActor, verifyAuditChain } from "../audit/index.ts";
import { createUser, setUserRole } from "../auth/index.ts";
import { exitCodeFor } from "../cli/run.ts";
import { type Database, openDatabase } from "../db/client.ts";
import { backupDatabase, restoreBackup } from "./backup.ts";
import { type DatabaseFingerprint, fingerprintDatabase } from "./fingerprint.ts";
import { encodePgliteBackup } from "./pglite-archive.ts";

let ctx: TestContext;
let work: string;
let backupFile: string;
let original: DatabaseFingerprint;
let restored: Database;
let kpisBefore: { raw: Kpis; snapshots: Kpis };
const cleanups: Array<() => Promise<void>> = [];

/** An empty database to restore into: a fresh PostgreSQL database, or an unused DATA_DIR. */
async function emptyTarget(): Promise<{ databaseUrl?: string; dataDir: string }> {
  if (!onPostgres) return { dataDir: join(work, `data-${randomBytes(3).toString("hex")}`) };
  const url = new URL(process.env.TEST_DATABASE_URL!);
  const name = `revintel_t_restore_${randomBytes(4).toString("hex")}`;
  const adminUrl = url.toString();
  const admin = async (q: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(q).finally(() => client.end());
  };
  await admin(`CREATE DATABASE "${name}" TEMPLATE template0`);
  cleanups.push(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  url.pathname = `/${name}`;
  return { databaseUrl: url.toString(), dataDir: join(work, "unused") };
}

beforeAll(async () => {
  ctx = await createTestContext();
  work = mkdtempSync(join(tmpdir(), "revintel-backup-"));
  backupFile = join(work, "backup.dump");
  // Data through the services: 3 users (3 audit events), one role change (1 more), 2 direct events.
  for (const role of ["admin", "analyst", "ops"] as const)
    await createUser(
      ctx,
      { email: `${role}@example.test`, password: "correct horse battery", role },
      cliActor,
    );
  await setUserRole(ctx, { userId: 3, role: "analyst" }, cliActor);
  await audit(ctx.db, cliActor, "test.backup", { type: "x", id: 1 }, { amount: 1250 }, null, ctx.clock.now());
  await audit(ctx.db, cliActor, "test.backup", { type: "x", id: 2 }, { amount: -300 }, null, ctx.clock.now());
  // Ledger, orders and subscriptions of the KPI definitions' worked example, then snapshots (audited).
  await loadDocExample(ctx.db);
  await buildSnapshots(ctx, { from: "2026-02-01", to: "2026-04-30", timezone: "UTC" }, cliActor);
  original = await fingerprintDatabase(ctx.db);
  kpisBefore = {
    raw: await computeKpisRaw(ctx, DOC_PERIOD),
    snapshots: await computeKpis(ctx, DOC_PERIOD),
  };
}, 120_000);

afterAll(async () => {
  await restored?.close();
  await ctx.destroy();
  for (const c of cleanups) await c();
  rmSync(work, { recursive: true, force: true });
});

describe("backup and restore", () => {
  it("round-trips every table, sequence and the audit chain into an empty database", async () => {
    // 3 user.create + 1 user.set_role + 2 test.backup = 6 events, then the snapshot build's own.
    expect(original.audit.ok).toBe(true);
    expect(original.audit.rows).toBeGreaterThan(6);
    expect(original.tables["public.users"]?.rows).toBe(3);
    // The worked example's March gross revenue, by hand: ch_A 10000 + ch_B 5000.
    expect(kpisBefore.raw.gross_revenue).toBe(15000);

    const result = await backupDatabase(ctx, backupFile);
    expect(result.format).toBe(onPostgres ? "postgres" : "pglite");
    expect(result.bytes).toBeGreaterThan(0);

    const target = await emptyTarget();
    await restoreBackup(backupFile, target);
    restored = await openDatabase({ ...target, poolSize: 2 });
    const copy = await fingerprintDatabase(restored.db);
    expect(copy).toEqual(original);
    expect(copy.audit.lastHash).toBe(original.audit.lastHash);
    expect(await verifyAuditChain(restored)).toEqual({
      ok: true,
      rows: original.audit.rows,
      firstBreak: null,
      lastSeq: original.audit.lastSeq,
      lastHash: original.audit.lastHash,
    });
    // Same KPIs from the raw tables and from the snapshots.
    const onRestored = { ...ctx, db: restored.db, readDb: restored.db };
    expect(await computeKpisRaw(onRestored, DOC_PERIOD)).toEqual(kpisBefore.raw);
    expect(await computeKpis(onRestored, DOC_PERIOD)).toEqual(kpisBefore.snapshots);

    // The restored database keeps working: the next event links to the restored last hash.
    const seq = await audit(restored.db, cliActor, "test.after_restore", { type: "x", id: 3 });
    expect(seq).toBe(original.audit.lastSeq! + 1);
    expect((await verifyAuditChain(restored)).ok).toBe(true);
    const user = await createUser(
      { ...ctx, db: restored.db, readDb: restored.db },
      { email: "new@example.test", password: "correct horse battery", role: "ops" },
      cliActor,
    );
    expect(user.id).toBe(4);
  }, 180_000);

  it("refuses to restore into a database that is not empty, with exit 1 and a clear message", async () => {
    const target = await emptyTarget();
    if (target.databaseUrl) {
      const client = new pg.Client({ connectionString: target.databaseUrl });
      await client.connect();
      await client.query("CREATE TABLE keep_me (id int)").finally(() => client.end());
    } else {
      mkdirSync(target.dataDir);
      writeFileSync(join(target.dataDir, "PG_VERSION"), "17");
    }
    const refusal = await restoreBackup(backupFile, target).catch((err: unknown) => err);
    expect(refusal).toMatchObject({
      code: "backup.target_not_empty",
      message: expect.stringMatching(/^refusing to restore: .* restore only into an empty database$/),
    });
    // The CLI maps it to exit 1 (the command ran and found a failure), message on one line.
    expect(exitCodeFor(refusal)).toEqual({ code: 1, message: (refusal as Error).message });
  }, 60_000);

  it("rejects a file that is not a backup with exit 2", async () => {
    const junk = join(work, "junk.bin");
    writeFileSync(junk, "hello, not a backup");
    await expect(restoreBackup(junk, { dataDir: join(work, "never") })).rejects.toMatchObject({
      code: "backup.unknown_format",
      status: 400,
    });
    await expect(restoreBackup(join(work, "missing.dump"), { dataDir: "x" })).rejects.toMatchObject({
      code: "backup.missing",
    });
  });

  it("a damaged embedded backup fails cleanly and leaves DATA_DIR empty for the next attempt", async () => {
    const damaged = join(work, "damaged.bak");
    const header = { createdAt: "2026-06-15T12:00:00.000Z", postgresVersion: "17", migrations: 1 };
    // Valid magic, header and gzip signature, then garbage: only the engine can tell.
    const junk = new Uint8Array([0x1f, 0x8b, 8, 0, ...Array.from({ length: 64 }, (_, i) => i)]);
    writeFileSync(damaged, encodePgliteBackup({ ...header, compression: "gzip" }, junk));
    const dataDir = join(work, "after-damage");
    await expect(restoreBackup(damaged, { dataDir })).rejects.toMatchObject({
      code: "backup.restore_failed",
    });
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
    // A truncated file (cut inside the header) is named as such, before the engine is involved.
    writeFileSync(damaged, 'REVINTEL-PGLITE-BACKUP 1\n{"createdAt"');
    await expect(restoreBackup(damaged, { dataDir })).rejects.toMatchObject({
      code: "backup.damaged",
      status: 400,
    });
  }, 60_000);

  it("will not overwrite an existing backup file unless told to", async () => {
    await expect(backupDatabase(ctx, backupFile)).rejects.toMatchObject({ code: "backup.exists" });
  });
});
