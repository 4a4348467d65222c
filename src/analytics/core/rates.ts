import { roundHalfAwayFromZero } from "../../shared/money.ts";

const RATE_SCALE = 10_000;

/**
 * A KPI rate rounded to 4 decimals, or `null` when the denominator is 0 (kpis.md: never 0, never NaN).
 * Scaling before dividing keeps integer inputs exact up to the one rounding step, so a true
 * half (1 ÷ 8 = 0.125 → 0.1250, 1 ÷ 16000 = 0.0000625 → 0.0001) rounds away from zero.
 */
export function rate(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  const scaled = roundHalfAwayFromZero((numerator * RATE_SCALE) / denominator);
  // A tiny negative rate rounds to -0; report it as plain 0.
  return scaled === 0 ? 0 : scaled / RATE_SCALE;
}

/** A money mean (AOV, ARPA) in whole minor units, or `null` when there is nothing to average. */
export function roundedMean(total: number, count: number): number | null {
  if (count === 0) return null;
  return roundHalfAwayFromZero(total / count);
}
