import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import {
  clearAnalyticsData,
  dataSetArb,
  insertDataSet,
  WINDOW_DAYS,
  WINDOW_START,
} from "../../../tests/support/random-data.ts";
import { cliActor } from "../../audit/index.ts";
import { type FxRateRow, saveRates } from "../../fx/index.ts";
import { fxRates } from "../../fx/schema.ts";
import { disputes } from "../../payments/schema.ts";
import { addDays } from "../core/periods.ts";
import {
  allConvertedRecords,
  buildSnapshots,
  CONVERTED_RECORD_KPIS,
  computeConvertedKpis,
  listConvertedRecords,
} from "../index.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

const first = new Date(WINDOW_START).toISOString().slice(0, 10);

/** EUR→USD per day from a week before the window, some days (weekends, holidays) left out. */
const ratesArb = fc
  .array(fc.record({ usd: fc.integer({ min: 9_000, max: 13_000 }), skip: fc.boolean() }), {
    minLength: WINDOW_DAYS + 9,
    maxLength: WINDOW_DAYS + 9,
  })
  .map((days) =>
    days.flatMap((d, i): FxRateRow[] =>
      i > 0 && d.skip
        ? []
        : [
            {
              day: addDays(first, i - 7),
              base: "eur",
              quote: "usd",
              rate: `${d.usd / 10_000}`,
              source: "import",
            },
          ],
    ),
  );

describe("records of a converted figure", () => {
  it("add up, converted row by row, to the converted figure on random USD and EUR data and rates", async () => {
    // Runs in which each figure had rows: a figure never exercised would pass vacuously.
    const exercised = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        dataSetArb,
        ratesArb,
        fc.integer({ min: 0, max: WINDOW_DAYS - 1 }),
        fc.integer({ min: 0, max: WINDOW_DAYS - 1 }),
        // Disputes lost some days after they opened (the shared data set never loses one).
        fc.array(fc.option(fc.integer({ min: 0, max: 20 })), { minLength: 3, maxLength: 3 }),
        async (data, rates, a, n, lostAfter) => {
          await clearAnalyticsData(ctx.db);
          await ctx.db.delete(fxRates);
          await saveRates(ctx, rates);
          await insertDataSet(ctx.db, data);
          for (const [i, d] of (await ctx.db.select().from(disputes).orderBy(disputes.id)).entries()) {
            const days = lostAfter[i];
            if (days === null || days === undefined) continue;
            await ctx.db
              .update(disputes)
              .set({ status: "lost", lostAt: new Date(d.created.getTime() + days * 86_400_000) })
              .where(eq(disputes.id, d.id));
          }
          await buildSnapshots(
            ctx,
            { from: addDays(first, -1), to: addDays(first, WINDOW_DAYS + 1), timezone: "UTC" },
            cliActor,
          );
          const period = { from: addDays(first, a), to: addDays(first, Math.min(WINDOW_DAYS - 1, a + n)) };
          const params = { ...period, reportingCurrency: "usd", timezone: "UTC" };
          const kpis = await computeConvertedKpis(ctx, params);
          for (const kpi of CONVERTED_RECORD_KPIS) {
            // Every row (all pages), and the first page's figure and total.
            const all = await allConvertedRecords(ctx, { ...params, kpi });
            const sum = all.rows.reduce((s, r) => s + (r.converted ?? Number.NaN), 0);
            if (all.rows.length > 0) exercised.set(kpi, (exercised.get(kpi) ?? 0) + 1);
            expect([kpi, sum]).toEqual([kpi, kpis[kpi]]);
            const page = await listConvertedRecords(ctx, { ...params, kpi });
            expect([kpi, page.figure, page.total, page.total_rows]).toEqual([
              kpi,
              kpis[kpi],
              kpis[kpi],
              all.rows.length,
            ]);
            for (const r of all.rows) {
              expect(r.rate_source).toBe(r.currency === "usd" ? "same" : "import");
              if (r.currency === "eur") expect(r.rate_day! <= r.day).toBe(true);
            }
          }
        },
      ),
      { numRuns: 10, seed: 2020 },
    );
    for (const kpi of CONVERTED_RECORD_KPIS) expect([kpi, exercised.get(kpi) ?? 0]).not.toEqual([kpi, 0]);
  }, 300_000);

  it("refuses a figure it cannot convert row by row, naming the field", async () => {
    await expect(
      listConvertedRecords(ctx, { kpi: "customer_churn_rate", from: first, to: first }),
    ).rejects.toThrow(/currency/);
  });
});
