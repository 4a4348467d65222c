import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSubscriptionState } from "../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { cliActor } from "../audit/index.ts";
import { queryRows } from "../db/sql.ts";
import { buildSnapshots, computeKpis, computeKpisRaw } from "./index.ts";

let ctx: TestContext;
const MARCH = { from: "2026-03-01", to: "2026-03-31", timezone: "UTC", currency: "usd" } as const;

async function state(
  sub: string,
  customer: string,
  created: string,
  status: string,
  amount: number,
  currency = "usd",
) {
  await makeSubscriptionState(ctx.db, {
    subscriptionId: sub,
    stripeCustomerId: customer,
    created,
    status,
    currency,
    ...(status === "canceled" ? { canceledAt: created } : {}),
    items: [{ unitAmount: amount }],
  });
}

beforeAll(async () => {
  ctx = await createTestContext();
  // Starting customers (MRR > 0 at the end of 28 February), all monthly plans in usd:
  await state("sub_a", "cus_A", "2026-01-10T00:00:00Z", "active", 5000);
  await state("sub_a", "cus_A", "2026-03-15T12:00:00Z", "active", 7000); // expansion
  await state("sub_b", "cus_B", "2026-01-12T00:00:00Z", "active", 2000);
  await state("sub_b", "cus_B", "2026-03-10T12:00:00Z", "canceled", 2000); // churn
  await state("sub_e", "cus_E", "2026-02-03T00:00:00Z", "active", 4000);
  await state("sub_e", "cus_E", "2026-03-12T12:00:00Z", "active", 1000); // contraction
  // C joins and churns inside March: not a starting customer.
  await state("sub_c", "cus_C", "2026-03-05T12:00:00Z", "active", 9000);
  await state("sub_c", "cus_C", "2026-03-20T12:00:00Z", "canceled", 9000);
  // A eur subscriber who churns in March: customer KPIs are per currency, so not in the usd rates.
  await state("sub_x", "cus_X", "2026-01-02T00:00:00Z", "active", 3000, "eur");
  await state("sub_x", "cus_X", "2026-03-02T12:00:00Z", "canceled", 3000, "eur");
  // gbp: G subscribes and cancels within 10 February (no MRR at the end of any day), H keeps MRR
  // through the end of 10 February and cancels on the 11th; both subscribe again in March.
  await state("sub_g1", "cus_G", "2026-02-10T09:00:00Z", "active", 3000, "gbp");
  await state("sub_g1", "cus_G", "2026-02-10T17:00:00Z", "canceled", 3000, "gbp");
  await state("sub_g2", "cus_G", "2026-03-05T12:00:00Z", "active", 4000, "gbp");
  await state("sub_h1", "cus_H", "2026-02-10T09:00:00Z", "active", 2000, "gbp");
  await state("sub_h1", "cus_H", "2026-02-11T12:00:00Z", "canceled", 2000, "gbp");
  await state("sub_h2", "cus_H", "2026-03-06T12:00:00Z", "active", 1000, "gbp");
  await buildSnapshots(ctx, { from: "2026-01-01", to: "2026-03-31", timezone: "UTC" }, cliActor);
});
afterAll(() => ctx.destroy());

// Worked out by hand. Starting customers: A 5000, B 2000, E 4000 (mrr at start 11000).
// At the end of March: A 7000, B 0, E 1000 (C 0; C was never a starting customer).
const EXPECTED = {
  customer_churn_rate: 0.3333, // B of A, B, E: 1 / 3 (counting C would give 2 / 3)
  revenue_churn_rate: 0.4545, // (0 + 2000 + 3000) / 11000 (counting C's 9000 would give 1.27)
  net_revenue_retention: 0.7273, // (7000 + 0 + 1000) / 11000 (with C's churn: −1000 / 11000 < 0)
  gross_revenue_retention: 0.5455, // (min(5000, 7000) + 0 + 1000) / 11000
  mrr_movements: { new: 9000, expansion: 2000, contraction: 3000, churn: 11000, reactivation: 0, net: -3000 },
};

describe("churn and retention over the starting customers", () => {
  it("leaves a customer who joins and churns inside the period out of the rates (raw path)", async () => {
    expect(await computeKpisRaw(ctx, MARCH)).toMatchObject(EXPECTED);
  });

  it("gives the same rates from snapshots", async () => {
    expect(await computeKpis(ctx, MARCH)).toMatchObject(EXPECTED);
  });

  it("counts the eur subscriber in eur only", async () => {
    const eur = { ...MARCH, currency: "eur" };
    const expected = {
      customer_churn_rate: 1, // X of X
      revenue_churn_rate: 1, // 3000 / 3000
      net_revenue_retention: 0,
      gross_revenue_retention: 0,
    };
    expect(await computeKpisRaw(ctx, eur)).toMatchObject(expected);
    expect(await computeKpis(ctx, eur)).toMatchObject(expected);
  });

  it('judges "never had MRR" at the ends of days: a same-day subscribe-and-cancel is not a past subscriber', async () => {
    const gbp = { ...MARCH, currency: "gbp" };
    const expected = {
      // G never had MRR > 0 at the end of a day before March: new 4000. H had 2000 at the end of
      // 10 February: reactivation 1000.
      mrr_movements: { new: 4000, expansion: 0, contraction: 0, churn: 0, reactivation: 1000, net: 5000 },
      // Nobody had MRR at the end of 28 February: no starting customers, every rate null.
      customer_churn_rate: null,
      net_revenue_retention: null,
      gross_revenue_retention: null,
    };
    expect(await computeKpisRaw(ctx, gbp)).toMatchObject(expected);
    expect(await computeKpis(ctx, gbp)).toMatchObject(expected);
  });

  it("is null when nobody was a subscriber at the start", async () => {
    const january = { ...MARCH, from: "2026-01-01", to: "2026-01-31" };
    const nulls = {
      customer_churn_rate: null,
      revenue_churn_rate: null,
      net_revenue_retention: null,
      gross_revenue_retention: null,
    };
    expect(await computeKpisRaw(ctx, january)).toMatchObject(nulls);
    expect(await computeKpis(ctx, january)).toMatchObject(nulls);
  });

  it("reads each customer's MRR row valid on the start and end days, equal to the raw path", async () => {
    // cad: K goes up, down to 0 and back up (two subscriptions); L holds one price throughout.
    await state("sub_k1", "cus_K", "2026-01-05T12:00:00Z", "active", 1000, "cad");
    await state("sub_k1", "cus_K", "2026-01-20T12:00:00Z", "active", 3000, "cad"); // expansion
    await state("sub_k1", "cus_K", "2026-02-10T12:00:00Z", "canceled", 3000, "cad"); // churn
    await state("sub_k2", "cus_K", "2026-02-25T12:00:00Z", "active", 2000, "cad"); // reactivation
    await state("sub_k2", "cus_K", "2026-03-10T12:00:00Z", "active", 500, "cad"); // contraction
    await state("sub_l", "cus_L", "2026-01-05T12:00:00Z", "active", 1500, "cad");
    const build = () =>
      buildSnapshots(ctx, { from: "2026-01-01", to: "2026-03-31", timezone: "UTC" }, cliActor);
    const validTo = async () =>
      (
        await queryRows<{ prev_day: string; day: string; valid_to: string }>(
          ctx.db,
          sql`SELECT prev_day::text, day::text, valid_to::text FROM snap_customer_mrr
              WHERE currency = 'cad' AND customer_key LIKE '%cus_K' ORDER BY day`,
        )
      ).map((r) => `${r.prev_day} | ${r.day}..${r.valid_to}`);
    // Period ends on a change day, the day after one, and between changes.
    const days = ["2026-01-05", "2026-01-06", "2026-01-20", "2026-02-01", "2026-02-10", "2026-02-11"];
    const later = ["2026-02-25", "2026-03-01", "2026-03-10", "2026-03-31"];
    const keys = [
      "customer_churn_rate",
      "revenue_churn_rate",
      "net_revenue_retention",
      "gross_revenue_retention",
      "mrr",
      "subscribers",
    ] as const;
    const sameAsRaw = async () => {
      const ends = [...days, ...later];
      for (const [i, startDay] of ends.entries()) {
        for (const to of ends.slice(i + 1)) {
          const from = new Date(Date.parse(`${startDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
          const params = { from, to, timezone: "UTC", currency: "cad" };
          const [snap, raw] = await Promise.all([computeKpis(ctx, params), computeKpisRaw(ctx, params)]);
          const pick = (k: typeof snap) => Object.fromEntries(keys.map((key) => [key, k[key]]));
          expect(pick(snap), `${from}..${to}`).toEqual(pick(raw));
        }
      }
    };
    await build();
    expect(await validTo()).toEqual([
      "-infinity | 2026-01-05..2026-01-20",
      "2026-01-05 | 2026-01-20..2026-02-10",
      "2026-01-20 | 2026-02-10..2026-02-25",
      "2026-02-10 | 2026-02-25..2026-03-10",
      "2026-02-25 | 2026-03-10..infinity",
    ]);
    await sameAsRaw();
    // A late event between two rows, and a later one after the latest: the row before each gets
    // its new end, the row after the first its new start, the new latest row is open.
    await state("sub_k1", "cus_K", "2026-02-01T12:00:00Z", "active", 4000, "cad");
    await state("sub_k2", "cus_K", "2026-03-20T12:00:00Z", "canceled", 500, "cad");
    await build();
    expect(await validTo()).toEqual([
      "-infinity | 2026-01-05..2026-01-20",
      "2026-01-05 | 2026-01-20..2026-02-01",
      "2026-01-20 | 2026-02-01..2026-02-10",
      "2026-02-01 | 2026-02-10..2026-02-25",
      "2026-02-10 | 2026-02-25..2026-03-10",
      "2026-02-25 | 2026-03-10..2026-03-20",
      "2026-03-10 | 2026-03-20..infinity",
    ]);
    await sameAsRaw();
  });
});
