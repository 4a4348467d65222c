/**
 * Small factories that insert ledger, order and subscription rows directly (tests and benchmarks),
 * independent of the webhook path. Amounts in minor units; times as ISO strings or Dates.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../../src/db/client.ts";
import { subscriptionHistory } from "../../../src/subscriptions/schema.ts";

type When = string | Date;
const at = (w: When) => (w instanceof Date ? w : new Date(w));
let seq = 0;
const _nextId = (prefix: string) => `${prefix}_t${++seq}`;

export interface ItemInput {
  unitAmount: number;
  quantity?: number;
  interval?: "day" | "week" | "month" | "year";
  intervalCount?: number;
}

/** One subscription state as a Stripe event carried it (`mrr` is recomputed by analytics). */
export async function insertSubscriptionState(
  db: Db,
  s: {
    subscriptionId: string;
    created: When;
    status: string;
    items: ItemInput[];
    customerId?: number | null;
    stripeCustomerId?: string;
    currency?: string;
    percentOff?: number | null;
    currentPeriodStart?: When | null;
    canceledAt?: When | null;
    livemode?: boolean;
    receivedSeq?: number;
  },
): Promise<void> {
  seq += 1;
  await db.insert(subscriptionHistory).values({
    subscriptionId: s.subscriptionId,
    eventId: `evt_t${seq}`,
    eventCreated: at(s.created),
    receivedSeq: s.receivedSeq ?? seq,
    stripeCustomerId: s.stripeCustomerId ?? `cus_${s.customerId ?? "x"}`,
    customerId: s.customerId ?? null,
    status: s.status,
    currency: s.currency ?? "usd",
    items: s.items.map((i, n) => ({
      id: `si_${n}`,
      priceId: `price_${n}`,
      unitAmount: i.unitAmount,
      interval: i.interval ?? "month",
      intervalCount: i.intervalCount ?? 1,
      quantity: i.quantity ?? 1,
    })),
    percentOff: s.percentOff ?? null,
    currentPeriodStart: s.currentPeriodStart ? at(s.currentPeriodStart) : null,
    canceledAt: s.canceledAt ? at(s.canceledAt) : null,
    endedAt: null,
    livemode: s.livemode ?? false,
    // Deliberately not the contract's value: analytics must recompute MRR from the items.
    mrr: -1,
  });
}

/** Empty every table analytics reads or writes (between property-test runs; test databases only). */
export async function clearAnalyticsData(db: Db): Promise<void> {
  await db.execute(sql`TRUNCATE charges, refunds, disputes, order_lines, orders, subscription_history,
    snap_daily_ledger, snap_daily_orders, snap_customer_orders, snap_customer_gaps, snap_daily_products, snap_customer_mrr,
    snap_daily_mrr, snap_cohorts CASCADE`);
}
