import { describe, expect, it } from "vitest";
import { horizontalBars } from "./charts.ts";

describe("horizontalBars", () => {
  it("draws the first category on top, keeping each bar's value and link with its category", () => {
    const option = horizontalBars(
      ["Pro", "Basic", "Team"],
      [
        { name: "At start", color: "#aaa", values: [3, 1, null] },
        { name: "At end", color: "#00f", values: [5, 2, 4], links: ["/r/pro", "/r/basic", null] },
      ],
    ) as {
      yAxis: { data: string[] };
      series: { name: string; data: (number | null)[]; links?: (string | null)[] }[];
      legend?: unknown;
    };
    // ECharts lists categories bottom-up: the last entry is the top bar.
    expect(option.yAxis.data).toEqual(["Team", "Basic", "Pro"]);
    expect(option.series[0]).toMatchObject({ name: "At start", data: [null, 1, 3] });
    expect(option.series[0]?.links).toBeUndefined();
    expect(option.series[1]).toMatchObject({ data: [4, 2, 5], links: [null, "/r/basic", "/r/pro"] });
    expect(option.legend).not.toEqual({ show: false }); // two series keep the base legend
  });

  it("hides the legend of a single-series chart", () => {
    const option = horizontalBars(["A"], [{ name: "Units", color: "#00f", values: [1] }], {
      axisName: "Units",
    });
    expect(option.legend).toEqual({ show: false });
    expect((option.xAxis as { name?: string }).name).toBe("Units");
  });
});
