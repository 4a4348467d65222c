import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSubscriptionState } from "../../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { systemActor } from "../../audit/index.ts";
import { subscriptionPlanChanges } from "../mrr/timeline.ts";
import { buildSnapshots } from "../snapshots/build.ts";
import { iterateRecords, listRecords } from "./list.ts";

// A plan's records are the subscription-plan rows of the snapshots, valid at the end of the day the
// figure is taken: each row names its customer as the whole history does (through any subscription of
// the same Stripe customer), and the rows add up to the plan's figure.
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  // cus_a: a Pro subscription carrying no customer id, and a Basic one that links customer 7.
  await makeSubscriptionState(ctx.db, {
    subscriptionId: "sub_pro",
    stripeCustomerId: "cus_a",
    created: "2026-05-01T10:00:00Z",
    status: "active",
    items: [{ unitAmount: 2900, priceId: "price_pro" }],
  });
  await makeSubscriptionState(ctx.db, {
    subscriptionId: "sub_basic",
    stripeCustomerId: "cus_a",
    customerId: 7,
    created: "2026-05-02T10:00:00Z",
    status: "active",
    items: [{ unitAmount: 900, priceId: "price_basic" }],
  });
  // Pro until 05-20, then Basic: a part of Pro on 05-10, none on 05-31.
  await makeSubscriptionState(ctx.db, {
    subscriptionId: "sub_moved",
    stripeCustomerId: "cus_b",
    created: "2026-05-03T10:00:00Z",
    status: "active",
    items: [{ unitAmount: 2900, priceId: "price_pro" }],
  });
  await makeSubscriptionState(ctx.db, {
    subscriptionId: "sub_moved",
    stripeCustomerId: "cus_b",
    created: "2026-05-20T10:00:00Z",
    status: "active",
    items: [{ unitAmount: 900, priceId: "price_basic" }],
  });
  // Pro and Basic on one subscription (split 2900 : 900); Basic doubles on 05-25, Pro's part stays.
  await makeSubscriptionState(ctx.db, {
    subscriptionId: "sub_both",
    stripeCustomerId: "cus_c",
    created: "2026-05-04T10:00:00Z",
    status: "active",
    items: [
      { unitAmount: 2900, priceId: "price_pro" },
      { unitAmount: 900, priceId: "price_basic", id: "si_b" },
    ],
  });
  await makeSubscriptionState(ctx.db, {
    subscriptionId: "sub_both",
    stripeCustomerId: "cus_c",
    created: "2026-05-25T10:00:00Z",
    status: "active",
    items: [
      { unitAmount: 2900, priceId: "price_pro" },
      { unitAmount: 900, priceId: "price_basic", id: "si_b", quantity: 2 },
    ],
  });
  await buildSnapshots(ctx, { from: "2026-05-01", to: "2026-05-31", timezone: "UTC" }, systemActor);
});
afterAll(() => ctx.destroy());

const period = (to: string) => ({ from: "2026-05-01", to, currency: "usd", timezone: "UTC" });
async function parts(kpi: "plan_mrr" | "plan_mrr_start", plan: string, to: string, from = "2026-05-01") {
  const rows = [];
  for await (const r of iterateRecords(ctx, { ...period(to), from, kpi, plan })) rows.push(r);
  return rows.map((r) => [r.object_id, r.stripe_customer_id, r.customer_id, r.value, r.amount]).sort();
}

describe("a plan's records", () => {
  it("lists the plan's subscriptions only, each customer linked through its Stripe customer", async () => {
    expect(await parts("plan_mrr", "price_pro", "2026-05-10")).toEqual([
      ["sub_both", "cus_c", null, 2900, 3800],
      ["sub_moved", "cus_b", null, 2900, 2900],
      // Linked to customer 7 through cus_a's Basic subscription.
      ["sub_pro", null, 7, 2900, 2900],
    ]);
    expect((await parts("plan_mrr", "price_pro", "2026-05-31")).map((r) => r[0])).toEqual([
      "sub_both",
      "sub_pro",
    ]);
    expect(await parts("plan_mrr", "price_basic", "2026-05-31")).toEqual([
      // Its whole MRR rose to 4700 on 05-25 while Pro's part stayed: Basic's part is 1800 of it.
      ["sub_basic", null, 7, 900, 900],
      ["sub_both", "cus_c", null, 1800, 4700],
      ["sub_moved", "cus_b", null, 900, 900],
    ]);
    // The start of 05-21..05-31 is the end of 05-20: sub_moved already on Basic.
    expect((await parts("plan_mrr_start", "price_pro", "2026-05-31", "2026-05-21")).map((r) => r[0])).toEqual(
      ["sub_both", "sub_pro"],
    );
  });

  it("adds up to the plan's figure at either end of the period", async () => {
    for (const plan of ["price_pro", "price_basic"]) {
      for (const kpi of ["plan_mrr", "plan_mrr_start"] as const) {
        const page = await listRecords(ctx, { ...period("2026-05-31"), from: "2026-05-15", kpi, plan });
        expect(page.totals?.value, `${kpi} ${plan}`).toBe(page.figure);
        expect(
          page.rows.reduce((s, r) => s + r.value, 0),
          `${kpi} ${plan}`,
        ).toBe(page.figure);
      }
    }
  });

  it("writes a row only when a part or the whole it is part of moves", () => {
    const at = (day: string) => new Date(`${day}T10:00:00Z`);
    const state = (day: string, items: Array<{ planId: string; weight: number }>, mrr: number) => ({
      subscriptionId: "sub_x",
      customerKey: "cus_x",
      currency: "usd",
      livemode: false,
      status: "active",
      eventCreated: at(day),
      receivedSeq: 0,
      currentPeriodStart: at(day),
      canceledAt: null,
      endedAt: null,
      items: [],
      percentOff: null,
      discountIds: null,
      mrr,
      plans: items,
    });
    const rows = subscriptionPlanChanges(
      [
        state("2026-05-01", [{ planId: "a", weight: 1000 }], 1000),
        // The same again: no row.
        state("2026-05-02", [{ planId: "a", weight: 1000 }], 1000),
        // Plan b added: a's part stays 1000 but its whole becomes 3000 → a row for a and one for b.
        state(
          "2026-05-03",
          [
            { planId: "a", weight: 1000 },
            { planId: "b", weight: 2000 },
          ],
          3000,
        ),
        // Plan a left: a drops to 0.
        state("2026-05-04", [{ planId: "b", weight: 2000 }], 2000),
      ],
      "UTC",
    );
    expect(rows.map((r) => [r.planId, r.day, r.mrr, r.subscriptionMrr, r.validTo])).toEqual([
      ["a", "2026-05-01", 1000, 1000, "2026-05-03"],
      ["a", "2026-05-03", 1000, 3000, "2026-05-04"],
      ["a", "2026-05-04", 0, 2000, "infinity"],
      ["b", "2026-05-03", 2000, 3000, "2026-05-04"],
      ["b", "2026-05-04", 2000, 2000, "infinity"],
    ]);
  });
});
