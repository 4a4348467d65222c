/**
 * A content fingerprint of everything Stripe events write (ledger, customers, subscriptions,
 * invoices, order states), so two runs can be compared row for row without caring about surrogate
 * ids, arrival order or wall-clock columns. Works on PGlite and Postgres.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/client.ts";
import { queryRows } from "../../src/db/sql.ts";

/** Each table's business columns, as text (no serial ids, no received/processed times). */
const TABLES: Record<string, string> = {
  charges: `SELECT concat_ws(',', id, amount, amount_refunded, currency, status, paid, created, order_id, fee,
              stripe_customer_id, payment_intent_id, invoice_id) AS r FROM charges`,
  refunds: `SELECT concat_ws(',', id, charge_id, amount, currency, status, created, order_id) AS r FROM refunds`,
  disputes: `SELECT concat_ws(',', id, charge_id, amount, status) AS r FROM disputes`,
  customers: `SELECT concat_ws(',', stripe_customer_id, email, name, country) AS r FROM customers`,
  subscriptions: `SELECT concat_ws(',', id, stripe_customer_id, status, currency, mrr, canceled_at, ended_at)
                    AS r FROM subscriptions`,
  subscription_history: `SELECT concat_ws(',', subscription_id, event_id, event_created, status, mrr) AS r
                           FROM subscription_history`,
  invoices: `SELECT concat_ws(',', id, subscription_id, status, amount_due, amount_paid, charge_id) AS r FROM invoices`,
  orders: `SELECT concat_ws(',', number, status, amount_total, amount_refunded, paid_at, refunded_at) AS r FROM orders`,
  stripe_events: `SELECT concat_ws(',', id, status) AS r FROM stripe_events`,
};

export type LedgerDigest = Record<string, { rows: number; md5: string }>;

export async function ledgerDigest(db: Db): Promise<LedgerDigest> {
  const out: LedgerDigest = {};
  for (const [table, select] of Object.entries(TABLES)) {
    const [row] = await queryRows<{ rows: number; md5: string | null }>(
      db,
      sql.raw(`SELECT count(*)::int AS rows, md5(coalesce(string_agg(r, '|' ORDER BY r), '')) AS md5
               FROM (${select}) t`),
    );
    out[table] = { rows: Number(row?.rows ?? 0), md5: row?.md5 ?? "" };
  }
  return out;
}

/** Events by inbox status, e.g. { processed: 4990, ignored: 10 }. */
export async function inboxStatuses(db: Db): Promise<Record<string, number>> {
  const rows = await queryRows<{ status: string; n: number }>(
    db,
    sql`SELECT status, count(*)::int AS n FROM stripe_events GROUP BY status ORDER BY status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
