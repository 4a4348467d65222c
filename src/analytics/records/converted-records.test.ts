import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCustomer } from "../../../tests/support/builders/customers.ts";
import { makeCharge } from "../../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../../tests/support/builders/orders.ts";
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
import type { ConvertedProductRollup } from "../converted/products.ts";
import type { ConvertedKpis } from "../converted/types.ts";
import { addDays } from "../core/periods.ts";
import {
  allConvertedRecords,
  buildSnapshots,
  CONVERTED_RECORD_KPIS,
  computeConvertedKpis,
  getConvertedProductRollups,
  listConvertedRecords,
} from "../index.ts";
import { combineRows } from "./converted.ts";
import { productFigure } from "./kpis.ts";

/** A converted product rollup's figure, as the products dashboard shows it. */
function productFigureOf(rollup: ConvertedProductRollup, kpi: string): number | null {
  if (rollup.revenue === null) return kpi === "product_units" ? rollup.units : null;
  return productFigure(
    rollup as Parameters<typeof productFigure>[0],
    kpi as Parameters<typeof productFigure>[1],
  );
}

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
          const { rollups } = await getConvertedProductRollups(ctx, params);
          // Each figure, and each table cell: every product, the refunds given no reason.
          const asked = CONVERTED_RECORD_KPIS.flatMap(
            (kpi): Array<{ kpi: string; product?: number; reason?: string }> =>
              kpi.startsWith("product_")
                ? rollups.map((r) => ({ kpi, product: r.product_id }))
                : kpi === "refunds_by_reason"
                  ? [{ kpi, reason: "none" }]
                  : [{ kpi }],
          );
          for (const cell of asked) {
            const kpi = cell.kpi;
            const all = await allConvertedRecords(ctx, { ...params, ...cell });
            if (all.rows.length > 0) exercised.set(kpi, (exercised.get(kpi) ?? 0) + 1);
            const product = rollups.find((r) => r.product_id === cell.product);
            const figure = product
              ? productFigureOf(product, kpi)
              : kpi === "refunds_by_reason"
                ? kpis.refunds
                : kpi.startsWith("mrr_movements.")
                  ? (kpis.mrr_movements?.[kpi.slice(14) as keyof ConvertedMovements] ?? null)
                  : kpis[kpi as Exclude<keyof ConvertedKpis, "mrr_movements" | "fx">];
            // The rows, combined as the figure is (a sum, a mean, a rate), make it.
            const combined = combineRows({ combine: all.combine, nullWhenEmpty: true }, all.rows);
            const made =
              all.rows.length === 0 && all.combine === "sum" ? (figure === null ? null : 0) : combined.total;
            expect([kpi, cell, made]).toEqual([kpi, cell, figure]);
            // A page is read on its own for some figures: it is the same rows as that slice of all of them.
            const second = await listConvertedRecords(ctx, { ...params, ...cell, limit: 1, page: 2 });
            expect([kpi, second.rows]).toEqual([kpi, all.rows.slice(1, 2)]);
            const page = await listConvertedRecords(ctx, { ...params, ...cell });
            expect([kpi, page.figure, page.total, page.total_rows]).toEqual([
              kpi,
              figure,
              figure,
              all.rows.length,
            ]);
            for (const r of all.rows) {
              // A movement of a customer paying in both currencies, a day's revaluation, or a starting
              // customer's MRR at start and end has no one rate; a count none at all.
              if (["several", "revaluation", "start_end"].includes(r.rate_source ?? "")) {
                expect([kpi, r.currency, r.rate]).toEqual([kpi, "usd", null]);
                continue;
              }
              if (r.rate_source === "count") {
                expect([kpi, r.rate, r.converted]).toEqual([kpi, null, r.value]);
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
    // movements and starting customers below cover it.
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

    // The end: customer 2 €20.00 at 1.20 = $24.00, customer 3 $5.00 + €10.00 at 1.20 = $17.00.
    const made = async (kpi: string) => {
      const all = await allConvertedRecords(ctx, { ...params, kpi });
      return [all.figure, all.total, all.numerator, all.denominator];
    };
    expect(await rows("mrr")).toEqual([
      ["sub_2", "subscription", "eur", 2000, "1.2", "import", 2400],
      ["sub_3", "subscription", "usd", 500, "1", "same", 500],
      ["sub_4", "subscription", "eur", 1000, "1.2", "import", 1200],
    ]);
    expect(await made("arr")).toEqual([49_200, 49_200, 49_200, null]);
    expect(await made("active_subscriptions")).toEqual([3, 3, 3, null]);
    // Customers once each: customer 3's two subscriptions (two currencies) are one subscriber.
    expect(await rows("subscribers")).toEqual([
      ["2", "customer", "eur", 1, null, "count", 1],
      ["3", "customer", "eur+usd", 1, null, "count", 1],
    ]);
    // ARPA: Σ converted MRR ÷ customers, 1 on each customer's first subscription only.
    const arpa = await allConvertedRecords(ctx, { ...params, kpi: "arpa" });
    expect(arpa.rows.map((r) => [r.key, r.converted, r.denominator])).toEqual([
      ["sub_2", 2400, 1],
      ["sub_3", 500, 1],
      ["sub_4", 1200, 0],
    ]);
    expect(await made("arpa")).toEqual([2050, 2050, 4100, 2]);
    // Starting customers (end of 06-04): 1 at $10.00, 2 at €20.00 × 1.10 = $22.00, 3 at $5.00 ($37.00).
    const starting = await allConvertedRecords(ctx, { ...params, kpi: "revenue_churn_rate" });
    expect(
      starting.rows.map((r) => [r.key, r.before, r.after, r.converted, r.denominator, r.rate_source]),
    ).toEqual([
      ["1", 1000, 0, 1000, 1000, "start_end"],
      ["2", 2200, 2400, 0, 2200, "start_end"],
      ["3", 500, 1700, 0, 500, "start_end"],
    ]);
    expect(await made("customer_churn_rate")).toEqual([0.3333, 0.3333, 1, 3]);
    expect(await made("revenue_churn_rate")).toEqual([0.2703, 0.2703, 1000, 3700]);
    expect(await made("net_revenue_retention")).toEqual([1.1081, 1.1081, 4100, 3700]);
    expect(await made("gross_revenue_retention")).toEqual([0.7297, 0.7297, 2700, 3700]);
  });

  it("counts each customer once across currencies: new in none before the period, repeat with 2+ in all", async () => {
    await clearAnalyticsData(ctx.db);
    const paid = async (currency: string, paidAt: string) => {
      const customer = await makeCustomer(ctx.db);
      await makeOrder(ctx.db, { customerId: customer.id, currency, paidAt });
      return customer.id;
    };
    const more = (customerId: number, currency: string, paidAt: string) =>
      makeOrder(ctx.db, { customerId, currency, paidAt });
    // A paid in EUR before the period and in USD in it: not new, and a repeat customer.
    const a = await paid("eur", "2026-05-20T10:00:00Z");
    await more(a, "usd", "2026-06-03T10:00:00Z");
    // B paid once in USD in the period: new, not a repeat customer.
    const b = await paid("usd", "2026-06-04T10:00:00Z");
    // C paid in USD and in EUR in the period: new, and a repeat customer across currencies.
    const c = await paid("usd", "2026-06-05T10:00:00Z");
    await more(c, "eur", "2026-06-06T10:00:00Z");
    // D paid twice in USD in the period: new and a repeat customer.
    const d = await paid("usd", "2026-06-02T10:00:00Z");
    await more(d, "usd", "2026-06-09T10:00:00Z");
    // E paid in USD in the period and in EUR after it: new, not (yet) a repeat customer.
    const e = await paid("usd", "2026-06-07T10:00:00Z");
    await more(e, "eur", "2026-06-20T10:00:00Z");
    await buildSnapshots(ctx, { from: "2026-05-01", to: "2026-06-30", timezone: "UTC" }, cliActor);
    const params = { from: "2026-06-01", to: "2026-06-10", reportingCurrency: "usd", timezone: "UTC" };
    const kpis = await computeConvertedKpis(ctx, params);
    expect([kpis.customers, kpis.new_customers, kpis.repeat_customer_rate]).toEqual([5, 4, 0.6]);
    const rows = async (kpi: string) =>
      (await allConvertedRecords(ctx, { ...params, kpi })).rows.map((r) => [
        r.customer_id,
        r.currency,
        r.value,
      ]);
    expect(await rows("repeat_customer_rate")).toEqual([
      [d, "usd", 1],
      [a, "usd", 1],
      [b, "usd", 0],
      [c, "eur+usd", 1],
      [e, "usd", 0],
    ]);
    expect((await rows("new_customers")).map((r) => r[0])).toEqual([d, b, c, e]);
    const rate = await listConvertedRecords(ctx, { ...params, kpi: "repeat_customer_rate" });
    expect([rate.figure, rate.total, rate.numerator, rate.denominator]).toEqual([0.6, 0.6, 3, 5]);
    // A page is read on its own: the same rows as that slice of all of them, the totals of all.
    const second = await listConvertedRecords(ctx, {
      ...params,
      kpi: "repeat_customer_rate",
      limit: 2,
      page: 2,
    });
    expect(second.rows.map((r) => r.customer_id)).toEqual([b, c]);
    expect([second.total, second.total_rows, second.pages]).toEqual([0.6, 5, 3]);
    const newOnes = await listConvertedRecords(ctx, { ...params, kpi: "new_customers", limit: 3, page: 2 });
    expect([newOnes.rows.map((r) => r.customer_id), newOnes.total, newOnes.total_rows]).toEqual([[e], 4, 4]);
  });

  it("leaves a row without a rate unconverted, the total and the figure null, and names the pair and day", async () => {
    await clearAnalyticsData(ctx.db);
    await ctx.db.delete(fxRates);
    // EUR→USD is known from 06-10 only: the EUR charge of 06-05 has no rate on or before its day.
    await saveRates(ctx, [{ day: "2026-06-10", base: "eur", quote: "usd", rate: "1.1", source: "import" }]);
    await makeCharge(ctx.db, { currency: "eur", amount: 1000, created: "2026-06-05T10:00:00Z", fee: null });
    await makeCharge(ctx.db, { currency: "usd", amount: 700, created: "2026-06-06T10:00:00Z", fee: null });
    await makeCharge(ctx.db, { currency: "eur", amount: 2000, created: "2026-06-12T10:00:00Z", fee: null });
    await buildSnapshots(ctx, { from: "2026-06-01", to: "2026-06-15", timezone: "UTC" }, cliActor);
    const params = { kpi: "gross_revenue", from: "2026-06-01", to: "2026-06-15", reportingCurrency: "usd" };
    const missing = [{ pair: "EUR/USD", days: ["2026-06-05"] }];
    // The page of one row still knows of the missing rate in the rows of the other pages.
    const page = await listConvertedRecords(ctx, { ...params, limit: 1, page: 3 });
    expect([page.figure, page.total, page.total_rows, page.missing]).toEqual([null, null, 3, missing]);
    expect(page.rows.map((r) => [r.currency, r.converted])).toEqual([["eur", 2200]]);
    const all = await allConvertedRecords(ctx, params);
    expect(all.rows.map((r) => [r.currency, r.rate, r.converted])).toEqual([
      ["eur", null, null],
      ["usd", "1", 700],
      ["eur", "1.1", 2200],
    ]);
    expect([all.figure, all.total, all.missing]).toEqual([null, null, missing]);
  });

  it("refuses a figure it cannot convert row by row, naming the field", async () => {
    await expect(
      listConvertedRecords(ctx, { kpi: "cohort_retention", from: first, to: first }),
    ).rejects.toThrow(/currency/);
  });
});
