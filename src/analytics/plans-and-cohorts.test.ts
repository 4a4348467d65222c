import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSubscriptionState } from "../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { cliActor } from "../audit/index.ts";
import { plans } from "../db/schema.ts";
import { addDays, eachDay, startOfDay } from "./core/periods.ts";
import { splitByPlan } from "./core/plan-split.ts";
import { rate } from "./core/rates.ts";
import { stateAt } from "./core/subscription-state.ts";
import {
  buildSnapshots,
  computeKpis,
  computeKpisRaw,
  currenciesWithData,
  getMrrByPlan,
  getSubscriberCohorts,
  type SubscriberCohortRow,
} from "./index.ts";
import { bySubscription, loadHistory, stateMrrAt } from "./mrr/history.ts";

let ctx: TestContext;
const RANGE: { from: string; to: string; timezone: string; currency: string } = {
  from: "2026-01-01",
  to: "2026-03-20",
  timezone: "UTC",
  currency: "usd",
};

type Item = { unitAmount: number; priceId: string };
async function state(
  sub: string,
  customer: string,
  created: string,
  status: string,
  items: Item[],
  extra: { currency?: string; percentOff?: number } = {},
) {
  await makeSubscriptionState(ctx.db, {
    subscriptionId: sub,
    stripeCustomerId: customer,
    created,
    status,
    items,
    currency: extra.currency ?? "usd",
    percentOff: extra.percentOff ?? null,
    ...(status === "canceled" ? { canceledAt: created } : {}),
  });
}

const PRO = (unitAmount = 5000) => ({ unitAmount, priceId: "price_pro" });
const BASIC = (unitAmount: number) => ({ unitAmount, priceId: "price_basic" });
const ADDON = { unitAmount: 2000, priceId: "price_addon" };

beforeAll(async () => {
  ctx = await createTestContext();
  // January cohort: A (pro 5000, then pro + add-on at 10% off = 6300 from 15 Feb) and B (basic 3000, cancels 5 Feb).
  await state("sub_a", "cus_A", "2026-01-10T09:00:00Z", "active", [PRO()]);
  await state("sub_a", "cus_A", "2026-02-15T09:00:00Z", "active", [PRO(), ADDON], { percentOff: 10 });
  await state("sub_b", "cus_B", "2026-01-20T09:00:00Z", "active", [BASIC(3000)]);
  await state("sub_b", "cus_B", "2026-02-05T09:00:00Z", "canceled", [BASIC(3000)]);
  // February cohort: C (basic 2000) cancels on 20 Feb and comes back on 10 March (a reactivation: still February's).
  await state("sub_c1", "cus_C", "2026-02-03T09:00:00Z", "active", [BASIC(2000)]);
  await state("sub_c1", "cus_C", "2026-02-20T09:00:00Z", "canceled", [BASIC(2000)]);
  await state("sub_c2", "cus_C", "2026-03-10T09:00:00Z", "active", [BASIC(2000)]);
  // March cohort: D trials from 25 Feb (a trial is no MRR) and pays pro 4000 from 5 March.
  await state("sub_d", "cus_D", "2026-02-25T09:00:00Z", "trialing", [PRO(4000)]);
  await state("sub_d", "cus_D", "2026-03-05T09:00:00Z", "active", [PRO(4000)]);
  // F started in December, before the range: in no cohort of it. E pays in eur: not a usd subscriber.
  await state("sub_f", "cus_F", "2025-12-20T09:00:00Z", "active", [BASIC(1000)]);
  await state("sub_e", "cus_E", "2026-01-15T09:00:00Z", "active", [BASIC(900)], { currency: "eur" });
  await ctx.db.insert(plans).values({
    id: "price_pro",
    productName: "Pro",
    nickname: "Monthly",
    currency: "usd",
    unitAmount: 5000,
    interval: "month",
  });
  await buildSnapshots(ctx, { from: "2025-12-01", to: "2026-03-31", timezone: "UTC" }, cliActor);
});
afterAll(() => ctx.destroy());

/**
 * The straightforward computation, from raw subscription history: each customer's MRR at the end of
 * every day (the latest state at or before it), the first day above 0 making the cohort, then each
 * month's end (`to` for the running month).
 */
async function reference(p: typeof RANGE): Promise<SubscriberCohortRow[]> {
  const subs = [...bySubscription(await loadHistory(ctx.db, false)).values()].filter(
    (rows) => rows[0]!.currency === p.currency,
  );
  const customerMrrAt = (day: string) => {
    const instant = startOfDay(addDays(day, 1), p.timezone);
    const map = new Map<string, number>();
    for (const rows of subs) {
      const s = stateAt(rows, instant);
      const key = rows[0]!.customerKey;
      map.set(key, (map.get(key) ?? 0) + (s ? stateMrrAt(s, instant) : 0));
    }
    return map;
  };
  const firstDay = new Map<string, { day: string; mrr: number }>();
  for (const day of eachDay("2025-01-01", p.to))
    for (const [key, mrr] of customerMrrAt(day))
      if (mrr > 0 && !firstDay.has(key)) firstDay.set(key, { day, mrr });
  // The months the range touches, from their first day (the month of `from` counts whole).
  const months = [...new Set(eachDay(p.from, p.to).map((d) => `${d.slice(0, 7)}-01`))];
  const monthEnd = (m: string) => {
    const next = eachDay(m, p.to).find((d) => d > m && d.endsWith("-01"));
    return next ? addDays(next, -1) : p.to;
  };
  const rows: SubscriberCohortRow[] = [];
  for (const m of months) {
    const members = [...firstDay].filter(([, f]) => f.day.slice(0, 7) === m.slice(0, 7));
    if (members.length === 0) continue;
    const startMrr = members.reduce((s, [, f]) => s + f.mrr, 0);
    const retention = months
      .filter((n) => n >= m)
      .map((n, k) => {
        const at = customerMrrAt(monthEnd(n));
        const values = members.map(([key]) => at.get(key) ?? 0);
        const subscribers = values.filter((v) => v > 0).length;
        const mrr = values.reduce((s, v) => s + v, 0);
        return {
          month: k,
          subscribers,
          subscriber_rate: rate(subscribers, members.length),
          mrr,
          mrr_rate: rate(mrr, startMrr),
        };
      });
    rows.push({ cohort: m.slice(0, 7), subscribers: members.length, mrr: startMrr, retention });
  }
  return rows;
}

describe("subscriber cohorts by the month of the first MRR", () => {
  it("gives the hand-worked retention of subscribers and of MRR", async () => {
    const rows = await getSubscriberCohorts(ctx, RANGE);
    expect(rows).toEqual([
      {
        cohort: "2026-01",
        subscribers: 2, // A and B (F began in December)
        mrr: 8000, // 5000 + 3000
        retention: [
          { month: 0, subscribers: 2, subscriber_rate: 1, mrr: 8000, mrr_rate: 1 },
          // end of February: A (5000 + 2000) × 0.9 = 6300, B canceled: 1 of 2, 6300 / 8000 = 0.7875
          { month: 1, subscribers: 1, subscriber_rate: 0.5, mrr: 6300, mrr_rate: 0.7875 },
          // March is running: taken at 20 March, the end of the range
          { month: 2, subscribers: 1, subscriber_rate: 0.5, mrr: 6300, mrr_rate: 0.7875 },
        ],
      },
      {
        cohort: "2026-02",
        subscribers: 1, // C
        mrr: 2000,
        retention: [
          // C canceled on 20 February: nothing at the end of the month
          { month: 0, subscribers: 0, subscriber_rate: 0, mrr: 0, mrr_rate: 0 },
          // C reactivated on 10 March: counted back in the February cohort
          { month: 1, subscribers: 1, subscriber_rate: 1, mrr: 2000, mrr_rate: 1 },
        ],
      },
      {
        // D's trial (from 25 February) was no MRR: D starts in March
        cohort: "2026-03",
        subscribers: 1,
        mrr: 4000,
        retention: [{ month: 0, subscribers: 1, subscriber_rate: 1, mrr: 4000, mrr_rate: 1 }],
      },
    ]);
  });

  it("matches the straightforward computation from raw history", async () => {
    expect(await getSubscriberCohorts(ctx, RANGE)).toEqual(await reference(RANGE));
    const february = { ...RANGE, from: "2026-02-10", to: "2026-02-28" };
    expect(await getSubscriberCohorts(ctx, february)).toEqual(await reference(february));
  });

  it("is per currency and leaves out subscribers who started before the range", async () => {
    const eur = await getSubscriberCohorts(ctx, { ...RANGE, currency: "eur" });
    expect(eur.map((r) => [r.cohort, r.subscribers, r.mrr])).toEqual([["2026-01", 1, 900]]);
    const fromFebruary = await getSubscriberCohorts(ctx, { ...RANGE, from: "2026-02-01" });
    expect(fromFebruary.map((r) => r.cohort)).toEqual(["2026-02", "2026-03"]);
    expect(await getSubscriberCohorts(ctx, { ...RANGE, currency: "jpy" })).toEqual([]);
  });
});

/** The straightforward MRR by plan at the end of `day`: every subscription's state then, split by its items' plans. */
async function planReference(day: string, currency = "usd"): Promise<Map<string, number>> {
  const instant = startOfDay(addDays(day, 1), "UTC");
  const result = new Map<string, number>();
  for (const rows of bySubscription(await loadHistory(ctx.db, false)).values()) {
    if (rows[0]!.currency !== currency) continue;
    const s = stateAt(rows, instant);
    if (!s) continue;
    for (const [plan, amount] of splitByPlan(stateMrrAt(s, instant), s.plans ?? []))
      if (amount > 0) result.set(plan, (result.get(plan) ?? 0) + amount);
  }
  return result;
}

describe("MRR by plan", () => {
  it("splits a subscription's discounted MRR between its plans and sums each plan (hand-worked)", async () => {
    const rows = await getMrrByPlan(ctx, { ...RANGE, from: "2026-03-01" });
    // End of 20 March: A (pro 5000 + add-on 2000) × 0.9 = 6300 → pro 4500, add-on 1800;
    // D pro 4000; C basic 2000; F basic 1000. Start (end of 28 February): A 4500 + 1800; F 1000; D trialing.
    expect(rows).toEqual([
      {
        plan_id: "price_pro",
        name: "Pro · Monthly",
        mrr: 8500,
        mrr_start: 4500,
        subscriptions: 2,
        share: 0.6391,
      },
      {
        plan_id: "price_basic",
        name: "price_basic",
        mrr: 3000,
        mrr_start: 1000,
        subscriptions: 2,
        share: 0.2256,
      },
      {
        plan_id: "price_addon",
        name: "price_addon",
        mrr: 1800,
        mrr_start: 1800,
        subscriptions: 1,
        share: 0.1353,
      },
    ]);
  });

  it("adds up to the MRR KPI and matches the straightforward split on every day", async () => {
    for (const day of eachDay("2026-01-01", "2026-03-31")) {
      const rows = await getMrrByPlan(ctx, { ...RANGE, from: day, to: day });
      const kpis = await computeKpis(ctx, { ...RANGE, from: day, to: day });
      expect(
        rows.reduce((s, r) => s + r.mrr, 0),
        day,
      ).toBe(kpis.mrr);
      const expected = await planReference(day);
      expect(new Map(rows.filter((r) => r.mrr > 0).map((r) => [r.plan_id, r.mrr])), day).toEqual(expected);
    }
    const raw = await computeKpisRaw(ctx, { ...RANGE, from: "2026-03-20", to: "2026-03-20" });
    expect(raw.mrr).toBe(13_300);
  });

  it("keeps a plan that fell, names unknown plans by id, and is per currency", async () => {
    // basic at the start of February: B 3000 + F 1000; at its end only F (B canceled 5 Feb, C 20 Feb)
    const feb = await getMrrByPlan(ctx, { ...RANGE, from: "2026-02-01", to: "2026-02-28" });
    expect(feb.find((r) => r.plan_id === "price_basic")).toMatchObject({ mrr: 1000, mrr_start: 4000 });
    const eur = await getMrrByPlan(ctx, { ...RANGE, currency: "eur" });
    expect(eur.map((r) => [r.plan_id, r.mrr])).toEqual([["price_basic", 900]]);
  });
});

describe("splitting one subscription's MRR between plans", () => {
  it("shares by the items' value, largest remainder, and always adds up", () => {
    // 1000 over weights 1:1:1 = 333.33 each; the one unit left goes to the first plan by id
    expect(
      splitByPlan(1000, [
        { planId: "b", weight: 10 },
        { planId: "a", weight: 10 },
        { planId: "c", weight: 10 },
      ]),
    ).toEqual(
      new Map([
        ["a", 334],
        ["b", 333],
        ["c", 333],
      ]),
    );
    // items of one plan merge; 6300 over 5000:2000 = 4500 : 1800
    expect(
      splitByPlan(6300, [
        { planId: "pro", weight: 3000 },
        { planId: "addon", weight: 2000 },
        { planId: "pro", weight: 2000 },
      ]),
    ).toEqual(
      new Map([
        ["addon", 1800],
        ["pro", 4500],
      ]),
    );
    expect(splitByPlan(0, [{ planId: "x", weight: 0 }])).toEqual(new Map([["x", 0]]));
    expect(splitByPlan(500, [])).toEqual(new Map());
    // 2^53 territory stays exact
    const big = splitByPlan(9_000_000_000_001, [
      { planId: "a", weight: 3_000_000_000 },
      { planId: "b", weight: 6_000_000_000 },
    ]);
    expect((big.get("a") ?? 0) + (big.get("b") ?? 0)).toBe(9_000_000_000_001);
  });
});

describe("currencies with data in a period", () => {
  it("counts money, orders, MRR changes and MRR carried in from before the period", async () => {
    // 1..20 March: usd has changes (C back, D starts); eur has none but E's MRR is carried in
    expect(await currenciesWithData(ctx, { from: "2026-03-01", to: "2026-03-20" })).toEqual(["eur", "usd"]);
    // before any subscription, and in live mode (all data here is test mode): nothing
    expect(await currenciesWithData(ctx, { from: "2025-01-01", to: "2025-01-31" })).toEqual([]);
    expect(await currenciesWithData(ctx, { from: "2026-03-01", to: "2026-03-20", livemode: true })).toEqual(
      [],
    );
  });
});
