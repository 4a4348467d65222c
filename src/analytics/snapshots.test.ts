import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrder } from "../../tests/support/builders/orders.ts";
import { makeSubscriptionState } from "../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import {
  clearAnalyticsData,
  dataSetArb,
  dumpTables,
  insertDataSet,
  WINDOW_DAYS,
} from "../../tests/support/random-data.ts";
import { cliActor, listAuditEvents } from "../audit/index.ts";
import { queryRows } from "../db/sql.ts";
import { addDays, dayOf } from "./core/periods.ts";
import { buildSnapshots, computeKpis, computeKpisRaw, getCohortRetention } from "./index.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

const FIRST_DAY = "2026-10-25";
const periodArb = fc
  .tuple(fc.integer({ min: -1, max: WINDOW_DAYS }), fc.integer({ min: 0, max: WINDOW_DAYS }))
  .map(([a, length]) => ({
    from: addDays(FIRST_DAY, a),
    to: addDays(FIRST_DAY, a + Math.min(length, WINDOW_DAYS - a)),
  }));
const zoneArb = fc.constantFrom("UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata");

const TABLES = [
  "snap_daily_ledger",
  "snap_daily_orders",
  "snap_customer_orders",
  "snap_customer_gaps",
  "snap_daily_products",
  "snap_customer_mrr",
  "snap_daily_mrr",
  "snap_cohorts",
];

async function dumpSnapshots(): Promise<string> {
  const parts: string[] = [];
  for (const table of TABLES) {
    const rows = await queryRows(ctx.db, sql.raw(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4`));
    parts.push(`${table}:${JSON.stringify(rows)}`);
  }
  return parts.join("\n");
}

/** Every MRR table's rows (the customer MRR stage and the ones after it), in a fixed order. */
const MRR_TABLES = [
  "snap_customer_mrr",
  "snap_daily_mrr",
  "snap_plan_mrr",
  "snap_subscription_plan_mrr",
  "snap_subscription_mrr",
];
const dumpMrr = () => dumpTables(ctx.db, MRR_TABLES);

/** The converted view's amount counts, in a fixed order. */
const dumpAmounts = () => queryRows(ctx.db, sql`SELECT * FROM snap_daily_amounts t ORDER BY t::text`);

describe("snapshots", () => {
  it("give the same KPIs as the raw tables for random data, zones and periods", async () => {
    const seen = { revenue: 0, customers: 0, mrr: 0, movements: 0 };
    await fc.assert(
      fc.asyncProperty(
        dataSetArb,
        zoneArb,
        fc.array(periodArb, { minLength: 1, maxLength: 3 }),
        fc.constantFrom("usd", "eur"),
        async (data, timezone, periods, currency) => {
          await clearAnalyticsData(ctx.db);
          await insertDataSet(ctx.db, data);
          await buildSnapshots(
            ctx,
            { from: addDays(FIRST_DAY, -3), to: addDays(FIRST_DAY, WINDOW_DAYS + 2), timezone },
            cliActor,
          );
          for (const period of periods) {
            for (const livemode of [false, true]) {
              const params = { ...period, timezone, currency, livemode };
              const raw = await computeKpisRaw(ctx, params);
              expect(await computeKpis(ctx, params)).toEqual(raw);
              if (raw.gross_revenue > 0) seen.revenue += 1;
              if (raw.customers > 1) seen.customers += 1;
              if (raw.mrr > 0) seen.mrr += 1;
              if (raw.mrr_movements.churn + raw.mrr_movements.reactivation > 0) seen.movements += 1;
            }
          }
        },
      ),
      { numRuns: 30, seed: 20260315 },
    );
    // The random data must exercise every part, or equality would prove little.
    expect(Math.min(seen.revenue, seen.customers, seen.mrr, seen.movements)).toBeGreaterThan(2);
  }, 180_000);

  it("stay equal to the raw tables when only the days of late facts are rebuilt", async () => {
    const zone = "America/New_York";
    await fc.assert(
      fc.asyncProperty(
        dataSetArb,
        dataSetArb,
        fc.array(periodArb, { minLength: 1, maxLength: 3 }),
        async (data, late, periods) => {
          await clearAnalyticsData(ctx.db);
          await insertDataSet(ctx.db, data);
          const all = {
            from: addDays(FIRST_DAY, -3),
            to: addDays(FIRST_DAY, WINDOW_DAYS + 2),
            timezone: zone,
          };
          await buildSnapshots(ctx, all, cliActor);
          // Late facts (orders paid in the past, charges, subscription events) touch a few days only.
          await insertDataSet(ctx.db, late);
          const instants = [
            ...late.charges.map((c) => c.created),
            ...late.refunds.map((r) => r.created),
            ...late.disputes.map((d) => d.created),
            ...late.orders.map((o) => o.paidAt),
            ...late.states.map((st) => st.created),
          ].filter((d): d is Date => d !== null);
          // As the worker rebuilds them: MRR recomputed only when what it reads changed.
          for (const day of [...new Set(instants.map((d) => dayOf(d, zone)))].sort()) {
            await buildSnapshots(
              ctx,
              { from: day, to: day, timezone: zone, skipUnchangedMrr: true },
              cliActor,
            );
          }
          for (const period of periods) {
            const params = { ...period, timezone: zone, currency: "usd" };
            expect(await computeKpis(ctx, params)).toEqual(await computeKpisRaw(ctx, params));
          }
          const cohortParams = {
            from: addDays(FIRST_DAY, -3),
            to: addDays(FIRST_DAY, WINDOW_DAYS + 2),
            timezone: zone,
            currency: "usd",
          };
          const incremental = await getCohortRetention(ctx, cohortParams);
          const incrementalMrr = await dumpMrr();
          const incrementalAmounts = await dumpAmounts();
          // From empty amount tables, so the reference is every count inserted anew.
          await ctx.db.execute(sql`DELETE FROM snap_daily_amounts`);
          await buildSnapshots(ctx, all, cliActor);
          expect(incremental).toEqual(await getCohortRetention(ctx, cohortParams));
          // Only the changed subscriptions' customers were recomputed: the rows are a whole rebuild's.
          expect(incrementalMrr).toEqual(await dumpMrr());
          // Only the changed amount counts were written: the rows are those of a build from empty.
          expect(incrementalAmounts).toEqual(await dumpAmounts());
        },
      ),
      { numRuns: 10, seed: 99 },
    );
  }, 180_000);

  it("corrects later days when a late order becomes a customer's first (rebuilding its day only)", async () => {
    await clearAnalyticsData(ctx.db);
    await makeOrder(ctx.db, { customerId: 9, paidAt: "2026-03-20T12:00:00Z", amountTotal: 1000 });
    await buildSnapshots(ctx, { from: "2026-01-01", to: "2026-03-31", timezone: "UTC" }, cliActor);
    const march = { from: "2026-03-15", to: "2026-03-31", timezone: "UTC", currency: "usd" };
    expect(await computeKpis(ctx, march)).toMatchObject({ new_customers: 1, repeat_customer_rate: 0 });
    // An order paid on February 20 arrives late: only February 20 is rebuilt.
    await makeOrder(ctx.db, { customerId: 9, paidAt: "2026-02-20T12:00:00Z", amountTotal: 500 });
    await buildSnapshots(ctx, { from: "2026-02-20", to: "2026-02-20", timezone: "UTC" }, cliActor);
    // By hand: customer 9 first paid in February, so not new in March, and has 2 orders by March 31.
    expect(await computeKpis(ctx, march)).toMatchObject({
      customers: 1,
      new_customers: 0,
      repeat_customer_rate: 1,
    });
    const cohorts = await getCohortRetention(ctx, { ...march, from: "2026-02-01" });
    expect(cohorts).toEqual([
      {
        cohort: "2026-02",
        size: 1,
        retention: [
          { month: 0, customers: 1, rate: 1 },
          { month: 1, customers: 1, rate: 1 },
        ],
      },
    ]);
  });

  it("counts distinct, new and repeat customers of a period from the gap counts, also after a late order between built days", async () => {
    await clearAnalyticsData(ctx.db);
    await makeOrder(ctx.db, { customerId: 1, paidAt: "2026-03-02T12:00:00Z", amountTotal: 100 });
    await makeOrder(ctx.db, { customerId: 1, paidAt: "2026-03-10T12:00:00Z", amountTotal: 100 });
    await makeOrder(ctx.db, { customerId: 2, paidAt: "2026-03-05T12:00:00Z", amountTotal: 100 });
    await makeOrder(ctx.db, { customerId: 3, paidAt: "2026-03-05T12:00:00Z", amountTotal: 100 });
    await makeOrder(ctx.db, { customerId: 3, paidAt: "2026-03-20T12:00:00Z", amountTotal: 100 });
    await buildSnapshots(ctx, { from: "2026-03-01", to: "2026-03-31", timezone: "UTC" }, cliActor);
    const base = { timezone: "UTC", currency: "usd" };
    const check = async (from: string, to: string, expected: Record<string, number>) => {
      const snap = await computeKpis(ctx, { ...base, from, to });
      expect(snap).toMatchObject(expected);
      expect(snap).toEqual(await computeKpisRaw(ctx, { ...base, from, to }));
    };
    // By hand: customer 1 ordered before the period (counted once, not new, 2 orders by its end);
    // customers 2 and 3 are new with one order by its end (3's second comes after it).
    await check("2026-03-04", "2026-03-12", { customers: 3, new_customers: 2, repeat_customer_rate: 0.3333 });
    await check("2026-03-01", "2026-03-31", { customers: 3, new_customers: 3, repeat_customer_rate: 0.6667 });
    // Customer 2's order of March 3 arrives late; only March 3 is rebuilt. Their March 5 row (after
    // it) now has a previous day, and March 3 has a next one.
    await makeOrder(ctx.db, { customerId: 2, paidAt: "2026-03-03T12:00:00Z", amountTotal: 100 });
    await buildSnapshots(ctx, { from: "2026-03-03", to: "2026-03-03", timezone: "UTC" }, cliActor);
    await check("2026-03-04", "2026-03-12", { customers: 3, new_customers: 1, repeat_customer_rate: 0.6667 });
    await check("2026-03-01", "2026-03-04", { customers: 2, new_customers: 2, repeat_customer_rate: 0 });
    await check("2026-03-03", "2026-03-05", { customers: 2, new_customers: 2, repeat_customer_rate: 0.5 });
  });

  it("rebuilds a range to identical rows, in one audited transaction", async () => {
    const [data] = fc.sample(dataSetArb, { numRuns: 1, seed: 7 });
    await clearAnalyticsData(ctx.db);
    await insertDataSet(ctx.db, data!);
    await ctx.db.execute(sql`DELETE FROM snap_daily_amounts`);
    const range = { from: FIRST_DAY, to: addDays(FIRST_DAY, WINDOW_DAYS), timezone: "America/New_York" };
    const first = await buildSnapshots(ctx, range, cliActor);
    const before = await dumpSnapshots();
    const inRange = sql`day BETWEEN ${range.from}::date AND ${range.to}::date`;
    const [counted] = await queryRows<{ amounts: number; ledger: number; products: number }>(
      ctx.db,
      sql`SELECT (SELECT count(*) FROM snap_daily_amounts WHERE ${inRange})::int AS amounts,
                 (SELECT count(*) FROM snap_daily_ledger WHERE ${inRange})::int AS ledger,
                 (SELECT count(*) FROM snap_daily_products WHERE ${inRange})::int AS products`,
    );
    expect(counted!.amounts).toBeGreaterThan(0);
    expect(counted!.ledger).toBeGreaterThan(0);
    expect(counted!.products).toBeGreaterThan(0);
    const second = await buildSnapshots(ctx, range, cliActor);
    expect(await dumpSnapshots()).toBe(before);
    // The same rows: the tables written only where they differ (ledger, products, amount counts)
    // write none the second time; the first wrote all of theirs.
    expect(second).toEqual({
      ...first,
      rows: first.rows - counted!.amounts - counted!.ledger - counted!.products,
    });
    expect(first.days).toBe(WINDOW_DAYS + 1);
    const { rows } = await listAuditEvents(ctx, { action: "snapshots.build" });
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]!.after).toMatchObject({ from: range.from, to: range.to, timezone: "America/New_York" });
  });

  it("leaves the customer MRR table analyzed after rewriting it whole, so its reads are planned on its rows", async () => {
    await clearAnalyticsData(ctx.db);
    for (const [i, created] of [
      "2026-10-26T10:00:00Z",
      "2026-10-28T10:00:00Z",
      "2026-11-02T10:00:00Z",
    ].entries())
      await makeSubscriptionState(ctx.db, {
        subscriptionId: `sub_analyzed_${i}`,
        customerId: i + 1,
        created,
        status: "active",
        items: [{ unitAmount: 1000 * (i + 1) }],
      });
    const planned = async () =>
      (
        await queryRows<{ reltuples: number; rows: number }>(
          ctx.db,
          sql`SELECT c.reltuples::bigint AS reltuples, (SELECT count(*) FROM snap_customer_mrr) AS rows
              FROM pg_class c WHERE c.oid = 'snap_customer_mrr'::regclass`,
        )
      )[0]!;
    await ctx.db.execute(sql`TRUNCATE snap_customer_mrr`);
    expect((await planned()).reltuples).toBeLessThanOrEqual(0);
    await buildSnapshots(ctx, { from: FIRST_DAY, to: addDays(FIRST_DAY, WINDOW_DAYS) }, cliActor);
    const after = await planned();
    expect(after.rows).toBeGreaterThan(0);
    // The planner's row count is the table's (ANALYZE counts a table this small exactly).
    expect(after.reltuples).toBe(after.rows);
  });

  it("skip the MRR stages in the worker's rebuild while nothing they read changed, and recompute them when it did", async () => {
    const zone = "America/New_York";
    /** Builds `from`..`to` as the worker does and returns the rows the customer MRR stage wrote (0: skipped). */
    const mrrRows = async (
      from: string,
      to: string,
      timezone = zone,
      skipUnchangedMrr = true,
      mrrInputsUnchanged = false,
    ) => {
      const rows = new Map<string, number>();
      const onStage = (stage: string, _ms: number, n: number) => rows.set(stage, n);
      await buildSnapshots(
        ctx,
        { from, to, timezone, onStage, skipUnchangedMrr, mrrInputsUnchanged },
        cliActor,
      );
      return rows.get("customer_mrr");
    };
    const equalsRaw = async () => {
      for (const period of [
        { from: "2026-03-01", to: "2026-03-31" },
        { from: "2026-03-10", to: "2026-03-10" },
      ]) {
        const params = { ...period, timezone: zone, currency: "usd" };
        expect(await computeKpis(ctx, params)).toEqual(await computeKpisRaw(ctx, params));
      }
    };
    await clearAnalyticsData(ctx.db);
    const state = (id: string, created: string, unitAmount: number) =>
      makeSubscriptionState(ctx.db, {
        subscriptionId: id,
        customerId: 1,
        created,
        status: "active",
        items: [{ unitAmount }],
      });
    await state("sub_a", "2026-03-02T15:00:00Z", 900);
    await makeOrder(ctx.db, { customerId: 1, paidAt: "2026-03-05T15:00:00Z", amountTotal: 1000 });
    expect(await mrrRows("2026-03-01", "2026-03-31")).toBeGreaterThan(0);
    // An order day: the subscription history, discounts, zone and MRR tables are as the last build left them.
    await makeOrder(ctx.db, { customerId: 1, paidAt: "2026-03-10T15:00:00Z", amountTotal: 2000 });
    expect(await mrrRows("2026-03-10", "2026-03-10")).toBe(0);
    await equalsRaw();
    // A new subscription state, even on a day outside the rebuilt one: MRR is recomputed.
    await state("sub_a", "2026-03-20T15:00:00Z", 2900);
    expect(await mrrRows("2026-03-10", "2026-03-10")).toBeGreaterThan(0);
    await equalsRaw();
    // MRR rows removed behind the builder's back: recomputed too.
    await ctx.db.execute(sql`DELETE FROM snap_customer_mrr`);
    expect(await mrrRows("2026-03-10", "2026-03-10")).toBeGreaterThan(0);
    await equalsRaw();
    // Another reporting zone: recomputed, even when the worker saw no change to what MRR reads.
    expect(await mrrRows("2026-03-10", "2026-03-10", "Asia/Kolkata", true, true)).toBeGreaterThan(0);
    expect(await mrrRows("2026-03-10", "2026-03-10", "Asia/Kolkata", true, true)).toBe(0);
    expect(await mrrRows("2026-03-10", "2026-03-10", "UTC")).toBeGreaterThan(0);
    // An explicit build (CLI, admin page) recomputes even when nothing changed.
    expect(await mrrRows("2026-03-10", "2026-03-10", "UTC")).toBe(0);
    expect(await mrrRows("2026-03-10", "2026-03-10", "UTC", false)).toBeGreaterThan(0);
  });

  it("recompute in the worker's rebuild only the customers of the subscriptions whose history changed, to a whole rebuild's rows", async () => {
    const zone = "Europe/Berlin";
    const rebuild = async (skipUnchangedMrr: boolean) => {
      const rows = new Map<string, number>();
      const onStage = (stage: string, _ms: number, n: number) => rows.set(stage, n);
      await buildSnapshots(
        ctx,
        { from: "2026-03-10", to: "2026-03-10", timezone: zone, onStage, skipUnchangedMrr },
        cliActor,
      );
      return rows.get("customer_mrr")!;
    };
    /** The worker's rebuild; then the MRR tables must equal an explicit (whole) rebuild's. */
    const workerRebuildMatchesWhole = async () => {
      const rows = await rebuild(true);
      const incremental = await dumpMrr();
      const whole = await rebuild(false);
      expect(await dumpMrr()).toEqual(incremental);
      return { rows, whole };
    };
    await clearAnalyticsData(ctx.db);
    const state = (
      subscriptionId: string,
      created: string,
      unitAmount: number,
      link: { customerId?: number | null; stripeCustomerId?: string; status?: string } = {},
    ) =>
      makeSubscriptionState(ctx.db, {
        subscriptionId,
        created,
        status: link.status ?? "active",
        customerId: link.customerId === undefined ? 1 : link.customerId,
        stripeCustomerId: link.stripeCustomerId,
        items: [{ unitAmount, priceId: unitAmount > 5000 ? "price_pro" : "price_basic" }],
      });
    // Ten linked customers with a subscription each, one with two, and a Stripe customer not linked yet
    // with two subscriptions.
    for (let c = 1; c <= 10; c++)
      await state(`sub_c${c}`, `2026-03-0${(c % 9) + 1}T10:00:00Z`, 900 * c, { customerId: c });
    await state("sub_c1b", "2026-03-04T10:00:00Z", 2900, { customerId: 1 });
    await state("sub_u1", "2026-03-03T10:00:00Z", 1500, { customerId: null, stripeCustomerId: "cus_later" });
    await state("sub_u2", "2026-03-05T10:00:00Z", 2500, { customerId: null, stripeCustomerId: "cus_later" });
    const whole = await rebuild(false);
    expect(whole).toBeGreaterThan(10);
    expect(await rebuild(true)).toBe(0);

    // One subscription's new state: only its customer's rows (and its own parts) are written.
    await state("sub_c3", "2026-03-20T10:00:00Z", 9000, { customerId: 3 });
    const one = await workerRebuildMatchesWhole();
    expect(one.rows).toBeGreaterThan(0);
    expect(one.rows).toBeLessThan(one.whole / 2);
    // A customer with two subscriptions: one of them churns, the other keeps the customer paying.
    await state("sub_c1b", "2026-03-21T10:00:00Z", 2900, { customerId: 1, status: "canceled" });
    expect((await workerRebuildMatchesWhole()).rows).toBeLessThan(one.whole / 2);
    // The Stripe customer gets linked by a state of one subscription: both move to customer 11.
    await state("sub_u2", "2026-03-22T10:00:00Z", 2500, { customerId: 11, stripeCustomerId: "cus_later" });
    await workerRebuildMatchesWhole();
    expect(
      await queryRows(
        ctx.db,
        sql`SELECT DISTINCT customer_key FROM snap_customer_mrr WHERE customer_key IN ('cus_later', '11')`,
      ),
    ).toEqual([{ customer_key: "11" }]);
    // A subscription's history removed: its customer's rows go with it.
    await ctx.db.execute(sql`DELETE FROM subscription_history WHERE subscription_id = 'sub_c7'`);
    await workerRebuildMatchesWhole();
    expect(await queryRows(ctx.db, sql`SELECT 1 FROM snap_customer_mrr WHERE customer_key = '7'`)).toEqual(
      [],
    );
    // On one day one subscription leaves the basic plan and another joins it at the same amount: the
    // plan's MRR and count do not move, so it has no row for that day.
    await state("sub_c2", "2026-03-23T10:00:00Z", 1800, { customerId: 2, status: "canceled" });
    await state("sub_c12", "2026-03-23T11:00:00Z", 1800, { customerId: 12 });
    await workerRebuildMatchesWhole();
    // A state from the other Stripe mode, and a late state dated before the others of its subscription.
    await state("sub_live", "2026-03-06T10:00:00Z", 4000, { customerId: 2 });
    await ctx.db.execute(
      sql`UPDATE subscription_history SET livemode = true WHERE subscription_id = 'sub_live'`,
    );
    await state("sub_c5", "2026-02-27T10:00:00Z", 100, { customerId: 5 });
    await workerRebuildMatchesWhole();
    expect(await rebuild(true)).toBe(0);
    // A state's price changed in place (an UPDATE, as a repair by hand would do): its customer is
    // recomputed, though no row was added or removed.
    await ctx.db.execute(
      sql`UPDATE subscription_history SET items = jsonb_set(items, '{0,unitAmount}', '4500') WHERE subscription_id = 'sub_c4'`,
    );
    expect((await workerRebuildMatchesWhole()).rows).toBeGreaterThan(0);
    expect(await rebuild(true)).toBe(0);
  });

  it("rejects a range that ends before it starts, naming the field", async () => {
    await expect(
      buildSnapshots(ctx, { from: "2026-03-02", to: "2026-03-01", timezone: "UTC" }, cliActor),
    ).rejects.toThrow(/^to:/);
  });
});
