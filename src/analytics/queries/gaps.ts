import { type SQL, sql } from "drizzle-orm";
import { snapCustomerGaps as g } from "../schema.ts";
import type { Scope } from "./scope.ts";

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
  return sql`(SELECT coalesce(sum(probe.customers), 0)::bigint
     FROM generate_series(0, ${t} - ${f}) AS i
     CROSS JOIN LATERAL (
       SELECT ${g.customers} AS customers FROM ${g}
       WHERE ${g.livemode} = ${s.livemode} AND ${g.currency} = ${s.currency} AND ${g.kind} = ${kind}
         AND ${g.day} = ${f} + i AND ${g.gap} > ${threshold}
       ORDER BY ${g.gap} LIMIT 1) probe)`;
}
