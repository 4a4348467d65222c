import { describe, expect, it } from "vitest";
import { parseRange, rangeQuery } from "./range.ts";

const TODAY = "2026-06-15";

describe("dashboard range from the query string", () => {
  it("defaults to the last 30 days ending today, compared with the 30 days before", () => {
    // 2026-06-15 minus 29 days = 2026-05-17; previous: 2026-04-17 .. 2026-05-16
    expect(parseRange({}, TODAY)).toEqual({
      preset: "30",
      from: "2026-05-17",
      to: "2026-06-15",
      previous: { from: "2026-04-17", to: "2026-05-16" },
      currency: undefined,
    });
  });

  it("reads the 7 and 90 day presets", () => {
    expect(parseRange({ range: "7" }, TODAY)).toMatchObject({ from: "2026-06-09", to: TODAY });
    // 90 days: 2026-06-15 minus 89 days = 2026-03-18
    expect(parseRange({ range: "90" }, TODAY)).toMatchObject({ from: "2026-03-18", to: TODAY });
  });

  it("reads a custom range and a currency", () => {
    const r = parseRange({ range: "custom", from: "2026-01-01", to: "2026-01-31", currency: "EUR" }, TODAY);
    expect(r).toMatchObject({ preset: "custom", from: "2026-01-01", to: "2026-01-31", currency: "eur" });
    expect(r.previous).toEqual({ from: "2025-12-01", to: "2025-12-31" });
  });

  it("keeps a preset when the form only changes the currency, and turns custom when dates change", () => {
    expect(parseRange({ range: "7", from: "2026-06-09", to: TODAY, currency: "eur" }, TODAY).preset).toBe(
      "7",
    );
    expect(parseRange({ range: "7", from: "2026-06-01", to: TODAY }, TODAY).preset).toBe("custom");
  });

  it("rejects an inverted range, a bad preset and a bad currency naming the field", () => {
    expect(() => parseRange({ range: "custom", from: "2026-02-01", to: "2026-01-01" }, TODAY)).toThrow(
      /start/,
    );
    expect(() => parseRange({ range: "14" }, TODAY)).toThrow(/range/);
    expect(() => parseRange({ currency: "<x>" }, TODAY)).toThrow(/currency/);
    expect(() => parseRange({ range: "custom", from: "2026-02-30", to: "2026-03-01" }, TODAY)).toThrow(
      /^from: expected a date as YYYY-MM-DD/,
    );
  });

  it("builds links that keep the currency", () => {
    const r = parseRange({ currency: "eur" }, TODAY);
    expect(rangeQuery(r, { range: "7" })).toBe("?range=7&currency=eur");
  });
});
