import { asc, eq, or, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { escapeLike } from "../db/prefix.ts";
import type { Product } from "./products.ts";
import { products } from "./schema.ts";

/**
 * Products whose SKU is `text` (case-insensitively) or whose SKU or name contains it, exact SKU
 * first, at most `limit`. The catalog is the shop's product list (hundreds to a few thousand rows),
 * so a contains-match over it is cheap; the exact SKU also hits the unique index.
 */
export async function searchProducts(ctx: ServiceContext, text: string, limit: number): Promise<Product[]> {
  const needle = text.trim();
  if (needle === "") return [];
  const pattern = `%${escapeLike(needle.toLowerCase())}%`;
  return ctx.readDb
    .select()
    .from(products)
    .where(
      or(
        eq(products.sku, needle),
        sql`lower(${products.sku}) LIKE ${pattern}`,
        sql`lower(${products.name}) LIKE ${pattern}`,
      ),
    )
    .orderBy(sql`lower(${products.sku}) = ${needle.toLowerCase()} DESC`, asc(products.name), asc(products.id))
    .limit(limit);
}
