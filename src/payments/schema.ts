import { boolean, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const EVENT_STATUSES = ["received", "processed", "failed", "ignored"] as const;

/** The durable event inbox: a verified Stripe event is stored here before we answer 2xx. */
export const stripeEvents = pgTable(
  "stripe_events",
  {
    id: text().primaryKey(),
    type: text().notNull(),
    created: timestamp({ withTimezone: true }).notNull(),
    livemode: boolean().notNull(),
    apiVersion: text(),
    payload: jsonb().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
    /** Arrival order, the last tie-breaker for same-second events. */
    receivedSeq: integer().generatedAlwaysAsIdentity(),
    status: text({ enum: EVENT_STATUSES }).notNull(),
    attempts: integer().notNull().default(0),
    lastError: text(),
    processedAt: timestamp({ withTimezone: true }),
    nextAttemptAt: timestamp({ withTimezone: true }),
    /** How it reached us: webhook, sync, simulator. */
    source: text().notNull().default("webhook"),
  },
  (t) => [
    index("stripe_events_status_idx").on(t.status, t.nextAttemptAt),
    index("stripe_events_type_idx").on(t.type),
  ],
);

/** Ledger: charges as Stripe reports them. `amount` counts in gross revenue when status = succeeded. */
export const charges = pgTable(
  "charges",
  {
    id: text().primaryKey(),
    amount: integer().notNull(),
    amountRefunded: integer().notNull().default(0),
    currency: text().notNull(),
    status: text().notNull(),
    paid: boolean().notNull().default(false),
    created: timestamp({ withTimezone: true }).notNull(),
    livemode: boolean().notNull(),
    stripeCustomerId: text(),
    paymentIntentId: text(),
    invoiceId: text(),
    orderId: integer(),
    /** Stripe fee in minor units when the balance transaction is known. */
    fee: integer(),
    failureCode: text(),
    metadata: jsonb().notNull().default({}),
    /** `created` of the newest event applied to this row (out-of-order guard). */
    sourceEventCreated: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index("charges_created_idx").on(t.created),
    index("charges_order_idx").on(t.orderId),
    index("charges_pi_idx").on(t.paymentIntentId),
  ],
);

export const refunds = pgTable(
  "refunds",
  {
    id: text().primaryKey(),
    chargeId: text(),
    paymentIntentId: text(),
    orderId: integer(),
    amount: integer().notNull(),
    currency: text().notNull(),
    status: text().notNull(),
    reason: text(),
    created: timestamp({ withTimezone: true }).notNull(),
    livemode: boolean().notNull(),
    /** Operator note and restock choice when started in the app. */
    note: text(),
    restock: boolean().notNull().default(false),
    requestedBy: text(),
    metadata: jsonb().notNull().default({}),
    sourceEventCreated: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index("refunds_created_idx").on(t.created),
    index("refunds_charge_idx").on(t.chargeId),
    index("refunds_order_idx").on(t.orderId),
  ],
);

export const disputes = pgTable(
  "disputes",
  {
    id: text().primaryKey(),
    chargeId: text().notNull(),
    orderId: integer(),
    amount: integer().notNull(),
    currency: text().notNull(),
    status: text().notNull(),
    reason: text(),
    created: timestamp({ withTimezone: true }).notNull(),
    livemode: boolean().notNull(),
    sourceEventCreated: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("disputes_created_idx").on(t.created)],
);
