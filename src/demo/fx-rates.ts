import { addDays } from "../analytics/core/periods.ts";
import type { AppContext } from "../context.ts";
import { type FxRateRow, saveRates } from "../fx/index.ts";
import { seededRandom } from "../shared/seeded-random.ts";

/**
 * Units per euro of the currencies the demo may sell in, at the start of its history: a zero-decimal
 * (JPY) and a three-decimal (KWD) currency among them. Realistic orders of magnitude, not market data.
 */
const START_RATES: Record<string, number> = {
  usd: 1.08,
  gbp: 0.86,
  jpy: 160,
  kwd: 0.333,
  cad: 1.47,
  aud: 1.64,
  chf: 0.95,
};

/**
 * Deterministic daily rates per euro for the demo (source `seed`), like the ECB's: working days only
 * (a weekend takes Friday's), each day a small seeded step from the day before. Every other pair of
 * these currencies is crossed through the euro by the converted view.
 */
export function demoFxRates(from: string, to: string, seed = 20): FxRateRow[] {
  const rand = seededRandom(seed);
  const current = { ...START_RATES };
  const rows: FxRateRow[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (const [quote, rate] of Object.entries(current)) {
      const next = rate * (1 + (rand() - 0.5) * 0.008);
      current[quote] = next;
      // Four significant decimals after the point for most, as the ECB publishes them.
      rows.push({ day, base: "eur", quote, rate: next.toFixed(quote === "jpy" ? 2 : 4), source: "seed" });
    }
  }
  return rows;
}

/** Stores the demo's rates for its history (idempotent: the same seed writes the same rows). */
export async function seedFxRates(ctx: AppContext, from: string, to: string): Promise<number> {
  const rows = demoFxRates(addDays(from, -7), to);
  await saveRates(ctx, rows);
  return rows.length;
}
