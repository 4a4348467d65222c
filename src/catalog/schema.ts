import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const products = pgTable(
  "products",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    sku: text().notNull().unique(),
    name: text().notNull(),
    description: text().notNull().default(""),
    category: text().notNull().default("General"),
    priceAmount: integer().notNull(),
    currency: text().notNull(),
    /** Unit cost for margin; null when unknown ("margin-ready" only when set). */
    unitCostAmount: integer(),
    /** Units on hand. Below zero only for preorders, down to −preorderLimit. */
    stockOnHand: integer().notNull().default(0),
    allowPreorder: boolean().notNull().default(false),
    /** Max units sold below zero; null with allowPreorder means no limit. */
    preorderLimit: integer(),
    preorderShipDate: date(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("products_category_idx").on(t.category),
    check("products_price_nonneg", sql`${t.priceAmount} >= 0`),
    check(
      "products_stock_floor",
      sql`${t.stockOnHand} >= 0 OR (${t.allowPreorder} AND (${t.preorderLimit} IS NULL OR ${t.stockOnHand} >= -${t.preorderLimit}))`,
    ),
  ],
);

/** Every stock change, with an idempotency key so a release or restock happens exactly once. */
export const stockMovements = pgTable(
  "stock_movements",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    productId: integer()
      .notNull()
      .references(() => products.id),
    delta: integer().notNull(),
    reason: text({ enum: ["reserve", "release", "restock", "adjust", "receive"] }).notNull(),
    idempotencyKey: text().unique(),
    orderId: integer(),
    note: text(),
    at: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("stock_movements_product_idx").on(t.productId)],
);
