import { Readable } from "node:stream";
import type { Context } from "hono";
import { z } from "zod";
import {
  allConvertedRecords,
  isRecordKpi,
  iterateRecords,
  listConvertedRecords,
  listRecords,
  MAX_RECORD_PAGE,
  RECORD_SORTS,
  type RecordKpi,
  type RecordRow,
  stripeDashboardUrl,
} from "../../analytics/index.ts";
import { audit } from "../../audit/index.ts";
import type { AppContext } from "../../context.ts";
import { type CsvValue, csvStream } from "../../exports/csv.ts";
import { currencyCode } from "../../shared/currencies.ts";
import { daySchema } from "../../shared/dates.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validate.ts";
import { actorFrom } from "../request-actor.ts";
import type { AppEnv } from "../request-context.ts";
import type { Router } from "../route-access.ts";
import { canSeeRecords } from "../views/records/access.ts";
import { ConvertedRecordsPage } from "../views/records/converted-page.tsx";
import { RecordsPage } from "../views/records/page.tsx";

const recordsQuery = z.object({
  from: daySchema,
  to: daySchema,
  /** `all`: every currency converted into `reporting_currency` (revenue figures and MRR). */
  currency: z.union([z.literal("all"), currencyCode]).optional(),
  reporting_currency: currencyCode.optional(),
  sort: z.enum(RECORD_SORTS).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_RECORD_PAGE).optional(),
  /** The page of converted records (`currency=all`), from 1; the other records page by `cursor`. */
  page: z.coerce.number().int().min(1).max(1_000_000).optional(),
  product: z.coerce.number().int().positive().optional(),
  /** The refund reason of `refunds_by_reason` (Stripe's reason, or `none`). */
  reason: z
    .string()
    .regex(/^[a-z_]{1,40}$/, "expected a refund reason such as duplicate, or none")
    .optional(),
  /** The order cohort (`YYYY-MM`) and the month after it of `cohort_retention`. */
  cohort: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "expected a month as YYYY-MM")
    .optional(),
  month: z.coerce.number().int().min(0).max(240).optional(),
  /** The plan (Stripe price id) of `plan_mrr` and `plan_mrr_start`. */
  plan: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,200}$/, "expected a plan (price) id such as price_123")
    .optional(),
  /** `0`: leave out the totals of every row (each keyset page then reads only its own rows). */
  totals: z.enum(["0", "1"]).optional(),
});

/** The FX movement: only in the converted view ("All currencies"), seen where the net movement is. */
const FX_MOVEMENT = "mrr_movements.fx";
type Figure = RecordKpi | typeof FX_MOVEMENT;

/** The figure in the path, checked against the caller's dashboards (403) after `records.view`. */
function figureFor(c: Context<AppEnv>, key: string): Figure {
  const access = key === FX_MOVEMENT ? "mrr_movements.net" : key;
  if (!isRecordKpi(access)) throw new NotFoundError("Figure");
  if (!canSeeRecords(c.get("principal")?.role, access)) {
    throw new ForbiddenError("Your role sees no dashboard that shows this figure");
  }
  return key as Figure;
}

/** A figure of one currency's records: the FX movement has none (it exists only converted). */
function perCurrency(kpi: Figure): RecordKpi {
  if (kpi === FX_MOVEMENT) {
    throw new ValidationError(
      "currency: the FX movement exists only in All currencies (currency=all)",
      "currency",
    );
  }
  return kpi;
}

export const RECORDS_CSV_HEADER = [
  "key",
  "at",
  "object",
  "object_id",
  "customer_id",
  "stripe_customer_id",
  "status",
  "movement",
  "currency",
  "amount_minor",
  "mrr_before_minor",
  "mrr_after_minor",
  "event_id",
  "subscription_id",
  "stripe_id",
  "stripe_url",
  "value",
  "denominator",
];

/**
 * The converted records' CSV (`currency=all`): each record in its own currency, the rate and the
 * converted amount (minor units; a count as it is), what it adds to a mean's or rate's denominator,
 * and a movement's or starting customer's converted MRR before and after.
 */
export const CONVERTED_RECORDS_CSV_HEADER = [
  "key",
  "at",
  "day",
  "object",
  "object_id",
  "customer_id",
  "currency",
  "value_minor",
  "rate",
  "rate_source",
  "rate_day",
  "reporting_currency",
  "converted_minor",
  "stripe_id",
  "stripe_url",
  "denominator",
  "converted_before_minor",
  "converted_after_minor",
];

function csvValues(r: RecordRow, currency: string, livemode: boolean): CsvValue[] {
  return [
    r.key,
    r.at,
    r.object,
    r.object_id,
    r.customer_id,
    r.stripe_customer_id,
    r.status,
    r.movement,
    currency,
    r.amount,
    r.mrr_before,
    r.mrr_after,
    r.event_id,
    r.subscription_id,
    r.stripe_id,
    stripeDashboardUrl(r.stripe_id ?? r.event_id, livemode),
    r.value,
    r.denominator,
  ];
}

/**
 * The records behind a dashboard figure: the page `/records/:kpi`, its CSV download (audited, as
 * the exports are) and the JSON API `/api/v1/kpis/:key/records` (session or bearer token).
 */
export function registerRecordsRoutes(r: Router, ctx: AppContext): void {
  const parse = (c: Context<AppEnv>) => {
    const { currency, reporting_currency, ...q } = parseInput(recordsQuery, c.req.query());
    return { q, currency, reportingCurrency: reporting_currency };
  };
  const load = (c: Context<AppEnv>, figure: Figure) => {
    const { q, currency } = parse(c);
    const kpi = perCurrency(figure);
    if (currency === "all") throw new ValidationError("currency: all is not available here", "currency");
    const { totals, ...rest } = q;
    return listRecords(ctx, {
      ...rest,
      currency,
      kpi,
      totals: totals !== "0",
      livemode: ctx.config.livemode,
    });
  };
  /** `currency=all`: the records of a converted figure, each with its rate and converted amount. */
  const loadConverted = (c: Context<AppEnv>, kpi: Figure) => {
    const { q, currency, reportingCurrency } = parse(c);
    if (currency !== "all") return null;
    const { from, to, page, limit, reason, product } = q;
    return listConvertedRecords(ctx, {
      kpi,
      from,
      to,
      reportingCurrency,
      reason,
      product,
      page,
      limit,
      livemode: ctx.config.livemode,
    });
  };

  /** A records download, audited as the exports are (who, which figure, which rows). */
  const auditDownload = (c: Context<AppEnv>, kpi: Figure, details: Record<string, unknown>) =>
    ctx.db.transaction((tx) =>
      audit(tx, actorFrom(c), "records.export", { type: "records", id: kpi }, details, null, ctx.clock.now()),
    );
  /** A CSV stream as an attachment named `name`; a failure after the first byte is logged. */
  const csvDownload = (c: Context<AppEnv>, csv: ReturnType<typeof csvStream>, name: string) => {
    csv.on("error", (err) =>
      c.get("logger").error({ err, export: "records" }, "export failed while streaming"),
    );
    return c.body(Readable.toWeb(csv) as ReadableStream, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    });
  };

  /** The CSV of a converted figure: every record with its rate and converted amount, audited. */
  const convertedCsv = async (
    c: Context<AppEnv>,
    kpi: Figure,
    q: { from: string; to: string; reason?: string; product?: number },
    reportingCurrency: string | undefined,
  ) => {
    const all = await allConvertedRecords(ctx, {
      kpi,
      from: q.from,
      to: q.to,
      reason: q.reason,
      product: q.product,
      reportingCurrency,
      livemode: ctx.config.livemode,
    });
    await auditDownload(c, kpi, {
      kpi,
      from: all.from,
      to: all.to,
      currency: "all",
      reporting_currency: all.reporting_currency,
      ...(all.reason === undefined ? {} : { reason: all.reason }),
      ...(all.product === undefined ? {} : { product: all.product }),
      rows: all.rows.length,
    });
    const rows = all.rows.map((r): CsvValue[] => [
      r.key,
      r.at,
      r.day,
      r.object,
      r.object_id,
      r.customer_id,
      r.currency,
      r.value,
      r.rate,
      r.rate_source,
      r.rate_day,
      all.reporting_currency,
      r.converted,
      r.stripe_id,
      stripeDashboardUrl(r.stripe_id, all.livemode),
      r.denominator,
      r.before,
      r.after,
    ]);
    const name = `${kpi.replace(".", "-")}_all-in-${all.reporting_currency}_${all.from}_${all.to}.csv`;
    return csvDownload(c, csvStream(rows, { header: CONVERTED_RECORDS_CSV_HEADER }), name);
  };

  r.get("/records/:kpi", "records.view", async (c) => {
    const kpi = figureFor(c, c.req.param("kpi") ?? "");
    const converted = await loadConverted(c, kpi);
    if (converted) {
      return c.html(
        <ConvertedRecordsPage user={c.get("user")} csrfToken={c.get("csrfToken")} page={converted} />,
      );
    }
    const page = await load(c, kpi);
    return c.html(<RecordsPage user={c.get("user")} csrfToken={c.get("csrfToken")} page={page} />);
  });

  r.get("/records/:kpi/export.csv", "records.view", async (c) => {
    const figure = figureFor(c, c.req.param("kpi") ?? "");
    const { q: query, currency, reportingCurrency } = parse(c);
    if (currency === "all") return convertedCsv(c, figure, query, reportingCurrency);
    const kpi = perCurrency(figure);
    const { cursor: _cursor, limit: _limit, totals: _totals, ...rest } = query;
    const q = { ...rest, currency };
    // Validates the request and gives the row count and resolved currency before the first byte.
    const first = await listRecords(ctx, { ...q, kpi, limit: 1, livemode: ctx.config.livemode });
    const params = { ...q, kpi, currency: first.currency, livemode: first.livemode };
    await auditDownload(c, kpi, {
      kpi,
      from: first.from,
      to: first.to,
      currency: first.currency,
      sort: first.sort,
      dir: first.dir,
      rows: first.totals?.rows ?? null,
    });
    async function* rows(): AsyncGenerator<CsvValue[]> {
      for await (const row of iterateRecords(ctx, params))
        yield csvValues(row, first.currency, first.livemode);
    }
    const name = `${kpi.replace(".", "-")}_${first.currency}_${first.from}_${first.to}.csv`;
    return csvDownload(c, csvStream(rows(), { header: RECORDS_CSV_HEADER }), name);
  });

  r.get("/api/v1/kpis/:key/records", "records.view", async (c) => {
    const kpi = figureFor(c, c.req.param("key") ?? "");
    const converted = await loadConverted(c, kpi);
    if (converted) return c.json(converted);
    const page = await load(c, kpi);
    return c.json({
      ...page,
      rows: page.rows.map((row) => ({
        ...row,
        stripe_url: stripeDashboardUrl(row.stripe_id, page.livemode),
        event_url: stripeDashboardUrl(row.event_id, page.livemode),
        customer_url: row.customer_id === null ? null : `/customers/${row.customer_id}`,
      })),
    });
  });
}
