import { divide, invert, ONE, parseDecimal, type Rational } from "./rational.ts";

export const FX_SOURCES = ["stripe_balance_transaction", "import", "seed"] as const;
export type FxSource = (typeof FX_SOURCES)[number];

/** One stored rate: `rate` units of `quote` per unit of `base` on `day`. */
export interface FxRateRow {
  day: string;
  base: string;
  quote: string;
  rate: string;
  source: FxSource;
}

/** Which stored row a rate came from (a cross rate has two legs). */
export interface RateLeg {
  day: string;
  base: string;
  quote: string;
  rate: string;
  source: FxSource;
}

/** A rate for (day, from → to) with the rows that made it, so a drill-down can show them. */
export interface ResolvedRate {
  /** Units of `to` per unit of `from`, exact. */
  rate: Rational;
  /** `same` (rate 1), `direct`, `inverse` (1 ÷ the stored quote→base rate) or `eur` (cross through EUR). */
  via: "same" | "direct" | "inverse" | "eur";
  /** The oldest day among the legs: earlier than the asked day when no rate was stored that day. */
  day: string;
  legs: RateLeg[];
}

const PRECEDENCE: Record<FxSource, number> = { stripe_balance_transaction: 0, import: 1, seed: 2 };

interface Entry {
  day: string;
  row: FxRateRow;
  rate: Rational;
}

/**
 * The rates of kpis.md "Reporting currency": for a day and pair, the stored rate of that day with
 * the best source (Stripe's realised rate, then an imported file, then the demo seed), else the
 * nearest earlier day's; never a later day and never a guess (null). A pair stored in either
 * direction counts (the other direction is 1 ÷ rate); a pair not stored is crossed through EUR
 * (EUR→to ÷ EUR→from), each leg found by the same rule. When both a stored pair and a cross rate
 * exist, the one from the later day wins; on the same day the stored pair.
 */
export class RateBook {
  /** "base/quote" → entries by day ascending, the best source of each day only. */
  private readonly pairs = new Map<string, Entry[]>();

  constructor(rows: Iterable<FxRateRow>) {
    const best = new Map<string, FxRateRow>();
    for (const row of rows) {
      const key = `${row.base}/${row.quote}/${row.day}`;
      const current = best.get(key);
      if (!current || PRECEDENCE[row.source] < PRECEDENCE[current.source]) best.set(key, row);
    }
    for (const row of best.values()) {
      const rate = parseDecimal(row.rate);
      if (!rate) continue;
      const key = `${row.base}/${row.quote}`;
      const list = this.pairs.get(key) ?? [];
      list.push({ day: row.day, row, rate });
      this.pairs.set(key, list);
    }
    for (const list of this.pairs.values()) list.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  }

  /** Units of `to` per unit of `from` on `day`, or null when no rate exists on or before it. */
  resolve(from: string, to: string, day: string): ResolvedRate | null {
    const a = from.toLowerCase();
    const b = to.toLowerCase();
    if (a === b) return { rate: ONE, via: "same", day, legs: [] };
    const stored = this.stored(a, b, day);
    if (a === "eur" || b === "eur") return stored;
    const toLeg = this.stored("eur", b, day);
    const fromLeg = this.stored("eur", a, day);
    if (!toLeg || !fromLeg) return stored;
    const crossDay = toLeg.day < fromLeg.day ? toLeg.day : fromLeg.day;
    if (stored && stored.day >= crossDay) return stored;
    return {
      rate: divide(toLeg.rate, fromLeg.rate),
      via: "eur",
      day: crossDay,
      legs: [...toLeg.legs, ...fromLeg.legs],
    };
  }

  /** The latest stored rate of the pair (either direction) on or before `day`. */
  private stored(a: string, b: string, day: string): ResolvedRate | null {
    const direct = latestOnOrBefore(this.pairs.get(`${a}/${b}`), day);
    const inverse = latestOnOrBefore(this.pairs.get(`${b}/${a}`), day);
    const useInverse =
      inverse !== undefined &&
      (direct === undefined ||
        inverse.day > direct.day ||
        (inverse.day === direct.day && PRECEDENCE[inverse.row.source] < PRECEDENCE[direct.row.source]));
    const chosen = useInverse ? inverse : direct;
    if (!chosen) return null;
    return {
      rate: useInverse ? invert(chosen.rate) : chosen.rate,
      via: useInverse ? "inverse" : "direct",
      day: chosen.day,
      legs: [{ ...chosen.row }],
    };
  }
}

function latestOnOrBefore(list: Entry[] | undefined, day: string): Entry | undefined {
  if (!list || list.length === 0) return undefined;
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.day <= day) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 ? list[found] : undefined;
}
