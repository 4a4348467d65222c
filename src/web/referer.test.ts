import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { signedInClient, type TestClient } from "../../tests/support/http.ts";
import { createApp } from "./app.ts";
import { sameOriginPath } from "./referer.ts";
import type { AppEnv } from "./request-context.ts";

const BASE = "http://127.0.0.1:3811";

describe("sameOriginPath", () => {
  it.each([
    [`${BASE}/products/7`, "/products/7"],
    [`${BASE}/?q=mug#top`, "/?q=mug#top"],
    [`${BASE}`, "/"],
    [`${BASE}//evil.example/x`, "/evil.example/x"],
    [`${BASE}/\\evil.example/x`, "/evil.example/x"],
    ["http://127.0.0.1:3811.evil.example/products/7", undefined],
    ["http://127.0.0.1:3811@evil.example/products/7", undefined],
    ["https://127.0.0.1:3811/products/7", undefined],
    ["http://127.0.0.1:38110/products/7", undefined],
    ["http://127.0.0.1/products/7", undefined],
    ["//evil.example/x", undefined],
    ["/products/7", undefined],
    ["javascript:alert(1)", undefined],
    ["not a url", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("%s → %s", (referer, expected) => {
    expect(sameOriginPath(referer, BASE)).toBe(expected);
  });

  it("compares origins, so a default port and letter case do not matter", () => {
    expect(sameOriginPath("HTTPS://Shop.Example.com:443/cart", "https://shop.example.com")).toBe("/cart");
  });
});

describe("wishlist buttons go back to the page they were pressed on", () => {
  let ctx: TestContext;
  let app: Hono<AppEnv>;
  let buyer: TestClient;
  let productId: number;

  beforeAll(async () => {
    ctx = await createTestContext({ env: { BASE_URL: BASE } });
    ({ app } = createApp(ctx));
    const now = ctx.clock.now();
    productId = (await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 10 })).id;
    ({ client: buyer } = await signedInClient(
      app,
      ctx,
      "customer",
      (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id,
    ));
    await buyer.primeCsrf("/");
  }, 60_000);
  afterAll(() => ctx.destroy());

  async function addFrom(referer: string): Promise<string | null> {
    const res = await buyer.request("/wishlist/add", {
      method: "POST",
      body: new URLSearchParams({ _csrf: buyer.csrf, productId: String(productId) }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", referer },
    });
    expect(res.status).toBe(303);
    return res.headers.get("location");
  }

  it("follows a Referer on this site's origin, as a path", async () => {
    expect(await addFrom(`${BASE}/products/${productId}?from=grid`)).toBe(`/products/${productId}?from=grid`);
  });

  it("never follows a Referer on a host that only starts with the base URL", async () => {
    expect(await addFrom("http://127.0.0.1:3811.evil.example/phish")).toBe("/wishlist");
    expect(await addFrom("http://127.0.0.1:3811@evil.example/phish")).toBe("/wishlist");
  });
});
