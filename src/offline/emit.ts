import type { AppContext } from "../context.ts";
import { type ReceiveResult, receiveWebhook } from "../payments/inbox/receive.ts";
import { signEvent } from "../payments/stripe/sign.ts";
import type { StripeEventObject } from "../payments/stripe/stripe-objects.ts";
import { AppError } from "../shared/errors.ts";
import { offlineSeed } from "../shared/stripe-ids.ts";
import { createStripeFactory, type StripeFactory } from "./objects/event-factory.ts";

/** A factory for one simulated action: random seed (unique ids; seeded under `withSeededOfflineIds`), the app clock, our livemode. */
export function simulatorFactory(ctx: AppContext): StripeFactory {
  return createStripeFactory({ seed: offlineSeed(), now: ctx.clock.now(), livemode: ctx.config.livemode });
}

/**
 * The simulator signs with the configured webhook secret, which with PAYMENTS_MODE=stripe is the real
 * endpoint's: there, a simulated payment would be indistinguishable from Stripe's. So it never runs
 * outside offline mode (no route, demo seed or command may bypass this).
 */
export function assertOfflinePayments(ctx: AppContext): void {
  if (ctx.config.paymentsMode !== "offline")
    throw new AppError(
      "payments.simulator_disabled",
      "The offline payments simulator runs only with PAYMENTS_MODE=offline",
      409,
    );
}

/**
 * Signs an event with the configured webhook secret and delivers it through the same
 * verify → inbox → handler path as POST /webhooks/stripe.
 */
export async function emit(ctx: AppContext, event: StripeEventObject): Promise<ReceiveResult> {
  assertOfflinePayments(ctx);
  const secret = ctx.config.stripeWebhookSecrets[0];
  if (!secret) throw new Error("No webhook secret configured for the simulator");
  const { payload, header } = signEvent(event, secret, Math.floor(ctx.clock.now().getTime() / 1000));
  return receiveWebhook(ctx, payload, header, "simulator");
}

/** Stripe's US card pricing, 2.9 % + 30 ¢, rounded to the minor unit. */
export function simulatedFee(amount: number): number {
  return Math.round(amount * 0.029) + 30;
}
