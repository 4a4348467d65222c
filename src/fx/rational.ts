import { currencyExponent } from "../shared/currencies.ts";

/** An exact rate as a fraction of two integers (den > 0): decimals from a file and cross rates stay exact. */
export interface Rational {
  num: bigint;
  den: bigint;
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** "1.0842" → 10842/10000; null when the text is not a plain positive decimal. */
export function parseDecimal(text: string): Rational | null {
  const t = text.trim();
  if (!DECIMAL.test(t)) return null;
  const [whole = "0", fraction = ""] = t.split(".");
  const num = BigInt(whole + fraction);
  if (num === 0n) return null;
  return reduce({ num, den: 10n ** BigInt(fraction.length) });
}

/** A decimal string with at most `places` decimals (rounded half away), trailing zeros dropped. */
export function toDecimal(r: Rational, places = 12): string {
  const scale = 10n ** BigInt(places);
  const scaled = divideRounded(r.num * scale, r.den);
  const digits = scaled.toString().padStart(places + 1, "0");
  const whole = digits.slice(0, -places);
  const fraction = digits.slice(-places).replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole;
}

export function invert(r: Rational): Rational {
  return { num: r.den, den: r.num };
}

/** a ÷ b (cross rates through EUR: EUR→quote ÷ EUR→base). */
export function divide(a: Rational, b: Rational): Rational {
  return reduce({ num: a.num * b.den, den: a.den * b.num });
}

export const ONE: Rational = { num: 1n, den: 1n };

/**
 * kpis.md: `round_half_away(amount_minor × rate × 10^(e_rep − e_src))`, exactly (no float step),
 * where `rate` is units of `to` per unit of `from`.
 */
export function convertMinor(amount: number, rate: Rational, from: string, to: string): number {
  const shift = currencyExponent(to) - currencyExponent(from);
  let num = BigInt(amount) * rate.num;
  let den = rate.den;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  return Number(divideRounded(num, den));
}

/** n ÷ d rounded half away from zero (d > 0). */
function divideRounded(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const q = (2n * abs + d) / (2n * d);
  return negative ? -q : q;
}

function reduce(r: Rational): Rational {
  let a = r.num < 0n ? -r.num : r.num;
  let b = r.den;
  while (b !== 0n) [a, b] = [b, a % b];
  return a > 1n ? { num: r.num / a, den: r.den / a } : r;
}
