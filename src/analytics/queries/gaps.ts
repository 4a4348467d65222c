import { type SQL, sql } from "drizzle-orm";

interface Scope {
  currency: string;
  livemode: boolean;
}

/**
 * Distinct customers of `from`..`to` from the gap counts of `snap_customer_gaps`, one index probe
 * per day: `reach` counts the rows of the period whose previous row falls before `from`
 * (gap > days since `from`); `single` counts first days with one paid order whose next one falls
 * after `to` (gap > days until `to`).
 */
export function gapCount(s: Scope, kind: "reach" | "single", from: string | SQL, to: string | SQL): SQL {
  const f = typeof from === "string" ? sql`${from}::date` : from;
  const t = typeof to === "string" ? sql`${to}::date` : to;
  const threshold = kind === "single" ? sql`(${t} - ${f}) - i` : sql`i`;
  return sql`(SELECT coalesce(sum(g.customers), 0)
     FROM generate_series(0, ${t} - ${f}) AS i
     CROSS JOIN LATERAL (
       SELECT customers FROM snap_customer_gaps
       WHERE livemode = ${s.livemode} AND currency = ${s.currency} AND kind = ${kind}
         AND day = ${f} + i AND gap > ${threshold}
       ORDER BY gap LIMIT 1) g)`;
}
