import type { Actor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import { cancelOrder as cancelPendingOrder, type OrderWithLines } from "../orders/index.ts";
import { closeCheckoutOf } from "../payments/index.ts";

/**
 * An operator cancels a pending order: the order is canceled and its reserved stock released (one
 * transaction, audited), then its payment page is closed, so the customer cannot pay for stock we
 * have released. The close is a network call, made after the commit and best effort: the cancel
 * stands either way (a page that stayed open is logged), and a late payment shows up in the
 * payment-reconciliation check.
 */
export async function cancelOrder(
  ctx: AppContext,
  input: { orderId: number; reason: string },
  actor: Actor,
): Promise<OrderWithLines> {
  const order = await cancelPendingOrder(ctx, input, actor);
  await closeCheckoutOf(ctx, order);
  return order;
}
