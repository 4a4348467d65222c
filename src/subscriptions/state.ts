import { type MrrItem, subscriptionMrr } from "../analytics/core/mrr-formula.ts";
import { appliesAt, type KnownDiscount } from "./discounts.ts";
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

/** What MRR needs of one subscription state. `discountIds` null: a row stored before discounts. */
export interface DiscountedState {
  status: string;
  items: MrrItem[];
  percentOff: number | null;
  discountIds: readonly string[] | null;
}

/**
 * The MRR of a state at `instant` (kpis.md): its discounts that apply then, resolved through the
 * stored discount objects. An id not resolved counts nothing off (list price); the
 * `unresolved-discounts` check names the subscription.
 */
export function mrrAt(
  state: DiscountedState,
  known: ReadonlyMap<string, KnownDiscount>,
  instant: Date,
): number {
  if (state.discountIds === null) return subscriptionMrr(state);
  const applying: KnownDiscount[] = [];
  for (const id of state.discountIds) {
    const d = known.get(id);
    if (d && appliesAt(d, instant)) applying.push(d);
  }
  return subscriptionMrr({ status: state.status, items: state.items, percentOff: null, discounts: applying });
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
