import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, signedInClient } from "../../../tests/support/http.ts";
import { insertPendingOrder, orderState } from "../../../tests/support/webhooks.ts";
import { orderShippingAddresses } from "../../orders/schema.ts";
import { charges } from "../../payments/schema.ts";
import type { createApp } from "../app.ts";

let ctx: TestContext;
let app: Awaited<ReturnType<typeof createApp>>["app"];

beforeAll(async () => {
  ({ ctx, app } = await createTestApp());
});
afterAll(() => ctx.destroy());

const ADDRESS = {
  name: "Ada Buyer",
  line1: "1 Harbour Road",
  city: "Dublin",
  postalCode: "D02 X285",
  country: "IE",
};

describe("offline checkout pay page and ops refunds", () => {
  it("pays through the simulator (signed webhooks), then ops refund part of it", async () => {
    const sessionId = "cs_test_a1PayPageTestSession000000000001";
    const { orderId, customerId } = await insertPendingOrder(ctx, [{ unitPrice: 2500, quantity: 2 }], {
      checkoutSessionId: sessionId,
    });
    const { client: buyer } = await signedInClient(app, ctx, "customer", customerId);
    const page = await buyer.get(`/checkout/offline/${sessionId}?success=/orders/${orderId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("$50.00");
    buyer.csrf = html.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? "";

    const paid = await buyer.postForm(`/checkout/offline/${sessionId}/pay`, {
      ...ADDRESS,
      next: "https://evil.example/x",
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe("/x"); // only the path of an absolute URL is followed
    expect((await orderState(ctx, orderId))?.status).toBe("paid");
    const [charge] = await ctx.db.select().from(charges).where(eq(charges.orderId, orderId));
    // Simulated fee: 2.9 % of 5000 = 145, + 30 = 175.
    expect(charge).toMatchObject({ amount: 5000, fee: 175, status: "succeeded" });

    const { client: ops } = await signedInClient(app, ctx, "ops");
    await ops.primeCsrf("/");
    const refunded = await ops.postForm(`/admin/orders/${orderId}/refunds`, {
      amount: "10.00",
      restock: "none",
    });
    expect(refunded.status).toBe(303);
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 1000 });
    const tooMuch = await ops.postForm(`/admin/orders/${orderId}/refunds`, { amount: "40.01" });
    expect(tooMuch.status).toBe(400);
  });

  it("another customer cannot see someone else's pay page", async () => {
    const sessionId = "cs_test_a1PayPageTestSession000000000002";
    await insertPendingOrder(ctx, [{ unitPrice: 1000, quantity: 1 }], { checkoutSessionId: sessionId });
    const other = await insertPendingOrder(ctx, [{ unitPrice: 1000, quantity: 1 }]);
    const { client } = await signedInClient(app, ctx, "customer", other.customerId);
    expect((await client.get(`/checkout/offline/${sessionId}`)).status).toBe(404);
  });
});

describe("offline checkout shipping address", () => {
  it("refuses a missing or unknown field by name and pays nothing; then keeps the address on the order", async () => {
    const sessionId = "cs_test_a1PayPageTestSession000000000003";
    const { orderId, customerId } = await insertPendingOrder(ctx, [{ unitPrice: 1200, quantity: 1 }], {
      checkoutSessionId: sessionId,
    });
    const { client: buyer } = await signedInClient(app, ctx, "customer", customerId);
    await buyer.primeCsrf(`/checkout/offline/${sessionId}`);
    const noCity = await buyer.postForm(`/checkout/offline/${sessionId}/pay`, { ...ADDRESS, city: " " });
    expect(noCity.status).toBe(400);
    const html = await noCity.text();
    expect(html).toMatch(/id="ship-city-error"[^>]*>enter the city/);
    expect(html).toContain('value="1 Harbour Road"');
    const moon = await buyer.postForm(`/checkout/offline/${sessionId}/pay`, { ...ADDRESS, country: "XX" });
    expect(await moon.text()).toMatch(/id="ship-country-error"[^>]*>choose a country we ship to/);
    expect((await orderState(ctx, orderId))?.status).toBe("pending");

    const paid = await buyer.postForm(`/checkout/offline/${sessionId}/pay`, { ...ADDRESS, next: "/orders" });
    expect(paid.status).toBe(303);
    const [address] = await ctx.db
      .select()
      .from(orderShippingAddresses)
      .where(eq(orderShippingAddresses.orderId, orderId));
    expect(address).toMatchObject({
      name: "Ada Buyer",
      line1: "1 Harbour Road",
      line2: null,
      city: "Dublin",
      postalCode: "D02 X285",
      country: "IE",
      source: "offline_checkout",
    });
  });
});
