import { randomBytes } from "node:crypto";
import type { PaymentProvider } from "../provider.ts";
import { simulateRefund } from "./refunds.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A Stripe-shaped id with a random tail (`cs_test_a1B2…`). */
export function offlineId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${out}`;
}

/**
 * Offline mode: the simulator plays Stripe. Checkout sends the buyer to our own pay page; paying
 * or refunding emits signed, real-shaped events through the same webhook processing path.
 */
export const offlineProvider: PaymentProvider = {
  mode: "offline",

  async startCheckout(ctx, _request) {
    const checkoutSessionId = offlineId(ctx.config.livemode ? "cs_live" : "cs_test");
    return { redirectUrl: `/checkout/offline/${checkoutSessionId}`, checkoutSessionId };
  },

  createRefund(ctx, request) {
    return simulateRefund(ctx, request);
  },
};
