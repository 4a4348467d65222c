import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { makeOrder } from "../../tests/support/builders/orders.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { cliActor, systemActor } from "../audit/index.ts";
import { updateProduct } from "../catalog/index.ts";
import { fixedClock } from "../shared/clock.ts";
import { createOrderFromCart } from "./checkout.ts";
import { markOrderPaid } from "./payment-hooks.ts";
import { addToWishlist, moveWishlistItemToCart, removeFromWishlist } from "./wishlist.ts";
import { getWishlistDemand } from "./wishlist-demand.ts";

let ctx: TestContext;
const ids: Record<"kettle" | "mug" | "tea" | "book" | "poster", number> = {
  kettle: 0,
  mug: 0,
  tea: 0,
  book: 0,
  poster: 0,
};
const MARCH = { from: "2026-03-01", to: "2026-03-31", timezone: "UTC" };
const at = (iso: string) => new Date(iso);

/**
 * Four customers and five products; the period under test is March 2026.
 *   before March: c1 and c2 wish for the mug, c3 for the tea, c1 for the poster
 *   in March:     c1, c2, c3 wish for the kettle; c4 wishes for the mug, c1 drops it, c2 moves it to
 *                 the cart and pays (one wished-for purchase); c3 drops the tea; c4 wishes for the book
 *   after March:  c4 wishes for the tea, c1 drops the kettle; the poster is taken off sale
 * Units sold: the mug's own order (1), a mug order paid 2026-03-31 23:30 UTC (2), and outside March
 * or in live mode: mug 4 on 2026-04-01 00:00 UTC, mug 5 in live mode, kettle 2 in February.
 */
beforeAll(async () => {
  ctx = await createTestContext();
  const now = ctx.clock.now();
  const [c1, c2, c3, c4] = [
    (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id,
    (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id,
    (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id,
    (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id,
  ] as [number, number, number, number];
  ids.kettle = (await makeProduct(ctx.db, { priceAmount: 1000, name: "Kettle", stockOnHand: 0 })).id;
  ids.mug = (await makeProduct(ctx.db, { priceAmount: 1000, name: "Mug", stockOnHand: 10 })).id;
  ids.tea = (await makeProduct(ctx.db, { priceAmount: 1000, name: "Tea", stockOnHand: 3 })).id;
  ids.book = (
    await makeProduct(ctx.db, {
      priceAmount: 1000,
      name: "Book",
      stockOnHand: 0,
      allowPreorder: true,
      preorderLimit: 5,
    })
  ).id;
  ids.poster = (await makeProduct(ctx.db, { priceAmount: 1000, name: "Poster", stockOnHand: 2 })).id;
  await makeProduct(ctx.db, { priceAmount: 1000, name: "Lamp", stockOnHand: 5 }); // nobody wants it: not listed

  const add = (c: number, p: number, when: string) =>
    addToWishlist({ ...ctx, clock: fixedClock(at(when)) }, c, { productId: p });
  const drop = (c: number, p: number, when: string) =>
    removeFromWishlist({ ...ctx, clock: fixedClock(at(when)) }, c, { productId: p });

  await add(c1, ids.mug, "2026-02-20T10:00:00Z");
  await add(c2, ids.mug, "2026-02-20T11:00:00Z");
  await add(c3, ids.tea, "2026-02-20T12:00:00Z");
  await add(c1, ids.poster, "2026-02-25T12:00:00Z");

  for (const c of [c1, c2, c3]) await add(c, ids.kettle, "2026-03-02T09:00:00Z");
  await add(c4, ids.mug, "2026-03-03T09:00:00Z");
  await add(c4, ids.mug, "2026-03-04T09:00:00Z"); // already there: no second "added" event
  await drop(c1, ids.mug, "2026-03-03T10:00:00Z");
  await moveWishlistItemToCart({ ...ctx, clock: fixedClock(at("2026-03-05T10:00:00Z")) }, c2, {
    productId: ids.mug,
  });
  const order = await createOrderFromCart(
    { ...ctx, clock: fixedClock("2026-03-05T10:05:00Z") },
    { customerId: c2 },
    systemActor,
  );
  await markOrderPaid(ctx, { orderId: order.id, at: at("2026-03-05T10:06:00Z") }, systemActor);
  await drop(c3, ids.tea, "2026-03-10T09:00:00Z");
  await add(c4, ids.book, "2026-03-12T09:00:00Z");

  await add(c4, ids.tea, "2026-04-02T09:00:00Z");
  await drop(c1, ids.kettle, "2026-04-02T10:00:00Z");
  await updateProduct(
    { ...ctx, clock: fixedClock(at("2026-04-03T09:00:00Z")) },
    ids.poster,
    { name: "Poster", priceAmount: 1000, currency: "usd", active: false },
    cliActor,
  );

  const line = (productId: number, quantity: number) => [{ productId, quantity, unitPrice: 1000 }];
  await makeOrder(ctx.db, { customerId: c3, paidAt: "2026-03-31T23:30:00Z", lines: line(ids.mug, 2) });
  await makeOrder(ctx.db, { customerId: c3, paidAt: "2026-04-01T00:00:00Z", lines: line(ids.mug, 4) });
  await makeOrder(ctx.db, {
    customerId: c3,
    paidAt: "2026-03-15T12:00:00Z",
    livemode: true,
    lines: line(ids.mug, 5),
  });
  await makeOrder(ctx.db, { customerId: c1, paidAt: "2026-02-10T12:00:00Z", lines: line(ids.kettle, 2) });
});
afterAll(() => ctx.destroy());

describe("getWishlistDemand", () => {
  it("counts who wants each product now and how that moved in the period, most wanted first", async () => {
    const result = await getWishlistDemand(ctx, MARCH);
    expect(result.total).toBe(5);
    const rows = result.products.map((p) => [
      p.name,
      p.wishlisters,
      p.added,
      p.removed,
      p.movedToCart,
      p.converted,
      p.netChange,
      p.unitsSold,
    ]);
    // Kettle 2 now (c2, c3) first. Then 1 each, by net change: book +1, poster 0 (no March activity),
    // mug −1 (1 added − 1 removed − 1 moved) with 1 add, tea −1 (1 removed) with none.
    expect(rows).toEqual([
      ["Kettle", 2, 3, 0, 0, 0, 3, 0],
      ["Book", 1, 1, 0, 0, 0, 1, 0],
      ["Poster", 1, 0, 0, 0, 0, 0, 0],
      ["Mug", 1, 1, 1, 1, 1, -1, 3],
      ["Tea", 1, 0, 1, 0, 0, -1, 0],
    ]);
  });

  it("gives each product's stock position and flags products wanted that nobody can buy", async () => {
    const { products } = await getWishlistDemand(ctx, MARCH);
    const byName = new Map(products.map((p) => [p.name, p]));
    expect(byName.get("Kettle")).toMatchObject({
      stock: "out_of_stock",
      stockOnHand: 0,
      available: 0,
      wantedButUnavailable: true,
    });
    expect(byName.get("Poster")).toMatchObject({
      stock: null,
      stockOnHand: 2,
      available: null,
      wantedButUnavailable: true,
    });
    // 10 on hand − 1 for c2's order.
    expect(byName.get("Mug")).toMatchObject({ stock: "in_stock", stockOnHand: 9, available: 9 });
    expect(byName.get("Tea")).toMatchObject({
      stock: "low_stock",
      available: 3,
      wantedButUnavailable: false,
    });
    expect(byName.get("Book")).toMatchObject({
      stock: "preorder",
      available: 5,
      wantedButUnavailable: false,
    });
  });

  it("cuts the period in the reporting time zone", async () => {
    // March in New York is 2026-03-01 05:00 UTC .. 2026-04-01 04:00 UTC: the mug order paid at
    // 2026-04-01 00:00 UTC now falls inside (1 + 2 + 4 units); everything else is unchanged.
    const { products } = await getWishlistDemand(ctx, { ...MARCH, timezone: "America/New_York" });
    expect(products.find((p) => p.name === "Mug")!.unitsSold).toBe(7);
    expect(products.map((p) => p.name)).toEqual(["Kettle", "Book", "Poster", "Mug", "Tea"]);
  });

  it("keeps the first `limit` products and reports how many have demand", async () => {
    const result = await getWishlistDemand(ctx, { ...MARCH, limit: 2 });
    expect(result.products.map((p) => p.name)).toEqual(["Kettle", "Book"]);
    expect(result.total).toBe(5);
  });

  it("lists products dropped from every wishlist in the period, with no wishlisters now", async () => {
    // February: c1, c2 add the mug, c3 the tea, c1 the poster; nothing is removed. Tea and poster
    // tie on everything but the product id.
    const feb = await getWishlistDemand(ctx, { from: "2026-02-01", to: "2026-02-28" });
    expect(feb.products.map((p) => [p.name, p.wishlisters, p.added, p.netChange, p.unitsSold])).toEqual([
      ["Kettle", 2, 0, 0, 2],
      ["Mug", 1, 2, 2, 0],
      ["Tea", 1, 1, 1, 0],
      ["Poster", 1, 1, 1, 0],
      ["Book", 1, 0, 0, 0],
    ]);
    // April: c1 drops the kettle and c4 adds the tea.
    const april = await getWishlistDemand(ctx, { from: "2026-04-01", to: "2026-04-30" });
    expect(april.products.map((p) => [p.name, p.added, p.removed, p.netChange, p.unitsSold])).toEqual([
      ["Kettle", 0, 1, -1, 0],
      ["Tea", 1, 0, 1, 0],
      ["Mug", 0, 0, 0, 4],
      ["Book", 0, 0, 0, 0],
      ["Poster", 0, 0, 0, 0],
    ]);
  });

  it("is empty when nobody has wished for anything", async () => {
    const empty = await createTestContext();
    try {
      expect(await getWishlistDemand(empty, MARCH)).toEqual({ products: [], total: 0 });
    } finally {
      await empty.destroy();
    }
  });

  it.each([
    [{ ...MARCH, from: "2026-02-30" }, "from"],
    [{ ...MARCH, from: "2026-04-01" }, "from"],
    [{ ...MARCH, to: 20260331 }, "to"],
    [{ ...MARCH, timezone: "Mars/Olympus" }, "timezone"],
    [{ ...MARCH, limit: 0 }, "limit"],
    [{ ...MARCH, limit: 2.5 }, "limit"],
  ])("rejects bad input naming the field (%o → %s)", async (input, field) => {
    await expect(getWishlistDemand(ctx, input)).rejects.toMatchObject({ field });
  });
});
