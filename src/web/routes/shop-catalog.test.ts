import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../tests/support/builders/catalog.ts";
import type { TestContext } from "../../../tests/support/context.ts";
import { createTestApp, TestClient } from "../../../tests/support/http.ts";
import type { Product } from "../../catalog/index.ts";
import type { AppEnv } from "../request-context.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let visitor: TestClient;
let kettle: Product;

const names = (html: string) =>
  [...html.matchAll(/<h3 id="p-\d+"><a href="\/products\/\d+">([^<]+)</g)].map((m) => m[1]);

beforeAll(async () => {
  ({ ctx, app } = await createTestApp());
  kettle = await makeProduct(ctx.db, {
    name: "Gooseneck kettle",
    sku: "BRW-KETTLE",
    category: "Brewing",
    priceAmount: 4500,
    description: "Pours slowly",
  });
  await makeProduct(ctx.db, {
    name: "Filter papers",
    category: "Brewing",
    priceAmount: 599,
    description: "Pack of 100",
  });
  await makeProduct(ctx.db, {
    name: "House blend",
    category: "Coffee",
    priceAmount: 1450,
    description: "Chocolate notes, slow roast",
  });
  await makeProduct(ctx.db, {
    name: "Hidden retired mug",
    category: "Mugs",
    priceAmount: 900,
    active: false,
  });
  // 30 mugs so the mug category spans two pages of 24.
  for (let i = 1; i <= 30; i++)
    await makeProduct(ctx.db, {
      name: `Mug ${String(i).padStart(2, "0")}`,
      category: "Mugs",
      priceAmount: 1000 + i,
    });
  visitor = new TestClient(app);
}, 60_000);
afterAll(() => ctx.destroy());

describe("storefront catalogue", () => {
  it("searches name, SKU and description, case-insensitively", async () => {
    expect(names(await (await visitor.get("/?q=KETTLE")).text())).toEqual(["Gooseneck kettle"]);
    expect(names(await (await visitor.get("/?q=brw-ket")).text())).toEqual(["Gooseneck kettle"]);
    expect(names(await (await visitor.get("/?q=slow")).text())).toEqual(["Gooseneck kettle", "House blend"]);
    // LIKE wildcards are text, not patterns.
    expect(names(await (await visitor.get("/?q=%25")).text())).toEqual([]);
  });

  it("filters by category and by a price range in currency units (inclusive)", async () => {
    expect(names(await (await visitor.get("/?category=Brewing")).text())).toEqual([
      "Filter papers",
      "Gooseneck kettle",
    ]);
    expect(names(await (await visitor.get("/?min=11&max=45")).text())).toEqual([
      "Gooseneck kettle",
      "House blend",
    ]);
    expect(names(await (await visitor.get("/?max=5.99")).text())).toEqual(["Filter papers"]);
    expect(names(await (await visitor.get("/?category=Brewing&max=5.98")).text())).toEqual([]);
    expect(names(await (await visitor.get("/?category=Mugs&min=10.29")).text())).toEqual([
      "Mug 29",
      "Mug 30",
    ]);
  });

  it("pages through a category in a stable order, keeping the filters in the links", async () => {
    const first = await (await visitor.get("/?category=Mugs")).text();
    expect(names(first)).toHaveLength(24);
    expect(names(first)[0]).toBe("Mug 01");
    expect(first).toContain("1–24 of 30");
    expect(first).toContain('href="/?category=Mugs&amp;page=2"');
    const second = await (await visitor.get("/?category=Mugs&page=2")).text();
    expect(names(second)).toEqual(["Mug 25", "Mug 26", "Mug 27", "Mug 28", "Mug 29", "Mug 30"]);
    expect(second).not.toContain("Hidden retired mug");
  });

  it("refuses a bad filter with a 400 naming the field, keeping what was typed", async () => {
    const bad = await visitor.get("/?min=abc");
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('id="min-error"');
    expect(html).toContain("must be an amount in currency units");
    expect(html).toContain('value="abc"');
    const crossed = await (await visitor.get("/?min=20&max=10")).text();
    expect(crossed).toMatch(/id="max-error"[^>]*>must not be below the minimum price/);
    expect((await visitor.get("/?page=0")).status).toBe(400);
    expect(await (await visitor.get("/?page=x")).text()).toContain('id="page-error"');
  });

  it("shows logged-out visitors prices and a sign-in prompt that returns to the product, no buy button", async () => {
    const html = await (await visitor.get(`/products/${kettle.id}`)).text();
    expect(html).toContain("$45.00");
    expect(html).toContain(`href="/login?next=%2Fproducts%2F${kettle.id}"`);
    expect(html).toContain("Sign in to buy");
    expect(html).not.toContain('action="/cart/add"');
  });

  it("serves a generated picture with its content type and cache headers, the same every time", async () => {
    const res = await visitor.get(`/products/${kettle.id}/image`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=86400");
    const svg = await res.text();
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain(">GK<");
    const again = await visitor.get(`/products/${kettle.id}/image`, {
      "if-none-match": res.headers.get("etag")!,
    });
    expect(again.status).toBe(304);
  });
});
