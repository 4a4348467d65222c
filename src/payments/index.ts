import type { AppContext } from "../context.ts";
import { offlineProvider } from "./offline/provider.ts";
import type { PaymentProvider } from "./provider.ts";
import { stripeProvider } from "./stripe-provider.ts";

export type { CheckoutRequest, CheckoutStart, PaymentProvider, RefundRequest } from "./provider.ts";

/** The configured payment provider: Stripe's API (`PAYMENTS_MODE=stripe`) or the offline simulator. */
export function getPaymentProvider(ctx: AppContext): PaymentProvider {
  return ctx.config.paymentsMode === "stripe" ? stripeProvider : offlineProvider;
}
