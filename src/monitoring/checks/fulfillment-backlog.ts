import { sql } from "drizzle-orm";
// Tables in capitals: the rows read from them take the plain names.
import { orderLines as L, orders as O, products as P } from "../../db/schema.ts";
import { queryRows } from "../../db/sql.ts";
import type { Check, Finding } from "../types.ts";
import { iso } from "./webhook-health.ts";

const HOUR_MS = 3_600_000;

type Row = {
  id: number;
  number: string;
  paid_at: Date | string;
  amount_total: number;
  currency: string;
  ship_date: string | Date | null;
  undated_preorder: boolean | null;
};

/**
 * Paid orders still unfulfilled past FULFILLMENT_SLA_HOURS. A preorder cannot ship before its ship
 * date, so its clock starts there; a preorder with no ship date yet is not late. An order whose every
 * unit was restocked by a refund has nothing to ship (fulfilling it is refused): not listed.
 */
export const fulfillmentBacklog: Check = {
  name: "fulfillment-backlog",
  description:
    "Paid orders not fulfilled within FULFILLMENT_SLA_HOURS of payment (for preorders: of the ship date).",
  severity: "warning",
  fix: "Ship and fulfill the orders listed (Orders page or the order service); if one cannot ship, refund it. Raise FULFILLMENT_SLA_HOURS only if the promise to customers changed.",
  async run({ db, now, config }) {
    const cutoff = new Date(now.getTime() - config.fulfillmentSlaHours * HOUR_MS).toISOString();
    const rows = await queryRows<Row>(
      db,
      sql`SELECT ${O.id}, ${O.number}, ${O.paidAt}, ${O.amountTotal}, ${O.currency},
                 MAX(CASE WHEN ${L.isPreorder} THEN ${P.preorderShipDate} END)::text AS ship_date,
                 BOOL_OR(${L.isPreorder} AND ${P.preorderShipDate} IS NULL) AS undated_preorder
          FROM ${O}
          LEFT JOIN ${L} ON ${L.orderId} = ${O.id}
          LEFT JOIN ${P} ON ${P.id} = ${L.productId}
          WHERE ${O.status} = 'paid' AND ${O.fulfilledAt} IS NULL AND ${O.paidAt} < ${cutoff}::timestamptz
          GROUP BY ${O.id}, ${O.number}, ${O.paidAt}, ${O.amountTotal}, ${O.currency}
          HAVING COUNT(${L.id}) = 0 OR BOOL_OR(${L.restockedQuantity} < ${L.quantity})
          ORDER BY ${O.paidAt}, ${O.id}`,
    );
    const findings: Finding[] = [];
    for (const r of rows) {
      const due = fulfillmentDueAt(
        { paidAt: new Date(r.paid_at), shipDate: r.ship_date, undatedPreorder: r.undated_preorder === true },
        config.fulfillmentSlaHours,
      );
      if (due === null || due.getTime() >= now.getTime()) continue;
      const dueAt = due.getTime();
      findings.push({
        fingerprint: `order:${r.id}`,
        title: `Order ${r.number} paid ${iso(r.paid_at)} is not fulfilled (SLA ${config.fulfillmentSlaHours} h)`,
        details: {
          orderId: r.id,
          orderNumber: r.number,
          paidAt: iso(r.paid_at),
          dueAt: new Date(dueAt).toISOString(),
          hoursLate: Math.floor((now.getTime() - dueAt) / HOUR_MS),
          amountTotal: r.amount_total,
          currency: r.currency,
        },
      });
    }
    return findings;
  },
};

/**
 * When a paid order is due to be fulfilled: FULFILLMENT_SLA_HOURS after payment, or for a preorder
 * after its ship date (it cannot ship before); never for a preorder with no ship date yet (null).
 * The check, the ops dashboard and the ops export's `over_sla` all use this one rule.
 */
export function fulfillmentDueAt(
  order: { paidAt: Date; shipDate: string | Date | null; undatedPreorder: boolean },
  slaHours: number,
): Date | null {
  if (order.undatedPreorder) return null;
  const shipAt = order.shipDate ? Date.parse(`${dayString(order.shipDate)}T00:00:00Z`) : 0;
  return new Date(Math.max(order.paidAt.getTime(), shipAt) + slaHours * HOUR_MS);
}

function dayString(value: string | Date): string {
  return typeof value === "string" ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}
