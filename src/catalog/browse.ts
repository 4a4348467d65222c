import { and, asc, eq, gte, lte, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { ServiceContext } from "../context.ts";
import { escapeLike } from "../db/prefix.ts";
import { minorUnitDigits } from "../shared/money.ts";
import { parseInput } from "../shared/validate.ts";
import type { Product } from "./products.ts";
import { products } from "./schema.ts";

export const CATALOG_PAGE_SIZE = 24;

/** A price typed in currency units ("12", "12.5", "0.125"): at most three decimals, never minor units. */
const priceText = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,3})?$/, "must be an amount in currency units, like 12.50");

/** The storefront's query string: every filter is in the URL so a filtered page can be shared. */
export const catalogQuerySchema = z
  .object({
    q: z.string().trim().max(100, "must be at most 100 characters").optional(),
    category: z.string().trim().max(100, "must be at most 100 characters").optional(),
    min: priceText.optional(),
    max: priceText.optional(),
    page: z.coerce
      .number({ message: "must be a page number" })
      .int("must be a whole page number")
      .min(1, "must be 1 or more")
      .max(10_000, "must be at most 10000")
      .optional(),
  })
  .refine((v) => v.min === undefined || v.max === undefined || thousandths(v.min) <= thousandths(v.max), {
    message: "must not be below the minimum price",
    path: ["max"],
  });
export type CatalogQuery = z.infer<typeof catalogQuerySchema>;

export interface CatalogPage {
  products: Product[];
  total: number;
  page: number;
  pageSize: number;
  /** Every category with active products, for the filter (not narrowed by the other filters). */
  categories: string[];
}

/** "12.5" → 12500: a typed price as an exact integer of thousandths (no float arithmetic). */
function thousandths(text: string): number {
  const [major = "0", minor = ""] = text.split(".");
  return Number(major) * 1000 + Number(minor.padEnd(3, "0"));
}

/**
 * The minor-unit bounds a typed price range means in `currency`: a minimum rounds up and a maximum
 * down to the currency's smallest unit, so "10.5" in yen keeps 11 and above, and 10 and below.
 */
export function priceBounds(
  range: { min?: string; max?: string },
  currency: string,
): { lo: number | null; hi: number | null } {
  const scale = 10 ** minorUnitDigits(currency);
  return {
    lo: range.min === undefined ? null : Math.ceil((thousandths(range.min) * scale) / 1000),
    hi: range.max === undefined ? null : Math.floor((thousandths(range.max) * scale) / 1000),
  };
}

/**
 * One page of active products for the storefront: contains-search over name, SKU and description,
 * a category and a price range, ordered by name then id (stable, so page links keep their rows).
 * The catalogue is hundreds to a few thousand rows: a count and a page over it are cheap.
 */
export async function browseCatalog(ctx: ServiceContext, input: unknown): Promise<CatalogPage> {
  const query = parseInput(catalogQuerySchema, input);
  const page = query.page ?? 1;
  const facets = await ctx.readDb
    .selectDistinct({ category: products.category, currency: products.currency })
    .from(products)
    .where(eq(products.active, true));
  const where: SQL[] = [eq(products.active, true)];
  if (query.q) {
    const pattern = `%${escapeLike(query.q.toLowerCase())}%`;
    where.push(
      or(
        sql`lower(${products.name}) LIKE ${pattern}`,
        sql`lower(${products.sku}) LIKE ${pattern}`,
        sql`lower(${products.description}) LIKE ${pattern}`,
      )!,
    );
  }
  if (query.category) where.push(eq(products.category, query.category));
  if (query.min !== undefined || query.max !== undefined) {
    const currencies = [...new Set(facets.map((f) => f.currency))];
    // Each currency has its own minor unit: the typed range becomes one bound pair per currency.
    const perCurrency = currencies.map((currency) => {
      const { lo, hi } = priceBounds(query, currency);
      const parts: SQL[] = [eq(products.currency, currency)];
      if (lo !== null) parts.push(gte(products.priceAmount, lo));
      if (hi !== null) parts.push(lte(products.priceAmount, hi));
      return and(...parts)!;
    });
    where.push(perCurrency.length > 0 ? or(...perCurrency)! : sql`false`);
  }
  const [counted] = await ctx.readDb
    .select({ n: sql<number>`count(*)::int` })
    .from(products)
    .where(and(...where));
  const rows = await ctx.readDb
    .select()
    .from(products)
    .where(and(...where))
    .orderBy(asc(products.name), asc(products.id))
    .limit(CATALOG_PAGE_SIZE)
    .offset((page - 1) * CATALOG_PAGE_SIZE);
  return {
    products: rows,
    total: counted?.n ?? 0,
    page,
    pageSize: CATALOG_PAGE_SIZE,
    categories: [...new Set(facets.map((f) => f.category))].sort((a, b) => a.localeCompare(b)),
  };
}
