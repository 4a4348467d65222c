import { and, between, eq } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { products } from "../../db/schema.ts";
import { convertMinor, loadRateBook } from "../../fx/index.ts";
import { snapDailyProducts } from "../schema.ts";
import type { ProductRollup } from "../types.ts";
import { type ResolvedConverted, resolveConverted } from "./load.ts";
import type { ConvertedParams, MissingRates } from "./types.ts";

/** A product's figures in the reporting currency; money is null when a rate it needs is missing. */
export interface ConvertedProductRollup extends Omit<ProductRollup, "revenue"> {
  revenue: number | null;
  /** True when a day of the product's sales has no rate: its money figures are null. */
  missing_rate?: boolean;
}

export interface ConvertedProducts {
  reporting_currency: string;
  /** Ranked as the best sellers are: units (all currencies together), converted revenue, product id. */
  rollups: ConvertedProductRollup[];
  missing: MissingRates[];
}

/**
 * The product snapshot's rows of the period (each product's sales of a day in one currency, with
 * its name), of one product when given: what the converted products dashboard converts.
 */
export async function productSales(ctx: ServiceContext, p: ResolvedConverted, product?: number) {
  const s = snapDailyProducts;
  return ctx.readDb
    .select({
      day: s.day,
      currency: s.currency,
      productId: s.productId,
      name: products.name,
      units: s.units,
      revenue: s.revenue,
      costedRevenue: s.costedRevenue,
      cost: s.cost,
      costedLines: s.costedLines,
    })
    .from(s)
    .leftJoin(products, eq(products.id, s.productId))
    .where(
      and(
        eq(s.livemode, p.livemode),
        between(s.day, p.from, p.to),
        product === undefined ? undefined : eq(s.productId, product),
      ),
    );
}

/**
 * The products dashboard in the converted view: units of every currency together; line revenue, the
 * costed lines' revenue and cost of each product, day and currency (the product snapshot's grain)
 * converted at that day's rate and rounded, then summed (docs/kpi_definitions.md, "Products in the
 * converted view").
 */
export async function getConvertedProductRollups(
  ctx: ServiceContext,
  params: ConvertedParams,
): Promise<ConvertedProducts> {
  const p = await resolveConverted(ctx, params);
  const rows = await productSales(ctx, p);
  const currencies = [...new Set(rows.map((r) => r.currency))];
  const book = await loadRateBook({ db: ctx.readDb }, [...currencies, p.reporting], p.to);
  const missing = new Map<string, Set<string>>();
  const byProduct = new Map<
    number,
    {
      name: string;
      units: number;
      revenue: number;
      costed: number;
      cost: number;
      lines: number;
      gap: boolean;
    }
  >();
  for (const r of rows) {
    const e = byProduct.get(r.productId) ?? {
      name: r.name ?? `Product ${r.productId}`,
      units: 0,
      revenue: 0,
      costed: 0,
      cost: 0,
      lines: 0,
      gap: false,
    };
    e.units += r.units;
    e.lines += r.costedLines;
    const rate = book.resolve(r.currency, p.reporting, r.day)?.rate ?? null;
    if (rate === null) {
      const pair = `${r.currency.toUpperCase()}/${p.reporting.toUpperCase()}`;
      missing.set(pair, (missing.get(pair) ?? new Set()).add(r.day));
      e.gap = true;
    } else {
      const convert = (amount: number) => convertMinor(amount, rate, r.currency, p.reporting);
      e.revenue += convert(r.revenue);
      e.costed += convert(r.costedRevenue);
      e.cost += convert(r.cost);
    }
    byProduct.set(r.productId, e);
  }
  const rollups: ConvertedProductRollup[] = [...byProduct].map(([id, e]) => ({
    product_id: id,
    name: e.name,
    units: e.units,
    revenue: e.gap ? null : e.revenue,
    cost: e.gap || e.lines === 0 ? null : e.cost,
    margin: e.gap || e.lines === 0 ? null : e.costed - e.cost,
    ...(e.gap ? { missing_rate: true } : {}),
  }));
  rollups.sort(
    (a, b) => b.units - a.units || (b.revenue ?? -1) - (a.revenue ?? -1) || a.product_id - b.product_id,
  );
  return {
    reporting_currency: p.reporting,
    rollups,
    missing: [...missing]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([pair, days]) => ({ pair, days: [...days].sort() })),
  };
}
