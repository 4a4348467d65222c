import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { DOC_PERIOD, docJsonBlock, KPI_DOC, loadDocExample } from "../../tests/support/doc-example.ts";
import { cliActor } from "../audit/index.ts";
import {
  buildSnapshots,
  computeKpis,
  computeKpisRaw,
  getBestSellers,
  getCohortRetention,
  getMrrByPlan,
  getProductRollups,
  getSubscriberCohorts,
} from "./index.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await loadDocExample(ctx.db);
  await buildSnapshots(ctx, { from: "2026-01-01", to: "2026-04-30", timezone: "UTC" }, cliActor);
});
afterAll(() => ctx.destroy());

describe("docs/kpi_definitions.md worked examples", () => {
  it("restates every KPI of the contract JSON in its own section", () => {
    for (const key of Object.keys(docJsonBlock("kpis") as object)) {
      if (["from", "to", "timezone", "currency"].includes(key)) continue;
      expect(KPI_DOC, key).toContain(`### \`${key}\``);
    }
    for (const key of ["best_sellers", "cohort_retention"]) expect(KPI_DOC).toContain(`### \`${key}\``);
  });

  it("gives the doc's kpis JSON from snapshots and from raw tables", async () => {
    expect(await computeKpis(ctx, DOC_PERIOD)).toEqual(docJsonBlock("kpis"));
    expect(await computeKpisRaw(ctx, DOC_PERIOD)).toEqual(docJsonBlock("kpis"));
  });

  it("gives the doc's best sellers and product rollups", async () => {
    expect(await getBestSellers(ctx, DOC_PERIOD)).toEqual(docJsonBlock("best_sellers"));
    expect(await getProductRollups(ctx, DOC_PERIOD)).toEqual(docJsonBlock("product_rollups"));
  });

  it("gives the doc's MRR by plan and subscriber cohorts", async () => {
    expect(await getMrrByPlan(ctx, DOC_PERIOD)).toEqual(docJsonBlock("mrr_by_plan"));
    const cohorts = await getSubscriberCohorts(ctx, { ...DOC_PERIOD, from: "2026-01-01", to: "2026-03-31" });
    expect(cohorts).toEqual(docJsonBlock("subscriber_cohorts"));
  });

  it("gives the doc's cohort retention", async () => {
    const cohorts = await getCohortRetention(ctx, { ...DOC_PERIOD, from: "2026-02-01", to: "2026-04-30" });
    expect(cohorts).toEqual(docJsonBlock("cohort_retention"));
  });

  it("states in its bold numbers the values of the JSON block", () => {
    const kpis = docJsonBlock("kpis") as Record<string, unknown>;
    for (const key of ["gross_revenue", "refunds", "net_revenue", "mrr", "arr", "arpa", "aov"]) {
      const section = KPI_DOC.slice(KPI_DOC.indexOf(`### \`${key}\``)).split("\n### ")[0]!;
      expect(section, key).toContain(`**${kpis[key]}**`);
    }
  });
});
