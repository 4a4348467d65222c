import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCharge, makeRefund } from "../../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import { expectFailThenPass, gate, issueOf } from "../../../tests/support/check-workflow.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { charges, orders, refunds } from "../../db/schema.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

describe("refund-reconciliation", () => {
  it("flags an order whose amount_refunded differs from its succeeded refunds, then passes once fixed", async () => {
    const order = await makeOrder(ctx.db, { amountRefunded: 1500 });
    const charge = await makeCharge(ctx.db, { orderId: order.id });
    // Ledger: one succeeded refund of 1000 via the charge; a pending one of 500 does not count yet.
    await makeRefund(ctx.db, { chargeId: charge.id, amount: 1000 });
    const pending = await makeRefund(ctx.db, { chargeId: charge.id, amount: 500, status: "pending" });
    const details = await expectFailThenPass(ctx, "refund-reconciliation", `order:${order.id}`, () =>
      ctx.db.update(refunds).set({ status: "succeeded" }).where(eq(refunds.id, pending.id)),
    );
    // 1500 on the order − 1000 succeeded = 500 unexplained.
    expect(details).toMatchObject({ orderAmountRefunded: 1500, ledgerRefunded: 1000, difference: 500 });
  });

  it("flags succeeded refunds of an order that does not exist", async () => {
    const refund = await makeRefund(ctx.db, { orderId: 424_242, amount: 700 });
    await expectFailThenPass(ctx, "refund-reconciliation", "order:424242", () =>
      ctx.db.update(refunds).set({ orderId: null }).where(eq(refunds.id, refund.id)),
    );
  });
});

describe("payment-reconciliation", () => {
  it("flags a paid order whose succeeded charges do not equal its total, then passes once fixed", async () => {
    // Order of 5000 paid by one charge of 4000 (a 1000 charge is missing).
    const order = await makeOrder(ctx.db, { amountTotal: 5000 });
    await makeCharge(ctx.db, { orderId: order.id, amount: 4000 });
    const details = await expectFailThenPass(ctx, "payment-reconciliation", `order:${order.id}`, () =>
      makeCharge(ctx.db, { orderId: order.id, amount: 1000 }),
    );
    expect(details).toMatchObject({ orderTotal: 5000, chargedTotal: 4000, difference: 1000 });
  });

  it("flags a succeeded order charge whose order is still pending, then passes once the order is paid", async () => {
    const order = await makeOrder(ctx.db, { status: "pending", paidAt: null });
    const charge = await makeCharge(ctx.db, { orderId: order.id, amount: 5000 });
    const details = await expectFailThenPass(ctx, "payment-reconciliation", `charge:${charge.id}`, () =>
      ctx.db
        .update(orders)
        .set({ status: "paid", paidAt: new Date("2026-06-10T10:00:00Z") })
        .where(eq(orders.id, order.id)),
    );
    expect(details).toMatchObject({ orderId: order.id, orderStatus: "pending", amount: 5000 });
  });

  it("tells ops to refund a payment that landed on a canceled order, until it is refunded or the order revived", async () => {
    const order = await makeOrder(ctx.db, { status: "canceled", paidAt: null });
    const charge = await makeCharge(ctx.db, { orderId: order.id, amount: 2500 });
    expect(await gate(ctx, "payment-reconciliation")).toBe(1);
    const open = await issueOf(ctx, "payment-reconciliation", `charge:${charge.id}`);
    expect(open?.title).toBe(
      `Customer paid 2500 usd (charge ${charge.id}) for order ${order.id} after it was canceled: refund it in Stripe`,
    );
    await ctx.db.delete(charges).where(eq(charges.id, charge.id)); // leave the shared database clean
  });

  it("counts a charge found by payment intent when the charge has no order id", async () => {
    const order = await makeOrder(ctx.db, { stripePaymentIntentId: "pi_by_intent" });
    await makeCharge(ctx.db, { paymentIntentId: "pi_by_intent", amount: 5000 });
    expect(await gate(ctx, "payment-reconciliation")).toBe(0);
    await ctx.db.delete(charges).where(eq(charges.paymentIntentId, "pi_by_intent"));
    expect(await gate(ctx, "payment-reconciliation")).toBe(1);
    await ctx.db.delete(orders).where(eq(orders.id, order.id));
    expect(await gate(ctx, "payment-reconciliation")).toBe(0);
  });

  it("waits 15 minutes before judging a fresh payment (webhooks arrive in any order)", async () => {
    const paidAt = new Date(ctx.clock.now().getTime() - 5 * 60_000);
    const order = await makeOrder(ctx.db, { createdAt: paidAt, paidAt });
    expect(await gate(ctx, "payment-reconciliation")).toBe(0);
    await ctx.db.execute(sql`DELETE FROM orders WHERE id = ${order.id}`);
  });
});
