import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSubscriptionState } from "../../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { clearAnalyticsData } from "../../../tests/support/random-data.ts";
import { affectedSubscriptions } from "./mrr-build.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

/** A paying state of `subscriptionId` with these links (no snapshot rows unless written below). */
const state = (subscriptionId: string, links: { customerId?: number | null; stripeCustomerId: string }) =>
  makeSubscriptionState(ctx.db, {
    subscriptionId,
    created: "2026-03-02T10:00:00Z",
    status: "active",
    customerId: links.customerId ?? null,
    stripeCustomerId: links.stripeCustomerId,
    items: [{ unitAmount: 1500, priceId: "price_basic" }],
  });

/** A subscription MRR row of `subscriptionId` written under `customerKey` (as a build leaves it). */
const keyedRow = (subscriptionId: string, customerKey: string) =>
  ctx.db.execute(sql`INSERT INTO snap_subscription_mrr (livemode, currency, subscription_id, customer_key, day, mrr)
                     VALUES (false, 'usd', ${subscriptionId}, ${customerKey}, '2026-03-02', 1500)`);

const affected = async (...changed: string[]) =>
  (await affectedSubscriptions(ctx.db, false, changed)).ids.sort();

describe("the subscriptions a change connects to (the worker's partial MRR rebuild)", () => {
  it("follows each kind of link on its own, one step after another, and nothing else", async () => {
    await clearAnalyticsData(ctx.db);
    // Through a Stripe customer alone: neither has a shop customer nor snapshot rows.
    await state("sub_s1", { stripeCustomerId: "cus_shared" });
    await state("sub_s2", { stripeCustomerId: "cus_shared" });
    // Through a shop customer alone: different Stripe customers, no snapshot rows.
    await state("sub_c1", { customerId: 42, stripeCustomerId: "cus_c1" });
    await state("sub_c2", { customerId: 42, stripeCustomerId: "cus_c2" });
    // Through the customer key of their rows alone: the histories share nothing.
    await state("sub_k1", { stripeCustomerId: "cus_k1" });
    await state("sub_k2", { stripeCustomerId: "cus_k2" });
    await keyedRow("sub_k1", "77");
    await keyedRow("sub_k2", "77");
    // A key with a leading zero is not shop customer 42's ("042" is not what 42 is written as).
    await state("sub_z", { stripeCustomerId: "cus_z" });
    await keyedRow("sub_z", "042");
    // Unrelated.
    await state("sub_other", { customerId: 9, stripeCustomerId: "cus_other" });

    expect(await affected("sub_s1")).toEqual(["sub_s1", "sub_s2"]);
    expect(await affected("sub_c2")).toEqual(["sub_c1", "sub_c2"]);
    expect(await affected("sub_k2")).toEqual(["sub_k1", "sub_k2"]);
    expect(await affected("sub_z")).toEqual(["sub_z"]);
    expect(await affected("sub_other")).toEqual(["sub_other"]);

    // Step after step: a state links the Stripe customer to shop customer 42, which reaches sub_c1 and
    // sub_c2; a row of sub_c1 under key 77 then reaches sub_k1 and sub_k2 through their rows' key.
    await state("sub_s2", { customerId: 42, stripeCustomerId: "cus_shared" });
    await keyedRow("sub_c1", "77");
    expect(await affected("sub_s1")).toEqual(["sub_c1", "sub_c2", "sub_k1", "sub_k2", "sub_s1", "sub_s2"]);
    // The keys their rows were written under, to delete the customers' rows.
    expect((await affectedSubscriptions(ctx.db, false, ["sub_k1"])).previousKeys.sort()).toEqual(["77"]);
    // Another mode is another space.
    expect((await affectedSubscriptions(ctx.db, true, ["sub_s1"])).ids).toEqual(["sub_s1"]);
  });
});
