import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { loadDocExample } from "../../tests/support/doc-example.ts";
import { cliActor } from "../audit/index.ts";
import { buildSnapshots, getMrrMovementsByMonth, getSeries, type SeriesParams } from "./index.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await loadDocExample(ctx.db);
  await buildSnapshots(ctx, { from: "2026-01-01", to: "2026-04-30", timezone: "UTC" }, cliActor);
});
afterAll(() => ctx.destroy());

const values = async (p: Omit<SeriesParams, "timezone" | "currency">) =>
  (await getSeries(ctx, { ...p, timezone: "UTC", currency: "usd" })).points.map((x) => x.value);

// Numbers from the data set of docs/kpi_definitions.md, worked out by hand.
describe("series for dashboards", () => {
  it("gives MRR at the end of each day", async () => {
    // 17000 at the start of March; Mar 8 +4333 (sub_c converts); Mar 10 +3000 (sub_a doubles)
    expect(await values({ metric: "mrr", grain: "day", from: "2026-03-07", to: "2026-03-11" })).toEqual([
      17000, 21333, 21333, 24333, 24333,
    ]);
  });

  it("gives stocks at the end of each month and movement flows summed per month", async () => {
    expect(await values({ metric: "mrr", grain: "month", from: "2026-02-01", to: "2026-03-31" })).toEqual([
      17000, 15083,
    ]);
    expect(
      await values({ metric: "subscribers", grain: "month", from: "2026-02-01", to: "2026-03-31" }),
    ).toEqual([3, 4]);
    expect(
      await values({ metric: "mrr_churn", grain: "month", from: "2026-02-01", to: "2026-03-31" }),
    ).toEqual([5000, 10000]);
    expect(await values({ metric: "mrr_net", grain: "month", from: "2026-02-01", to: "2026-03-31" })).toEqual(
      [-5000, -1917],
    );
  });

  it("counts distinct customers and the mean order value per ISO week", async () => {
    // Sun Mar 1 alone; Mon 2 – Sun 8: c1, c2, c3; 9–15: none; 16–22: c2; 23–29: none; 30–31: none
    expect(
      await values({ metric: "customers", grain: "week", from: "2026-03-01", to: "2026-03-31" }),
    ).toEqual([0, 3, 0, 1, 0, 0]);
    // Mon 2 – Sun 8: (6000 + 3000 + 2500) / 3 = 3833.33 → 3833; no orders → null
    expect(await values({ metric: "aov", grain: "week", from: "2026-03-01", to: "2026-03-15" })).toEqual([
      null,
      3833,
      null,
    ]);
  });
});

describe("MRR movements by month", () => {
  it("splits movements per calendar month with MRR at both ends", async () => {
    const months = await getMrrMovementsByMonth(ctx, {
      from: "2026-02-01",
      to: "2026-03-31",
      timezone: "UTC",
      currency: "usd",
    });
    // sub_b and sub_f start at exactly 2026-02-01 00:00, the start of February: already in its start MRR
    // (a state counts at or after its instant). Start a 3000 + d 5000 + b 10000 + f 4000 = 22000;
    // Feb 10 d churns 5000 → 17000.
    expect(months[0]).toEqual({
      month: "2026-02",
      mrr_start: 22000,
      mrr_end: 17000,
      new: 0,
      expansion: 0,
      contraction: 0,
      churn: 5000,
      reactivation: 0,
      net: -5000,
    });
    expect(months[1]).toEqual({
      month: "2026-03",
      mrr_start: 17000,
      mrr_end: 15083,
      new: 4333,
      expansion: 3000,
      contraction: 1500,
      churn: 10000,
      reactivation: 2250,
      net: -1917,
    });
  });
});
