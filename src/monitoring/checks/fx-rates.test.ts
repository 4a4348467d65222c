import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectFailThenPass, gate } from "../../../tests/support/check-workflow.ts";
import { createTestContext, type TestContext } from "../../../tests/support/context.ts";
import { loadFxDocExample } from "../../../tests/support/fx-doc-example.ts";
import { buildSnapshots } from "../../analytics/index.ts";
import { systemActor } from "../../audit/index.ts";
import { snapDailyAmounts } from "../../db/schema.ts";
import { importFxRates } from "../../flows/index.ts";

let ctx: TestContext;
beforeAll(async () => {
  // The worked example of the KPI docs, seen on 2026-03-10: its rates start on 02-27, its JPY and KWD
  // subscriptions on 02-15 and 02-20.
  ctx = await createTestContext({ now: "2026-03-10T12:00:00Z", env: { REPORTING_CURRENCY: "usd" } });
  await loadFxDocExample(ctx.db);
  await buildSnapshots(ctx, { from: "2026-02-01", to: "2026-03-09", timezone: "UTC" }, systemActor);
});
afterAll(() => ctx.destroy());

describe("fx-rates", () => {
  it("names each pair and its days without a rate, with the import command, until the rates exist", async () => {
    const details = await expectFailThenPass(ctx, "fx-rates", "pair:JPY/USD", () =>
      importFxRates(
        ctx,
        { text: "Date,USD,JPY,KWD\n2026-02-13,1.25,200,0.4\n", name: "older.csv" },
        systemActor,
      ),
    );
    expect(details).toMatchObject({
      pair: "JPY/USD",
      days: 12,
      firstDay: "2026-02-15",
      lastDay: "2026-02-26",
    });
    expect(String(details.fix)).toContain("revintel fx import");
  });
});

describe("snapshot-reconciliation of the converted view", () => {
  it("names a day whose converted snapshot differs from raw data, then passes once rebuilt", async () => {
    expect(await gate(ctx, "snapshot-reconciliation")).toBe(0);
    // A snapshot row altered by hand: one more JPY 1,500 charge on 03-03 than the ledger holds.
    await ctx.db.execute(
      sql`UPDATE ${snapDailyAmounts} SET ${sql.identifier("records")} = 3
          WHERE ${snapDailyAmounts.day} = '2026-03-03' AND ${snapDailyAmounts.currency} = 'jpy' AND ${snapDailyAmounts.kind} = 'gross'`,
    );
    const details = await expectFailThenPass(ctx, "snapshot-reconciliation", "all:2026-03-03", () =>
      buildSnapshots(ctx, { from: "2026-03-03", to: "2026-03-03", timezone: "UTC" }, systemActor),
    );
    // 1500 yen at 0.00625 = 938 cents per record: 3 records against 2.
    expect(details).toMatchObject({ currency: "all", differences: { gross: { snapshot: 2814, raw: 1876 } } });
  });
});
