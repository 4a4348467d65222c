/**
 * Stripe fidelity across API versions (property, seeded fast-check): random stories (amounts,
 * coupon, upgrade, a Checkout order, partial capture, refund known only from its charge, inquiry,
 * lost chargeback, KWD and JPY) × a random API version family per event × random delivery order with random duplicates,
 * delivered through the real webhook route (every delivery 2xx) and then left to the worker's
 * re-drive of failed events, always give the KPIs worked out from the story's own numbers by the
 * KPI contract — the same figures whatever the versions and the order.
 */
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../src/audit/index.ts";
import { queryRows } from "../../src/db/sql.ts";
import { replayFailed } from "../../src/payments/replay.ts";
import { createApp } from "../../src/web/app.ts";
import { createTestContext, type TestContext } from "../support/context.ts";
import {
  type App,
  inbox,
  insertStoryOrder,
  type Period,
  postEvent,
  rawKpis,
} from "../support/stripe-versions/harness.ts";
import { STORY, type StoryParams, storyEvents } from "../support/stripe-versions/story.ts";
import { FAMILIES, type Family } from "../support/stripe-versions/versions.ts";

const RUNS = 16;
let ctx: TestContext;
let app: App;
/** Tables empty after migration: what a run may write, emptied before the next run. */
const writable: string[] = [];

/** Every event id the story can send, in a fixed order (the index of a family choice). */
const EVENT_IDS = [
  ...storyEvents({ ...STORY, order: { id: 1, amount: 1 } }, () => "2024-06-20").map((e) => e.id),
  "evt_invoice_payment_paid",
];

const NONE = { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0 };

/** The KPIs of a story by the contract (kpis.md v2), from its parameters alone. */
function expectedKpis(p: StoryParams) {
  const mrr = (quantity: number) => (p.plan.unitAmount * quantity * (100 - p.plan.percentOff)) / 100;
  const first = mrr(p.plan.quantity);
  const upgraded = mrr(p.plan.upgradedQuantity);
  const order = p.order?.amount ?? 0;
  const usdGross = order + first + p.capture.captured + p.refundFromCharge.amount + p.inquiry + p.chargeback;
  const money = (gross: number, refunds: number, lost: number) => ({
    gross_revenue: gross,
    refunds,
    net_revenue: gross - refunds - lost,
    disputes_lost: lost,
  });
  return {
    may_usd: {
      ...money(usdGross, p.refundFromCharge.refunded, p.chargeback),
      disputes: p.chargeback,
      orders: 1,
      order_revenue: order,
      aov: order,
      customers: 1,
      new_customers: 1,
      mrr: upgraded,
      arr: upgraded * 12,
      active_subscriptions: 1,
      subscribers: 1,
      arpa: upgraded,
      mrr_movements: { ...NONE, new: first, expansion: upgraded - first, net: upgraded },
      customer_churn_rate: null,
      net_revenue_retention: null,
    },
    may_kwd: { ...money(p.kwd.amount, p.kwd.refunded, 0), disputes: 0, mrr: 0 },
    may_jpy: { ...money(p.jpy, 0, 0), disputes: 0, mrr: 0 },
    june_usd: {
      ...money(0, 0, 0),
      mrr: 0,
      mrr_movements: { ...NONE, churn: upgraded, net: -upgraded },
      customer_churn_rate: 1,
      revenue_churn_rate: 1,
      net_revenue_retention: 0,
      gross_revenue_retention: 0,
    },
  };
}

const PERIODS: Record<keyof ReturnType<typeof expectedKpis>, Period> = {
  may_usd: { from: "2026-05-01", to: "2026-05-31", currency: "usd" },
  may_kwd: { from: "2026-05-01", to: "2026-05-31", currency: "kwd" },
  may_jpy: { from: "2026-05-01", to: "2026-05-31", currency: "jpy" },
  june_usd: { from: "2026-06-01", to: "2026-06-14", currency: "usd" },
};

const hundreds = (min: number, max: number) =>
  fc.integer({ min: min / 100, max: max / 100 }).map((n) => n * 100);
const story: fc.Arbitrary<StoryParams> = fc
  .record({
    unitAmount: hundreds(1_000, 10_000),
    percentOff: fc.constantFrom(10, 20, 25, 50),
    upgradedQuantity: fc.integer({ min: 2, max: 4 }),
    authorized: hundreds(1_000, 20_000),
    capturedShare: fc.integer({ min: 1, max: 99 }),
    refundAmount: fc.integer({ min: 1_000, max: 20_000 }),
    refundedShare: fc.integer({ min: 1, max: 100 }),
    inquiry: fc.integer({ min: 500, max: 20_000 }),
    chargeback: fc.integer({ min: 500, max: 20_000 }),
    kwd: fc.integer({ min: 1_000, max: 50_000 }),
    kwdRefundedShare: fc.integer({ min: 1, max: 100 }),
    jpy: fc.integer({ min: 100, max: 100_000 }),
  })
  .map((r) => ({
    plan: {
      unitAmount: r.unitAmount,
      percentOff: r.percentOff,
      quantity: 1,
      upgradedQuantity: r.upgradedQuantity,
    },
    capture: { authorized: r.authorized, captured: Math.floor((r.authorized * r.capturedShare) / 100) },
    refundFromCharge: {
      amount: r.refundAmount,
      refunded: Math.max(1, Math.floor((r.refundAmount * r.refundedShare) / 100)),
    },
    inquiry: r.inquiry,
    chargeback: r.chargeback,
    kwd: { amount: r.kwd, refunded: Math.max(1, Math.floor((r.kwd * r.kwdRefundedShare) / 100)) },
    jpy: r.jpy,
  }));

async function reset(): Promise<void> {
  await ctx.db.execute(
    sql.raw(`TRUNCATE ${writable.map((t) => `"${t}"`).join(", ")} RESTART IDENTITY CASCADE`),
  );
}

beforeAll(async () => {
  ctx = await createTestContext();
  ({ app } = await createApp(ctx));
  const tables = await queryRows<{ table_name: string }>(
    ctx.db,
    sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  for (const { table_name } of tables) {
    const [row] = await queryRows<{ n: number }>(
      ctx.db,
      sql.raw(`SELECT count(*)::int AS n FROM "${table_name}"`),
    );
    if (Number(row?.n) === 0) writable.push(table_name);
  }
});
afterAll(() => ctx.destroy());

describe("stories × API version per event × delivery order and duplicates", () => {
  it(`converge to the contract's KPIs over ${RUNS} random runs`, async () => {
    let deliveries = 0;
    const arb = fc.record({
      story,
      families: fc.array(fc.constantFrom<Family>(...FAMILIES), {
        minLength: EVENT_IDS.length,
        maxLength: EVENT_IDS.length,
      }),
      keys: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 40, maxLength: 40 }),
      dups: fc.array(fc.nat(), { maxLength: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ story: random, families, keys, dups }) => {
        await reset();
        const p: StoryParams = { ...random, order: await insertStoryOrder(ctx) };
        const familyOf = (id: string) => families[EVENT_IDS.indexOf(id)] ?? "2024-06-20";
        const events = storyEvents(p, familyOf);
        const order = events
          .map((e, i) => ({ e, k: keys[i % keys.length]! + i * 1e-9 }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.e);
        for (const [n, d] of dups.entries())
          order.splice((n * 7) % (order.length + 1), 0, events[d % events.length]!);
        for (const event of order) {
          // 2xx means stored (and, when it can be, applied): never a 5xx, never refused.
          expect(await postEvent(ctx, app, event)).toBe(200);
        }
        deliveries += order.length;
        // The worker re-drives what failed because something it needs had not arrived yet.
        await replayFailed(ctx, systemActor, { limit: 1000 });
        await replayFailed(ctx, systemActor, { limit: 1000 });
        const stored = await inbox(ctx);
        expect(stored.filter((e) => e.status === "failed" || e.status === "received")).toEqual([]);
        expect(stored).toHaveLength(events.length); // duplicates stored once
        const expected = expectedKpis(p);
        for (const [key, period] of Object.entries(PERIODS)) {
          const got = await rawKpis(ctx, period);
          expect({ key, ...got }).toMatchObject({ key, ...expected[key as keyof typeof expected] });
        }
      }),
      { numRuns: RUNS, seed: 1616 },
    );
    console.log(
      `stripe-versions property: ${RUNS} random stories, each event at a random API version family, ` +
        `shuffled with duplicates (${deliveries} deliveries) → the contract's KPIs`,
    );
  });
});
