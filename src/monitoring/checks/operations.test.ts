import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../tests/support/builders/catalog.ts";
import { makeStripeEvent } from "../../../tests/support/builders/events.ts";
import { makeOrder, makeOrderLine } from "../../../tests/support/builders/orders.ts";
import { makeSubscription, makeSubscriptionState } from "../../../tests/support/builders/subscriptions.ts";
import { expectFailThenPass, gate } from "../../../tests/support/check-workflow.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { orders, products, stripeEvents, subscriptions } from "../../db/schema.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());
// The test clock is 2026-06-15T12:00Z.
const ago = (minutes: number) => new Date(Date.parse("2026-06-15T12:00:00Z") - minutes * 60_000);

describe("webhook-health", () => {
  it("flags a failed event, then passes once it is replayed", async () => {
    const event = await makeStripeEvent(ctx.db, { status: "failed", attempts: 3, lastError: "boom" });
    await expectFailThenPass(ctx, "webhook-health", `event:${event.id}`, () =>
      ctx.db.update(stripeEvents).set({ status: "processed" }).where(eq(stripeEvents.id, event.id)),
    );
  });

  it("flags an event stuck in received for over 10 minutes, but not a fresh one", async () => {
    await makeStripeEvent(ctx.db, { status: "received", receivedAt: ago(9) });
    expect(await gate(ctx, "webhook-health")).toBe(0);
    const stuck = await makeStripeEvent(ctx.db, { status: "received", receivedAt: ago(11) });
    await expectFailThenPass(ctx, "webhook-health", `event:${stuck.id}`, () =>
      ctx.db.update(stripeEvents).set({ status: "processed" }).where(eq(stripeEvents.status, "received")),
    );
  });

  it("flags a subscription whose latest event is older than its current period start", async () => {
    // Events up to 05-01; a sync moved the period start to 06-01 with no renewal event received.
    const sub = await makeSubscription(ctx.db, { currentPeriodStart: new Date("2026-06-01T00:00:00Z") });
    await makeSubscriptionState(ctx.db, {
      subscriptionId: sub.id,
      created: new Date("2026-05-01T00:00:00Z"),
      status: "active",
      items: [],
      stripeCustomerId: "cus_test_1",
      mrr: 2900,
    });
    await expectFailThenPass(ctx, "webhook-health", `subscription:${sub.id}`, () =>
      makeSubscriptionState(ctx.db, {
        subscriptionId: sub.id,
        created: new Date("2026-06-01T00:00:02Z"),
        status: "active",
        items: [],
        stripeCustomerId: "cus_test_1",
        mrr: 2900,
      }),
    );
  });
});

describe("stock-integrity", () => {
  it("flags a canceled order whose reserved stock was never released, then passes once released", async () => {
    const product = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 10 });
    const order = await makeOrder(ctx.db, { status: "canceled", paidAt: null, canceledAt: ago(60) });
    await makeOrderLine(ctx.db, { orderId: order.id, productId: product.id, quantity: 3 });
    const details = await expectFailThenPass(ctx, "stock-integrity", `order:${order.id}`, () =>
      ctx.db
        .update(orders)
        .set({ stockReleasedAt: ago(1) })
        .where(eq(orders.id, order.id)),
    );
    expect(details).toMatchObject({ orderId: order.id, units: 3 });
  });

  it("flags stock below the preorder floor when the constraint has been bypassed", async () => {
    // The CHECK constraint makes this impossible through the app; a restore or manual DDL could not.
    await ctx.db.execute(sql`ALTER TABLE products DROP CONSTRAINT products_stock_floor`);
    const product = await makeProduct(ctx.db, {
      priceAmount: 1000,
      allowPreorder: true,
      preorderLimit: 5,
      stockOnHand: -7,
    });
    const preorderWithinLimit = await makeProduct(ctx.db, {
      priceAmount: 1000,
      allowPreorder: true,
      preorderLimit: 5,
      stockOnHand: -5,
    });
    const details = await expectFailThenPass(ctx, "stock-integrity", `product:${product.id}`, () =>
      ctx.db.update(products).set({ stockOnHand: 0 }).where(eq(products.id, product.id)),
    );
    expect(details).toMatchObject({ stockOnHand: -7, preorderLimit: 5 });
    expect(preorderWithinLimit.stockOnHand).toBe(-5);
  });
});

describe("fulfillment-backlog", () => {
  it("flags a paid order unfulfilled past the SLA (72 h), then passes once fulfilled", async () => {
    const onTime = await makeOrder(ctx.db, { paidAt: ago(71 * 60) });
    const late = await makeOrder(ctx.db, { paidAt: ago(73 * 60) });
    const details = await expectFailThenPass(ctx, "fulfillment-backlog", `order:${late.id}`, () =>
      ctx.db
        .update(orders)
        .set({ status: "fulfilled", fulfilledAt: ago(0) })
        .where(eq(orders.id, late.id)),
    );
    // Paid 73 h ago with a 72 h SLA: 1 hour late.
    expect(details).toMatchObject({ orderId: late.id, hoursLate: 1 });
    await ctx.db.update(orders).set({ status: "fulfilled" }).where(eq(orders.id, onTime.id));
  });

  it("starts a preorder's clock at its ship date and skips preorders with no ship date", async () => {
    const dated = await makeProduct(ctx.db, {
      priceAmount: 1000,
      stockOnHand: 10,
      allowPreorder: true,
      preorderShipDate: "2026-06-14",
    });
    const undated = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 10, allowPreorder: true });
    // Paid 10 days ago, but ships 06-14: due 06-17, not late yet.
    const a = await makeOrder(ctx.db, { paidAt: ago(10 * 24 * 60) });
    await makeOrderLine(ctx.db, { orderId: a.id, productId: dated.id, isPreorder: true });
    const b = await makeOrder(ctx.db, { paidAt: ago(10 * 24 * 60) });
    await makeOrderLine(ctx.db, { orderId: b.id, productId: undated.id, isPreorder: true });
    expect(await gate(ctx, "fulfillment-backlog")).toBe(0);
    await ctx.db.update(products).set({ preorderShipDate: "2026-06-01" }).where(eq(products.id, dated.id));
    await expectFailThenPass(ctx, "fulfillment-backlog", `order:${a.id}`, () =>
      ctx.db
        .update(orders)
        .set({ status: "fulfilled", fulfilledAt: ago(0) })
        .where(eq(orders.id, a.id)),
    );
  });
});

describe("subscription-sanity", () => {
  it("flags a status outside Stripe's set, then passes once corrected", async () => {
    const sub = await makeSubscription(ctx.db, { status: "on_hold" });
    await expectFailThenPass(ctx, "subscription-sanity", `status:${sub.id}`, () =>
      ctx.db.update(subscriptions).set({ status: "paused", mrr: 0 }).where(eq(subscriptions.id, sub.id)),
    );
  });

  it("flags the legacy double-l spelling and MRR on a canceled subscription", async () => {
    const spelled = await makeSubscription(ctx.db, { status: "cancel" + "led", mrr: 0 });
    await expectFailThenPass(ctx, "subscription-sanity", `spelling:${spelled.id}`, () =>
      ctx.db.update(subscriptions).set({ status: "canceled" }).where(eq(subscriptions.id, spelled.id)),
    );
    const withMrr = await makeSubscription(ctx.db, { status: "canceled", mrr: 2900 });
    const details = await expectFailThenPass(ctx, "subscription-sanity", `mrr:${withMrr.id}`, () =>
      ctx.db.update(subscriptions).set({ mrr: 0 }).where(eq(subscriptions.id, withMrr.id)),
    );
    expect(details).toMatchObject({ subscriptionId: withMrr.id, mrr: 2900 });
  });
});
