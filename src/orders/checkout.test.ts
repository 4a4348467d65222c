import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { systemActor } from "../audit/index.ts";
import { getProduct } from "../catalog/index.ts";
import { stockMovements } from "../catalog/schema.ts";
import { addToCart, getCart } from "./cart.ts";
import { createOrderFromCart } from "./checkout.ts";
import { orderEvents, orders } from "./schema.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

const orderCount = async () => Number((await ctx.db.select({ n: count() }).from(orders))[0]!.n);

describe("createOrderFromCart", () => {
  it("orders the cart at catalog prices, reserves stock, numbers the order and clears the cart", async () => {
    const now = ctx.clock.now();
    const customerId = (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id;
    const mug = await makeProduct(ctx.db, { priceAmount: 1250, stockOnHand: 10 });
    const tee = await makeProduct(ctx.db, { priceAmount: 2000, stockOnHand: 3 });
    await addToCart(ctx, customerId, { productId: mug.id, quantity: 2 });
    await addToCart(ctx, customerId, { productId: tee.id, quantity: 3 });

    const order = await createOrderFromCart(ctx, { customerId }, systemActor);

    // 2 × 12.50 + 3 × 20.00 = 25.00 + 60.00 = 85.00
    expect(order.amountTotal).toBe(8500);
    expect(order.status).toBe("pending");
    expect(order.number).toMatch(/^RI-\d{6}$/);
    expect(order.number).toBe(`RI-${String(order.id).padStart(6, "0")}`);
    expect(order.lines.map((l) => [l.productId, l.quantity, l.unitPriceAmount, l.isPreorder])).toEqual([
      [mug.id, 2, 1250, false],
      [tee.id, 3, 2000, false],
    ]);
    expect((await getProduct(ctx, mug.id))!.stockOnHand).toBe(8); // 10 − 2
    expect((await getProduct(ctx, tee.id))!.stockOnHand).toBe(0); // 3 − 3
    const moves = await ctx.db.select().from(stockMovements).where(eq(stockMovements.orderId, order.id));
    expect(moves.map((m) => [m.productId, m.delta, m.reason])).toEqual([
      [mug.id, -2, "reserve"],
      [tee.id, -3, "reserve"],
    ]);
    expect(await getCart(ctx, customerId)).toEqual([]);
    const events = await ctx.db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    expect(events.map((e) => [e.fromStatus, e.toStatus])).toEqual([[null, "pending"]]);
  });

  it("marks lines that go below zero as preorder, down to the limit", async () => {
    const now = ctx.clock.now();
    const customerId = (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id;
    const p = await makeProduct(ctx.db, {
      priceAmount: 1000,
      stockOnHand: 1,
      allowPreorder: true,
      preorderLimit: 2,
    });
    const first = await createOrderFromCart(
      ctx,
      { customerId, items: [{ productId: p.id, quantity: 1 }] },
      systemActor,
    );
    expect(first.lines[0]!.isPreorder).toBe(false); // 1 → 0
    const second = await createOrderFromCart(
      ctx,
      { customerId, items: [{ productId: p.id, quantity: 2 }] },
      systemActor,
    );
    expect(second.lines[0]!.isPreorder).toBe(true); // 0 → −2, the limit
    await expect(
      createOrderFromCart(ctx, { customerId, items: [{ productId: p.id, quantity: 1 }] }, systemActor),
    ).rejects.toMatchObject({ code: "stock.insufficient", status: 409 });
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(-2);
  });

  it("refuses more than the stock, naming the product, and changes nothing", async () => {
    const now = ctx.clock.now();
    const customerId = (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id;
    const ok = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 5 });
    const short = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 1, name: "Rare print" });
    const before = await orderCount();
    await expect(
      createOrderFromCart(
        ctx,
        {
          customerId,
          items: [
            { productId: ok.id, quantity: 2 },
            { productId: short.id, quantity: 2 },
          ],
        },
        systemActor,
      ),
    ).rejects.toThrow(/Rare print/);
    expect(await orderCount()).toBe(before);
    expect((await getProduct(ctx, ok.id))!.stockOnHand).toBe(5); // the first reservation rolled back
  });

  const BAD: Array<[string, (pid: number, inactive: number) => unknown, string]> = [
    ["negative quantity", (pid) => [{ productId: pid, quantity: -1 }], "items.0.quantity"],
    ["zero quantity", (pid) => [{ productId: pid, quantity: 0 }], "items.0.quantity"],
    ["huge quantity", (pid) => [{ productId: pid, quantity: 1_000_000 }], "items.0.quantity"],
    ["fractional quantity", (pid) => [{ productId: pid, quantity: 1.5 }], "items.0.quantity"],
    ["string quantity", (pid) => [{ productId: pid, quantity: "2" }], "items.0.quantity"],
    ["unknown product", () => [{ productId: 999_999, quantity: 1 }], "items.0.productId"],
    ["inactive product", (_p, inactive) => [{ productId: inactive, quantity: 1 }], "items.0.productId"],
    ["wrong product type", () => [{ productId: "abc", quantity: 1 }], "items.0.productId"],
    [
      "second line bad",
      (pid) => [
        { productId: pid, quantity: 1 },
        { productId: pid, quantity: -5 },
      ],
      "items.1.quantity",
    ],
    ["empty items", () => [], "items"],
    ["items not a list", () => "lots", "items"],
  ];
  it.each(BAD)("%s → 400 naming %s, no order, no stock change", async (_name, items, field) => {
    const now = ctx.clock.now();
    const customerId = (await makeCustomer(ctx.db, { createdAt: now, stripeCustomerId: null })).id;
    const p = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 7 });
    const inactive = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 7, active: false });
    const before = await orderCount();
    const input = { customerId, items: items(p.id, inactive.id) } as never;
    await expect(createOrderFromCart(ctx, input, systemActor)).rejects.toMatchObject({
      status: 400,
      details: { field },
    });
    expect(await orderCount()).toBe(before);
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(7);
  });
});
