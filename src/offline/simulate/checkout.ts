import type { AppContext } from "../../context.ts";
import { type OrderWithLines, setOrderPaymentRefs } from "../../orders/index.ts";
import { getPaymentProvider } from "../../payments/index.ts";
import type { fixedClock } from "../../shared/clock.ts";
import { completeOfflineCheckout } from "../checkout-page.ts";

/**
 * A buyer checking out a pending order in simulated traffic: the provider starts a checkout
 * session, and a minute later (on the simulation's clock) the buyer pays or the card is declined.
 * Returns false when the provider started no session, so nothing was paid or declined.
 */
export async function simulateCheckout(
  sim: AppContext,
  clock: ReturnType<typeof fixedClock>,
  order: OrderWithLines,
  outcome: "pay" | "decline",
): Promise<boolean> {
  const start = await getPaymentProvider(sim).startCheckout(sim, {
    orderId: order.id,
    orderNumber: order.number,
    amount: order.amountTotal,
    currency: order.currency,
    customer: { id: order.customerId, email: "", name: "", stripeCustomerId: null },
    lines: order.lines.map((l) => ({ name: l.name, quantity: l.quantity, unitAmount: l.unitPriceAmount })),
    successUrl: "/",
    cancelUrl: "/",
  });
  if (!start.checkoutSessionId) return false;
  await setOrderPaymentRefs({ db: sim.db, clock }, order.id, { checkoutSessionId: start.checkoutSessionId });
  clock.advance(60_000);
  await completeOfflineCheckout(sim, start.checkoutSessionId, outcome);
  return true;
}
