import { computeKpis, getSeries, type SeriesMetric } from "../../../analytics/index.ts";
import type { AppContext } from "../../../context.ts";
import { currencyView } from "./currency-view.ts";
import { EXECUTIVE_SERIES, type ExecutiveData } from "./executive.tsx";
import { loadExecutiveConverted } from "./load-executive-converted.ts";
import type { DashboardRange } from "./range.ts";

/** Everything the executive dashboard shows, read from snapshots on the read database. */
export async function loadExecutive(ctx: AppContext, range: DashboardRange): Promise<ExecutiveData> {
  const view = await currencyView(ctx, range);
  if (view.converted) return loadExecutiveConverted(ctx, view);
  const base = { currency: view.currency, livemode: ctx.config.livemode };
  // The two KPI sets and the eight series are independent reads: run together on the read pool.
  const [current, previous, ...lines] = await Promise.all([
    computeKpis(ctx, { ...base, from: range.from, to: range.to }),
    computeKpis(ctx, { ...base, ...range.previous }),
    ...EXECUTIVE_SERIES.map((metric) =>
      getSeries(ctx, {
        ...base,
        metric: metric as SeriesMetric,
        grain: range.grain,
        from: range.from,
        to: range.to,
      }),
    ),
  ]);
  const series = Object.fromEntries(
    EXECUTIVE_SERIES.map((metric, i) => [metric, lines[i]]),
  ) as ExecutiveData["series"];
  return { ...view, current, previous, series };
}
