import { sql } from "drizzle-orm";
import { createdInPeriod } from "./created-in-period.ts";
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
    for await (const i of createdInPeriod(scope, "invoices")) {
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
        payment_id: asText(i.charge_id),
        paid_at: asDate(i.paid_at),
        livemode: Boolean(i.livemode),
      };
    }
  },
};
