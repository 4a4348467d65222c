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
import { addDays } from "../core/periods.ts";
import { buildSnapshots, computeConvertedKpis, computeKpis } from "../index.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.destroy());

const first = new Date(WINDOW_START).toISOString().slice(0, 10);

describe("converted view of a single-currency shop", () => {
  it("equals the per-currency view exactly (rate 1, fx 0), from the snapshots", async () => {
    await fc.assert(
      fc.asyncProperty(
        dataSetArb.map((d) => ({
          ...d,
          charges: d.charges.map((c) => ({ ...c, currency: "usd" as const })),
          refunds: d.refunds.map((r) => ({ ...r, currency: "usd" as const })),
          disputes: d.disputes.map((x) => ({ ...x, currency: "usd" as const })),
          orders: d.orders.map((o) => ({ ...o, currency: "usd" as const })),
          states: d.states.filter((s) => s.sub !== 5),
        })),
        fc.integer({ min: 0, max: WINDOW_DAYS - 1 }),
        fc.integer({ min: 0, max: WINDOW_DAYS - 1 }),
        async (data, a, n) => {
          await clearAnalyticsData(ctx.db);
          await insertDataSet(ctx.db, data);
          await buildSnapshots(
            ctx,
            { from: addDays(first, -1), to: addDays(first, WINDOW_DAYS + 1), timezone: "UTC" },
            cliActor,
          );
          const period = { from: addDays(first, a), to: addDays(first, Math.min(WINDOW_DAYS - 1, a + n)) };
          const perCurrency = await computeKpis(ctx, { ...period, currency: "usd", timezone: "UTC" });
          const converted = await computeConvertedKpis(ctx, {
            ...period,
            reportingCurrency: "usd",
            timezone: "UTC",
          });
          const { currency: _c, mrr_movements, ...rest } = perCurrency;
          const { currency, reporting_currency, fx, mrr_movements: movements, ...convertedRest } = converted;
          expect(convertedRest).toEqual(rest);
          expect(movements).toEqual({ ...mrr_movements, fx: 0 });
          expect([currency, reporting_currency, fx.missing_days]).toEqual(["all", "usd", 0]);
        },
      ),
      { numRuns: 12, seed: 2022 },
    );
  }, 240_000);
});
