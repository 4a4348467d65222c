/** Row builder for products (inserted directly, test mode). */
import { products, stockMovements } from "../../../src/catalog/schema.ts";
import type { Db } from "../../../src/db/client.ts";
import { next, type Over } from "./sequence.ts";

/**
 * A product `Product <n>` (`SKU-X<n>`) at 15.00 usd with 5 in stock unless told; stock on hand is
 * received as one `initial stock` movement, as the catalog service records it.
 */
export async function makeProduct(
  db: Db,
  over: Over<typeof products.$inferInsert, "createdAt" | "updatedAt"> = {},
) {
  const n = next();
  const { createdAt, updatedAt, ...rest } = over;
  const [row] = await db
    .insert(products)
    .values({
      sku: `SKU-X${n}`,
      name: `Product ${n}`,
      priceAmount: 1500,
      currency: "usd",
      stockOnHand: 5,
      ...rest,
      ...(createdAt === undefined ? {} : { createdAt: new Date(createdAt) }),
      ...(updatedAt === undefined ? {} : { updatedAt: new Date(updatedAt) }),
    })
    .returning();
  if (row!.stockOnHand > 0)
    await db.insert(stockMovements).values({
      productId: row!.id,
      delta: row!.stockOnHand,
      reason: "receive",
      note: "initial stock",
      at: row!.createdAt,
    });
  return row!;
}
