import { charges, disputes, refunds } from "../db/schema.ts";
import { isInquiryStatus } from "../payments/index.ts";
import { bool, col, day, int, money, text, time } from "./columns.ts";
import { convertedColumns, type WithRate, withRates } from "./converted-columns.ts";
import { createdInPeriod } from "./created-in-period.ts";
import { packFile } from "./pack.ts";
import { asDate, capturedAmountOf } from "./values.ts";

type Row = Record<string, unknown>;

export const paymentsFile = packFile<WithRate>({
  name: "payments.csv",
  columns: (scope) => [
    text("payment_id", (c) => c.id),
    time("created_at", (c) => c.created),
    day(scope, "created_day", (c) => c.created),
    text("status", (c) => c.status),
    col("counts_in_gross_revenue", (c) => c.status === "succeeded"),
    text("currency", (c) => c.currency),
    money("amount", (c) => c.amount),
    money("amount_refunded", (c) => c.amount_refunded),
    money("fee", (c) => c.fee),
    int("order_id", (c) => c.order_id),
    text("invoice_id", (c) => c.invoice_id),
    text("payment_intent_id", (c) => c.payment_intent_id),
    text("stripe_customer_id", (c) => c.stripe_customer_id),
    text("failure_code", (c) => c.failure_code),
    bool("livemode", (c) => c.livemode),
    // Rows recorded before captured amounts were kept: a succeeded charge counted its whole amount.
    col("captured", (c) => (c.amount_captured === null ? c.status === "succeeded" : Boolean(c.captured))),
    money("amount_captured", capturedAmountOf),
    ...convertedColumns(scope, "amount_captured_converted", capturedAmountOf),
  ],
  rows: (scope) => withRates(scope, createdInPeriod(scope, charges), (c) => c.created),
});

// The operator's free-text note is left out: it may name a person.
export const refundsFile = packFile<WithRate>({
  name: "refunds.csv",
  columns: (scope) => [
    text("refund_id", (r) => r.id),
    time("created_at", (r) => r.created),
    day(scope, "created_day", (r) => r.created),
    text("status", (r) => r.status),
    col("counts_in_refunds", (r) => r.status === "succeeded"),
    text("currency", (r) => r.currency),
    money("amount", (r) => r.amount),
    text("payment_id", (r) => r.charge_id),
    int("order_id", (r) => r.order_id),
    text("reason", (r) => r.reason),
    bool("restock", (r) => r.restock),
    bool("livemode", (r) => r.livemode),
    bool("provisional", (r) => r.provisional),
    ...convertedColumns(scope, "amount_converted", (r) => r.amount),
  ],
  rows: (scope) => withRates(scope, createdInPeriod(scope, refunds), (r) => r.created),
});

/** When a lost dispute was lost: its own `lost_at`, else the event that showed it lost. */
const lostAt = (d: Row) =>
  d.status === "lost" ? (asDate(d.lost_at) ?? asDate(d.source_event_created)) : null;
const inquiry = (d: Row) => isInquiryStatus(String(d.status));

export const disputesFile = packFile<WithRate>({
  name: "disputes.csv",
  columns: (scope) => [
    text("dispute_id", (d) => d.id),
    time("created_at", (d) => d.created),
    day(scope, "created_day", (d) => d.created),
    text("status", (d) => d.status),
    text("reason", (d) => d.reason),
    text("currency", (d) => d.currency),
    money("amount", (d) => d.amount),
    text("payment_id", (d) => d.charge_id),
    int("order_id", (d) => d.order_id),
    bool("livemode", (d) => d.livemode),
    col("inquiry", inquiry),
    col("counts_in_disputes", (d) => !inquiry(d)),
    time("lost_at", lostAt),
    day(scope, "lost_day", lostAt),
    ...convertedColumns(scope, "amount_converted", (d) => d.amount),
  ],
  rows: (scope) => withRates(scope, createdInPeriod(scope, disputes), (d) => d.created),
});
