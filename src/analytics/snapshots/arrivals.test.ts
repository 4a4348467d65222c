import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeCharge } from "../../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { onPostgres } from "../../../tests/support/db.ts";
import {
  chargeArb,
  clearAnalyticsData,
  dataSetArb,
  dumpTables,
  FIRST_DAY,
  insertDataSet,
  orderArb,
  WINDOW_DAYS,
  WINDOW_START,
} from "../../../tests/support/random-data.ts";
import { deliver, insertPendingOrder } from "../../../tests/support/webhooks.ts";
import { cliActor } from "../../audit/index.ts";
import { queryRows } from "../../db/sql.ts";
import { createStripeFactory } from "../../offline/objects/event-factory.ts";
import { addDays } from "../core/periods.ts";
import { type Arrivals, markDaysDirty, NO_PAID_ORDERS } from "../dirty.ts";
import { computeKpis, computeKpisRaw } from "../index.ts";
import { buildSnapshots } from "./build.ts";
import { rebuildDirtyDays } from "./dirty-rebuild.ts";

const ZONE = "America/New_York";
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { REPORTING_TIMEZONE: ZONE }, poolSize: 4 });
});
afterAll(() => ctx.destroy());
beforeEach(() => clearAnalyticsData(ctx.db));

/** Every day the random data can touch in New York. */
const ALL = { from: addDays(FIRST_DAY, -1), to: addDays(FIRST_DAY, WINDOW_DAYS + 1), timezone: ZONE };

/** The tables an order's payment or a charge's arrival changes, each in a fixed order. */
const TABLES = ["snap_daily_products", "snap_daily_amounts", "snap_daily_ledger"];
const dump = () => dumpTables(ctx.db, TABLES);

/** Marks a paid order's or a stored charge's day as the app marks it: an arrival. */
async function markArrived(db: TestContext["db"], customers: number[], arrived: Arrivals) {
  const at = [
    ...(arrived.orders ?? []).map((o) => o.paidAt),
    ...(arrived.charges ?? []).map((c) => c.created),
  ];
  await markDaysDirty({ ...ctx, db }, at, { paidOrdersOf: customers, arrived });
}

async function pendingRows(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM snap_pending`);
  return row!.n;
}

/** Orders paid and charges stored after a build, with what else may happen before the job runs. */
const arrivalsArb = fc.record({
  paid: fc.array(
    orderArb.map((o) => ({ ...o, paidAt: o.paidAt ?? new Date(WINDOW_START) })),
    { minLength: 1, maxLength: 4 },
  ),
  charges: fc.array(chargeArb, { maxLength: 4 }),
  /** An operator's build of some days, after the arrivals and before the job. */
  build: fc.option(
    fc.record({ from: fc.integer({ min: 0, max: WINDOW_DAYS - 1 }), days: fc.integer({ min: 0, max: 5 }) }),
  ),
  /** A change that is not an arrival (a refund) on one day. */
  recount: fc.option(fc.integer({ min: 0, max: WINDOW_DAYS - 1 })),
});

describe("a dirty day whose changes are arrivals only", () => {
  it("adds the orders just paid and the charges just stored to the built counts, as a whole rebuild counts them, never twice", async () => {
    const moved = { runs: 0, built: 0 };
    await fc.assert(
      fc.asyncProperty(dataSetArb, arrivalsArb, async (data, change) => {
        await clearAnalyticsData(ctx.db);
        await insertDataSet(ctx.db, data);
        await buildSnapshots(ctx, ALL, cliActor);
        const before = await dump();
        for (const o of change.paid) {
          await ctx.db.transaction(async (tx) => {
            const order = await makeOrder(tx, o);
            await markArrived(tx, [o.customerId], { orders: [{ id: order.id, paidAt: order.paidAt! }] });
          });
        }
        for (const c of change.charges) {
          await ctx.db.transaction(async (tx) => {
            const charge = await makeCharge(tx, { ...c, fee: c.fee ?? null });
            await markArrived(tx, [], { charges: [{ id: charge.id, created: charge.created }] });
          });
        }
        if (change.build) {
          // Counts what arrived on its days and takes their pending rows: the job must not add them again.
          const from = addDays(FIRST_DAY, change.build.from);
          await buildSnapshots(ctx, { from, to: addDays(from, change.build.days), timezone: ZONE }, cliActor);
          moved.built += 1;
        }
        if (change.recount !== null)
          await markDaysDirty(ctx, [new Date(WINDOW_START + change.recount * 86_400_000)], NO_PAID_ORDERS);
        await rebuildDirtyDays(ctx);
        expect(await pendingRows()).toBe(0);
        const incremental = await dump();
        if (JSON.stringify(incremental) !== JSON.stringify(before)) moved.runs += 1;
        await buildSnapshots(ctx, ALL, cliActor);
        expect(incremental).toEqual(await dump());
      }),
      { numRuns: 30, seed: 20261207 },
    );
    // The arrivals must have moved the counts in most runs, with an operator's build between in some.
    expect(moved.runs).toBeGreaterThan(25);
    expect(moved.built).toBeGreaterThan(5);
  }, 240_000);

  it("adds the arrivals alone and recounts the day when a mark is not an arrival or a day was not built in the zone", async () => {
    const paidAt = new Date("2026-03-10T16:00:00Z");
    const day = { from: "2026-03-10", to: "2026-03-10", timezone: ZONE, currency: "usd" };
    await makeOrder(ctx.db, { paidAt, lines: [{ productId: 1, quantity: 1, unitPrice: 1000 }] });
    await buildSnapshots(ctx, { from: "2026-03-01", to: "2026-03-31", timezone: ZONE }, cliActor);
    // A stored count made wrong by hand: adding an arrival leaves it wrong, a recount repairs it.
    await ctx.db.execute(sql`UPDATE snap_daily_products SET units = units + 100 WHERE day = '2026-03-10'`);
    const units = async (day = "2026-03-10") =>
      (
        await queryRows<{ units: number }>(
          ctx.db,
          sql`SELECT units::int FROM snap_daily_products WHERE day = ${day}::date`,
        )
      )[0]?.units;
    const order = await makeOrder(ctx.db, {
      paidAt,
      lines: [{ productId: 1, quantity: 2, unitPrice: 1000 }],
    });
    await markArrived(ctx.db, [1], { orders: [{ id: order.id, paidAt }] });
    await rebuildDirtyDays(ctx);
    expect(await units()).toBe(103);
    expect((await computeKpis(ctx, day)).orders).toBe(2);
    await markDaysDirty(ctx, [paidAt], NO_PAID_ORDERS);
    await rebuildDirtyDays(ctx);
    expect(await units()).toBe(3);
    // A day outside the built range: the arrival's mark recounts it (its other orders were never counted).
    const february = new Date("2026-02-10T16:00:00Z");
    await makeOrder(ctx.db, { paidAt: february, lines: [{ productId: 1, quantity: 5, unitPrice: 100 }] });
    const late = await makeOrder(ctx.db, {
      paidAt: february,
      lines: [{ productId: 1, quantity: 1, unitPrice: 100 }],
    });
    await markArrived(ctx.db, [1], { orders: [{ id: late.id, paidAt: february }] });
    await rebuildDirtyDays(ctx);
    expect(await units("2026-02-10")).toBe(6);
    const feb = { from: "2026-02-10", to: "2026-02-10", timezone: ZONE, currency: "usd" };
    expect(await computeKpis(ctx, feb)).toEqual(await computeKpisRaw(ctx, feb));
    expect((await computeKpis(ctx, feb)).orders).toBe(2);
    expect(await pendingRows()).toBe(0);
  });

  it("marks a payment and a newly stored charge delivered by webhook as arrivals, and a later change of the charge as a recount", async () => {
    const f = createStripeFactory({ seed: "arrivals", now: new Date("2026-06-15T10:00:00Z") });
    const june = { from: "2026-06-01", to: "2026-06-30", timezone: ZONE, currency: "usd" };
    await buildSnapshots(ctx, june, cliActor);
    const { orderId } = await insertPendingOrder(ctx, [{ unitPrice: 2500, quantity: 2 }]);
    const { charge, paymentIntent } = f.makePayment({
      amount: 5000,
      metadata: { order_id: String(orderId) },
    });
    await deliver(ctx, f.makeEvent("payment_intent.succeeded", paymentIntent));
    await deliver(ctx, f.makeEvent("charge.succeeded", charge));
    const marks = () =>
      queryRows<{ arrivals_only: boolean }>(ctx.db, sql`SELECT arrivals_only FROM dirty_days ORDER BY id`);
    expect((await marks()).every((m) => m.arrivals_only)).toBe(true);
    expect(
      await queryRows(
        ctx.db,
        sql`SELECT target, order_id, charge_id FROM snap_pending ORDER BY target, order_id`,
      ),
    ).toEqual([
      { target: "amounts", order_id: orderId, charge_id: null },
      { target: "amounts", order_id: null, charge_id: charge.id },
      { target: "products", order_id: orderId, charge_id: null },
    ]);
    await rebuildDirtyDays(ctx);
    const k = await computeKpis(ctx, june);
    expect([k.orders, k.gross_revenue]).toEqual([1, 5000]);
    expect(k).toEqual(await computeKpisRaw(ctx, june));
    // The same charge again, now refunded in part: a change of a stored charge is recounted.
    const refunded = { ...charge, amount_refunded: 1000, refunded: false };
    await deliver(ctx, f.makeEvent("charge.refunded", refunded as typeof charge));
    expect((await marks()).some((m) => !m.arrivals_only)).toBe(true);
    await rebuildDirtyDays(ctx);
    expect(await computeKpis(ctx, june)).toEqual(await computeKpisRaw(ctx, june));
  });

  it.runIf(onPostgres)(
    "counts once an order whose payment commits after a build's snapshot: the build leaves its pending row, the job adds it",
    async () => {
      const paidAt = new Date("2026-03-12T16:00:00Z");
      const march = { from: "2026-03-01", to: "2026-03-31", timezone: ZONE };
      await makeOrder(ctx.db, { paidAt, lines: [{ productId: 2, quantity: 1, unitPrice: 700 }] });
      await buildSnapshots(ctx, march, cliActor);
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let paid!: () => void;
      const isPaid = new Promise<void>((resolve) => {
        paid = resolve;
      });
      const payment = ctx.db.transaction(async (tx) => {
        const order = await makeOrder(tx, { paidAt, lines: [{ productId: 2, quantity: 4, unitPrice: 700 }] });
        await markArrived(tx, [1], { orders: [{ id: order.id, paidAt }] });
        paid();
        await held;
      });
      await Promise.race([isPaid, payment]);
      try {
        // An operator's build while the payment is uncommitted: it neither counts nor takes it.
        await buildSnapshots(ctx, march, cliActor);
      } finally {
        release();
        await payment;
      }
      expect(await pendingRows()).toBe(2);
      await rebuildDirtyDays(ctx);
      const units = await queryRows(ctx.db, sql`SELECT units::int FROM snap_daily_products`);
      expect(units).toEqual([{ units: 5 }]);
      const day = { ...march, from: "2026-03-12", to: "2026-03-12", currency: "usd" };
      expect(await computeKpis(ctx, day)).toEqual(await computeKpisRaw(ctx, day));
    },
  );
});
