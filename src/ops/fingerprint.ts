import { sql } from "drizzle-orm";
import { verifyAuditChain } from "../audit/index.ts";
import { auditLog } from "../audit/schema.ts";
import type { Db } from "../db/client.ts";
import { queryOne, queryRows } from "../db/sql.ts";

export interface TableFingerprint {
  rows: number;
  /** md5 over the sorted md5s of every row's text form: equal data ⇔ equal checksum. */
  checksum: string;
}

export interface DatabaseFingerprint {
  tables: Record<string, TableFingerprint>;
  /** `last_value` of each sequence, so ids handed out after a restore do not collide. */
  sequences: Record<string, number>;
  audit: { ok: boolean; rows: number; lastSeq: number | null; lastHash: string | null };
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every table and sequence of the app's schemas (public, drizzle), with the audit chain's verdict. */
export async function fingerprintDatabase(db: Db): Promise<DatabaseFingerprint> {
  const relations = await queryRows<{ schema: string; name: string; kind: string }>(
    db,
    sql`SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('public', 'drizzle') AND c.relkind IN ('r', 'p', 'S')
        ORDER BY 1, 2`,
  );
  const tables: Record<string, TableFingerprint> = {};
  const sequences: Record<string, number> = {};
  for (const r of relations) {
    const qualified = `${quote(r.schema)}.${quote(r.name)}`;
    if (r.kind === "S") {
      const seq = await queryOne<{ v: number; called: boolean }>(
        db,
        sql.raw(`SELECT last_value::bigint AS v, is_called AS called FROM ${qualified}`),
      );
      sequences[`${r.schema}.${r.name}`] = seq?.called ? Number(seq.v) : 0;
      continue;
    }
    const row = await queryOne<{ n: number; sum: string | null }>(
      db,
      sql.raw(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS sum
         FROM (SELECT md5(t::text) AS h FROM ${qualified} t) x`,
      ),
    );
    tables[`${r.schema}.${r.name}`] = { rows: Number(row?.n ?? 0), checksum: row?.sum ?? "" };
  }
  const chain = await verifyAuditChain({ db });
  const [last] = await db
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(sql`${auditLog.seq} DESC`)
    .limit(1);
  return {
    tables,
    sequences,
    audit: { ok: chain.ok, rows: chain.rows, lastSeq: last?.seq ?? null, lastHash: last?.hash ?? null },
  };
}
