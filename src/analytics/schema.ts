import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

/**
 * Reporting days whose snapshots must be rebuilt (written by webhook handlers and services in the
 * transaction of the change, drained by the worker). Append-only, one row per mark: concurrent
 * writers never wait on each other's row lock, and the worker deletes exactly the marks it saw.
 */
export const dirtyDays = pgTable("dirty_days", {
  id: bigserial({ mode: "number" }).primaryKey(),
  day: date().notNull(),
  markedAt: timestamp({ withTimezone: true }).notNull(),
  /**
   * The customers whose paid orders the change touched on this day (empty: none, a change of money,
   * subscriptions or rates); null when the change did not say, so every part of the day is rebuilt.
   */
  paidOrdersOf: integer().array(),
  /**
   * The change's whole effect on the product and amount counts is records that count now and did
   * not before (an order just paid, a charge just stored), each named by a `snap_pending` row written
   * with the mark: a day whose marks all say so adds those records to its counts instead of
   * recounting the day.
   */
  arrivalsOnly: boolean().notNull().default(false),
});

/**
 * Records not yet in the product or amount counts (`target`): an order just paid, a charge just
 * stored, written in the transaction of the change with its `dirty_days` mark. A build that counts
 * the instants `at` lies in deletes the rows in the statement that counts, so each record is counted
 * once: by the build whose snapshot saw it arrive, or, when none did, added by the dirty-day job.
 */
export const snapPending = pgTable(
  "snap_pending",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    /** The counts the record is missing from: `products` (an order's lines) or `amounts`. */
    target: text().notNull(),
    /** When the record counts: the order's `paid_at`, the charge's `created`. */
    at: timestamp({ withTimezone: true }).notNull(),
    orderId: integer(),
    chargeId: text(),
  },
  (t) => [index("snap_pending_target_at_idx").on(t.target, t.at)],
);

/**
 * The reporting days a build has written, and in which zone: the cohorts stage counts a month's
 * customers from their customer-day rows (`snap_customer_orders`) only when every day of the month
 * with a paid order is here in the build's zone, and from the orders otherwise.
 */
export const snapBuiltDays = pgTable("snap_built_days", {
  day: date().primaryKey(),
  timezone: text().notNull(),
});

/**
 * That something the MRR stages read changed: one row per statement that changed rows of
 * `subscription_history`, `discounts` or `coupons` (or truncated one), written by triggers on those
 * tables in the writer's transaction, whoever the writer is (a webhook handler, a sync, a hand-made
 * fix). Append-only like `dirty_days`. The worker's dirty-day job skips the MRR stages without
 * reading the whole history when none is here, and deletes exactly the rows it saw.
 */
export const mrrInputChanges = pgTable("mrr_input_changes", {
  id: bigserial({ mode: "number" }).primaryKey(),
  /** The table whose rows changed. */
  source: text().notNull(),
  changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * What a whole-history snapshot stage was last built from (`name` = the stage group): a fingerprint
 * of its inputs and of the rows it left. A build whose fingerprint is unchanged skips that stage (a
 * dirty order day does not recompute every customer's MRR); any change to the inputs or to those
 * tables makes the next build recompute it.
 */
export const snapSources = pgTable("snap_sources", {
  name: text().primaryKey(),
  fingerprint: text().notNull(),
});

/**
 * Each subscription's history as the MRR stages last read it (an order-independent hash of its
 * `subscription_history` rows), so the worker's rebuild can tell which subscriptions changed since
 * and recompute only their customers' MRR rows. Written with the MRR stages, in their transaction.
 */
export const snapMrrSubscriptions = pgTable(
  "snap_mrr_subscriptions",
  {
    livemode: boolean().notNull(),
    subscriptionId: text().notNull(),
    hash: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.livemode, t.subscriptionId] })],
);

const money = () => bigint({ mode: "number" }).notNull();

/** Money in and out per reporting day, currency and Stripe mode (kpis.md, payments ledger). */
export const snapDailyLedger = pgTable(
  "snap_daily_ledger",
  {
    day: date().notNull(),
    currency: text().notNull(),
    livemode: boolean().notNull(),
    charges: integer().notNull(),
    grossRevenue: money(),
    refunds: money(),
    /** Chargebacks opened that day (inquiries excluded). */
    disputes: money(),
    /** Disputes first seen `lost` that day. */
    disputesLost: bigint({ mode: "number" }).notNull().default(0),
    /** Sum of the known fees of the day's succeeded charges, and how many charges had one. */
    fees: money(),
    feesKnown: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.livemode, t.currency, t.day] })],
);

/** Paid orders per reporting day (by `paid_at`). */
export const snapDailyOrders = pgTable(
  "snap_daily_orders",
  {
    day: date().notNull(),
    currency: text().notNull(),
    livemode: boolean().notNull(),
    orders: integer().notNull(),
    orderRevenue: money(),
    customers: integer().notNull(),
    newCustomers: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.livemode, t.currency, t.day] })],
);

/**
 * One row per customer per day with a paid order: what makes distinct customers, new customers and
 * repeat customers of any period exact (they are not additive over days).
 */
export const snapCustomerOrders = pgTable(
  "snap_customer_orders",
  {
    day: date().notNull(),
    currency: text().notNull(),
    livemode: boolean().notNull(),
    customerId: integer().notNull(),
    orders: integer().notNull(),
    revenue: money(),
    /** Paid orders of this customer (same currency and mode) before this day. */
    ordersBefore: integer().notNull(),
    /** Days since this customer's previous day with a paid order (same currency and mode); `NO_GAP` when none. */
    prevGap: integer().notNull(),
    /** Days until this customer's next day with a paid order (same currency and mode); `NO_GAP` when none. */
    nextGap: integer().notNull(),
    /**
     * This customer's first day with a paid order (same currency and mode), ever: the cohort. Null only
     * on rows written before the column existed; every row of a day in `snap_built_days` has it.
     */
    firstDay: date(),
  },
  (t) => [primaryKey({ columns: [t.livemode, t.currency, t.day, t.customerId] })],
);

/** The gap stored when a customer has no earlier (or later) day of the same kind. */
export const NO_GAP = 1_000_000;

/**
 * Compact counts that make the non-additive customer KPIs of any period exact with one index probe
 * per day (size bounded by days × gaps, not by orders or customers). For each day and kind, `customers`
 * is how many customer rows of that day have a gap of at least `gap` days:
 * - `reach`: customer-days with a paid order, gap to the customer's previous such day (distinct
 *   customers of a period are the rows whose previous day falls before the period);
 * - `single`: a customer's first day with exactly one paid order, gap to their next one (customers
 *   of a period with only one paid order by its end).
 */
export const snapCustomerGaps = pgTable(
  "snap_customer_gaps",
  {
    livemode: boolean().notNull(),
    currency: text().notNull(),
    kind: text().notNull(),
    day: date().notNull(),
    gap: integer().notNull(),
    customers: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.livemode, t.currency, t.kind, t.day, t.gap] })],
);

/**
 * MRR totals at the end of each day on which any customer MRR changed, with the day's movements
 * (the stocks of any day are the latest row at or before it).
 */
export const snapDailyMrr = pgTable(
  "snap_daily_mrr",
  {
    livemode: boolean().notNull(),
    currency: text().notNull(),
    day: date().notNull(),
    mrr: money(),
    subscribers: integer().notNull(),
    subscriptions: integer().notNull(),
    newMrr: money(),
    expansion: money(),
    contraction: money(),
    churn: money(),
    reactivation: money(),
  },
  (t) => [primaryKey({ columns: [t.livemode, t.currency, t.day] })],
);

/** Units, line revenue and known cost per product per day. */
export const snapDailyProducts = pgTable(
  "snap_daily_products",
  {
    day: date().notNull(),
    currency: text().notNull(),
    livemode: boolean().notNull(),
    productId: integer().notNull(),
    units: integer().notNull(),
    revenue: money(),
    /** Revenue and cost of the lines whose unit cost is known (margin = costed revenue − cost). */
    costedRevenue: money(),
    cost: money(),
    costedLines: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.livemode, t.currency, t.day, t.productId] })],
);

/**
 * Customer MRR at the end of each day on which it changed (compact: a customer's MRR on any day is
 * the latest row at or before it), with the day's movement. Keyed by customer id, or the Stripe
 * customer id ("s:cus_…") when the customer is not linked.
 */
export const snapCustomerMrr = pgTable(
  "snap_customer_mrr",
  {
    livemode: boolean().notNull(),
    currency: text().notNull(),
    customerKey: text().notNull(),
    day: date().notNull(),
    mrr: money(),
    prevMrr: money(),
    /** Subscriptions of this customer with MRR > 0 at the end of the day. */
    subscriptions: integer().notNull(),
    prevSubscriptions: integer().notNull(),
    /** new | expansion | contraction | churn | reactivation; null when only the count changed. */
    movement: text(),
    /**
     * The day of the customer's next row in this currency and mode ('infinity' for the latest): the
     * row is their MRR at the end of each day from `day` up to the day before `valid_to`.
     */
    validTo: date().notNull().default("infinity"),
    /**
     * The day of the customer's previous row in this currency and mode ('-infinity' for their first):
     * a row of a period whose `prev_day` is before it is the customer's first change in it, and its
     * `prev_mrr` their MRR at the period's start.
     */
    prevDay: date().notNull().default("-infinity"),
  },
  (t) => [
    primaryKey({ columns: [t.livemode, t.currency, t.customerKey, t.day] }),
    // The rows of a period's days; index-only for churn and retention, which need each row's
    // neighbours and MRR before and after (the customer only for one who changed more than once).
    index("snap_customer_mrr_day_idx").on(
      t.livemode,
      t.currency,
      t.day,
      t.prevDay,
      t.validTo,
      t.prevMrr,
      t.mrr,
    ),
    // One customer's timeline (the customer profile) without reading every customer's rows.
    index("snap_customer_mrr_customer_idx").on(t.customerKey, t.livemode),
    // The paying customers at the end of day D (`day <= D AND valid_to > D`): a range of the rows
    // still valid after D, not every customer's history up to D. Index-only (customer and MRR in it).
    index("snap_customer_mrr_paying_idx")
      .on(t.livemode, t.currency, t.validTo, t.day, t.customerKey, t.mrr)
      .where(sql`"mrr" > 0`),
  ],
);

/**
 * MRR by plan (Stripe price) at the end of each day on which it changed: each subscription's MRR
 * split between its items' plans (compact: a plan's MRR on any day is the latest row at or before
 * it). Per currency and mode the plans add up to the MRR total of `snap_daily_mrr`.
 */
export const snapPlanMrr = pgTable(
  "snap_plan_mrr",
  {
    livemode: boolean().notNull(),
    currency: text().notNull(),
    planId: text().notNull(),
    day: date().notNull(),
    mrr: money(),
    /** Subscriptions with a part of their MRR > 0 on this plan. */
    subscriptions: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.livemode, t.currency, t.planId, t.day] })],
);

/**
 * Each subscription's part of a plan's MRR at the end of each day on which it changed, the rows
 * `snap_plan_mrr` sums (a plan's records: the rows valid on a day with a part above 0). A part holds
 * from `day` up to the day before `valid_to`.
 */
export const snapSubscriptionPlanMrr = pgTable(
  "snap_subscription_plan_mrr",
  {
    livemode: boolean().notNull(),
    currency: text().notNull(),
    planId: text().notNull(),
    subscriptionId: text().notNull(),
    day: date().notNull(),
    /** The plan's part of the subscription's MRR. */
    mrr: money(),
    /** The subscription's whole MRR, of which `mrr` is the plan's part. */
    subscriptionMrr: money(),
    /** Customer id, or the Stripe customer id when the customer is not linked (as `snap_customer_mrr`). */
    customerKey: text().notNull(),
    validTo: date().notNull().default("infinity"),
  },
  (t) => [
    primaryKey({ columns: [t.livemode, t.currency, t.planId, t.subscriptionId, t.day] }),
    // A plan's paying subscriptions at the end of day D (`day <= D AND valid_to > D`).
    index("snap_subscription_plan_mrr_paying_idx")
      .on(t.livemode, t.currency, t.planId, t.validTo, t.day)
      .where(sql`"mrr" > 0`),
  ],
);

/** Customers of a cohort (month of first paid order) with a paid order in an activity month. */
export const snapCohorts = pgTable(
  "snap_cohorts",
  {
    livemode: boolean().notNull(),
    currency: text().notNull(),
    cohortMonth: text().notNull(),
    activityMonth: text().notNull(),
    monthIndex: integer().notNull(),
    customers: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.livemode, t.currency, t.cohortMonth, t.activityMonth] })],
);
