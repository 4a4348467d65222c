import { and, between, eq, lte, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { queryOne, queryRows } from "../../db/sql.ts";
import { isKnownCurrency } from "../../shared/currencies.ts";
import { checkDateRange } from "../../shared/dates.ts";
import { ValidationError } from "../../shared/errors.ts";
import { endOfPeriod, startOfDay } from "../core/periods.ts";
import { snapshotDefaultCurrency } from "../queries/currency.ts";
import { snapCustomerOrders, snapDailyOrders } from "../schema.ts";
import type { AmountCount } from "./amounts.ts";
import { snapDailyAmounts, snapSubscriptionMrr } from "./schema.ts";
import type { SubscriptionMrrChange } from "./subscription-mrr.ts";
import type { ConvertedParams } from "./types.ts";

export interface ResolvedConverted {
  from: string;
  to: string;
  timezone: string;
  reporting: string;
  livemode: boolean;
  start: Date;
  end: Date;
}

/** Validates the period and the reporting currency (default REPORTING_CURRENCY, else the main currency). */
export async function resolveConverted(ctx: ServiceContext, p: ConvertedParams): Promise<ResolvedConverted> {
  const { from, to } = checkDateRange({ from: p.from, to: p.to });
  const timezone = p.timezone ?? ctx.config.reportingTimezone;
  const livemode = p.livemode ?? false;
  const asked = p.reportingCurrency?.toLowerCase();
  if (asked !== undefined && (!/^[a-z]{3}$/.test(asked) || !isKnownCurrency(asked)))
    throw new ValidationError(
      `reporting_currency: expected a 3-letter ISO currency code, got "${p.reportingCurrency}"`,
      "reporting_currency",
    );
  const reporting = asked ?? ctx.config.reportingCurrency ?? (await snapshotDefaultCurrency(ctx, livemode));
  return {
    from,
    to,
    timezone,
    reporting,
    livemode,
    start: startOfDay(from, timezone),
    end: endOfPeriod(to, timezone),
  };
}

/** The period's record counts by amount, from the snapshot. */
export async function snapshotAmounts(db: Db, p: ResolvedConverted): Promise<AmountCount[]> {
  const a = snapDailyAmounts;
  const rows = await db
    .select({
      livemode: a.livemode,
      currency: a.currency,
      day: a.day,
      kind: a.kind,
      amount: a.amount,
      records: a.records,
    })
    .from(a)
    .where(and(eq(a.livemode, p.livemode), between(a.day, p.from, p.to)));
  return rows as AmountCount[];
}

/** Subscription MRR change rows up to the end of the period, from the snapshot. */
export async function snapshotSubscriptionMrr(
  db: Db,
  p: ResolvedConverted,
): Promise<SubscriptionMrrChange[]> {
  const s = snapSubscriptionMrr;
  return db
    .select({
      livemode: s.livemode,
      currency: s.currency,
      subscriptionId: s.subscriptionId,
      customerKey: s.customerKey,
      day: s.day,
      mrr: s.mrr,
    })
    .from(s)
    .where(and(eq(s.livemode, p.livemode), lte(s.day, p.to)));
}

export interface CrossCurrencyCounts {
  orders: number;
  customers: number;
  newCustomers: number;
  repeatCustomers: number;
}

/** One customer of the period in the converted view: counted once, whatever the currencies they paid in. */
export interface CrossCurrencyCustomer {
  customer_id: number;
  /** The first day of the period with a paid order of theirs. */
  first_day: string;
  /** The currencies of their paid orders in the period, joined by "+". */
  currencies: string;
  /** No paid order of theirs, in any currency, falls before the period. */
  is_new: boolean;
  /** Two or more paid orders by the end of the period, all currencies together. */
  repeat: boolean;
}

/**
 * kpis.md: in the converted view, counts are counted once per customer across currencies. A
 * customer is new when no paid order of theirs, in any currency, falls before the period; a repeat
 * customer has two or more paid orders, all currencies together, by its end. One row per customer
 * of the period: the counts are counted from these rows, and they are the counts' records.
 *
 * Repeat without reading each customer's whole history: a customer of the period who paid before
 * it (in any currency) has 2+ by its end; one who did not has, in each currency, the paid orders of
 * their latest row in the period (`orders_before + orders`, which only grows), and is a repeat
 * customer when those add up to 2 or more.
 */
function crossCurrencyCustomerRows(p: ResolvedConverted) {
  const c = snapCustomerOrders;
  return sql`WITH per_currency AS (
      SELECT ${c.customerId} AS customer_id, ${c.currency} AS currency, min(${c.day}) AS first_day,
             max(${c.ordersBefore} + ${c.orders}) AS paid
      FROM ${c}
      WHERE ${c.livemode} = ${p.livemode} AND ${c.day} BETWEEN ${p.from}::date AND ${p.to}::date
      GROUP BY ${c.customerId}, ${c.currency}
    ), period AS (
      SELECT customer_id, min(first_day) AS first_day,
             string_agg(currency, '+' ORDER BY currency) AS currencies, sum(paid) AS paid
      FROM per_currency GROUP BY customer_id
    ), earlier AS (
      SELECT DISTINCT ${c.customerId} AS customer_id FROM ${c}
      WHERE ${c.livemode} = ${p.livemode} AND ${c.day} < ${p.from}::date
    )
    SELECT period.customer_id, period.first_day::text AS first_day, period.currencies,
           earlier.customer_id IS NULL AS is_new,
           (earlier.customer_id IS NOT NULL OR period.paid >= 2) AS repeat
    FROM period LEFT JOIN earlier USING (customer_id)`;
}

/**
 * The period's customers, once each across currencies (only the new ones with `onlyNew`), in the
 * order of their first day, then id; a page of them with `page`.
 */
export async function crossCurrencyCustomers(
  db: Db,
  p: ResolvedConverted,
  onlyNew = false,
  page?: { offset: number; limit: number },
): Promise<CrossCurrencyCustomer[]> {
  const rows = await queryRows<CrossCurrencyCustomer>(
    db,
    sql`SELECT * FROM (${crossCurrencyCustomerRows(p)}) r ${onlyNew ? sql`WHERE r.is_new` : sql``}
        ORDER BY first_day, customer_id ${page ? sql`LIMIT ${page.limit} OFFSET ${page.offset}` : sql``}`,
  );
  return rows.map((r) => ({ ...r, customer_id: Number(r.customer_id) }));
}

/** The period's orders and its customers counted once across currencies (crossCurrencyCustomers' rows); a part not asked for is 0. */
export async function crossCurrencyCounts(
  db: Db,
  p: ResolvedConverted,
  parts: { orders: boolean; customers: boolean } = { orders: true, customers: true },
): Promise<CrossCurrencyCounts> {
  const o = snapDailyOrders;
  const [orders, customers] = await Promise.all([
    parts.orders
      ? queryOne<{ orders: number }>(
          db,
          sql`SELECT coalesce(sum(${o.orders}), 0)::bigint AS "orders" FROM ${o}
              WHERE ${o.livemode} = ${p.livemode} AND ${o.day} BETWEEN ${p.from}::date AND ${p.to}::date`,
        )
      : { orders: 0 },
    parts.customers
      ? queryOne<Omit<CrossCurrencyCounts, "orders">>(
          db,
          sql`SELECT count(*) AS "customers", count(*) FILTER (WHERE r.is_new) AS "newCustomers",
                     count(*) FILTER (WHERE r.repeat) AS "repeatCustomers"
              FROM (${crossCurrencyCustomerRows(p)}) r`,
        )
      : { customers: 0, newCustomers: 0, repeatCustomers: 0 },
  ]);
  return {
    orders: Number(orders!.orders),
    customers: Number(customers!.customers),
    newCustomers: Number(customers!.newCustomers),
    repeatCustomers: Number(customers!.repeatCustomers),
  };
}
