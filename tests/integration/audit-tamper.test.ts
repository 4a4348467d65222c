/**
 * Audit tamper: every row of an 8-row chain edited, every non-final row deleted and every adjacent
 * pair swapped must break `verifyAuditChain` at the right row; one case of each kind also goes
 * through `revintel audit verify` (exit 1, message naming the row). The single-case unit tests live
 * in src/audit/service.test.ts and src/cli/main.test.ts; this suite sweeps every position.
 */
import { rmSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit, cliActor, verifyAuditChain } from "../../src/audit/index.ts";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { migrate } from "../../src/db/migrate.ts";
import { queryRows } from "../../src/db/sql.ts";
import { cliRunner } from "../support/cli.ts";
import { onPostgres } from "../support/db.ts";
import { cloneTemplate } from "../support/postgres-template.ts";

const ROWS = 8;
const runner = cliRunner("tamper");
const dataDir = runner.dataDir;
let target: { env: Record<string, string>; drop(): Promise<void> };

async function open(): Promise<Database> {
  return target.env.DATABASE_URL
    ? openDatabase({ databaseUrl: target.env.DATABASE_URL, poolSize: 2 })
    : openDatabase({ dataDir });
}

async function withDb<T>(work: (db: Database["db"]) => Promise<T>): Promise<T> {
  const database = await open();
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

/** `revintel audit verify` in this process against the same database; returns exit code and stderr. */
const cliVerify = () => runner.inProcess(["audit", "verify"], target.env);

beforeAll(async () => {
  if (onPostgres) {
    const clone = await cloneTemplate(process.env.TEST_DATABASE_URL!);
    target = { env: { DATABASE_URL: clone.url }, drop: clone.drop };
  } else {
    target = { env: {}, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
    const database = await openDatabase({ dataDir });
    await migrate(database);
    await database.close();
  }
  await withDb(async (db) => {
    for (let i = 1; i <= ROWS; i++) {
      await audit(
        db,
        cliActor,
        "tamper.test",
        { type: "order", id: i },
        { amount: i * 100 },
        null,
        new Date(Date.UTC(2026, 0, i)),
      );
    }
  });
});
afterAll(async () => {
  await target.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Row = Record<string, unknown> & { seq: number };

describe("audit tamper sweep", () => {
  it("names the tampered row for every edit, delete and reorder, and the CLI exits 1", async () => {
    let cases = 0;
    await withDb(async (db) => {
      expect((await verifyAuditChain({ db })).ok).toBe(true);
      // Edits: row k's content changes → the break is at k.
      for (let k = 1; k <= ROWS; k++) {
        await db.execute(sql`UPDATE audit_log SET after = '{"amount": 1}'::jsonb WHERE seq = ${k}`);
        expect((await verifyAuditChain({ db })).firstBreak?.seq).toBe(k);
        await db.execute(
          sql`UPDATE audit_log SET after = ${JSON.stringify({ amount: k * 100 })}::jsonb WHERE seq = ${k}`,
        );
        cases++;
      }
      // Deletes: row k gone → row k+1 is reported (a gap before it).
      for (let k = 1; k < ROWS; k++) {
        const [row] = await queryRows<Row>(db, sql`SELECT * FROM audit_log WHERE seq = ${k}`);
        await db.execute(sql`DELETE FROM audit_log WHERE seq = ${k}`);
        expect((await verifyAuditChain({ db })).firstBreak?.seq).toBe(k + 1);
        await db.execute(
          sql`INSERT INTO audit_log SELECT * FROM json_populate_record(NULL::audit_log, ${JSON.stringify(row)}::json)`,
        );
        cases++;
      }
      // Reorders: rows k and k+1 swap places → the break is at k.
      for (let k = 1; k < ROWS; k++) {
        await swap(db, k);
        expect((await verifyAuditChain({ db })).firstBreak?.seq).toBe(k);
        await swap(db, k);
        cases++;
      }
      expect((await verifyAuditChain({ db })).ok).toBe(true);
    });

    const cli: string[] = [];
    for (const [kind, tamper, undo, seq] of [
      [
        "edit",
        sql`UPDATE audit_log SET after = '{"amount": 7}'::jsonb WHERE seq = 5`,
        sql`UPDATE audit_log SET after = '{"amount": 500}'::jsonb WHERE seq = 5`,
        5,
      ],
      ["reorder", null, null, 3],
      ["delete", sql`DELETE FROM audit_log WHERE seq = 6`, null, 7],
    ] as const) {
      await withDb((db) => (tamper ? db.execute(tamper) : swap(db, 3)));
      const r = await cliVerify();
      expect(r.code).toBe(1);
      expect(r.err).toContain(`row ${seq}`);
      cli.push(kind);
      if (undo) await withDb((db) => db.execute(undo));
      else if (kind === "reorder") await withDb((db) => swap(db, 3));
    }
    console.log(
      `audit-tamper: ${cases} tamper cases on an ${ROWS}-row chain (${ROWS} edits, ${ROWS - 1} deletes, ${ROWS - 1} swaps) ` +
        `each named at the right row; revintel audit verify exit 1 naming the row for ${cli.join(", ")}`,
    );
  });
});

async function swap(db: Database["db"], k: number): Promise<void> {
  await db.execute(sql`UPDATE audit_log SET seq = -1 WHERE seq = ${k}`);
  await db.execute(sql`UPDATE audit_log SET seq = ${k} WHERE seq = ${k + 1}`);
  await db.execute(sql`UPDATE audit_log SET seq = ${k + 1} WHERE seq = -1`);
}
