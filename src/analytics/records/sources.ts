import { type SQL, sql } from "drizzle-orm";
import {
  charges,
  customers,
  disputes,
  orderLines,
  orders,
  products,
  refunds,
  stockMovements,
} from "../../db/schema.ts";
import { addDays, startOfDay } from "../core/periods.ts";
import { CAPTURED_AMOUNT, IS_CHARGEBACK, LOST_AT } from "../money-rules.ts";
import { snapCustomerMrr, snapCustomerOrders, snapSubscriptionPlanMrr } from "../schema.ts";

/**
 * The records behind each figure, as SQL over the same tables the figure reads: the payments
 * ledger and orders (whose daily snapshots equal them on built days) and the customer snapshots
 * (period customers, customer MRR changes), which the figures themselves read. Every source yields
 * the same columns, so one keyset wrapper pages, sorts and totals them all.
 */

/** The period, currency and Stripe mode of one drill-down (instants cut in the reporting zone). */
export interface RecordWindow {
  from: string;
  to: string;
  start: Date;
  end: Date;
  currency: string;
  livemode: boolean;
  /** The product of a product figure (best sellers, revenue and margin tables). */
  product?: number;
  /** The refund reason of a by-reason figure (`none`: no reason given). */
  reason?: string;
  /** The reporting time zone months are cut in (cohorts). */
  timezone: string;
  /** The order cohort ("YYYY-MM") and the month after it (0 = the cohort's own) of a cohort cell. */
  cohort?: { month: string; index: number };
  /** The plan (Stripe price) of an MRR-by-plan figure and the day at whose end it is taken. */
  plan?: string;
  planDay?: string;
}

export const RECORD_COLUMNS = [
  "key",
  "at",
  "object",
  "object_id",
  "stripe_id",
  "customer_id",
  "stripe_customer_id",
  "status",
  "amount",
  "mrr_before",
  "mrr_after",
  "movement",
  "value",
  "denominator",
] as const;
type RecordColumn = (typeof RECORD_COLUMNS)[number];

const NULLS: Record<RecordColumn, SQL> = {
  key: sql`NULL::text`,
  at: sql`NULL::timestamptz`,
  object: sql`NULL::text`,
  object_id: sql`NULL::text`,
  stripe_id: sql`NULL::text`,
  customer_id: sql`NULL::integer`,
  stripe_customer_id: sql`NULL::text`,
  status: sql`NULL::text`,
  amount: sql`NULL::bigint`,
  mrr_before: sql`NULL::bigint`,
  mrr_after: sql`NULL::bigint`,
  movement: sql`NULL::text`,
  value: sql`0::bigint`,
  denominator: sql`NULL::bigint`,
};

/** A source: its rows as a SELECT with every record column, and whether `at` is an instant or a day. */
export interface Source {
  query: SQL;
  at: "timestamptz" | "date";
  /** The sort the page opens on: by date for flows, by customer for stocks (what an index serves). */
  defaultSort: "date" | "key";
  /** The branches of a union (`query` is their UNION ALL): each is paged on its own index, then merged. */
  parts?: SQL[];
}

function select(cols: Partial<Record<RecordColumn, SQL>>, rest: SQL): SQL {
  const list = RECORD_COLUMNS.map((c) => sql`${cols[c] ?? NULLS[c]} AS ${sql.identifier(c)}`);
  return sql`SELECT ${sql.join(list, sql`, `)} ${rest}`;
}

type Ledger = typeof charges | typeof refunds | typeof disputes;
const scoped = (w: RecordWindow, t: Ledger, at: SQL = sql`${t.created}`) =>
  sql`lower(${t.currency}) = ${w.currency} AND ${t.livemode} = ${w.livemode} AND ${at} >= ${w.start} AND ${at} < ${w.end}`;

/** The shop customer of an order id (null when none). */
const customerOfOrder = (orderId: SQL) =>
  sql`(SELECT ${orders.customerId} FROM ${orders} WHERE ${orders.id} = ${orderId})`;
/** The shop customer of a charge: through its order, else its Stripe customer. */
const customerOfCharge = (chargeId: SQL) =>
  sql`(SELECT coalesce(${customerOfOrder(sql`${charges.orderId}`)},
         (SELECT ${customers.id} FROM ${customers} WHERE ${customers.stripeCustomerId} = ${charges.stripeCustomerId}))
       FROM ${charges} WHERE ${charges.id} = ${chargeId})`;
const stripeCustomerOfCharge = (chargeId: SQL) =>
  sql`(SELECT ${charges.stripeCustomerId} FROM ${charges} WHERE ${charges.id} = ${chargeId})`;

/** Succeeded charges created in the period; `value` is the captured money, or the fee for `fees`. */
export function chargeRows(w: RecordWindow, measure: "captured" | "fee", sign = 1): SQL {
  const value = measure === "fee" ? sql`${charges.fee}` : CAPTURED_AMOUNT;
  return select(
    {
      key: sql`${charges.id}`,
      at: sql`${charges.created}`,
      object: sql`'charge'`,
      object_id: sql`${charges.id}`,
      stripe_id: sql`${charges.id}`,
      customer_id: sql`coalesce(${customerOfOrder(sql`${charges.orderId}`)},
        (SELECT ${customers.id} FROM ${customers} WHERE ${customers.stripeCustomerId} = ${charges.stripeCustomerId}))`,
      stripe_customer_id: sql`${charges.stripeCustomerId}`,
      status: sql`${charges.status}`,
      amount: sql`${CAPTURED_AMOUNT}::bigint`,
      value: sql`(${sign} * ${value})::bigint`,
    },
    sql`FROM ${charges} WHERE ${charges.status} = 'succeeded' AND ${scoped(w, charges)}
        ${measure === "fee" ? sql`AND ${charges.fee} IS NOT NULL` : sql``}`,
  );
}

/** The refunds of one reason as the ops dashboard groups them (no reason or an empty one: `none`). */
const reasonIs = (reason: string) =>
  reason === NO_REASON ? sql`coalesce(${refunds.reason}, '') = ''` : sql`${refunds.reason} = ${reason}`;
export const NO_REASON = "none";

/** Succeeded refunds (provisional ones included) created in the period, of one reason when `byReason`. */
export function refundRows(w: RecordWindow, sign = 1, byReason = false): SQL {
  return select(
    {
      key: sql`${refunds.id}`,
      at: sql`${refunds.created}`,
      object: sql`'refund'`,
      object_id: sql`${refunds.id}`,
      // A provisional refund has no Stripe object of its own: it links to the charge that showed it.
      stripe_id: sql`CASE WHEN ${refunds.provisional} THEN ${refunds.chargeId} ELSE ${refunds.id} END`,
      customer_id: sql`coalesce(${customerOfOrder(sql`${refunds.orderId}`)}, ${customerOfCharge(sql`${refunds.chargeId}`)})`,
      stripe_customer_id: stripeCustomerOfCharge(sql`${refunds.chargeId}`),
      status: sql`CASE WHEN ${refunds.provisional} THEN 'provisional' ELSE ${refunds.status} END`,
      amount: sql`${refunds.amount}::bigint`,
      value: sql`(${sign} * ${refunds.amount})::bigint`,
    },
    sql`FROM ${refunds} WHERE ${refunds.status} = 'succeeded' AND ${scoped(w, refunds)}
        ${byReason ? sql`AND ${reasonIs(w.reason ?? NO_REASON)}` : sql``}`,
  );
}

/** Chargebacks opened in the period (`opened`), or disputes first seen lost in it (`lost`). */
export function disputeRows(w: RecordWindow, kind: "opened" | "lost", sign = 1): SQL {
  const at = kind === "lost" ? LOST_AT : sql`${disputes.created}`;
  const filter = kind === "lost" ? sql`${disputes.status} = 'lost'` : IS_CHARGEBACK;
  return select(
    {
      key: sql`${disputes.id}`,
      at,
      object: sql`'dispute'`,
      object_id: sql`${disputes.id}`,
      stripe_id: sql`${disputes.id}`,
      customer_id: sql`coalesce(${customerOfOrder(sql`${disputes.orderId}`)}, ${customerOfCharge(sql`${disputes.chargeId}`)})`,
      stripe_customer_id: stripeCustomerOfCharge(sql`${disputes.chargeId}`),
      status: sql`${disputes.status}`,
      amount: sql`${disputes.amount}::bigint`,
      value: sql`(${sign} * ${disputes.amount})::bigint`,
    },
    sql`FROM ${disputes} WHERE ${filter} AND ${scoped(w, disputes, at)}`,
  );
}

/** Orders paid in the period; `value` is 1 per order or its total, `denominator` 1 for the mean. */
export function orderRows(w: RecordWindow, measure: "count" | "total" | "mean"): SQL {
  return select(
    {
      key: sql`${orders.number}`,
      at: sql`${orders.paidAt}`,
      object: sql`'order'`,
      object_id: sql`${orders.number}`,
      stripe_id: sql`${orders.stripePaymentIntentId}`,
      customer_id: sql`${orders.customerId}`,
      stripe_customer_id: sql`(SELECT ${customers.stripeCustomerId} FROM ${customers} WHERE ${customers.id} = ${orders.customerId})`,
      status: sql`${orders.status}`,
      amount: sql`${orders.amountTotal}::bigint`,
      value: measure === "count" ? sql`1::bigint` : sql`${orders.amountTotal}::bigint`,
      denominator: measure === "mean" ? sql`1::bigint` : NULLS.denominator,
    },
    sql`FROM ${orders} WHERE ${orders.paidAt} IS NOT NULL AND lower(${orders.currency}) = ${w.currency}
        AND ${orders.livemode} = ${w.livemode} AND ${orders.paidAt} >= ${w.start} AND ${orders.paidAt} < ${w.end}`,
  );
}

/**
 * The lines of one product on orders paid in the period (the product dashboard's units and revenue);
 * for `cost` and `margin` only the lines whose unit cost is known (the margin table counts no other),
 * `value` being units × unit cost, or line revenue less that cost.
 */
export function orderLineRows(
  w: RecordWindow,
  measure: "units" | "revenue" | "cost" | "margin" | "margin_rate",
): SQL {
  const l = orderLines;
  const cost = sql`(${l.unitCostAmount}::bigint * ${l.quantity})`;
  const value = {
    units: sql`${l.quantity}::bigint`,
    revenue: sql`${l.amountTotal}::bigint`,
    cost: sql`${cost}::bigint`,
    margin: sql`(${l.amountTotal} - ${cost})::bigint`,
    margin_rate: sql`(${l.amountTotal} - ${cost})::bigint`,
  }[measure];
  const costed = measure !== "units" && measure !== "revenue";
  return select(
    {
      key: sql`${orders.number} || '#' || ${l.id}::text`,
      at: sql`${orders.paidAt}`,
      object: sql`'order_line'`,
      object_id: sql`${orders.number}`,
      stripe_id: sql`${orders.stripePaymentIntentId}`,
      customer_id: sql`${orders.customerId}`,
      stripe_customer_id: sql`(SELECT ${customers.stripeCustomerId} FROM ${customers} WHERE ${customers.id} = ${orders.customerId})`,
      status: sql`${l.quantity}::text || ' × ' || ${l.name}`,
      amount: sql`${l.amountTotal}::bigint`,
      value,
      // Margin %: each line's margin over its own revenue, so Σ value ÷ Σ denominator is the margin
      // over the revenue of the lines whose cost is known (margin ÷ (margin + cost)).
      ...(measure === "margin_rate" ? { denominator: sql`${l.amountTotal}::bigint` } : {}),
    },
    sql`FROM ${orders} JOIN ${l} ON ${l.orderId} = ${orders.id}
        WHERE ${orders.paidAt} >= ${w.start} AND ${orders.paidAt} < ${w.end}
          AND lower(${orders.currency}) = ${w.currency} AND ${orders.livemode} = ${w.livemode}
          AND ${l.productId} = ${w.product ?? -1}
          ${costed ? sql`AND ${l.unitCostAmount} IS NOT NULL` : sql``}`,
  );
}

/**
 * The stock of one product now, as the stock table shows it: every stock movement of the product
 * to date (its opening stock is a `receive` movement), whatever the period, so the signed quantities
 * add up to stock on hand. `preorders` turns the signs (Σ is the units sold below zero);
 * `available` adds the preorder limit as one more row (Σ is the units it can still sell).
 * An order's movement names the order (`object_id`, its customer); any other names the movement.
 */
export function stockMovementRows(w: RecordWindow, measure: "on_hand" | "preorders" | "available"): SQL {
  const s = stockMovements;
  const product = w.product ?? -1;
  const movements = select(
    {
      key: sql`lpad(${s.id}::text, 12, '0')`,
      at: sql`${s.at}`,
      object: sql`'stock_movement'`,
      object_id: sql`coalesce(${orders.number}, ${s.id}::text)`,
      stripe_id: sql`${orders.stripePaymentIntentId}`,
      customer_id: sql`${orders.customerId}`,
      stripe_customer_id: sql`(SELECT ${customers.stripeCustomerId} FROM ${customers} WHERE ${customers.id} = ${orders.customerId})`,
      status: sql`${s.reason} || coalesce(': ' || ${s.note}, '')`,
      value: measure === "preorders" ? sql`(-${s.delta})::bigint` : sql`${s.delta}::bigint`,
    },
    sql`FROM ${s} LEFT JOIN ${orders} ON ${orders.id} = ${s.orderId} WHERE ${s.productId} = ${product}`,
  );
  if (measure !== "available") return movements;
  // Below zero a preorder product sells down to −limit: the limit is room it can still sell.
  const limit = select(
    {
      key: sql`'preorder limit'`,
      at: sql`${products.updatedAt}`,
      object: sql`'preorder_limit'`,
      object_id: sql`${products.id}::text`,
      status: sql`'preorder limit'`,
      value: sql`${products.preorderLimit}::bigint`,
    },
    sql`FROM ${products} WHERE ${products.id} = ${product} AND ${products.allowPreorder}
        AND ${products.preorderLimit} IS NOT NULL`,
  );
  return sql`${movements} UNION ALL ${limit}`;
}

/**
 * The customers of the period, one row each: a customer's first day in the period with a paid
 * order (its previous such day falls before the period), from the snapshot the figure reads.
 * `new`: their first paid order ever (in this currency) is that day. `repeat`: 2+ paid orders by the
 * end of the period, i.e. not "one order that day, none before, the next after the period".
 */
export function periodCustomerRows(w: RecordWindow, measure: "all" | "new" | "repeat_rate"): SQL {
  const c = snapCustomerOrders;
  const from = sql`${w.from}::date`;
  const single = sql`(${c.ordersBefore} = 0 AND ${c.orders} = 1 AND ${c.nextGap} > ${w.to}::date - ${c.day})`;
  return select(
    {
      key: sql`${c.customerId}::text`,
      at: sql`${c.day}`,
      object: sql`'customer'`,
      object_id: sql`${c.customerId}::text`,
      customer_id: sql`${c.customerId}`,
      stripe_customer_id: sql`(SELECT ${customers.stripeCustomerId} FROM ${customers} WHERE ${customers.id} = ${c.customerId})`,
      status: sql`CASE WHEN ${c.ordersBefore} = 0 THEN 'new' ELSE 'returning' END`,
      movement: sql`CASE WHEN ${single} THEN 'one order' ELSE 'repeat' END`,
      amount: sql`${c.revenue}::bigint`,
      value: measure === "repeat_rate" ? sql`CASE WHEN ${single} THEN 0 ELSE 1 END::bigint` : sql`1::bigint`,
      denominator: measure === "repeat_rate" ? sql`1::bigint` : NULLS.denominator,
    },
    sql`FROM ${c} WHERE ${c.livemode} = ${w.livemode} AND ${c.currency} = ${w.currency}
        AND ${c.day} BETWEEN ${from} AND ${w.to}::date AND ${c.prevGap} > ${c.day} - ${from}
        ${measure === "new" ? sql`AND ${c.ordersBefore} = 0` : sql``}`,
  );
}

const m = snapCustomerMrr;
const mrrScope = (w: RecordWindow) => sql`${m.livemode} = ${w.livemode} AND ${m.currency} = ${w.currency}`;
/** Each customer's latest MRR row at or before the end of `day` (their MRR then): the row valid on `day`. */
const latestMrr = (w: RecordWindow, day: string) =>
  sql`SELECT ${m.customerKey} AS customer_key, ${m.day} AS day,
             ${m.mrr} AS mrr, ${m.prevMrr} AS prev_mrr, ${m.subscriptions} AS subscriptions, ${m.movement} AS movement
      FROM ${m} WHERE ${mrrScope(w)} AND ${m.day} <= ${day}::date AND ${m.validTo} > ${day}::date`;

const customerKeyColumns = (key: SQL) => ({
  customer_id: sql`CASE WHEN ${key} ~ '^[0-9]+$' THEN ${key}::integer END`,
  // The id compared as an integer, so the lookup is a primary-key probe.
  stripe_customer_id: sql`CASE WHEN ${key} ~ '^[0-9]+$' THEN (SELECT ${customers.stripeCustomerId} FROM ${customers} WHERE ${customers.id} = ${key}::integer) ELSE ${key} END`,
});

/**
 * Customers with MRR > 0 at the end of the period, one row each: their latest MRR change (day,
 * before → after, movement). `value`: MRR, MRR × 12, paying subscriptions, or 1 per subscriber.
 */
export function mrrEndRows(
  w: RecordWindow,
  measure: "mrr" | "arr" | "subscriptions" | "subscribers" | "arpa",
) {
  const k = sql.identifier("l");
  const col = (name: string) => sql`${k}.${sql.identifier(name)}`;
  const value = {
    mrr: col("mrr"),
    arpa: col("mrr"),
    arr: sql`${col("mrr")} * 12`,
    subscriptions: col("subscriptions"),
    subscribers: sql`1`,
  }[measure];
  return select(
    {
      key: col("customer_key"),
      at: col("day"),
      object: sql`'mrr_customer'`,
      object_id: col("customer_key"),
      ...customerKeyColumns(col("customer_key")),
      status: sql`${col("subscriptions")}::text || ' subscription(s)'`,
      mrr_before: sql`${col("prev_mrr")}::bigint`,
      mrr_after: sql`${col("mrr")}::bigint`,
      movement: col("movement"),
      value: sql`(${value})::bigint`,
      denominator: measure === "arpa" ? sql`1::bigint` : NULLS.denominator,
    },
    sql`FROM (${latestMrr(w, w.to)}) ${k} WHERE ${col("mrr")} > 0`,
  );
}

export type MovementKind = "new" | "expansion" | "contraction" | "churn" | "reactivation" | "net";

/** One row per customer and day of the period on which their MRR moved (kpis.md `mrr_movements`). */
export function movementRows(w: RecordWindow, kind: MovementKind): SQL {
  const change = sql`(${m.mrr} - ${m.prevMrr})`;
  const value =
    kind === "net" ? change : kind === "contraction" || kind === "churn" ? sql`-${change}` : change;
  const filter = kind === "net" ? sql`${m.movement} IS NOT NULL` : sql`${m.movement} = ${kind}`;
  return select(
    {
      key: sql`${m.customerKey} || '@' || ${m.day}::text`,
      at: sql`${m.day}`,
      object: sql`'mrr_change'`,
      object_id: sql`${m.customerKey}`,
      ...customerKeyColumns(sql`${m.customerKey}`),
      status: sql`${m.subscriptions}::text || ' subscription(s)'`,
      mrr_before: sql`${m.prevMrr}::bigint`,
      mrr_after: sql`${m.mrr}::bigint`,
      movement: sql`${m.movement}`,
      value: sql`${value}::bigint`,
    },
    sql`FROM ${m} WHERE ${mrrScope(w)} AND ${m.day} BETWEEN ${w.from}::date AND ${w.to}::date AND ${filter}`,
  );
}

export type RetentionKind = "customer_churn" | "revenue_churn" | "nrr" | "grr";

/**
 * The starting customers (MRR > 0 at the end of the day before the period), one row each, MRR at
 * start → at end. Numerator and denominator of the churn and retention rates per kpis.md.
 */
export function startingCustomerRows(w: RecordWindow, kind: RetentionKind): SQL {
  const s = sql.identifier("s");
  const e = sql.identifier("e");
  const start = sql`${s}.${sql.identifier("mrr")}`;
  const end = sql`coalesce(${e}.${sql.identifier("mrr")}, 0)`;
  const key = sql`${s}.${sql.identifier("customer_key")}`;
  const numerator = {
    customer_churn: sql`CASE WHEN ${end} = 0 THEN 1 ELSE 0 END`,
    revenue_churn: sql`greatest(0, ${start} - ${end})`,
    nrr: end,
    grr: sql`least(${start}, ${end})`,
  }[kind];
  return select(
    {
      key,
      at: sql`coalesce(${e}.${sql.identifier("day")}, ${s}.${sql.identifier("day")})`,
      object: sql`'starting_customer'`,
      object_id: key,
      ...customerKeyColumns(key),
      status: sql`CASE WHEN ${end} = 0 THEN 'churned' WHEN ${end} < ${start} THEN 'contracted' WHEN ${end} > ${start} THEN 'expanded' ELSE 'kept' END`,
      mrr_before: sql`${start}::bigint`,
      mrr_after: sql`${end}::bigint`,
      value: sql`(${numerator})::bigint`,
      denominator: kind === "customer_churn" ? sql`1::bigint` : sql`${start}::bigint`,
    },
    sql`FROM (${latestMrr(w, addDays(w.from, -1))}) ${s}
        LEFT JOIN (${latestMrr(w, w.to)}) ${e} ON ${e}.${sql.identifier("customer_key")} = ${key}
        WHERE ${start} > 0`,
  );
}

/** `net_revenue`: captured charges in, refunds and lost disputes out, each record signed. */
export function netRevenueParts(w: RecordWindow): SQL[] {
  return [chargeRows(w, "captured"), refundRows(w, -1), disputeRows(w, "lost", -1)];
}

/** The first day ("YYYY-MM-01") of the month `n` months after `month` ("YYYY-MM"). */
export function monthStart(month: string, n = 0): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;
}

/**
 * One order-cohort cell (kpis.md `cohort_retention`): the customers whose first paid order (in the
 * currency and mode) falls in the cohort month, one row each; `value` 1 when they have a paid order
 * in month k after it, so Σ value ÷ Σ denominator is the cell's share. Read from the orders, as the
 * cohort snapshot is built.
 */
export function cohortRows(w: RecordWindow): SQL {
  const { month, index } = w.cohort ?? { month: w.from.slice(0, 7), index: 0 };
  const at = (day: string) => startOfDay(day, w.timezone);
  const [cohortStart, cohortEnd] = [at(monthStart(month)), at(monthStart(month, 1))];
  const [activeStart, activeEnd] = [at(monthStart(month, index)), at(monthStart(month, index + 1))];
  const c = sql.identifier("c");
  const col = (name: string) => sql`${c}.${sql.identifier(name)}`;
  return select(
    {
      key: sql`${col("customer_id")}::text`,
      at: col("first_paid"),
      object: sql`'customer'`,
      object_id: sql`${col("customer_id")}::text`,
      customer_id: col("customer_id"),
      stripe_customer_id: sql`(SELECT ${customers.stripeCustomerId} FROM ${customers} WHERE ${customers.id} = ${col("customer_id")})`,
      status: sql`CASE WHEN ${col("active")} THEN 'paid in month ' || ${index}::text ELSE 'no paid order in month ' || ${index}::text END`,
      value: sql`CASE WHEN ${col("active")} THEN 1 ELSE 0 END::bigint`,
      denominator: sql`1::bigint`,
    },
    sql`FROM (
          SELECT ${orders.customerId} AS customer_id, min(${orders.paidAt}) AS first_paid,
                 bool_or(${orders.paidAt} >= ${activeStart}) AS active
          FROM ${orders}
          WHERE ${orders.paidAt} IS NOT NULL AND ${orders.paidAt} < ${activeEnd}
            AND lower(${orders.currency}) = ${w.currency} AND ${orders.livemode} = ${w.livemode}
          GROUP BY ${orders.customerId}
          HAVING min(${orders.paidAt}) >= ${cohortStart} AND min(${orders.paidAt}) < ${cohortEnd}
        ) ${c}`,
  );
}

/**
 * One row per subscription with a part of the plan's MRR at the end of `planDay`, that part as value
 * and the subscription's whole MRR as amount: the subscription-plan rows valid that day, which the
 * plan snapshot sums (`subscriptionPlanChanges`).
 */
export function planMrrRows(w: RecordWindow): SQL {
  const p = snapSubscriptionPlanMrr;
  const day = sql`${w.planDay ?? w.to}::date`;
  return select(
    {
      key: sql`${p.subscriptionId}`,
      at: day,
      object: sql`'plan_subscription'`,
      object_id: sql`${p.subscriptionId}`,
      stripe_id: sql`${p.subscriptionId}`,
      ...customerKeyColumns(sql`${p.customerKey}`),
      status: sql`${p.planId}`,
      amount: sql`${p.subscriptionMrr}::bigint`,
      value: sql`${p.mrr}::bigint`,
    },
    sql`FROM ${p} WHERE ${p.livemode} = ${w.livemode} AND ${p.currency} = ${w.currency}
        AND ${p.planId} = ${w.plan ?? ""} AND ${p.day} <= ${day} AND ${p.validTo} > ${day} AND ${p.mrr} > 0`,
  );
}

/**
 * One subscriber-cohort cell (getSubscriberCohorts): the customers whose customer MRR first rose
 * above 0 (their `new` movement) in the cohort month, one row each, from the customer MRR changes as
 * the heatmap reads them. The cell is taken at the end of month k after the cohort, or at the end of
 * the period when that comes first (a running month). `subscribers`: value 1 when their MRR then is
 * above 0, denominator 1; `mrr`: value their MRR then, denominator their starting MRR (the `new`
 * movement). Σ value ÷ Σ denominator is the cell's share. A month k that starts after the period
 * has no cell and no rows.
 */
export function subscriberCohortRows(w: RecordWindow, measure: "subscribers" | "mrr"): SQL {
  const { month, index } = w.cohort ?? { month: w.from.slice(0, 7), index: 0 };
  const cellEnd = subscriberCellEnd(month, index, w.to);
  const s = sql.identifier("s");
  const col = (name: string) => sql`${s}.${sql.identifier(name)}`;
  return select(
    {
      key: col("customer_key"),
      at: col("day"),
      object: sql`'mrr_customer'`,
      object_id: col("customer_key"),
      ...customerKeyColumns(col("customer_key")),
      status: sql`CASE WHEN ${col("mrr")} > 0 THEN 'subscribed at the end of month ' || ${index}::text
                       ELSE 'not subscribed at the end of month ' || ${index}::text END`,
      mrr_before: sql`${col("start_mrr")}::bigint`,
      mrr_after: sql`${col("mrr")}::bigint`,
      movement: sql`'new'`,
      value:
        measure === "mrr"
          ? sql`${col("mrr")}::bigint`
          : sql`CASE WHEN ${col("mrr")} > 0 THEN 1 ELSE 0 END::bigint`,
      denominator: measure === "mrr" ? sql`${col("start_mrr")}::bigint` : sql`1::bigint`,
    },
    sql`FROM (
          SELECT ${m.customerKey} AS customer_key, ${m.day} AS day, ${m.mrr} - ${m.prevMrr} AS start_mrr,
                 coalesce((SELECT l.mrr FROM ${m} l
                           WHERE l.livemode = ${w.livemode} AND l.currency = ${w.currency}
                             AND l.customer_key = ${m.customerKey} AND l.day <= ${cellEnd}::date
                           ORDER BY l.day DESC LIMIT 1), 0) AS mrr
          FROM ${m}
          WHERE ${mrrScope(w)} AND ${m.movement} = 'new'
            AND ${m.day} >= ${monthStart(month)}::date AND ${m.day} < ${monthStart(month, 1)}::date
            AND ${m.day} <= ${cellEnd}::date
            -- no cell for a month k that starts after the period (the heatmap stops at its month)
            AND ${monthStart(month, index)}::date <= ${w.to}::date
        ) ${s}`,
  );
}

/** The day a subscriber-cohort cell is read at: the end of month k, or `to` when that comes first. */
export function subscriberCellEnd(month: string, index: number, to: string): string {
  const monthEnd = addDays(monthStart(month, index + 1), -1);
  return monthEnd < to ? monthEnd : to;
}
