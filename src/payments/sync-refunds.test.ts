import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { deliver, insertPendingOrder, orderState } from "../../tests/support/webhooks.ts";
import { computeKpisRaw } from "../analytics/index.ts";
import { cliActor } from "../audit/index.ts";
import { checksRun } from "../cli/checks.ts";
import { createStripeFactory } from "../offline/objects/event-factory.ts";
import { type FakeStripe, startFakeStripe, stripeClientFor } from "../offline/stripe-api/server.ts";
import { refunds } from "./schema.ts";
import { syncFromStripe } from "./sync.ts";

let ctx: TestContext;
let fake: FakeStripe;
const f = createStripeFactory({ seed: "sync-refunds", now: new Date("2026-06-10T09:00:00Z") });

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await fake?.close();
  await ctx.destroy();
});

describe("stripe sync of refunds known only from their charge", () => {
  it("replaces the provisional refund by the refund object it fetches, counting the money once", async () => {
    const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 6000, quantity: 1 }]);
    const { charge } = f.makePayment({ amount: 6000, metadata: { order_id: String(orderId) } });
    f.advance(3600);
    const refunded = f.applyRefund(charge, { amount: 2000 });
    // Only the charge events arrive (no refund.* subscription).
    await deliver(ctx, f.makeEvent("charge.succeeded", charge));
    await deliver(ctx, f.makeEvent("charge.refunded", refunded.charge));
    const period = { from: "2026-06-01", to: "2026-06-30", timezone: "UTC", currency: "usd" };
    const provisional = await ctx.db.select().from(refunds).where(eq(refunds.chargeId, charge.id));
    expect(provisional.map((r) => [r.provisional, r.amount])).toEqual([[true, 2000]]);
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 2000 });
    expect((await computeKpisRaw(ctx, period)).refunds).toBe(2000);
    // The check names the charge and the command.
    const before = await checksRun(ctx, { check: "charge-refunds", failOnIssues: true });
    expect(before.exitCode).toBe(1);
    expect(before.summary.open[0]?.example).toContain("run `revintel stripe sync --since 2026-06-10`");

    fake = await startFakeStripe({ charges: [refunded.charge], refunds: [refunded.refund] });
    await syncFromStripe(ctx, cliActor, { client: stripeClientFor(fake) });

    const after = await ctx.db.select().from(refunds).where(eq(refunds.chargeId, charge.id));
    expect(after.map((r) => [r.id, r.provisional, r.amount])).toEqual([[refunded.refund.id, false, 2000]]);
    // 2000 once (never 4000); the order still shows 2000 refunded.
    expect((await computeKpisRaw(ctx, period)).refunds).toBe(2000);
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 2000 });
    expect((await checksRun(ctx, { check: "charge-refunds", failOnIssues: true })).exitCode).toBe(0);
  });
});
