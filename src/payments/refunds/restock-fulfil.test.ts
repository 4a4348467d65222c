/** A refund's restock against fulfilment: restocked units never ship, a skipped restock is on record. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { deliver, insertPaidOrder, orderState, stockOf } from "../../../tests/support/webhooks.ts";
import { type Actor, cliActor, listAuditEvents } from "../../audit/index.ts";
import { createStripeFactory } from "../../offline/objects/event-factory.ts";
import { fulfillOrder, getOrder } from "../../orders/index.ts";
import { createRefund } from "./service.ts";

let ctx: TestContext;
const f = createStripeFactory({ seed: "refund-restock-fulfil", now: new Date("2026-06-15T10:00:00Z") });
const ops: Actor = { type: "user", id: "7", role: "ops" };

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

const paidOrder = (lines: Array<{ unitPrice: number; quantity: number }>, stock: number) =>
  insertPaidOrder(ctx, f, lines, { stock });

const fulfil = (orderId: number) => fulfillOrder(ctx, { orderId, reason: "ship it" }, cliActor);

describe("refund restock and fulfilment", () => {
  it("a small refund with restock all leaves nothing to ship: fulfilling is refused (order.nothing_to_ship)", async () => {
    // 2 units bought from a stock of 2 (the fixture reserves by hand: stock 0 after the sale).
    const { orderId, productIds } = await paidOrder([{ unitPrice: 2500, quantity: 2 }], 0);
    await createRefund(ctx, { orderId, amount: 100, restock: true }, ops);
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 100 });
    expect(await stockOf(ctx, productIds[0]!)).toBe(2); // both units back on the shelf

    await expect(fulfil(orderId)).rejects.toMatchObject({ code: "order.nothing_to_ship", status: 409 });
    const order = (await getOrder(ctx, orderId))!;
    expect([order.status, order.fulfilledAt]).toEqual(["paid", null]);
    expect(await stockOf(ctx, productIds[0]!)).toBe(2);
    // The rest of the money can still go back: the order ends refunded, never shipped.
    await createRefund(ctx, { orderId, amount: 4900 }, ops);
    expect(await orderState(ctx, orderId)).toEqual({ status: "refunded", amountRefunded: 5000 });
  });

  it("a restock chosen while unshipped but succeeding after fulfilment is skipped and audited once", async () => {
    const { orderId, productIds, chargeId, lineIds } = await paidOrder([{ unitPrice: 1000, quantity: 2 }], 0);
    const metadata = { order_id: String(orderId), restock: "all" };
    f.advance(60);
    const pending = f.makeRefund({ charge: chargeId, amount: 500, status: "pending", metadata });
    await deliver(ctx, f.makeEvent("refund.created", pending));
    expect(await stockOf(ctx, productIds[0]!)).toBe(0); // not applied before the refund succeeds

    await fulfil(orderId); // shipped while the refund is still pending
    f.advance(60);
    const succeeded = { ...pending, status: "succeeded" as const };
    expect((await deliver(ctx, f.makeEvent("refund.updated", succeeded))).outcome).toBe("processed");
    expect(await orderState(ctx, orderId)).toEqual({ status: "fulfilled", amountRefunded: 500 });
    expect(await stockOf(ctx, productIds[0]!)).toBe(0); // shipped units are not put back

    const skipped = await listAuditEvents(ctx, {
      action: "order.restock_skipped",
      targetType: "order",
      targetId: String(orderId),
    });
    expect(skipped.rows).toHaveLength(1);
    expect(skipped.rows[0]).toMatchObject({
      actorType: "webhook",
      after: { refundId: pending.id, restock: "all", code: "validation.invalid" },
    });

    // Replays and later refunds of the order re-run the restocks: still one record.
    f.advance(60);
    await deliver(ctx, f.makeEvent("refund.updated", succeeded));
    await createRefund(
      ctx,
      { orderId, amount: 100, restock: { lines: [{ lineId: lineIds[0]!, quantity: 1 }] } },
      ops,
    );
    expect(await stockOf(ctx, productIds[0]!)).toBe(1); // the unit that came back
    const after = await listAuditEvents(ctx, {
      action: "order.restock_skipped",
      targetId: String(orderId),
    });
    expect(after.rows).toHaveLength(1);
  });
});
