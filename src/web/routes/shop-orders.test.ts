import { and, eq } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../../tests/support/builders/customers.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, signedInClient, type TestClient } from "../../../tests/support/http.ts";
import { auditLog, orders } from "../../db/schema.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let buyer: TestClient;
let ops: TestClient;
let number: string;

const ADDRESS = {
  name: "Ada Buyer",
  line1: "1 Harbour Road",
  city: "Dublin",
  postalCode: "D02 X285",
  country: "IE",
};

beforeAll(async () => {
  ({ ctx, app } = await createTestApp());
  const customer = await makeCustomer(ctx.db, { createdAt: ctx.clock.now(), stripeCustomerId: null });
  const kettle = await makeProduct(ctx.db, { name: "Gooseneck kettle", priceAmount: 4500 });
  ({ client: buyer } = await signedInClient(app, ctx, "customer", customer.id));
  ({ client: ops } = await signedInClient(app, ctx, "ops"));
  await buyer.postForm("/cart/add", { productId: String(kettle.id), quantity: "2" });
  const checkout = await buyer.postForm("/checkout", {});
  const payPage = checkout.headers.get("location")!;
  expect(payPage).toMatch(/^\/checkout\/offline\/cs_test_/);
  const success = new URL(payPage, "http://x").searchParams.get("success")!;
  number = success.match(/\/orders\/(RI-\w+)\/thank-you$/)![1]!;
  const sessionPath = payPage.split("?")[0]!;
  await buyer.primeCsrf(payPage);
  const paid = await buyer.postForm(`${sessionPath}/pay`, { ...ADDRESS, next: success });
  expect(paid.headers.get("location")).toBe(`/orders/${number}/thank-you`);
  await ops.primeCsrf("/");
}, 60_000);
afterAll(() => ctx.destroy());

describe("after checkout", () => {
  it("thanks the buyer with the order summary and where it ships", async () => {
    const html = await (await buyer.get(`/orders/${number}/thank-you`)).text();
    expect(html).toContain("Thank you for your order!");
    expect(html).toContain("Your payment is confirmed.");
    expect(html).toContain("Gooseneck kettle");
    expect(html).toContain("$90.00");
    expect(html).toContain("1 Harbour Road");
    expect(html).toContain("Ireland");
  });

  it("is the buyer's page only", async () => {
    const other = await makeCustomer(ctx.db, { createdAt: ctx.clock.now(), stripeCustomerId: null });
    const { client: stranger } = await signedInClient(app, ctx, "customer", other.id);
    expect((await stranger.get(`/orders/${number}/thank-you`)).status).toBe(404);
  });

  it("refuses a carrier without a tracking number, naming the field, and fulfils nothing", async () => {
    const res = await ops.postForm(`/admin/orders/${number}/fulfill`, { reason: "packed", carrier: "UPS" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(
      "trackingNumber: enter both the carrier and the tracking number, or neither",
    );
    const [order] = await ctx.db.select().from(orders).where(eq(orders.number, number));
    expect(order?.status).toBe("paid");
  });

  it("shows ops the address; ops fulfil with tracking (audited); the customer sees carrier and number", async () => {
    const opsPage = await (await ops.get(`/admin/orders/${number}`)).text();
    expect(opsPage).toContain("1 Harbour Road");
    expect(opsPage).toContain('name="trackingNumber"');
    const res = await ops.postForm(`/admin/orders/${number}/fulfill`, {
      reason: "packed and shipped",
      carrier: "UPS",
      trackingNumber: "1z999aa10123456784",
    });
    expect(res.status).toBe(303);
    const [order] = await ctx.db.select().from(orders).where(eq(orders.number, number));
    expect(order?.status).toBe("fulfilled");
    const [entry] = await ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "order.shipment"), eq(auditLog.targetId, String(order!.id))));
    expect(entry?.after).toMatchObject({ carrier: "UPS", trackingNumber: "1Z999AA10123456784" });
    const mine = await (await buyer.get(`/orders/${number}`)).text();
    expect(mine).toContain("Shipped");
    expect(mine).toContain("UPS");
    expect(mine).toContain("1Z999AA10123456784");
  });

  it("lists the order's refunds on the customer's order page", async () => {
    const refunded = await ops.postForm(`/admin/orders/${number}/refunds`, {
      amount: "5.00",
      restock: "none",
    });
    expect(refunded.status).toBe(303);
    const mine = await (await buyer.get(`/orders/${number}`)).text();
    expect(mine).toMatch(/<strong class="num">\$5\.00<\/strong> · Refunded/);
  });
});
