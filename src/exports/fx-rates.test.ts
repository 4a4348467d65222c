import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCharge } from "../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../tests/support/builders/orders.ts";
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
  // A JPY order with two lines on Thursday 03-05 (0.005 USD per yen).
  const tea = await makeProduct(ctx.db, { currency: "jpy", priceAmount: 700 });
  await makeOrder(ctx.db, {
    customerId: 3,
    currency: "jpy",
    paidAt: "2026-03-05T12:00:00Z",
    lines: [
      { productId: tea.id, quantity: 2, unitPrice: 700 },
      { productId: tea.id, quantity: 1, unitPrice: 333 },
    ],
  });
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
    // USD is the reporting currency (and sub_A's): its own rate, "same".
    expect(by("2026-03-06", "usd")).toMatchObject({ rate: "1", rate_day: "", source: "same", via: "same" });
    expect(rows.map((r) => r.currency)).toEqual(["gbp", "jpy", "kwd", "usd", "gbp", "jpy", "kwd", "usd"]);
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

  it("adds converted columns to orders, order lines, fact_order_line and revenue_summary, converted record by record", async () => {
    const finance = mkdtempSync(join(tmpdir(), "fx-orders-"));
    const bi = mkdtempSync(join(tmpdir(), "fx-bi-"));
    const period = { from: "2026-03-02", to: "2026-03-08" };
    await exportPack(ctx, { pack: "finance", ...period }, await directorySink(finance), cliActor);
    await exportPack(ctx, { pack: "bi", ...period }, await directorySink(bi), cliActor);
    const read = (dir: string, name: string) => csvObjects(readFileSync(join(dir, name), "utf8"));
    // The doc's orders: USD 50.00 → 5000, JPY 3,000 at 0.00625 → 1875, KWD 1.500 at 3.125 → 469;
    // this file's JPY order of ¥1,733 at 0.005 → 866.5 → 867.
    const orders = read(finance, "orders.csv");
    expect(orders.map((o) => [o.currency, o.fx_rate, o.amount_total_converted])).toEqual([
      ["usd", "1", "5000"],
      ["jpy", "0.00625", "1875"],
      ["kwd", "3.125", "469"],
      ["jpy", "0.005", "867"],
    ]);
    // Its lines on their own: ¥1,400 → 700, ¥333 → 166.5 → 167 (the lines' sum is not the order's conversion).
    for (const lines of [read(finance, "order_lines.csv"), read(bi, "fact_order_line.csv")]) {
      expect(
        lines.map((l) => [
          l.reporting_currency,
          l.fx_rate,
          l.line_amount_converted,
          l.line_amount_converted_decimal,
        ]),
      ).toEqual([
        ["usd", "0.005", "700", "7.00"],
        ["usd", "0.005", "167", "1.67"],
      ]);
    }
    const summary = read(finance, "revenue_summary.csv");
    const column = (c: string) => summary.reduce((s, r) => s + Number(r[c] || 0), 0);
    // The worked example: gross 12762, refunds 500, net 12262 (the GBP sale has no rate: empty cells).
    expect([
      column("gross_revenue_converted"),
      column("refunds_converted"),
      column("net_revenue_converted"),
    ]).toEqual([12762, 500, 12262]);
    // The JPY day 03-03: two charges of ¥1,500 converted one by one, 938 each.
    expect(summary.find((r) => r.day === "2026-03-03" && r.currency === "jpy")).toMatchObject({
      fx_rate: "0.00625",
      gross_revenue: "3000",
      gross_revenue_converted: "1876",
      gross_revenue_converted_decimal: "18.76",
    });
    expect(summary.find((r) => r.day === "2026-03-06" && r.currency === "gbp")).toMatchObject({
      fx_rate: "",
      gross_revenue_converted: "",
    });
  });
});
