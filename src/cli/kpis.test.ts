import { afterAll, describe, expect, it } from "vitest";
import { cliRunner } from "../../tests/support/cli.ts";
import { kpiTable } from "./kpis.ts";

const runner = cliRunner("kpis");
const cli = runner.inProcess;

afterAll(runner.cleanup);

describe("revintel snapshots build / kpis", () => {
  it("builds snapshots and prints the contract JSON and a readable table", async () => {
    expect((await cli(["migrate"])).code).toBe(0);
    const built = await cli(["snapshots", "build", "--from", "2026-01-01", "--to", "2026-01-31", "--json"]);
    expect(built.code).toBe(0);
    expect(JSON.parse(built.out)).toMatchObject({ from: "2026-01-01", to: "2026-01-31", days: 31 });
    const json = await cli([
      "kpis",
      "--from",
      "2026-01-01",
      "--to",
      "2026-01-31",
      "--currency",
      "usd",
      "--json",
    ]);
    expect(json.code).toBe(0);
    const kpis = JSON.parse(json.out);
    expect(kpis).toMatchObject({ from: "2026-01-01", currency: "usd", gross_revenue: 0, aov: null });
    expect(Object.keys(kpis)[4]).toBe("gross_revenue");
    const table = await cli(["kpis", "--from", "2026-01-01", "--to", "2026-01-31"]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/gross_revenue\s+\$0\.00/);
    expect(table.out).toMatch(/net_revenue_retention\s+—/);
  }, 300_000);

  it("exits 2 naming the flag on bad input", async () => {
    const r = await cli(["kpis", "--from", "2026-1-01", "--to", "2026-01-31"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--from");
    const both = await cli([
      "snapshots",
      "build",
      "--days",
      "3",
      "--from",
      "2026-01-01",
      "--to",
      "2026-01-02",
    ]);
    expect(both.code).toBe(2);
    expect(both.err).toContain("--days");
    const currency = await cli(["kpis", "--from", "2026-01-01", "--to", "2026-01-31", "--currency", "zzz"]);
    expect(currency.code).toBe(2);
    expect(currency.err).toContain("--currency");
    expect(currency.err).toContain("unknown ISO currency code");
  }, 120_000);
});

describe("revintel kpis text", () => {
  const base = {
    from: "2026-01-01",
    to: "2026-01-31",
    timezone: "UTC",
    gross_revenue: 1500,
    refunds: 0,
    net_revenue: 1500,
    disputes: 0,
    disputes_lost: 0,
    fees: null,
    orders: 1,
    order_revenue: 1500,
    aov: 1500,
    customers: 1,
    new_customers: 1,
    repeat_customer_rate: 0,
    mrr: 1000,
    arr: 12000,
    active_subscriptions: 1,
    subscribers: 1,
    arpa: 1000,
    mrr_movements: { new: 1000, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 1000 },
    customer_churn_rate: 0.25,
    revenue_churn_rate: 0.125,
    net_revenue_retention: 1.05,
    gross_revenue_retention: 0.875,
  };
  const value = (rows: Array<{ kpi: string; value: string }>, kpi: string) =>
    rows.find((r) => r.kpi === kpi)?.value;

  it("shows amounts in the currency's own decimals", async () => {
    const kwd = kpiTable({ ...base, currency: "kwd" });
    expect(value(kwd, "gross_revenue")).toBe("KWD 1.500"); // 1500 fils
    expect(value(kwd, "mrr_new")).toBe("KWD 1.000");
    const jpy = kpiTable({ ...base, currency: "jpy", gross_revenue: 1000 });
    expect(value(jpy, "gross_revenue")).toBe("¥1,000");
  });

  it("shows gross revenue retention beside the other rates", async () => {
    const rows = kpiTable({ ...base, currency: "usd" });
    expect(value(rows, "net_revenue_retention")).toBe("105.00%");
    expect(value(rows, "gross_revenue_retention")).toBe("87.50%");
  });
});
