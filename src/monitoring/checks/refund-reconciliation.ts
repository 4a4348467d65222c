import { sql } from "drizzle-orm";
// Tables in capitals: the rows read from them take the plain names.
import { charges as C, orders as O, refunds as R } from "../../db/schema.ts";
import { queryRows } from "../../db/sql.ts";
import type { Check } from "../types.ts";

type Row = {
  order_id: number;
  number: string;
  currency: string;
  amount_refunded: number;
  ledger_refunded: string | number;
};

/**
 * An order's `amount_refunded` is the sum of its succeeded refunds in the ledger, from whichever
 * payload they came, provisional ones included (pending ones do not count yet).
 */
export const refundReconciliation: Check = {
  name: "refund-reconciliation",
  description: "Each order's amount_refunded equals the sum of its succeeded refunds in the ledger.",
  severity: "critical",
  fix: "Apply the missing refund events: `revintel stripe replay --failed`, or `revintel stripe sync --since <day before the refund>` (the handlers recompute the order's amount_refunded from the ledger). If Stripe has no such refund either, the order was changed outside the refund flow: read its audit trail before correcting anything. Refunds a charge shows only in its amount_refunded count here as provisional refunds; the charge-refunds check names those charges.",
  async run({ db }) {
    // A refund is tied to its order directly or through the charge it refunds.
    const rows = await queryRows<Row>(
      db,
      sql`WITH ledger AS (
            SELECT COALESCE(${R.orderId}, ${C.orderId}) AS order_id, SUM(${R.amount}) AS total
            FROM ${R} LEFT JOIN ${C} ON ${C.id} = ${R.chargeId}
            WHERE ${R.status} = 'succeeded'
            GROUP BY 1
          )
          SELECT ${O.id} AS order_id, ${O.number}, ${O.currency}, ${O.amountRefunded},
                 COALESCE(l.total, 0) AS ledger_refunded
          FROM ${O} LEFT JOIN ledger l ON l.order_id = ${O.id}
          WHERE ${O.amountRefunded} <> COALESCE(l.total, 0)
          UNION ALL
          SELECT l.order_id, '', '', 0, l.total FROM ledger l
          WHERE l.order_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${O} WHERE ${O.id} = l.order_id)
          ORDER BY 1`,
    );
    return rows.map((r) => {
      const ledger = Number(r.ledger_refunded);
      const missingOrder = r.number === "";
      return {
        fingerprint: `order:${r.order_id}`,
        title: missingOrder
          ? `Refunds of ${ledger} point to order ${r.order_id}, which does not exist`
          : `Order ${r.number} says ${r.amount_refunded} refunded, the ledger says ${ledger} ${r.currency}`,
        details: {
          orderId: r.order_id,
          orderNumber: missingOrder ? null : r.number,
          currency: missingOrder ? null : r.currency,
          orderAmountRefunded: r.amount_refunded,
          ledgerRefunded: ledger,
          difference: r.amount_refunded - ledger,
        },
      };
    });
  },
};
