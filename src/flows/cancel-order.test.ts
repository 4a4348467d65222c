import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, TEST_NOW, type TestContext } from "../../tests/support/context.ts";
import { insertPendingOrder, stockOf } from "../../tests/support/webhooks.ts";
import type { Actor } from "../audit/index.ts";
import { type FakeStripe, startFakeStripe } from "../offline/stripe-api/server.ts";
import { getOrder } from "../orders/index.ts";
import { fixedClock } from "../shared/clock.ts";
import { cancelOrder } from "./index.ts";

/** Cancel + close the Checkout page: one flow, used by the admin route and `orders cancel`. */
let fake: FakeStripe;
let ctx: TestContext;
const ops: Actor = { type: "user", id: "7", role: "ops" };

beforeAll(async () => {
  fake = await startFakeStripe({}, { clock: fixedClock(TEST_NOW), seed: "cancel-order-flow" });
  ctx = await createTestContext({
    env: {
      PAYMENTS_MODE: "stripe",
      STRIPE_SECRET_KEY: "sk_test_cancel_flow",
      STRIPE_WEBHOOK_SECRET: "whsec_cancel_flow",
      STRIPE_API_BASE: fake.url,
    },
  });
}, 60_000);
afterAll(async () => {
  await ctx.destroy();
  await fake.close();
});

const expireCalls = (sessionId: string) =>
  fake.requests.filter((r) => r.method === "POST" && r.path === `/v1/checkout/sessions/${sessionId}/expire`)
    .length;

describe("cancelOrder flow", () => {
  it("cancels the order, releases its stock once and asks Stripe to close its Checkout Session", async () => {
    const { orderId, productIds } = await insertPendingOrder(ctx, [{ unitPrice: 1000, quantity: 2 }], {
      stock: 5,
      checkoutSessionId: "cs_test_cancel_flow_1",
    });
    const order = await cancelOrder(ctx, { orderId, reason: "customer asked" }, ops);
    expect(order.status).toBe("canceled");
    expect(await stockOf(ctx, productIds[0]!)).toBe(7); // 5 + the 2 reserved units
    expect(expireCalls("cs_test_cancel_flow_1")).toBe(1);
    // Stripe did not know the session (404): the close is best effort and the cancel stands.
    expect((await getOrder(ctx, orderId))?.status).toBe("canceled");
    // A second cancel (double click) is a no-op for the order and the stock.
    await cancelOrder(ctx, { orderId, reason: "customer asked" }, ops);
    expect(await stockOf(ctx, productIds[0]!)).toBe(7);
  });
});
