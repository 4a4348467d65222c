import { describe, expect, it } from "vitest";
import { rate } from "./rates.ts";
import { retentionTotals } from "./retention.ts";

describe("starting-customer sums (kpis.md churn and retention)", () => {
  it("leaves out a customer who joins and churns inside the period", () => {
    // Start: A 5000, B 2000, E 4000. End: A 7000 (expanded), B 0 (churned), E 1000 (contracted).
    // C joined at 9000 and left again inside the period: 0 at start and 0 at end.
    const start = new Map([
      ["A", 5000],
      ["B", 2000],
      ["E", 4000],
      ["C", 0],
    ]);
    const end = new Map([
      ["A", 7000],
      ["E", 1000],
    ]);
    const t = retentionTotals(start, end);
    expect(t).toEqual({
      startingCustomers: 3, // A, B, E
      churnedCustomers: 1, // B
      mrrStart: 11000, // 5000 + 2000 + 4000
      mrrLost: 5000, // max(0, 5000 − 7000) + 2000 + 3000
      mrrEnd: 8000, // 7000 + 0 + 1000
      mrrKept: 6000, // min(5000, 7000) + 0 + 1000
    });
    expect(rate(t.churnedCustomers, t.startingCustomers)).toBe(0.3333); // 1 / 3
    expect(rate(t.mrrLost, t.mrrStart)).toBe(0.4545); // 5000 / 11000 = 0.45454…
    expect(rate(t.mrrEnd, t.mrrStart)).toBe(0.7273); // 8000 / 11000 = 0.72727…
    expect(rate(t.mrrKept, t.mrrStart)).toBe(0.5455); // 6000 / 11000 = 0.54545…
  });

  it("lets NRR exceed 1 while GRR stays at most 1", () => {
    const t = retentionTotals(new Map([["A", 1000]]), new Map([["A", 2500]]));
    expect(rate(t.mrrEnd, t.mrrStart)).toBe(2.5);
    expect(rate(t.mrrKept, t.mrrStart)).toBe(1);
    expect(rate(t.mrrLost, t.mrrStart)).toBe(0);
  });

  it("has zero denominators (so null rates) with no starting customers", () => {
    const t = retentionTotals(new Map([["C", 0]]), new Map([["C", 9000]]));
    expect(t.startingCustomers).toBe(0);
    expect(rate(t.churnedCustomers, t.startingCustomers)).toBeNull();
    expect(rate(t.mrrKept, t.mrrStart)).toBeNull();
  });
});
