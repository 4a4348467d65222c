import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { insertPaidOrder, orderState } from "../../tests/support/webhooks.ts";
import type { Actor } from "../audit/index.ts";
import { createRefund } from "../payments/refunds/service.ts";
import { charges, refunds } from "../payments/schema.ts";
import { createStripeFactory } from "./objects/event-factory.ts";

/** The offline provider honours Idempotency-Key as Stripe does (same key, same parameters → same refund). */
let ctx: TestContext;
const f = createStripeFactory({ seed: "offline-refund-keys", now: new Date("2026-06-15T10:00:00Z") });
const ops: Actor = { type: "user", id: "7", role: "ops" };

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

async function paidOrder(amount: number) {
  const { orderId, chargeId } = await insertPaidOrder(ctx, f, [{ unitPrice: amount, quantity: 1 }]);
  return { orderId, chargeId };
}

async function refundsOf(orderId: number) {
  return ctx.db.select().from(refunds).where(eq(refunds.orderId, orderId));
}

describe("offline refunds with an idempotency key", () => {
  it("two calls with one key and the same parameters make one refund and return it twice", async () => {
    const { orderId, chargeId } = await paidOrder(4000);
    const input = { orderId, amount: 1500, idempotencyKey: "refund-retry-0001" };
    const first = await createRefund(ctx, input, ops);
    const second = await createRefund(ctx, input, ops);
    expect(second.refundId).toBe(first.refundId);
    expect((await refundsOf(orderId)).map((r) => [r.id, r.amount, r.status])).toEqual([
      [first.refundId, 1500, "succeeded"],
    ]);
    // 1500 refunded once: the charge and the order agree.
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 1500 });
    const [charge] = await ctx.db.select().from(charges).where(eq(charges.id, chargeId));
    expect(charge!.amountRefunded).toBe(1500);
  });

  it("refuses the key with different parameters, as Stripe's idempotency_error, and refunds nothing more", async () => {
    const { orderId } = await paidOrder(4000);
    await createRefund(ctx, { orderId, amount: 1000, idempotencyKey: "refund-retry-0002" }, ops);
    await expect(
      createRefund(ctx, { orderId, amount: 1200, idempotencyKey: "refund-retry-0002" }, ops),
    ).rejects.toMatchObject({ code: "refund.idempotency_error", status: 400 });
    expect((await refundsOf(orderId)).map((r) => r.amount)).toEqual([1000]);
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 1000 });
  });

  it("concurrent calls with one key make one refund", async () => {
    const { orderId } = await paidOrder(5000);
    const input = { orderId, amount: 2000, idempotencyKey: "refund-retry-0003" };
    const results = await Promise.all(Array.from({ length: 4 }, () => createRefund(ctx, input, ops)));
    expect(new Set(results.map((r) => r.refundId)).size).toBe(1);
    expect((await refundsOf(orderId)).map((r) => r.amount)).toEqual([2000]);
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 2000 });
  });

  it("different keys are different refunds", async () => {
    const { orderId } = await paidOrder(4000);
    const a = await createRefund(ctx, { orderId, amount: 500, idempotencyKey: "refund-key-a-0004" }, ops);
    const b = await createRefund(ctx, { orderId, amount: 500, idempotencyKey: "refund-key-b-0004" }, ops);
    expect(a.refundId).not.toBe(b.refundId);
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 1000 });
  });
});
