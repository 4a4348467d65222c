import { getBestSellers, getProductRollups } from "../../../analytics/index.ts";
import { listProducts } from "../../../catalog/index.ts";
import type { AppContext } from "../../../context.ts";
import { getWishlistDemand } from "../../../orders/index.ts";
import type { ProductsData } from "./products.tsx";
import { type DashboardRange, dashboardCurrency } from "./range.ts";

export async function loadProducts(ctx: AppContext, range: DashboardRange): Promise<ProductsData> {
  const reads = { ...ctx, db: ctx.readDb };
  const { currency, currencies, withData, hasData } = await dashboardCurrency(ctx, range);
  const params = { currency, livemode: ctx.config.livemode, from: range.from, to: range.to };
  const bestSellers = await getBestSellers(ctx, { ...params, limit: 10 });
  const rollups = await getProductRollups(ctx, params);
  const stock = await listProducts(reads, { activeOnly: true });
  const wishlist = await getWishlistDemand(reads, {
    from: range.from,
    to: range.to,
    timezone: ctx.config.reportingTimezone,
    livemode: params.livemode,
    limit: 10,
  });
  return { range, currency, currencies, withData, hasData, bestSellers, rollups, stock, wishlist };
}
