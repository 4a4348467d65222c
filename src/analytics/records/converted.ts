import { and, between, eq, lte, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { queryRows } from "../../db/sql.ts";
import { convertMinor, loadRateBook, type RateBook, toDecimal } from "../../fx/index.ts";
import { ValidationError } from "../../shared/errors.ts";
import { type ConvertedMovementRecord, type ConvertedMovements, convertPeriod } from "../converted/core.ts";
import { computeConvertedKpis } from "../converted/kpis.ts";
import { resolveConverted, snapshotSubscriptionMrr } from "../converted/load.ts";
import { snapDailyAmounts, snapSubscriptionMrr } from "../converted/schema.ts";
import type { MissingRates } from "../converted/types.ts";
import { dayOf } from "../core/periods.ts";
import { RECORD_KPIS } from "./kpis.ts";
import { iterateRecords } from "./list.ts";

/** The converted MRR movements, `fx` (the revaluation from rate changes alone) among them. */
const MOVEMENT_KPIS = [
  "mrr_movements.new",
  "mrr_movements.expansion",
  "mrr_movements.contraction",
  "mrr_movements.churn",
  "mrr_movements.reactivation",
  "mrr_movements.fx",
  "mrr_movements.net",
] as const;
type MovementKpi = (typeof MOVEMENT_KPIS)[number];

/**
 * The figures whose records the converted view lists: money of the ledger (revenue, refunds,
 * disputes), order revenue, MRR and its movements.
 */
export const CONVERTED_RECORD_KPIS = [
  "gross_revenue",
  "refunds",
  "net_revenue",
  "disputes",
  "disputes_lost",
  "order_revenue",
  "mrr",
  ...MOVEMENT_KPIS,
] as const;
export type ConvertedRecordKpi = (typeof CONVERTED_RECORD_KPIS)[number];

export function isConvertedRecordKpi(kpi: string): kpi is ConvertedRecordKpi {
  return (CONVERTED_RECORD_KPIS as readonly string[]).includes(kpi);
}

/** One record of a converted figure: its own amount and currency, the rate used, and the converted amount. */
export interface ConvertedRecordRow {
  key: string;
  /** Instant (ISO 8601) or day the record counts on. */
  at: string;
  /** The reporting day whose rate converts it. */
  day: string;
  object: string;
  object_id: string;
  customer_id: number | null;
  stripe_id: string | null;
  currency: string;
  /** What the row adds to the figure in its own currency (minor units; negative when it takes away). */
  value: number;
  /** Units of the reporting currency per unit of `currency`, as a decimal; null when no rate exists. */
  rate: string | null;
  /** Where the rate comes from (`stripe_balance_transaction`, `import`, `seed`; `+` between a cross rate's legs; `same`). */
  rate_source: string | null;
  /** The stored day of the rate (earlier than `day` on weekends); null for `same` or a missing rate. */
  rate_day: string | null;
  /** `value` converted on its own and rounded half away from zero; null without a rate. */
  converted: number | null;
}

export interface ConvertedRecordPage {
  kpi: ConvertedRecordKpi;
  from: string;
  to: string;
  timezone: string;
  currency: "all";
  reporting_currency: string;
  livemode: boolean;
  /** The converted figure as the dashboards show it (computeConvertedKpis). */
  figure: number | null;
  /** Σ converted of every row (all pages); null when a row lacks a rate. */
  total: number | null;
  missing: MissingRates[];
  /** Every row of the figure, on all pages. */
  total_rows: number;
  /** This page (from 1), its size and the number of pages. */
  page: number;
  limit: number;
  pages: number;
  /** The rows of this page, in the order of `at`, then `key`. */
  rows: ConvertedRecordRow[];
}

/** Rows on a page of converted records unless `limit` says otherwise. */
export const CONVERTED_RECORDS_PAGE = 50;

export interface ConvertedRecordParams {
  kpi: string;
  from: string;
  to: string;
  reportingCurrency?: string;
  livemode?: boolean;
  timezone?: string;
  /** The page to return (from 1; past the last page gives no rows) and its size. */
  page?: number;
  limit?: number;
}

/**
 * The records behind a converted figure (kpis.md "Reporting currency"): every currency's records of
 * the per-currency figure, each converted at the rate of its reporting day as the converted view
 * does, so Σ converted = the figure. MRR lists each subscription with MRR at the end of the period
 * (the converted view converts MRR per subscription, not per customer). The sum and the missing
 * rates cover every row; `rows` is the requested page of them.
 */
export async function listConvertedRecords(
  ctx: ServiceContext,
  params: ConvertedRecordParams,
): Promise<ConvertedRecordPage> {
  const { rows, ...all } = await allConvertedRecords(ctx, params);
  const limit = params.limit ?? CONVERTED_RECORDS_PAGE;
  const page = params.page ?? 1;
  return {
    ...all,
    total_rows: rows.length,
    page,
    limit,
    pages: Math.max(1, Math.ceil(rows.length / limit)),
    rows: rows.slice((page - 1) * limit, page * limit),
  };
}

/** Every record of a converted figure, with the figure, their sum and the missing rates (the CSV's rows). */
export async function allConvertedRecords(
  ctx: ServiceContext,
  params: ConvertedRecordParams,
): Promise<Omit<ConvertedRecordPage, "total_rows" | "page" | "limit" | "pages">> {
  const kpi = params.kpi;
  if (!isConvertedRecordKpi(kpi)) {
    throw new ValidationError(
      `currency: "all" lists the records of ${CONVERTED_RECORD_KPIS.join(", ")} only`,
      "currency",
    );
  }
  const p = await resolveConverted(ctx, params);
  const missing = new Map<string, Set<string>>();
  let rows: ConvertedRecordRow[];
  if (isMovementKpi(kpi)) rows = await movementRows(ctx, p, kpi, missing);
  else {
    const raw = kpi === "mrr" ? await subscriptionRows(ctx, p) : await ledgerRows(ctx, p, kpi);
    const book = await loadRateBook(
      { db: ctx.readDb },
      [...new Set(raw.map((r) => r.currency)), p.reporting],
      p.to,
    );
    rows = raw.map((r) => withRate(r, book, p.reporting, missing));
  }
  rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.key < b.key ? -1 : 1));
  const figures = await computeConvertedKpis(ctx, { ...params, reportingCurrency: p.reporting });
  return {
    kpi,
    from: p.from,
    to: p.to,
    timezone: p.timezone,
    currency: "all",
    reporting_currency: p.reporting,
    livemode: p.livemode,
    figure: isMovementKpi(kpi) ? (figures.mrr_movements?.[movementOf(kpi)] ?? null) : figures[kpi],
    total: rows.some((r) => r.converted === null) ? null : rows.reduce((s, r) => s + r.converted!, 0),
    missing: [...missing]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([pair, days]) => ({ pair, days: [...days].sort() })),
    rows,
  };
}

type RawRow = Omit<ConvertedRecordRow, "rate" | "rate_source" | "rate_day" | "converted">;
type Resolved = Awaited<ReturnType<typeof resolveConverted>>;

function withRate(r: RawRow, book: RateBook, reporting: string, missing: Map<string, Set<string>>) {
  const resolved = book.resolve(r.currency, reporting, r.day);
  if (resolved === null) {
    const pair = `${r.currency.toUpperCase()}/${reporting.toUpperCase()}`;
    missing.set(pair, (missing.get(pair) ?? new Set()).add(r.day));
    return { ...r, rate: null, rate_source: null, rate_day: null, converted: null };
  }
  const same = resolved.via === "same";
  return {
    ...r,
    rate: toDecimal(resolved.rate),
    rate_source: same ? "same" : [...new Set(resolved.legs.map((l) => l.source))].join("+"),
    rate_day: same ? null : resolved.day,
    converted: convertMinor(r.value, resolved.rate, r.currency, reporting),
  };
}

/** The per-currency records of a ledger figure in every currency with amounts in the period. */
async function ledgerRows(
  ctx: ServiceContext,
  p: Resolved,
  kpi: Exclude<ConvertedRecordKpi, MovementKpi>,
): Promise<RawRow[]> {
  const a = snapDailyAmounts;
  const currencies = await ctx.readDb
    .selectDistinct({ currency: a.currency })
    .from(a)
    .where(and(eq(a.livemode, p.livemode), between(a.day, p.from, p.to)));
  const rows: RawRow[] = [];
  for (const { currency } of currencies) {
    const each = iterateRecords(ctx, {
      kpi,
      from: p.from,
      to: p.to,
      currency,
      livemode: p.livemode,
      timezone: p.timezone,
    });
    for await (const r of each) {
      rows.push({
        key: r.key,
        at: r.at,
        day: r.at.length === 10 ? r.at : dayOf(new Date(r.at), p.timezone),
        object: r.object,
        object_id: r.object_id,
        customer_id: r.customer_id,
        stripe_id: r.stripe_id,
        currency,
        value: r.value,
      });
    }
  }
  return rows;
}

/** Each subscription's MRR at the end of the period (the latest snapshot row at or before it), above 0. */
async function subscriptionRows(ctx: ServiceContext, p: Resolved): Promise<RawRow[]> {
  const s = snapSubscriptionMrr;
  const latest = await queryRows<{
    subscription_id: string;
    customer_key: string;
    currency: string;
    mrr: number | string;
  }>(
    ctx.readDb,
    sql`SELECT * FROM (
          SELECT DISTINCT ON (${s.subscriptionId}) ${s.subscriptionId} AS subscription_id,
                 ${s.customerKey} AS customer_key, ${s.currency} AS currency, ${s.mrr} AS mrr
          FROM ${s} WHERE ${s.livemode} = ${p.livemode} AND ${lte(s.day, p.to)}
          ORDER BY ${s.subscriptionId}, ${s.day} DESC
        ) l WHERE l.mrr > 0`,
  );
  return latest.map((r) => ({
    key: r.subscription_id,
    at: p.to,
    day: p.to,
    object: "subscription",
    object_id: r.subscription_id,
    customer_id: /^\d+$/.test(r.customer_key) ? Number(r.customer_key) : null,
    stripe_id: r.subscription_id,
    currency: r.currency,
    value: Number(r.mrr),
  }));
}

/** What the rows of a converted figure are (the page's subtitle). */
export function convertedRecordRows(kpi: ConvertedRecordKpi): string {
  if (!isMovementKpi(kpi)) return RECORD_KPIS[kpi].rows;
  const movement = movementOf(kpi);
  if (movement === "fx")
    return "each day's revaluation: the MRR held from the day before, at that day's rates against the day before's";
  if (movement === "net")
    return "each customer's change of converted MRR on each day, and each day's revaluation (fx), with its sign";
  return `customers whose converted MRR moved as ${movement} on a day of the period, MRR before → after at that day's rates`;
}

const isMovementKpi = (kpi: string): kpi is MovementKpi => (MOVEMENT_KPIS as readonly string[]).includes(kpi);
const movementOf = (kpi: MovementKpi) => kpi.slice("mrr_movements.".length) as keyof ConvertedMovements;

/**
 * The records of a converted movement: each customer's change of converted MRR on a day of the
 * period (MRR before → after at that day's rates, typed as the converted view types it) and, for
 * `fx` and `net`, each day's revaluation of the MRR held from the day before. Taken from the same
 * sweep as the figure, so they add up to it; a contraction or churn counts its drop as value, `net`
 * each change with its sign. A customer's own MRR and its rate are shown when it is in one currency.
 */
async function movementRows(
  ctx: ServiceContext,
  p: Resolved,
  kpi: MovementKpi,
  missing: Map<string, Set<string>>,
): Promise<ConvertedRecordRow[]> {
  const wanted = movementOf(kpi);
  const subscriptions = await snapshotSubscriptionMrr(ctx.readDb, p);
  const book = await loadRateBook(
    { db: ctx.readDb },
    [...new Set(subscriptions.map((r) => r.currency)), p.reporting],
    p.to,
  );
  const moves: ConvertedMovementRecord[] = [];
  const result = convertPeriod({
    from: p.from,
    to: p.to,
    reporting: p.reporting,
    book,
    amounts: [],
    subscriptions,
    onMovement: (m) => {
      if (wanted === "net" || m.movement === wanted) moves.push(m);
    },
  });
  for (const [pair, days] of result.missing)
    missing.set(pair, new Set([...(missing.get(pair) ?? []), ...days]));
  const rateless = result.mrr === null;
  return moves.map((m) => {
    const change = m.after - m.before;
    const value = wanted === "net" || wanted === "fx" ? change : Math.abs(change);
    const one = m.native !== null && m.currencies.length === 1 ? m.currencies[0]! : null;
    const resolved = one ? book.resolve(one, p.reporting, m.day) : null;
    const same = resolved?.via === "same";
    const nativeChange = m.native ? m.native.after - m.native.before : 0;
    return {
      key: m.customer === null ? `fx@${m.day}` : `${m.customer}@${m.day}`,
      at: m.day,
      day: m.day,
      object: m.customer === null ? "fx_revaluation" : "mrr_change",
      object_id: m.customer ?? m.currencies.join("+"),
      customer_id: m.customer !== null && /^\d+$/.test(m.customer) ? Number(m.customer) : null,
      stripe_id: null,
      // One currency: the customer's own change; otherwise the converted change, in the reporting currency.
      currency: one ?? p.reporting,
      value: one ? (wanted === "net" || wanted === "fx" ? nativeChange : Math.abs(nativeChange)) : value,
      rate: resolved ? toDecimal(resolved.rate) : null,
      rate_source: resolved
        ? same
          ? "same"
          : [...new Set(resolved.legs.map((l) => l.source))].join("+")
        : m.customer === null
          ? "revaluation"
          : "several",
      rate_day: resolved && !same ? resolved.day : null,
      converted: rateless ? null : value,
    };
  });
}
