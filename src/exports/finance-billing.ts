import { sql } from "drizzle-orm";
import { charges, invoices, invoicePayments as ip, subscriptions } from "../db/schema.ts";
import { bool, day, int, money, text, time } from "./columns.ts";
import { keyset } from "./keyset.ts";
import { packFile } from "./pack.ts";

type Row = Record<string, unknown>;

/** Subscriptions alive at some point of the period, in their current state (history is in the BI pack). */
export const subscriptionsFile = packFile<Row>({
  name: "subscriptions.csv",
  columns: [
    text("subscription_id", (s) => s.id),
    int("customer_id", (s) => s.customer_id),
    text("stripe_customer_id", (s) => s.stripe_customer_id),
    text("status", (s) => s.status),
    text("currency", (s) => s.currency),
    money("mrr", (s) => s.mrr),
    time("created_at", (s) => s.created),
    time("current_period_start", (s) => s.current_period_start),
    time("current_period_end", (s) => s.current_period_end),
    bool("cancel_at_period_end", (s) => s.cancel_at_period_end),
    time("canceled_at", (s) => s.canceled_at),
    time("ended_at", (s) => s.ended_at),
    time("trial_end", (s) => s.trial_end),
    bool("livemode", (s) => s.livemode),
  ],
  rows: (scope) =>
    keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT * FROM ${subscriptions}
        WHERE ${subscriptions.created} < ${scope.end}
          AND (${subscriptions.endedAt} IS NULL OR ${subscriptions.endedAt} >= ${scope.start})
          AND ${subscriptions.livemode} = ${scope.livemode} AND ${subscriptions.id} > ${last ? String(last.id) : ""}
        ORDER BY ${subscriptions.id} LIMIT ${scope.pageSize}`,
    ),
});

export const invoicesFile = packFile<Row>({
  name: "invoices.csv",
  columns: (scope) => [
    text("invoice_id", (i) => i.id),
    time("created_at", (i) => i.created),
    day(scope, "created_day", (i) => i.created),
    text("status", (i) => i.status),
    text("currency", (i) => i.currency),
    money("amount_due", (i) => i.amount_due),
    money("amount_paid", (i) => i.amount_paid),
    text("subscription_id", (i) => i.subscription_id),
    text("stripe_customer_id", (i) => i.stripe_customer_id),
    text("payment_id", (i) => i.paying_charge_id),
    time("paid_at", (i) => i.paid_at_any),
    bool("livemode", (i) => i.livemode),
  ],
  // The paying charge: on the invoice (API before 2025-03-31), else from its InvoicePayment
  // (`invoice_payment.paid`), by charge or by the payment intent's succeeded charge.
  rows: (scope) =>
    keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT ${invoices}.*,
               coalesce(${invoices.chargeId}, p.charge_id,
                        (SELECT ${charges.id} FROM ${charges}
                         WHERE ${charges.paymentIntentId} = coalesce(${invoices.paymentIntentId}, p.payment_intent_id)
                           AND ${charges.status} = 'succeeded'
                         ORDER BY ${charges.created} DESC, ${charges.id} LIMIT 1)) AS paying_charge_id,
               coalesce(${invoices.paidAt}, p.paid_at) AS paid_at_any
        FROM ${invoices}
        LEFT JOIN LATERAL (
          SELECT ${ip.chargeId}, ${ip.paymentIntentId}, ${ip.paidAt} FROM ${ip}
          WHERE ${ip.invoiceId} = ${invoices.id}
          ORDER BY (${ip.status} = 'paid') DESC, ${ip.paidAt} DESC NULLS LAST, ${ip.id} LIMIT 1) p ON true
        WHERE ${invoices.created} >= ${scope.start} AND ${invoices.created} < ${scope.end}
          AND ${invoices.livemode} = ${scope.livemode} AND ${invoices.id} > ${last ? String(last.id) : ""}
        ORDER BY ${invoices.id} LIMIT ${scope.pageSize}`,
    ),
});
