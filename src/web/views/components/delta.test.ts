import { describe, expect, it } from "vitest";
import { delta } from "./delta.ts";

describe("delta against the previous period", () => {
  it("shows a relative rise for amounts with an arrow and a word", () => {
    // 1500 vs 1200: +300 / 1200 = 25.0%
    expect(delta(1500, 1200, "money")).toEqual({ direction: "up", tone: "up", text: "↑ up 25.0%" });
  });

  it("marks a rise of a cost-like KPI as bad while still saying up", () => {
    // refunds 90 vs 120: -30 / 120 = 25.0% down, which is good
    expect(delta(90, 120, "money", false)).toEqual({ direction: "down", tone: "up", text: "↓ down 25.0%" });
  });

  it("shows rates as a difference in percentage points", () => {
    // 0.25 - 0.2 = 0.05 = 5.0 pts
    expect(delta(0.25, 0.2, "rate").text).toBe("↑ up 5.0 pts");
  });

  it("says 'new' for a rise from zero instead of dividing by zero, and a dash when a side is unknown", () => {
    expect(delta(10, 0, "count").text).toBe("↑ new");
    expect(delta(-10, 0, "money").text).toBe("↓ down from zero");
    expect(delta(null, 3, "count")).toEqual({ direction: "none", tone: "flat", text: "—" });
    expect(delta(7, 7, "count").text).toBe("→ no change");
  });
});

describe("changes too large for a percentage", () => {
  it("keeps a percentage up to 999% and switches to ×N beyond", () => {
    // 1099 vs 110: +989 / 110 = 899.1%
    expect(delta(1099, 110, "money").text).toBe("↑ up 899.1%");
    // exactly +999%: 1099 vs 100
    expect(delta(1099, 100, "money").text).toBe("↑ up 999.0%");
    // 1100 vs 100: +1000% → 11 times the previous value
    expect(delta(1100, 100, "money").text).toBe("↑ up ×11.0");
  });

  it("writes the issue's 'up 31065.0%' as ×312 and large ratios with separators", () => {
    // 31165 vs 100: +31065% → ×311.65 → ×312
    expect(delta(31_165, 100, "money")).toEqual({ direction: "up", tone: "up", text: "↑ up ×312" });
    expect(delta(1_204_000, 1000, "count").text).toBe("↑ up ×1,204");
    // below 100 times, one decimal: 4567 / 123 = 37.13
    expect(delta(4567, 123, "count").text).toBe("↑ up ×37.1");
  });

  it("says the sign turned instead of a huge percentage across zero, and colours by goodness", () => {
    // -10 → 5000: +5010 / 10 = 50100%
    expect(delta(5000, -10, "money").text).toBe("↑ up, now positive");
    expect(delta(-5000, 10, "money").text).toBe("↓ down, now negative");
    // a cost-like KPI growing 50 times is bad
    expect(delta(5000, 100, "money", false)).toEqual({ direction: "up", tone: "down", text: "↑ up ×50.0" });
    // a small sign change stays a percentage: -10 → 50 is +600%
    expect(delta(50, -10, "money").text).toBe("↑ up 600.0%");
  });

  it("never uses ×N for rates, which stay in points", () => {
    expect(delta(0.9, 0.001, "rate").text).toBe("↑ up 89.9 pts");
  });
});
