import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { onPostgres } from "../../tests/support/db.ts";
import {
  deliver,
  eventRow,
  insertPendingOrder,
  orderState,
  signedNow,
} from "../../tests/support/webhooks.ts";
import { createStripeFactory } from "../offline/objects/event-factory.ts";
import { orderEvents } from "../orders/schema.ts";
import { subscriptionHistory, subscriptions } from "../subscriptions/schema.ts";
import { receiveWebhook } from "./inbox/receive.ts";
import { charges, refunds } from "./schema.ts";
import type { StripeEventObject } from "./stripe/stripe-objects.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

const T0 = new Date("2026-06-15T09:00:00Z");

describe("out-of-order delivery converges (every permutation)", () => {
  it("has 6 orders of 3 events", () => {
    expect(permutations([1, 2, 3])).toHaveLength(6);
  });

  const paymentOrders = permutations(["charge.succeeded", "refund.created", "charge.refunded"]);
  for (const [index, order] of paymentOrders.entries()) {
    it(`charge + partial refund in order ${order.join(" → ")}`, async () => {
      const f = createStripeFactory({ seed: `perm-pay-${index}`, now: T0 });
      const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 5000, quantity: 1 }]);
      const { charge } = f.makePayment({ amount: 5000, metadata: { order_id: String(orderId) } });
      const succeeded = f.makeEvent("charge.succeeded", charge);
      f.advance(10);
      const applied = f.applyRefund(charge, { amount: 2000 });
      const events: Record<string, StripeEventObject> = {
        "charge.succeeded": succeeded,
        "refund.created": f.makeEvent("refund.created", applied.refund),
        "charge.refunded": f.makeEvent("charge.refunded", applied.charge),
      };
      for (const type of order) expect((await deliver(ctx, events[type]!)).outcome).toBe("processed");

      // Hand-worked end state: 50.00 charged, 20.00 refunded, order still paid.
      const [c] = await ctx.db.select().from(charges).where(eq(charges.id, charge.id));
      expect(c).toMatchObject({ amount: 5000, amountRefunded: 2000, status: "succeeded", orderId });
      const [r] = await ctx.db.select().from(refunds).where(eq(refunds.id, applied.refund.id));
      expect(r).toMatchObject({ amount: 2000, status: "succeeded", orderId, chargeId: charge.id });
      expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 2000 });
    });
  }

  const subscriptionOrders = permutations(["created", "updated", "deleted"]);
  for (const [index, order] of subscriptionOrders.entries()) {
    it(`subscription created/updated/deleted in order ${order.join(" → ")}`, async () => {
      const f = createStripeFactory({ seed: `perm-sub-${index}`, now: T0 });
      const t0 = f.now();
      const price = f.makePrice({ unit_amount: 2000, recurring: { interval: "month" } });
      const customer = f.makeCustomer();
      const created = f.makeSubscription({
        customer: customer.id,
        items: [{ price, quantity: 1 }],
        created: t0,
      });
      const itemId = created.items.data[0]!.id;
      const updated = f.makeSubscription({
        id: created.id,
        customer: customer.id,
        items: [{ id: itemId, price, quantity: 3 }],
        created: t0,
      });
      const deleted = f.makeSubscription({
        id: created.id,
        customer: customer.id,
        items: [{ id: itemId, price, quantity: 3 }],
        created: t0,
        status: "canceled",
        canceled_at: t0 + 200,
        ended_at: t0 + 200,
      });
      const events: Record<string, StripeEventObject> = {
        created: f.makeEvent("customer.subscription.created", created, { created: t0 }),
        updated: f.makeEvent("customer.subscription.updated", updated, { created: t0 + 100 }),
        deleted: f.makeEvent("customer.subscription.deleted", deleted, { created: t0 + 200 }),
      };
      for (const name of order) expect((await deliver(ctx, events[name]!)).outcome).toBe("processed");

      const [sub] = await ctx.db.select().from(subscriptions).where(eq(subscriptions.id, created.id));
      expect(sub).toMatchObject({ status: "canceled", mrr: 0 });
      expect((sub!.items as Array<{ quantity: number }>)[0]?.quantity).toBe(3);
      const history = await ctx.db
        .select()
        .from(subscriptionHistory)
        .where(eq(subscriptionHistory.subscriptionId, created.id));
      // One row per event whatever the order; 20.00 × 3 seats = 60.00 MRR while active after the upgrade.
      expect(history.map((h) => [h.status, h.mrr]).sort()).toEqual([
        ["active", 2000],
        ["active", 6000],
        ["canceled", 0],
      ]);
    });
  }
});

describe("concurrent duplicate deliveries apply once", () => {
  it(`the same event 5 times at once (${onPostgres ? "Postgres" : "PGlite, serialised"})`, async () => {
    const f = createStripeFactory({ seed: "concurrent", now: T0 });
    const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 7000, quantity: 1 }]);
    const { charge } = f.makePayment({ amount: 7000, metadata: { order_id: String(orderId) } });
    const event = f.makeEvent("charge.succeeded", charge);
    const { payload, header } = signedNow(ctx, event);
    const results = await Promise.all(Array.from({ length: 5 }, () => receiveWebhook(ctx, payload, header)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await eventRow(ctx, event.id)).toMatchObject({ status: "processed", attempts: 1 });
    const rows = await ctx.db.select().from(charges).where(eq(charges.id, charge.id));
    expect(rows).toHaveLength(1);
    const paid = await ctx.db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId));
    expect(paid.filter((e) => e.toStatus === "paid")).toHaveLength(1);
  });

  it("checkout, payment intent and charge events for one order at once pay it once", async () => {
    const f = createStripeFactory({ seed: "concurrent-2", now: T0 });
    const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 3000, quantity: 1 }]);
    const metadata = { order_id: String(orderId) };
    const { charge, paymentIntent } = f.makePayment({ amount: 3000, metadata });
    const session = f.makeCheckoutSession({ status: "complete", paymentIntent: paymentIntent.id, metadata });
    const events = [
      f.makeEvent("checkout.session.completed", session),
      f.makeEvent("payment_intent.succeeded", paymentIntent),
      f.makeEvent("charge.succeeded", charge),
    ];
    const results = await Promise.all([...events, ...events].map((e) => deliver(ctx, e)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(3);
    const paid = await ctx.db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId));
    expect(paid.filter((e) => e.toStatus === "paid")).toHaveLength(1);
    expect((await orderState(ctx, orderId))?.status).toBe("paid");
  });
});
