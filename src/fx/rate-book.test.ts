import { describe, expect, it } from "vitest";
import { type FxRateRow, RateBook } from "./rate-book.ts";
import { convertMinor, parseDecimal, toDecimal } from "./rational.ts";

const row = (
  day: string,
  base: string,
  quote: string,
  rate: string,
  source: FxRateRow["source"] = "import",
) => ({
  day,
  base,
  quote,
  rate,
  source,
});

describe("convertMinor (kpis.md: round_half_away(amount × rate × 10^(e_rep − e_src)))", () => {
  it("converts between exponents exactly, halves away from zero", () => {
    // 10.00 EUR at 1.0842 USD/EUR = 10.842 USD → 1084 cents
    expect(convertMinor(1000, parseDecimal("1.0842")!, "eur", "usd")).toBe(1084);
    // 1,500 JPY at 0.0065 USD/JPY = 9.75 USD → 975 cents
    expect(convertMinor(1500, parseDecimal("0.0065")!, "jpy", "usd")).toBe(975);
    // 1.500 KWD at 3.25 USD/KWD = 4.875 USD → 487.5 cents → 488 (half away)
    expect(convertMinor(1500, parseDecimal("3.25")!, "kwd", "usd")).toBe(488);
    // a refund-like negative half rounds away from zero too
    expect(convertMinor(-1500, parseDecimal("3.25")!, "kwd", "usd")).toBe(-488);
    // 12.34 USD to JPY at 150.5 = 1857.17 → 1857 yen
    expect(convertMinor(1234, parseDecimal("150.5")!, "usd", "jpy")).toBe(1857);
  });

  it("keeps decimals exact and prints them without trailing zeros", () => {
    expect(toDecimal(parseDecimal("1.084200")!)).toBe("1.0842");
    expect(parseDecimal("0")).toBeNull();
    expect(parseDecimal("1,2")).toBeNull();
  });
});

describe("RateBook", () => {
  const book = new RateBook([
    row("2026-03-06", "eur", "usd", "1.08", "import"),
    row("2026-03-06", "eur", "usd", "1.0812", "stripe_balance_transaction"),
    row("2026-03-06", "eur", "usd", "1.1", "seed"),
    row("2026-03-06", "eur", "jpy", "160"),
    row("2026-03-09", "eur", "usd", "1.09"),
    row("2026-03-09", "eur", "jpy", "162"),
    row("2026-03-10", "usd", "gbp", "0.8", "seed"),
  ]);

  it("prefers Stripe's realised rate over an import and an import over the seed on the same day", () => {
    const r = book.resolve("eur", "usd", "2026-03-06")!;
    expect(toDecimal(r.rate)).toBe("1.0812");
    expect(r.legs[0]!.source).toBe("stripe_balance_transaction");
  });

  it("takes the nearest earlier day on a weekend and says which day it used", () => {
    const r = book.resolve("eur", "usd", "2026-03-08")!;
    expect(r).toMatchObject({ via: "direct", day: "2026-03-06" });
    expect(toDecimal(r.rate)).toBe("1.0812");
  });

  it("inverts a pair stored the other way and crosses through EUR otherwise", () => {
    expect(toDecimal(book.resolve("usd", "eur", "2026-03-09")!.rate)).toBe(
      toDecimal({ num: 100n, den: 109n }),
    );
    const cross = book.resolve("usd", "jpy", "2026-03-09")!;
    // 162 JPY/EUR ÷ 1.09 USD/EUR = 148.623853… JPY/USD
    expect(cross.via).toBe("eur");
    expect(toDecimal(cross.rate, 6)).toBe("148.623853");
    expect(cross.legs.map((l) => `${l.base}/${l.quote}`)).toEqual(["eur/jpy", "eur/usd"]);
  });

  it("never guesses: no rate on or before the day is null, a later rate is not used", () => {
    expect(book.resolve("eur", "usd", "2026-03-05")).toBeNull();
    expect(book.resolve("usd", "gbp", "2026-03-09")).toBeNull();
    expect(book.resolve("chf", "usd", "2026-03-09")).toBeNull();
    expect(book.resolve("usd", "usd", "1999-01-01")).toMatchObject({ via: "same", legs: [] });
  });
});
