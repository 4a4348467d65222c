import type { AppContext } from "../context.ts";
import {
  addInterval,
  billSubscription,
  emit,
  reviseSubscription,
  type StripeFactory,
  type SubscriptionInput,
} from "../offline/index.ts";
import type {
  PriceObject,
  StripeEventObject,
  SubscriptionObject,
} from "../payments/stripe/stripe-objects.ts";

interface Sub {
  sub: SubscriptionObject;
  price: number;
  quantity: number;
  /** Day (unix seconds) a failed renewal is settled: recovered or canceled. */
  dunningUntil?: number;
}

const DAY = 86_400;
/** Monthly Starter/Team/Business and annual Starter/Team; index pairs for upgrade/downgrade. */
const PLANS: Array<{ amount: number; interval: "month" | "year"; nickname: string }> = [
  { amount: 900, interval: "month", nickname: "Starter monthly" },
  { amount: 2900, interval: "month", nickname: "Team monthly" },
  { amount: 9900, interval: "month", nickname: "Business monthly" },
  { amount: 9000, interval: "year", nickname: "Starter annual" },
  { amount: 29000, interval: "year", nickname: "Team annual" },
];

export interface SubscriptionStats {
  started: number;
  trials: number;
  upgrades: number;
  downgrades: number;
  pastDue: number;
  churned: number;
}

/**
 * Subscription traffic as real-shaped Stripe events through the webhook path: sign-ups (some with
 * a 14-day trial, some annual), renewals, upgrades, downgrades, failed renewals (past_due, then
 * recovered or canceled) and voluntary churn.
 */
export function subscriptionSimulator(sim: AppContext, f: StripeFactory, rand: () => number) {
  const prices: PriceObject[] = PLANS.map((p) =>
    f.makePrice({ unit_amount: p.amount, recurring: { interval: p.interval }, nickname: p.nickname }),
  );
  const live: Sub[] = [];
  const stats: SubscriptionStats = {
    started: 0,
    trials: 0,
    upgrades: 0,
    downgrades: 0,
    pastDue: 0,
    churned: 0,
  };
  let seq = 0;
  let charged = 0;
  const post = (event: StripeEventObject) => emit(sim, event);
  const build = (s: Sub, changes?: Partial<SubscriptionInput>) =>
    reviseSubscription(f, s.sub, { price: prices[s.price]!, quantity: s.quantity }, changes);
  const bill = async (sub: SubscriptionObject, reason: "subscription_create" | "subscription_cycle") => {
    const amount = await billSubscription(f, post, sub, reason);
    charged += amount;
  };
  const end = async (s: Sub, reason: "cancellation_requested" | "payment_failed") => {
    const now = f.now();
    s.sub = build(s, { status: "canceled", canceled_at: now, ended_at: now, cancellation_reason: reason });
    await post(f.makeEvent("customer.subscription.deleted", s.sub));
    live.splice(live.indexOf(s), 1);
    stats.churned += 1;
  };

  async function renew(s: Sub, failRate: number): Promise<void> {
    const start = s.sub.current_period_end;
    const period = {
      current_period_start: start,
      current_period_end: addInterval(start, prices[s.price]!.recurring!.interval),
    };
    if (rand() < failRate) {
      s.sub = build(s, { ...period, status: "past_due" });
      await post(f.makeEvent("customer.subscription.updated", s.sub));
      const invoice = f.makeInvoice({
        subscription: s.sub,
        status: "open",
        billingReason: "subscription_cycle",
        attemptCount: 1,
      });
      await post(f.makeEvent("invoice.payment_failed", invoice));
      s.dunningUntil = f.now() + (3 + Math.floor(rand() * 5)) * DAY;
      stats.pastDue += 1;
      return;
    }
    s.sub = build(s, { ...period, status: "active" });
    await post(f.makeEvent("customer.subscription.updated", s.sub));
    await bill(s.sub, "subscription_cycle");
  }

  return {
    stats,
    /**
     * One day at the factory clock; returns the amount charged. `calm` keeps the day free of plan
     * changes and annual sign-ups; `annual` allows annual sign-ups (they must renew after the history).
     */
    async day(newSubs: number, calm: boolean, annualAllowed: boolean): Promise<number> {
      const now = f.now();
      charged = 0;
      for (const s of [...live]) {
        if (s.dunningUntil !== undefined) {
          if (s.dunningUntil > now) continue;
          s.dunningUntil = undefined;
          if (rand() < 0.5) await end(s, "payment_failed");
          else {
            s.sub = build(s, { status: "active" });
            await post(f.makeEvent("customer.subscription.updated", s.sub));
            await bill(s.sub, "subscription_cycle");
          }
          continue;
        }
        if (s.sub.current_period_end <= now) {
          await renew(s, s.sub.status === "trialing" ? 0.1 : 0.03);
          continue;
        }
        if (calm) continue;
        const roll = rand();
        if (roll < 0.0025) await end(s, "cancellation_requested");
        else if (roll < 0.004 && (s.price === 0 || s.price === 1 || s.price === 3)) {
          s.price += 1;
          s.quantity = 1;
          s.sub = build(s);
          await post(f.makeEvent("customer.subscription.updated", s.sub));
          stats.upgrades += 1;
        } else if (roll < 0.005 && (s.price === 1 || s.price === 2 || s.quantity > 1)) {
          if (s.quantity > 1) s.quantity -= 1;
          else s.price -= 1;
          s.sub = build(s);
          await post(f.makeEvent("customer.subscription.updated", s.sub));
          stats.downgrades += 1;
        }
      }
      for (let i = 0; i < newSubs; i++) {
        seq += 1;
        const customer = f.makeCustomer({ email: `team${seq}@subscriber.example.test`, name: `Team ${seq}` });
        await post(f.makeEvent("customer.created", customer));
        const annual = !calm && annualAllowed && rand() < 0.25;
        const price = annual ? 3 + Math.floor(rand() * 2) : Math.floor(rand() * 3);
        // Seats only on Starter, so no single renewal dwarfs a normal day's revenue.
        const quantity = price === 0 ? 1 + Math.floor(rand() * rand() * 3) : 1;
        const trial = rand() < 0.2;
        const s: Sub = {
          sub: f.makeSubscription({
            customer: customer.id,
            items: [{ price: prices[price]!, quantity }],
            trial_end: trial ? now + 14 * DAY : null,
          }),
          price,
          quantity,
        };
        live.push(s);
        stats.started += 1;
        if (trial) stats.trials += 1;
        await post(f.makeEvent("customer.subscription.created", s.sub));
        await bill(s.sub, "subscription_create");
      }
      return charged;
    },
  };
}
