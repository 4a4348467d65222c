import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { clearAnalyticsData } from "../../../tests/support/random-data.ts";
import { cliActor } from "../../audit/index.ts";
import type { Db } from "../../db/client.ts";
import { queryRows } from "../../db/sql.ts";
import { dayOf, endOfPeriod, startOfDay } from "../core/periods.ts";
import { buildSnapshots } from "./build.ts";
import { buildCohorts, type CohortSource, cohortSource } from "./cohorts.ts";
import type { DayRange } from "./facts.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

const FROM = "2026-01-01";
const TO = "2026-04-30";
const DAYS = 120;

function dayRange(from: string, to: string, timezone: string): DayRange {
  return { from, to, timezone, start: startOfDay(from, timezone), end: endOfPeriod(to, timezone) };
}

/** Every cohort row, read through `db` (the test's connection, or a transaction). */
async function cohortRows(db: Db = ctx.db): Promise<unknown[]> {
  return queryRows(
    db,
    sql`SELECT livemode, currency, cohort_month, activity_month, month_index, customers
        FROM snap_cohorts ORDER BY 1, 2, 3, 4`,
  );
}

/** The cohort rows `source` gives for the months of `r` (in a transaction rolled back afterwards). */
async function cohortRowsFrom(r: DayRange, source: CohortSource): Promise<unknown[]> {
  let rows: unknown[] = [];
  await ctx.db
    .transaction(async (tx) => {
      await buildCohorts(tx, r, source);
      rows = await cohortRows(tx);
      throw new RollBack();
    })
    .catch((e) => {
      if (!(e instanceof RollBack)) throw e;
    });
  return rows;
}
class RollBack extends Error {}

/** Paid orders (a few unpaid) over four months, in two currencies and both modes. */
const orderArb = fc.record({
  customerId: fc.integer({ min: 1, max: 6 }),
  paidAt: fc.option(
    fc
      .integer({ min: 0, max: DAYS * 86_400 - 1 })
      .map((s) => new Date(Date.parse(`${FROM}T00:00:00Z`) + s * 1000)),
    { freq: 8 },
  ),
  currency: fc.constantFrom("usd", "usd", "eur"),
  livemode: fc.boolean(),
});
const zoneArb = fc.constantFrom("UTC", "America/New_York", "Asia/Kolkata");

describe("cohort snapshots", () => {
  it("count the same customers from the customer-day rows as from the orders, after a whole build and after late orders' days", async () => {
    let moved = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(orderArb, { minLength: 1, maxLength: 16 }),
        fc.array(orderArb, { minLength: 1, maxLength: 6 }),
        zoneArb,
        async (first, late, timezone) => {
          await clearAnalyticsData(ctx.db);
          for (const o of first) await makeOrder(ctx.db, { ...o, amountTotal: 1000 });
          const all = dayRange(FROM, TO, timezone);
          await buildSnapshots(ctx, all, cliActor);
          expect(await cohortSource(ctx.db, all)).toBe("customer_days");
          expect(await cohortRows()).toEqual(await cohortRowsFrom(all, "orders"));
          const before = await cohortRows();
          // Late orders, their days rebuilt one by one as they come (not in day order).
          for (const o of late) {
            await makeOrder(ctx.db, { ...o, amountTotal: 1000 });
            if (o.paidAt === null) continue;
            const day = dayOf(o.paidAt, timezone);
            await buildSnapshots(ctx, { from: day, to: day, timezone, skipUnchangedMrr: true }, cliActor);
          }
          const incremental = await cohortRows();
          if (JSON.stringify(incremental) !== JSON.stringify(before)) moved += 1;
          expect(await cohortSource(ctx.db, dayRange(FROM, FROM, timezone))).toBe("customer_days");
          expect(incremental).toEqual(await cohortRowsFrom(all, "orders"));
          await buildSnapshots(ctx, all, cliActor);
          expect(incremental).toEqual(await cohortRows());
        },
      ),
      { numRuns: 25, seed: 20261206 },
    );
    // The late orders must have changed the cohorts in most runs, or equality would prove little.
    expect(moved).toBeGreaterThan(10);
  }, 240_000);

  it("counts a month from the orders while a day of it with a paid order has not been built", async () => {
    await clearAnalyticsData(ctx.db);
    await makeOrder(ctx.db, { customerId: 1, paidAt: "2026-02-10T12:00:00Z" });
    await makeOrder(ctx.db, { customerId: 1, paidAt: "2026-03-02T12:00:00Z" });
    await makeOrder(ctx.db, { customerId: 2, paidAt: "2026-03-20T12:00:00Z" });
    const late = dayRange("2026-03-15", "2026-03-31", "UTC");
    // Only the second half of March is built: March 2 (customer 1's order) is not.
    await buildSnapshots(ctx, late, cliActor);
    expect(await cohortSource(ctx.db, late)).toBe("orders");
    // By hand: in March, customer 1 (first paid in February) and customer 2 (first paid in March).
    const march = [
      {
        livemode: false,
        currency: "usd",
        cohort_month: "2026-02",
        activity_month: "2026-03",
        month_index: 1,
        customers: 1,
      },
      {
        livemode: false,
        currency: "usd",
        cohort_month: "2026-03",
        activity_month: "2026-03",
        month_index: 0,
        customers: 1,
      },
    ];
    expect(await cohortRows()).toEqual(march);
    // The customer-day rows alone would miss customer 1: what the check is for.
    expect(await cohortRowsFrom(late, "customer_days")).toEqual([march[1]]);
    // Built in another zone, March 1–14 still do not count as built in UTC.
    await buildSnapshots(ctx, { from: "2026-03-01", to: "2026-03-14", timezone: "Asia/Kolkata" }, cliActor);
    expect(await cohortSource(ctx.db, late)).toBe("orders");
    await buildSnapshots(ctx, { from: "2026-03-01", to: "2026-03-14", timezone: "UTC" }, cliActor);
    expect(await cohortSource(ctx.db, late)).toBe("customer_days");
    await buildSnapshots(ctx, late, cliActor);
    expect(await cohortRows()).toEqual(march);
    // Unbuilt days without a paid order (April, after the last order) do not matter.
    expect(await cohortSource(ctx.db, dayRange("2026-03-31", "2026-04-30", "UTC"))).toBe("customer_days");
    await makeOrder(ctx.db, { customerId: 3, paidAt: "2026-04-20T12:00:00Z" });
    expect(await cohortSource(ctx.db, dayRange("2026-03-31", "2026-04-30", "UTC"))).toBe("orders");
  });
});
