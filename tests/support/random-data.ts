/** fast-check arbitraries for random ledger, order and subscription data (property tests). */
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { dayOf } from "../../src/analytics/core/periods.ts";
import type { Db } from "../../src/db/client.ts";
import { queryRows } from "../../src/db/sql.ts";
import { makeCharge, makeDispute, makeRefund } from "./builders/ledger.ts";
import { makeOrder } from "./builders/orders.ts";
import { makeSubscriptionState } from "./builders/subscriptions.ts";

/** 2026-10-25 .. 2026-11-08 UTC: covers New York's and Berlin's autumn DST changes. */
export const WINDOW_START = Date.parse("2026-10-25T00:00:00Z");
export const WINDOW_DAYS = 14;
/** The window's first day (UTC). */
export const FIRST_DAY = dayOf(new Date(WINDOW_START), "UTC");
const instant = fc
  .integer({ min: 0, max: WINDOW_DAYS * 86_400 - 1 })
  .map((s) => new Date(WINDOW_START + s * 1000));
const currency = fc.constantFrom("usd", "usd", "eur");

export const chargeArb = fc.record({
  amount: fc.integer({ min: 1, max: 50_000 }),
  created: instant,
  currency,
  status: fc.constantFrom("succeeded", "succeeded", "failed"),
  fee: fc.option(fc.integer({ min: 0, max: 500 })),
  livemode: fc.boolean(),
});
export const refundArb = fc.record({
  amount: fc.integer({ min: 1, max: 20_000 }),
  created: instant,
  currency,
  status: fc.constantFrom("succeeded", "pending"),
});
export const disputeArb = fc.record({
  amount: fc.integer({ min: 1, max: 20_000 }),
  created: instant,
  currency,
});
export const orderArb = fc.record({
  customerId: fc.integer({ min: 1, max: 4 }),
  paidAt: fc.option(instant, { freq: 5 }),
  currency,
  livemode: fc.boolean(),
  lines: fc.array(
    fc.record({
      productId: fc.integer({ min: 1, max: 4 }),
      quantity: fc.integer({ min: 1, max: 3 }),
      unitPrice: fc.integer({ min: 100, max: 5000 }),
      unitCost: fc.option(fc.integer({ min: 10, max: 1000 })),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});
export const subStateArb = fc.record({
  sub: fc.integer({ min: 1, max: 5 }),
  created: instant,
  status: fc.constantFrom("active", "active", "past_due", "trialing", "canceled", "paused", "unpaid"),
  unitAmount: fc.integer({ min: 100, max: 20_000 }),
  quantity: fc.integer({ min: 1, max: 3 }),
  interval: fc.constantFrom("day", "week", "month", "year") as fc.Arbitrary<
    "day" | "week" | "month" | "year"
  >,
  intervalCount: fc.constantFrom(1, 1, 3),
  percentOff: fc.option(fc.constantFrom(10, 25, 50, 100)),
  periodStart: fc.option(instant),
});

export const dataSetArb = fc.record({
  charges: fc.array(chargeArb, { maxLength: 12 }),
  refunds: fc.array(refundArb, { maxLength: 6 }),
  disputes: fc.array(disputeArb, { maxLength: 3 }),
  orders: fc.array(orderArb, { maxLength: 12 }),
  states: fc.array(subStateArb, { maxLength: 16 }),
});
export type DataSet = typeof dataSetArb extends fc.Arbitrary<infer T> ? T : never;

/** Subscription n belongs to customer ((n − 1) mod 3) + 1 and is billed in usd (sub 5: eur). */
export async function insertDataSet(db: Db, data: DataSet): Promise<void> {
  for (const c of data.charges) await makeCharge(db, c);
  for (const r of data.refunds) await makeRefund(db, r);
  for (const d of data.disputes) await makeDispute(db, d);
  for (const o of data.orders) await makeOrder(db, o);
  for (const s of data.states) {
    await makeSubscriptionState(db, {
      subscriptionId: `sub_${s.sub}`,
      customerId: ((s.sub - 1) % 3) + 1,
      currency: s.sub === 5 ? "eur" : "usd",
      created: s.created,
      status: s.status,
      items: [
        {
          unitAmount: s.unitAmount,
          quantity: s.quantity,
          interval: s.interval,
          intervalCount: s.intervalCount,
        },
      ],
      percentOff: s.percentOff,
      currentPeriodStart: s.periodStart,
    });
  }
}

/** Empty every table analytics reads or writes, dirty-day marks included (between property-test runs; test databases only). */
export async function clearAnalyticsData(db: Db): Promise<void> {
  await db.execute(sql`TRUNCATE charges, refunds, disputes, order_lines, orders, subscriptions, subscription_history,
    snap_daily_ledger, snap_daily_orders, snap_customer_orders, snap_customer_gaps, snap_daily_products, snap_customer_mrr,
    snap_daily_mrr, snap_cohorts, snap_built_days, snap_daily_amounts, snap_pending, dirty_days CASCADE`);
}

/** Every row of these tables, each table in a fixed order (two builds' rows compare equal when alike). */
export async function dumpTables(db: Db, tables: readonly string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of tables)
    out[table] = await queryRows(db, sql.raw(`SELECT * FROM ${table} t ORDER BY t::text`));
  return out;
}
