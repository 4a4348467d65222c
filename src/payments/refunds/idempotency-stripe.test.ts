import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, TEST_NOW, type TestContext } from "../../../tests/support/context.ts";
import { deliver, insertPendingOrder } from "../../../tests/support/webhooks.ts";
import type { Actor } from "../../audit/index.ts";
import { createStripeFactory } from "../../offline/objects/event-factory.ts";
import { type FakeStripe, startFakeStripe } from "../../offline/stripe-api/server.ts";
import { fixedClock } from "../../shared/clock.ts";
import { refunds } from "../schema.ts";
import { createRefund } from "./service.ts";

/** With PAYMENTS_MODE=stripe the refund service keeps the key in the same place as offline. */
let fake: FakeStripe;
let ctx: TestContext;
const f = createStripeFactory({ seed: "refund-idempotency-stripe", now: new Date("2026-06-15T10:00:00Z") });
const ops: Actor = { type: "user", id: "7", role: "ops" };

beforeAll(async () => {
  fake = await startFakeStripe({}, { clock: fixedClock(TEST_NOW), seed: "refund-idempotency-stripe-fake" });
  ctx = await createTestContext({
    env: {
      PAYMENTS_MODE: "stripe",
      STRIPE_SECRET_KEY: "sk_test_refund_keys",
      STRIPE_WEBHOOK_SECRET: "whsec_refund_keys",
      STRIPE_API_BASE: fake.url,
    },
  });
}, 60_000);
afterAll(async () => {
  await ctx.destroy();
  await fake.close();
});

async function paidOrder(amount: number) {
  const order = await insertPendingOrder(ctx, [{ unitPrice: amount, quantity: 1 }]);
  const { charge } = f.makePayment({ amount: order.total, metadata: { order_id: String(order.orderId) } });
  fake.store.charges.set(charge.id, structuredClone(charge));
  await deliver(ctx, f.makeEvent("charge.succeeded", charge));
  return order.orderId;
}

const refundPosts = () => fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/refunds").length;

describe("refund idempotency keys in Stripe mode", () => {
  it("after a restart, a retry returns the first refund without asking Stripe again; other parameters are refused", async () => {
    const orderId = await paidOrder(4000);
    const input = { orderId, amount: 1500, idempotencyKey: "refund-stripe-0001" };
    const first = await createRefund(ctx, input, ops);
    expect(first.refundId).toMatch(/^re_/);
    expect(refundPosts()).toBe(1);

    const restarted: TestContext = { ...ctx };
    expect(await createRefund(restarted, input, ops)).toEqual(first);
    await expect(createRefund(restarted, { ...input, amount: 1600 }, ops)).rejects.toMatchObject({
      code: "refund.idempotency_error",
      status: 400,
    });
    expect(refundPosts()).toBe(1);
    const rows = await ctx.db.select().from(refunds).where(eq(refunds.orderId, orderId));
    expect(rows.map((r) => [r.id, r.amount])).toEqual([[first.refundId, 1500]]);
  });
});
