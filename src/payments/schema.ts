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

/**
 * Ledger: charges as Stripe reports them. Gross revenue counts the captured money of succeeded
 * charges: `amount_captured`, or `amount` for rows recorded before captured amounts were kept (null).
 */
export const charges = pgTable(
  "charges",
  {
    id: text().primaryKey(),
    amount: integer().notNull(),
    /** Money captured (0 while only authorized or once expired); null on rows from before it was kept. */
    amountCaptured: integer(),
    captured: boolean(),
    /** Stripe's cumulative figure: refunds plus authorized money released without capture. */
    amountRefunded: integer().notNull().default(0),
    /**
     * The `created` of the earliest event that showed the current `amount_refunded` (sync: the run's
     * time): the date of the charge's provisional refund, the same whatever order events arrive in.
     */
    amountRefundedAt: timestamp({ withTimezone: true }),
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
    index("charges_customer_idx").on(t.stripeCustomerId),
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
    /**
     * A provisional refund: refunded captured money a charge showed (`amount_refunded`) beyond its
     * known refunds, dated by the event that first showed it; lowered, then deleted, as the refund
     * objects that cover it become known (kpis.md `refunds`).
     */
    provisional: boolean().notNull().default(false),
    sourceEventCreated: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index("refunds_created_idx").on(t.created),
    index("refunds_charge_idx").on(t.chargeId),
    index("refunds_order_idx").on(t.orderId),
  ],
);

/**
 * Idempotency keys of refunds started in the app (refund_policy.md), kept 24 hours as at Stripe:
 * the same key with the same parameters returns the first refund, also after a restart.
 */
export const refundIdempotencyKeys = pgTable(
  "refund_idempotency_keys",
  {
    key: text().primaryKey(),
    /** SHA-256 of the canonical JSON of the request's parameters (order, amount, reason, note, restock). */
    fingerprint: text().notNull(),
    refundId: text().notNull(),
    orderId: integer().notNull(),
    /** The first answer, returned as is when the key is used again. */
    response: jsonb().notNull(),
    created: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("refund_idempotency_keys_created_idx").on(t.created)],
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
    /** `created` of the first event that showed the dispute `lost` (kpis.md `disputes_lost`). */
    lostAt: timestamp({ withTimezone: true }),
    /** Stripe's `evidence_details.due_by`: evidence must reach Stripe before it (null: none asked or unknown). */
    evidenceDueBy: timestamp({ withTimezone: true }),
    sourceEventCreated: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index("disputes_created_idx").on(t.created),
    index("disputes_order_idx").on(t.orderId),
    // A customer's disputes on charges with no order (subscription invoices): the customer profile.
    index("disputes_charge_idx").on(t.chargeId),
  ],
);
