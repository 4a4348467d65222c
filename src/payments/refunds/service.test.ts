import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import {
  deliver,
  insertPaidOrder,
  insertPendingOrder,
  orderState,
  stockOf,
} from "../../../tests/support/webhooks.ts";
import { type Actor, listAuditEvents } from "../../audit/index.ts";
import { createStripeFactory } from "../../offline/objects/event-factory.ts";
import { orders } from "../../orders/schema.ts";
import { refunds } from "../schema.ts";
import { createRefund } from "./service.ts";

let ctx: TestContext;
const f = createStripeFactory({ seed: "refund-service", now: new Date("2026-06-15T10:00:00Z") });
const ops: Actor = { type: "user", id: "7", role: "ops" };

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

const paidOrder = (lines: Array<{ unitPrice: number; quantity: number }>, stock = 10) =>
  insertPaidOrder(ctx, f, lines, { stock });

async function errorOf(promise: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error("expected a rejection");
}

describe("createRefund (offline provider, webhook path)", () => {
  it("partial refund keeps the order paid, the rest makes it refunded; both audited", async () => {
    const { orderId } = await paidOrder([{ unitPrice: 4000, quantity: 1 }]);
    const first = await createRefund(ctx, { orderId, amount: 1500, note: "scratched box" }, ops);
    expect(first.refundId).toMatch(/^re_/);
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 1500 });
    const [row] = await ctx.db.select().from(refunds).where(eq(refunds.id, first.refundId));
    expect(row).toMatchObject({
      status: "succeeded",
      amount: 1500,
      note: "scratched box",
      requestedBy: "user:7",
    });

    await createRefund(ctx, { orderId, amount: 2500 }, ops); // 1500 + 2500 = 4000, the whole order
    expect(await orderState(ctx, orderId)).toEqual({ status: "refunded", amountRefunded: 4000 });
    const audits = await listAuditEvents(ctx, { action: "refund.create" });
    expect(audits.rows).toHaveLength(2);
    expect(JSON.stringify(audits.rows)).toContain(first.refundId);
  });

  it("rejects an amount over what is left to refund (total − refunded − pending)", async () => {
    const { orderId } = await paidOrder([{ unitPrice: 3000, quantity: 1 }]);
    await createRefund(ctx, { orderId, amount: 1000 }, ops);
    // 3000 − 1000 = 2000 left: 2001 is one too many.
    const err = await errorOf(createRefund(ctx, { orderId, amount: 2001 }, ops));
    expect(err.code).toBe("refund.exceeds_refundable");
    expect(err.message).toBe("amount: $20.01 is more than the $20.00 still refundable");
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 1000 });
  });

  it("rejects refunds of orders that are not paid", async () => {
    const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 1000, quantity: 1 }]);
    expect((await errorOf(createRefund(ctx, { orderId, amount: 100 }, ops))).code).toBe(
      "refund.not_refundable",
    );
    expect((await errorOf(createRefund(ctx, { orderId: 999999, amount: 100 }, ops))).code).toBe("not_found");
    expect((await errorOf(createRefund(ctx, { orderId, amount: 0 }, ops))).code).toBe("validation.invalid");
  });

  it("concurrent refunds never exceed the total", async () => {
    const { orderId } = await paidOrder([{ unitPrice: 5000, quantity: 1 }]);
    // Five refunds of 2000 on 5000: only two fit (4000), the other three are refused.
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => createRefund(ctx, { orderId, amount: 2000 }, ops)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    for (const r of results.filter((x) => x.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason.code).toBe("refund.exceeds_refundable");
    }
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 4000 });
  });

  it("restock: all units of an unfulfilled order, exactly once", async () => {
    const { orderId, productIds, chargeId } = await paidOrder([{ unitPrice: 1000, quantity: 3 }], 10);
    const { refundId } = await createRefund(ctx, { orderId, amount: 3000, restock: true }, ops);
    expect(await stockOf(ctx, productIds[0]!)).toBe(13); // 10 + 3
    const [row] = await ctx.db.select().from(refunds).where(eq(refunds.id, refundId));
    expect(row?.restock).toBe(true);
    // A later event about the same refund (refund.updated from Stripe) does not restock twice.
    f.advance(120);
    const again = f.makeRefund({
      id: refundId,
      charge: chargeId,
      amount: 3000,
      metadata: row!.metadata as Record<string, string>,
    });
    expect((await deliver(ctx, f.makeEvent("refund.updated", again))).outcome).toBe("processed");
    expect(await stockOf(ctx, productIds[0]!)).toBe(13);
  });

  it("restock on a fulfilled order needs lines; the named lines come back once", async () => {
    const { orderId, lineIds, productIds } = await paidOrder(
      [
        { unitPrice: 1000, quantity: 2 },
        { unitPrice: 500, quantity: 1 },
      ],
      10,
    );
    await ctx.db
      .update(orders)
      .set({ status: "fulfilled", fulfilledAt: ctx.clock.now() })
      .where(eq(orders.id, orderId));
    const refused = await errorOf(createRefund(ctx, { orderId, amount: 1000, restock: true }, ops));
    expect(refused.code).toBe("validation.invalid");
    expect(refused.message).toContain("restock");
    const tooMany = await errorOf(
      createRefund(
        ctx,
        { orderId, amount: 1000, restock: { lines: [{ lineId: lineIds[0]!, quantity: 3 }] } },
        ops,
      ),
    );
    expect(tooMany.message).toContain("restock.lines.0.quantity");

    await createRefund(
      ctx,
      { orderId, amount: 1000, restock: { lines: [{ lineId: lineIds[0]!, quantity: 1 }] } },
      ops,
    );
    expect(await stockOf(ctx, productIds[0]!)).toBe(11); // one of the two units came back
    expect(await stockOf(ctx, productIds[1]!)).toBe(10); // the other line stays shipped
    expect(await orderState(ctx, orderId)).toEqual({ status: "fulfilled", amountRefunded: 1000 });
  });
});
