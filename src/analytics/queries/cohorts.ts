import { and, between, eq, lte } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { rate } from "../core/rates.ts";
import { resolveParams } from "../params.ts";
import { snapCohorts } from "../schema.ts";
import type { CohortRow, KpiParams } from "../types.ts";

/**
 * kpis.md `cohort_retention` (per currency): cohorts whose month lies in `from`..`to`, with month k
 * after the cohort month up to the month of `to`. Month 0 is the cohort's size.
 */
export async function getCohortRetention(ctx: ServiceContext, params: KpiParams): Promise<CohortRow[]> {
  const db = ctx.readDb;
  const p = await resolveParams(ctx, params, "snapshots");
  const fromMonth = p.from.slice(0, 7);
  const toMonth = p.to.slice(0, 7);
  const c = snapCohorts;
  const rows = await db
    .select({ cohortMonth: c.cohortMonth, monthIndex: c.monthIndex, customers: c.customers })
    .from(c)
    .where(
      and(
        eq(c.livemode, p.livemode),
        eq(c.currency, p.currency),
        between(c.cohortMonth, fromMonth, toMonth),
        lte(c.activityMonth, toMonth),
      ),
    )
    .orderBy(c.cohortMonth, c.monthIndex);
  const cohorts = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const months = cohorts.get(r.cohortMonth) ?? new Map<number, number>();
    months.set(r.monthIndex, r.customers);
    cohorts.set(r.cohortMonth, months);
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
