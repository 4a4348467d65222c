import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeStripeEvent } from "../../tests/support/builders/events.ts";
import { makeCharge, makeRefund } from "../../tests/support/builders/ledger.ts";
import { makeOrder, makeOrderLine } from "../../tests/support/builders/orders.ts";
import { makeSubscription, makeSubscriptionState } from "../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { buildSnapshots } from "../analytics/index.ts";
import { systemActor } from "../audit/index.ts";
import { checksRun } from "../cli/checks.ts";
import { CHECKS } from "./checks/index.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

/** The CI gate runs on seeded demo data: realistic clean rows must raise nothing. */
describe("all checks on clean, realistic data", () => {
  it("find no issue (exit 0 with --fail-on-issues)", async () => {
    const product = await makeProduct(ctx.db, { priceAmount: 1000, stockOnHand: 4 });
    // An order paid by a charge equal to its total, fulfilled, partly refunded (succeeded 1000),
    // with a second refund still pending, which does not count yet.
    const paid = await makeOrder(ctx.db, {
      status: "fulfilled",
      fulfilledAt: new Date("2026-06-11T09:00:00Z"),
      amountRefunded: 1000,
    });
    await makeOrderLine(ctx.db, { orderId: paid.id, productId: product.id });
    // Stripe's amount_refunded on the charge matches its known refund.
    const charge = await makeCharge(ctx.db, { orderId: paid.id, amount: 5000, amountRefunded: 1000 });
    await makeRefund(ctx.db, { chargeId: charge.id, orderId: paid.id, amount: 1000 });
    await makeRefund(ctx.db, { chargeId: charge.id, orderId: paid.id, amount: 500, status: "pending" });
    // A fresh paid order within the SLA, paid by intent (charge without order id).
    await makeOrder(ctx.db, {
      paidAt: new Date("2026-06-14T10:00:00Z"),
      stripePaymentIntentId: "pi_fresh",
    });
    await makeCharge(ctx.db, { paymentIntentId: "pi_fresh", created: new Date("2026-06-14T10:00:00Z") });
    // A canceled order whose reservation was released; a failed charge on nothing.
    await makeOrder(ctx.db, {
      status: "canceled",
      paidAt: null,
      canceledAt: new Date("2026-06-12T00:00:00Z"),
      stockReleasedAt: new Date("2026-06-12T00:00:00Z"),
      stripePaymentIntentId: null,
    });
    await makeCharge(ctx.db, { status: "failed", paid: false, amount: 999 });
    // A subscription invoice charge (no order id), an active subscription with events since its
    // period start, and a canceled one with no MRR.
    await makeCharge(ctx.db, {
      invoiceId: "in_1",
      amount: 2900,
      created: new Date("2026-06-01T00:00:05Z"),
    });
    const sub = await makeSubscription(ctx.db, { currentPeriodStart: new Date("2026-06-01T00:00:00Z") });
    await makeSubscriptionState(ctx.db, {
      subscriptionId: sub.id,
      created: new Date("2026-06-01T00:00:03Z"),
      status: "active",
      items: [],
      stripeCustomerId: "cus_test_1",
      mrr: 2900,
    });
    await makeSubscription(ctx.db, {
      status: "canceled",
      mrr: 0,
      canceledAt: new Date("2026-05-20T00:00:00Z"),
    });
    // Processed events and one received a minute ago (being applied right now).
    await makeStripeEvent(ctx.db);
    await makeStripeEvent(ctx.db, { status: "received", receivedAt: new Date("2026-06-15T11:59:00Z") });
    await buildSnapshots(ctx, { from: "2026-05-01", to: "2026-06-15", timezone: "UTC" }, systemActor);

    const { exitCode, summary } = await checksRun(ctx, { failOnIssues: true });
    expect(summary.open).toEqual([]);
    expect(summary.outcomes.every((o) => o.ok)).toBe(true);
    // Every registered check ran.
    expect(summary.outcomes.map((o) => o.check)).toEqual(CHECKS.map((c) => c.name));
    expect(exitCode).toBe(0);
  });
});
