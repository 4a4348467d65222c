/**
 * Duplicates and ordering (property test, seeded fast-check): a realistic event stream — customers,
 * payments of real orders (payment intent + charge), partial and full refunds (refund.created +
 * charge.refunded), subscriptions with invoices, upgrades and cancellations — delivered in random
 * interleavings with random duplicates always converges to the ledger, order states and KPIs of the
 * in-order, once-each delivery.
 */
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeKpisRaw } from "../../src/analytics/index.ts";
import { systemActor } from "../../src/audit/index.ts";
import { createStripeFactory, type StripeEventObject } from "../../src/offline/objects/event-factory.ts";
import { replayFailed } from "../../src/payments/replay.ts";
import { createTestContext, type TestContext } from "../support/context.ts";
import { ledgerDigest } from "../support/ledger-digest.ts";
import { buildEventStream } from "../support/stripe-stream.ts";
import { deliver, insertPendingOrder } from "../support/webhooks.ts";

const RUNS = 30;
const PERIOD = { from: "2026-05-01", to: "2026-06-14", timezone: "UTC" };
let ctx: TestContext;
let stream: StripeEventObject[];

const RESET = [
  "TRUNCATE stripe_events, charges, refunds, disputes, subscriptions, subscription_history, invoices, dirty_days",
  "DELETE FROM customers WHERE stripe_customer_id IS NOT NULL AND email IS NULL",
  `UPDATE orders SET status = 'pending', amount_refunded = 0, paid_at = NULL, fulfilled_at = NULL,
     canceled_at = NULL, refunded_at = NULL, stock_released_at = NULL`,
];

async function reset(): Promise<void> {
  for (const statement of RESET) await ctx.db.execute(sql.raw(statement));
}

/** Delivers events as given, then lets the worker re-drive anything that failed (as in production). */
async function apply(events: StripeEventObject[]) {
  await reset();
  for (const event of events) await deliver(ctx, event);
  await replayFailed(ctx, systemActor, { limit: 1000 });
  await replayFailed(ctx, systemActor, { limit: 1000 });
  return { digest: await ledgerDigest(ctx.db), kpis: await computeKpisRaw(ctx, PERIOD) };
}

beforeAll(async () => {
  ctx = await createTestContext();
  // Two real orders paid through Stripe, one of them partly then fully refunded.
  const f = createStripeFactory({ seed: "dup-order", now: new Date("2026-05-03T09:00:00Z") });
  const orderEvents: StripeEventObject[] = [];
  for (const [i, total] of [4_500, 12_000].entries()) {
    const order = await insertPendingOrder(ctx, [{ unitPrice: total, quantity: 1 }]);
    const meta = { order_id: String(order.orderId) };
    const { charge, paymentIntent } = f.makePayment({ amount: total, metadata: meta });
    orderEvents.push(
      f.makeEvent("payment_intent.succeeded", paymentIntent),
      f.makeEvent("charge.succeeded", charge),
    );
    if (i === 1) {
      f.advance(3600);
      const part = f.applyRefund(charge, { amount: 2_000 });
      orderEvents.push(f.makeEvent("refund.created", part.refund));
      orderEvents.push(
        f.makeEvent("charge.refunded", part.charge, { previousAttributes: part.previousAttributes }),
      );
      f.advance(3600);
      const rest = f.applyRefund(part.charge);
      orderEvents.push(f.makeEvent("refund.created", rest.refund));
      orderEvents.push(
        f.makeEvent("charge.refunded", rest.charge, { previousAttributes: rest.previousAttributes }),
      );
    }
  }
  stream = [...orderEvents, ...buildEventStream({ seed: 5, events: 40, days: 20 })];
});
afterAll(() => ctx.destroy());

describe("duplicates and ordering", () => {
  it(`converges to the same ledger, order states and KPIs over ${RUNS} random deliveries`, async () => {
    const reference = await apply(stream);
    expect(reference.digest.orders!.rows).toBe(2);
    let delivered = 0;
    const arb = fc.record({
      keys: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
        minLength: stream.length,
        maxLength: stream.length,
      }),
      dups: fc.array(fc.integer({ min: 0, max: stream.length - 1 }), { maxLength: 20 }),
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ keys, dups }) => {
        const shuffled = stream
          .map((e, i) => ({ e, k: keys[i]! }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.e);
        const events = [...shuffled];
        for (const [n, i] of dups.entries()) events.splice((n * 7) % (events.length + 1), 0, stream[i]!);
        delivered += events.length;
        const run = await apply(events);
        expect(run.digest).toEqual(reference.digest);
        expect(run.kpis).toEqual(reference.kpis);
      }),
      { numRuns: RUNS, seed: 777 },
    );
    console.log(
      `duplicates-ordering: ${RUNS} random interleavings with up to 20 duplicates of a ${stream.length}-event stream ` +
        `(${delivered} deliveries; 2 orders, refunds, subscriptions) → same ledger (${Object.keys(reference.digest).length} tables), order states and KPIs`,
    );
  });
});
