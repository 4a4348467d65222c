import { describe, expect, it } from "vitest";
import { rate, roundedMean } from "./rates.ts";

describe("rate", () => {
  it("is null when the denominator is 0, even with a zero numerator", () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(5, 0)).toBeNull();
  });

  it.each([
    // numerator, denominator, expected (worked by hand)
    [1, 4, 0.25], // 1/4 = 0.25
    [1, 3, 0.3333], // 0.33333… → 0.3333
    [2, 3, 0.6667], // 0.66666… → 0.6667
    [1, 16_000, 0.0001], // 0.0000625 → half-up at the 4th decimal → 0.0001
    [1, 80_000, 0], // 0.0000125 → 0
    [0, 7, 0],
    [12, 10, 1.2], // NRR may exceed 1
    [-1, 16_000, -0.0001], // half away from zero on the negative side
    [-1, 80_000, 0], // -0.0000125 → 0, not -0
  ])("rate(%d, %d) = %d", (numerator, denominator, expected) => {
    expect(rate(numerator, denominator)).toBe(expected);
  });
});

describe("roundedMean", () => {
  it("is null when the count is 0", () => {
    expect(roundedMean(0, 0)).toBeNull();
    expect(roundedMean(1000, 0)).toBeNull();
  });

  it.each([
    [1000, 4, 250], // 1000/4 = 250
    [1000, 3, 333], // 333.33 → 333
    [2000, 3, 667], // 666.67 → 667
    [5, 2, 3], // 2.5 → 3 (half away from zero)
    [-5, 2, -3], // -2.5 → -3
    [7, 2, 4], // 3.5 → 4
  ])("roundedMean(%d, %d) = %d", (total, count, expected) => {
    expect(roundedMean(total, count)).toBe(expected);
  });
});
