import { isInquiryStatus } from "../payments/index.ts";
import { createdInPeriod } from "./created-in-period.ts";
import { fixed, type PackFile } from "./pack.ts";
import { asDate, asNumber, asText, capturedAmountOf, decimal } from "./values.ts";

export const paymentsFile: PackFile = {
  name: "payments.csv",
  columns: fixed([
    "payment_id",
    "created_at",
    "created_day",
    "status",
    "counts_in_gross_revenue",
    "currency",
    "amount",
    "amount_decimal",
    "amount_refunded",
    "amount_refunded_decimal",
    "fee",
    "fee_decimal",
    "order_id",
    "invoice_id",
    "payment_intent_id",
    "stripe_customer_id",
    "failure_code",
    "livemode",
    "captured",
    "amount_captured",
    "amount_captured_decimal",
  ]),
  async *rows(scope) {
    for await (const c of createdInPeriod(scope, "charges")) {
      // Rows recorded before captured amounts were kept: a succeeded charge counted its whole amount.
      const legacy = c.amount_captured === null;
      const succeeded = c.status === "succeeded";
      const amountCaptured = capturedAmountOf(c);
      const currency = String(c.currency);
      const created = asDate(c.created)!;
      yield {
        payment_id: asText(c.id),
        created_at: created,
        created_day: scope.days.dayOf(created),
        status: asText(c.status),
        counts_in_gross_revenue: c.status === "succeeded",
        currency,
        amount: asNumber(c.amount),
        amount_decimal: decimal(asNumber(c.amount), currency),
        amount_refunded: asNumber(c.amount_refunded),
        amount_refunded_decimal: decimal(asNumber(c.amount_refunded), currency),
        fee: asNumber(c.fee),
        fee_decimal: decimal(asNumber(c.fee), currency),
        order_id: asNumber(c.order_id),
        invoice_id: asText(c.invoice_id),
        payment_intent_id: asText(c.payment_intent_id),
        stripe_customer_id: asText(c.stripe_customer_id),
        failure_code: asText(c.failure_code),
        livemode: Boolean(c.livemode),
        captured: legacy ? succeeded : Boolean(c.captured),
        amount_captured: amountCaptured,
        amount_captured_decimal: decimal(amountCaptured, currency),
      };
    }
  },
};

export const refundsFile: PackFile = {
  name: "refunds.csv",
  columns: fixed([
    "refund_id",
    "created_at",
    "created_day",
    "status",
    "counts_in_refunds",
    "currency",
    "amount",
    "amount_decimal",
    "payment_id",
    "order_id",
    "reason",
    "restock",
    "livemode",
    "provisional",
  ]),
  async *rows(scope) {
    // The operator's free-text note is left out: it may name a person.
    for await (const r of createdInPeriod(scope, "refunds")) {
      const currency = String(r.currency);
      const created = asDate(r.created)!;
      yield {
        refund_id: asText(r.id),
        created_at: created,
        created_day: scope.days.dayOf(created),
        status: asText(r.status),
        counts_in_refunds: r.status === "succeeded",
        currency,
        amount: asNumber(r.amount),
        amount_decimal: decimal(asNumber(r.amount), currency),
        payment_id: asText(r.charge_id),
        order_id: asNumber(r.order_id),
        reason: asText(r.reason),
        restock: Boolean(r.restock),
        livemode: Boolean(r.livemode),
        provisional: Boolean(r.provisional),
      };
    }
  },
};

export const disputesFile: PackFile = {
  name: "disputes.csv",
  columns: fixed([
    "dispute_id",
    "created_at",
    "created_day",
    "status",
    "reason",
    "currency",
    "amount",
    "amount_decimal",
    "payment_id",
    "order_id",
    "livemode",
    "inquiry",
    "counts_in_disputes",
    "lost_at",
    "lost_day",
  ]),
  async *rows(scope) {
    for await (const d of createdInPeriod(scope, "disputes")) {
      const currency = String(d.currency);
      const created = asDate(d.created)!;
      const inquiry = isInquiryStatus(String(d.status));
      const lostAt = d.status === "lost" ? (asDate(d.lost_at) ?? asDate(d.source_event_created)) : null;
      yield {
        dispute_id: asText(d.id),
        created_at: created,
        created_day: scope.days.dayOf(created),
        status: asText(d.status),
        reason: asText(d.reason),
        currency,
        amount: asNumber(d.amount),
        amount_decimal: decimal(asNumber(d.amount), currency),
        payment_id: asText(d.charge_id),
        order_id: asNumber(d.order_id),
        livemode: Boolean(d.livemode),
        inquiry,
        counts_in_disputes: !inquiry,
        lost_at: lostAt,
        lost_day: lostAt ? scope.days.dayOf(lostAt) : null,
      };
    }
  },
};
