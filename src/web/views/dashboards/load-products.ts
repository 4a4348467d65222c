import { getBestSellers, getConvertedProductRollups, getProductRollups } from "../../../analytics/index.ts";
import { listProducts } from "../../../catalog/index.ts";
import type { AppContext } from "../../../context.ts";
import { getWishlistDemand } from "../../../orders/index.ts";
import { type CurrencyView, currencyView } from "./currency-view.ts";
import type { ProductsData } from "./products.tsx";
import type { DashboardRange } from "./range.ts";

export async function loadProducts(ctx: AppContext, range: DashboardRange): Promise<ProductsData> {
  const reads = { ...ctx, db: ctx.readDb };
  const view = await currencyView(ctx, range);
  const sales = await productSales(ctx, view);
  const stock = await listProducts(reads, { activeOnly: true });
  const wishlist = await getWishlistDemand(reads, {
    from: range.from,
    to: range.to,
    timezone: ctx.config.reportingTimezone,
    livemode: ctx.config.livemode,
    limit: 10,
  });
  return { ...view, ...sales, stock, wishlist };
}

/** Best sellers and product rollups of one currency, or of every currency converted ("All currencies"). */
async function productSales(
  ctx: AppContext,
  view: CurrencyView,
): Promise<Pick<ProductsData, "bestSellers" | "rollups" | "converted">> {
  const period = { livemode: ctx.config.livemode, from: view.range.from, to: view.range.to };
  if (!view.converted) {
    const params = { ...period, currency: view.currency };
    const bestSellers = await getBestSellers(ctx, { ...params, limit: 10 });
    return { bestSellers, rollups: await getProductRollups(ctx, params) };
  }
  const all = await getConvertedProductRollups(ctx, { ...period, reportingCurrency: view.reportingCurrency });
  return {
    // Ranked by units, then converted revenue: the rule of the per-currency best sellers.
    bestSellers: all.rollups.slice(0, 10).map((r, i) => ({ ...r, rank: i + 1 })),
    rollups: [...all.rollups].sort(
      (a, b) => (b.revenue ?? -1) - (a.revenue ?? -1) || a.product_id - b.product_id,
    ),
    converted: { ...view.converted, missing: all.missing },
  };
}
