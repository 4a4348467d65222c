import { count } from "drizzle-orm";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../../tests/support/builders/customers.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, signedInClient, type TestClient } from "../../../tests/support/http.ts";
import { systemActor } from "../../audit/index.ts";
import { getProduct, type Product } from "../../catalog/index.ts";
import { createOrderFromCart, getCart } from "../../orders/index.ts";
import { orders, wishlistEvents } from "../../orders/schema.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let alice: TestClient;
let aliceId: number;
let bobId: number;
let mug: Product;
let tee: Product;

beforeAll(async () => {
  ({ ctx, app } = await createTestApp());
  const now = ctx.clock.now();
  aliceId = (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id;
  bobId = (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id;
  mug = await makeProduct(ctx.db, { name: "Enamel mug", priceAmount: 1250, stockOnHand: 3 });
  tee = await makeProduct(ctx.db, {
    priceAmount: 1000,
    name: "Field tee",
    stockOnHand: 0,
    allowPreorder: true,
    preorderLimit: 4,
  });
  ({ client: alice } = await signedInClient(app, ctx, "customer", aliceId));
}, 60_000);
afterAll(() => ctx.destroy());

const orderCount = async () => Number((await ctx.db.select({ n: count() }).from(orders))[0]!.n);

describe("storefront pages", () => {
  it("lists products with prices and stock/preorder badges", async () => {
    const html = await (await alice.get("/")).text();
    expect(html).toContain("Enamel mug");
    expect(html).toContain("$12.50");
    expect(html).toContain("Only 3 left");
    expect(html).toMatch(/badge preorder/);
    expect(html).toContain('action="/cart/add"');
    expect(html).not.toMatch(/admin\/orders|Fulfill/);
  });

  it("shows a product page; an unknown one is 404", async () => {
    expect((await alice.get(`/products/${mug.id}`)).status).toBe(200);
    expect((await alice.get("/products/999999")).status).toBe(404);
    expect((await alice.get("/products/abc")).status).toBe(404);
  });
});

describe("cart and checkout over HTTP", () => {
  it.each([
    ["negative quantity", "quantity", { quantity: "-1" }],
    ["huge quantity", "quantity", { quantity: "100000" }],
    ["text quantity", "quantity", { quantity: "lots" }],
    ["unknown product", "productId", { productId: "424242" }],
  ])("cart add with %s → 400 naming %s", async (_n, field, override) => {
    const res = await alice.postForm("/cart/add", { productId: String(mug.id), quantity: "1", ...override });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(`${field}:`);
    expect(await getCart(ctx, aliceId)).toEqual([]);
  });

  it.each([
    ["negative quantity", "items.0.quantity", [{ productId: 0, quantity: -2 }]],
    ["wrong type", "items.0.quantity", [{ productId: 0, quantity: "2" }]],
    ["huge quantity", "items.0.quantity", [{ productId: 0, quantity: 1e9 }]],
    ["unknown product", "items.0.productId", [{ productId: 987654, quantity: 1 }]],
  ])("JSON checkout with %s → 400 naming %s, no order, no stock change", async (_n, field, items) => {
    const before = await orderCount();
    const body = { items: items.map((i) => ({ ...i, productId: i.productId || mug.id })) };
    const res = await alice.postJson("/checkout", body, { accept: "application/json" });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { details: { field: string } } };
    expect(json.error.details.field).toBe(field);
    expect(await orderCount()).toBe(before);
    expect((await getProduct(ctx, mug.id))!.stockOnHand).toBe(3);
  });

  it("adds to cart, checks out, redirects to the payment page and shows the order", async () => {
    expect((await alice.postForm("/cart/add", { productId: String(mug.id), quantity: "2" })).status).toBe(
      303,
    );
    expect(await (await alice.get("/cart")).text()).toContain("$25.00"); // 2 × 12.50
    const res = await alice.postForm("/checkout", {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^\/checkout\/offline\/cs_test_/);
    expect((await getProduct(ctx, mug.id))!.stockOnHand).toBe(1); // 3 − 2
    const list = await (await alice.get("/orders")).text();
    const number = list.match(/RI-\d{6}/)![0];
    const page = await alice.get(`/orders/${number}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("pending");
    expect(html).toContain("Complete payment");
    const again = await alice.postForm(`/orders/${number}/pay`, {});
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toMatch(/^\/checkout\/offline\/cs_test_/);
    expect(html).not.toMatch(/Fulfill|Cancel order|admin\/orders/); // no ops controls for customers
  });

  it("JSON cart add keeps types: a number is accepted, a string quantity is a 400", async () => {
    const ok = await alice.postJson("/cart/add", { productId: tee.id, quantity: 1 });
    expect(ok.status).toBe(303);
    const bad = await alice.postJson(
      "/cart/add",
      { productId: tee.id, quantity: "1" },
      { accept: "application/json" },
    );
    expect(bad.status).toBe(400);
    await alice.postForm("/cart/remove", { productId: String(tee.id) });
    expect(await getCart(ctx, aliceId)).toEqual([]);
  });

  it("another customer's order number is 404", async () => {
    const bobs = await createOrderFromCart(
      ctx,
      { customerId: bobId, items: [{ productId: tee.id, quantity: 1 }] },
      systemActor,
    );
    expect((await alice.get(`/orders/${bobs.number}`)).status).toBe(404);
    expect((await alice.postForm(`/orders/${bobs.number}/pay`, {})).status).toBe(404);
    expect(await (await alice.get("/orders")).text()).not.toContain(bobs.number);
  });

  it("customers cannot open the ops pages", async () => {
    expect((await alice.get("/admin/orders")).status).toBe(403);
    expect((await alice.postForm("/admin/orders/1/fulfill", { reason: "nope nope" })).status).toBe(403);
  });
});

describe("wishlist over HTTP", () => {
  it("add, move to cart, remove — each counted for analytics", async () => {
    await alice.postForm("/wishlist/add", { productId: String(tee.id) });
    await alice.postForm("/wishlist/add", { productId: String(mug.id) });
    const html = await (await alice.get("/wishlist")).text();
    expect(html).toContain("Field tee");
    expect(html).toContain("Enamel mug");
    expect(
      (await alice.postForm("/wishlist/move-to-cart", { productId: String(tee.id) })).headers.get("location"),
    ).toBe("/cart");
    expect((await getCart(ctx, aliceId)).map((l) => [l.product.id, l.quantity])).toEqual([[tee.id, 1]]);
    await alice.postForm("/wishlist/remove", { productId: String(mug.id) });
    expect(await (await alice.get("/wishlist")).text()).toContain("Nothing saved yet");
    const kinds = (await ctx.db.select().from(wishlistEvents)).map((e) => `${e.kind}:${e.productId}`);
    expect(kinds).toEqual([
      `added:${tee.id}`,
      `added:${mug.id}`,
      `moved_to_cart:${tee.id}`,
      `removed:${mug.id}`,
    ]);
    expect((await alice.postForm("/wishlist/add", { productId: "x" })).status).toBe(400);
  });
});
