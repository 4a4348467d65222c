import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import {
  clearAnalyticsData,
  dataSetArb,
  dumpTables,
  FIRST_DAY,
  insertDataSet,
  orderArb,
  WINDOW_DAYS,
  WINDOW_START,
} from "../../../tests/support/random-data.ts";
import { cliActor } from "../../audit/index.ts";
import { queryRows } from "../../db/sql.ts";
import { addDays } from "../core/periods.ts";
import { markDaysDirty, NO_PAID_ORDERS } from "../dirty.ts";
import { computeKpis, computeKpisRaw } from "../index.ts";
import { type BuildStage, buildSnapshots } from "./build.ts";
import { MAX_CUSTOMERS_ONLY } from "./customer-days.ts";
import { rebuildDirtyDays } from "./dirty-rebuild.ts";

const ZONE = "America/New_York";
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { REPORTING_TIMEZONE: ZONE } });
});
afterAll(() => ctx.destroy());
beforeEach(() => clearAnalyticsData(ctx.db));

/**
 * Every day the random data can touch in New York, and four days before (an order paid earlier
 * twice, by up to two days each time), so every change lands on a built day.
 */
const ALL = { from: addDays(FIRST_DAY, -5), to: addDays(FIRST_DAY, WINDOW_DAYS + 1), timezone: ZONE };

/** The tables the orders and cohorts stages write, each in a fixed order. */
const TABLES = ["snap_customer_orders", "snap_daily_orders", "snap_customer_gaps", "snap_cohorts"];
const dump = () => dumpTables(ctx.db, TABLES);

/** The worker's job, returning the stages it ran. */
async function rebuild(): Promise<Set<BuildStage>> {
  const stages = new Set<BuildStage>();
  await rebuildDirtyDays(ctx, (stage) => stages.add(stage));
  return stages;
}

/** Changes to paid orders after a build, each marked as the app marks it (with its customers). */
const changesArb = fc.record({
  late: fc.array(orderArb, { minLength: 1, maxLength: 5 }),
  /** An existing paid order paid earlier (a late payment report), by 1 or 2 days. */
  earlier: fc.array(fc.record({ pick: fc.nat(), days: fc.integer({ min: 1, max: 2 }) }), { maxLength: 2 }),
  /** An existing paid order moved to another customer. */
  moved: fc.array(fc.record({ pick: fc.nat(), to: fc.integer({ min: 1, max: 5 }) }), { maxLength: 2 }),
  /** A day marked by a change of no paid order (a charge). */
  money: fc.option(fc.integer({ min: 0, max: WINDOW_DAYS - 1 })),
});

async function paidOrder(pick: number) {
  const rows = await queryRows<{ id: number; customer_id: number; paid_at: string }>(
    ctx.db,
    sql`SELECT id, customer_id, paid_at FROM orders WHERE paid_at IS NOT NULL ORDER BY id`,
  );
  return rows.length === 0 ? undefined : rows[pick % rows.length];
}

describe("a dirty day rebuilt for the customers whose paid orders changed", () => {
  it("writes a whole rebuild's rows, day totals, gap counts and cohorts, without the whole-day stages", async () => {
    const moved = { rows: 0, cohorts: 0 };
    await fc.assert(
      fc.asyncProperty(dataSetArb, changesArb, async (data, changes) => {
        await clearAnalyticsData(ctx.db);
        await insertDataSet(ctx.db, data);
        await buildSnapshots(ctx, ALL, cliActor);
        const before = await dump();
        for (const o of changes.late) {
          await makeOrder(ctx.db, o);
          await markDaysDirty(ctx, [o.paidAt], { paidOrdersOf: [o.customerId] });
        }
        for (const { pick, days } of changes.earlier) {
          const order = await paidOrder(pick);
          if (!order) continue;
          const was = new Date(order.paid_at);
          const paidAt = new Date(was.getTime() - days * 86_400_000);
          await ctx.db.execute(sql`UPDATE orders SET paid_at = ${paidAt} WHERE id = ${order.id}`);
          await markDaysDirty(ctx, [paidAt, was], { paidOrdersOf: [order.customer_id] });
        }
        for (const { pick, to } of changes.moved) {
          const order = await paidOrder(pick);
          if (!order) continue;
          await ctx.db.execute(sql`UPDATE orders SET customer_id = ${to} WHERE id = ${order.id}`);
          await markDaysDirty(ctx, [new Date(order.paid_at)], { paidOrdersOf: [order.customer_id, to] });
        }
        if (changes.money !== null)
          await markDaysDirty(ctx, [new Date(WINDOW_START + changes.money * 86_400_000)], NO_PAID_ORDERS);
        const stages = await rebuild();
        expect(stages.has("cohorts")).toBe(false);
        expect(stages.has("outside_days")).toBe(false);
        const incremental = await dump();
        if (JSON.stringify(incremental) !== JSON.stringify(before)) moved.rows += 1;
        if (JSON.stringify(incremental.snap_cohorts) !== JSON.stringify(before.snap_cohorts))
          moved.cohorts += 1;
        await buildSnapshots(ctx, ALL, cliActor);
        expect(incremental).toEqual(await dump());
      }),
      { numRuns: 25, seed: 20261206 },
    );
    // The changes must have moved the rows, and the cohorts, in many runs, or equality would prove little.
    expect(moved.rows).toBeGreaterThan(15);
    expect(moved.cohorts).toBeGreaterThan(10);
  }, 240_000);

  it("counts a late first order in the totals, gaps and cohorts of its day and of the customer's later days", async () => {
    await makeOrder(ctx.db, { customerId: 7, paidAt: "2026-03-20T16:00:00Z", amountTotal: 1000 });
    await makeOrder(ctx.db, { customerId: 8, paidAt: "2026-02-20T16:00:00Z", amountTotal: 300 });
    await buildSnapshots(ctx, { from: "2026-02-01", to: "2026-03-31", timezone: ZONE }, cliActor);
    const march = { from: "2026-03-01", to: "2026-03-31", timezone: ZONE, currency: "usd" };
    expect(await computeKpis(ctx, march)).toMatchObject({ customers: 1, new_customers: 1 });
    // Customer 7 paid on February 20 too, reported late: only customer 7's rows are recomputed.
    await makeOrder(ctx.db, { customerId: 7, paidAt: "2026-02-20T16:00:00Z", amountTotal: 500 });
    await markDaysDirty(ctx, [new Date("2026-02-20T16:00:00Z")], { paidOrdersOf: [7] });
    expect(await rebuild()).not.toContain("cohorts");
    // By hand: February 20 has two customers, both new, 800 of revenue; 7 is not new in March.
    const feb20 = { from: "2026-02-20", to: "2026-02-20", timezone: ZONE, currency: "usd" };
    expect(await computeKpis(ctx, feb20)).toMatchObject({ customers: 2, new_customers: 2, orders: 2 });
    expect(await computeKpis(ctx, march)).toMatchObject({ customers: 1, new_customers: 0 });
    expect(await computeKpis(ctx, march)).toEqual(await computeKpisRaw(ctx, march));
    const cohorts = await queryRows(
      ctx.db,
      sql`SELECT cohort_month, activity_month, customers FROM snap_cohorts ORDER BY 1, 2`,
    );
    expect(cohorts).toEqual([
      { cohort_month: "2026-02", activity_month: "2026-02", customers: 2 },
      { cohort_month: "2026-02", activity_month: "2026-03", customers: 1 },
    ]);
  });

  it("rebuilds the whole day when a day it touches was not built in the zone, a mark does not say whose, or too many customers changed", async () => {
    await makeOrder(ctx.db, { customerId: 1, paidAt: "2026-03-10T16:00:00Z" });
    await buildSnapshots(ctx, { from: "2026-03-01", to: "2026-03-31", timezone: ZONE }, cliActor);
    // A day before the built range: the customer's rows there were never written.
    await makeOrder(ctx.db, { customerId: 1, paidAt: "2026-02-10T16:00:00Z" });
    await markDaysDirty(ctx, [new Date("2026-02-10T16:00:00Z")], { paidOrdersOf: [1] });
    expect(await rebuild()).toContain("cohorts");
    // A built day, but one of its marks does not say whose paid orders changed.
    await makeOrder(ctx.db, { customerId: 2, paidAt: "2026-03-12T16:00:00Z" });
    await markDaysDirty(ctx, [new Date("2026-03-12T16:00:00Z")], { paidOrdersOf: [2] });
    await markDaysDirty(ctx, [new Date("2026-03-12T18:00:00Z")]);
    expect(await rebuild()).toContain("cohorts");
    // Built, and every mark says whose.
    await makeOrder(ctx.db, { customerId: 3, paidAt: "2026-03-12T16:00:00Z" });
    await markDaysDirty(ctx, [new Date("2026-03-12T16:00:00Z")], { paidOrdersOf: [3] });
    expect(await rebuild()).not.toContain("cohorts");
    // More customers than a customer-by-customer rebuild is worth: the whole day.
    const many = Array.from({ length: MAX_CUSTOMERS_ONLY + 1 }, (_, i) => 100 + i);
    await markDaysDirty(ctx, [new Date("2026-03-12T16:00:00Z")], { paidOrdersOf: many });
    expect(await rebuild()).toContain("cohorts");
    await markDaysDirty(ctx, [new Date("2026-03-12T16:00:00Z")], { paidOrdersOf: many.slice(1) });
    expect(await rebuild()).not.toContain("cohorts");
    const range = { from: "2026-02-01", to: "2026-03-31", timezone: ZONE, currency: "usd" };
    expect(await computeKpis(ctx, range)).toEqual(await computeKpisRaw(ctx, range));
  });
});
