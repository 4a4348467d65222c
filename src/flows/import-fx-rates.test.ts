import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { dirtyDays } from "../analytics/schema.ts";
import { cliActor } from "../audit/index.ts";
import { importFxRates } from "./import-fx-rates.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ now: "2026-03-12T12:00:00Z" });
});
afterAll(() => ctx.destroy());

const marked = async () =>
  [...new Set((await ctx.db.select({ day: dirtyDays.day }).from(dirtyDays)).map((m) => m.day))].sort();

describe("importFxRates", () => {
  it("marks for a rebuild each day a new or corrected rate can move, weekends after it included", async () => {
    await importFxRates(
      ctx,
      { text: "Date,USD\n2026-03-09,1.09\n2026-03-06,1.08\n", name: "a.csv" },
      cliActor,
    );
    // 03-06 (Friday) serves the weekend until 03-09; 03-09 serves every day up to today.
    expect(await marked()).toEqual([
      "2026-03-06",
      "2026-03-07",
      "2026-03-08",
      "2026-03-09",
      "2026-03-10",
      "2026-03-11",
      "2026-03-12",
    ]);
    await ctx.db.delete(dirtyDays);
    // A correction of Friday's rate moves Friday and the weekend, nothing else; the same file again, nothing.
    const corrected = await importFxRates(
      ctx,
      { text: "Date,USD\n2026-03-06,1.07\n", name: "b.csv" },
      cliActor,
    );
    expect(corrected).toMatchObject({ rates: 1, dirtyDays: 3 });
    expect(await marked()).toEqual(["2026-03-06", "2026-03-07", "2026-03-08"]);
    await ctx.db.delete(dirtyDays);
    await importFxRates(ctx, { text: "Date,USD\n2026-03-06,1.07\n", name: "b.csv" }, cliActor);
    expect(await marked()).toEqual([]);
  });
});
