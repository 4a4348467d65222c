import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeStripeEvent } from "../../../tests/support/builders/events.ts";
import { expectFailThenPass, gate } from "../../../tests/support/check-workflow.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import {
  billingEvent,
  couponPayload,
  discountPayload,
  subscriptionPayload,
} from "../../../tests/support/stripe-versions/billing-payloads.ts";
import { deliver } from "../../../tests/support/webhooks.ts";
import { stripeEvents, subscriptions } from "../../db/schema.ts";
import { NEWEST_API_VERSION, versionStanding } from "./api-versions.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());
// The test clock is 2026-06-15T12:00Z.

describe("api-versions", () => {
  it("knows the range: 2024-06-20 up to the SDK's newest", () => {
    expect(NEWEST_API_VERSION).toBe("2026-10-28.endive");
    expect(versionStanding("2024-06-20")).toBe("supported");
    expect(versionStanding("2025-03-31.basil")).toBe("supported");
    expect(versionStanding("2026-10-28.endive")).toBe("supported");
    expect(versionStanding("2027-02-24.fig")).toBe("newer");
    expect(versionStanding("2023-10-16")).toBe("older");
    expect(versionStanding("garbage")).toBe("unknown");
  });

  it("flags events newer than the code knows (still applied), then passes once the endpoint is back in range", async () => {
    await makeStripeEvent(ctx.db, {
      apiVersion: "2025-09-30.clover",
      receivedAt: new Date("2026-06-15T10:00:00Z"),
    });
    expect(await gate(ctx, "api-versions")).toBe(0);
    const newer = await makeStripeEvent(ctx.db, {
      apiVersion: "2027-02-24.fig",
      receivedAt: new Date("2026-06-15T11:00:00Z"),
    });
    const details = await expectFailThenPass(ctx, "api-versions", "api-version:2027-02-24.fig", () =>
      // The merchant set the endpoint back in range: 31 days later the old events fall out of the window.
      ctx.db
        .update(stripeEvents)
        .set({ receivedAt: new Date("2026-05-15T11:00:00Z") })
        .where(eq(stripeEvents.id, newer.id)),
    );
    expect(details).toMatchObject({
      apiVersion: "2027-02-24.fig",
      standing: "newer",
      events: 1,
      exampleEventId: newer.id,
    });
  });

  it("flags events older than 2024-06-20", async () => {
    const older = await makeStripeEvent(ctx.db, {
      apiVersion: "2023-10-16",
      receivedAt: new Date("2026-06-15T11:00:00Z"),
    });
    await expectFailThenPass(ctx, "api-versions", "api-version:2023-10-16", () =>
      ctx.db.delete(stripeEvents).where(eq(stripeEvents.id, older.id)),
    );
  });

  it("an event of a newer version is applied with the newest reader", async () => {
    const start = new Date("2026-06-01T00:00:00Z");
    const sub = subscriptionPayload("endive", {
      id: "sub_future",
      customer: "cus_future",
      created: start,
      items: [{ id: "si_f", price: "price_f", unitAmount: 3_000 }],
      periodStart: start,
      periodEnd: new Date("2026-07-01T00:00:00Z"),
    });
    const result = await deliver(
      ctx,
      billingEvent("2027-02-24.fig", "customer.subscription.created", sub, start),
    );
    expect(result.outcome).toBe("processed");
    const [row] = await ctx.db.select().from(subscriptions).where(eq(subscriptions.id, "sub_future"));
    expect(row).toMatchObject({ mrr: 3_000, currentPeriodStart: start });
    await ctx.db.delete(stripeEvents).where(eq(stripeEvents.id, result.eventId));
  });
});

describe("unresolved-discounts", () => {
  it("counts a subscription whose discount is unknown at list price and names it, then passes once the discount arrives", async () => {
    const start = new Date("2026-06-01T00:00:00Z");
    await deliver(
      ctx,
      billingEvent(
        "clover",
        "customer.subscription.created",
        subscriptionPayload("clover", {
          id: "sub_unres",
          customer: "cus_unres",
          created: start,
          items: [{ id: "si_u", price: "price_u", unitAmount: 10_000 }],
          periodStart: start,
          periodEnd: new Date("2026-07-01T00:00:00Z"),
          discounts: ["di_unres"],
        }),
        start,
      ),
    );
    const mrr = async () =>
      (await ctx.db.select().from(subscriptions).where(eq(subscriptions.id, "sub_unres")))[0]?.mrr;
    expect(await mrr()).toBe(10_000);
    const details = await expectFailThenPass(
      ctx,
      "unresolved-discounts",
      "discount:sub_unres:di_unres",
      async () => {
        // The discount names its coupon by id (clover): unresolved until the coupon's terms are known too.
        await deliver(
          ctx,
          billingEvent(
            "clover",
            "customer.discount.created",
            discountPayload("clover", {
              id: "di_unres",
              customer: "cus_unres",
              subscription: "sub_unres",
              coupon: { id: "co_half" },
              start,
            }),
            new Date("2026-06-01T00:00:01Z"),
          ),
        );
        expect(await gate(ctx, "unresolved-discounts")).toBe(1);
        await deliver(
          ctx,
          billingEvent(
            "clover",
            "coupon.created",
            couponPayload({ id: "co_half", percent_off: 50 }),
            new Date("2026-06-01T00:00:02Z"),
          ),
        );
      },
    );
    expect(details).toMatchObject({
      subscriptionId: "sub_unres",
      discountId: "di_unres",
      mrr: 10_000,
      currency: "usd",
    });
    expect(await mrr()).toBe(5_000);
  });
});
