import { afterAll, describe, expect, it } from "vitest";
import { cliRunner } from "../testing/cli.ts";

const runner = cliRunner("kpis");
const cli = runner.run;

afterAll(runner.cleanup);

describe("revintel snapshots build / kpis", () => {
  it("builds snapshots and prints the contract JSON and a readable table", () => {
    expect(cli(["migrate"]).code).toBe(0);
    const built = cli(["snapshots", "build", "--from", "2026-01-01", "--to", "2026-01-31", "--json"]);
    expect(built.code).toBe(0);
    expect(JSON.parse(built.out)).toMatchObject({ from: "2026-01-01", to: "2026-01-31", days: 31 });
    const json = cli(["kpis", "--from", "2026-01-01", "--to", "2026-01-31", "--currency", "usd", "--json"]);
    expect(json.code).toBe(0);
    const kpis = JSON.parse(json.out);
    expect(kpis).toMatchObject({ from: "2026-01-01", currency: "usd", gross_revenue: 0, aov: null });
    expect(Object.keys(kpis)[4]).toBe("gross_revenue");
    const table = cli(["kpis", "--from", "2026-01-01", "--to", "2026-01-31"]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/gross_revenue\s+\$0\.00/);
    expect(table.out).toMatch(/net_revenue_retention\s+—/);
  }, 300_000);

  it("exits 2 naming the flag on bad input", () => {
    const r = cli(["kpis", "--from", "2026-1-01", "--to", "2026-01-31"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--from");
    const both = cli(["snapshots", "build", "--days", "3", "--from", "2026-01-01", "--to", "2026-01-02"]);
    expect(both.code).toBe(2);
    expect(both.err).toContain("--days");
  }, 120_000);
});
