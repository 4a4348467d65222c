import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { addToCart, getCart, MAX_LINE_QUANTITY } from "./cart.ts";

// On Postgres (TEST_DATABASE_URL) the adds run truly in parallel over a 25-connection pool; on
// PGlite their statements interleave on one connection, which raced the old read-then-write too.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ poolSize: 25 });
  // Open the pool's connections first, so the adds below start together instead of one per new connection.
  await Promise.all(Array.from({ length: 25 }, () => ctx.db.execute(sql`SELECT pg_sleep(0.05)`)));
});
afterAll(() => ctx.destroy());

describe("the cart's per-line cap under concurrent adds", () => {
  it("20 concurrent adds of 60 leave one line of 60; the other 19 are refused naming quantity", async () => {
    const customerId = (await makeCustomer(ctx.db, { createdAt: ctx.clock.now(), stripeCustomerId: null }))
      .id;
    const p = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 1000 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => addToCart(ctx, customerId, { productId: p.id, quantity: 60 })),
    );
    const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    // 60 + 60 > 100: only the first add fits.
    expect(results.length - failed.length).toBe(1);
    expect(new Set(failed.map((f) => `${f.reason.code} ${f.reason.details?.field}`))).toEqual(
      new Set(["validation.invalid quantity"]),
    );
    const cart = await getCart(ctx, customerId);
    expect(cart.map((l) => l.quantity)).toEqual([60]);
  }, 60_000);

  it("adds up to the cap exactly, and refuses one unit more", async () => {
    const customerId = (await makeCustomer(ctx.db, { createdAt: ctx.clock.now(), stripeCustomerId: null }))
      .id;
    const p = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 10 });
    await Promise.all(
      [40, 35, 25].map((quantity) => addToCart(ctx, customerId, { productId: p.id, quantity })),
    );
    expect((await getCart(ctx, customerId)).map((l) => l.quantity)).toEqual([MAX_LINE_QUANTITY]);
    await expect(addToCart(ctx, customerId, { productId: p.id, quantity: 1 })).rejects.toMatchObject({
      code: "validation.invalid",
      details: { field: "quantity" },
    });
    expect((await getCart(ctx, customerId)).map((l) => l.quantity)).toEqual([100]);
  }, 60_000);
});
