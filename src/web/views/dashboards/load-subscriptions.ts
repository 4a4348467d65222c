import { computeKpis, getCohortRetention, getMrrMovementsByMonth } from "../../../analytics/index.ts";
import type { AppContext } from "../../../context.ts";
import { type DashboardRange, dashboardCurrency } from "./range.ts";
import type { SubscriptionsData } from "./subscriptions.tsx";

/** The first day of the month 11 months before `to`'s month: a 12-month window. */
export function twelveMonthsTo(to: string): string {
  const [y, m] = to.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 10);
}

export async function loadSubscriptions(ctx: AppContext, range: DashboardRange): Promise<SubscriptionsData> {
  const { currency, currencies } = await dashboardCurrency(ctx, range);
  const base = { currency, livemode: ctx.config.livemode };
  const current = await computeKpis(ctx, { ...base, from: range.from, to: range.to });
  const previous = await computeKpis(ctx, { ...base, ...range.previous });
  const window = { ...base, from: twelveMonthsTo(range.to), to: range.to };
  const all = await getMrrMovementsByMonth(ctx, window);
  // Months before the first recurring revenue are all zeros: start the table where the business does.
  const first = all.findIndex((m) => m.mrr_start !== 0 || m.mrr_end !== 0);
  const months = first < 0 ? all.slice(-1) : all.slice(first);
  const cohorts = await getCohortRetention(ctx, window);
  return { range, currency, currencies, current, previous, months, cohorts };
}
