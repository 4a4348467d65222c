import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";

/**
 * kpis.md: the default currency is the one with the most succeeded charges (ties: alphabetical).
 * Without charges, the currency of the most paid orders; "usd" on an empty database.
 */
export async function defaultCurrency(db: Db, livemode = false): Promise<string> {
  const charge = await queryOne<{ currency: string }>(
    db,
    sql`SELECT lower(currency) AS currency FROM charges WHERE status = 'succeeded' AND livemode = ${livemode}
        GROUP BY lower(currency) ORDER BY count(*) DESC, lower(currency) LIMIT 1`,
  );
  if (charge) return charge.currency;
  const order = await queryOne<{ currency: string }>(
    db,
    sql`SELECT lower(currency) AS currency FROM orders WHERE paid_at IS NOT NULL AND livemode = ${livemode}
        GROUP BY lower(currency) ORDER BY count(*) DESC, lower(currency) LIMIT 1`,
  );
  return order?.currency ?? "usd";
}

/**
 * `defaultCurrency` read from the snapshots (dashboards and the snapshot KPI path never scan raw
 * tables): the currency with the most succeeded charges over the built days, else the most paid
 * orders. Equal to `defaultCurrency` when the snapshots cover the history; before any snapshot is
 * built it falls back to `defaultCurrency`.
 */
export async function snapshotDefaultCurrency(db: Db, livemode = false): Promise<string> {
  const row = await queryOne<{ currency: string | null }>(
    db,
    sql`SELECT coalesce(
          (SELECT currency FROM snap_daily_ledger WHERE livemode = ${livemode}
           GROUP BY currency HAVING sum(charges) > 0 ORDER BY sum(charges) DESC, currency LIMIT 1),
          (SELECT currency FROM snap_daily_orders WHERE livemode = ${livemode}
           GROUP BY currency HAVING sum(orders) > 0 ORDER BY sum(orders) DESC, currency LIMIT 1)) AS currency`,
  );
  return row?.currency ?? defaultCurrency(db, livemode);
}
