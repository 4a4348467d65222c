import { countDistinct, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { cliActor, systemActor } from "../audit/index.ts";
import { getProduct } from "../catalog/index.ts";
import { stockMovements } from "../catalog/schema.ts";
import { cancelOrder } from "./actions.ts";
import { addToCart, getCart } from "./cart.ts";
import { createOrderFromCart } from "./checkout.ts";
import { orderEvents, orderLines } from "./schema.ts";

// On Postgres (TEST_DATABASE_URL) these run truly in parallel over a 25-connection pool; on PGlite
// the engine serialises them, which still proves the reservation logic.
let ctx: TestContext;
let customers: number[];
beforeAll(async () => {
  ctx = await createTestContext({ poolSize: 25 });
  customers = [];
  for (let i = 0; i < 100; i++)
    customers.push((await makeCustomer(ctx.db, { createdAt: ctx.clock.now(), stripeCustomerId: null })).id);
}, 120_000);
afterAll(() => ctx.destroy());

async function storm(productId: number) {
  const results = await Promise.allSettled(
    customers.map((customerId) =>
      createOrderFromCart(ctx, { customerId, items: [{ productId, quantity: 1 }] }, systemActor),
    ),
  );
  const ok = results.filter((r) => r.status === "fulfilled");
  const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
  // Orders in the database holding this product: the committed outcome, not just the promises.
  const [n] = await ctx.db
    .select({ n: countDistinct(orderLines.orderId) })
    .from(orderLines)
    .where(eq(orderLines.productId, productId));
  return { ok: ok.length, codes: new Set(failed.map((f) => f.reason.code)), stored: Number(n!.n) };
}

describe("one cart, checked out from several tabs at once", () => {
  it("makes one order; the other tabs find the cart empty and reserve nothing", async () => {
    const p = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 10 });
    const customerId = customers[0]!;
    await addToCart(ctx, customerId, { productId: p.id, quantity: 3 });
    const tabs = await Promise.allSettled(
      [1, 2, 3, 4].map(() => createOrderFromCart(ctx, { customerId }, systemActor)),
    );
    const ok = tabs.filter((t) => t.status === "fulfilled");
    const failed = tabs.filter((t) => t.status === "rejected") as PromiseRejectedResult[];
    expect(ok).toHaveLength(1);
    expect(failed.map((f) => String(f.reason.message))).toEqual(Array(3).fill("items: the cart is empty"));
    const [n] = await ctx.db
      .select({ n: countDistinct(orderLines.orderId) })
      .from(orderLines)
      .where(eq(orderLines.productId, p.id));
    expect(Number(n!.n)).toBe(1);
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(7); // 3 reserved once
    expect(await getCart(ctx, customerId)).toEqual([]);
  }, 60_000);
});

describe("oversell-proof stock under concurrent checkouts", () => {
  it("100 buyers of a stock of 10 → exactly 10 orders and stock 0", async () => {
    const p = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 10 });
    const r = await storm(p.id);
    expect(r.ok).toBe(10);
    expect(r.stored).toBe(10);
    expect([...r.codes]).toEqual(["stock.insufficient"]); // the other 90 failed cleanly
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(0);
    const lines = await ctx.db.select().from(stockMovements).where(eq(stockMovements.productId, p.id));
    expect(lines.filter((m) => m.reason === "reserve")).toHaveLength(10);
  }, 120_000);

  it("with preorder allowed and limit 5 → exactly 15 orders, stock −5, 5 preorder lines", async () => {
    const p = await makeProduct(ctx.db, {
      priceAmount: 1000,
      stockOnHand: 10,
      allowPreorder: true,
      preorderLimit: 5,
    });
    const r = await storm(p.id);
    expect(r.ok).toBe(15); // 10 from stock + 5 below zero
    expect(r.stored).toBe(15);
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(-5);
    const rows = await ctx.db.select().from(orderLines).where(eq(orderLines.productId, p.id));
    expect(rows.filter((l) => l.isPreorder)).toHaveLength(5);
  }, 120_000);
});

describe("cancel releases stock exactly once", () => {
  it("two concurrent cancels of one pending order release its units once", async () => {
    const p = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 4 });
    const order = await createOrderFromCart(
      ctx,
      { customerId: customers[0]!, items: [{ productId: p.id, quantity: 3 }] },
      systemActor,
    );
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(1); // 4 − 3
    const both = await Promise.all([
      cancelOrder(ctx, { orderId: order.id, reason: "customer asked" }, cliActor),
      cancelOrder(ctx, { orderId: order.id, reason: "customer asked" }, cliActor),
    ]);
    expect(both.map((o) => o.status)).toEqual(["canceled", "canceled"]);
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(4); // 1 + 3, once
    const releases = await ctx.db.select().from(stockMovements).where(eq(stockMovements.orderId, order.id));
    expect(releases.filter((m) => m.reason === "release")).toHaveLength(1);
    const events = await ctx.db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    expect(events.filter((e) => e.toStatus === "canceled")).toHaveLength(1);
  }, 60_000);
});
