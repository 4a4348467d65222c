import { and, asc, eq, exists, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getProduct, type Product, withProducts } from "../catalog/index.ts";
import type { ServiceContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { NotFoundError, ValidationError } from "../shared/errors.ts";
import { parseInput } from "../shared/validate.ts";
import { addToCart } from "./cart.ts";
import { orderLines, wishlistEvents, wishlistItems } from "./schema.ts";

const productInput = z.object({ productId: z.number().int().positive().max(2_147_483_647) });

export interface WishlistEntry {
  product: Product;
  addedAt: Date;
}

export async function getWishlist(
  ctx: Pick<ServiceContext, "db">,
  customerId: number,
): Promise<WishlistEntry[]> {
  const rows = await ctx.db
    .select()
    .from(wishlistItems)
    .where(eq(wishlistItems.customerId, customerId))
    .orderBy(asc(wishlistItems.addedAt), asc(wishlistItems.productId));
  return withProducts(ctx, rows, (r, product) => ({ product, addedAt: r.addedAt }));
}

export async function wishedProductIds(
  ctx: Pick<ServiceContext, "db">,
  customerId: number,
): Promise<Set<number>> {
  const rows = await ctx.db
    .select({ productId: wishlistItems.productId })
    .from(wishlistItems)
    .where(eq(wishlistItems.customerId, customerId));
  return new Set(rows.map((r) => r.productId));
}

/** Add a product (idempotent: adding it twice records one "added" event). */
export async function addToWishlist(ctx: ServiceContext, customerId: number, input: unknown): Promise<void> {
  const { productId } = parseInput(productInput, input);
  const now = ctx.clock.now();
  const product = await getProduct(ctx, productId);
  if (!product?.active) throw new ValidationError("productId: no such product for sale", "productId");
  await ctx.db.transaction(async (tx) => {
    const added = await tx
      .insert(wishlistItems)
      .values({ customerId, productId, addedAt: now })
      .onConflictDoNothing()
      .returning({ productId: wishlistItems.productId });
    if (added.length)
      await tx.insert(wishlistEvents).values({ customerId, productId, kind: "added", at: now });
  });
}

async function take(tx: Db, customerId: number, productId: number): Promise<boolean> {
  const removed = await tx
    .delete(wishlistItems)
    .where(and(eq(wishlistItems.customerId, customerId), eq(wishlistItems.productId, productId)))
    .returning({ productId: wishlistItems.productId });
  return removed.length > 0;
}

export async function removeFromWishlist(
  ctx: ServiceContext,
  customerId: number,
  input: unknown,
): Promise<void> {
  const { productId } = parseInput(productInput, input);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    if (await take(tx, customerId, productId)) {
      await tx.insert(wishlistEvents).values({ customerId, productId, kind: "removed", at: now });
    }
  });
}

/** Move one unit to the cart and drop the product from the wishlist. */
export async function moveWishlistItemToCart(
  ctx: ServiceContext,
  customerId: number,
  input: unknown,
): Promise<void> {
  const { productId } = parseInput(productInput, input);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    if (!(await take(tx, customerId, productId))) throw new NotFoundError("Wishlist item");
    await addToCart({ ...ctx, db: tx }, customerId, { productId, quantity: 1 });
    await tx.insert(wishlistEvents).values({ customerId, productId, kind: "moved_to_cart", at: now });
  });
}

/**
 * A paid order that contains products the customer wished for (still on the wishlist, or moved
 * from it to the cart) counts as a conversion, once per (order, product). One query finds them.
 */
export async function recordWishlistConversions(
  tx: Db,
  order: { id: number; customerId: number },
  at: Date,
): Promise<number> {
  const wished = await tx
    .selectDistinct({ productId: orderLines.productId })
    .from(orderLines)
    .where(
      and(
        eq(orderLines.orderId, order.id),
        or(
          exists(
            tx
              .select({ one: sql`1` })
              .from(wishlistItems)
              .where(
                and(
                  eq(wishlistItems.customerId, order.customerId),
                  eq(wishlistItems.productId, orderLines.productId),
                ),
              ),
          ),
          exists(
            tx
              .select({ one: sql`1` })
              .from(wishlistEvents)
              .where(
                and(
                  eq(wishlistEvents.customerId, order.customerId),
                  eq(wishlistEvents.kind, "moved_to_cart"),
                  eq(wishlistEvents.productId, orderLines.productId),
                ),
              ),
          ),
        ),
      ),
    )
    .orderBy(asc(orderLines.productId));
  if (wished.length === 0) return 0;
  const rows = await tx
    .insert(wishlistEvents)
    .values(
      wished.map(({ productId }) => ({
        customerId: order.customerId,
        productId,
        kind: "converted" as const,
        at,
        orderId: order.id,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: wishlistEvents.id });
  return rows.length;
}
