import { eq } from "drizzle-orm";
import type { Actor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import { chargeObjectFromRow, emit, simulateCheckout, simulatorFactory } from "../offline/index.ts";
import { cancelOrder, createOrderFromCart, fulfillOrder, type OrderWithLines } from "../orders/index.ts";
import { createRefund } from "../payments/refunds/service.ts";
import { charges } from "../payments/schema.ts";
import type { fixedClock } from "../shared/clock.ts";

export type SimClock = ReturnType<typeof fixedClock>;
export type OrderFate =
  | "pending"
  | "abandoned"
  | "declined"
  | "paid"
  | "fulfilled"
  | "partial"
  | "full"
  | "dispute";

const HOUR = 3_600_000;

/** Checkout through the offline provider: pending order, checkout session, then pay or decline. */
export async function checkout(
  sim: AppContext,
  clock: SimClock,
  actor: Actor,
  customerId: number,
  items: Array<{ productId: number; quantity: number }>,
  outcome: "pay" | "decline" | "none",
): Promise<OrderWithLines> {
  const order = await createOrderFromCart({ ...sim, clock }, { customerId, items }, actor);
  if (outcome === "none") return order;
  await simulateCheckout(sim, clock, order, outcome);
  return order;
}

/** What happens to a paid order afterwards: fulfilment, refunds, a dispute. */
export async function afterPayment(
  sim: AppContext,
  clock: SimClock,
  actor: Actor,
  order: OrderWithLines,
  fate: OrderFate,
  rand: () => number,
  now: Date,
): Promise<void> {
  if (fate === "paid") return;
  clock.advance((2 + rand() * 20) * HOUR);
  // Nothing happens after the history ends: a late order just stays paid.
  const future = () => clock.now().getTime() > now.getTime();
  if (future()) return;
  if (fate === "full" && rand() < 0.5) {
    // Refunded before shipping: the goods go back on the shelf.
    await createRefund(sim, { orderId: order.id, amount: order.amountTotal, restock: true }, actor);
    return;
  }
  await fulfillOrder({ ...sim, clock }, { orderId: order.id, reason: "shipped" }, actor);
  if (fate === "partial") {
    clock.advance((24 + rand() * 200) * HOUR);
    if (future()) return;
    const amount = Math.max(100, Math.round(order.amountTotal * (0.2 + rand() * 0.3)));
    await createRefund(sim, { orderId: order.id, amount, note: "damaged in transit" }, actor);
  } else if (fate === "full") {
    clock.advance((24 + rand() * 200) * HOUR);
    if (future()) return;
    await createRefund(sim, { orderId: order.id, amount: order.amountTotal, note: "returned" }, actor);
  } else if (fate === "dispute") {
    clock.advance((72 + rand() * 200) * HOUR);
    if (future()) return;
    await openDispute(sim, order.id);
  }
}

/** charge.dispute.created for the order's charge, through the signed webhook path. */
export async function openDispute(sim: AppContext, orderId: number): Promise<void> {
  const [row] = await sim.db.select().from(charges).where(eq(charges.orderId, orderId));
  if (!row) return;
  const f = simulatorFactory(sim);
  const charge = chargeObjectFromRow(f, row);
  await emit(
    sim,
    f.makeEvent("charge.dispute.created", f.makeDispute({ charge, reason: "product_not_received" })),
  );
}

/** An unpaid order the buyer walked away from (or whose card was declined) is canceled later. */
export async function cancelLater(
  sim: AppContext,
  clock: SimClock,
  actor: Actor,
  orderId: number,
  rand: () => number,
  now: Date,
) {
  clock.advance((1 + rand() * 3) * HOUR);
  if (clock.now().getTime() > now.getTime()) clock.set(now);
  await cancelOrder({ ...sim, clock }, { orderId, reason: "checkout abandoned" }, actor);
}
