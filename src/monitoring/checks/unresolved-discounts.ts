import { queryRows } from "../../db/sql.ts";
import { UNRESOLVED_DISCOUNTS_SQL } from "../../subscriptions/index.ts";
import type { Check, Finding } from "../types.ts";

type Row = { subscription_id: string; discount_id: string; livemode: boolean; mrr: number; currency: string };

/**
 * Subscriptions that name a discount we cannot resolve: they count at list price (MRR overstated)
 * until the discount object arrives, so this is never silent.
 */
export const unresolvedDiscounts: Check = {
  name: "unresolved-discounts",
  description:
    "Subscriptions whose discounts (ids on the subscription, from API 2025-03-31 on) match no known discount or coupon terms; they are counted at list price until resolved.",
  severity: "warning",
  fix: "Make sure the webhook endpoint sends customer.discount.created/updated/deleted, then run `revintel stripe sync` in Stripe mode: it fetches the discounts of these subscriptions from Stripe. Snapshots of the affected days are rebuilt by the next snapshot job.",
  async run({ db }) {
    const rows = await queryRows<Row>(db, UNRESOLVED_DISCOUNTS_SQL);
    return rows.map(
      (r): Finding => ({
        fingerprint: `discount:${r.subscription_id}:${r.discount_id}`,
        title: `Subscription ${r.subscription_id} names discount ${r.discount_id}, which is unknown: counted at list price (MRR ${r.mrr} ${r.currency})`,
        details: {
          subscriptionId: r.subscription_id,
          discountId: r.discount_id,
          livemode: r.livemode,
          mrr: Number(r.mrr),
          currency: r.currency,
        },
      }),
    );
  },
};
