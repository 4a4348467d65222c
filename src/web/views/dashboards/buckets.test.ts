import { describe, expect, it } from "vitest";
import type { Series } from "../../../analytics/index.ts";
import { bucketsOf } from "../../../analytics/queries/buckets.ts";
import { bucketLabel, bucketNote, bucketState, moneyChart } from "./charts.ts";

const TODAY = "2026-06-17"; // a Wednesday

describe("grain buckets and their partial or running state", () => {
  it("weeks are ISO weeks (Monday to Sunday); a range cutting one makes it a part", () => {
    // 2026-06-03 is a Wednesday; 2026-06-28 is a Sunday
    const weeks = bucketsOf("2026-06-03", "2026-06-28", "week");
    expect(weeks.map((b) => [b.period, b.to])).toEqual([
      ["2026-06-03", "2026-06-07"],
      ["2026-06-08", "2026-06-14"],
      ["2026-06-15", "2026-06-21"],
      ["2026-06-22", "2026-06-28"],
    ]);
    expect(weeks.map((b) => bucketState(b, "week", TODAY))).toEqual([
      "partial",
      "complete",
      "current",
      "complete",
    ]);
    expect(weeks.map((b) => bucketLabel(b, "week", TODAY))).toEqual([
      "w/c 3 Jun 2026 (part)",
      "w/c 8 Jun 2026",
      "w/c 15 Jun 2026 (so far)",
      "w/c 22 Jun 2026",
    ]);
  });

  it("months are calendar months: cut at either end is a part, the one holding today is running", () => {
    const months = bucketsOf("2026-01-15", "2026-06-17", "month");
    expect(months.map((b) => bucketLabel(b, "month", TODAY))).toEqual([
      "Jan 2026 (part)",
      "Feb 2026",
      "Mar 2026",
      "Apr 2026",
      "May 2026",
      "Jun 2026 (so far)",
    ]);
    // a past range ending mid-month: the last month is a part, not running
    const past = bucketsOf("2025-11-01", "2026-02-10", "month");
    expect(past.map((b) => bucketState(b, "month", TODAY))).toEqual([
      "complete",
      "complete",
      "complete",
      "partial",
    ]);
    // leap February whole; December across the year end whole
    expect(bucketState({ period: "2028-02-01", to: "2028-02-29" }, "month", TODAY)).toBe("complete");
    expect(bucketState({ period: "2028-02-01", to: "2028-02-28" }, "month", TODAY)).toBe("partial");
    // an ISO week across the year end (Mon 28 Dec 2026 .. Sun 3 Jan 2027)
    expect(bucketsOf("2026-12-28", "2027-01-03", "week")).toHaveLength(1);
    expect(bucketState({ period: "2026-12-28", to: "2027-01-03" }, "week", TODAY)).toBe("complete");
  });

  it("days are whole except today's", () => {
    expect(bucketState({ period: "2026-06-16", to: "2026-06-16" }, "day", TODAY)).toBe("complete");
    expect(bucketLabel({ period: TODAY, to: TODAY }, "day", TODAY)).toBe("17 Jun 2026 (so far)");
  });

  it("draws cut and running buckets lighter and explains the marks", () => {
    const series: Series = {
      metric: "net_revenue",
      grain: "month",
      currency: "usd",
      timezone: "UTC",
      from: "2026-04-10",
      to: TODAY,
      points: bucketsOf("2026-04-10", TODAY, "month").map((b) => ({
        period: b.period,
        to: b.to,
        value: 1000,
      })),
    };
    const chart = moneyChart("usd", [{ name: "Net", series }], { grain: "month", today: TODAY });
    const data = (chart.option.series as Array<{ data: unknown[] }>)[0]!.data;
    expect(data).toEqual([
      { value: 10, itemStyle: { opacity: 0.45 } },
      10,
      { value: 10, itemStyle: { opacity: 0.45 } },
    ]);
    expect(chart.table.rows.map((r) => r[0])).toEqual(["Apr 2026 (part)", "May 2026", "Jun 2026 (so far)"]);
    expect(chart.note).toBe(
      '"(part)": the range covers only part of that month; "(so far)": the month is not over yet (drawn lighter).',
    );
    expect(bucketNote(bucketsOf("2026-05-01", "2026-05-31", "month"), "month", TODAY)).toBe("");
  });
});
