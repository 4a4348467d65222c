import { sql } from "drizzle-orm";
// Tables in capitals: the rows read from them take the plain names.
import { orderLines as L, orders as O, products as P } from "../../db/schema.ts";
import { queryRows } from "../../db/sql.ts";
import type { Check, Finding } from "../types.ts";
import { iso } from "./webhook-health.ts";

type ProductRow = {
  id: number;
  sku: string;
  stock_on_hand: number;
  allow_preorder: boolean;
  preorder_limit: number | null;
};
type OrderRow = { id: number; number: string; canceled_at: Date | string | null; units: string | number };

/**
 * Stock below the preorder floor (the products CHECK constraint forbids it; this catches a dropped
 * constraint or a restore from elsewhere) and canceled orders whose reservation was never given back.
 */
export const stockIntegrity: Check = {
  name: "stock-integrity",
  description:
    "No product below its preorder floor (stock < 0 without preorder, or beyond the preorder limit); no canceled order still holding reserved stock (stock_released_at not set).",
  severity: "critical",
  fix: "For a canceled order still holding stock: give the units back with a stock adjustment on the catalog page (note naming the order), ignore the issue with a note naming the adjustment, and find the path that canceled the order outside the order service (which releases exactly once). For stock below the floor: receive or adjust stock and find the writer that bypassed the constraint.",
  async run({ db }) {
    const products = await queryRows<ProductRow>(
      db,
      sql`SELECT ${P.id}, ${P.sku}, ${P.stockOnHand}, ${P.allowPreorder}, ${P.preorderLimit} FROM ${P}
          WHERE ${P.stockOnHand} < 0
            AND NOT (${P.allowPreorder} AND (${P.preorderLimit} IS NULL OR ${P.stockOnHand} >= -${P.preorderLimit}))
          ORDER BY ${P.id}`,
    );
    const orders = await queryRows<OrderRow>(
      db,
      sql`SELECT ${O.id}, ${O.number}, ${O.canceledAt},
                 COALESCE((SELECT SUM(${L.quantity}) FROM ${L} WHERE ${L.orderId} = ${O.id}), 0) AS units
          FROM ${O}
          WHERE ${O.status} = 'canceled' AND ${O.stockReleasedAt} IS NULL
          ORDER BY ${O.id}`,
    );
    const findings: Finding[] = products.map((p) => ({
      fingerprint: `product:${p.id}`,
      title: `Product ${p.sku} has stock ${p.stock_on_hand}, below its floor of ${floorOf(p)}`,
      details: {
        productId: p.id,
        sku: p.sku,
        stockOnHand: p.stock_on_hand,
        allowPreorder: p.allow_preorder,
        preorderLimit: p.preorder_limit,
      },
    }));
    for (const o of orders) {
      findings.push({
        fingerprint: `order:${o.id}`,
        title: `Canceled order ${o.number} still holds ${Number(o.units)} reserved unit(s)`,
        details: {
          orderId: o.id,
          orderNumber: o.number,
          units: Number(o.units),
          canceledAt: o.canceled_at ? iso(o.canceled_at) : null,
        },
      });
    }
    return findings;
  },
};

function floorOf(p: ProductRow): number {
  return p.allow_preorder && p.preorder_limit !== null ? -p.preorder_limit : 0;
}
