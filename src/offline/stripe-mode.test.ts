import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { createTestContext, TEST_NOW, type TestContext } from "../../tests/support/context.ts";
import { signedInClient } from "../../tests/support/http.ts";
import { seedDemo } from "../demo/seed.ts";
import { orders } from "../orders/schema.ts";
import { stripeEvents } from "../payments/schema.ts";
import { fixedClock } from "../shared/clock.ts";
import { AppError } from "../shared/errors.ts";
import { createApp } from "../web/app.ts";
import { emit, simulatorFactory } from "./emit.ts";
import { type FakeStripe, startFakeStripe } from "./stripe-api/server.ts";

/**
 * With PAYMENTS_MODE=stripe the simulator would sign with the real endpoint secret, so a simulated
 * payment would pass as Stripe's. None of its ways in may exist there.
 */
let fake: FakeStripe;
let ctx: TestContext;

beforeAll(async () => {
  fake = await startFakeStripe({}, { clock: fixedClock(TEST_NOW) });
  ctx = await createTestContext({
    env: {
      PAYMENTS_MODE: "stripe",
      STRIPE_SECRET_KEY: "sk_test_simulator_lockdown",
      STRIPE_WEBHOOK_SECRET: "whsec_real_endpoint_secret",
      STRIPE_API_BASE: fake.url,
    },
  });
}, 60_000);
afterAll(async () => {
  await ctx.destroy();
  await fake.close();
});

const inbox = async () => Number((await ctx.db.select({ n: count() }).from(stripeEvents))[0]!.n);

describe("offline payments simulator with PAYMENTS_MODE=stripe", () => {
  it("has no pay page: a customer cannot mark their own pending order paid", async () => {
    const { app } = createApp(ctx);
    const now = ctx.clock.now();
    const customerId = (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id;
    const mug = await makeProduct(ctx.db, { name: "Enamel mug", priceAmount: 1250, stockOnHand: 3 });
    const { client } = await signedInClient(app, ctx, "customer", customerId);
    expect((await client.postForm("/cart/add", { productId: String(mug.id), quantity: "1" })).status).toBe(
      303,
    );
    const checkout = await client.postForm("/checkout", {});
    expect(checkout.status).toBe(303);
    expect(checkout.headers.get("location")).toContain(fake.url); // Stripe's Checkout, not ours
    const [order] = await ctx.db.select().from(orders).where(eq(orders.customerId, customerId));
    const sessionId = order!.stripeCheckoutSessionId!;
    expect(sessionId).toMatch(/^cs_test_/);

    expect((await client.get(`/checkout/offline/${sessionId}`)).status).toBe(404);
    for (const outcome of ["pay", "decline"]) {
      const res = await client.postForm(`/checkout/offline/${sessionId}/${outcome}`, { next: "/orders" });
      expect(res.status).toBe(404);
    }
    const [after] = await ctx.db.select().from(orders).where(eq(orders.id, order!.id));
    expect(after!.status).toBe("pending");
    expect(after!.paidAt).toBeNull();
    expect(await inbox()).toBe(0);
  });

  it("closes Stripe's payment page when ops cancel the pending order", async () => {
    const { app } = createApp(ctx);
    const now = ctx.clock.now();
    const customerId = (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id;
    const mug = await makeProduct(ctx.db, { name: "Camp mug", priceAmount: 900, stockOnHand: 2 });
    const { client: buyer } = await signedInClient(app, ctx, "customer", customerId);
    await buyer.postForm("/cart/add", { productId: String(mug.id), quantity: "1" });
    expect((await buyer.postForm("/checkout", {})).status).toBe(303);
    const [order] = await ctx.db.select().from(orders).where(eq(orders.customerId, customerId));
    const sessionId = order!.stripeCheckoutSessionId!;
    expect(fake.store.checkoutSessions.get(sessionId)?.status).toBe("open");

    const { client: ops } = await signedInClient(app, ctx, "ops");
    const cancel = await ops.postForm(`/admin/orders/${order!.id}/cancel`, { reason: "customer called" });
    expect(cancel.status).toBe(303);
    expect(fake.store.checkoutSessions.get(sessionId)?.status).toBe("expired");
    // Canceling again changes nothing and still answers (the page is already closed).
    expect((await ops.postForm(`/admin/orders/${order!.id}/cancel`, { reason: "again" })).status).toBe(303);
  });

  it("refuses to sign and deliver a simulated event, and stores nothing", async () => {
    const f = simulatorFactory(ctx);
    const { charge } = f.makePayment({ amount: 1250, currency: "usd", metadata: {} });
    const attempt = emit(ctx, f.makeEvent("charge.succeeded", charge));
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: "payments.simulator_disabled" });
    expect(await inbox()).toBe(0);
  });

  it("refuses to seed demo data", async () => {
    await expect(seedDemo(ctx, { customers: 5, months: 1 })).rejects.toMatchObject({
      code: "payments.simulator_disabled",
    });
    expect(await inbox()).toBe(0);
  });
});
