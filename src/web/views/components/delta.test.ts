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

  it("says 'from zero' instead of dividing by zero, and a dash when a side is unknown", () => {
    expect(delta(10, 0, "count").text).toBe("↑ up from zero");
    expect(delta(null, 3, "count")).toEqual({ direction: "none", tone: "flat", text: "—" });
    expect(delta(7, 7, "count").text).toBe("→ no change");
  });
});
