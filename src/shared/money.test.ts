import { describe, expect, it } from "vitest";
import { currencyCode, currencyExponent, isKnownCurrency } from "./currencies.ts";
import { formatMoney, parseDecimalAmount, toDecimalString } from "./money.ts";

describe("Stripe's currency exponents", () => {
  it.each([
    ["usd", 2],
    ["eur", 2],
    ["jpy", 0],
    ["krw", 0],
    ["ugx", 0],
    ["xpf", 0],
    ["kwd", 3],
    ["BHD", 3],
    ["jod", 3],
    ["omr", 3],
    ["tnd", 3],
    // Stripe's special cases: two-decimal in the API although whole units in practice.
    ["isk", 2],
    ["huf", 2],
    ["twd", 2],
  ])("%s has %i decimals", (code, digits) => {
    expect(currencyExponent(code)).toBe(digits);
  });

  it("knows Stripe's codes and refuses made-up ones", () => {
    for (const code of ["usd", "EUR", "kwd", "jpy", "isk"]) expect(isKnownCurrency(code)).toBe(true);
    for (const code of ["zzz", "dol", "xxx", "us"]) expect(isKnownCurrency(code)).toBe(false);
    expect(currencyCode.safeParse(" KWD ").data).toBe("kwd");
    expect(currencyCode.safeParse("zzz").error?.issues[0]?.message).toBe("unknown ISO currency code");
    expect(currencyCode.safeParse("dollars").success).toBe(false);
  });
});

describe("amounts shown and exported", () => {
  it("shows three-decimal, zero-decimal and two-decimal currencies by their exponent", () => {
    expect(formatMoney(1500, "kwd")).toBe("KWD 1.500");
    expect(formatMoney(1000, "jpy")).toBe("¥1,000");
    expect(formatMoney(1234, "usd")).toBe("$12.34");
    expect(formatMoney(-250, "bhd")).toBe("-BHD 0.250");
    expect(formatMoney(150000, "isk")).toBe("ISK 1,500.00");
  });

  it("writes plain decimals for exports", () => {
    expect(toDecimalString(1500, "kwd")).toBe("1.500");
    expect(toDecimalString(5, "kwd")).toBe("0.005");
    expect(toDecimalString(-1505, "tnd")).toBe("-1.505");
    expect(toDecimalString(1000, "jpy")).toBe("1000");
    expect(toDecimalString(-1500, "usd")).toBe("-15.00");
  });

  it("reads typed amounts with at most the currency's decimals", () => {
    expect(parseDecimalAmount("1.5", "kwd")).toBe(1500);
    expect(parseDecimalAmount("1.505", "kwd")).toBe(1505);
    expect(parseDecimalAmount("1.5055", "kwd")).toBeNull();
    expect(parseDecimalAmount("12.50", "usd")).toBe(1250);
    expect(parseDecimalAmount("12.505", "usd")).toBeNull();
    expect(parseDecimalAmount("1000", "jpy")).toBe(1000);
    expect(parseDecimalAmount("10.5", "jpy")).toBeNull();
    expect(parseDecimalAmount("-1", "usd")).toBeNull();
    expect(parseDecimalAmount("1e3", "usd")).toBeNull();
  });
});
