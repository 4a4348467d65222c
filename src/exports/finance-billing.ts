import { sql } from "drizzle-orm";
import { keyset } from "./keyset.ts";
import { fixed, type PackFile } from "./pack.ts";
import { asDate, asNumber, asText, decimal } from "./values.ts";

type Row = Record<string, unknown>;

/** Subscriptions alive at some point of the period, in their current state (history is in the BI pack). */
export const subscriptionsFile: PackFile = {
  name: "subscriptions.csv",
  columns: fixed([
    "subscription_id",
    "customer_id",
    "stripe_customer_id",
    "status",
    "currency",
    "mrr",
    "mrr_decimal",
    "created_at",
    "current_period_start",
    "current_period_end",
    "cancel_at_period_end",
    "canceled_at",
    "ended_at",
    "trial_end",
    "livemode",
  ]),
  async *rows(scope) {
    const rows = keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT * FROM subscriptions
        WHERE created < ${scope.end} AND (ended_at IS NULL OR ended_at >= ${scope.start})
          AND livemode = ${scope.livemode} AND id > ${last ? String(last.id) : ""}
        ORDER BY id LIMIT ${scope.pageSize}`,
    );
    for await (const s of rows) {
      const currency = String(s.currency);
      yield {
        subscription_id: asText(s.id),
        customer_id: asNumber(s.customer_id),
        stripe_customer_id: asText(s.stripe_customer_id),
        status: asText(s.status),
        currency,
        mrr: asNumber(s.mrr),
        mrr_decimal: decimal(asNumber(s.mrr), currency),
        created_at: asDate(s.created),
        current_period_start: asDate(s.current_period_start),
        current_period_end: asDate(s.current_period_end),
        cancel_at_period_end: Boolean(s.cancel_at_period_end),
        canceled_at: asDate(s.canceled_at),
        ended_at: asDate(s.ended_at),
        trial_end: asDate(s.trial_end),
        livemode: Boolean(s.livemode),
      };
    }
  },
};

export const invoicesFile: PackFile = {
  name: "invoices.csv",
  columns: fixed([
    "invoice_id",
    "created_at",
    "created_day",
    "status",
    "currency",
    "amount_due",
    "amount_due_decimal",
    "amount_paid",
    "amount_paid_decimal",
    "subscription_id",
    "stripe_customer_id",
    "payment_id",
    "paid_at",
    "livemode",
  ]),
  async *rows(scope) {
    // The paying charge: on the invoice (API before 2025-03-31), else from its InvoicePayment
    // (`invoice_payment.paid`), by charge or by the payment intent's succeeded charge.
    const invoices = keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT i.*,
               coalesce(i.charge_id, p.charge_id,
                        (SELECT c.id FROM charges c
                         WHERE c.payment_intent_id = coalesce(i.payment_intent_id, p.payment_intent_id)
                           AND c.status = 'succeeded'
                         ORDER BY c.created DESC, c.id LIMIT 1)) AS paying_charge_id,
               coalesce(i.paid_at, p.paid_at) AS paid_at_any
        FROM invoices i
        LEFT JOIN LATERAL (
          SELECT ip.charge_id, ip.payment_intent_id, ip.paid_at FROM invoice_payments ip
          WHERE ip.invoice_id = i.id
          ORDER BY (ip.status = 'paid') DESC, ip.paid_at DESC NULLS LAST, ip.id LIMIT 1) p ON true
        WHERE i.created >= ${scope.start} AND i.created < ${scope.end} AND i.livemode = ${scope.livemode}
          AND i.id > ${last ? String(last.id) : ""}
        ORDER BY i.id LIMIT ${scope.pageSize}`,
    );
    for await (const i of invoices) {
      const currency = String(i.currency);
      const created = asDate(i.created)!;
      yield {
        invoice_id: asText(i.id),
        created_at: created,
        created_day: scope.days.dayOf(created),
        status: asText(i.status),
        currency,
        amount_due: asNumber(i.amount_due),
        amount_due_decimal: decimal(asNumber(i.amount_due), currency),
        amount_paid: asNumber(i.amount_paid),
        amount_paid_decimal: decimal(asNumber(i.amount_paid), currency),
        subscription_id: asText(i.subscription_id),
        stripe_customer_id: asText(i.stripe_customer_id),
        payment_id: asText(i.paying_charge_id),
        paid_at: asDate(i.paid_at_any),
        livemode: Boolean(i.livemode),
      };
    }
  },
};
