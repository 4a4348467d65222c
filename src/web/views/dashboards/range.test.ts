import { describe, expect, it } from "vitest";
import { dayOf } from "../../../analytics/core/periods.ts";
import { addMonths, parseRange, presetPeriod, rangeQuery } from "./range.ts";

const TODAY = "2026-06-15";

describe("dashboard range from the query string", () => {
  it("defaults to the last 30 days ending today, compared with the 30 days before", () => {
    // 2026-06-15 minus 29 days = 2026-05-17; previous: 2026-04-17 .. 2026-05-16
    expect(parseRange({}, TODAY)).toEqual({
      preset: "30",
      from: "2026-05-17",
      to: "2026-06-15",
      previous: { from: "2026-04-17", to: "2026-05-16", name: "the previous 30 days" },
      grain: "day",
      grainChosen: false,
      today: TODAY,
      currency: undefined,
    });
  });

  it("reads the 7 and 90 day presets, by the new `preset` and the old `range` parameter", () => {
    expect(parseRange({ preset: "7" }, TODAY)).toMatchObject({ from: "2026-06-09", to: TODAY });
    expect(parseRange({ range: "7" }, TODAY)).toMatchObject({ from: "2026-06-09", to: TODAY });
    // 90 days: 2026-06-15 minus 89 days = 2026-03-18; 90 days default to weeks
    expect(parseRange({ range: "90" }, TODAY)).toMatchObject({
      from: "2026-03-18",
      to: TODAY,
      grain: "week",
    });
  });

  it("reads a custom range and a currency", () => {
    const r = parseRange({ range: "custom", from: "2026-01-01", to: "2026-01-31", currency: "EUR" }, TODAY);
    expect(r).toMatchObject({ preset: "custom", from: "2026-01-01", to: "2026-01-31", currency: "eur" });
    expect(r.previous).toEqual({ from: "2025-12-01", to: "2025-12-31", name: "the previous 31 days" });
    // from/to alone (the oldest links) are a custom range
    expect(parseRange({ from: "2026-01-01", to: "2026-01-02" }, TODAY).preset).toBe("custom");
  });

  it("keeps a preset when the form only changes the currency, and turns custom when dates change", () => {
    expect(parseRange({ range: "7", from: "2026-06-09", to: TODAY, currency: "eur" }, TODAY).preset).toBe(
      "7",
    );
    expect(parseRange({ preset: "mtd", from: "2026-06-01", to: TODAY }, TODAY).preset).toBe("mtd");
    expect(parseRange({ range: "7", from: "2026-06-01", to: TODAY }, TODAY).preset).toBe("custom");
  });

  it("rejects an inverted range, a bad preset, grain and currency naming the field", () => {
    expect(() => parseRange({ range: "custom", from: "2026-02-01", to: "2026-01-01" }, TODAY)).toThrow(
      /start/,
    );
    expect(() => parseRange({ range: "14" }, TODAY)).toThrow(/^preset: must be one of today, 7, 30/);
    expect(() => parseRange({ preset: "week" }, TODAY)).toThrow(/^preset:/);
    expect(() => parseRange({ grain: "hour" }, TODAY)).toThrow(/^grain: must be day, week or month/);
    expect(() => parseRange({ currency: "<x>" }, TODAY)).toThrow(/currency/);
    expect(() => parseRange({ range: "custom", from: "2026-02-30", to: "2026-03-01" }, TODAY)).toThrow(
      /^from: expected a date as YYYY-MM-DD/,
    );
  });

  it("builds links with `preset` that keep the currency and a chosen grain", () => {
    const r = parseRange({ currency: "eur" }, TODAY);
    expect(rangeQuery(r, { range: "7" })).toBe("?preset=7&currency=eur");
    expect(rangeQuery(r, { grain: "week" })).toBe("?preset=30&grain=week&currency=eur");
    const weekly = parseRange({ preset: "ytd", grain: "week" }, TODAY);
    expect(rangeQuery(weekly, { preset: "qtd" })).toBe("?preset=qtd&grain=week");
    const custom = parseRange({ from: "2026-01-01", to: "2026-01-31" }, TODAY);
    expect(rangeQuery(custom, { grain: "day" })).toBe(
      "?preset=custom&from=2026-01-01&to=2026-01-31&grain=day",
    );
  });
});

describe("presets on a fixed day", () => {
  it("today compares with the day before", () => {
    expect(presetPeriod("today", TODAY)).toEqual({
      from: TODAY,
      to: TODAY,
      previous: { from: "2026-06-14", to: "2026-06-14", name: "the day before" },
    });
  });

  it("month to date compares with the same days of last month, clipped at its end", () => {
    expect(presetPeriod("mtd", TODAY)).toEqual({
      from: "2026-06-01",
      to: TODAY,
      previous: { from: "2026-05-01", to: "2026-05-15", name: "the same days last month" },
    });
    // 31 March: February has 28 days in 2026 → 1..28 Feb
    expect(presetPeriod("mtd", "2026-03-31").previous).toMatchObject({
      from: "2026-02-01",
      to: "2026-02-28",
    });
    // 1 January: the first day alone, compared with 1 December of the year before
    expect(presetPeriod("mtd", "2026-01-01")).toMatchObject({
      from: "2026-01-01",
      to: "2026-01-01",
      previous: { from: "2025-12-01", to: "2025-12-01" },
    });
  });

  it("last month is the whole previous calendar month, compared with the month before it", () => {
    expect(presetPeriod("last_month", TODAY)).toMatchObject({
      from: "2026-05-01",
      to: "2026-05-31",
      previous: { from: "2026-04-01", to: "2026-04-30", name: "the month before" },
    });
    // in January: December of last year, compared with November; leap February from March 2028
    expect(presetPeriod("last_month", "2026-01-10")).toMatchObject({
      from: "2025-12-01",
      to: "2025-12-31",
      previous: { from: "2025-11-01", to: "2025-11-30" },
    });
    expect(presetPeriod("last_month", "2028-03-01")).toMatchObject({ from: "2028-02-01", to: "2028-02-29" });
  });

  it("quarter to date starts on the quarter's first day and compares with the same days last quarter", () => {
    expect(presetPeriod("qtd", TODAY)).toEqual({
      from: "2026-04-01",
      to: TODAY,
      previous: { from: "2026-01-01", to: "2026-03-15", name: "the same days last quarter" },
    });
    // last day of Q3; Q2 has no 31 June → clipped to 30 June
    expect(presetPeriod("qtd", "2026-09-30")).toMatchObject({
      from: "2026-07-01",
      previous: { from: "2026-04-01", to: "2026-06-30" },
    });
    // first day of Q1: compared with 1 October
    expect(presetPeriod("qtd", "2026-01-01")).toMatchObject({
      from: "2026-01-01",
      previous: { from: "2025-10-01", to: "2025-10-01" },
    });
  });

  it("year to date compares with the same days last year (29 February → 28 February)", () => {
    expect(presetPeriod("ytd", TODAY)).toEqual({
      from: "2026-01-01",
      to: TODAY,
      previous: { from: "2025-01-01", to: "2025-06-15", name: "the same days last year" },
    });
    expect(presetPeriod("ytd", "2028-02-29").previous).toMatchObject({
      from: "2027-01-01",
      to: "2027-02-28",
    });
  });

  it("last 12 months are the 12 calendar months ending with the current one", () => {
    expect(presetPeriod("12m", TODAY)).toMatchObject({
      from: "2025-07-01",
      to: TODAY,
      previous: { from: "2024-07-01", to: "2025-06-15" },
    });
    expect(presetPeriod("12m", "2026-12-31")).toMatchObject({ from: "2026-01-01" });
    expect(parseRange({ preset: "12m" }, TODAY).grain).toBe("month");
  });

  it("moves days by months clipping at month ends", () => {
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2024-02-29", -12)).toBe("2023-02-28");
    expect(addMonths("2026-05-15", -17)).toBe("2024-12-15");
  });
});

describe("today from a fixed clock in the reporting time zone (DST edges)", () => {
  const presetAt = (iso: string, tz: string, preset: string) =>
    parseRange({ preset }, dayOf(new Date(iso), tz));

  it("Europe/Berlin: the day turns at local midnight on both sides of the spring change", () => {
    // 2026-03-29 01:59 UTC = 03:59 CEST (clocks went 02:00 → 03:00 at 01:00 UTC)
    expect(presetAt("2026-03-29T01:59:00Z", "Europe/Berlin", "today")).toMatchObject({ from: "2026-03-29" });
    // 2026-03-28 22:59 UTC = 23:59 CET: still the 28th
    expect(presetAt("2026-03-28T22:59:00Z", "Europe/Berlin", "today")).toMatchObject({ from: "2026-03-28" });
    // 2026-03-31 22:30 UTC = 00:30 CEST on 1 April: month to date is 1 April alone
    expect(presetAt("2026-03-31T22:30:00Z", "Europe/Berlin", "mtd")).toMatchObject({
      from: "2026-04-01",
      to: "2026-04-01",
    });
  });

  it("America/New_York: the autumn change and a new year still in the old one in UTC terms", () => {
    // 2026-11-01 05:30 UTC = 01:30 EDT (clocks fall back from 02:00 EDT to 01:00 EST at 06:00 UTC)
    expect(presetAt("2026-11-01T05:30:00Z", "America/New_York", "7")).toMatchObject({
      from: "2026-10-26",
      to: "2026-11-01",
    });
    // 2027-01-01 03:00 UTC = 22:00 on 31 Dec in New York: year to date is still 2026
    expect(presetAt("2027-01-01T03:00:00Z", "America/New_York", "ytd")).toMatchObject({
      from: "2026-01-01",
      to: "2026-12-31",
    });
    // the same instant in UTC is the first day of 2027; last month is December
    expect(presetAt("2027-01-01T03:00:00Z", "UTC", "last_month")).toMatchObject({
      from: "2026-12-01",
      to: "2026-12-31",
    });
  });

  it("Pacific/Auckland: quarter to date turns a day before UTC does", () => {
    // 2026-06-30 13:00 UTC = 01:00 NZST on 1 July → Q3 begins
    expect(presetAt("2026-06-30T13:00:00Z", "Pacific/Auckland", "qtd")).toMatchObject({
      from: "2026-07-01",
      to: "2026-07-01",
    });
    expect(presetAt("2026-06-30T13:00:00Z", "UTC", "qtd")).toMatchObject({ from: "2026-04-01" });
  });
});
