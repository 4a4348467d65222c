import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { products, stockMovements } from "./schema.ts";

/**
 * Stock on hand moved by `delta` stays at or above the product's floor: 0, or −preorder_limit when
 * it sells on preorder (no floor without a limit).
 */
export function staysAboveFloor(delta: number): SQL {
  const after = sql`${products.stockOnHand} + ${delta}`;
  return sql`(${after} >= 0 OR (${products.allowPreorder} AND (${products.preorderLimit} IS NULL OR ${after} >= -${products.preorderLimit})))`;
}

export interface Reservation {
  /** Stock on hand after the reservation. */
  stockAfter: number;
  /** Some of the reserved units are below zero: sold on preorder. */
  isPreorder: boolean;
}

/**
 * Reserve `quantity` units with ONE conditional UPDATE: it succeeds only when the stock stays at or
 * above its floor (0, or −preorder_limit for preorder products), so concurrent checkouts can never
 * oversell — Postgres re-checks the WHERE clause after waiting for a competing row lock.
 * Returns null when there is not enough stock. Call inside the order's transaction.
 */
export async function reserveStock(
  tx: Db,
  input: { productId: number; quantity: number; orderId: number | null; at: Date },
): Promise<Reservation | null> {
  const n = input.quantity;
  const [row] = await tx
    .update(products)
    .set({ stockOnHand: sql`${products.stockOnHand} - ${n}`, updatedAt: input.at })
    .where(and(eq(products.id, input.productId), eq(products.active, true), staysAboveFloor(-n)))
    .returning({ stockOnHand: products.stockOnHand });
  if (!row) return null;
  await tx.insert(stockMovements).values({
    productId: input.productId,
    delta: -n,
    reason: "reserve",
    orderId: input.orderId,
    at: input.at,
  });
  return { stockAfter: row.stockOnHand, isPreorder: row.stockOnHand < 0 };
}

/**
 * Give units back (a canceled order's release, a refund's restock) exactly once per idempotency key:
 * the movement row is inserted first and the stock only moves when that insert was new.
 * Returns false when this key was already applied.
 */
export async function returnStock(
  tx: Db,
  input: {
    productId: number;
    quantity: number;
    reason: "release" | "restock";
    idempotencyKey: string;
    orderId: number | null;
    at: Date;
    note?: string | null;
  },
): Promise<boolean> {
  const inserted = await tx
    .insert(stockMovements)
    .values({
      productId: input.productId,
      delta: input.quantity,
      reason: input.reason,
      idempotencyKey: input.idempotencyKey,
      orderId: input.orderId,
      note: input.note ?? null,
      at: input.at,
    })
    .onConflictDoNothing({ target: stockMovements.idempotencyKey })
    .returning({ id: stockMovements.id });
  if (inserted.length === 0) return false;
  await tx
    .update(products)
    .set({ stockOnHand: sql`${products.stockOnHand} + ${input.quantity}`, updatedAt: input.at })
    .where(eq(products.id, input.productId));
  return true;
}
