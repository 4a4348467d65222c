import { describe, expect, it } from "vitest";
import { isAnomaly, robustZ } from "./anomaly.ts";

// Window used below: sorted 90 95 100 100 105 110 120 → median 100.
// Absolute deviations 10 5 0 0 5 10 20 → sorted 0 0 5 5 10 10 20 → MAD 5; scale 1.4826 × 5 = 7.413.
const WEEK = [100, 110, 90, 105, 95, 120, 100];

describe("robustZ", () => {
  it("scores a value against the median and scaled MAD of the window", () => {
    // (130 − 100) / 7.413 = 4.0469…
    expect(robustZ(130, WEEK)).toBeCloseTo(4.0469, 4);
    // (85 − 100) / 7.413 = −2.0235…
    expect(robustZ(85, WEEK)).toBeCloseTo(-2.0235, 4);
    expect(robustZ(100, WEEK)).toBe(0);
  });

  it("uses the mean of the two middle values for an even window", () => {
    // sorted 10 20 30 40 50 60 70 80 → median 45
    // deviations 35 25 15 5 5 15 25 35 → sorted 5 5 15 15 25 25 35 35 → MAD (15 + 25) / 2 = 20
    // (105 − 45) / (1.4826 × 20) = 60 / 29.652 = 2.0235…
    expect(robustZ(105, [80, 10, 70, 20, 60, 30, 50, 40])).toBeCloseTo(2.0235, 4);
  });

  it("is not thrown off by one earlier spike in the window", () => {
    // Replacing 120 by 10000 leaves the median (100) and the MAD (5) unchanged.
    expect(robustZ(130, [100, 110, 90, 105, 95, 10_000, 100])).toBeCloseTo(4.0469, 4);
  });

  it("is null with fewer than 7 points", () => {
    expect(robustZ(500, [100, 110, 90, 105, 95, 120])).toBeNull();
    expect(robustZ(500, [])).toBeNull();
  });

  it("is null when the MAD is 0, even for a very different value", () => {
    // Deviations from median 0: 0 0 0 0 0 50 80 → MAD 0
    expect(robustZ(1000, [0, 0, 0, 0, 0, 50, 80])).toBeNull();
    expect(robustZ(7, [7, 7, 7, 7, 7, 7, 7])).toBeNull();
  });
});

describe("isAnomaly", () => {
  it("flags a score beyond the threshold in either direction", () => {
    expect(isAnomaly(130, WEEK)).toBe(true); // z ≈ 4.05
    // (75 − 100) / 7.413 = −3.37
    expect(isAnomaly(75, WEEK)).toBe(true);
    expect(isAnomaly(85, WEEK)).toBe(false); // z ≈ −2.02
  });

  it("honours a custom threshold", () => {
    expect(isAnomaly(85, WEEK, 2)).toBe(true);
    expect(isAnomaly(130, WEEK, 5)).toBe(false);
  });

  it("never flags what it cannot judge", () => {
    expect(isAnomaly(1_000_000, [1, 2, 3])).toBe(false);
    expect(isAnomaly(1_000_000, [7, 7, 7, 7, 7, 7, 7])).toBe(false);
  });
});
