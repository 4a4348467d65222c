import type { BillingInterval } from "../analytics/core/mrr.ts";
import { subscriptionMrr } from "../analytics/core/mrr.ts";
import type { SubscriptionObject } from "../payments/stripe/stripe-objects.ts";

export interface SubscriptionItemState {
  id: string;
  priceId: string;
  unitAmount: number;
  interval: BillingInterval;
  intervalCount: number;
  quantity: number;
}

/** The fields we keep of a subscription object, with its MRR (kpis.md, via the shared core). */
export interface SubscriptionSnapshot {
  id: string;
  stripeCustomerId: string;
  status: string;
  currency: string;
  items: SubscriptionItemState[];
  percentOff: number | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: Date | null;
  endedAt: Date | null;
  trialEnd: Date | null;
  created: Date;
  livemode: boolean;
  mrr: number;
}

const date = (s: number | null | undefined): Date | null =>
  typeof s === "number" ? new Date(s * 1000) : null;

export function snapshotOf(sub: SubscriptionObject): SubscriptionSnapshot {
  const items: SubscriptionItemState[] = (sub.items?.data ?? [])
    .filter((item) => item.price?.recurring)
    .map((item) => ({
      id: item.id,
      priceId: item.price.id,
      unitAmount: item.price.unit_amount ?? 0,
      interval: item.price.recurring!.interval,
      intervalCount: item.price.recurring!.interval_count ?? 1,
      quantity: item.quantity ?? 1,
    }));
  const percentOff = sub.discount?.coupon?.percent_off ?? null;
  return {
    id: sub.id,
    stripeCustomerId: sub.customer,
    status: sub.status,
    currency: sub.currency,
    items,
    percentOff,
    currentPeriodStart: date(sub.current_period_start),
    currentPeriodEnd: date(sub.current_period_end),
    cancelAtPeriodEnd: sub.cancel_at_period_end === true,
    canceledAt: date(sub.canceled_at),
    endedAt: date(sub.ended_at),
    trialEnd: date(sub.trial_end),
    created: new Date(sub.created * 1000),
    livemode: sub.livemode,
    mrr: subscriptionMrr({ status: sub.status, items, percentOff }),
  };
}
