import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../../tests/support/context.ts";
import { deliver, insertPendingOrder, orderState } from "../../../../tests/support/webhooks.ts";
import { orderShippingAddresses } from "../../../orders/schema.ts";
import { readCheckoutSession } from "../readers/checkout-session.ts";
import type { StripeEventObject } from "../stripe-objects.ts";

/*
 * Completed Checkout Sessions with shipping address collection, written from Stripe's API reference
 * and changelog: up to 2025-02-24.acacia the address is the session's `shipping_details`; acacia adds
 * `collected_information.shipping_details` beside it; 2025-03-31.basil removes `shipping_details`.
 */
const T = 1_781_500_000;
const details = {
  address: {
    city: "Lyon",
    country: "FR",
    line1: "12 rue de la Paix",
    line2: null,
    postal_code: "69002",
    state: null,
  },
  name: "Camille Martin",
};
function session(
  id: string,
  orderId: number,
  version: "2024-06-20" | "2025-02-24.acacia" | "2025-03-31.basil",
) {
  const base = {
    id,
    object: "checkout.session",
    amount_total: 3000,
    created: T,
    currency: "usd",
    customer: null,
    livemode: false,
    metadata: { order_id: String(orderId) },
    mode: "payment",
    payment_intent: `pi_${id.slice(-8)}`,
    payment_status: "paid",
    shipping_address_collection: { allowed_countries: ["FR", "US"] },
    status: "complete",
    subscription: null,
  };
  if (version === "2024-06-20") return { ...base, shipping_details: details };
  if (version === "2025-02-24.acacia")
    return { ...base, shipping_details: details, collected_information: { shipping_details: details } };
  return { ...base, collected_information: { shipping_details: details }, discounts: [], permissions: null };
}

function completed(object: object, n: number): StripeEventObject {
  return {
    id: `evt_shipping_${n}`,
    object: "event",
    api_version: "2025-03-31.basil",
    created: T + 5,
    data: { object: object as never },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "checkout.session.completed",
  };
}

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

describe("shipping address from Stripe Checkout", () => {
  it.each(["2024-06-20", "2025-02-24.acacia", "2025-03-31.basil"] as const)(
    "reads it from a %s session",
    (v) => {
      expect(readCheckoutSession(session("cs_test_read", 1, v)).shipping).toEqual({
        name: "Camille Martin",
        line1: "12 rue de la Paix",
        line2: null,
        city: "Lyon",
        state: null,
        postalCode: "69002",
        country: "FR",
      });
    },
  );

  it("reads no address from a session that collected none", () => {
    const none = {
      ...session("cs_test_none", 1, "2025-03-31.basil"),
      collected_information: { shipping_details: null },
    };
    expect(readCheckoutSession(none).shipping).toBeNull();
  });

  it("keeps the address on the order when the session completes, once (a replay changes nothing)", async () => {
    const sessionId = "cs_test_shipping00000001";
    const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 3000, quantity: 1 }], {
      checkoutSessionId: sessionId,
    });
    await deliver(ctx, completed(session(sessionId, orderId, "2025-03-31.basil"), 1));
    expect((await orderState(ctx, orderId))?.status).toBe("paid");
    const rows = await ctx.db
      .select()
      .from(orderShippingAddresses)
      .where(eq(orderShippingAddresses.orderId, orderId));
    expect(rows).toEqual([
      expect.objectContaining({
        name: "Camille Martin",
        city: "Lyon",
        country: "FR",
        source: "stripe_checkout",
      }),
    ]);
    const moved = { ...details, address: { ...details.address, city: "Paris" } };
    const replay = {
      ...session(sessionId, orderId, "2025-03-31.basil"),
      collected_information: { shipping_details: moved },
    };
    await deliver(ctx, completed(replay, 2));
    const [after] = await ctx.db
      .select()
      .from(orderShippingAddresses)
      .where(eq(orderShippingAddresses.orderId, orderId));
    expect(after?.city).toBe("Lyon");
  });
});
