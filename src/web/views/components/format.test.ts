import { describe, expect, it } from "vitest";
import { dateTime, day, month, NONE } from "./format.ts";

describe("dates are written one way", () => {
  it.each([
    ["2026-05-17T08:15:42.123Z", "17 May 2026, 08:15 UTC"],
    ["2026-01-02T00:00:00Z", "2 Jan 2026, 00:00 UTC"],
    ["2026-12-31T23:59:59.999Z", "31 Dec 2026, 23:59 UTC"],
    // An instant given with an offset is still written in UTC (it is the 14th there).
    ["2026-06-15T01:30:00+02:00", "14 Jun 2026, 23:30 UTC"],
  ])("writes the instant %s as %s", (at, expected) => {
    expect(dateTime(at)).toBe(expected);
    expect(dateTime(new Date(at))).toBe(expected);
  });

  it("writes a missing or unreadable instant as a dash", () => {
    expect(dateTime(null)).toBe(NONE);
    expect(dateTime(undefined)).toBe(NONE);
    expect(dateTime("not a date")).toBe(NONE);
  });

  it("writes the instant's day as the dashboards write a day", () => {
    expect(dateTime("2026-05-04T10:00:00Z").startsWith(`${day("2026-05-04")},`)).toBe(true);
    expect(day("2026-05-04")).toBe("4 May 2026");
    expect(day("2026-05-04", false)).toBe("4 May");
    expect(month("2026-05")).toBe("May 2026");
  });
});
