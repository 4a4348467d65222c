import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryRows } from "../../db/sql.ts";
import { rate } from "../core/rates.ts";
import { resolveParams } from "../params.ts";
import type { CohortRow, KpiParams } from "../types.ts";

/**
 * kpis.md `cohort_retention` (per currency): cohorts whose month lies in `from`..`to`, with month k
 * after the cohort month up to the month of `to`. Month 0 is the cohort's size.
 */
export async function getCohortRetention(db: Db, params: KpiParams): Promise<CohortRow[]> {
  const p = await resolveParams(db, params, "snapshots");
  const fromMonth = p.from.slice(0, 7);
  const toMonth = p.to.slice(0, 7);
  const rows = await queryRows<{ cohort_month: string; month_index: number; customers: number | string }>(
    db,
    sql`SELECT cohort_month, month_index, customers FROM snap_cohorts
        WHERE livemode = ${p.livemode} AND currency = ${p.currency}
          AND cohort_month BETWEEN ${fromMonth} AND ${toMonth} AND activity_month <= ${toMonth}
        ORDER BY cohort_month, month_index`,
  );
  const cohorts = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const months = cohorts.get(r.cohort_month) ?? new Map<number, number>();
    months.set(Number(r.month_index), Number(r.customers));
    cohorts.set(r.cohort_month, months);
  }
  return [...cohorts].map(([cohort, months]) => {
    const size = months.get(0) ?? 0;
    const last = monthIndex(toMonth) - monthIndex(cohort);
    const retention = [];
    for (let k = 0; k <= last; k++) {
      const customers = months.get(k) ?? 0;
      retention.push({ month: k, customers, rate: rate(customers, size) });
    }
    return { cohort, size, retention };
  });
}

function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
}
