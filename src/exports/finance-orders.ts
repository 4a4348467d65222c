import { sql } from "drizzle-orm";
import { orderLines, orders } from "../db/schema.ts";
import { bool, day, int, money, text, time } from "./columns.ts";
import { convertedColumns, type WithRate, withRates } from "./converted-columns.ts";
import { keyset } from "./keyset.ts";
import { type PackScope, packFile } from "./pack.ts";

type Row = Record<string, unknown>;

/** Orders counted in the `orders` KPI: `paid_at` in the period, whatever their status now. */
const paidInPeriod = (scope: PackScope) =>
  sql`${orders.paidAt} >= ${scope.start} AND ${orders.paidAt} < ${scope.end} AND ${orders.livemode} = ${scope.livemode}`;

function paidOrders(scope: PackScope) {
  return keyset<Row>(
    scope.db,
    scope.pageSize,
    (last) => sql`
      SELECT ${orders.id}, ${orders.number}, ${orders.customerId}, ${orders.status}, ${orders.currency},
        ${orders.amountSubtotal}, ${orders.amountTotal}, ${orders.amountRefunded}, ${orders.createdAt},
        ${orders.paidAt}, ${orders.fulfilledAt}, ${orders.canceledAt}, ${orders.refundedAt}, ${orders.livemode}
      FROM ${orders}
      WHERE ${paidInPeriod(scope)} AND ${orders.id} > ${last ? Number(last.id) : 0}
      ORDER BY ${orders.id} LIMIT ${scope.pageSize}`,
  );
}

/** The lines of the orders paid in the period, with their order's number, day, customer and status. */
export function paidOrderLines(scope: PackScope) {
  return keyset<Row>(
    scope.db,
    scope.pageSize,
    (last) => sql`
      SELECT ${orderLines.id}, ${orderLines.orderId}, ${orders.number}, ${orders.paidAt}, ${orders.customerId},
        ${orders.status}, ${orders.currency}, ${orderLines.productId}, ${orderLines.sku}, ${orderLines.name},
        ${orderLines.quantity}, ${orderLines.unitPriceAmount}, ${orderLines.unitCostAmount},
        ${orderLines.amountTotal}, ${orderLines.isPreorder}, ${orderLines.restockedQuantity}
      FROM ${orderLines} JOIN ${orders} ON ${orders.id} = ${orderLines.orderId}
      WHERE ${paidInPeriod(scope)} AND ${orderLines.id} > ${last ? Number(last.id) : 0}
      ORDER BY ${orderLines.id} LIMIT ${scope.pageSize}`,
  );
}

/** Paid orders (or their lines), each with the rate of its currency on its paid day. */
export const paidWithRates = (rows: (scope: PackScope) => AsyncIterable<Row>) => (scope: PackScope) =>
  withRates(scope, rows(scope), (r) => r.paid_at);

export const ordersFile = packFile<WithRate>({
  name: "orders.csv",
  columns: (scope) => [
    int("order_id", (o) => o.id),
    text("order_number", (o) => o.number),
    int("customer_id", (o) => o.customer_id),
    text("status", (o) => o.status),
    text("currency", (o) => o.currency),
    money("amount_subtotal", (o) => o.amount_subtotal),
    money("amount_total", (o) => o.amount_total),
    money("amount_refunded", (o) => o.amount_refunded),
    time("created_at", (o) => o.created_at),
    time("paid_at", (o) => o.paid_at),
    day(scope, "paid_day", (o) => o.paid_at),
    time("fulfilled_at", (o) => o.fulfilled_at),
    time("canceled_at", (o) => o.canceled_at),
    time("refunded_at", (o) => o.refunded_at),
    bool("livemode", (o) => o.livemode),
    ...convertedColumns(scope, "amount_total_converted", (o) => o.amount_total),
  ],
  rows: paidWithRates(paidOrders),
});

export const orderLinesFile = packFile<WithRate>({
  name: "order_lines.csv",
  columns: (scope) => [
    int("order_line_id", (l) => l.id),
    int("order_id", (l) => l.order_id),
    text("order_number", (l) => l.number),
    day(scope, "paid_day", (l) => l.paid_at),
    int("product_id", (l) => l.product_id),
    text("sku", (l) => l.sku),
    text("product_name", (l) => l.name),
    int("quantity", (l) => l.quantity),
    text("currency", (l) => l.currency),
    money("unit_price_amount", (l) => l.unit_price_amount),
    money("unit_cost_amount", (l) => l.unit_cost_amount),
    money("line_amount", (l) => l.amount_total, { decimalHeader: "line_amount_decimal" }),
    bool("is_preorder", (l) => l.is_preorder),
    int("restocked_quantity", (l) => l.restocked_quantity),
    ...convertedColumns(scope, "line_amount_converted", (l) => l.amount_total),
  ],
  rows: paidWithRates(paidOrderLines),
});
