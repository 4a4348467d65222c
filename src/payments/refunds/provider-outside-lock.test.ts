import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { insertPaidOrder, orderState } from "../../../tests/support/webhooks.ts";
import type { Actor } from "../../audit/index.ts";
import { createStripeFactory } from "../../offline/objects/event-factory.ts";
import { lockOrderForPayment } from "../../orders/index.ts";
import { orders } from "../../orders/schema.ts";
import { getPaymentProvider } from "../index.ts";
import type { PaymentProvider, RefundRequest } from "../provider.ts";
import { refunds } from "../schema.ts";
import { retryRefundRequests, STALE_REQUEST_MS } from "./retry.ts";
import { refundRequests } from "./schema.ts";
import { createRefund } from "./service.ts";

/** No network call under the order lock: the provider is asked after the order row is released. */
let ctx: TestContext;
const f = createStripeFactory({ seed: "refund-outside-lock", now: new Date("2026-06-15T10:00:00Z") });
const ops: Actor = { type: "user", id: "7", role: "ops" };

beforeAll(async () => {
  ctx = await createTestContext({ poolSize: 4 });
});
afterAll(() => ctx.destroy());

async function paidOrder(amount: number) {
  return (await insertPaidOrder(ctx, f, [{ unitPrice: amount, quantity: 1 }])).orderId;
}

/** The configured (offline) provider, whose refund call waits until the test lets it answer. */
function slowProvider(options: { failFirst?: boolean } = {}) {
  const real = getPaymentProvider(ctx);
  const calls: RefundRequest[] = [];
  let entered!: () => void;
  let release!: () => void;
  const inFlight = new Promise<void>((resolve) => (entered = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const provider: PaymentProvider = {
    ...real,
    async createRefund(c, request) {
      calls.push(request);
      entered();
      await gate;
      if (options.failFirst && calls.length === 1) throw new Error("socket hang up");
      return real.createRefund(c, request);
    },
  };
  return { provider, calls, inFlight, release };
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | "timed out"> {
  return Promise.race([promise, new Promise<"timed out">((r) => setTimeout(() => r("timed out"), ms))]);
}

describe("refunds call the provider outside the order lock", () => {
  it("while the provider is answering, another transaction locks and updates the order without waiting", async () => {
    const orderId = await paidOrder(4000);
    const slow = slowProvider();
    const refund = createRefund(ctx, { orderId, amount: 1500, note: "slow provider" }, ops, slow.provider);
    await slow.inFlight;
    const other = ctx.db.transaction(async (tx) => {
      const order = await lockOrderForPayment(tx, orderId);
      await tx
        .update(orders)
        .set({ updatedAt: new Date("2026-06-15T11:00:00Z") })
        .where(eq(orders.id, order.id));
      return "done";
    });
    // The provider has not answered (it waits for release): the lock was not held across its call.
    expect(await within(other, 5_000)).toBe("done");
    slow.release();
    const answer = await refund;
    expect(answer).toMatchObject({ amount: 1500, refundable: 2500 });
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 1500 });
    const [request] = await ctx.db.select().from(refundRequests).where(eq(refundRequests.orderId, orderId));
    expect(request).toMatchObject({ status: "recorded", refundId: answer.refundId });
  });

  it("a request in flight counts against the refundable amount", async () => {
    const orderId = await paidOrder(3000);
    const slow = slowProvider();
    const first = createRefund(ctx, { orderId, amount: 2000 }, ops, slow.provider);
    await slow.inFlight;
    // 3000 − 2000 requested = 1000 left: 1001 is one too many, even before the provider answered.
    await expect(createRefund(ctx, { orderId, amount: 1001 }, ops)).rejects.toMatchObject({
      code: "refund.exceeds_refundable",
    });
    slow.release();
    await first;
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 2000 });
  });

  it("a provider call that died is sent again by the worker with the same key, and refunds once", async () => {
    const orderId = await paidOrder(5000);
    const slow = slowProvider({ failFirst: true });
    slow.release();
    await expect(createRefund(ctx, { orderId, amount: 1200 }, ops, slow.provider)).rejects.toThrow(
      "socket hang up",
    );
    const [pending] = await ctx.db.select().from(refundRequests).where(eq(refundRequests.orderId, orderId));
    expect(pending).toMatchObject({ status: "pending", attempts: 1 });
    // Still reserved: 5000 − 1200 = 3800 left.
    await expect(createRefund(ctx, { orderId, amount: 3801 }, ops)).rejects.toMatchObject({
      code: "refund.exceeds_refundable",
    });
    const start = ctx.clock.now();
    try {
      ctx.clock.advance(STALE_REQUEST_MS + 1000);
      expect(await retryRefundRequests(ctx, slow.provider)).toBe(1);
      expect(await retryRefundRequests(ctx, slow.provider)).toBe(0);
    } finally {
      ctx.clock.set(start);
    }
    expect(slow.calls.map((c) => c.idempotencyKey)).toEqual([pending!.id, pending!.id]);
    const rows = await ctx.db.select().from(refunds).where(eq(refunds.orderId, orderId));
    expect(rows.map((r) => [r.amount, r.status])).toEqual([[1200, "succeeded"]]);
    expect(await orderState(ctx, orderId)).toEqual({ status: "paid", amountRefunded: 1200 });
  });
});
