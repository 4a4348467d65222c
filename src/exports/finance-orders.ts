import { sql } from "drizzle-orm";
import { keyset } from "./keyset.ts";
import { fixed, type PackFile, type PackScope } from "./pack.ts";
import { asDate, asNumber, asText, decimal } from "./values.ts";

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

export const ordersFile: PackFile = {
  name: "orders.csv",
  columns: fixed([
    "order_id",
    "order_number",
    "customer_id",
    "status",
    "currency",
    "amount_subtotal",
    "amount_subtotal_decimal",
    "amount_total",
    "amount_total_decimal",
    "amount_refunded",
    "amount_refunded_decimal",
    "created_at",
    "paid_at",
    "paid_day",
    "fulfilled_at",
    "canceled_at",
    "refunded_at",
    "livemode",
  ]),
  async *rows(scope) {
    const columns = sql`o.id, o.number, o.customer_id, o.status, o.currency, o.amount_subtotal,
      o.amount_total, o.amount_refunded, o.created_at, o.paid_at, o.fulfilled_at, o.canceled_at,
      o.refunded_at, o.livemode`;
    for await (const o of paidOrders(scope, columns)) {
      const currency = String(o.currency);
      const paidAt = asDate(o.paid_at)!;
      yield {
        order_id: asNumber(o.id),
        order_number: asText(o.number),
        customer_id: asNumber(o.customer_id),
        status: asText(o.status),
        currency,
        amount_subtotal: asNumber(o.amount_subtotal),
        amount_subtotal_decimal: decimal(asNumber(o.amount_subtotal), currency),
        amount_total: asNumber(o.amount_total),
        amount_total_decimal: decimal(asNumber(o.amount_total), currency),
        amount_refunded: asNumber(o.amount_refunded),
        amount_refunded_decimal: decimal(asNumber(o.amount_refunded), currency),
        created_at: asDate(o.created_at),
        paid_at: paidAt,
        paid_day: scope.days.dayOf(paidAt),
        fulfilled_at: asDate(o.fulfilled_at),
        canceled_at: asDate(o.canceled_at),
        refunded_at: asDate(o.refunded_at),
        livemode: Boolean(o.livemode),
      };
    }
  },
};

export const orderLinesFile: PackFile = {
  name: "order_lines.csv",
  columns: fixed([
    "order_line_id",
    "order_id",
    "order_number",
    "paid_day",
    "product_id",
    "sku",
    "product_name",
    "quantity",
    "currency",
    "unit_price_amount",
    "unit_price_decimal",
    "unit_cost_amount",
    "unit_cost_decimal",
    "line_amount",
    "line_amount_decimal",
    "is_preorder",
    "restocked_quantity",
  ]),
  async *rows(scope) {
    const lines = keyset<Row>(
      scope.db,
      scope.pageSize,
      (last) => sql`
        SELECT l.id, l.order_id, o.number, o.paid_at, o.currency, l.product_id, l.sku, l.name, l.quantity,
          l.unit_price_amount, l.unit_cost_amount, l.amount_total, l.is_preorder, l.restocked_quantity
        FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE o.paid_at >= ${scope.start} AND o.paid_at < ${scope.end} AND o.livemode = ${scope.livemode}
          AND l.id > ${last ? Number(last.id) : 0}
        ORDER BY l.id LIMIT ${scope.pageSize}`,
    );
    for await (const l of lines) {
      const currency = String(l.currency);
      yield {
        order_line_id: asNumber(l.id),
        order_id: asNumber(l.order_id),
        order_number: asText(l.number),
        paid_day: scope.days.dayOf(asDate(l.paid_at)!),
        product_id: asNumber(l.product_id),
        sku: asText(l.sku),
        product_name: asText(l.name),
        quantity: asNumber(l.quantity),
        currency,
        unit_price_amount: asNumber(l.unit_price_amount),
        unit_price_decimal: decimal(asNumber(l.unit_price_amount), currency),
        unit_cost_amount: asNumber(l.unit_cost_amount),
        unit_cost_decimal: decimal(asNumber(l.unit_cost_amount), currency),
        line_amount: asNumber(l.amount_total),
        line_amount_decimal: decimal(asNumber(l.amount_total), currency),
        is_preorder: Boolean(l.is_preorder),
        restocked_quantity: asNumber(l.restocked_quantity),
      };
    }
  },
};
