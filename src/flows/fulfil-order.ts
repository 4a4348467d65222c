import type { Actor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import { fulfillOrder, type OrderWithLines } from "../orders/index.ts";

/**
 * An operator marks a paid order shipped: what ships is each line's units not restocked by a
 * refund (the orders service refuses an order with nothing left to ship). One transaction, audited.
 */
export async function fulfilOrder(
  ctx: AppContext,
  input: { orderId: number; reason: string },
  actor: Actor,
): Promise<OrderWithLines> {
  return fulfillOrder(ctx.db, input, actor, ctx.clock, { timezone: ctx.config.reportingTimezone });
}
