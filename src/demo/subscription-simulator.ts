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

type Interval = "week" | "month" | "year";
type Discount = NonNullable<SubscriptionInput["discount"]>;

interface Sub {
  sub: SubscriptionObject;
  plan: number;
  quantity: number;
  discount: Discount | null;
  /** Day (unix seconds) a failed renewal is settled: recovered or canceled. */
  dunningUntil?: number;
}

const DAY = 86_400;

/**
 * The plans: USD monthly, annual and weekly, and one plan each in EUR and in KWD (a three-decimal
 * currency: 9500 fils is KWD 9.500), so every currency of the dashboards has subscribers.
 * `up`/`down`: the plan an upgrade or a downgrade moves to.
 */
const PLANS: Array<{
  amount: number;
  interval: Interval;
  nickname: string;
  currency: string;
  up?: number;
  down?: number;
}> = [
  { amount: 900, interval: "month", nickname: "Starter monthly", currency: "usd", up: 1 },
  { amount: 2900, interval: "month", nickname: "Team monthly", currency: "usd", up: 2, down: 0 },
  { amount: 9900, interval: "month", nickname: "Business monthly", currency: "usd", down: 1 },
  { amount: 9000, interval: "year", nickname: "Starter annual", currency: "usd", up: 4 },
  { amount: 29000, interval: "year", nickname: "Team annual", currency: "usd", down: 3 },
  { amount: 1200, interval: "week", nickname: "Fresh beans weekly", currency: "usd" },
  { amount: 2700, interval: "month", nickname: "Team monthly (EUR)", currency: "eur", up: 7 },
  { amount: 26000, interval: "year", nickname: "Team annual (EUR)", currency: "eur", down: 6 },
  { amount: 9500, interval: "month", nickname: "Business monthly (KWD)", currency: "kwd" },
];
/**
 * Sign-up mix by plan index (weights): mostly USD, over half annual, a few weekly boxes. EUR and
 * KWD stay small: their revenue is then zero on most days, which the anomaly check leaves unjudged
 * instead of comparing one renewal against an empty week.
 */
const SIGNUP_MIX = [12, 10, 4, 22, 18, 1, 3, 3, 2];
/** Subscribers who were already there when the history starts: annual-heavy, like a mature base. */
const BASE_MIX = [3, 3, 1, 36, 30, 0, 2, 8, 2];

export interface SubscriptionStats {
  started: number;
  trials: number;
  upgrades: number;
  downgrades: number;
  pastDue: number;
  recovered: number;
  churned: number;
  reactivated: number;
  discounted: number;
}

function pick(weights: number[], r: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = r * total;
  for (const [i, w] of weights.entries()) {
    x -= w;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

/**
 * Subscription traffic as real-shaped Stripe events through the webhook path: a base of existing
 * subscribers, sign-ups (some with a 14-day trial, some with a percent or an amount coupon),
 * renewals, upgrades, downgrades, seat changes, failed renewals (past_due, then recovered or
 * canceled), voluntary churn and reactivations (a former subscriber who comes back).
 */
export function subscriptionSimulator(sim: AppContext, f: StripeFactory, rand: () => number) {
  const prices: PriceObject[] = PLANS.map((p) =>
    f.makePrice({
      unit_amount: p.amount,
      currency: p.currency,
      recurring: { interval: p.interval },
      nickname: p.nickname,
    }),
  );
  const live: Sub[] = [];
  /** Customers whose subscription ended (by plan currency, oldest first, with when): some come back. */
  const lapsed = new Map<string, Array<{ customer: string; at: number }>>();
  const stats: SubscriptionStats = {
    started: 0,
    trials: 0,
    upgrades: 0,
    downgrades: 0,
    pastDue: 0,
    recovered: 0,
    churned: 0,
    reactivated: 0,
    discounted: 0,
  };
  let seq = 0;
  let charged = 0;
  const post = (event: StripeEventObject) => emit(sim, event);
  const build = (s: Sub, changes?: Partial<SubscriptionInput>) =>
    reviseSubscription(
      f,
      s.sub,
      { price: prices[s.plan]!, quantity: s.quantity },
      { discount: s.discount, ...changes },
    );
  const bill = async (sub: SubscriptionObject, reason: "subscription_create" | "subscription_cycle") => {
    const amount = await billSubscription(f, post, sub, reason);
    if (sub.currency === "usd") charged += amount;
  };
  const end = async (s: Sub, reason: "cancellation_requested" | "payment_failed") => {
    const now = f.now();
    s.sub = build(s, { status: "canceled", canceled_at: now, ended_at: now, cancellation_reason: reason });
    await post(f.makeEvent("customer.subscription.deleted", s.sub));
    live.splice(live.indexOf(s), 1);
    const currency = PLANS[s.plan]!.currency;
    lapsed.set(currency, [...(lapsed.get(currency) ?? []), { customer: s.sub.customer as string, at: now }]);
    stats.churned += 1;
  };
  const change = async (s: Sub, plan: number, quantity: number) => {
    s.plan = plan;
    s.quantity = quantity;
    s.sub = build(s);
    await post(f.makeEvent("customer.subscription.updated", s.sub));
  };

  async function renew(s: Sub, failRate: number): Promise<void> {
    const start = s.sub.current_period_end;
    const period = {
      current_period_start: start,
      current_period_end: addInterval(start, prices[s.plan]!.recurring!.interval),
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

  /** A coupon on some sign-ups: 20 % off forever, or 5 units of the plan's currency off each invoice. */
  function coupon(plan: number, at: number): Discount | null {
    const r = rand();
    if (r < 0.1) return { percent_off: 20, coupon_id: "DEMO20", name: "20% off", start: at };
    if (r < 0.15) {
      const currency = PLANS[plan]!.currency;
      // Five units of the plan's currency (KWD has three decimals), never more than a third of the price.
      const five = currency === "kwd" ? 5000 : 500;
      const amount = Math.min(five, Math.floor(PLANS[plan]!.amount / 3));
      return {
        amount_off: amount,
        currency,
        coupon_id: `DEMO5${currency.toUpperCase()}`,
        name: "5 off",
        start: at,
      };
    }
    return null;
  }

  async function customerFor(
    plan: number,
    allowReturn: boolean,
    mustReturn = false,
  ): Promise<{ id: string; returning: boolean }> {
    const pool = lapsed.get(PLANS[plan]!.currency) ?? [];
    // Former subscribers come back after a month or more; a forced return takes the longest gone
    // who left at least three days ago (so the latest cancellations stay churned).
    const away = (mustReturn ? 3 : 30) * DAY;
    const index = pool.findIndex((e) => e.at <= f.now() - away);
    if (allowReturn && index >= 0 && (mustReturn || rand() < 0.5)) {
      const [entry] = pool.splice(index, 1);
      return { id: entry!.customer, returning: true };
    }
    seq += 1;
    const customer = f.makeCustomer({ email: `team${seq}@subscriber.example.test`, name: `Team ${seq}` });
    await post(f.makeEvent("customer.created", customer));
    return { id: customer.id, returning: false };
  }

  async function signUp(
    plan: number,
    options: { trial: boolean; since?: number; returning?: boolean },
  ): Promise<void> {
    const now = f.now();
    const { id, returning } = await customerFor(plan, options.since === undefined, options.returning);
    // Seats only on the monthly Starter plan, so no single renewal dwarfs a normal day's revenue.
    const quantity = plan === 0 ? 1 + Math.floor(rand() * rand() * 3) : 1;
    const since = options.since ?? now;
    const discount = coupon(plan, since);
    const interval = PLANS[plan]!.interval;
    // An existing subscriber is somewhere in a period that began before the history.
    let periodStart = since;
    while (options.since !== undefined && addInterval(periodStart, interval) <= now)
      periodStart = addInterval(periodStart, interval);
    const s: Sub = {
      sub: f.makeSubscription({
        customer: id,
        items: [{ price: prices[plan]!, quantity }],
        created: since,
        start_date: since,
        current_period_start: periodStart,
        ...(options.trial ? { trial_start: now, trial_end: now + 14 * DAY } : {}),
        discount,
      }),
      plan,
      quantity,
      discount,
    };
    live.push(s);
    stats.started += 1;
    if (options.trial) stats.trials += 1;
    if (discount) stats.discounted += 1;
    if (returning) stats.reactivated += 1;
    await post(f.makeEvent("customer.subscription.created", s.sub));
    // The base's current period was paid before the history; a new subscriber pays now (or after the trial).
    if (options.since === undefined) await bill(s.sub, "subscription_create");
  }

  return {
    stats,
    /** The subscribers there before the history starts (`count` of them, signed up over the past year). */
    async base(count: number): Promise<void> {
      const now = f.now();
      for (let i = 0; i < count; i++) {
        // One subscriber in each currency first, so even a small seed shows all three.
        const plan = [3, 7, 8][i] ?? pick(BASE_MIX, rand());
        await signUp(plan, { trial: false, since: now - Math.floor(1 + rand() * 360) * DAY });
      }
    },
    /**
     * One day at the factory clock; returns the USD amount charged. `calm` keeps the day free of
     * annual sign-ups (their renewals would fall after the history) and plan moves; `force` makes
     * sure the day has a cancellation, an added seat or a returning subscriber.
     */
    async day(
      newSubs: number,
      calm: boolean,
      annualAllowed: boolean,
      force: { churn?: boolean; expansion?: boolean; reactivation?: boolean } = {},
    ): Promise<number> {
      const now = f.now();
      charged = 0;
      // The recent windows always show each movement: one cancellation, one added seat, one return.
      const steady = live.filter(
        (s) => s.dunningUntil === undefined && s.sub.status === "active" && PLANS[s.plan]!.currency === "usd",
      );
      if (force.churn && steady.length > 0)
        await end(steady[Math.floor(rand() * steady.length)]!, "cancellation_requested");
      if (force.expansion) {
        const monthly = steady.filter((s) => live.includes(s) && PLANS[s.plan]!.interval === "month");
        const s = monthly[Math.floor(rand() * monthly.length)];
        if (s) {
          await change(s, s.plan, s.quantity + 1);
          stats.upgrades += 1;
        }
      }
      if (force.reactivation && (lapsed.get("usd") ?? []).length > 0)
        await signUp(0, { trial: false, returning: true });
      for (const s of [...live]) {
        if (s.dunningUntil !== undefined) {
          if (s.dunningUntil > now) continue;
          s.dunningUntil = undefined;
          if (rand() < 0.4) await end(s, "payment_failed");
          else {
            s.sub = build(s, { status: "active" });
            await post(f.makeEvent("customer.subscription.updated", s.sub));
            await bill(s.sub, "subscription_cycle");
            stats.recovered += 1;
          }
          continue;
        }
        if (s.sub.current_period_end <= now) {
          await renew(s, s.sub.status === "trialing" ? 0.1 : 0.03);
          continue;
        }
        const roll = rand();
        const plan = PLANS[s.plan]!;
        if (roll < 0.0006) await end(s, "cancellation_requested");
        else if (roll < 0.0016 && plan.up !== undefined && !calm) {
          await change(s, plan.up, 1);
          stats.upgrades += 1;
        } else if (roll < 0.0021 && (plan.down !== undefined || s.quantity > 1) && !calm) {
          if (s.quantity > 1) await change(s, s.plan, s.quantity - 1);
          else await change(s, plan.down!, 1);
          stats.downgrades += 1;
        } else if (roll < 0.0026 && plan.interval !== "week") {
          // A seat added (expansion with no charge until the next invoice).
          await change(s, s.plan, s.quantity + 1);
          stats.upgrades += 1;
        }
      }
      for (let i = 0; i < newSubs; i++) {
        let plan = pick(SIGNUP_MIX, rand());
        if ((calm || !annualAllowed) && PLANS[plan]!.interval === "year") plan = plan === 7 ? 6 : 0;
        await signUp(plan, { trial: rand() < 0.2 });
      }
      return charged;
    },
  };
}
