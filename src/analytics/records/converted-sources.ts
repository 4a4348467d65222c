import { lte, type SQL, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { queryRows } from "../../db/sql.ts";
import { convertMinor, loadRateBook, type RateBook, type ResolvedRate, toDecimal } from "../../fx/index.ts";
import {
  type ConvertedMovementRecord,
  type ConvertedMovements,
  type ConvertedStartingCustomer,
  convertPeriod,
} from "../converted/core.ts";
import {
  crossCurrencyCustomers,
  type ResolvedConverted,
  snapshotSubscriptionMrr,
} from "../converted/load.ts";
import { productSales } from "../converted/products.ts";
import { snapDailyAmounts, snapSubscriptionMrr } from "../converted/schema.ts";
import { snapDailyOrders } from "../schema.ts";
import { RECORD_KPIS, type RecordKpi } from "./kpis.ts";

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
  /** The record's own currency; currencies joined by "+" for a count of a customer paying in several. */
  currency: string;
  /** What the row adds to the figure in its own currency (minor units; negative when it takes away), or the count it adds. */
  value: number;
  /**
   * Units of the reporting currency per unit of `currency`, as a decimal; null when no rate exists
   * or none applies (`rate_source` says which).
   */
  rate: string | null;
  /**
   * Where the rate comes from: `stripe_balance_transaction`, `import`, `seed` (`+` between a cross
   * rate's legs), `same`; `count` (a count: nothing converted), `several` (a change of MRR in several
   * currencies, given converted), `revaluation` (a day's FX revaluation), `start_end` (MRR at start
   * and at end, each converted at its own day's rates).
   */
  rate_source: string | null;
  /** The stored day of the rate (earlier than `day` on weekends); null for `same` or a missing rate. */
  rate_day: string | null;
  /** `value` converted on its own and rounded half away from zero (a count as it is); null without a rate. */
  converted: number | null;
  /** Of a mean or a rate: what the row adds to the denominator (in the reporting currency when money); null otherwise. */
  denominator: number | null;
  /** Of an MRR movement or a starting customer: converted MRR before and after (start and end); null otherwise. */
  before: number | null;
  after: number | null;
}

export type RawRow = Omit<
  ConvertedRecordRow,
  "rate" | "rate_source" | "rate_day" | "converted" | "denominator" | "before" | "after"
>;
/** A subscription's row with its customer's key (not a column of the records). */
export type SubscriptionRaw = RawRow & { customer_key: string };
export type MissingDays = Map<string, Set<string>>;

const NO_EXTRAS = { denominator: null, before: null, after: null };

/** The rate columns of a resolved rate: the decimal, its sources, and the stored day unless `same`. */
export function rateColumns(resolved: ResolvedRate) {
  const same = resolved.via === "same";
  return {
    rate: toDecimal(resolved.rate),
    rate_source: same ? "same" : [...new Set(resolved.legs.map((l) => l.source))].join("+"),
    rate_day: same ? null : resolved.day,
  };
}

const addMissing = (missing: MissingDays, currency: string, reporting: string, day: string) => {
  const pair = `${currency.toUpperCase()}/${reporting.toUpperCase()}`;
  missing.set(pair, (missing.get(pair) ?? new Set()).add(day));
};

/** Converts each row at its day's rate (a missing rate leaves it unconverted and is remembered). */
export async function convertRows(
  ctx: ServiceContext,
  p: ResolvedConverted,
  raw: RawRow[],
  missing: MissingDays,
  scale = 1,
): Promise<ConvertedRecordRow[]> {
  const book = await loadRateBook(
    { db: ctx.readDb },
    [...new Set(raw.map((r) => r.currency)), p.reporting],
    p.to,
  );
  return raw.map(({ customer_key: _, ...r }: RawRow & { customer_key?: string }) => {
    const resolved = book.resolve(r.currency, p.reporting, r.day);
    if (resolved === null) {
      addMissing(missing, r.currency, p.reporting, r.day);
      return { ...r, rate: null, rate_source: null, rate_day: null, converted: null, ...NO_EXTRAS };
    }
    const converted = convertMinor(r.value / scale, resolved.rate, r.currency, p.reporting) * scale;
    return { ...r, ...rateColumns(resolved), converted, ...NO_EXTRAS };
  });
}

/** Rows of a count: nothing to convert, each adds its value as it is. */
export const countRows = (raw: RawRow[]): ConvertedRecordRow[] =>
  raw.map(({ customer_key: _, ...r }: RawRow & { customer_key?: string }) => ({
    ...r,
    rate: null,
    rate_source: "count",
    rate_day: null,
    converted: r.value,
    ...NO_EXTRAS,
  }));

/** The currencies with ledger amounts or paid orders in the period. */
async function periodCurrencies(ctx: ServiceContext, p: ResolvedConverted): Promise<string[]> {
  const a = snapDailyAmounts;
  const o = snapDailyOrders;
  const rows = await queryRows<{ currency: string }>(
    ctx.readDb,
    sql`SELECT ${a.currency} AS currency FROM ${a}
        WHERE ${a.livemode} = ${p.livemode} AND ${a.day} BETWEEN ${p.from}::date AND ${p.to}::date
        UNION
        SELECT ${o.currency} FROM ${o}
        WHERE ${o.livemode} = ${p.livemode} AND ${o.day} BETWEEN ${p.from}::date AND ${p.to}::date
        ORDER BY 1`,
  );
  return rows.map((r) => r.currency);
}

/** A ledger or order figure's records in every currency, as one query (see `ledgerUnion`). */
export interface LedgerUnion {
  query: SQL;
}

/**
 * The per-currency records of a ledger or order figure (`kpi`) in every currency with amounts or
 * orders in the period, as one query: each currency's branch is the per-currency records' own
 * source, with the currency and the reporting day (`day`, in the reporting time zone) beside each
 * row; `reason` narrows refunds by reason. Null when no currency has any.
 */
export async function ledgerUnion(
  ctx: ServiceContext,
  p: ResolvedConverted,
  kpi: RecordKpi,
  cell: { reason?: string },
): Promise<LedgerUnion | null> {
  const currencies = await periodCurrencies(ctx, p);
  if (currencies.length === 0) return null;
  const branches = currencies.map((currency) => {
    const source = RECORD_KPIS[kpi].source({ ...p, currency, ...cell });
    const instant = source.at === "timestamptz";
    const atText = instant
      ? sql`to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : sql`r.at::text`;
    const day = instant ? sql`(r.at AT TIME ZONE ${p.timezone})::date::text` : sql`r.at::text`;
    return sql`SELECT r.key, ${atText} AS at, ${day} AS day, ${currency}::text AS currency, r.object, r.object_id,
                      r.customer_id, r.stripe_id, r.value, r.at::timestamptz AS at_sort
               FROM (${source.query}) r`;
  });
  return { query: sql.join(branches, sql` UNION ALL `) };
}

type LedgerDbRow = Omit<RawRow, "customer_id" | "value"> & {
  customer_id: number | string | null;
  value: number | string;
};

/** The order of a ledger figure's records: by instant, then key (byte order), then currency. */
const LEDGER_ORDER = sql`u.at_sort, u.key COLLATE "C", u.currency`;

/**
 * A page of a ledger or order figure's records in every currency (all of them without `page`),
 * in the order of `LEDGER_ORDER`, converted at their day's rate (counts as they are). One query, not
 * a keyset walk per currency: the converted view lists every currency's records together.
 */
export async function ledgerPage(
  ctx: ServiceContext,
  p: ResolvedConverted,
  union: LedgerUnion | null,
  count: boolean,
  missing: MissingDays,
  page?: { offset: number; limit: number },
): Promise<ConvertedRecordRow[]> {
  if (!union) return [];
  const rows = await queryRows<LedgerDbRow>(
    ctx.readDb,
    sql`SELECT u.key, u.at, u.day, u.currency, u.object, u.object_id, u.customer_id, u.stripe_id, u.value
        FROM (${union.query}) u ORDER BY ${LEDGER_ORDER}
        ${page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``}`,
  );
  const raw = rows.map((r) => ({
    ...r,
    customer_id: r.customer_id === null ? null : Number(r.customer_id),
    value: Number(r.value),
  }));
  return count ? countRows(raw) : convertRows(ctx, p, raw, missing);
}

/**
 * What every record of a ledger or order figure adds up to, converted: the records grouped by
 * currency, reporting day and value (each group converted once, times its rows, as the converted
 * view converts its amount counts), so the totals of a page need not convert every row. Null
 * `converted` when a group's day has no rate (the pair and day are added to `missing`).
 */
export async function ledgerTotals(
  ctx: ServiceContext,
  p: ResolvedConverted,
  union: LedgerUnion | null,
  count: boolean,
  missing: MissingDays,
): Promise<{ rows: number; converted: number | null }> {
  if (!union) return { rows: 0, converted: 0 };
  const groups = await queryRows<{
    currency: string;
    day: string;
    value: number | string;
    n: number | string;
  }>(
    ctx.readDb,
    sql`SELECT u.currency, u.day, u.value, count(*) AS n FROM (${union.query}) u GROUP BY 1, 2, 3`,
  );
  let rows = 0;
  let converted: number | null = 0;
  const book = count
    ? null
    : await loadRateBook({ db: ctx.readDb }, [...new Set(groups.map((g) => g.currency)), p.reporting], p.to);
  for (const g of groups) {
    const n = Number(g.n);
    const value = Number(g.value);
    rows += n;
    if (!book) {
      converted! += n * value;
      continue;
    }
    const resolved = book.resolve(g.currency, p.reporting, g.day);
    if (resolved === null) {
      addMissing(missing, g.currency, p.reporting, g.day);
      converted = null;
    } else if (converted !== null)
      converted += n * convertMinor(value, resolved.rate, g.currency, p.reporting);
  }
  return { rows, converted };
}

const customerIdOf = (key: string) => (/^\d+$/.test(key) ? Number(key) : null);

/** Each subscription's MRR at the end of the period (the latest snapshot row at or before it), above 0. */
export async function subscriptionRows(
  ctx: ServiceContext,
  p: ResolvedConverted,
): Promise<SubscriptionRaw[]> {
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
    customer_id: customerIdOf(r.customer_key),
    stripe_id: r.subscription_id,
    currency: r.currency,
    value: Number(r.mrr),
    customer_key: r.customer_key,
  }));
}

/**
 * ARPA's rows: each subscription's converted MRR at the end, and 1 in the denominator on the first
 * subscription (by id) of each customer, so Σ converted ÷ Σ denominator = MRR ÷ subscribers.
 */
export function arpaRows(rows: ConvertedRecordRow[], subscriptions: SubscriptionRaw[]): ConvertedRecordRow[] {
  const keyOf = new Map(subscriptions.map((s) => [s.key, s.customer_key]));
  const seen = new Set<string>();
  return [...rows]
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map((r) => {
      const customer = keyOf.get(r.key)!;
      const first = !seen.has(customer);
      seen.add(customer);
      return { ...r, denominator: first ? 1 : 0 };
    });
}

/** The customers with MRR above 0 at the end (the subscriptions' customers), 1 each. */
export function subscriberRows(p: ResolvedConverted, subscriptions: SubscriptionRaw[]): RawRow[] {
  const byCustomer = new Map<string, Set<string>>();
  for (const s of subscriptions) {
    byCustomer.set(s.customer_key, (byCustomer.get(s.customer_key) ?? new Set()).add(s.currency));
  }
  return [...byCustomer].map(([customer, currencies]) => ({
    key: customer,
    at: p.to,
    day: p.to,
    object: "customer",
    object_id: customer,
    customer_id: customerIdOf(customer),
    stripe_id: null,
    currency: [...currencies].sort().join("+"),
    value: 1,
  }));
}

/**
 * The period's customers once each across currencies: 1 each, or 1 when new / repeat (with 1 in the
 * denominator); a page of them with `page`.
 */
export async function customerRows(
  ctx: ServiceContext,
  p: ResolvedConverted,
  kind: "customers" | "new_customers" | "repeat_customer_rate",
  page?: { offset: number; limit: number },
): Promise<ConvertedRecordRow[]> {
  const customers = await crossCurrencyCustomers(ctx.readDb, p, kind === "new_customers", page);
  const rows = countRows(
    customers.map((c) => ({
      key: String(c.customer_id),
      at: c.first_day,
      day: c.first_day,
      object: "customer",
      object_id: String(c.customer_id),
      customer_id: c.customer_id,
      stripe_id: null,
      currency: c.currencies,
      value: kind === "repeat_customer_rate" ? (c.repeat ? 1 : 0) : 1,
    })),
  );
  return kind === "repeat_customer_rate" ? rows.map((r) => ({ ...r, denominator: 1 })) : rows;
}

/**
 * The records of a converted movement: each customer's change of converted MRR on a day of the
 * period (MRR before → after at that day's rates, typed as the converted view types it) and, for
 * `fx` and `net`, each day's revaluation of the MRR held from the day before. Taken from the same
 * sweep as the figure, so they add up to it; a contraction or churn counts its drop as value, `net`
 * each change with its sign. A customer's own MRR and its rate are shown when it is in one currency.
 */
export async function movementRows(
  ctx: ServiceContext,
  p: ResolvedConverted,
  wanted: keyof ConvertedMovements,
  missing: MissingDays,
): Promise<ConvertedRecordRow[]> {
  const moves: ConvertedMovementRecord[] = [];
  const { book, rateless } = await sweep(ctx, p, missing, {
    onMovement: (m) => {
      if (wanted === "net" || m.movement === wanted) moves.push(m);
    },
  });
  const signed = wanted === "net" || wanted === "fx";
  return moves.map((m) => {
    const change = m.after - m.before;
    const one = m.native !== null && m.currencies.length === 1 ? m.currencies[0]! : null;
    const resolved = one ? book.resolve(one, p.reporting, m.day) : null;
    const nativeChange = m.native ? m.native.after - m.native.before : 0;
    return {
      key: m.customer === null ? `fx@${m.day}` : `${m.customer}@${m.day}`,
      at: m.day,
      day: m.day,
      object: m.customer === null ? "fx_revaluation" : "mrr_change",
      object_id: m.customer ?? m.currencies.join("+"),
      customer_id: m.customer === null ? null : customerIdOf(m.customer),
      stripe_id: null,
      // One currency: the customer's own change; otherwise the converted change, in the reporting currency.
      currency: one ?? p.reporting,
      value: one ? (signed ? nativeChange : Math.abs(nativeChange)) : signed ? change : Math.abs(change),
      ...(resolved
        ? rateColumns(resolved)
        : { rate: null, rate_source: m.customer === null ? "revaluation" : "several", rate_day: null }),
      converted: rateless ? null : signed ? change : Math.abs(change),
      denominator: null,
      before: m.before,
      after: m.after,
    };
  });
}

/** The converted rates over the customers holding MRR at the period's start (their rows: MRR at start → at end). */
export const STARTING_RATE_KPIS = [
  "customer_churn_rate",
  "revenue_churn_rate",
  "net_revenue_retention",
  "gross_revenue_retention",
] as const;
export type StartingRateKpi = (typeof STARTING_RATE_KPIS)[number];

export const isStartingRate = (kpi: string): kpi is StartingRateKpi =>
  (STARTING_RATE_KPIS as readonly string[]).includes(kpi);

/**
 * The starting customers of the churn and retention rates, from the same sweep as the figures:
 * converted MRR at start → at end; the row adds 1 (churned) or the rate's numerator, and its MRR at
 * start (1 for the customer churn rate) to the denominator.
 */
export async function startingRows(
  ctx: ServiceContext,
  p: ResolvedConverted,
  kpi: StartingRateKpi,
  missing: MissingDays,
): Promise<ConvertedRecordRow[]> {
  const starting: ConvertedStartingCustomer[] = [];
  const { rateless } = await sweep(ctx, p, missing, { onStartingCustomer: (s) => starting.push(s) });
  const count = kpi === "customer_churn_rate";
  return starting.map((s) => {
    const numerator = {
      customer_churn_rate: s.churned ? 1 : 0,
      revenue_churn_rate: Math.max(0, s.start - s.end),
      net_revenue_retention: s.end,
      gross_revenue_retention: Math.min(s.start, s.end),
    }[kpi];
    return {
      key: s.customer,
      at: p.to,
      day: p.to,
      object: "customer",
      object_id: s.customer,
      customer_id: customerIdOf(s.customer),
      stripe_id: null,
      currency: count ? s.currencies.join("+") : p.reporting,
      value: numerator,
      rate: null,
      rate_source: count ? "count" : "start_end",
      rate_day: null,
      converted: rateless && !count ? null : numerator,
      denominator: count ? 1 : rateless ? null : s.start,
      before: rateless ? null : s.start,
      after: rateless ? null : s.end,
    };
  });
}

/** The converted MRR sweep of the period with its rates, telling the callbacks what it counts. */
async function sweep(
  ctx: ServiceContext,
  p: ResolvedConverted,
  missing: MissingDays,
  callbacks: Pick<Parameters<typeof convertPeriod>[0], "onMovement" | "onStartingCustomer">,
): Promise<{ book: RateBook; rateless: boolean }> {
  const subscriptions = await snapshotSubscriptionMrr(ctx.readDb, p);
  const book = await loadRateBook(
    { db: ctx.readDb },
    [...new Set(subscriptions.map((r) => r.currency)), p.reporting],
    p.to,
  );
  const result = convertPeriod({
    from: p.from,
    to: p.to,
    reporting: p.reporting,
    book,
    amounts: [],
    subscriptions,
    ...callbacks,
  });
  for (const [pair, days] of result.missing)
    missing.set(pair, new Set([...(missing.get(pair) ?? []), ...days]));
  return { book, rateless: result.mrr === null };
}

export type ProductFigure =
  | "product_units"
  | "product_revenue"
  | "product_cost"
  | "product_margin"
  | "product_margin_rate";

/**
 * A product's sales of each day and currency (the product snapshot's grain, which the converted
 * products dashboard converts): units as they are; revenue, cost and margin converted at the day's
 * rate (margin = costed revenue and cost each converted, then subtracted); the margin rate's row adds
 * its margin and, to the denominator, its costed revenue. Cost and margin list only days with costed lines.
 */
export async function productRows(
  ctx: ServiceContext,
  p: ResolvedConverted,
  kpi: ProductFigure,
  product: number,
  missing: MissingDays,
): Promise<ConvertedRecordRow[]> {
  const days = await productSales(ctx, p, product);
  const costed = kpi === "product_cost" || kpi === "product_margin" || kpi === "product_margin_rate";
  const chosen = days.filter((d) => !costed || d.costedLines > 0);
  const raw = (d: (typeof days)[number], value: number): RawRow => ({
    key: `${d.day}/${d.currency}`,
    at: d.day,
    day: d.day,
    object: "product_sales",
    object_id: d.name ?? `Product ${product}`,
    customer_id: null,
    stripe_id: null,
    currency: d.currency,
    value,
  });
  if (kpi === "product_units") return countRows(chosen.map((d) => raw(d, d.units)));
  const book = await loadRateBook(
    { db: ctx.readDb },
    [...new Set(chosen.map((d) => d.currency)), p.reporting],
    p.to,
  );
  return chosen.map((d) => {
    const native = {
      product_revenue: d.revenue,
      product_cost: d.cost,
      product_margin: d.costedRevenue - d.cost,
      product_margin_rate: d.costedRevenue - d.cost,
    }[kpi];
    const row = raw(d, native);
    const resolved = book.resolve(d.currency, p.reporting, d.day);
    if (resolved === null) {
      addMissing(missing, d.currency, p.reporting, d.day);
      return { ...row, rate: null, rate_source: null, rate_day: null, converted: null, ...NO_EXTRAS };
    }
    const convert = (amount: number) => convertMinor(amount, resolved.rate, d.currency, p.reporting);
    const converted = {
      product_revenue: convert(d.revenue),
      product_cost: convert(d.cost),
      product_margin: convert(d.costedRevenue) - convert(d.cost),
      product_margin_rate: convert(d.costedRevenue) - convert(d.cost),
    }[kpi];
    return {
      ...row,
      ...rateColumns(resolved),
      converted,
      ...NO_EXTRAS,
      denominator: kpi === "product_margin_rate" ? convert(d.costedRevenue) : null,
    };
  });
}
