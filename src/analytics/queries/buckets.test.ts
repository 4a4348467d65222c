import { describe, expect, it } from "vitest";
import { bucketsOf } from "./buckets.ts";

const periods = (from: string, to: string, grain: "day" | "week" | "month") =>
  bucketsOf(from, to, grain).map((b) => [b.period, b.to, b.days.length]);

describe("bucketsOf", () => {
  it("starts a week on each Monday and clips the first and last to the range", () => {
    // 2026-02-25 is a Wednesday, 2026-03-10 a Tuesday.
    expect(periods("2026-02-25", "2026-03-10", "week")).toEqual([
      ["2026-02-25", "2026-03-01", 5],
      ["2026-03-02", "2026-03-08", 7],
      ["2026-03-09", "2026-03-10", 2],
    ]);
    // A range opening on a Monday, across a year's end.
    expect(periods("2025-12-29", "2026-01-05", "week")).toEqual([
      ["2025-12-29", "2026-01-04", 7],
      ["2026-01-05", "2026-01-05", 1],
    ]);
  });

  it("starts a month on each 1st, clipped, and a day on each day", () => {
    expect(periods("2024-02-28", "2024-04-01", "month")).toEqual([
      ["2024-02-28", "2024-02-29", 2],
      ["2024-03-01", "2024-03-31", 31],
      ["2024-04-01", "2024-04-01", 1],
    ]);
    expect(periods("2026-03-30", "2026-04-01", "day")).toEqual([
      ["2026-03-30", "2026-03-30", 1],
      ["2026-03-31", "2026-03-31", 1],
      ["2026-04-01", "2026-04-01", 1],
    ]);
    expect(bucketsOf("2026-03-02", "2026-03-01", "week")).toEqual([]);
  });
});
