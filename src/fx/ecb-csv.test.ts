import { describe, expect, it } from "vitest";
import { parseEcbCsv } from "./ecb-csv.ts";

describe("parseEcbCsv (the ECB reference-rate layout)", () => {
  it("reads the history layout: rates per euro, N/A cells skipped, trailing empty column allowed", () => {
    const rows = parseEcbCsv(
      "Date,USD,JPY,CYP,KWD,\n2026-03-09,1.0900,162.00,N/A,0.3351,\n2026-03-06,1.0812,160.5,N/A,0.3340,\n",
    );
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({ day: "2026-03-09", base: "eur", quote: "usd", rate: "1.09", source: "import" });
    expect(rows.find((r) => r.quote === "cyp")).toBeUndefined();
  });

  it("reads the daily file's long date and spaced header", () => {
    const rows = parseEcbCsv("Date, USD, JPY, \n04 December 2026, 1.0527, 158.53, \n");
    expect(rows.map((r) => `${r.day} ${r.quote} ${r.rate}`)).toEqual([
      "2026-12-04 usd 1.0527",
      "2026-12-04 jpy 158.53",
    ]);
  });

  it("names the line and column of a bad cell", () => {
    expect(() =>
      parseEcbCsv("Date,USD,JPY\n2026-03-09,1.09,162\n2026-03-06,1.08,abc\n", "rates.csv"),
    ).toThrow('rates.csv: line 3, column 3 (JPY): "abc" is not a positive decimal rate');
    expect(() => parseEcbCsv("Date,USD\n2026-13-01,1.09\n")).toThrow(/line 2, column 1 \(Date\)/);
    expect(() => parseEcbCsv("Date,US1\n2026-03-01,1.09\n")).toThrow(
      /line 1, column 2: "US1" is not an ISO currency code/,
    );
    expect(() => parseEcbCsv("Day,USD\n")).toThrow(/line 1, column 1 \(Date\)/);
    expect(() => parseEcbCsv("Date,USD\n2026-03-01,-1\n")).toThrow(/line 2, column 2 \(USD\)/);
  });
});
