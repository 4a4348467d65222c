import { sql } from "drizzle-orm";
import { bool, col, day, int, money, text } from "./columns.ts";
import { keyset } from "./keyset.ts";
import { type PackScope, packFile } from "./pack.ts";
import { asNumber, capturedAmountOf } from "./values.ts";

type Row = Record<string, unknown>;

/** The pseudonymous key of the row's `customer_id` (pseudonym.ts). */
const customerKey = (scope: PackScope) =>
  col<Row>("customer_key", (r) => scope.customerKey(asNumber(r.customer_id)));

/** Quantity × unit cost; empty when the cost is unknown. */
function lineCost(l: Row): number | null {
  const unitCost = asNumber(l.unit_cost_amount);
  return unitCost === null ? null : unitCost * Number(l.quantity);
}

/** Grain: one order line of an order paid in the period (the `orders` / `best_sellers` KPIs' population). */
export const factOrderLineFile = packFile<Row>({
  name: "fact_order_line.csv",
  columns: (scope) => [
    int("order_line_id", (l) => l.id),
    int("order_id", (l) => l.order_id),
    text("order_number", (l) => l.number),
    day(scope, "date_key", (l) => l.paid_at),
    customerKey(scope),
    int("product_key", (l) => l.product_id),
    text("currency", (l) => l.currency),
    int("quantity", (l) => l.quantity),
    money("unit_price_amount", (l) => l.unit_price_amount),
    money("line_amount", (l) => l.amount_total, { decimalHeader: "line_amount_decimal" }),
    money("unit_cost_amount", (l) => l.unit_cost_amount),
    money("line_cost_amount", lineCost),
    text("order_status", (l) => l.status),
    bool("is_preorder", (l) => l.is_preorder),
    int("restocked_quantity", (l) => l.restocked_quantity),
  ],
  rows: (scope) =>
    keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT l.id, l.order_id, o.number, o.paid_at, o.customer_id, l.product_id, o.currency, l.quantity,
          l.unit_price_amount, l.amount_total, l.unit_cost_amount, o.status, l.is_preorder, l.restocked_quantity
        FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE o.paid_at >= ${scope.start} AND o.paid_at < ${scope.end} AND o.livemode = ${scope.livemode}
          AND l.id > ${last ? Number(last.id) : 0}
        ORDER BY l.id LIMIT ${scope.pageSize}`,
    ),
});

/** Grain: one charge created in the period, any status (`counts_in_gross_revenue` marks the KPI's rows). */
export const factPaymentFile = packFile<Row>({
  name: "fact_payment.csv",
  columns: (scope) => [
    text("payment_id", (c) => c.id),
    day(scope, "date_key", (c) => c.created),
    customerKey(scope),
    int("order_id", (c) => c.order_id),
    text("invoice_id", (c) => c.invoice_id),
    text("currency", (c) => c.currency),
    text("status", (c) => c.status),
    col("counts_in_gross_revenue", (c) => c.status === "succeeded"),
    money("amount", (c) => c.amount),
    money("amount_refunded", (c) => c.amount_refunded),
    money("fee", (c) => c.fee),
    money("amount_captured", capturedAmountOf),
  ],
  rows: (scope) =>
    keyset<Row>(
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
    ),
});

/** Grain: one refund created in the period, dated by its own `created` (the `refunds` KPI rule). */
export const factRefundFile = packFile<Row>({
  name: "fact_refund.csv",
  columns: (scope) => [
    text("refund_id", (r) => r.id),
    day(scope, "date_key", (r) => r.created),
    text("payment_id", (r) => r.charge_id),
    int("order_id", (r) => r.order_id),
    customerKey(scope),
    text("currency", (r) => r.currency),
    text("status", (r) => r.status),
    col("counts_in_refunds", (r) => r.status === "succeeded"),
    money("amount", (r) => r.amount),
    text("reason", (r) => r.reason),
  ],
  rows: (scope) =>
    keyset<Row>(
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
    ),
});
