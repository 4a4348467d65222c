import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { DOC_PERIOD, loadDocExample } from "../../tests/support/doc-example.ts";
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

/** The JSON blocks of docs/kpi_definitions.md, by their info string (```json kpis). */
const DOC = readFileSync(new URL("../../docs/kpi_definitions.md", import.meta.url), "utf8");
function block(name: string): unknown {
  const match = new RegExp(`\`\`\`json ${name}\\n([\\s\\S]*?)\`\`\``).exec(DOC);
  if (!match) throw new Error(`docs/kpi_definitions.md has no json ${name} block`);
  return JSON.parse(match[1]!);
}

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await loadDocExample(ctx.db);
  await buildSnapshots(ctx, { from: "2026-01-01", to: "2026-04-30", timezone: "UTC" }, cliActor);
});
afterAll(() => ctx.destroy());

describe("docs/kpi_definitions.md worked examples", () => {
  it("restates every KPI of the contract JSON in its own section", () => {
    for (const key of Object.keys(block("kpis") as object)) {
      if (["from", "to", "timezone", "currency"].includes(key)) continue;
      expect(DOC, key).toContain(`### \`${key}\``);
    }
    for (const key of ["best_sellers", "cohort_retention"]) expect(DOC).toContain(`### \`${key}\``);
  });

  it("gives the doc's kpis JSON from snapshots and from raw tables", async () => {
    expect(await computeKpis(ctx, DOC_PERIOD)).toEqual(block("kpis"));
    expect(await computeKpisRaw(ctx, DOC_PERIOD)).toEqual(block("kpis"));
  });

  it("gives the doc's best sellers and product rollups", async () => {
    expect(await getBestSellers(ctx, DOC_PERIOD)).toEqual(block("best_sellers"));
    expect(await getProductRollups(ctx, DOC_PERIOD)).toEqual(block("product_rollups"));
  });

  it("gives the doc's MRR by plan and subscriber cohorts", async () => {
    expect(await getMrrByPlan(ctx, DOC_PERIOD)).toEqual(block("mrr_by_plan"));
    const cohorts = await getSubscriberCohorts(ctx, { ...DOC_PERIOD, from: "2026-01-01", to: "2026-03-31" });
    expect(cohorts).toEqual(block("subscriber_cohorts"));
  });

  it("gives the doc's cohort retention", async () => {
    const cohorts = await getCohortRetention(ctx, { ...DOC_PERIOD, from: "2026-02-01", to: "2026-04-30" });
    expect(cohorts).toEqual(block("cohort_retention"));
  });

  it("states in its bold numbers the values of the JSON block", () => {
    const kpis = block("kpis") as Record<string, unknown>;
    for (const key of ["gross_revenue", "refunds", "net_revenue", "mrr", "arr", "arpa", "aov"]) {
      const section = DOC.slice(DOC.indexOf(`### \`${key}\``)).split("\n### ")[0]!;
      expect(section, key).toContain(`**${kpis[key]}**`);
    }
  });
});
