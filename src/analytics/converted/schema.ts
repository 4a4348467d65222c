import { bigint, boolean, date, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

/**
 * The converted view's inputs (kpis.md "Reporting currency"): each record is converted on its own
 * and rounded, so a day's total in another currency needs its records' amounts, not their sum. Per
 * day, currency, mode and kind, how many records had each amount (a handful of distinct amounts per
 * day: prices repeat); a converted total is Σ count × convert(amount). Kinds: `gross`, `refund`,
 * `dispute`, `dispute_lost`, `fee`, `order`.
 */
export const snapDailyAmounts = pgTable(
  "snap_daily_amounts",
  {
    livemode: boolean().notNull(),
    currency: text().notNull(),
    day: date().notNull(),
    kind: text().notNull(),
    amount: bigint({ mode: "number" }).notNull(),
    records: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.livemode, t.currency, t.day, t.kind, t.amount] })],
);

/**
 * Each subscription's MRR at the end of each day on which it changed (compact: its MRR on any day is
 * the latest row at or before it): the converted view converts MRR per subscription.
 */
export const snapSubscriptionMrr = pgTable(
  "snap_subscription_mrr",
  {
    livemode: boolean().notNull(),
    currency: text().notNull(),
    subscriptionId: text().notNull(),
    customerKey: text().notNull(),
    day: date().notNull(),
    mrr: bigint({ mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.livemode, t.subscriptionId, t.day] }),
    // The worker finds the subscriptions whose rows carry a changed customer's key (snapshots/mrr-build.ts).
    index("snap_subscription_mrr_customer_idx").on(t.customerKey),
  ],
);
