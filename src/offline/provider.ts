import type { PaymentProvider } from "../payments/provider.ts";
import { offlineId } from "../shared/stripe-ids.ts";
import { simulateRefund } from "./refunds.ts";

export { offlineId };

/**
 * Offline mode: the simulator plays Stripe. Checkout sends the buyer to our own pay page; paying
 * or refunding emits signed, real-shaped events through the same webhook processing path.
 */
export const offlineProvider: PaymentProvider = {
  mode: "offline",

  async startCheckout(ctx, request) {
    const checkoutSessionId = offlineId(ctx.config.livemode ? "cs_live" : "cs_test");
    const query = new URLSearchParams({ success: request.successUrl, cancel: request.cancelUrl });
    return { redirectUrl: `/checkout/offline/${checkoutSessionId}?${query}`, checkoutSessionId };
  },

  createRefund(ctx, request) {
    return simulateRefund(ctx, request);
  },

  // The simulator's pay page accepts only pending orders: a canceled order's page is already closed.
  async closeCheckout() {
    return true;
  },
};
