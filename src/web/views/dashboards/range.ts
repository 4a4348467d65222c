import { addDays, eachDay, type Period, previousPeriod } from "../../../analytics/core/periods.ts";
import { snapshotDefaultCurrency } from "../../../analytics/index.ts";
import type { AppContext } from "../../../context.ts";
import { checkDay } from "../../../shared/dates.ts";
import { ValidationError } from "../../../shared/errors.ts";

export const PRESETS = ["7", "30", "90"] as const;
export type Preset = (typeof PRESETS)[number] | "custom";
/** A custom range longer than this is a report, not a dashboard (and would be slow to draw). */
export const MAX_RANGE_DAYS = 731;

export interface DashboardRange extends Period {
  preset: Preset;
  previous: Period;
  /** Lower-case ISO code; undefined means the analytics default currency. */
  currency?: string;
}

/**
 * The period a dashboard shows, from its query string: `range=7|30|90` (the last N days ending
 * today in the reporting time zone) or `range=custom&from=..&to=..`; `currency=usd`.
 */
export function parseRange(query: Record<string, string | undefined>, today: string): DashboardRange {
  let preset = (query.range || (query.from || query.to ? "custom" : "30")) as Preset;
  // The custom form also carries the current preset: edited dates make it custom, a currency change alone does not.
  if (preset !== "custom" && query.from && query.to) {
    const presetFrom = addDays(today, 1 - Number(preset));
    if (query.from !== presetFrom || query.to !== today) preset = "custom";
  }
  let period: Period;
  if (preset === "custom") {
    const from = checkDay(query.from ?? "", "from");
    const to = checkDay(query.to ?? "", "to");
    if (from > to) throw new ValidationError("the start date must not be after the end date", "from");
    if (eachDay(from, to).length > MAX_RANGE_DAYS) {
      throw new ValidationError(`a range can span at most ${MAX_RANGE_DAYS} days`, "to");
    }
    period = { from, to };
  } else if ((PRESETS as readonly string[]).includes(preset)) {
    period = { from: addDays(today, 1 - Number(preset)), to: today };
  } else {
    throw new ValidationError("range must be 7, 30, 90 or custom", "range");
  }
  const currency = query.currency?.trim().toLowerCase() || undefined;
  if (currency !== undefined && !/^[a-z]{3}$/.test(currency)) {
    throw new ValidationError("currency must be a three-letter ISO code", "currency");
  }
  return { ...period, preset, previous: previousPeriod(period.from, period.to), currency };
}

/** The query string for the same page with some parameters changed. */
export function rangeQuery(range: DashboardRange, change: Partial<Record<string, string>> = {}): string {
  const params = new URLSearchParams();
  const preset = change.range ?? range.preset;
  params.set("range", preset);
  if (preset === "custom") {
    params.set("from", change.from ?? range.from);
    params.set("to", change.to ?? range.to);
  }
  const currency = change.currency ?? range.currency;
  if (currency) params.set("currency", currency);
  return `?${params.toString()}`;
}

/** "1 May – 30 May 2026" */
export function periodLabel(p: Period): string {
  const fmt = (d: string, year: boolean) =>
    new Date(`${d}T00:00:00Z`).toLocaleDateString("en-GB", {
      day: "numeric",
      month: "short",
      ...(year ? { year: "numeric" } : {}),
      timeZone: "UTC",
    });
  return p.from === p.to
    ? fmt(p.to, true)
    : `${fmt(p.from, p.from.slice(0, 4) !== p.to.slice(0, 4))} – ${fmt(p.to, true)}`;
}

/** Offered in the selector beside the default and the chosen one (the selector is a hint, not a list of data). */
const COMMON_CURRENCIES = ["eur", "gbp", "usd"];

/** The currency a dashboard shows: the one asked for, else the analytics default (most charges). */
export async function dashboardCurrency(
  ctx: AppContext,
  range: DashboardRange,
): Promise<{ currency: string; currencies: string[] }> {
  const fallback = await snapshotDefaultCurrency(ctx, ctx.config.livemode);
  const currency = range.currency ?? fallback;
  return { currency, currencies: [...new Set([fallback, currency, ...COMMON_CURRENCIES])].sort() };
}
