import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

export const SUBSCRIPTION_STATUSES = [
  "trialing",
  "active",
  "past_due",
  "unpaid",
  "canceled",
  "incomplete",
  "incomplete_expired",
  "paused",
] as const;

/** Recurring prices (Stripe `price` objects with `recurring`). */
export const plans = pgTable("plans", {
  id: text().primaryKey(),
  productName: text().notNull(),
  nickname: text(),
  currency: text().notNull(),
  unitAmount: integer().notNull(),
  interval: text({ enum: ["day", "week", "month", "year"] }).notNull(),
  intervalCount: integer().notNull().default(1),
  active: boolean().notNull().default(true),
  livemode: boolean().notNull().default(false),
});

/** Current state of each subscription: the newest state by the kpis.md ordering rule. */
export const subscriptions = pgTable(
  "subscriptions",
  {
    id: text().primaryKey(),
    stripeCustomerId: text().notNull(),
    customerId: integer(),
    status: text().notNull(),
    currency: text().notNull(),
    /** Items as { id, priceId, unitAmount, interval, intervalCount, quantity }[]. */
    items: jsonb().notNull(),
    percentOff: real(),
    /** Ids of the discounts applied (any API version), in order; `null` on rows stored before them. */
    discountIds: jsonb().$type<string[]>(),
    currentPeriodStart: timestamp({ withTimezone: true }),
    currentPeriodEnd: timestamp({ withTimezone: true }),
    cancelAtPeriodEnd: boolean().notNull().default(false),
    canceledAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    trialEnd: timestamp({ withTimezone: true }),
    created: timestamp({ withTimezone: true }).notNull(),
    livemode: boolean().notNull(),
    /** MRR in minor units of this state (kpis.md), stored for fast reads. */
    mrr: integer().notNull().default(0),
    sourceEventCreated: timestamp({ withTimezone: true }).notNull(),
    sourceEventSeq: integer().notNull().default(0),
  },
  (t) => [
    index("subscriptions_customer_idx").on(t.customerId),
    // Rows still waiting for their customer (every customer event links them): a small partial index.
    index("subscriptions_unlinked_idx").on(t.stripeCustomerId).where(sql`"customer_id" IS NULL`),
  ],
);

/** One row per state-carrying event about a subscription (history; the MRR time machine). */
export const subscriptionHistory = pgTable(
  "subscription_history",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    subscriptionId: text().notNull(),
    eventId: text().notNull(),
    eventCreated: timestamp({ withTimezone: true }).notNull(),
    receivedSeq: integer().notNull(),
    stripeCustomerId: text().notNull(),
    customerId: integer(),
    status: text().notNull(),
    currency: text().notNull(),
    items: jsonb().notNull(),
    percentOff: real(),
    discountIds: jsonb().$type<string[]>(),
    currentPeriodStart: timestamp({ withTimezone: true }),
    canceledAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    livemode: boolean().notNull(),
    mrr: integer().notNull(),
  },
  (t) => [
    uniqueIndex("subscription_history_event_uq").on(t.eventId),
    index("subscription_history_sub_idx").on(t.subscriptionId, t.eventCreated),
    index("subscription_history_unlinked_idx").on(t.stripeCustomerId).where(sql`"customer_id" IS NULL`),
    // The worker finds the subscriptions a change connects through a customer (snapshots/mrr-build.ts).
    index("subscription_history_stripe_customer_idx").on(t.stripeCustomerId),
    index("subscription_history_customer_idx").on(t.customerId),
  ],
);

export const invoices = pgTable(
  "invoices",
  {
    id: text().primaryKey(),
    subscriptionId: text(),
    stripeCustomerId: text(),
    status: text().notNull(),
    currency: text().notNull(),
    amountDue: integer().notNull(),
    amountPaid: integer().notNull(),
    chargeId: text(),
    paymentIntentId: text(),
    created: timestamp({ withTimezone: true }).notNull(),
    paidAt: timestamp({ withTimezone: true }),
    livemode: boolean().notNull(),
    sourceEventCreated: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("invoices_sub_idx").on(t.subscriptionId)],
);

/**
 * Discount objects (a coupon applied to a customer or subscription), from `customer.discount.*`
 * events, payloads that carry them expanded, and the Stripe API. Coupon terms are null while only
 * the coupon's id is known (2025-09-30 on, `source.coupon` is not expanded).
 */
export const discounts = pgTable(
  "discounts",
  {
    id: text().primaryKey(),
    subscriptionId: text(),
    stripeCustomerId: text(),
    couponId: text(),
    percentOff: real(),
    amountOff: integer(),
    currency: text(),
    start: timestamp({ withTimezone: true }),
    end: timestamp({ withTimezone: true }),
    /** When `customer.discount.deleted` said it was removed: it stops applying then. */
    deletedAt: timestamp({ withTimezone: true }),
    livemode: boolean().notNull(),
    sourceEventCreated: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("discounts_subscription_idx").on(t.subscriptionId)],
);

/** InvoicePayment objects (`invoice_payment.paid`, API 2025-03-31 on): which payment paid an invoice. */
export const invoicePayments = pgTable(
  "invoice_payments",
  {
    id: text().primaryKey(),
    invoiceId: text().notNull(),
    status: text().notNull(),
    currency: text().notNull(),
    amountPaid: integer(),
    chargeId: text(),
    paymentIntentId: text(),
    paidAt: timestamp({ withTimezone: true }),
    livemode: boolean().notNull(),
    sourceEventCreated: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("invoice_payments_invoice_idx").on(t.invoiceId)],
);

/** Coupon terms (`coupon.*` events, expanded coupons): resolve discounts that only name their coupon. */
export const coupons = pgTable("coupons", {
  id: text().primaryKey(),
  percentOff: real(),
  amountOff: integer(),
  currency: text(),
  livemode: boolean().notNull(),
  sourceEventCreated: timestamp({ withTimezone: true }).notNull(),
});
