import { z } from "zod";
import {
  computeConvertedKpis,
  computeKpis,
  getConvertedSeries,
  getSeries,
  SERIES_METRICS,
} from "../../analytics/index.ts";
import type { AppContext } from "../../context.ts";
import { currencyCode } from "../../shared/currencies.ts";
import { daySchema } from "../../shared/dates.ts";
import { ValidationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validate.ts";
import type { Router } from "../route-access.ts";

const CURRENCY = currencyCode.optional();
/** `currency=all` asks for the converted view (kpis.md "Reporting currency"). */
const CURRENCY_OR_ALL = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.union([z.literal("all"), currencyCode]))
  .optional();
const kpisQuery = z
  .object({ from: daySchema, to: daySchema, currency: CURRENCY_OR_ALL, reporting_currency: CURRENCY })
  .refine((q) => q.reporting_currency === undefined || q.currency === "all", {
    path: ["reporting_currency"],
    message: "only with currency=all",
  });
const seriesQuery = z.object({
  metric: z.enum(SERIES_METRICS),
  from: daySchema,
  to: daySchema,
  grain: z.enum(["day", "week", "month"]).default("day"),
  currency: CURRENCY_OR_ALL,
  reporting_currency: CURRENCY,
});

/** The read API (session or bearer token, analyst/admin): the `kpis` JSON and series for dashboards. */
export function registerApiRoutes(r: Router, ctx: AppContext): void {
  r.get("/api/v1/kpis", "kpis.read", async (c) => {
    const q = parseInput(kpisQuery, c.req.query());
    const livemode = ctx.config.livemode;
    if (q.currency === "all") {
      const kpis = await computeConvertedKpis(ctx, {
        from: q.from,
        to: q.to,
        reportingCurrency: q.reporting_currency,
        livemode,
      });
      return c.json(kpis);
    }
    const kpis = await computeKpis(ctx, { from: q.from, to: q.to, currency: q.currency, livemode });
    return c.json(kpis);
  });

  r.get("/api/v1/series", "kpis.read", async (c) => {
    const q = parseInput(seriesQuery, c.req.query());
    const livemode = ctx.config.livemode;
    if (q.currency === "all") {
      const { reporting_currency, currency: _all, ...rest } = q;
      return c.json(
        await getConvertedSeries(ctx, { ...rest, reportingCurrency: reporting_currency, livemode }),
      );
    }
    if (q.reporting_currency !== undefined)
      throw new ValidationError("reporting_currency: only with currency=all", "reporting_currency");
    const { reporting_currency: _none, currency, ...rest } = q;
    const series = await getSeries(ctx, { ...rest, currency, livemode });
    return c.json(series);
  });
}
