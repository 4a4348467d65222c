import { sql } from "drizzle-orm";
import { charges, customers, orders, refunds } from "../db/schema.ts";
import { bool, col, day, int, money, text } from "./columns.ts";
import { convertedColumns, type WithRate, withRates } from "./converted-columns.ts";
import { paidOrderLines, paidWithRates } from "./finance-orders.ts";
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
export const factOrderLineFile = packFile<WithRate>({
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
    ...convertedColumns(scope, "line_amount_converted", (l) => l.amount_total),
  ],
  rows: paidWithRates(paidOrderLines),
});

/** Grain: one charge created in the period, any status (`counts_in_gross_revenue` marks the KPI's rows). */
export const factPaymentFile = packFile<WithRate>({
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
    ...convertedColumns(scope, "amount_captured_converted", capturedAmountOf),
  ],
  rows: (scope) =>
    withRates(
      scope,
      keyset<Row>(
        scope.db,
        scope.pageSize,
        (last) => sql`
        SELECT ${charges.id}, ${charges.created}, ${charges.orderId}, ${charges.invoiceId}, ${charges.currency},
          ${charges.status}, ${charges.amount}, ${charges.amountRefunded}, ${charges.amountCaptured}, ${charges.fee},
          coalesce(${customers.id}, ${orders.customerId}) AS customer_id
        FROM ${charges}
        LEFT JOIN ${customers} ON ${customers.stripeCustomerId} = ${charges.stripeCustomerId}
        LEFT JOIN ${orders} ON ${orders.id} = ${charges.orderId}
        WHERE ${charges.created} >= ${scope.start} AND ${charges.created} < ${scope.end}
          AND ${charges.livemode} = ${scope.livemode} AND ${charges.id} > ${last ? String(last.id) : ""}
        ORDER BY ${charges.id} LIMIT ${scope.pageSize}`,
      ),
      (c) => c.created,
    ),
});

/** Grain: one refund created in the period, dated by its own `created` (the `refunds` KPI rule). */
export const factRefundFile = packFile<WithRate>({
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
    ...convertedColumns(scope, "amount_converted", (r) => r.amount),
  ],
  rows: (scope) =>
    withRates(
      scope,
      keyset<Row>(
        scope.db,
        scope.pageSize,
        (last) => sql`
        SELECT ${refunds.id}, ${refunds.created}, ${refunds.chargeId}, ${refunds.orderId}, ${refunds.currency},
          ${refunds.status}, ${refunds.amount}, ${refunds.reason},
          coalesce(${orders.customerId}, ${customers.id}) AS customer_id
        FROM ${refunds}
        LEFT JOIN ${orders} ON ${orders.id} = ${refunds.orderId}
        LEFT JOIN ${charges} ON ${charges.id} = ${refunds.chargeId}
        LEFT JOIN ${customers} ON ${customers.stripeCustomerId} = ${charges.stripeCustomerId}
        WHERE ${refunds.created} >= ${scope.start} AND ${refunds.created} < ${scope.end}
          AND ${refunds.livemode} = ${scope.livemode} AND ${refunds.id} > ${last ? String(last.id) : ""}
        ORDER BY ${refunds.id} LIMIT ${scope.pageSize}`,
      ),
      (r) => r.created,
    ),
});
