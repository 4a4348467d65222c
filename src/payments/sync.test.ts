import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { deliver, insertPendingOrder, orderState } from "../../tests/support/webhooks.ts";
import { type Actor, cliActor, verifyAuditChain } from "../audit/index.ts";
import { auditLog } from "../audit/schema.ts";
import { customers } from "../customers/schema.ts";
import { createStripeFactory } from "../offline/objects/event-factory.ts";
import { type FakeStripe, startFakeStripe, stripeClientFor } from "../offline/stripe-api/server.ts";
import { invoices, subscriptionHistory, subscriptions } from "../subscriptions/schema.ts";
import { charges, disputes, refunds } from "./schema.ts";
import { syncFromStripe } from "./sync.ts";

let ctx: TestContext;
let fake: FakeStripe;
const f = createStripeFactory({ seed: "sync-test", now: new Date("2026-06-10T09:00:00Z") });

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await fake?.close();
  await ctx.destroy();
});

describe("stripe sync", () => {
  it("fills the gaps left by missed webhooks, and a second sync changes nothing", async () => {
    const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 6000, quantity: 1 }]);
    const customer = f.makeCustomer({ email: "sync@example.test", name: "Sync Buyer" });
    const { charge, paymentIntent } = f.makePayment({
      amount: 6000,
      customer: customer.id,
      metadata: { order_id: String(orderId) },
    });
    f.advance(3600);
    const refunded = f.applyRefund(charge, { amount: 1000 });
    const dispute = f.makeDispute({ charge: refunded.charge, amount: 5000 });
    const price = f.makePrice({ unit_amount: 1500, recurring: { interval: "month" } });
    const sub = f.makeSubscription({ customer: customer.id, items: [{ price, quantity: 2 }] });
    const invoice = f.makeInvoice({ subscription: sub, status: "paid" });

    // Webhooks we did receive: the customer and the (then unrefunded) charge.
    await deliver(ctx, f.makeEvent("customer.created", customer));
    await deliver(ctx, f.makeEvent("charge.succeeded", charge));
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 0 });

    fake = await startFakeStripe({
      customers: [customer],
      charges: [refunded.charge],
      paymentIntents: [paymentIntent],
      refunds: [refunded.refund],
      disputes: [dispute],
      prices: [price],
      subscriptions: [sub],
      invoices: [invoice],
    });
    const client = stripeClientFor(fake);

    const first = await syncFromStripe(ctx, cliActor, { client });
    // Hand count: customer and charge were known (the charge's refunded amount moved 0 → 1000:
    // updated); refund, dispute, subscription and invoice were missed (created).
    expect(first.customers).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(first.charges).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(first.refunds).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(first.disputes).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(first.subscriptions).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(first.invoices).toEqual({ created: 1, updated: 0, unchanged: 0 });

    const [c] = await ctx.db.select().from(charges).where(eq(charges.id, charge.id));
    expect(c).toMatchObject({ amountRefunded: 1000, orderId });
    const [r] = await ctx.db.select().from(refunds).where(eq(refunds.id, refunded.refund.id));
    expect(r).toMatchObject({ amount: 1000, status: "succeeded", orderId });
    const [d] = await ctx.db.select().from(disputes).where(eq(disputes.id, dispute.id));
    expect(d).toMatchObject({ amount: 5000, orderId });
    const [s] = await ctx.db.select().from(subscriptions).where(eq(subscriptions.id, sub.id));
    expect(s).toMatchObject({ status: "active", mrr: 3000 }); // 15.00 × 2 seats, monthly
    const [cust] = await ctx.db.select().from(customers).where(eq(customers.stripeCustomerId, customer.id));
    expect(s?.customerId).toBe(cust?.id);
    expect(await ctx.db.select().from(invoices).where(eq(invoices.id, invoice.id))).toHaveLength(1);
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 1000 });

    const historyBefore = await ctx.db.select().from(subscriptionHistory);
    ctx.clock.advance(60_000);
    const second = await syncFromStripe(ctx, cliActor, { client });
    for (const [name, count] of Object.entries(second)) {
      expect({ name, created: count.created, updated: count.updated }).toEqual({
        name,
        created: 0,
        updated: 0,
      });
    }
    expect(await ctx.db.select().from(subscriptionHistory)).toHaveLength(historyBefore.length);
  });

  it("audits each run once, with its counts, as whoever ran it (a run that stops on an error too)", async () => {
    const syncRows = () =>
      ctx.db.select().from(auditLog).where(eq(auditLog.action, "stripe.sync")).orderBy(desc(auditLog.seq));
    const already = (await syncRows()).length;
    const customer = f.makeCustomer({ email: "audited-sync@example.test", name: "Audited Sync" });
    const own = await startFakeStripe({ customers: [customer] }, { apiKeys: ["sk_test_fake"] });
    const operator: Actor = { type: "user", id: "42", role: "admin", requestId: "req-sync" };
    try {
      const since = new Date("2026-01-01T00:00:00Z");
      const counts = await syncFromStripe(ctx, operator, { client: stripeClientFor(own), since });
      expect(counts.customers).toEqual({ created: 1, updated: 0, unchanged: 0 });
      const rows = await syncRows();
      expect(rows).toHaveLength(already + 1); // one row per run, not one per object
      expect(rows[0]).toMatchObject({
        actorType: "user",
        actorId: "42",
        actorRole: "admin",
        requestId: "req-sync",
        targetType: "stripe",
        after: { since: since.toISOString(), outcome: "completed", counts },
      });

      // A key Stripe refuses: nothing synced, the error surfaces, and the run is still on record.
      await expect(
        syncFromStripe(ctx, cliActor, { client: stripeClientFor(own, "sk_test_refused") }),
      ).rejects.toThrow();
      const after = await syncRows();
      expect(after).toHaveLength(already + 2);
      const zero = { created: 0, updated: 0, unchanged: 0 };
      expect(after[0]).toMatchObject({
        actorType: "cli",
        actorId: "cli",
        after: { outcome: "failed", counts: { customers: zero, invoices: zero } },
      });
    } finally {
      await own.close();
    }
    expect((await verifyAuditChain(ctx)).ok).toBe(true);
  });
});
