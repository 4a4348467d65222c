import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliRunner } from "../../tests/support/cli.ts";

const runner = cliRunner("fx");
const cli = runner.inProcess;
afterAll(runner.cleanup);

const file = (name: string, text: string) => {
  const path = join(runner.dataDir, name);
  writeFileSync(path, text);
  return path;
};

describe("revintel fx (end to end)", () => {
  it("imports an ECB file once (a second import changes nothing) and lists the pair with its source", async () => {
    expect((await cli(["migrate"])).code).toBe(0);
    const good = file(
      "eurofxref-hist.csv",
      "Date,USD,JPY,CYP,\n2026-03-09,1.0900,162.00,N/A,\n2026-03-06,1.0812,160.5,N/A,\n",
    );
    const first = await cli(["fx", "import", good, "--json"]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ rates: 4, changed: 4 });
    const again = await cli(["fx", "import", good, "--json"]);
    expect(JSON.parse(again.out)).toMatchObject({ rates: 4, changed: 0, dirty_days: 0 });

    const list = await cli([
      "fx",
      "list",
      "--pair",
      "EUR/USD",
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-31",
      "--json",
    ]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out)).toEqual([
      { day: "2026-03-06", base: "eur", quote: "usd", rate: "1.0812", source: "import" },
      { day: "2026-03-09", base: "eur", quote: "usd", rate: "1.09", source: "import" },
    ]);
    const table = await cli(["fx", "list", "--pair", "EUR/JPY"]);
    expect(table.out).toMatch(/2026-03-09\s+EUR\/JPY\s+162\s+import/);
  });

  it("refuses a bad file with exit 2 naming line and column, and imports none of its rows", async () => {
    const bad = file("bad.csv", "Date,USD,GBP\n2026-04-01,1.1,0.85\n2026-04-02,1.1,x.9\n");
    const r = await cli(["fx", "import", bad]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('bad.csv: line 3, column 3 (GBP): "x.9" is not a positive decimal rate');
    const list = await cli(["fx", "list", "--pair", "EUR/USD", "--from", "2026-04-01", "--json"]);
    expect(JSON.parse(list.out)).toEqual([]);
    expect((await cli(["fx", "list", "--pair", "EURUSD"])).err).toContain(
      "--pair: expected a pair like EUR/USD",
    );
  });

  it("answers revintel kpis --currency all in the reporting currency, and refuses --reporting-currency alone", async () => {
    const r = await cli([
      "kpis",
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-31",
      "--currency",
      "all",
      "--reporting-currency",
      "jpy",
      "--json",
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      currency: "all",
      reporting_currency: "jpy",
      gross_revenue: 0,
      mrr_movements: { fx: 0, net: 0 },
      fx: { source: null, missing_days: 0, missing: [] },
    });
    const alone = await cli([
      "kpis",
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-31",
      "--reporting-currency",
      "usd",
    ]);
    expect(alone.code).toBe(2);
    expect(alone.err).toContain("--reporting-currency: only with --currency all");
  });
});
