import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { queryRows } from "../../db/sql.ts";
import { rate } from "../core/rates.ts";
import { resolveParams } from "../params.ts";
import { snapCustomerMrr } from "../schema.ts";
import type { KpiParams, SubscriberCohortRow } from "../types.ts";

/**
 * Subscriber cohorts (per currency, from the customer MRR snapshots): customers grouped by the month
 * in which their customer MRR first rose above 0 (their `new` movement, kpis.md), for cohort months
 * in `from`..`to`. For month k after the cohort month, up to the month of `to` (whose end is `to`
 * itself while it runs): the cohort's customers with MRR > 0 at the end of that month, and the sum
 * of their MRR then. Rates are over the cohort's size and its starting MRR (the sum of the `new`
 * movements); MRR retention may exceed 1 (expansion).
 */
export async function getSubscriberCohorts(
  ctx: ServiceContext,
  params: KpiParams,
): Promise<SubscriberCohortRow[]> {
  const p = await resolveParams(ctx, params, "snapshots");
  const c = snapCustomerMrr;
  const scoped = sql`${c.livemode} = ${p.livemode} AND ${c.currency} = ${p.currency}`;
  const fromMonth = `${p.from.slice(0, 7)}-01`;
  const rows = await queryRows<{
    cohort: string;
    k: number;
    size: number;
    start_mrr: number;
    subscribers: number;
    mrr: number;
  }>(
    ctx.readDb,
    sql`WITH starts AS (
          SELECT ${c.customerKey} AS customer_key, to_char(${c.day}, 'YYYY-MM') AS cohort,
                 date_trunc('month', ${c.day})::date AS cohort_first, ${c.mrr} - ${c.prevMrr} AS start_mrr
          FROM ${c}
          WHERE ${scoped} AND ${c.movement} = 'new' AND ${c.day} BETWEEN ${fromMonth}::date AND ${p.to}::date
        ), sizes AS (
          SELECT cohort, count(*)::int AS size, sum(start_mrr)::bigint AS start_mrr FROM starts GROUP BY cohort
        ), month_ends AS (
          SELECT m::date AS first,
                 least((m + interval '1 month' - interval '1 day')::date, ${p.to}::date) AS month_end
          FROM generate_series(${fromMonth}::date, ${p.to}::date, interval '1 month') AS m
        ), cells AS (
          SELECT s.cohort,
                 ((extract(year FROM e.first) - extract(year FROM s.cohort_first)) * 12
                   + extract(month FROM e.first) - extract(month FROM s.cohort_first))::int AS k,
                 coalesce(x.mrr, 0) AS mrr
          FROM starts s
          JOIN month_ends e ON e.first >= s.cohort_first
          LEFT JOIN LATERAL (
            SELECT ${c.mrr} AS mrr FROM ${c}
            WHERE ${scoped} AND ${c.customerKey} = s.customer_key AND ${c.day} <= e.month_end
            ORDER BY ${c.day} DESC LIMIT 1
          ) x ON true
        )
        SELECT cells.cohort, cells.k, sizes.size, sizes.start_mrr,
               count(*) FILTER (WHERE cells.mrr > 0)::int AS subscribers, sum(cells.mrr)::bigint AS mrr
        FROM cells JOIN sizes USING (cohort)
        GROUP BY cells.cohort, cells.k, sizes.size, sizes.start_mrr
        ORDER BY cells.cohort, cells.k`,
  );
  const cohorts = new Map<string, SubscriberCohortRow>();
  for (const r of rows) {
    const size = Number(r.size);
    const startMrr = Number(r.start_mrr);
    let row = cohorts.get(r.cohort);
    if (!row) {
      row = { cohort: r.cohort, subscribers: size, mrr: startMrr, retention: [] };
      cohorts.set(r.cohort, row);
    }
    const subscribers = Number(r.subscribers);
    const mrr = Number(r.mrr);
    row.retention.push({
      month: Number(r.k),
      subscribers,
      subscriber_rate: rate(subscribers, size),
      mrr,
      mrr_rate: rate(mrr, startMrr),
    });
  }
  return [...cohorts.values()];
}
