import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { endOfPeriod, parseDay, startOfDay } from "../analytics/core/periods.ts";
import { availableUnits, getProductsByIds, type StockStatus, stockStatus } from "../catalog/index.ts";
import type { ServiceContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { queryRows } from "../db/sql.ts";
import { isTimeZone } from "../shared/dates.ts";
import { ValidationError } from "../shared/errors.ts";
import { parseInput } from "../shared/validate.ts";
import { orderLines, orders, wishlistEvents, wishlistItems } from "./schema.ts";

const demandInput = z.object({
  from: z.string(),
  to: z.string(),
  timezone: z.string().default("UTC").refine(isTimeZone, { message: "unknown time zone" }),
  livemode: z.boolean().default(false),
  limit: z.number().int().min(1).max(100).default(10),
});

/** One product's wishlist demand: who wants it now, how that moved in the period, and can it be bought. */
export interface WishlistDemand {
  productId: number;
  name: string;
  sku: string | null;
  /** Customers with the product on their wishlist now. */
  wishlisters: number;
  /** Events in the period. */
  added: number;
  removed: number;
  movedToCart: number;
  /** Paid orders in the period that bought the product from a wishlist. */
  converted: number;
  /** Change of `wishlisters` over the period: added − removed − moved to cart. */
  netChange: number;
  /** Units on paid orders (paid in the period). */
  unitsSold: number;
  /** Null when the product is no longer in the catalog or not for sale. */
  stock: StockStatus | null;
  stockOnHand: number | null;
  /** Units a customer can still order; null when unlimited or not for sale. */
  available: number | null;
  /** Wished for by someone now, but nobody can buy it (sold out or no longer for sale). */
  wantedButUnavailable: boolean;
}

export interface WishlistDemandResult {
  products: WishlistDemand[];
  /** Products with any demand (on a wishlist now, or a wishlist event in the period), before `limit`. */
  total: number;
}

/** Counts are `bigint`s, which both drivers return as numbers. */
interface DemandRow {
  productId: number;
  wishlisters: number;
  added: number;
  removed: number;
  moved: number;
  converted: number;
  total: number;
}

/**
 * Products customers want, most wished for first (then the biggest net gain in the period, then the
 * most adds, then product id), with the period's wishlist activity, units sold and stock position.
 * The period is whole reporting days `from`..`to` cut in `timezone`, like every dashboard period.
 */
export async function getWishlistDemand(
  ctx: Pick<ServiceContext, "db">,
  input: unknown,
): Promise<WishlistDemandResult> {
  const { db } = ctx;
  const params = parseInput(demandInput, input);
  const from = parseDay(params.from, "from");
  const to = parseDay(params.to, "to");
  if (from > to) throw new ValidationError("from: must be on or before to", "from");
  const start = startOfDay(from, params.timezone);
  const end = endOfPeriod(to, params.timezone);

  const e = wishlistEvents;
  const w = wishlistItems;
  const rows = await queryRows<DemandRow>(
    db,
    sql`WITH period AS (
          SELECT ${e.productId} AS product_id,
                 count(*) FILTER (WHERE ${e.kind} = 'added') AS added,
                 count(*) FILTER (WHERE ${e.kind} = 'removed') AS removed,
                 count(*) FILTER (WHERE ${e.kind} = 'moved_to_cart') AS moved,
                 count(*) FILTER (WHERE ${e.kind} = 'converted') AS converted
          FROM ${e}
          WHERE ${e.at} >= ${start.toISOString()}::timestamptz AND ${e.at} < ${end.toISOString()}::timestamptz
          GROUP BY ${e.productId}
        ), current AS (
          SELECT ${w.productId} AS product_id, count(*) AS wishlisters FROM ${w} GROUP BY ${w.productId}
        )
        SELECT ids.product_id AS "productId", coalesce(c.wishlisters, 0) AS wishlisters,
               coalesce(p.added, 0) AS added, coalesce(p.removed, 0) AS removed,
               coalesce(p.moved, 0) AS moved, coalesce(p.converted, 0) AS converted,
               count(*) OVER () AS total
        FROM (SELECT product_id FROM period UNION SELECT product_id FROM current) ids
        LEFT JOIN period p ON p.product_id = ids.product_id
        LEFT JOIN current c ON c.product_id = ids.product_id
        ORDER BY coalesce(c.wishlisters, 0) DESC,
                 coalesce(p.added, 0) - coalesce(p.removed, 0) - coalesce(p.moved, 0) DESC,
                 coalesce(p.added, 0) DESC, ids.product_id
        LIMIT ${params.limit}`,
  );
  const ids = rows.map((r) => r.productId);
  const products = await getProductsByIds(ctx, ids);
  const sold = await unitsSold(db, ids, start, end, params.livemode);

  return {
    total: rows[0]?.total ?? 0,
    products: rows.map((r) => {
      const { productId, wishlisters, added, removed } = r;
      const product = products.get(productId);
      const forSale = product?.active === true;
      const movedToCart = r.moved;
      const stock = forSale ? stockStatus(product) : null;
      return {
        productId,
        name: product?.name ?? `Product ${productId}`,
        sku: product?.sku ?? null,
        wishlisters,
        added,
        removed,
        movedToCart,
        converted: r.converted,
        netChange: added - removed - movedToCart,
        unitsSold: sold.get(productId) ?? 0,
        stock,
        stockOnHand: product ? product.stockOnHand : null,
        available: forSale ? availableUnits(product) : null,
        wantedButUnavailable: wishlisters > 0 && (stock === null || stock === "out_of_stock"),
      };
    }),
  };
}

/** Units on orders paid in [start, end), per product (the orders domain's own tables). */
async function unitsSold(
  db: Db,
  productIds: number[],
  start: Date,
  end: Date,
  livemode: boolean,
): Promise<Map<number, number>> {
  if (productIds.length === 0) return new Map();
  const rows = await db
    .select({ productId: orderLines.productId, units: sql<number>`sum(${orderLines.quantity})::bigint` })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(
      and(
        gte(orders.paidAt, start),
        lt(orders.paidAt, end),
        eq(orders.livemode, livemode),
        inArray(orderLines.productId, productIds),
      ),
    )
    .groupBy(orderLines.productId);
  return new Map(rows.map((r) => [r.productId, r.units]));
}
