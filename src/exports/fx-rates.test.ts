import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCharge } from "../../tests/support/builders/ledger.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { csvObjects } from "../../tests/support/export-read.ts";
import { loadFxDocExample } from "../../tests/support/fx-doc-example.ts";
import { cliActor } from "../audit/index.ts";
import { directorySink, exportPack } from "./index.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { REPORTING_CURRENCY: "usd" } });
  await loadFxDocExample(ctx.db);
  // A GBP sale: the rates file has no GBP column.
  await makeCharge(ctx.db, { amount: 900, currency: "gbp", created: "2026-03-06T12:00:00Z", fee: null });
});
afterAll(() => ctx.destroy());

async function ratesOf(pack: "finance" | "bi", from: string, to: string) {
  const dir = mkdtempSync(join(tmpdir(), "fx-rates-"));
  await exportPack(ctx, { pack, from, to }, await directorySink(dir), cliActor);
  return csvObjects(readFileSync(join(dir, "fx_rates.csv"), "utf8"));
}

describe("fx_rates.csv (finance and BI packs)", () => {
  it("gives each day's rate per currency with the stored day and source the converted view used", async () => {
    const rows = await ratesOf("finance", "2026-03-06", "2026-03-07");
    const by = (day: string, currency: string) => rows.find((r) => r.day === day && r.currency === currency);
    // The worked example of the KPI docs: JPY crossed through the euro, Friday's KWD rate on Saturday.
    expect(by("2026-03-06", "jpy")).toEqual({
      day: "2026-03-06",
      currency: "jpy",
      reporting_currency: "usd",
      rate: "0.005",
      rate_day: "2026-03-06",
      source: "import",
      via: "eur",
    });
    expect(by("2026-03-07", "kwd")).toMatchObject({ rate: "2.5", rate_day: "2026-03-06", via: "eur" });
    expect(rows.map((r) => r.currency)).toEqual(["gbp", "jpy", "kwd", "gbp", "jpy", "kwd"]);
    expect(await ratesOf("bi", "2026-03-06", "2026-03-07")).toEqual(rows);
  });

  it("writes a day with no rate as an empty rate marked missing, never a guess", async () => {
    const rows = await ratesOf("finance", "2026-03-06", "2026-03-06");
    expect(rows.find((r) => r.currency === "gbp")).toMatchObject({
      rate: "",
      rate_day: "",
      source: "missing",
      via: "",
    });
  });

  it("adds each record's rate and converted amount to the ledger files, summing to the converted KPIs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fx-ledger-"));
    await exportPack(
      ctx,
      { pack: "finance", from: "2026-03-02", to: "2026-03-08" },
      await directorySink(dir),
      cliActor,
    );
    const payments = csvObjects(readFileSync(join(dir, "payments.csv"), "utf8"));
    const yen = payments.filter((p) => p.currency === "jpy");
    // JPY 1,500 at 0.00625 USD per yen = 937.5 cents → 938, per record.
    expect(
      yen.map((p) => [p.fx_rate, p.amount_captured_converted, p.amount_captured_converted_decimal]),
    ).toEqual([
      ["0.00625", "938", "9.38"],
      ["0.00625", "938", "9.38"],
    ]);
    // The GBP sale has no rate: its converted cells are empty.
    expect(payments.find((p) => p.currency === "gbp")).toMatchObject({
      fx_rate: "",
      amount_captured_converted: "",
    });
    const known = payments.filter((p) => p.amount_captured_converted !== "");
    // The worked example's converted gross revenue: 12762 cents.
    expect(known.reduce((sum, p) => sum + Number(p.amount_captured_converted), 0)).toBe(12762);
    const refunds = csvObjects(readFileSync(join(dir, "refunds.csv"), "utf8"));
    expect(refunds.map((r) => [r.reporting_currency, r.fx_rate, r.amount_converted])).toEqual([
      ["usd", "0.005", "500"],
    ]);
  });
});
