import { z } from "zod";
import { computeKpis, getSeries, SERIES_METRICS } from "../../analytics/index.ts";
import type { AppContext } from "../../context.ts";
import { currencyCode } from "../../shared/currencies.ts";
import { daySchema } from "../../shared/dates.ts";
import { parseInput } from "../../shared/validate.ts";
import type { Router } from "../route-access.ts";

const CURRENCY = currencyCode.optional();
const kpisQuery = z.object({ from: daySchema, to: daySchema, currency: CURRENCY });
const seriesQuery = z.object({
  metric: z.enum(SERIES_METRICS),
  from: daySchema,
  to: daySchema,
  grain: z.enum(["day", "week", "month"]).default("day"),
  currency: CURRENCY,
});

/** The read API (session or bearer token, analyst/admin): the `kpis` JSON and series for dashboards. */
export function registerApiRoutes(r: Router, ctx: AppContext): void {
  r.get("/api/v1/kpis", "kpis.read", async (c) => {
    const q = parseInput(kpisQuery, c.req.query());
    const kpis = await computeKpis(ctx, { ...q, livemode: ctx.config.livemode });
    return c.json(kpis);
  });

  r.get("/api/v1/series", "kpis.read", async (c) => {
    const q = parseInput(seriesQuery, c.req.query());
    const series = await getSeries(ctx, { ...q, livemode: ctx.config.livemode });
    return c.json(series);
  });
}
