import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSubscriptionState } from "../../../tests/support/builders/subscriptions.ts";
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
import type { ConvertedMovements } from "../converted/core.ts";
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
            const figure = kpi.startsWith("mrr_movements.")
              ? (kpis.mrr_movements?.[kpi.slice(14) as keyof ConvertedMovements] ?? null)
              : kpis[kpi as Exclude<typeof kpi, `mrr_movements.${string}`>];
            expect([kpi, sum]).toEqual([kpi, figure]);
            const page = await listConvertedRecords(ctx, { ...params, kpi });
            expect([kpi, page.figure, page.total, page.total_rows]).toEqual([
              kpi,
              figure,
              figure,
              all.rows.length,
            ]);
            for (const r of all.rows) {
              // A movement of a customer paying in both currencies, or a day's revaluation, has no one rate.
              if (r.rate_source === "several" || r.rate_source === "revaluation") {
                expect([kpi, r.currency, r.rate]).toEqual([kpi, "usd", null]);
                continue;
              }
              expect(r.rate_source).toBe(r.currency === "usd" ? "same" : "import");
              if (r.currency === "eur") expect(r.rate_day! <= r.day).toBe(true);
            }
          }
        },
      ),
      { numRuns: 10, seed: 2020 },
    );
    // Churn (a customer's whole MRR gone inside a short period) is too rare in this data: the worked
    // movements below cover it.
    for (const kpi of CONVERTED_RECORD_KPIS.filter((k) => k !== "mrr_movements.churn"))
      expect([kpi, exercised.get(kpi) ?? 0]).not.toEqual([kpi, 0]);
  }, 300_000);

  it("lists each customer's converted MRR change and each day's revaluation, adding up to each movement", async () => {
    await clearAnalyticsData(ctx.db);
    await ctx.db.delete(fxRates);
    // EUR→USD 1.10 until 06-09, 1.20 from 06-10.
    await saveRates(ctx, [
      { day: "2026-06-01", base: "eur", quote: "usd", rate: "1.1", source: "import" },
      { day: "2026-06-10", base: "eur", quote: "usd", rate: "1.2", source: "import" },
    ]);
    const state = (
      sub: string,
      customerId: number,
      created: string,
      status: string,
      currency: string,
      unitAmount: number,
    ) =>
      makeSubscriptionState(ctx.db, {
        subscriptionId: sub,
        stripeCustomerId: `cus_${customerId}`,
        customerId,
        created,
        status,
        currency,
        items: [{ unitAmount, priceId: `price_${currency}` }],
      });
    // Customer 1 (USD) pays 10.00 from 06-01 and cancels on 06-12: churn of 10.00.
    await state("sub_1", 1, "2026-06-01T10:00:00Z", "active", "usd", 1000);
    await state("sub_1", 1, "2026-06-12T10:00:00Z", "canceled", "usd", 1000);
    // Customer 2 (EUR) pays €20.00 from 06-01: revalued on 06-10 from $22.00 to $24.00.
    await state("sub_2", 2, "2026-06-01T10:00:00Z", "active", "eur", 2000);
    // Customer 3 pays $5.00 and, from 06-15, €10.00 too (several currencies): expansion of $12.00.
    await state("sub_3", 3, "2026-06-01T10:00:00Z", "active", "usd", 500);
    await state("sub_4", 3, "2026-06-15T10:00:00Z", "active", "eur", 1000);
    await buildSnapshots(ctx, { from: "2026-06-01", to: "2026-06-30", timezone: "UTC" }, cliActor);
    const params = { from: "2026-06-05", to: "2026-06-20", reportingCurrency: "usd", timezone: "UTC" };
    const rows = async (kpi: string) =>
      (await allConvertedRecords(ctx, { ...params, kpi })).rows.map((r) => [
        r.key,
        r.object,
        r.currency,
        r.value,
        r.rate,
        r.rate_source,
        r.converted,
      ]);
    expect(await rows("mrr_movements.churn")).toEqual([
      ["1@2026-06-12", "mrr_change", "usd", 1000, "1", "same", 1000],
    ]);
    expect(await rows("mrr_movements.fx")).toEqual([
      ["fx@2026-06-10", "fx_revaluation", "usd", 200, null, "revaluation", 200],
    ]);
    expect(await rows("mrr_movements.expansion")).toEqual([
      ["3@2026-06-15", "mrr_change", "usd", 1200, null, "several", 1200],
    ]);
    expect((await rows("mrr_movements.net")).map((r) => [r[0], r[6]])).toEqual([
      ["fx@2026-06-10", 200],
      ["1@2026-06-12", -1000],
      ["3@2026-06-15", 1200],
    ]);
    const kpis = await computeConvertedKpis(ctx, params);
    expect(kpis.mrr_movements).toMatchObject({ churn: 1000, fx: 200, expansion: 1200, net: 400 });
    const page = await listConvertedRecords(ctx, { ...params, kpi: "mrr_movements.net" });
    expect([page.figure, page.total]).toEqual([400, 400]);
  });

  it("refuses a figure it cannot convert row by row, naming the field", async () => {
    await expect(
      listConvertedRecords(ctx, { kpi: "customer_churn_rate", from: first, to: first }),
    ).rejects.toThrow(/currency/);
  });
});
