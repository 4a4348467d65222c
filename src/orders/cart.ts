import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { getProduct, type Product, withProducts } from "../catalog/index.ts";
import type { ServiceContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { NotFoundError, ValidationError } from "../shared/errors.ts";
import { parseInput } from "../shared/validate.ts";
import { cartItems } from "./schema.ts";

/** Most units of one product in one order or cart line. */
export const MAX_LINE_QUANTITY = 100;
export const MAX_ORDER_LINES = 50;

const id = z.number().int().positive().max(2_147_483_647);
export const quantitySchema = z.number().int().min(1).max(MAX_LINE_QUANTITY);
const cartLineSchema = z.object({ productId: id, quantity: quantitySchema });

export interface CartLine {
  product: Product;
  quantity: number;
  lineTotal: number;
}

export async function getCart(ctx: Pick<ServiceContext, "db">, customerId: number): Promise<CartLine[]> {
  const rows = await ctx.db
    .select()
    .from(cartItems)
    .where(eq(cartItems.customerId, customerId))
    .orderBy(asc(cartItems.addedAt), asc(cartItems.productId));
  return withProducts(ctx, rows, (r, product) => ({
    product,
    quantity: r.quantity,
    lineTotal: product.priceAmount * r.quantity,
  }));
}

async function activeProduct(db: Db, productId: number): Promise<Product> {
  const product = await getProduct({ db }, productId);
  if (!product?.active) throw new ValidationError("productId: no such product for sale", "productId");
  return product;
}

/**
 * Add units (adds to what is already in the cart, capped by MAX_LINE_QUANTITY). The cap is checked
 * in the upsert itself: the conflicting row is locked and re-read there, so concurrent adds cannot
 * each pass a check made on a stale read.
 */
export async function addToCart(ctx: ServiceContext, customerId: number, input: unknown): Promise<void> {
  const data = parseInput(cartLineSchema, input);
  await activeProduct(ctx.db, data.productId);
  const written = await ctx.db
    .insert(cartItems)
    .values({ customerId, productId: data.productId, quantity: data.quantity, addedAt: ctx.clock.now() })
    .onConflictDoUpdate({
      target: [cartItems.customerId, cartItems.productId],
      set: { quantity: sql`${cartItems.quantity} + excluded.quantity` },
      setWhere: sql`${cartItems.quantity} + excluded.quantity <= ${MAX_LINE_QUANTITY}`,
    })
    .returning({ quantity: cartItems.quantity });
  if (written.length === 0) {
    throw new ValidationError(`quantity: at most ${MAX_LINE_QUANTITY} per product`, "quantity");
  }
}

export async function setCartQuantity(
  ctx: Pick<ServiceContext, "db">,
  customerId: number,
  input: unknown,
): Promise<void> {
  const data = parseInput(cartLineSchema, input);
  const updated = await ctx.db
    .update(cartItems)
    .set({ quantity: data.quantity })
    .where(and(eq(cartItems.customerId, customerId), eq(cartItems.productId, data.productId)))
    .returning({ productId: cartItems.productId });
  if (updated.length === 0) throw new NotFoundError("Cart item");
}

export async function removeFromCart(
  ctx: Pick<ServiceContext, "db">,
  customerId: number,
  input: unknown,
): Promise<void> {
  const data = parseInput(z.object({ productId: id }), input);
  await ctx.db
    .delete(cartItems)
    .where(and(eq(cartItems.customerId, customerId), eq(cartItems.productId, data.productId)));
}

export async function clearCartItems(tx: Db, customerId: number, productIds: number[]): Promise<void> {
  if (productIds.length === 0) return;
  await tx
    .delete(cartItems)
    .where(and(eq(cartItems.customerId, customerId), inArray(cartItems.productId, productIds)));
}

export async function cartCount(ctx: Pick<ServiceContext, "db">, customerId: number): Promise<number> {
  const [row] = await ctx.db
    .select({ n: sql<number>`coalesce(sum(${cartItems.quantity}), 0)` })
    .from(cartItems)
    .where(eq(cartItems.customerId, customerId));
  return row?.n ?? 0;
}
