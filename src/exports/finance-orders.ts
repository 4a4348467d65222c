import { sql } from "drizzle-orm";
import { bool, day, int, money, text, time } from "./columns.ts";
import { keyset } from "./keyset.ts";
import { type PackScope, packFile } from "./pack.ts";

type Row = Record<string, unknown>;

/** Orders counted in the `orders` KPI: `paid_at` in the period, whatever their status now. */
function paidOrders(scope: PackScope, columns: ReturnType<typeof sql>) {
  return keyset<Row>(
    scope.db,
    scope.pageSize,
    (last) => sql`
      SELECT ${columns} FROM orders o
      WHERE o.paid_at >= ${scope.start} AND o.paid_at < ${scope.end} AND o.livemode = ${scope.livemode}
        AND o.id > ${last ? Number(last.id) : 0}
      ORDER BY o.id LIMIT ${scope.pageSize}`,
  );
}

export const ordersFile = packFile<Row>({
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
  ],
  rows: (scope) =>
    paidOrders(
      scope,
      sql`o.id, o.number, o.customer_id, o.status, o.currency, o.amount_subtotal,
      o.amount_total, o.amount_refunded, o.created_at, o.paid_at, o.fulfilled_at, o.canceled_at,
      o.refunded_at, o.livemode`,
    ),
});

export const orderLinesFile = packFile<Row>({
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
  ],
  rows: (scope) =>
    keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT l.id, l.order_id, o.number, o.paid_at, o.currency, l.product_id, l.sku, l.name, l.quantity,
          l.unit_price_amount, l.unit_cost_amount, l.amount_total, l.is_preorder, l.restocked_quantity
        FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE o.paid_at >= ${scope.start} AND o.paid_at < ${scope.end} AND o.livemode = ${scope.livemode}
          AND l.id > ${last ? Number(last.id) : 0}
        ORDER BY l.id LIMIT ${scope.pageSize}`,
    ),
});
