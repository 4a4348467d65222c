import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { deliver, eventRow, insertPendingOrder, orderState, stockOf } from "../../tests/support/webhooks.ts";
import { cliActor, systemActor } from "../audit/index.ts";
import { queryRows } from "../db/sql.ts";
import { createStripeFactory } from "../offline/objects/event-factory.ts";
import { orderEvents, orders } from "../orders/schema.ts";
import { replayEvent, replayFailed } from "./replay.ts";
import { charges, refunds } from "./schema.ts";

let ctx: TestContext;
const f = createStripeFactory({ seed: "ledger", now: new Date("2026-06-15T10:00:00Z") });

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

async function paidTransitions(orderId: number): Promise<number> {
  const rows = await ctx.db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId));
  return rows.filter((r) => r.toStatus === "paid").length;
}

async function payOrder(orderId: number, amount: number) {
  const metadata = { order_id: String(orderId) };
  const { charge, paymentIntent } = f.makePayment({ amount, metadata });
  await deliver(ctx, f.makeEvent("payment_intent.succeeded", paymentIntent));
  await deliver(ctx, f.makeEvent("charge.succeeded", charge));
  return charge;
}

describe("payments ledger from webhooks", () => {
  it("pays the order once from checkout, payment intent and charge, with the fee of an expanded balance transaction", async () => {
    const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 2500, quantity: 2 }]); // 5000
    const metadata = { order_id: String(orderId) };
    const { charge, paymentIntent } = f.makePayment({ amount: 5000, metadata });
    const session = f.makeCheckoutSession({
      status: "complete",
      amountTotal: 5000,
      paymentIntent: paymentIntent.id,
      metadata,
    });
    // Stripe's fee on 50.00 USD: 2.9% + 0.30 = 1.45 + 0.30 = 1.75 → 175 minor units.
    const balanceTransaction = f.makeBalanceTransaction({ amount: 5000, fee: 175, source: charge.id });
    const expanded = { ...charge, balance_transaction: balanceTransaction } as unknown as typeof charge;
    for (const event of [
      f.makeEvent("checkout.session.completed", session),
      f.makeEvent("payment_intent.succeeded", paymentIntent),
      f.makeEvent("charge.succeeded", expanded),
    ]) {
      expect((await deliver(ctx, event)).outcome).toBe("processed");
    }
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 0 });
    expect(await paidTransitions(orderId)).toBe(1);
    const [row] = await ctx.db.select().from(charges).where(eq(charges.id, charge.id));
    expect(row).toMatchObject({
      amount: 5000,
      fee: 175,
      status: "succeeded",
      orderId,
      paymentIntentId: paymentIntent.id,
    });
    const [order] = await ctx.db.select().from(orders).where(eq(orders.id, orderId));
    expect(order?.stripeCheckoutSessionId).toBe(session.id);
  });

  it("a refund naming no order (no metadata, a charge without payment intent) takes its stored charge's", async () => {
    const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 1800, quantity: 1 }]);
    const { charge } = f.makePayment({ amount: 1800, metadata: { order_id: String(orderId) } });
    const direct = { ...charge, payment_intent: null } as unknown as typeof charge;
    await deliver(ctx, f.makeEvent("charge.succeeded", direct));
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 0 });
    const { refund } = f.applyRefund(direct, { amount: 1800 });
    const unlinked = { ...refund, payment_intent: null, metadata: {} } as unknown as typeof refund;
    expect((await deliver(ctx, f.makeEvent("refund.created", unlinked))).outcome).toBe("processed");
    const [row] = await ctx.db.select().from(refunds).where(eq(refunds.id, refund.id));
    expect(row?.orderId).toBe(orderId);
    expect(await orderState(ctx, orderId)).toEqual({ status: "refunded", amountRefunded: 1800 });
  });

  it("partial refund keeps the order paid; the rest (made in the dashboard, no metadata) makes it refunded", async () => {
    const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 5000, quantity: 1 }]);
    const charge = await payOrder(orderId, 5000);
    const first = f.applyRefund(charge, { amount: 2000, metadata: { order_id: String(orderId) } });
    await deliver(ctx, f.makeEvent("refund.created", first.refund));
    await deliver(
      ctx,
      f.makeEvent("charge.refunded", first.charge, { previousAttributes: first.previousAttributes }),
    );
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 2000 });

    const second = f.applyRefund(first.charge, { amount: 3000 }); // 2000 + 3000 = the full 5000
    await deliver(ctx, f.makeEvent("charge.refunded", second.charge));
    await deliver(ctx, f.makeEvent("refund.created", second.refund));
    expect(await orderState(ctx, orderId)).toEqual({ status: "refunded", amountRefunded: 5000 });
    const rows = await ctx.db.select().from(refunds).where(eq(refunds.orderId, orderId));
    expect(rows.map((r) => r.amount).sort()).toEqual([2000, 3000]);
    const [chargeRow] = await ctx.db.select().from(charges).where(eq(charges.id, charge.id));
    expect(chargeRow?.amountRefunded).toBe(5000);
  });

  it("a charge's amount_refunded is at least its succeeded refunds, even when charge events carry a stale total", async () => {
    const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 4000, quantity: 1 }]);
    const charge = await payOrder(orderId, 4000);
    // Two refunds raced on the same charge: both charge.refunded events were built from the charge
    // as it was before the other refund, so each carries only its own amount as the cumulative total.
    const a = f.applyRefund(charge, { amount: 1500 });
    const b = f.applyRefund(charge, { amount: 1000 });
    for (const event of [
      f.makeEvent("refund.created", a.refund),
      f.makeEvent("charge.refunded", a.charge),
      f.makeEvent("refund.created", b.refund),
      f.makeEvent("charge.refunded", b.charge),
    ]) {
      expect((await deliver(ctx, event)).outcome).toBe("processed");
    }
    expect([a.charge.amount_refunded, b.charge.amount_refunded]).toEqual([1500, 1000]);
    const [row] = await ctx.db.select().from(charges).where(eq(charges.id, charge.id));
    expect(row?.amountRefunded).toBe(2500); // 1500 + 1000, not the larger stale figure 1500
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 2500 });
  });

  it("a refund that arrives before its charge is linked and counted once the charge arrives", async () => {
    const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 3000, quantity: 1 }]);
    const { charge } = f.makePayment({ amount: 3000, metadata: { order_id: String(orderId) } });
    const { refund } = f.applyRefund(charge, { amount: 1000 });
    await deliver(ctx, f.makeEvent("refund.created", refund));
    const [early] = await ctx.db.select().from(refunds).where(eq(refunds.id, refund.id));
    expect(early?.orderId).toBeNull();
    await deliver(ctx, f.makeEvent("charge.succeeded", charge));
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 1000 });
  });

  it("keeps the money of a payment for a canceled order and does not fail the event", async () => {
    const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 1200, quantity: 1 }]);
    await ctx.db
      .update(orders)
      .set({ status: "canceled", canceledAt: ctx.clock.now() })
      .where(eq(orders.id, orderId));
    const { charge } = f.makePayment({ amount: 1200, metadata: { order_id: String(orderId) } });
    const event = f.makeEvent("charge.succeeded", charge);
    expect((await deliver(ctx, event)).outcome).toBe("processed");
    expect((await orderState(ctx, orderId))?.status).toBe("canceled");
    const [row] = await ctx.db.select().from(charges).where(eq(charges.id, charge.id));
    expect(row).toMatchObject({ amount: 1200, status: "succeeded", orderId });
  });

  it("restocks exactly once, however often the refund is delivered or replayed", async () => {
    const { orderId, productIds } = await insertPendingOrder(
      ctx,
      [
        { unitPrice: 1000, quantity: 2 },
        { unitPrice: 500, quantity: 1 },
      ],
      { stock: 10 },
    );
    const charge = await payOrder(orderId, 2500);
    const { refund } = f.applyRefund(charge, { metadata: { order_id: String(orderId), restock: "all" } });
    const created = f.makeEvent("refund.created", refund);
    await deliver(ctx, created);
    await deliver(ctx, created); // duplicate delivery
    f.advance(60);
    await deliver(ctx, f.makeEvent("refund.updated", refund)); // same refund, a later event
    await replayEvent(ctx, created.id, cliActor); // processed already: left alone
    // 10 on hand + 2 and + 1 units back, once.
    expect(await stockOf(ctx, productIds[0]!)).toBe(12);
    expect(await stockOf(ctx, productIds[1]!)).toBe(11);
    expect(await orderState(ctx, orderId)).toEqual({ status: "refunded", amountRefunded: 2500 });
  });
});

describe("failed handlers are stored, retried with backoff and replayed", () => {
  it("failed → replay → processed", async () => {
    const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 4000, quantity: 1 }]);
    await ctx.db.execute(sql`CREATE FUNCTION test_fail_charges() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'ledger unavailable'; END $$`);
    await ctx.db.execute(sql`CREATE TRIGGER test_fail_charges BEFORE INSERT ON charges
      FOR EACH ROW EXECUTE FUNCTION test_fail_charges()`);
    const { charge } = f.makePayment({ amount: 4000, metadata: { order_id: String(orderId) } });
    const event = f.makeEvent("charge.succeeded", charge);
    expect((await deliver(ctx, event)).outcome).toBe("failed");
    const failed = await eventRow(ctx, event.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 1 });
    expect(failed?.last_error).toContain("ledger unavailable");
    expect((await orderState(ctx, orderId))?.status).toBe("pending");

    await ctx.db.execute(sql`DROP TRIGGER test_fail_charges ON charges`);
    // Backoff: the first retry is due one minute after the failure, not before.
    expect((await replayFailed(ctx, systemActor, { due: true })).attempted).toBe(0);
    ctx.clock.advance(61_000);
    const report = await replayFailed(ctx, systemActor, { due: true });
    expect(report).toMatchObject({ attempted: 1, processed: 1, failed: 0 });
    expect(await eventRow(ctx, event.id)).toMatchObject({ status: "processed", attempts: 2 });
    expect((await orderState(ctx, orderId))?.status).toBe("paid");
    const rows = await queryRows(ctx.db, sql`SELECT id FROM charges WHERE id = ${charge.id}`);
    expect(rows).toHaveLength(1);
  });
});
