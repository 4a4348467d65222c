import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../audit/index.ts";
import { getProductsByIds, InsufficientStockError, reserveStock } from "../catalog/index.ts";
import type { ServiceContext } from "../context.ts";
import { getCustomer } from "../customers/index.ts";
import { NotFoundError, ValidationError } from "../shared/errors.ts";
import { parseInput } from "../shared/validate.ts";
import { clearCartItems, getCart, MAX_LINE_QUANTITY, MAX_ORDER_LINES, quantitySchema } from "./cart.ts";
import { eventActor, type OrderWithLines, orderNumberFor } from "./model.ts";
import { orderEvents, orderLines, orders } from "./schema.ts";

const id = z.number().int().positive().max(2_147_483_647);
export const checkoutSchema = z.object({
  customerId: id,
  items: z
    .array(z.object({ productId: id, quantity: quantitySchema }))
    .min(1, "the cart is empty")
    .max(MAX_ORDER_LINES)
    .optional(),
});
export type CheckoutInput = z.input<typeof checkoutSchema>;

/**
 * Turn a cart (or explicit items) into a pending order. Validates everything, re-reads prices from
 * the catalog (client prices are never trusted), reserves stock with one conditional UPDATE per
 * product in the same transaction, and clears the ordered cart lines. All or nothing.
 */
export async function createOrderFromCart(
  ctx: ServiceContext,
  input: CheckoutInput,
  actor: Actor,
): Promise<OrderWithLines> {
  const data = parseInput(checkoutSchema, input);
  const now = ctx.clock.now();
  // The order is built from the rows the transaction wrote (RETURNING), so it is not read back.
  return ctx.db.transaction(async (tx): Promise<OrderWithLines> => {
    // One checkout per customer at a time: a second tab waits here, then reads the cart the first
    // one emptied, so one cart never becomes two orders.
    if (!(await getCustomer({ ...ctx, db: tx }, data.customerId, { forUpdate: true })))
      throw new NotFoundError("Customer");
    const raw =
      data.items ??
      (await getCart({ ...ctx, db: tx }, data.customerId)).map((l) => ({
        productId: l.product.id,
        quantity: l.quantity,
      }));
    if (raw.length === 0) throw new ValidationError("items: the cart is empty", "items");
    // One line per product; lock order by product id so multi-item checkouts never deadlock.
    const merged = new Map<number, { quantity: number; index: number }>();
    raw.forEach((item, index) => {
      const prev = merged.get(item.productId);
      merged.set(item.productId, {
        quantity: (prev?.quantity ?? 0) + item.quantity,
        index: prev?.index ?? index,
      });
    });
    const products = await getProductsByIds({ ...ctx, db: tx }, [...merged.keys()]);
    let currency: string | null = null;
    for (const [productId, { quantity, index }] of merged) {
      const p = products.get(productId);
      if (!p?.active) {
        throw new ValidationError(
          `items.${index}.productId: no such product for sale`,
          `items.${index}.productId`,
        );
      }
      if (quantity > MAX_LINE_QUANTITY) {
        throw new ValidationError(
          `items.${index}.quantity: at most ${MAX_LINE_QUANTITY}`,
          `items.${index}.quantity`,
        );
      }
      if (currency !== null && p.currency !== currency) {
        throw new ValidationError(
          `items.${index}.productId: one currency per order`,
          `items.${index}.productId`,
        );
      }
      currency = p.currency;
    }
    const lines = [...merged].sort(([a], [b]) => a - b);
    const subtotal = lines.reduce((sum, [pid, l]) => sum + products.get(pid)!.priceAmount * l.quantity, 0);
    const [order] = await tx
      .insert(orders)
      .values({
        number: `tmp-${randomUUID()}`,
        customerId: data.customerId,
        status: "pending",
        currency: currency!,
        amountSubtotal: subtotal,
        amountTotal: subtotal,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: orders.id });
    const oid = order!.id;
    const written: OrderWithLines["lines"] = [];
    for (const [productId, { quantity }] of lines) {
      const p = products.get(productId)!;
      const reserved = await reserveStock(tx, { productId, quantity, orderId: oid, at: now });
      if (!reserved) throw new InsufficientStockError(productId, p.name);
      const [line] = await tx
        .insert(orderLines)
        .values({
          orderId: oid,
          productId,
          sku: p.sku,
          name: p.name,
          quantity,
          unitPriceAmount: p.priceAmount,
          unitCostAmount: p.unitCostAmount,
          amountTotal: p.priceAmount * quantity,
          isPreorder: reserved.isPreorder,
        })
        .returning();
      written.push(line!);
    }
    const [numbered] = await tx
      .update(orders)
      .set({ number: orderNumberFor(oid) })
      .where(eq(orders.id, oid))
      .returning();
    await tx
      .insert(orderEvents)
      .values({ orderId: oid, fromStatus: null, toStatus: "pending", at: now, ...eventActor(actor) });
    await clearCartItems(
      tx,
      data.customerId,
      lines.map(([pid]) => pid),
    );
    return { ...numbered!, lines: written.sort((a, b) => a.id - b.id) };
  });
}
