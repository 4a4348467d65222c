import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { cliActor, systemActor, webhookActor } from "../audit/index.ts";
import { getProduct } from "../catalog/index.ts";
import { ALL_JOBS } from "../jobs/all.ts";
import { cancelOrder, expirePendingOrders, fulfillOrder } from "./actions.ts";
import { createOrderFromCart } from "./checkout.ts";
import { markOrderPaid } from "./payment-hooks.ts";
import { getOrder } from "./queries.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { PENDING_ORDER_TTL_MINUTES: "30" } });
});
afterAll(() => ctx.destroy());

async function order(qty = 2) {
  const now = ctx.clock.now();
  const customerId = (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id;
  const p = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 6 });
  return createOrderFromCart(ctx, { customerId, items: [{ productId: p.id, quantity: qty }] }, systemActor);
}

describe("ops actions", () => {
  it("fulfilling a pending order or canceling a paid one is rejected and changes nothing", async () => {
    const o = await order();
    await expect(fulfillOrder(ctx, { orderId: o.id, reason: "ship it" }, cliActor)).rejects.toMatchObject({
      code: "order.invalid_transition",
    });
    await markOrderPaid(ctx, { orderId: o.id, at: ctx.clock.now() }, webhookActor);
    await expect(cancelOrder(ctx, { orderId: o.id, reason: "oops oops" }, cliActor)).rejects.toMatchObject({
      code: "order.invalid_transition",
    });
    const after = (await getOrder(ctx, o.id))!;
    expect([after.status, after.fulfilledAt, after.canceledAt]).toEqual(["paid", null, null]);
    expect((await getProduct(ctx, o.lines[0]!.productId))!.stockOnHand).toBe(4); // still reserved: 6 − 2
  });

  it("an action needs a reason", async () => {
    const o = await order();
    await expect(cancelOrder(ctx, { orderId: o.id, reason: "" }, cliActor)).rejects.toMatchObject({
      details: { field: "reason" },
    });
  });
});

describe("pending-order TTL", () => {
  it("is a worker job", () => {
    expect(ALL_JOBS.map((j) => j.name)).toContain("orders.expire-pending");
  });

  it("cancels pending orders older than the TTL and releases their stock; paid and young ones stay", async () => {
    ctx.clock.set("2026-06-15T12:00:00Z");
    const old = await order(2);
    const paid = await order(1);
    await markOrderPaid(ctx, { orderId: paid.id, at: ctx.clock.now() }, webhookActor);
    ctx.clock.set("2026-06-15T12:20:00Z");
    const young = await order(3);
    ctx.clock.set("2026-06-15T12:31:00Z"); // old is 31 min old (> 30), young 11 min
    // old + the pending order left by "an action needs a reason" (also placed at 12:00) = 2
    expect(await expirePendingOrders(ctx)).toBe(2);
    expect((await getOrder(ctx, old.id))!.status).toBe("canceled");
    expect((await getOrder(ctx, old.id))!.cancelReason).toBe("unpaid after 30 minutes");
    expect((await getProduct(ctx, old.lines[0]!.productId))!.stockOnHand).toBe(6); // 6 − 2 + 2
    expect((await getOrder(ctx, paid.id))!.status).toBe("paid");
    expect((await getOrder(ctx, young.id))!.status).toBe("pending");
    expect(await expirePendingOrders(ctx)).toBe(0); // nothing left to expire
  });
});
