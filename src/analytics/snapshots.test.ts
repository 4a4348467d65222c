import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliActor, listAuditEvents } from "../audit/index.ts";
import { queryRows } from "../db/sql.ts";
import { createTestContext, type TestContext } from "../testing/context.ts";
import { addDays } from "./core/periods.ts";
import { buildSnapshots, computeKpis, computeKpisRaw } from "./index.ts";
import { clearAnalyticsData } from "./testing.ts";
import { dataSetArb, insertDataSet, WINDOW_DAYS } from "./testing-random.ts";

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
  "snap_daily_products",
  "snap_customer_mrr",
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
            ctx.db,
            { from: addDays(FIRST_DAY, -3), to: addDays(FIRST_DAY, WINDOW_DAYS + 2), timezone },
            cliActor,
          );
          for (const period of periods) {
            for (const livemode of [false, true]) {
              const params = { ...period, timezone, currency, livemode };
              const raw = await computeKpisRaw(ctx.db, params);
              expect(await computeKpis(ctx.db, params)).toEqual(raw);
              if (raw.gross_revenue > 0) seen.revenue += 1;
              if (raw.customers > 1) seen.customers += 1;
              if (raw.mrr > 0) seen.mrr += 1;
              if (raw.mrr_movements.churn + raw.mrr_movements.reactivation > 0) seen.movements += 1;
            }
          }
        },
      ),
      { numRuns: 40, seed: 20260315 },
    );
    // The random data must exercise every part, or equality would prove little.
    expect(Math.min(seen.revenue, seen.customers, seen.mrr, seen.movements)).toBeGreaterThan(2);
  });

  it("rebuilds a range to identical rows, in one audited transaction", async () => {
    const [data] = fc.sample(dataSetArb, { numRuns: 1, seed: 7 });
    await clearAnalyticsData(ctx.db);
    await insertDataSet(ctx.db, data!);
    const range = { from: FIRST_DAY, to: addDays(FIRST_DAY, WINDOW_DAYS), timezone: "America/New_York" };
    const first = await buildSnapshots(ctx.db, range, cliActor);
    const before = await dumpSnapshots();
    const second = await buildSnapshots(ctx.db, range, cliActor);
    expect(await dumpSnapshots()).toBe(before);
    expect(second).toEqual(first);
    expect(first.days).toBe(WINDOW_DAYS + 1);
    const { rows } = await listAuditEvents(ctx.db, { action: "snapshots.build" });
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]!.after).toMatchObject({ from: range.from, to: range.to, timezone: "America/New_York" });
  });

  it("rejects a range that ends before it starts, naming the field", async () => {
    await expect(
      buildSnapshots(ctx.db, { from: "2026-03-02", to: "2026-03-01", timezone: "UTC" }, cliActor),
    ).rejects.toThrow(/^to:/);
  });
});
