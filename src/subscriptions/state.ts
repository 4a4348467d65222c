import { type KnownDiscount, mrrAt } from "../analytics/mrr/known-discounts.ts";
import type { SubscriptionItemState, SubscriptionRead } from "./stripe-inputs.ts";

export type { SubscriptionItemState };

/** The fields we keep of a subscription, with its MRR (kpis.md, via the shared core). */
export interface SubscriptionSnapshot {
  id: string;
  stripeCustomerId: string;
  status: string;
  currency: string;
  items: SubscriptionItemState[];
  percentOff: number | null;
  discountIds: string[];
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

/** A read subscription as stored, its MRR taken at `now` with the discounts known so far. */
export function snapshotOf(
  sub: SubscriptionRead,
  known: ReadonlyMap<string, KnownDiscount> = new Map(),
  now: Date = new Date(),
): SubscriptionSnapshot {
  return {
    id: sub.id,
    stripeCustomerId: sub.stripeCustomerId,
    status: sub.status,
    currency: sub.currency,
    items: sub.items,
    // Superseded by `discountIds` (the single discount is among them): null on rows written now, so
    // a state reads the same whichever API version brought it.
    percentOff: null,
    discountIds: sub.discountIds,
    currentPeriodStart: sub.currentPeriodStart,
    currentPeriodEnd: sub.currentPeriodEnd,
    cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
    canceledAt: sub.canceledAt,
    endedAt: sub.endedAt,
    trialEnd: sub.trialEnd,
    created: sub.created,
    livemode: sub.livemode,
    mrr: mrrAt({ ...sub, discountIds: sub.discountIds }, known, now),
  };
}
