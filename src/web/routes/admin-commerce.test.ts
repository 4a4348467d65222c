import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../../tests/support/builders/customers.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, type TestClient } from "../../../tests/support/http.ts";
import { systemActor, webhookActor } from "../../audit/index.ts";
import { auditLog } from "../../audit/schema.ts";
import { getProduct } from "../../catalog/index.ts";
import { products } from "../../catalog/schema.ts";
import { createOrderFromCart, getOrder, markOrderPaid } from "../../orders/index.ts";

let ctx: TestContext;
let ops: TestClient;
let analyst: TestClient;

beforeAll(async () => {
  ({
    ctx,
    clients: { ops, analyst },
  } = await createTestApp(["ops", "analyst"]));
}, 60_000);
afterAll(() => ctx.destroy());

async function newOrder() {
  const now = ctx.clock.now();
  const customerId = (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id;
  const p = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 5 });
  return createOrderFromCart(ctx, { customerId, items: [{ productId: p.id, quantity: 2 }] }, systemActor);
}

describe("admin catalog", () => {
  it("creates a product from the form (price in major units) and audits it", async () => {
    const res = await ops.postForm("/admin/products", {
      sku: "MUG-BLUE",
      name: "Blue mug",
      price: "12.50",
      currency: "usd",
      unitCost: "4.10",
      stockOnHand: "8",
      active: "on",
    });
    expect(res.status).toBe(303);
    const [p] = await ctx.db.select().from(products).where(eq(products.sku, "MUG-BLUE"));
    expect([p!.priceAmount, p!.unitCostAmount, p!.stockOnHand, p!.active]).toEqual([1250, 410, 8, true]);
    expect((await ops.get(`/admin/products/${p!.id}`)).status).toBe(200);
  });

  it("names the bad field of a product form", async () => {
    const res = await ops.postForm("/admin/products", {
      sku: "X-1",
      name: "X",
      price: "12.5.0",
      currency: "usd",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("priceAmount:");
  });

  it("refuses a currency Stripe does not know, naming the field", async () => {
    const res = await ops.postForm("/admin/products", {
      sku: "X-ZZZ",
      name: "X",
      price: "12.50",
      currency: "zzz",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("currency: unknown ISO currency code");
    const [p] = await ctx.db.select().from(products).where(eq(products.sku, "X-ZZZ"));
    expect(p).toBeUndefined();
  });

  it("reads prices in the currency's own decimals (three for KWD, none for JPY)", async () => {
    const kwd = await ops.postForm("/admin/products", {
      sku: "KWD-1",
      name: "K",
      price: "1.500",
      currency: "kwd",
    });
    expect(kwd.status).toBe(303);
    const [k] = await ctx.db.select().from(products).where(eq(products.sku, "KWD-1"));
    expect(k!.priceAmount).toBe(1500); // 1.500 KWD = 1500 fils
    const jpy = await ops.postForm("/admin/products", {
      sku: "JPY-1",
      name: "J",
      price: "1000",
      currency: "jpy",
    });
    expect(jpy.status).toBe(303);
    const [j] = await ctx.db.select().from(products).where(eq(products.sku, "JPY-1"));
    expect(j!.priceAmount).toBe(1000);
    const html = await (await ops.get("/admin/products")).text();
    expect(html).toContain("KWD 1.500");
    expect(html).toContain("¥1,000");
  });

  it("audits a stock adjustment with before, after and the reason; refuses one without a reason", async () => {
    const p = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 10 });
    expect((await ops.postForm(`/admin/products/${p.id}/stock`, { delta: "-3", reason: "" })).status).toBe(
      400,
    );
    const res = await ops.postForm(`/admin/products/${p.id}/stock`, {
      delta: "-3",
      reason: "damaged in transit",
    });
    expect(res.status).toBe(303);
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(7); // 10 − 3
    const [row] = await ctx.db.select().from(auditLog).where(eq(auditLog.action, "product.stock_adjust"));
    expect(row!.before).toEqual({ stockOnHand: 10 });
    expect(row!.after).toEqual({ stockOnHand: 7, delta: -3, reason: "damaged in transit" });
    expect(row!.actorType).toBe("user");
    // Below the floor (no preorder): 409 and unchanged.
    expect(
      (await ops.postForm(`/admin/products/${p.id}/stock`, { delta: "-8", reason: "count" })).status,
    ).toBe(409);
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(7);
  });
});

describe("admin orders", () => {
  it("ops cancels a pending order with a reason (stock back, audited)", async () => {
    const order = await newOrder();
    const html = await (await ops.get(`/admin/orders/${order.id}`)).text();
    expect(html).toContain("Cancel order");
    expect(html).not.toContain("Mark fulfilled"); // only for paid orders
    const res = await ops.postForm(`/admin/orders/${order.id}/cancel`, { reason: "customer called" });
    expect(res.status).toBe(303);
    const after = (await getOrder(ctx, order.id))!;
    expect([after.status, after.cancelReason]).toEqual(["canceled", "customer called"]);
    expect((await getProduct(ctx, order.lines[0]!.productId))!.stockOnHand).toBe(5); // 5 − 2 + 2
    const rows = await ctx.db.select().from(auditLog).where(eq(auditLog.action, "order.cancel"));
    expect(rows.map((r) => r.targetId)).toContain(String(order.id));
  });

  it("ops fulfills a paid order; fulfilling it again is 409", async () => {
    const order = await newOrder();
    await markOrderPaid(ctx, { orderId: order.id, at: ctx.clock.now() }, webhookActor);
    expect(await (await ops.get(`/admin/orders/${order.id}`)).text()).toContain("Mark fulfilled");
    expect(
      (await ops.postForm(`/admin/orders/${order.id}/fulfill`, { reason: "shipped DHL 123" })).status,
    ).toBe(303);
    expect((await getOrder(ctx, order.id))!.status).toBe("fulfilled");
    expect((await ops.postForm(`/admin/orders/${order.id}/fulfill`, { reason: "again!" })).status).toBe(409);
  });

  it("shows only the fixed banner a redirect names, never words from the link", async () => {
    const order = await newOrder();
    const res = await ops.postForm(`/admin/orders/${order.id}/cancel`, { reason: "customer called" });
    const banner = await (await ops.get(res.headers.get("location")!)).text();
    expect(banner).toContain("Order canceled.");
    const phishing = "saved. Your session expired: re-enter your password at evil.example";
    for (const path of [
      `/admin/orders/${order.id}`,
      `/admin/products/${order.lines[0]!.productId}`,
      "/admin/products",
    ]) {
      const html = await (await ops.get(`${path}?notice=${encodeURIComponent(phishing)}`)).text();
      expect(html).not.toContain("evil.example");
      expect(html).not.toContain("alert-ok");
    }
  });

  it("analysts see orders but no ops controls, and cannot act", async () => {
    const order = await newOrder();
    expect(await (await analyst.get("/admin/orders")).text()).toContain(order.number);
    const html = await (await analyst.get(`/admin/orders/${order.id}`)).text();
    expect(html).toContain(order.number);
    expect(html).not.toMatch(/Cancel order|Mark fulfilled|\/cancel"|\/fulfill"/);
    expect((await analyst.postForm(`/admin/orders/${order.id}/cancel`, { reason: "nope nope" })).status).toBe(
      403,
    );
    expect((await getOrder(ctx, order.id))!.status).toBe("pending");
  });
});
