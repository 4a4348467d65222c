import { describe, expect, it } from "vitest";
import { type MrrItem, type SubscriptionState, subscriptionMrr } from "./mrr-formula.ts";

function item(overrides: Partial<MrrItem> = {}): MrrItem {
  return { unitAmount: 2000, quantity: 1, interval: "month", intervalCount: 1, ...overrides };
}

function subscription(overrides: Partial<SubscriptionState> = {}): SubscriptionState {
  return { status: "active", items: [item()], percentOff: null, ...overrides };
}

describe("subscriptionMrr", () => {
  it.each<[string, Partial<SubscriptionState>, number]>([
    ["monthly", { items: [item({ unitAmount: 2000 })] }, 2000],
    // 9000 every 3 months: 9000 / 3 = 3000
    ["quarterly (month × 3)", { items: [item({ unitAmount: 9000, intervalCount: 3 })] }, 3000],
    // 120000 a year: 120000 / 12 = 10000
    ["annual", { items: [item({ unitAmount: 120_000, interval: "year" })] }, 10_000],
    // 10000 a year: 10000 / 12 = 833.33 → 833
    ["annual, not a multiple of 12", { items: [item({ unitAmount: 10_000, interval: "year" })] }, 833],
    // 50000 every 2 years: 50000 / 24 = 2083.33 → 2083
    ["biennial", { items: [item({ unitAmount: 50_000, interval: "year", intervalCount: 2 })] }, 2083],
    // 1000 a week: 1000 × 52 / 12 = 4333.33 → 4333
    ["weekly", { items: [item({ unitAmount: 1000, interval: "week" })] }, 4333],
    // 1000 every 2 weeks: 1000 × 52 / 12 / 2 = 2166.67 → 2167
    ["fortnightly", { items: [item({ unitAmount: 1000, interval: "week", intervalCount: 2 })] }, 2167],
    // 100 a day: 100 × 365 / 12 = 3041.67 → 3042
    ["daily", { items: [item({ unitAmount: 100, interval: "day" })] }, 3042],
    ["trialing counts 0", { status: "trialing" }, 0],
    ["paused counts 0", { status: "paused" }, 0],
    ["canceled counts 0", { status: "canceled" }, 0],
    ["unpaid counts 0", { status: "unpaid" }, 0],
    ["incomplete counts 0", { status: "incomplete" }, 0],
    ["past_due counts in full", { status: "past_due" }, 2000],
    // 2000 × (1 − 0.25) = 1500
    ["percent_off 25%", { percentOff: 25 }, 1500],
    // 800 × (1 − 0.125) = 700
    ["fractional percent_off 12.5%", { items: [item({ unitAmount: 800 })], percentOff: 12.5 }, 700],
    ["percent_off 100%", { percentOff: 100 }, 0],
    // 1500 × 3 = 4500
    ["quantity 3", { items: [item({ unitAmount: 1500, quantity: 3 })] }, 4500],
    ["no items", { items: [] }, 0],
    // 2000 + 12000 / 12 = 2000 + 1000 = 3000
    [
      "items with different intervals",
      { items: [item({ unitAmount: 2000 }), item({ unitAmount: 12_000, interval: "year" })] },
      3000,
    ],
  ])("%s", (_name, overrides, expected) => {
    expect(subscriptionMrr(subscription(overrides))).toBe(expected);
  });

  it("rounds a half away from zero", () => {
    // 1002 × 0.75 = 751.5 → 752
    expect(subscriptionMrr(subscription({ items: [item({ unitAmount: 1002 })], percentOff: 25 }))).toBe(752);
    // 110 × (1 − 0.55) = 49.5 → 50 (in floats 110 × (1 − 55 / 100) is 49.4999…)
    expect(subscriptionMrr(subscription({ items: [item({ unitAmount: 110 })], percentOff: 55 }))).toBe(50);
  });

  it("sums the unrounded item values before rounding once", () => {
    // Three items of 1 every 2 months: 0.5 + 0.5 + 0.5 = 1.5 → 2 (rounding each item first would give 3)
    const half = item({ unitAmount: 1, intervalCount: 2 });
    expect(subscriptionMrr(subscription({ items: [half, half, half] }))).toBe(2);
  });

  it("applies the discount before rounding", () => {
    // 1100 a week: 1100 × 52 / 12 = 4766.67; × 0.5 = 2383.33 → 2383
    // (rounding to 4767 first would give 2383.5 → 2384)
    const weekly = item({ unitAmount: 1100, interval: "week" });
    expect(subscriptionMrr(subscription({ items: [weekly], percentOff: 50 }))).toBe(2383);
  });

  it("keeps fractions of a minor unit from unit_amount_decimal until the end", () => {
    // 0.5 × 3 = 1.5 → 2
    expect(subscriptionMrr(subscription({ items: [item({ unitAmount: 0.5, quantity: 3 })] }))).toBe(2);
  });

  it("rejects an interval count below 1", () => {
    expect(() => subscriptionMrr(subscription({ items: [item({ intervalCount: 0 })] }))).toThrow(RangeError);
  });

  it("rejects a percent_off outside 0..100", () => {
    expect(() => subscriptionMrr(subscription({ percentOff: 120 }))).toThrow(RangeError);
  });
});
