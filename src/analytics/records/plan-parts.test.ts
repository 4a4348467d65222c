import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSubscriptionState } from "../../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { planPartsAt } from "./plan-parts.ts";

// A plan's records read only the subscriptions that ever had the plan, yet name each one's customer
// as the whole history does: through any subscription of the same Stripe customer.
let ctx: TestContext;
const scope = { livemode: false, currency: "usd", timezone: "UTC" };

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
});
afterAll(() => ctx.destroy());

describe("a plan's parts", () => {
  it("lists the plan's subscriptions only, each customer linked through its Stripe customer", async () => {
    const parts = await planPartsAt(ctx.readDb, scope, "price_pro", "2026-05-10");
    expect(parts.map((p) => [p.subscription_id, p.customer_key, p.mrr]).sort()).toEqual([
      ["sub_moved", "cus_b", 2900],
      ["sub_pro", "7", 2900],
    ]);
    expect(
      (await planPartsAt(ctx.readDb, scope, "price_pro", "2026-05-31")).map((p) => p.subscription_id),
    ).toEqual(["sub_pro"]);
    const basic = await planPartsAt(ctx.readDb, scope, "price_basic", "2026-05-31");
    expect(basic.map((p) => [p.subscription_id, p.customer_key]).sort()).toEqual([
      ["sub_basic", "7"],
      ["sub_moved", "cus_b"],
    ]);
  });
});
