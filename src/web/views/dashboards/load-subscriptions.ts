import {
  computeKpis,
  getCohortRetention,
  getMrrByPlan,
  getSeries,
  getSubscriberCohorts,
  type SeriesMetric,
} from "../../../analytics/index.ts";
import type { AppContext } from "../../../context.ts";
import { currencyView } from "./currency-view.ts";
import { loadSubscriptionsConverted } from "./load-subscriptions-converted.ts";
import type { DashboardRange } from "./range.ts";
import { MOVEMENT_TYPES, type SubscriptionsData } from "./subscriptions.tsx";

/** The first day of the month 11 months before `to`'s month: a 12-month window. */
export function twelveMonthsTo(to: string): string {
  const [y, m] = to.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 10);
}

/**
 * Everything the subscriptions dashboard shows, from snapshots: KPIs, MRR and its movements over
 * the chosen range and grain, MRR by plan, and the subscriber and order cohorts of the 12 months
 * to the range's end; in the converted view ("All currencies") the figures of every currency.
 */
export async function loadSubscriptions(ctx: AppContext, range: DashboardRange): Promise<SubscriptionsData> {
  const view = await currencyView(ctx, range);
  if (view.converted) return loadSubscriptionsConverted(ctx, view);
  const base = { currency: view.currency, livemode: ctx.config.livemode };
  const period = { ...base, from: range.from, to: range.to };
  const current = await computeKpis(ctx, period);
  const previous = await computeKpis(ctx, { ...base, ...range.previous });
  const series = (metric: SeriesMetric) => getSeries(ctx, { ...period, metric, grain: range.grain });
  const mrr = await series("mrr");
  const movements = {} as SubscriptionsData["movements"];
  for (const t of MOVEMENT_TYPES) movements[t.key] = await series(`mrr_${t.key}`);
  const plans = await getMrrByPlan(ctx, period);
  const window = { ...base, from: twelveMonthsTo(range.to), to: range.to };
  const cohorts = await getCohortRetention(ctx, window);
  const subscriberCohorts = await getSubscriberCohorts(ctx, window);
  return {
    ...view,
    current,
    previous,
    mrr,
    movements,
    plans,
    cohorts,
    subscriberCohorts,
  };
}
