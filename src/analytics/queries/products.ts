import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryRows } from "../../db/sql.ts";
import { resolveParams } from "../params.ts";
import type { BestSeller, KpiParams, ProductRollup } from "../types.ts";

interface Row extends Record<string, unknown> {
  product_id: number;
  name: string | null;
  units: number | string;
  revenue: number | string;
  costed_revenue: number | string;
  cost: number | string;
  costed_lines: number | string;
}

async function rollupRows(db: Db, params: KpiParams): Promise<Row[]> {
  const p = await resolveParams(db, params, "snapshots");
  return queryRows<Row>(
    db,
    sql`SELECT s.product_id, pr.name, sum(s.units) AS units, sum(s.revenue) AS revenue,
               sum(s.costed_revenue) AS costed_revenue, sum(s.cost) AS cost, sum(s.costed_lines) AS costed_lines
        FROM snap_daily_products s LEFT JOIN products pr ON pr.id = s.product_id
        WHERE s.livemode = ${p.livemode} AND s.currency = ${p.currency}
          AND s.day BETWEEN ${p.from}::date AND ${p.to}::date
        GROUP BY s.product_id, pr.name
        ORDER BY sum(s.units) DESC, sum(s.revenue) DESC, s.product_id`,
  );
}

const nameOf = (r: Row) => r.name ?? `Product ${r.product_id}`;

/** kpis.md `best_sellers`: ranked by units sold, ties by line revenue, then product id. */
export async function getBestSellers(db: Db, params: KpiParams & { limit?: number }): Promise<BestSeller[]> {
  const rows = await rollupRows(db, params);
  return rows.slice(0, params.limit ?? 10).map((r, i) => ({
    rank: i + 1,
    product_id: Number(r.product_id),
    name: nameOf(r),
    units: Number(r.units),
    revenue: Number(r.revenue),
  }));
}

/** Units, line revenue, known cost and margin per product (margin over the lines whose cost is known). */
export async function getProductRollups(db: Db, params: KpiParams): Promise<ProductRollup[]> {
  const rows = await rollupRows(db, params);
  return rows
    .map((r) => {
      const costed = Number(r.costed_lines) > 0;
      return {
        product_id: Number(r.product_id),
        name: nameOf(r),
        units: Number(r.units),
        revenue: Number(r.revenue),
        cost: costed ? Number(r.cost) : null,
        margin: costed ? Number(r.costed_revenue) - Number(r.cost) : null,
      };
    })
    .sort((a, b) => b.revenue - a.revenue || a.product_id - b.product_id);
}
