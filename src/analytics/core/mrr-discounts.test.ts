import { describe, expect, it } from "vitest";
import { type DiscountTerms, type MrrItem, subscriptionMrr } from "./mrr-formula.ts";

const monthly = (unitAmount: number, quantity = 1): MrrItem => ({
  unitAmount,
  quantity,
  interval: "month",
  intervalCount: 1,
});
const yearly = (unitAmount: number): MrrItem => ({
  unitAmount,
  quantity: 1,
  interval: "year",
  intervalCount: 1,
});
const pct = (percentOff: number): DiscountTerms => ({ percentOff, amountOff: null });
const amt = (amountOff: number): DiscountTerms => ({ percentOff: null, amountOff });

describe("subscriptionMrr with discounts (kpis.md)", () => {
  // [case, items, discounts, hand-computed MRR]
  const cases: Array<[string, MrrItem[], DiscountTerms[], number]> = [
    ["no discount", [monthly(10_000)], [], 10_000],
    ["20% off", [monthly(10_000)], [pct(20)], 8_000],
    ["15.00 off a month", [monthly(10_000)], [amt(1_500)], 8_500],
    // percents first, then amounts: 10000 × 0.8 − 1500 (the order given does not matter)
    ["20% and 15.00", [monthly(10_000)], [amt(1_500), pct(20)], 6_500],
    // each percent multiplies: 10000 × 0.9 × 0.5 = 4500
    ["10% then 50%", [monthly(10_000)], [pct(10), pct(50)], 4_500],
    // a yearly amount is a yearly invoice's: 120.00 a year off = 10.00 a month; 100000/12 − 1000 = 7333.33
    ["yearly price, yearly amount off", [yearly(100_000)], [amt(12_000)], 7_333],
    ["never below 0", [monthly(1_000)], [amt(5_000)], 0],
    // rounded once: 999 × 0.67 = 669.33 → 669; 2 × 1005 × 0.5 − 3 = 1002
    ["rounded once", [monthly(999)], [pct(33)], 669],
    ["quantity then discounts", [monthly(1_005, 2)], [pct(50), amt(3)], 1_002],
    // half away from zero: 1001 × 0.5 = 500.5 → 501
    ["half away from zero", [monthly(1_001)], [pct(50)], 501],
  ];
  it.each(cases)("%s", (_name, items, discounts, expected) => {
    expect(subscriptionMrr({ status: "active", items, percentOff: null, discounts })).toBe(expected);
  });

  it("given discounts replace the legacy percentOff; a canceled subscription is 0 whatever its discounts", () => {
    expect(
      subscriptionMrr({ status: "active", items: [monthly(10_000)], percentOff: 50, discounts: [] }),
    ).toBe(10_000);
    expect(
      subscriptionMrr({
        status: "canceled",
        items: [monthly(10_000)],
        percentOff: null,
        discounts: [pct(20)],
      }),
    ).toBe(0);
  });
});
