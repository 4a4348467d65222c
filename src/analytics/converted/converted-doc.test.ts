import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { docJsonBlock } from "../../../tests/support/doc-example.ts";
import { FX_DOC_PERIOD, loadFxDocExample } from "../../../tests/support/fx-doc-example.ts";
import { cliActor } from "../../audit/index.ts";
import { buildSnapshots, computeConvertedKpis, computeKpis } from "../index.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await loadFxDocExample(ctx.db);
  await buildSnapshots(ctx, { from: "2026-02-01", to: "2026-03-31", timezone: "UTC" }, cliActor);
});
afterAll(() => ctx.destroy());

describe("docs/kpi_definitions.md converted view example", () => {
  it("gives the doc's converted kpis JSON (USD, JPY, KWD; a rate change mid-week; a weekend)", async () => {
    const kpis = await computeConvertedKpis(ctx, { ...FX_DOC_PERIOD, reportingCurrency: "usd" });
    expect(kpis).toEqual(docJsonBlock("converted_kpis"));
  });

  it("converts into a reporting currency the shop has no data in (EUR, every pair direct or inverted)", async () => {
    const eur = await computeConvertedKpis(ctx, { ...FX_DOC_PERIOD, reportingCurrency: "eur" });
    // USD 100.00 ÷ 1.25 = 8000 cents; JPY 1,500 ÷ 200 = 750 twice; KWD 1.234 ÷ 0.4 = 308.5 → 309;
    // Saturday's KWD 2.001 ÷ 0.5 (Friday's) = 400.2 → 400.
    expect(eur).toMatchObject({ reporting_currency: "eur", gross_revenue: 10209, fx: { missing: [] } });
  });

  it("leaves the per-currency KPIs as they were", async () => {
    const jpy = await computeKpis(ctx, { ...FX_DOC_PERIOD, currency: "jpy" });
    expect(jpy).toMatchObject({ gross_revenue: 3000, refunds: 1000, mrr: 4000 });
  });

  it("makes a KPI null, never 0, when a rate is missing, and names the pair and days", async () => {
    const kpis = await computeConvertedKpis(ctx, {
      from: "2026-02-20",
      to: "2026-02-22",
      timezone: "UTC",
      reportingCurrency: "usd",
    });
    expect(kpis).toMatchObject({
      mrr: null,
      arr: null,
      mrr_movements: null,
      gross_revenue: 0,
      subscribers: 3,
    });
    expect(kpis.fx).toEqual(docJsonBlock("converted_missing"));
  });
});
