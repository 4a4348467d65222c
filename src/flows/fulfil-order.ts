import type { Actor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import { fulfillOrder, type OrderWithLines, parseShipment, recordShipment } from "../orders/index.ts";

export interface FulfilInput {
  orderId: number;
  reason: string;
  /** Both or neither: the parcel's carrier and tracking number, shown to the customer. */
  carrier?: string | null;
  trackingNumber?: string | null;
}

/**
 * An operator marks a paid order shipped: what ships is each line's units not restocked by a
 * refund (the orders service refuses an order with nothing left to ship). The tracking fields are
 * checked first, so a typo there changes nothing; then the fulfilment and the shipment record, each
 * audited.
 */
export async function fulfilOrder(
  ctx: AppContext,
  input: FulfilInput,
  actor: Actor,
): Promise<OrderWithLines> {
  const shipment = parseShipment({ carrier: input.carrier, trackingNumber: input.trackingNumber });
  const order = await fulfillOrder(ctx, input, actor);
  if (shipment) await recordShipment(ctx, { orderId: order.id, ...shipment }, actor);
  return order;
}
