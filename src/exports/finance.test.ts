import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProduct } from "../../tests/support/builders/catalog.ts";
import { makeCustomer } from "../../tests/support/builders/customers.ts";
import { makeCharge, makeDispute, makeRefund } from "../../tests/support/builders/ledger.ts";
import { makeOrder } from "../../tests/support/builders/orders.ts";
import { makeInvoice, makeSubscriptionWithHistory } from "../../tests/support/builders/subscriptions.ts";
import { createTestContext, type TestContext } from "../../tests/support/context.ts";
import { csvObjects, parseCsv } from "../../tests/support/export-read.ts";
import { computeKpisRaw } from "../analytics/index.ts";
import { cliActor, listAuditEvents } from "../audit/index.ts";
import { directorySink, exportPack, type Manifest } from "./index.ts";

/**
 * Period 2026-06-01..2026-06-07 in America/New_York (UTC−4 in June):
 * start 2026-06-01T04:00Z, end 2026-06-08T04:00Z.
 */
let ctx: TestContext;
let dir: string;
let manifest: Manifest;
const t = (iso: string) => new Date(iso);

beforeAll(async () => {
  ctx = await createTestContext({ env: { REPORTING_TIMEZONE: "America/New_York" } });
  const db = ctx.db;
  const hyper = await makeCustomer(db, { name: '=HYPERLINK("x")' });
  const product = await makeProduct(db, { name: "+SUM(A1)" });
  await makeOrder(db, {
    customerId: hyper.id,
    paidAt: "2026-06-02T15:00:00Z",
    lines: [{ productId: product.id, quantity: 2, unitPrice: 1500, name: "+SUM(A1)" }],
  });
  // Paid 2026-05-31 23:59:59 in New York: the day before the period.
  await makeOrder(db, {
    customerId: hyper.id,
    paidAt: "2026-06-01T03:59:59Z",
    lines: [{ productId: product.id, quantity: 1, unitPrice: 1500 }],
  });

  const { id: c1 } = await makeCharge(db, { amount: 10_000, created: t("2026-06-01T04:00:00Z") }); // first instant of 06-01
  await makeCharge(db, { amount: 2_500, created: t("2026-06-08T03:59:59Z") }); // last second of 06-07
  const { id: c3 } = await makeCharge(db, { amount: 9_999, created: t("2026-06-01T03:59:59Z") }); // 05-31: outside
  await makeCharge(db, { amount: 4_000, status: "failed", paid: false, created: t("2026-06-03T12:00:00Z") });
  await makeCharge(db, { amount: 3_000, livemode: true, created: t("2026-06-03T12:00:00Z") }); // live mode
  await makeCharge(db, { amount: 5_000, currency: "eur", created: t("2026-06-02T12:00:00Z") });

  // Refunds count on their own date, whatever the date of the charge (c3 is before the period).
  await makeRefund(db, { amount: 1_500, chargeId: c3, created: t("2026-06-03T12:00:00Z") });
  await makeRefund(db, { amount: 2_000, chargeId: c1, created: t("2026-06-08T05:00:00Z") }); // 06-08: outside
  await makeRefund(db, { amount: 700, status: "pending", chargeId: c1, created: t("2026-06-04T12:00:00Z") });
  await makeRefund(db, { amount: 1_000, currency: "eur", created: t("2026-06-05T12:00:00Z") });
  await makeDispute(db, { amount: 700, chargeId: c1, created: t("2026-06-04T12:00:00Z") });

  await makeSubscriptionWithHistory(db, {
    customerId: hyper.id,
    stripeCustomerId: hyper.stripeCustomerId!,
    unitAmount: 2_000,
    states: [{ at: "2026-05-01T00:00:00Z", status: "active" }],
  });
  await makeInvoice(db, { created: t("2026-06-05T00:00:00Z"), paidAt: t("2026-06-05T00:00:05Z") });

  dir = mkdtempSync(join(tmpdir(), "finance-pack-"));
  manifest = await exportPack(
    ctx,
    { pack: "finance", from: "2026-06-01", to: "2026-06-07" },
    await directorySink(dir),
    cliActor,
  );
});
afterAll(() => ctx.destroy());

const read = (name: string) => readFileSync(join(dir, name), "utf8");

describe("finance pack", () => {
  it("sums to the period's gross revenue, refunds and net revenue per currency", () => {
    const summary = csvObjects(read("revenue_summary.csv"));
    const total = (currency: string, column: string) =>
      summary.filter((r) => r.currency === currency).reduce((sum, r) => sum + Number(r[column]), 0);
    // usd gross: 10,000 (06-01 00:00 NY) + 2,500 (06-07 23:59:59 NY); the failed, live-mode and 05-31 charges are out.
    expect(total("usd", "gross_revenue")).toBe(12_500);
    // usd refunds: only the succeeded 1,500 on 06-03 (the 2,000 is 06-08, the 700 is pending).
    expect(total("usd", "refunds")).toBe(1_500);
    expect(total("usd", "net_revenue")).toBe(11_000);
    expect(total("usd", "disputes")).toBe(700);
    expect(total("eur", "gross_revenue")).toBe(5_000);
    expect(total("eur", "refunds")).toBe(1_000);
    expect(total("eur", "net_revenue")).toBe(4_000);
  });

  it("agrees with the analytics engine's KPIs for the same period and currency", async () => {
    const summary = csvObjects(read("revenue_summary.csv"));
    for (const currency of ["usd", "eur"]) {
      const kpis = await computeKpisRaw(ctx, {
        from: "2026-06-01",
        to: "2026-06-07",
        currency,
        timezone: "America/New_York",
        livemode: false,
      });
      const rows = summary.filter((r) => r.currency === currency);
      const sum = (column: string) => rows.reduce((total, r) => total + Number(r[column]), 0);
      expect({
        currency,
        gross: sum("gross_revenue"),
        refunds: sum("refunds"),
        net: sum("net_revenue"),
      }).toEqual({
        currency,
        gross: kpis.gross_revenue,
        refunds: kpis.refunds,
        net: kpis.net_revenue,
      });
    }
    const usd = await computeKpisRaw(ctx, {
      from: "2026-06-01",
      to: "2026-06-07",
      currency: "usd",
      timezone: "America/New_York",
    });
    const orders = csvObjects(read("orders.csv"));
    expect(orders).toHaveLength(usd.orders);
    expect(orders.reduce((total, o) => total + Number(o.amount_total), 0)).toBe(usd.order_revenue);
  });

  it("cuts days in the reporting time zone and writes every day for every currency", () => {
    const summary = csvObjects(read("revenue_summary.csv"));
    expect(summary).toHaveLength(14); // 7 days × 2 currencies
    const usd = (day: string) => summary.find((r) => r.day === day && r.currency === "usd")!;
    expect(usd("2026-06-01")).toMatchObject({ gross_revenue: "10000", gross_revenue_decimal: "100.00" });
    expect(usd("2026-06-07")).toMatchObject({ gross_revenue: "2500", net_revenue_decimal: "25.00" });
    expect(usd("2026-06-03")).toMatchObject({
      refunds: "1500",
      net_revenue: "-1500",
      net_revenue_decimal: "-15.00",
    });
    expect(usd("2026-06-02").gross_revenue).toBe("0");
  });

  it("lists the period's ledger rows of the configured mode, any status", () => {
    const payments = csvObjects(read("payments.csv"));
    expect(payments.map((p) => Number(p.amount)).sort((a, b) => a - b)).toEqual([
      2_500, 4_000, 5_000, 10_000,
    ]);
    expect(payments.find((p) => p.amount === "4000")!.counts_in_gross_revenue).toBe("false");
    const refunds = csvObjects(read("refunds.csv"));
    expect(refunds.map((r) => Number(r.amount)).sort((a, b) => a - b)).toEqual([700, 1_000, 1_500]);
    expect(refunds.find((r) => r.amount === "1500")!.created_day).toBe("2026-06-03");
    expect(csvObjects(read("disputes.csv"))).toHaveLength(1);
    expect(csvObjects(read("invoices.csv"))).toHaveLength(1);
    expect(csvObjects(read("subscriptions.csv"))[0]).toMatchObject({
      status: "active",
      mrr: "2000",
      mrr_decimal: "20.00",
    });
  });

  it("holds the orders paid in the period with their lines, formula-like text neutralised", () => {
    const orders = csvObjects(read("orders.csv"));
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      amount_total: "3000",
      amount_total_decimal: "30.00",
      paid_day: "2026-06-02",
    });
    const lines = read("order_lines.csv");
    expect(lines).toContain("'+SUM(A1)");
    expect(csvObjects(lines)[0]!.product_name).toBe("'+SUM(A1)");
  });

  it("writes RFC 4180 CSV with CRLF records", () => {
    const text = read("payments.csv");
    expect(text.endsWith("\r\n")).toBe(true);
    expect(parseCsv(text).every((r) => r.length === 25)).toBe(true);
  });

  it("describes every file in the manifest with row counts and matching SHA-256", () => {
    const onDisk = JSON.parse(read("manifest.json")) as Manifest;
    expect(onDisk).toEqual(manifest);
    expect(onDisk.period).toMatchObject({
      from: "2026-06-01",
      to: "2026-06-07",
      timezone: "America/New_York",
      start: "2026-06-01T04:00:00.000Z",
      end: "2026-06-08T04:00:00.000Z",
    });
    expect(onDisk.files.map((f) => f.name)).toEqual([
      "orders.csv",
      "order_lines.csv",
      "payments.csv",
      "refunds.csv",
      "disputes.csv",
      "revenue_summary.csv",
      "fx_rates.csv",
      "subscriptions.csv",
      "invoices.csv",
    ]);
    for (const file of onDisk.files) {
      const bytes = readFileSync(join(dir, file.name));
      expect(file.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(file.bytes).toBe(bytes.length);
      expect(file.rows).toBe(parseCsv(bytes.toString("utf8")).length - 1);
    }
  });

  it("records an export.finance audit event with parameters and row counts, no PII", async () => {
    const { rows } = await listAuditEvents(ctx, { action: "export.finance" });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.after).toMatchObject({
      from: "2026-06-01",
      to: "2026-06-07",
      pii: false,
      format: "directory",
      rows: { "orders.csv": 1, "payments.csv": 4, "refunds.csv": 3, "revenue_summary.csv": 14 },
    });
    expect(JSON.stringify(rows[0])).not.toContain("example.test");
  });
});
