import type { AppContext } from "../../context.ts";
import { type ReceiveResult, receiveWebhook } from "../inbox/receive.ts";
import { createStripeFactory, type StripeFactory } from "../stripe/event-factory.ts";
import { signEvent } from "../stripe/sign.ts";
import type { StripeEventObject } from "../stripe/stripe-objects.ts";
import { offlineSeed } from "./ids.ts";

/** A factory for one simulated action: random seed (unique ids; seeded under `withSeededOfflineIds`), the app clock, our livemode. */
export function simulatorFactory(ctx: AppContext): StripeFactory {
  return createStripeFactory({ seed: offlineSeed(), now: ctx.clock.now(), livemode: ctx.config.livemode });
}

/**
 * Signs an event with the configured webhook secret and delivers it through the same
 * verify → inbox → handler path as POST /webhooks/stripe.
 */
export async function emit(ctx: AppContext, event: StripeEventObject): Promise<ReceiveResult> {
  const secret = ctx.config.stripeWebhookSecrets[0];
  if (!secret) throw new Error("No webhook secret configured for the simulator");
  const { payload, header } = signEvent(event, secret, Math.floor(ctx.clock.now().getTime() / 1000));
  return receiveWebhook(ctx, payload, header, "simulator");
}

/** Stripe's US card pricing, 2.9 % + 30 ¢, rounded to the minor unit. */
export function simulatedFee(amount: number): number {
  return Math.round(amount * 0.029) + 30;
}
