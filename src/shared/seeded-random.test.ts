import { describe, expect, it } from "vitest";
import { seededRandom } from "./seeded-random.ts";

describe("seededRandom", () => {
  // Expected values from a separate mulberry32 written with Python's unbounded integers.
  it.each([
    [1, [0.6270739405881613, 0.002735721180215478, 0.5274470399599522]],
    [42, [0.6011037519201636, 0.44829055899754167, 0.8524657934904099]],
  ])("gives mulberry32's sequence for seed %i", (seed, expected) => {
    const rand = seededRandom(seed);
    expect([rand(), rand(), rand()]).toEqual(expected);
  });

  it("gives the same numbers for the same seed and stays within [0, 1)", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(b()).toBe(x);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});
