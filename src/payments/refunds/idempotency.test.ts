import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { onPostgres } from "../../../tests/support/db.ts";
import { insertPaidOrder, orderState } from "../../../tests/support/webhooks.ts";
import type { Actor } from "../../audit/index.ts";
import { createStripeFactory } from "../../offline/objects/event-factory.ts";
import { refundIdempotencyKeys, refunds } from "../schema.ts";
import { keptRefundAnswer, refundFingerprint } from "./idempotency.ts";
import { acceptRefundRequest } from "./requests.ts";
import { completeRefundRequest, createRefund } from "./service.ts";

/** Refund idempotency keys are kept in the database by the refund service (refund_policy.md). */
let ctx: TestContext;
const f = createStripeFactory({ seed: "refund-idempotency", now: new Date("2026-06-15T10:00:00Z") });
const ops: Actor = { type: "user", id: "7", role: "ops" };

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

async function paidOrder(amount: number) {
  return (await insertPaidOrder(ctx, f, [{ unitPrice: amount, quantity: 1 }])).orderId;
}

async function refundAmounts(orderId: number) {
  const rows = await ctx.db.select().from(refunds).where(eq(refunds.orderId, orderId));
  return rows.map((r) => r.amount);
}

/** The same database seen by a new process: nothing the first one held in memory is left. */
function restarted(): TestContext {
  return { ...ctx };
}

describe("refund idempotency keys", () => {
  it("survive a restart: the same key and parameters return the first refund", async () => {
    const orderId = await paidOrder(4000);
    const input = { orderId, amount: 1500, note: "dented lid", idempotencyKey: "refund-restart-0001" };
    const first = await createRefund(ctx, input, ops);
    const again = await createRefund(restarted(), input, ops);
    expect(again).toEqual(first);
    expect(await refundAmounts(orderId)).toEqual([1500]);
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 1500 });
    const [kept] = await ctx.db
      .select()
      .from(refundIdempotencyKeys)
      .where(eq(refundIdempotencyKeys.key, "refund-restart-0001"));
    expect(kept).toMatchObject({ refundId: first.refundId, orderId });
  });

  it("after a restart, the same key with other parameters is refused and refunds nothing", async () => {
    const orderId = await paidOrder(4000);
    await createRefund(ctx, { orderId, amount: 1000, idempotencyKey: "refund-restart-0002" }, ops);
    await expect(
      createRefund(
        restarted(),
        { orderId, amount: 1000, note: "other", idempotencyKey: "refund-restart-0002" },
        ops,
      ),
    ).rejects.toMatchObject({ code: "refund.idempotency_error", status: 400 });
    expect(await refundAmounts(orderId)).toEqual([1000]);
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 1000 });
  });

  it("a retried full refund returns the first refund, not exceeds_refundable", async () => {
    const orderId = await paidOrder(3000);
    const input = { orderId, amount: 3000, idempotencyKey: "refund-full-0003" };
    const first = await createRefund(ctx, input, ops);
    expect(await orderState(ctx, orderId)).toEqual({ status: "refunded", amountRefunded: 3000 });
    expect(await createRefund(ctx, input, ops)).toEqual(first);
    expect(await createRefund(restarted(), input, ops)).toEqual(first);
    expect(await refundAmounts(orderId)).toEqual([3000]);
  });

  it("a key from another order's refund is refused, even after that order is fully refunded", async () => {
    const a = await paidOrder(2000);
    const b = await paidOrder(2000);
    await createRefund(ctx, { orderId: a, amount: 2000, idempotencyKey: "refund-shared-0004" }, ops);
    await expect(
      createRefund(ctx, { orderId: b, amount: 2000, idempotencyKey: "refund-shared-0004" }, ops),
    ).rejects.toMatchObject({ code: "refund.idempotency_error", status: 400 });
    expect(await refundAmounts(b)).toEqual([]);
  });

  it("is forgotten after 24 hours, as at Stripe: the key then starts a new refund", async () => {
    const orderId = await paidOrder(4000);
    const input = { orderId, amount: 1000, idempotencyKey: "refund-expiry-0005" };
    const start = ctx.clock.now();
    try {
      const first = await createRefund(ctx, input, ops);
      ctx.clock.advance(24 * 3_600_000 - 1000);
      expect((await createRefund(ctx, input, ops)).refundId).toBe(first.refundId);
      ctx.clock.advance(2000);
      const later = await createRefund(ctx, input, ops);
      expect(later.refundId).not.toBe(first.refundId);
      expect(await refundAmounts(orderId)).toEqual([1000, 1000]);
    } finally {
      ctx.clock.set(start);
    }
  });

  // Two callers with one key: the second's acceptance reads "no kept answer", then "no request in
  // flight". The first caller's recording must not commit between those reads, or the second finds
  // neither and sends a second refund to the provider (seen once in CI). On PGlite transactions take
  // turns anyway, so the interleaving exists only on PostgreSQL.
  it.runIf(onPostgres)(
    "holds a recording while another acceptance with the key is between its reads",
    async () => {
      const orderId = await paidOrder(5000);
      const key = "refund-race-0005";
      const parameters = { orderId, amount: 2000, reason: "requested_by_customer" as const, restock: false };
      const fingerprint = refundFingerprint(parameters);
      const accepted = await acceptRefundRequest(
        ctx,
        { ...parameters, idempotencyKey: key },
        fingerprint,
        ops,
      );
      if (!("request" in accepted)) throw new Error("expected a new request");
      let recorded = false;
      let recording: Promise<unknown> = Promise.resolve();
      await ctx.db.transaction(async (tx) => {
        expect(await keptRefundAnswer(tx, key, fingerprint, ctx.clock.now())).toBeUndefined();
        recording = completeRefundRequest(ctx, accepted.request).then(() => {
          recorded = true;
        });
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(recorded).toBe(false);
      });
      await recording;
      expect(recorded).toBe(true);
      const again = await createRefund(ctx, { ...parameters, idempotencyKey: key }, ops);
      expect(await refundAmounts(orderId)).toEqual([2000]);
      expect(again.refundable).toBe(3000);
    },
  );
});
