import type Stripe from "stripe";
import type { AppContext } from "../context.ts";
import { queryRows } from "../db/sql.ts";
import type { Job } from "../jobs/registry.ts";
import { refreshDiscountedMrr, UNRESOLVED_DISCOUNTS_SQL, upsertDiscount } from "../subscriptions/index.ts";
import { readSubscription, type SubscriptionRead } from "./stripe/readers/subscription.ts";
import { createStripeClient } from "./stripe-client.ts";

/**
 * Stripe mode: fetches, from the Stripe API, the discounts of subscriptions whose ids are unknown
 * (the subscription retrieved with its discounts expanded) and stores them. The one place that asks
 * Stripe for a discount; it runs outside any transaction (no row lock held while waiting on the
 * network), then stores each subscription's discounts in a short transaction of its own.
 */
export async function resolveUnknownDiscounts(ctx: AppContext, stripe: Stripe): Promise<number> {
  const rows = await queryRows<{ subscription_id: string; discount_id: string; livemode: boolean }>(
    ctx.db,
    UNRESOLVED_DISCOUNTS_SQL,
  );
  const subscriptionIds = [
    ...new Set(rows.filter((r) => r.livemode === ctx.config.livemode).map((r) => r.subscription_id)),
  ];
  let resolved = 0;
  for (const id of subscriptionIds) {
    let fetched: SubscriptionRead;
    try {
      fetched = readSubscription(await stripe.subscriptions.retrieve(id, { expand: ["discounts"] }));
    } catch (err) {
      // Left unresolved: the subscription counts at list price and the check keeps naming it.
      ctx.logger.warn({ subscriptionId: id, err: String(err) }, "discounts of a subscription not fetched");
      continue;
    }
    const at = ctx.clock.now();
    await ctx.db.transaction(async (tx) => {
      for (const d of fetched.discounts) {
        await upsertDiscount(
          { ...ctx, db: tx },
          { ...d, subscriptionId: d.subscriptionId ?? id },
          { livemode: fetched.livemode, at },
        );
        await refreshDiscountedMrr({ ...ctx, db: tx }, d.id);
        resolved += 1;
      }
    });
  }
  return resolved;
}

/**
 * Worker job (Stripe mode only): discount ids still unknown are asked of the Stripe API, so a
 * subscription counted at list price is corrected without waiting for a manual `stripe sync`.
 */
export const resolveDiscountsJob: Job = {
  name: "stripe.resolve-discounts",
  schedule: "*/15 * * * *",
  description:
    "Stripe mode: fetch from the Stripe API the discounts subscriptions name but no event resolved (offline mode: nothing)",
  run: async (ctx) =>
    ctx.config.paymentsMode === "stripe" ? resolveUnknownDiscounts(ctx, createStripeClient(ctx.config)) : 0,
};
