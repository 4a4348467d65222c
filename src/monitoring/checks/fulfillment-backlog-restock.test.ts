import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../../tests/support/builders/catalog.ts";
import { makeOrder, makeOrderLine } from "../../../tests/support/builders/orders.ts";
import { expectFailThenPass, gate, issueOf } from "../../../tests/support/check-workflow.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { orderLines } from "../../db/schema.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());
// The test clock is 2026-06-15T12:00Z; the SLA is 72 h.
const ago = (minutes: number) => new Date(Date.parse("2026-06-15T12:00:00Z") - minutes * 60_000);

describe("fulfillment-backlog and restocked units", () => {
  it("ignores a paid order whose every unit was restocked by a refund (nothing to ship)", async () => {
    const product = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 10 });
    const restocked = await makeOrder(ctx.db, { paidAt: ago(73 * 60), amountRefunded: 100 });
    await makeOrderLine(ctx.db, {
      orderId: restocked.id,
      productId: product.id,
      quantity: 2,
      restockedQuantity: 2,
    });
    expect(await gate(ctx, "fulfillment-backlog")).toBe(0);
    expect(await issueOf(ctx, "fulfillment-backlog", `order:${restocked.id}`)).toBeUndefined();
  });

  it("still flags an order with units left to ship (1 of 2 restocked) until the rest is restocked", async () => {
    const product = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 10 });
    const partly = await makeOrder(ctx.db, { paidAt: ago(73 * 60), amountRefunded: 100 });
    await makeOrderLine(ctx.db, {
      orderId: partly.id,
      productId: product.id,
      quantity: 2,
      restockedQuantity: 1,
    });
    await expectFailThenPass(ctx, "fulfillment-backlog", `order:${partly.id}`, () =>
      ctx.db.update(orderLines).set({ restockedQuantity: 2 }).where(eq(orderLines.orderId, partly.id)),
    );
  });
});
