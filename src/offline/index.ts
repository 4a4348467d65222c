/**
 * The offline mode's Stripe: object builders and the event factory (objects/), a stand-in for the
 * REST API we call (stripe-api/), and the simulator that plays a customer and Stripe at once
 * (simulate/, the pay page, signed events delivered through the real webhook path). Production code
 * reaches it only through this file; tests may use the builders and the fake API directly.
 */
import { installPaymentProvider } from "../payments/index.ts";
import { offlineProvider } from "./provider.ts";

export { completeOfflineCheckout, getOfflineSession, type OfflineSession } from "./checkout-page.ts";
export { assertOfflinePayments, emit, simulatedFee, simulatorFactory } from "./emit.ts";
export { addInterval, type SubscriptionInput } from "./objects/billing-objects.ts";
export { chargeObjectFromRow } from "./objects/charge-from-row.ts";
export { createStripeFactory, type StripeFactory } from "./objects/event-factory.ts";
export { simulateCheckout } from "./simulate/checkout.ts";
export { billSubscription, reviseSubscription } from "./simulate/subscription-events.ts";
export { type SimulationReport, simulateTraffic } from "./simulate/traffic.ts";
export { offlineProvider };

/** Makes the simulator the payment provider of offline mode (called wherever a context is made). */
export function installOfflinePayments(): void {
  installPaymentProvider(offlineProvider);
}
