import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { cliActor } from "../audit/index.ts";
import { auditLog } from "../audit/schema.ts";
import { adjustStock, createProduct, updateProduct } from "./manage.ts";
import { availableUnits, getProduct, stockStatus } from "./products.ts";
import { reserveStock, returnStock } from "./stock.ts";

describe("stockStatus / availableUnits (pure)", () => {
  it.each([
    [{ stockOnHand: 6, allowPreorder: false, preorderLimit: null }, "in_stock", 6],
    [{ stockOnHand: 5, allowPreorder: false, preorderLimit: null }, "low_stock", 5],
    [{ stockOnHand: 0, allowPreorder: false, preorderLimit: null }, "out_of_stock", 0],
    [{ stockOnHand: 0, allowPreorder: true, preorderLimit: 3 }, "preorder", 3],
    [{ stockOnHand: -3, allowPreorder: true, preorderLimit: 3 }, "out_of_stock", 0],
    [{ stockOnHand: -50, allowPreorder: true, preorderLimit: null }, "preorder", null],
  ] as const)("%o → %s, %s units", (p, status, units) => {
    expect(stockStatus(p)).toBe(status);
    expect(availableUnits(p)).toBe(units);
  });
});

describe("catalog services", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.destroy());
  const base = { name: "Poster", priceAmount: 900, currency: "USD" };

  it("creates a product (currency lower-cased), refuses a duplicate SKU naming the field", async () => {
    const p = await createProduct(ctx, { ...base, sku: "POSTER-1", stockOnHand: 2 }, cliActor);
    expect([p.currency, p.stockOnHand, p.active]).toEqual(["usd", 2, true]);
    await expect(createProduct(ctx, { ...base, sku: "POSTER-1" }, cliActor)).rejects.toMatchObject({
      details: { field: "sku" },
    });
    await expect(
      createProduct(ctx, { ...base, sku: "P-2", priceAmount: -1 }, cliActor),
    ).rejects.toMatchObject({ details: { field: "priceAmount" } });
  });

  it("will not lower the preorder limit below what is already sold on preorder", async () => {
    const at = ctx.clock.now();
    const p = await createProduct(
      ctx,
      { ...base, sku: "PRE-1", stockOnHand: 0, allowPreorder: true, preorderLimit: 5 },
      cliActor,
    );
    expect(await reserveStock(ctx.db, { productId: p.id, quantity: 4, orderId: null, at })).toEqual({
      stockAfter: -4,
      isPreorder: true,
    });
    const edit = { ...base, allowPreorder: true, preorderLimit: 3 };
    await expect(updateProduct(ctx, p.id, edit, cliActor)).rejects.toMatchObject({
      details: { field: "preorderLimit" },
    });
    const ok = await updateProduct(ctx, p.id, { ...edit, preorderLimit: 4, name: "Poster v2" }, cliActor);
    expect([ok.preorderLimit, ok.name]).toEqual([4, "Poster v2"]);
    const [row] = await ctx.db.select().from(auditLog).where(eq(auditLog.action, "product.update"));
    expect([
      (row!.before as { preorderLimit: number }).preorderLimit,
      (row!.after as { preorderLimit: number }).preorderLimit,
    ]).toEqual([5, 4]);
  });

  it("returnStock applies a key once", async () => {
    const at = ctx.clock.now();
    const p = await createProduct(ctx, { ...base, sku: "RET-1", stockOnHand: 1 }, cliActor);
    const input = {
      productId: p.id,
      quantity: 2,
      reason: "restock" as const,
      idempotencyKey: "k-1",
      orderId: null,
      at,
    };
    expect(await returnStock(ctx.db, input)).toBe(true);
    expect(await returnStock(ctx.db, input)).toBe(false);
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(3); // 1 + 2, once
  });

  it("a stock adjustment of zero or without a reason is a 400", async () => {
    const p = await createProduct(ctx, { ...base, sku: "ADJ-1", stockOnHand: 1 }, cliActor);
    await expect(adjustStock(ctx, p.id, { delta: 0, reason: "count" }, cliActor)).rejects.toMatchObject({
      details: { field: "delta" },
    });
    await expect(adjustStock(ctx, p.id, { delta: 2 }, cliActor)).rejects.toMatchObject({
      details: { field: "reason" },
    });
  });
});
