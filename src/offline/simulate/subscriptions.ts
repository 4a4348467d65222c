import type { AppContext } from "../../context.ts";
import type {
  PriceObject,
  StripeEventObject,
  SubscriptionObject,
} from "../../payments/stripe/stripe-objects.ts";
import { addInterval, type SubscriptionInput } from "../objects/billing-objects.ts";
import type { StripeFactory } from "../objects/event-factory.ts";
import { billSubscription, reviseSubscription } from "./subscription-events.ts";

interface LiveSub {
  sub: SubscriptionObject;
  priceIndex: number;
  quantity: number;
}

/**
 * Subscription traffic for the simulator: new subscriptions with their first invoice and charge,
 * renewals at period end, upgrades, downgrades and cancellations — all as real-shaped events.
 */
export function simulateSubscriptions(
  _ctx: AppContext,
  f: StripeFactory,
  rand: () => number,
  send: (event: StripeEventObject) => Promise<unknown>,
) {
  let prices: PriceObject[] | null = null;
  const live: LiveSub[] = [];
  let sent = 0;
  const post = async (event: StripeEventObject) => {
    await send(event);
    sent += 1;
  };

  const build = (s: LiveSub, changes?: Partial<SubscriptionInput>) =>
    reviseSubscription(f, s.sub, { price: prices![s.priceIndex]!, quantity: s.quantity }, changes);
  const bill = (sub: SubscriptionObject, reason: "subscription_create" | "subscription_cycle") =>
    billSubscription(f, post, sub, reason);

  return {
    /** One simulated day at the factory's clock; returns the number of events sent. */
    async day(): Promise<number> {
      const before = sent;
      prices ??= [900, 2900, 9900].map((unit_amount) =>
        f.makePrice({ unit_amount, recurring: { interval: "month" }, nickname: `Plan ${unit_amount / 100}` }),
      );
      const now = f.now();
      for (const s of [...live]) {
        if (s.sub.current_period_end <= now) {
          const start = s.sub.current_period_end;
          s.sub = build(s, { current_period_start: start, current_period_end: addInterval(start, "month") });
          await post(f.makeEvent("customer.subscription.updated", s.sub));
          await bill(s.sub, "subscription_cycle");
          continue;
        }
        const roll = rand();
        if (roll < 0.03) {
          s.sub = build(s, { status: "canceled", canceled_at: now, ended_at: now });
          await post(f.makeEvent("customer.subscription.deleted", s.sub));
          live.splice(live.indexOf(s), 1);
        } else if (roll < 0.06 && s.priceIndex < prices.length - 1) {
          s.priceIndex += 1;
          s.sub = build(s);
          await post(f.makeEvent("customer.subscription.updated", s.sub));
        } else if (roll < 0.08 && (s.priceIndex > 0 || s.quantity > 1)) {
          if (s.quantity > 1) s.quantity -= 1;
          else s.priceIndex -= 1;
          s.sub = build(s);
          await post(f.makeEvent("customer.subscription.updated", s.sub));
        }
      }
      if (rand() < 0.5) {
        const customer = f.makeCustomer({
          email: `subscriber${live.length + sent}@example.test`,
          name: "Subscriber",
        });
        await post(f.makeEvent("customer.created", customer));
        const priceIndex = Math.floor(rand() * prices.length);
        const quantity = 1 + Math.floor(rand() * 2);
        const sub = f.makeSubscription({
          customer: customer.id,
          items: [{ price: prices[priceIndex]!, quantity }],
        });
        live.push({ sub, priceIndex, quantity });
        await post(f.makeEvent("customer.subscription.created", sub));
        await bill(sub, "subscription_create");
      }
      return sent - before;
    },
  };
}
