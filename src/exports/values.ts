import { toDecimalString } from "../shared/money.ts";
import { CsvDecimal } from "./csv.ts";

/** Database values in the shapes the CSV writer wants; both drivers return timestamps as Date or text. */
export function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}

export function asNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === "number" ? value : Number(value);
}

export function asText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Decimals kept per currency; prices and plan amounts repeat on most rows of a large export. */
const DECIMAL_CACHE_LIMIT = 20_000;
const decimals = new Map<string, Map<number, CsvDecimal>>();

/** The decimal column beside an amount in minor units (empty when the amount is unknown). */
export function decimal(amount: number | null, currency: string): CsvDecimal | null {
  if (amount === null) return null;
  let cache = decimals.get(currency);
  if (cache === undefined) {
    cache = new Map();
    decimals.set(currency, cache);
  }
  let value = cache.get(amount);
  if (value === undefined) {
    value = new CsvDecimal(toDecimalString(amount, currency));
    if (cache.size >= DECIMAL_CACHE_LIMIT) cache.clear();
    cache.set(amount, value);
  }
  return value;
}

/**
 * A charge's money in gross revenue (kpis.md v2): what was captured. Rows recorded before captured
 * amounts were kept count their whole amount when succeeded, as they did then.
 */
export function capturedAmountOf(charge: Record<string, unknown>): number {
  if (charge.amount_captured === null || charge.amount_captured === undefined) {
    return charge.status === "succeeded" ? (asNumber(charge.amount) ?? 0) : 0;
  }
  return asNumber(charge.amount_captured) ?? 0;
}
