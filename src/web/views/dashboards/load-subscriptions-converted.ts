import { computeConvertedKpis, type Series } from "../../../analytics/index.ts";
import type { AppContext } from "../../../context.ts";
import { type CurrencyView, convertedCards } from "./currency-view.ts";
import { convertedSeries } from "./load-executive-converted.ts";
import { CONVERTED_MOVEMENT_TYPES, type SubscriptionsData } from "./subscriptions.tsx";

/**
 * The subscriptions dashboard in the converted view (kpis.md "Reporting currency"): KPIs, MRR and
 * its movements in the reporting currency, with the sixth movement `fx` (a bucket's net minus its
 * five other movements) so that each row's net is still its MRR at end minus at start. MRR by plan
 * and the cohorts stay per currency: the page links to them.
 */
export async function loadSubscriptionsConverted(
  ctx: AppContext,
  view: CurrencyView,
): Promise<SubscriptionsData> {
  const { range } = view;
  const base = { livemode: ctx.config.livemode, reportingCurrency: view.reportingCurrency };
  const current = await computeConvertedKpis(ctx, { ...base, from: range.from, to: range.to });
  const previous = await computeConvertedKpis(ctx, { ...base, ...range.previous });
  const mrr = await convertedSeries(ctx, view, "mrr");
  const net = await convertedSeries(ctx, view, "mrr_net");
  const movements = {} as SubscriptionsData["movements"];
  for (const t of CONVERTED_MOVEMENT_TYPES) {
    if (t.key !== "fx") movements[t.key] = await convertedSeries(ctx, view, `mrr_${t.key}`);
  }
  movements.fx = fxSeries(net, movements);
  return {
    ...view,
    current: convertedCards(current),
    previous: convertedCards(previous),
    mrr,
    movements,
    plans: [],
    cohorts: [],
    subscriberCohorts: [],
    converted: {
      reportingCurrency: current.reporting_currency,
      missing: current.fx.missing,
      source: current.fx.source,
    },
  };
}

/** `fx` per bucket: net − (new + expansion + reactivation − contraction − churn); null with any of them. */
function fxSeries(net: Series, m: SubscriptionsData["movements"]): Series {
  const points = net.points.map((p, i) => {
    const parts = CONVERTED_MOVEMENT_TYPES.filter((t) => t.key !== "fx").map(
      (t) => (m[t.key]?.points[i]?.value ?? null) as number | null,
    );
    if (p.value === null || parts.some((v) => v === null)) return { ...p, value: null };
    const five = CONVERTED_MOVEMENT_TYPES.filter((t) => t.key !== "fx").reduce(
      (s, t, k) => s + t.sign * (parts[k] as number),
      0,
    );
    return { ...p, value: p.value - five };
  });
  return { ...net, points };
}
