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
