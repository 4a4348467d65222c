import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testConfig } from "../config/env.ts";
import type { AppContext } from "../context.ts";
import { createStripeFactory } from "../offline/objects/event-factory.ts";
import { type FakeStripe, startFakeStripe } from "../offline/stripe-api/server.ts";
import { fixedClock } from "../shared/clock.ts";
import { createLogger } from "../shared/logger.ts";
import { getPaymentProvider } from "./index.ts";

let fake: FakeStripe;
let ctx: AppContext;
const f = createStripeFactory({ seed: "provider", now: new Date("2026-06-15T10:00:00Z") });
const { charge } = f.makePayment({ amount: 4200, metadata: { order_id: "42" } });

beforeAll(async () => {
  // Stripe's clock and ours agree, as they do in production.
  fake = await startFakeStripe({ charges: [charge] }, { clock: fixedClock("2026-06-15T12:00:00Z") });
  const config = testConfig({
    PAYMENTS_MODE: "stripe",
    STRIPE_SECRET_KEY: "sk_test_provider",
    STRIPE_WEBHOOK_SECRET: "whsec_provider",
    STRIPE_API_BASE: fake.url,
  });
  // The provider needs no database: only config, clock and logger.
  ctx = {
    config,
    clock: fixedClock("2026-06-15T12:00:00Z"),
    logger: createLogger({ level: "silent", pretty: false }),
  } as unknown as AppContext;
});
afterAll(() => fake.close());

/** A checkout of `mugs` mugs at 21.00 for order `orderId`. */
function checkoutOf(orderId: number, mugs: number) {
  return {
    orderId,
    orderNumber: `RI-${String(orderId).padStart(6, "0")}`,
    amount: 2100 * mugs,
    currency: "usd",
    customer: { id: 1, email: "buyer@example.test", name: "Buyer", stripeCustomerId: null },
    lines: [{ name: "Mug", quantity: mugs, unitAmount: 2100 }],
    successUrl: `http://127.0.0.1:3000/orders/${orderId}`,
    cancelUrl: "http://127.0.0.1:3000/cart",
  };
}

describe("Stripe provider (real SDK against the local fake API)", () => {
  it("starts a Checkout Session carrying metadata.order_id", async () => {
    const provider = getPaymentProvider(ctx);
    expect(provider.mode).toBe("stripe");
    const start = await provider.startCheckout(ctx, checkoutOf(42, 2));
    expect(start.checkoutSessionId).toMatch(/^cs_test_/);
    expect(start.redirectUrl).toMatch(/^http/);
    const session = fake.store.checkoutSessions.get(start.checkoutSessionId!);
    expect(session?.metadata.order_id).toBe("42");
  });

  it("asks Checkout to collect a shipping address in the countries the shop ships to", async () => {
    await getPaymentProvider(ctx).startCheckout(ctx, checkoutOf(44, 1));
    const requested = fake.requests.at(-1)!;
    expect(JSON.stringify(requested.body.shipping_address_collection)).toContain('"US"');
    expect(JSON.stringify(requested.body.shipping_address_collection)).toContain('"FR"');
  });

  it("closes Stripe's Checkout page when the pending order expires (PENDING_ORDER_TTL_MINUTES)", async () => {
    const start = await getPaymentProvider(ctx).startCheckout(ctx, checkoutOf(43, 1));
    const requested = fake.requests.at(-1)!;
    const now = Math.floor(ctx.clock.now().getTime() / 1000);
    // The default TTL is 60 minutes: the page closes when the order expires, not 24 hours later.
    expect(ctx.config.pendingOrderTtlMinutes).toBe(60);
    expect(String(requested.body.expires_at)).toBe(String(now + 60 * 60));
    expect(fake.store.checkoutSessions.get(start.checkoutSessionId!)?.expires_at).toBe(now + 60 * 60);
  });

  it("refunds through the refunds API with our metadata and an idempotency key", async () => {
    const provider = getPaymentProvider(ctx);
    const result = await provider.createRefund(ctx, {
      orderId: 42,
      chargeId: charge.id,
      amount: 1200,
      currency: "usd",
      reason: "requested_by_customer",
      metadata: { order_id: "42", restock: "none" },
      idempotencyKey: "refund-key-0001",
    });
    expect(result.refundId).toMatch(/^re_/);
    expect(fake.store.refunds.get(result.refundId)).toMatchObject({ amount: 1200, charge: charge.id });
    expect(fake.requests.at(-1)?.idempotencyKey).toBe("refund-key-0001");
  });

  it("maps Stripe's idempotency_error (a key reused with other parameters) to 400 refund.idempotency_error", async () => {
    const provider = getPaymentProvider(ctx);
    const request = {
      orderId: 42,
      chargeId: charge.id,
      amount: 300,
      currency: "usd",
      reason: "requested_by_customer" as const,
      metadata: { order_id: "42", restock: "none" },
      idempotencyKey: "refund-key-0002",
    };
    const first = await provider.createRefund(ctx, request);
    // Same key, same parameters: Stripe replays the first refund.
    expect((await provider.createRefund(ctx, request)).refundId).toBe(first.refundId);
    await expect(provider.createRefund(ctx, { ...request, amount: 400 })).rejects.toMatchObject({
      code: "refund.idempotency_error",
      status: 400,
    });
    const made = [...fake.store.refunds.values()].filter(
      (r) => r.metadata?.order_id === "42" && r.amount !== 1200,
    );
    expect(made.map((r) => r.amount)).toEqual([300]);
  });
});
