import { sql } from "drizzle-orm";
import { charges as chargesTable, orders as ordersTable } from "../../db/schema.ts";
import { queryRows } from "../../db/sql.ts";
import type { Check, Finding } from "../types.ts";

/** Webhooks for one payment arrive in any order within seconds; only judge settled payments. */
const SETTLE_MS = 15 * 60_000;

type OrderRow = {
  id: number;
  number: string;
  currency: string;
  amount_total: number;
  charged: string | number;
};
type ChargeRow = {
  id: string;
  order_id: number;
  amount: number;
  currency: string;
  order_status: string | null;
};

/** Paid orders are backed by succeeded charges of exactly their total, and order charges by paid orders. */
export const paymentReconciliation: Check = {
  name: "payment-reconciliation",
  description:
    "Every paid/fulfilled/refunded order has succeeded charges equal to its total; every succeeded charge with an order id belongs to such an order.",
  severity: "critical",
  fix: "Run `revintel stripe sync --since <day before the order>` or `revintel stripe replay --failed` to fetch the missing charge or order update; an order marked paid without any charge must be investigated before it is fulfilled. A charge on a canceled order means the customer paid after we canceled it (its stock may be sold): refund the charge in Stripe's dashboard, or contact the customer; the refund webhook then settles the ledger.",
  async run({ db, now }) {
    const settled = new Date(now.getTime() - SETTLE_MS).toISOString();
    const orders = await queryRows<OrderRow>(
      db,
      sql`SELECT ${ordersTable.id}, ${ordersTable.number}, ${ordersTable.currency}, ${ordersTable.amountTotal},
                 COALESCE((SELECT SUM(${chargesTable.amount}) FROM ${chargesTable}
                           WHERE ${chargesTable.status} = 'succeeded'
                             AND (${chargesTable.orderId} = ${ordersTable.id}
                                  OR (${chargesTable.orderId} IS NULL AND ${chargesTable.paymentIntentId} = ${ordersTable.stripePaymentIntentId}))), 0)
                   AS charged
          FROM ${ordersTable}
          WHERE ${ordersTable.status} IN ('paid', 'fulfilled', 'refunded') AND ${ordersTable.paidAt} < ${settled}::timestamptz
          ORDER BY ${ordersTable.id}`,
    );
    const charges = await queryRows<ChargeRow>(
      db,
      sql`SELECT ${chargesTable.id}, ${chargesTable.orderId}, ${chargesTable.amount}, ${chargesTable.currency}, ${ordersTable.status} AS order_status
          FROM ${chargesTable} LEFT JOIN ${ordersTable} ON ${ordersTable.id} = ${chargesTable.orderId}
          WHERE ${chargesTable.status} = 'succeeded' AND ${chargesTable.orderId} IS NOT NULL AND ${chargesTable.created} < ${settled}::timestamptz
            AND (${ordersTable.id} IS NULL OR ${ordersTable.status} NOT IN ('paid', 'fulfilled', 'refunded'))
          ORDER BY ${chargesTable.id}`,
    );
    const findings: Finding[] = [];
    for (const o of orders) {
      const charged = Number(o.charged);
      if (charged === o.amount_total) continue;
      findings.push({
        fingerprint: `order:${o.id}`,
        title: `Order ${o.number} totals ${o.amount_total} but succeeded charges total ${charged} ${o.currency}`,
        details: {
          orderId: o.id,
          orderNumber: o.number,
          currency: o.currency,
          orderTotal: o.amount_total,
          chargedTotal: charged,
          difference: o.amount_total - charged,
        },
      });
    }
    for (const c of charges) {
      findings.push({
        fingerprint: `charge:${c.id}`,
        title:
          c.order_status === "canceled"
            ? `Customer paid ${c.amount} ${c.currency} (charge ${c.id}) for order ${c.order_id} after it was canceled: refund it in Stripe`
            : c.order_status
              ? `Succeeded charge ${c.id} belongs to order ${c.order_id}, which is ${c.order_status}`
              : `Succeeded charge ${c.id} points to order ${c.order_id}, which does not exist`,
        details: {
          chargeId: c.id,
          orderId: c.order_id,
          orderStatus: c.order_status,
          amount: c.amount,
          currency: c.currency,
        },
      });
    }
    return findings;
  },
};
