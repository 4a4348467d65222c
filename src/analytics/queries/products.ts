import { desc, eq, sum } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { products } from "../../db/schema.ts";
import { resolveParams } from "../params.ts";
import { snapDailyProducts } from "../schema.ts";
import type { BestSeller, KpiParams, ProductRollup } from "../types.ts";
import { inDays, total } from "./scope.ts";

async function rollupRows(ctx: ServiceContext, params: KpiParams) {
  const p = await resolveParams(ctx, params, "snapshots");
  const s = snapDailyProducts;
  return ctx.readDb
    .select({
      productId: s.productId,
      name: products.name,
      units: total(s.units),
      revenue: total(s.revenue),
      costedRevenue: total(s.costedRevenue),
      cost: total(s.cost),
      costedLines: total(s.costedLines),
    })
    .from(s)
    .leftJoin(products, eq(products.id, s.productId))
    .where(inDays(s, p, p.from, p.to))
    .groupBy(s.productId, products.name)
    .orderBy(desc(sum(s.units)), desc(sum(s.revenue)), s.productId);
}

type Row = Awaited<ReturnType<typeof rollupRows>>[number];

const nameOf = (r: Row) => r.name ?? `Product ${r.productId}`;

/** kpis.md `best_sellers`: ranked by units sold, ties by line revenue, then product id. */
export async function getBestSellers(
  ctx: ServiceContext,
  params: KpiParams & { limit?: number },
): Promise<BestSeller[]> {
  const rows = await rollupRows(ctx, params);
  return rows.slice(0, params.limit ?? 10).map((r, i) => ({
    rank: i + 1,
    product_id: r.productId,
    name: nameOf(r),
    units: r.units,
    revenue: r.revenue,
  }));
}

/** Units, line revenue, known cost and margin per product (margin over the lines whose cost is known). */
export async function getProductRollups(ctx: ServiceContext, params: KpiParams): Promise<ProductRollup[]> {
  const rows = await rollupRows(ctx, params);
  return rows
    .map((r) => {
      const costed = r.costedLines > 0;
      return {
        product_id: r.productId,
        name: nameOf(r),
        units: r.units,
        revenue: r.revenue,
        cost: costed ? r.cost : null,
        margin: costed ? r.costedRevenue - r.cost : null,
      };
    })
    .sort((a, b) => b.revenue - a.revenue || a.product_id - b.product_id);
}
