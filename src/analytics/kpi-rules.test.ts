import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeCharge, makeRefund } from "../../tests/support/builders/ledger.ts";
import { makeSubscriptionState } from "../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { clearAnalyticsData } from "../../tests/support/random-data.ts";
import { cliActor } from "../audit/index.ts";
import {
  buildSnapshots,
  computeKpis,
  computeKpisRaw,
  defaultCurrency,
  getSeries,
  type KpiParams,
  type Kpis,
  snapshotDefaultCurrency,
} from "./index.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());
beforeEach(() => clearAnalyticsData(ctx.db));

/** Build the snapshots around the period, then check both paths agree and return the KPIs. */
async function kpis(p: { from: string; to: string; timezone?: string; currency?: string }): Promise<Kpis> {
  const params: KpiParams = { timezone: "UTC", ...p };
  await buildSnapshots(ctx, { from: "2026-01-01", to: "2026-12-31", timezone: params.timezone }, cliActor);
  const fromSnapshots = await computeKpis(ctx, params);
  expect(await computeKpisRaw(ctx, params)).toEqual(fromSnapshots);
  return fromSnapshots;
}

const active = (
  subscriptionId: string,
  customerId: number,
  items: Parameters<typeof makeSubscriptionState>[1]["items"],
  extra = {},
) =>
  makeSubscriptionState(ctx.db, {
    subscriptionId,
    customerId,
    created: "2026-02-01T00:00:00Z",
    status: "active",
    items,
    ...extra,
  });

describe("subscription MRR rules", () => {
  it("normalises annual, quarterly, weekly and daily plans to a month", async () => {
    await active("annual", 1, [{ unitAmount: 120000, interval: "year" }]); // 120000 / 12 = 10000
    await active("quarterly", 2, [{ unitAmount: 9000, interval: "month", intervalCount: 3 }]); // 9000 / 3 = 3000
    await active("weekly", 3, [{ unitAmount: 1000, interval: "week" }]); // 1000 × 52 / 12 = 4333.33 → 4333
    await active("weekly3", 4, [{ unitAmount: 1000, quantity: 3, interval: "week" }]); // 3000 × 52 / 12 = 13000
    await active("daily", 5, [{ unitAmount: 100, interval: "day" }]); // 100 × 365 / 12 = 3041.67 → 3042
    const k = await kpis({ from: "2026-03-01", to: "2026-03-31" });
    expect(k.mrr).toBe(33375); // 10000 + 3000 + 4333 + 13000 + 3042
    expect(k.arr).toBe(400500);
    expect(k.subscribers).toBe(5);
    expect(k.active_subscriptions).toBe(5);
    expect(k.arpa).toBe(6675); // 33375 / 5
  });

  it("counts trialing, paused, unpaid and incomplete as 0 and past_due in full", async () => {
    await makeSubscriptionState(ctx.db, {
      subscriptionId: "t",
      customerId: 1,
      created: "2026-02-01T00:00:00Z",
      status: "trialing",
      items: [{ unitAmount: 5000 }],
    });
    await makeSubscriptionState(ctx.db, {
      subscriptionId: "p",
      customerId: 2,
      created: "2026-02-01T00:00:00Z",
      status: "paused",
      items: [{ unitAmount: 5000 }],
    });
    await makeSubscriptionState(ctx.db, {
      subscriptionId: "u",
      customerId: 3,
      created: "2026-02-01T00:00:00Z",
      status: "unpaid",
      items: [{ unitAmount: 5000 }],
    });
    await makeSubscriptionState(ctx.db, {
      subscriptionId: "i",
      customerId: 4,
      created: "2026-02-01T00:00:00Z",
      status: "incomplete",
      items: [{ unitAmount: 5000 }],
    });
    await makeSubscriptionState(ctx.db, {
      subscriptionId: "d",
      customerId: 5,
      created: "2026-02-01T00:00:00Z",
      status: "past_due",
      items: [{ unitAmount: 2000 }],
    });
    const k = await kpis({ from: "2026-03-01", to: "2026-03-31" });
    expect([k.mrr, k.subscribers, k.active_subscriptions]).toEqual([2000, 1, 1]);
  });

  it("applies percent_off to the subscription's normalised total, rounding half away from zero", async () => {
    await active("two-items", 1, [{ unitAmount: 3000 }, { unitAmount: 12000, interval: "year" }], {
      percentOff: 25,
    }); // (3000 + 1000) × 0.75 = 3000
    await active("half", 2, [{ unitAmount: 1005 }], { percentOff: 10 }); // 904.5 → 905
    await active("free", 3, [{ unitAmount: 5000 }], { percentOff: 100 }); // 0: not a subscriber
    const k = await kpis({ from: "2026-03-01", to: "2026-03-31" });
    expect(k.mrr).toBe(3905);
    expect(k.subscribers).toBe(2);
  });

  it("takes the state of the latest event by created, not by arrival", async () => {
    // The cancellation was received first but created later: at the end of March the subscription is canceled.
    await makeSubscriptionState(ctx.db, {
      subscriptionId: "s",
      customerId: 1,
      created: "2026-03-20T00:00:00Z",
      status: "canceled",
      canceledAt: "2026-03-20T00:00:00Z",
      items: [{ unitAmount: 4000 }],
      receivedSeq: 1,
    });
    await makeSubscriptionState(ctx.db, {
      subscriptionId: "s",
      customerId: 1,
      created: "2026-03-02T00:00:00Z",
      status: "active",
      items: [{ unitAmount: 4000 }],
      receivedSeq: 2,
    });
    const k = await kpis({ from: "2026-03-01", to: "2026-03-31" });
    expect(k.mrr).toBe(0);
    expect(k.mrr_movements).toEqual({
      new: 4000,
      expansion: 0,
      contraction: 0,
      churn: 4000,
      reactivation: 0,
      net: 0,
    });
    // started and churned within March, nobody subscribed at the start: the rates have no denominator
    expect([
      k.customer_churn_rate,
      k.revenue_churn_rate,
      k.net_revenue_retention,
      k.gross_revenue_retention,
    ]).toEqual([null, null, null, null]);
  });
});

describe("money rules", () => {
  it("counts a refund on its own date, whatever the date of the charge", async () => {
    await makeCharge(ctx.db, { amount: 10000, created: "2026-01-31T23:00:00Z" });
    await makeRefund(ctx.db, { amount: 4000, created: "2026-02-01T01:00:00Z" });
    const jan = await kpis({ from: "2026-01-01", to: "2026-01-31" });
    expect([jan.gross_revenue, jan.refunds, jan.net_revenue]).toEqual([10000, 0, 10000]);
    const feb = await kpis({ from: "2026-02-01", to: "2026-02-28" });
    expect([feb.gross_revenue, feb.refunds, feb.net_revenue]).toEqual([0, 4000, -4000]);
  });

  it("never adds currencies together; the default is the one with the most succeeded charges", async () => {
    await makeCharge(ctx.db, { amount: 1000, created: "2026-04-02T00:00:00Z", currency: "usd" });
    await makeCharge(ctx.db, { amount: 2000, created: "2026-04-02T00:00:00Z", currency: "eur" });
    await makeCharge(ctx.db, { amount: 3000, created: "2026-04-03T00:00:00Z", currency: "eur" });
    await makeCharge(ctx.db, { amount: 9000, created: "2026-04-03T00:00:00Z", currency: "gbp" });
    await makeCharge(ctx.db, {
      amount: 9000,
      created: "2026-04-03T00:00:00Z",
      currency: "usd",
      status: "failed",
    });
    expect((await kpis({ from: "2026-04-01", to: "2026-04-30", currency: "usd" })).gross_revenue).toBe(1000);
    expect((await kpis({ from: "2026-04-01", to: "2026-04-30", currency: "gbp" })).gross_revenue).toBe(9000);
    expect(await defaultCurrency(ctx)).toBe("eur"); // 2 succeeded eur charges vs 1 usd, 1 gbp
    const k = await kpis({ from: "2026-04-01", to: "2026-04-30" });
    expect([k.currency, k.gross_revenue]).toEqual(["eur", 5000]);
    // Dashboards read the same default from the built snapshots, without scanning the charges.
    expect(await snapshotDefaultCurrency(ctx)).toBe("eur");
  });

  it("gives null (never 0 or NaN) for every rate and mean without a denominator", async () => {
    // kpis.md's JSON example: an empty period
    expect(await kpis({ from: "2026-01-01", to: "2026-01-31", currency: "usd" })).toEqual({
      from: "2026-01-01",
      to: "2026-01-31",
      timezone: "UTC",
      currency: "usd",
      gross_revenue: 0,
      refunds: 0,
      net_revenue: 0,
      disputes: 0,
      disputes_lost: 0,
      fees: null,
      orders: 0,
      order_revenue: 0,
      aov: null,
      customers: 0,
      new_customers: 0,
      repeat_customer_rate: null,
      mrr: 0,
      arr: 0,
      active_subscriptions: 0,
      subscribers: 0,
      arpa: null,
      mrr_movements: { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0 },
      customer_churn_rate: null,
      revenue_churn_rate: null,
      net_revenue_retention: null,
      gross_revenue_retention: null,
    });
  });

  it("counts only the configured Stripe mode", async () => {
    await makeCharge(ctx.db, { amount: 700, created: "2026-04-02T00:00:00Z", livemode: true });
    await makeCharge(ctx.db, { amount: 300, created: "2026-04-02T00:00:00Z", livemode: false });
    expect((await kpis({ from: "2026-04-01", to: "2026-04-30", currency: "usd" })).gross_revenue).toBe(300);
    const live = { from: "2026-04-01", to: "2026-04-30", currency: "usd", timezone: "UTC", livemode: true };
    expect((await computeKpis(ctx, live)).gross_revenue).toBe(700);
    expect((await computeKpisRaw(ctx, live)).gross_revenue).toBe(700);
  });
});

describe("reporting days in a non-UTC zone across DST", () => {
  const NY = "America/New_York";

  it("cuts the 23-hour 2026-03-08 (spring forward) at local midnights", async () => {
    await makeCharge(ctx.db, { amount: 1, created: "2026-03-08T04:59:59Z" }); // Mar 7 23:59:59 EST
    await makeCharge(ctx.db, { amount: 10, created: "2026-03-08T05:00:00Z" }); // Mar 8 00:00 EST
    await makeCharge(ctx.db, { amount: 100, created: "2026-03-09T03:59:59Z" }); // Mar 8 23:59:59 EDT
    await makeCharge(ctx.db, { amount: 1000, created: "2026-03-09T04:00:00Z" }); // Mar 9 00:00 EDT
    expect((await kpis({ from: "2026-03-08", to: "2026-03-08", timezone: NY })).gross_revenue).toBe(110);
    expect((await kpis({ from: "2026-03-09", to: "2026-03-09", timezone: NY })).gross_revenue).toBe(1000);
    const series = await getSeries(ctx, {
      metric: "gross_revenue",
      grain: "day",
      from: "2026-03-07",
      to: "2026-03-09",
      timezone: NY,
      currency: "usd",
    });
    expect(series.points.map((p) => p.value)).toEqual([1, 110, 1000]);
    // In UTC the same charges fall on other days: Mar 8 UTC holds 1 + 10
    expect((await kpis({ from: "2026-03-08", to: "2026-03-08", timezone: "UTC" })).gross_revenue).toBe(11);
  });

  it("cuts the 25-hour 2026-11-01 (fall back) and counts a state at local midnight for the day before", async () => {
    await makeCharge(ctx.db, { amount: 5, created: "2026-11-01T04:00:00Z" }); // Nov 1 00:00 EDT
    await makeCharge(ctx.db, { amount: 50, created: "2026-11-02T04:30:00Z" }); // Nov 1 23:30 EST
    await makeCharge(ctx.db, { amount: 500, created: "2026-11-02T05:00:00Z" }); // Nov 2 00:00 EST
    // Active from exactly the end of Nov 1 (local midnight starting Nov 2): counted at the end of Nov 1.
    await makeSubscriptionState(ctx.db, {
      subscriptionId: "m",
      customerId: 1,
      created: "2026-11-02T05:00:00Z",
      status: "active",
      items: [{ unitAmount: 2500 }],
    });
    const nov1 = await kpis({ from: "2026-11-01", to: "2026-11-01", timezone: NY });
    expect([nov1.gross_revenue, nov1.mrr, nov1.mrr_movements.new]).toEqual([55, 2500, 2500]);
    const oct31 = await kpis({ from: "2026-10-31", to: "2026-10-31", timezone: NY });
    expect([oct31.gross_revenue, oct31.mrr]).toEqual([0, 0]);
  });
});
