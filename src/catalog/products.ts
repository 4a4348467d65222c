import { and, asc, desc, eq, inArray, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { products, stockMovements } from "./schema.ts";

export type Product = typeof products.$inferSelect;

export type StockStatus = "in_stock" | "low_stock" | "preorder" | "out_of_stock";
export const LOW_STOCK_THRESHOLD = 5;

/** What a shopper can be told: in stock, low, available to preorder, or sold out. */
export function stockStatus(
  p: Pick<Product, "stockOnHand" | "allowPreorder" | "preorderLimit">,
): StockStatus {
  if (p.stockOnHand > 0) return p.stockOnHand <= LOW_STOCK_THRESHOLD ? "low_stock" : "in_stock";
  if (p.allowPreorder && (p.preorderLimit === null || p.stockOnHand > -p.preorderLimit)) return "preorder";
  return "out_of_stock";
}

/** Units a customer can still order (stock plus preorder room); null when unlimited. */
export function availableUnits(
  p: Pick<Product, "stockOnHand" | "allowPreorder" | "preorderLimit">,
): number | null {
  if (!p.allowPreorder) return Math.max(0, p.stockOnHand);
  if (p.preorderLimit === null) return null;
  return Math.max(0, p.stockOnHand + p.preorderLimit);
}

/**
 * The stock table's three cells: units on hand (none below zero), units sold on preorder (the stock
 * below zero) and units that can still be sold (null: no preorder limit).
 */
export function stockLevels(p: Pick<Product, "stockOnHand" | "allowPreorder" | "preorderLimit">): {
  onHand: number;
  preorders: number;
  canStillSell: number | null;
} {
  return {
    onHand: Math.max(0, p.stockOnHand),
    preorders: Math.max(0, -p.stockOnHand),
    canStillSell: availableUnits(p),
  };
}

export async function getProduct(ctx: Pick<ServiceContext, "db">, id: number): Promise<Product | undefined> {
  const [row] = await ctx.db.select().from(products).where(eq(products.id, id));
  return row;
}

export async function getProductsByIds(
  ctx: Pick<ServiceContext, "db">,
  ids: number[],
): Promise<Map<number, Product>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db.select().from(products).where(inArray(products.id, ids));
  return new Map(rows.map((p) => [p.id, p]));
}

/** Rows that name a product (cart lines, wishlist entries) joined to it; rows whose product is gone are dropped. */
export async function withProducts<R extends { productId: number }, T>(
  ctx: Pick<ServiceContext, "db">,
  rows: R[],
  build: (row: R, product: Product) => T,
): Promise<T[]> {
  const byId = await getProductsByIds(
    ctx,
    rows.map((r) => r.productId),
  );
  return rows.flatMap((r) => {
    const product = byId.get(r.productId);
    return product ? [build(r, product)] : [];
  });
}

export async function listProducts(
  ctx: Pick<ServiceContext, "db">,
  filter: { activeOnly?: boolean; category?: string } = {},
): Promise<Product[]> {
  const where: SQL[] = [];
  if (filter.activeOnly) where.push(eq(products.active, true));
  if (filter.category) where.push(eq(products.category, filter.category));
  return ctx.db
    .select()
    .from(products)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(products.name), asc(products.id));
}

/** Recent stock movements of a product, newest first (admin product page). */
export async function listStockMovements(ctx: Pick<ServiceContext, "db">, productId: number, limit = 20) {
  return ctx.db
    .select()
    .from(stockMovements)
    .where(eq(stockMovements.productId, productId))
    .orderBy(desc(stockMovements.id))
    .limit(limit);
}
