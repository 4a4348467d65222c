import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCustomer, makeProduct } from "../../tests/support/builders/shop.ts";
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
    const customerId = await makeCustomer(ctx.db, ctx.clock.now());
    const p = await makeProduct(ctx.db, ctx.clock.now(), { stockOnHand: 1000 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        addToCart(ctx.db, customerId, { productId: p.id, quantity: 60 }, ctx.clock.now()),
      ),
    );
    const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    // 60 + 60 > 100: only the first add fits.
    expect(results.length - failed.length).toBe(1);
    expect(new Set(failed.map((f) => `${f.reason.code} ${f.reason.details?.field}`))).toEqual(
      new Set(["validation.invalid quantity"]),
    );
    const cart = await getCart(ctx.db, customerId);
    expect(cart.map((l) => l.quantity)).toEqual([60]);
  }, 60_000);

  it("adds up to the cap exactly, and refuses one unit more", async () => {
    const customerId = await makeCustomer(ctx.db, ctx.clock.now());
    const p = await makeProduct(ctx.db, ctx.clock.now());
    await Promise.all(
      [40, 35, 25].map((quantity) =>
        addToCart(ctx.db, customerId, { productId: p.id, quantity }, ctx.clock.now()),
      ),
    );
    expect((await getCart(ctx.db, customerId)).map((l) => l.quantity)).toEqual([MAX_LINE_QUANTITY]);
    await expect(
      addToCart(ctx.db, customerId, { productId: p.id, quantity: 1 }, ctx.clock.now()),
    ).rejects.toMatchObject({ code: "validation.invalid", details: { field: "quantity" } });
    expect((await getCart(ctx.db, customerId)).map((l) => l.quantity)).toEqual([100]);
  }, 60_000);
});
