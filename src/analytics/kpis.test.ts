import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { DOC_PERIOD, loadDocExample } from "../../tests/support/doc-example.ts";
import { cliActor } from "../audit/index.ts";
import { buildSnapshots, computeKpis, computeKpisRaw, type Kpis } from "./index.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await loadDocExample(ctx.db);
  await buildSnapshots(ctx, { from: "2026-01-01", to: "2026-04-30", timezone: "UTC" }, cliActor);
});
afterAll(() => ctx.destroy());

// Worked out by hand from tests/support/doc-example.ts (March 2026, usd):
const EXPECTED: Kpis = {
  ...DOC_PERIOD,
  gross_revenue: 15000, // ch_A 10000 + ch_B 5000 (ch_C is February, ch_D failed, ch_E eur)
  refunds: 1500, // the March refund of February's ch_C; April's and the pending one do not count
  net_revenue: 13500, // 15000 − 1500
  disputes: 5000,
  disputes_lost: 0, // the March dispute is still open
  fees: 320, // only ch_A's fee is known
  orders: 4, // c1 6000, c2 3000, c2 2000 (now refunded), c3 2500
  order_revenue: 13500,
  aov: 3375, // 13500 / 4
  customers: 3, // c1, c2, c3
  new_customers: 2, // c2, c3 (c1 first paid in February)
  repeat_customer_rate: 0.6667, // c1 (Feb + Mar) and c2 (two in March) of 3; c3's 2nd order is eur
  mrr: 15083, // a 6000 + c 4333 (1000×52/12) + e 2250 (9000/3 −25%) + f 2500
  arr: 180996,
  active_subscriptions: 4,
  subscribers: 4, // c1, c3, c4, c5
  arpa: 3771, // 15083 / 4 = 3770.75
  mrr_movements: {
    new: 4333,
    expansion: 3000,
    contraction: 1500,
    churn: 10000,
    reactivation: 2250,
    net: -1917,
  },
  // Starting customers (MRR > 0 at the end of 28 Feb): c1 3000, c2 10000, c5 4000 = 17000.
  // At the end of March: c1 6000, c2 0, c5 2500 (c3 and c4 joined in March and do not enter).
  customer_churn_rate: 0.3333, // c2 of the 3 starting customers
  revenue_churn_rate: 0.6765, // (0 + 10000 + 1500) / 17000 = 0.67647
  net_revenue_retention: 0.5, // (6000 + 0 + 2500) / 17000
  gross_revenue_retention: 0.3235, // (min(3000, 6000) + 0 + 2500) / 17000 = 0.32353
};

describe("KPIs on the hand-built data set", () => {
  it("computes every KPI from raw tables as worked out by hand", async () => {
    expect(await computeKpisRaw(ctx, DOC_PERIOD)).toEqual(EXPECTED);
  });

  it("computes the same from snapshots, keys in the contract's order", async () => {
    const kpis = await computeKpis(ctx, DOC_PERIOD);
    expect(kpis).toEqual(EXPECTED);
    expect(Object.keys(kpis)).toEqual(Object.keys(EXPECTED));
  });

  it("refuses an unknown time zone naming the field, after a good one was accepted", async () => {
    await computeKpis(ctx, { ...DOC_PERIOD, timezone: "Europe/Berlin" });
    for (const timezone of ["Mars/Olympus_Mons", "Europe/Berlin "]) {
      await expect(computeKpis(ctx, { ...DOC_PERIOD, timezone })).rejects.toMatchObject({
        field: "timezone",
        status: 400,
      });
    }
  });
});
