import { sql } from "drizzle-orm";
import { keyset } from "./keyset.ts";
import { fixed, type PackFile } from "./pack.ts";
import { asDate, asNumber, asText, capturedAmountOf, decimal } from "./values.ts";

type Row = Record<string, unknown>;

/** Grain: one order line of an order paid in the period (the `orders` / `best_sellers` KPIs' population). */
export const factOrderLineFile: PackFile = {
  name: "fact_order_line.csv",
  columns: fixed([
    "order_line_id",
    "order_id",
    "order_number",
    "date_key",
    "customer_key",
    "product_key",
    "currency",
    "quantity",
    "unit_price_amount",
    "unit_price_decimal",
    "line_amount",
    "line_amount_decimal",
    "unit_cost_amount",
    "unit_cost_decimal",
    "line_cost_amount",
    "line_cost_decimal",
    "order_status",
    "is_preorder",
    "restocked_quantity",
  ]),
  async *rows(scope) {
    const rows = keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT l.id, l.order_id, o.number, o.paid_at, o.customer_id, l.product_id, o.currency, l.quantity,
          l.unit_price_amount, l.amount_total, l.unit_cost_amount, o.status, l.is_preorder, l.restocked_quantity
        FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE o.paid_at >= ${scope.start} AND o.paid_at < ${scope.end} AND o.livemode = ${scope.livemode}
          AND l.id > ${last ? Number(last.id) : 0}
        ORDER BY l.id LIMIT ${scope.pageSize}`,
    );
    for await (const l of rows) {
      const currency = String(l.currency);
      const quantity = Number(l.quantity);
      const unitCost = asNumber(l.unit_cost_amount);
      const lineCost = unitCost === null ? null : unitCost * quantity;
      yield {
        order_line_id: asNumber(l.id),
        order_id: asNumber(l.order_id),
        order_number: asText(l.number),
        date_key: scope.days.dayOf(asDate(l.paid_at)!),
        customer_key: scope.customerKey(asNumber(l.customer_id)),
        product_key: asNumber(l.product_id),
        currency,
        quantity,
        unit_price_amount: asNumber(l.unit_price_amount),
        unit_price_decimal: decimal(asNumber(l.unit_price_amount), currency),
        line_amount: asNumber(l.amount_total),
        line_amount_decimal: decimal(asNumber(l.amount_total), currency),
        unit_cost_amount: unitCost,
        unit_cost_decimal: decimal(unitCost, currency),
        line_cost_amount: lineCost,
        line_cost_decimal: decimal(lineCost, currency),
        order_status: asText(l.status),
        is_preorder: Boolean(l.is_preorder),
        restocked_quantity: asNumber(l.restocked_quantity),
      };
    }
  },
};

/** Grain: one charge created in the period, any status (`counts_in_gross_revenue` marks the KPI's rows). */
export const factPaymentFile: PackFile = {
  name: "fact_payment.csv",
  columns: fixed([
    "payment_id",
    "date_key",
    "customer_key",
    "order_id",
    "invoice_id",
    "currency",
    "status",
    "counts_in_gross_revenue",
    "amount",
    "amount_decimal",
    "amount_refunded",
    "amount_refunded_decimal",
    "fee",
    "fee_decimal",
    "amount_captured",
    "amount_captured_decimal",
  ]),
  async *rows(scope) {
    const rows = keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT c.id, c.created, c.order_id, c.invoice_id, c.currency, c.status, c.amount, c.amount_refunded,
          c.amount_captured, c.fee, coalesce(cu.id, o.customer_id) AS customer_id
        FROM charges c
        LEFT JOIN customers cu ON cu.stripe_customer_id = c.stripe_customer_id
        LEFT JOIN orders o ON o.id = c.order_id
        WHERE c.created >= ${scope.start} AND c.created < ${scope.end} AND c.livemode = ${scope.livemode}
          AND c.id > ${last ? String(last.id) : ""}
        ORDER BY c.id LIMIT ${scope.pageSize}`,
    );
    for await (const c of rows) {
      const currency = String(c.currency);
      yield {
        payment_id: asText(c.id),
        date_key: scope.days.dayOf(asDate(c.created)!),
        customer_key: scope.customerKey(asNumber(c.customer_id)),
        order_id: asNumber(c.order_id),
        invoice_id: asText(c.invoice_id),
        currency,
        status: asText(c.status),
        counts_in_gross_revenue: c.status === "succeeded",
        amount: asNumber(c.amount),
        amount_decimal: decimal(asNumber(c.amount), currency),
        amount_refunded: asNumber(c.amount_refunded),
        amount_refunded_decimal: decimal(asNumber(c.amount_refunded), currency),
        fee: asNumber(c.fee),
        fee_decimal: decimal(asNumber(c.fee), currency),
        amount_captured: capturedAmountOf(c),
        amount_captured_decimal: decimal(capturedAmountOf(c), currency),
      };
    }
  },
};

/** Grain: one refund created in the period, dated by its own `created` (the `refunds` KPI rule). */
export const factRefundFile: PackFile = {
  name: "fact_refund.csv",
  columns: fixed([
    "refund_id",
    "date_key",
    "payment_id",
    "order_id",
    "customer_key",
    "currency",
    "status",
    "counts_in_refunds",
    "amount",
    "amount_decimal",
    "reason",
  ]),
  async *rows(scope) {
    const rows = keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT r.id, r.created, r.charge_id, r.order_id, r.currency, r.status, r.amount, r.reason,
          coalesce(o.customer_id, cu.id) AS customer_id
        FROM refunds r
        LEFT JOIN orders o ON o.id = r.order_id
        LEFT JOIN charges c ON c.id = r.charge_id
        LEFT JOIN customers cu ON cu.stripe_customer_id = c.stripe_customer_id
        WHERE r.created >= ${scope.start} AND r.created < ${scope.end} AND r.livemode = ${scope.livemode}
          AND r.id > ${last ? String(last.id) : ""}
        ORDER BY r.id LIMIT ${scope.pageSize}`,
    );
    for await (const r of rows) {
      const currency = String(r.currency);
      yield {
        refund_id: asText(r.id),
        date_key: scope.days.dayOf(asDate(r.created)!),
        payment_id: asText(r.charge_id),
        order_id: asNumber(r.order_id),
        customer_key: scope.customerKey(asNumber(r.customer_id)),
        currency,
        status: asText(r.status),
        counts_in_refunds: r.status === "succeeded",
        amount: asNumber(r.amount),
        amount_decimal: decimal(asNumber(r.amount), currency),
        reason: asText(r.reason),
      };
    }
  },
};
