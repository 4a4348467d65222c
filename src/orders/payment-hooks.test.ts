import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { dirtyDays } from "../analytics/schema.ts";
import { systemActor, webhookActor } from "../audit/index.ts";
import { getProduct } from "../catalog/index.ts";
import { cancelOrder, fulfillOrder } from "./actions.ts";
import { createOrderFromCart } from "./checkout.ts";
import { refundableAmount } from "./model.ts";
import { applyOrderRefundTotal, markOrderPaid } from "./payment-hooks.ts";
import { restockOrderLines } from "./restock.ts";
import { orderEvents, wishlistEvents } from "./schema.ts";
import { addToWishlist } from "./wishlist.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

const PAID_AT = new Date("2026-06-14T23:30:00Z");

async function newOrder(stock = 10, qty = 2, price = 1500) {
  const now = ctx.clock.now();
  const customerId = (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id;
  const p = await makeProduct(ctx.db, { stockOnHand: stock, priceAmount: price });
  const order = await createOrderFromCart(
    ctx,
    { customerId, items: [{ productId: p.id, quantity: qty }] },
    systemActor,
  );
  return { order, product: p, customerId };
}

describe("markOrderPaid", () => {
  it("pending → paid once, stores the payment ids, marks the paid day dirty, records wishlist conversions", async () => {
    const now = ctx.clock.now();
    const customerId = (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id;
    const wished = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 10 });
    await addToWishlist(ctx, customerId, { productId: wished.id });
    const order = await createOrderFromCart(
      ctx,
      { customerId, items: [{ productId: wished.id, quantity: 1 }] },
      systemActor,
    );
    const input = { orderId: order.id, at: PAID_AT, paymentIntentId: "pi_1", checkoutSessionId: "cs_1" };
    const paid = await markOrderPaid(ctx, input, webhookActor);
    expect(paid).toMatchObject({
      status: "paid",
      paidAt: PAID_AT,
      stripePaymentIntentId: "pi_1",
      stripeCheckoutSessionId: "cs_1",
    });
    const again = await markOrderPaid(ctx, { ...input, at: new Date("2026-06-15T08:00:00Z") }, webhookActor);
    expect(again.paidAt).toEqual(PAID_AT); // replay is a no-op
    const events = await ctx.db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    expect(events.map((e) => e.toStatus)).toEqual(["pending", "paid"]);
    const conv = await ctx.db.select().from(wishlistEvents).where(eq(wishlistEvents.orderId, order.id));
    expect(conv.map((e) => [e.kind, e.productId])).toEqual([["converted", wished.id]]);
    const marks = await ctx.db.select().from(dirtyDays);
    // 23:30 UTC is still the 14th in UTC; the mark names the customer whose paid orders changed, so
    // the rebuild recomputes that customer's rows only.
    expect(marks.map((d) => [String(d.day), d.paidOrdersOf])).toContainEqual(["2026-06-14", [customerId]]);
  });

  it("a canceled order cannot be paid (order.invalid_transition)", async () => {
    const { order } = await newOrder();
    await cancelOrder(ctx, { orderId: order.id, reason: "expired" }, systemActor);
    await expect(markOrderPaid(ctx, { orderId: order.id, at: PAID_AT }, webhookActor)).rejects.toMatchObject({
      code: "order.invalid_transition",
    });
  });
});

describe("applyOrderRefundTotal", () => {
  it("raises amount_refunded monotonically and moves to refunded at the total", async () => {
    const { order } = await newOrder(10, 2, 1500); // total 3000
    await markOrderPaid(ctx, { orderId: order.id, at: PAID_AT }, webhookActor);
    const part = await applyOrderRefundTotal(
      ctx,
      { orderId: order.id, amountRefunded: 1000, at: PAID_AT },
      webhookActor,
    );
    expect([part.status, part.amountRefunded, refundableAmount(part)]).toEqual(["paid", 1000, 2000]);
    const stale = await applyOrderRefundTotal(
      ctx,
      { orderId: order.id, amountRefunded: 500, at: PAID_AT },
      webhookActor,
    );
    expect(stale.amountRefunded).toBe(1000); // never decreases
    await expect(
      applyOrderRefundTotal(ctx, { orderId: order.id, amountRefunded: 3001, at: PAID_AT }, webhookActor),
    ).rejects.toMatchObject({ code: "refund.exceeds_total" });
    const full = await applyOrderRefundTotal(
      ctx,
      { orderId: order.id, amountRefunded: 3000, at: PAID_AT },
      webhookActor,
    );
    expect([full.status, full.refundedAt, refundableAmount(full)]).toEqual(["refunded", PAID_AT, 0]);
    const replay = await applyOrderRefundTotal(
      ctx,
      { orderId: order.id, amountRefunded: 3000, at: PAID_AT },
      webhookActor,
    );
    expect(replay.status).toBe("refunded");
  });

  it("a fulfilled order fully refunded becomes refunded", async () => {
    const { order } = await newOrder(10, 1, 700);
    await markOrderPaid(ctx, { orderId: order.id, at: PAID_AT }, webhookActor);
    await fulfillOrder(ctx, { orderId: order.id, reason: "shipped via post" }, systemActor);
    const full = await applyOrderRefundTotal(
      ctx,
      { orderId: order.id, amountRefunded: 700, at: PAID_AT },
      webhookActor,
    );
    expect(full.status).toBe("refunded");
  });
});

describe("restockOrderLines", () => {
  it("returns stock once per (refund, line), never above the line quantity", async () => {
    const { order, product } = await newOrder(10, 3);
    await markOrderPaid(ctx, { orderId: order.id, at: PAID_AT }, webhookActor);
    const lineId = order.lines[0]!.id;
    const r1 = await restockOrderLines(
      ctx,
      { orderId: order.id, refundKey: "re_1", lines: [{ lineId, quantity: 2 }] },
      webhookActor,
    );
    await restockOrderLines(
      ctx,
      { orderId: order.id, refundKey: "re_1", lines: [{ lineId, quantity: 2 }] },
      webhookActor,
    );
    expect(r1.lines[0]!.restockedQuantity).toBe(2);
    expect((await getProduct(ctx, product.id))!.stockOnHand).toBe(9); // 10 − 3 + 2, once
    await expect(
      restockOrderLines(
        ctx,
        { orderId: order.id, refundKey: "re_2", lines: [{ lineId, quantity: 2 }] },
        webhookActor,
      ),
    ).rejects.toMatchObject({ status: 400 }); // only 1 unit left to restock
    const all = await restockOrderLines(
      ctx,
      { orderId: order.id, refundKey: "re_3", lines: [] },
      webhookActor,
    );
    expect(all.lines[0]!.restockedQuantity).toBe(3); // unfulfilled: empty list = the rest
    expect((await getProduct(ctx, product.id))!.stockOnHand).toBe(10);
  });

  it("a shipped order needs the lines named; a pending one has nothing to restock", async () => {
    const { order } = await newOrder(10, 1);
    await expect(
      restockOrderLines(ctx, { orderId: order.id, refundKey: "x", lines: [] }, webhookActor),
    ).rejects.toMatchObject({ code: "order.restock_not_allowed" });
    await markOrderPaid(ctx, { orderId: order.id, at: PAID_AT }, webhookActor);
    await fulfillOrder(ctx, { orderId: order.id, reason: "shipped via post" }, systemActor);
    await expect(
      restockOrderLines(ctx, { orderId: order.id, refundKey: "x", lines: [] }, webhookActor),
    ).rejects.toMatchObject({ details: { field: "lines" } });
    const r = await restockOrderLines(
      ctx,
      { orderId: order.id, refundKey: "x", lines: [{ lineId: order.lines[0]!.id, quantity: 1 }] },
      webhookActor,
    );
    expect(r.lines[0]!.restockedQuantity).toBe(1);
  });
});
