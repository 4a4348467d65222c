/** Fulfilling after a refund's restock: restocked units are back on the shelf and never ship. */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { cliActor, systemActor, webhookActor } from "../audit/index.ts";
import { getProduct } from "../catalog/index.ts";
import { queryOne } from "../db/sql.ts";
import { fulfillOrder } from "./actions.ts";
import { createOrderFromCart } from "./checkout.ts";
import { applyOrderRefundTotal, markOrderPaid } from "./payment-hooks.ts";
import { getOrder } from "./queries.ts";
import { restockOrderLines } from "./restock.ts";
import { orderEvents } from "./schema.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

async function paidOrder(productId: number, quantity: number) {
  const customerId = (await makeCustomer(ctx.db, { createdAt: ctx.clock.now(), stripeCustomerId: null })).id;
  const order = await createOrderFromCart(ctx, { customerId, items: [{ productId, quantity }] }, systemActor);
  await markOrderPaid(ctx, { orderId: order.id, at: ctx.clock.now() }, webhookActor);
  return order;
}

type LineQty = Array<{ lineId: number; quantity: number }>;

/** A partial refund (the money) with a restock (the units), as the payments side applies them. */
async function partialRefund(orderId: number, amount: number, refundKey: string, lines: LineQty = []) {
  await applyOrderRefundTotal(ctx, { orderId, amountRefunded: amount, at: ctx.clock.now() }, webhookActor);
  return restockOrderLines(ctx, { orderId, refundKey, lines, at: ctx.clock.now() }, webhookActor);
}

/** Units that left the building for a product: each fulfilled order's units not restocked. */
async function unitsShipped(productId: number): Promise<number> {
  const row = await queryOne<{ n: number }>(
    ctx.db,
    sql`SELECT COALESCE(SUM(l.quantity - l.restocked_quantity), 0)::int AS n
        FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE l.product_id = ${productId} AND o.fulfilled_at IS NOT NULL`,
  );
  return Number(row?.n ?? 0);
}

describe("fulfillOrder after a restock", () => {
  it("refuses an order whose every unit was restocked (order.nothing_to_ship); the units sell once", async () => {
    const p = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 2 });
    const first = await paidOrder(p.id, 2);
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(0); // 2 − 2
    // A 1.00 refund with "restock all": both units back on the shelf, the order stays paid.
    const restocked = await partialRefund(first.id, 100, "re_repro_all");
    expect(restocked.status).toBe("paid");
    expect(restocked.lines.map((l) => [l.quantity, l.restockedQuantity])).toEqual([[2, 2]]);
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(2);

    await expect(fulfillOrder(ctx, { orderId: first.id, reason: "ship it" }, cliActor)).rejects.toMatchObject(
      { code: "order.nothing_to_ship", status: 409 },
    );
    const after = (await getOrder(ctx, first.id))!;
    expect([after.status, after.fulfilledAt]).toEqual(["paid", null]);
    const moves = await ctx.db
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, first.id), eq(orderEvents.toStatus, "fulfilled")));
    expect(moves).toEqual([]);
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(2);

    // A second buyer takes the two units back on the shelf and gets them shipped.
    const second = await paidOrder(p.id, 2);
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(0);
    const shipped = await fulfillOrder(ctx, { orderId: second.id, reason: "ship it" }, cliActor);
    expect(shipped.status).toBe("fulfilled");
    expect(await unitsShipped(p.id)).toBe(2); // never more than the 2 units held
  });

  it("still fulfils an order with units left to ship (1 of 2 restocked)", async () => {
    const p = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 2 });
    const o = await paidOrder(p.id, 2);
    await partialRefund(o.id, 100, "re_repro_one", [{ lineId: o.lines[0]!.id, quantity: 1 }]);
    expect((await getProduct(ctx, p.id))!.stockOnHand).toBe(1);
    const shipped = await fulfillOrder(ctx, { orderId: o.id, reason: "ship it" }, cliActor);
    expect(shipped.status).toBe("fulfilled");
    expect(shipped.lines.map((l) => [l.quantity, l.restockedQuantity])).toEqual([[2, 1]]);
    expect(await unitsShipped(p.id)).toBe(1); // the unit not restocked
  });
});
