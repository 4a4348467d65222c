import { index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { Actor } from "../../audit/index.ts";

export const REFUND_REQUEST_STATUSES = ["pending", "recorded", "failed"] as const;
export type RefundRequestStatus = (typeof REFUND_REQUEST_STATUSES)[number];

/**
 * Refunds started in the app, written before the provider is called (an outbox): the order lock is
 * released before any network call, a `pending` request still counts against the refundable amount,
 * and a request whose provider call or recording did not finish is sent again with the same
 * provider idempotency key (its id), so the provider never refunds it twice.
 */
export const refundRequests = pgTable(
  "refund_requests",
  {
    /** Also the idempotency key sent to the provider. */
    id: text().primaryKey(),
    /** The caller's idempotency key, when it gave one. */
    idempotencyKey: text(),
    fingerprint: text().notNull(),
    orderId: integer().notNull(),
    chargeId: text().notNull(),
    amount: integer().notNull(),
    currency: text().notNull(),
    reason: text({ enum: ["duplicate", "fraudulent", "requested_by_customer"] }).notNull(),
    /** What the refund's metadata carries to the provider (order_id, restock, note, requested_by). */
    metadata: jsonb().$type<Record<string, string>>().notNull(),
    actor: jsonb().$type<Actor>().notNull(),
    /** What was still refundable once this request was accepted (part of its answer). */
    refundableAfter: integer().notNull(),
    status: text({ enum: REFUND_REQUEST_STATUSES }).notNull(),
    refundId: text(),
    lastError: text(),
    attempts: integer().notNull().default(0),
    created: timestamp({ withTimezone: true }).notNull(),
    updated: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index("refund_requests_order_idx").on(t.orderId, t.status),
    index("refund_requests_key_idx").on(t.idempotencyKey),
    index("refund_requests_status_idx").on(t.status, t.updated),
  ],
);
