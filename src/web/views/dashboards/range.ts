import { z } from "zod";
import { addDays, eachDay, type Period, previousPeriod } from "../../../analytics/core/periods.ts";
import { currenciesWithData, snapshotDefaultCurrency } from "../../../analytics/index.ts";
import type { AppContext } from "../../../context.ts";
import { isKnownCurrency } from "../../../shared/currencies.ts";
import { checkDay } from "../../../shared/dates.ts";
import { ValidationError } from "../../../shared/errors.ts";
import { parseInput } from "../../../shared/validate.ts";
import { day as formatDay } from "../components/format.ts";

/** The presets of the range selector, in the order shown (ChartMogul / Baremetrics / Stripe style). */
export const PRESETS = ["today", "7", "30", "90", "mtd", "last_month", "qtd", "ytd", "12m"] as const;
export type Preset = (typeof PRESETS)[number] | "custom";
export const PRESET_LABELS: Record<Preset, string> = {
  today: "Today",
  "7": "7 days",
  "30": "30 days",
  "90": "90 days",
  mtd: "Month to date",
  last_month: "Last month",
  qtd: "Quarter to date",
  ytd: "Year to date",
  "12m": "Last 12 months",
  custom: "Custom",
};
export const GRAINS = ["day", "week", "month"] as const;
export type Grain = (typeof GRAINS)[number];
/** A custom range longer than this is a report, not a dashboard (and would be slow to draw). */
export const MAX_RANGE_DAYS = 731;

export interface DashboardRange extends Period {
  preset: Preset;
  /** The comparison period and its name ("the previous 30 days", "the same days last month"). */
  previous: Period & { name: string };
  /** Chart buckets: asked for with `grain=`, else chosen from the range's length. */
  grain: Grain;
  /** True when the grain came from the query string (kept in links). */
  grainChosen: boolean;
  /** "Today" in the reporting time zone when the range was read: the bucket holding it is incomplete. */
  today: string;
  /** Lower-case ISO code; undefined means the analytics default currency. */
  currency?: string;
}

const querySchema = z.object({
  preset: z
    .enum([...PRESETS, "custom"], { message: `must be one of ${[...PRESETS, "custom"].join(", ")}` })
    .optional(),
  grain: z.enum(GRAINS, { message: "must be day, week or month" }).optional(),
});

/** Day buckets for short ranges, weeks up to about four months, months beyond. */
export function grainFor(days: number): Grain {
  return days <= 31 ? "day" : days <= 120 ? "week" : "month";
}

function ymd(y: number, m: number, d: number): string {
  return new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
}

function parts(day: string): [number, number, number] {
  return day.split("-").map(Number) as [number, number, number];
}

/** `day` moved by whole months, clipped to the target month's last day (31 Mar − 1 month = 28/29 Feb). */
export function addMonths(day: string, n: number): string {
  const [y, m, d] = parts(day);
  const last = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  return ymd(y, m + n, Math.min(d, last));
}

function firstOfMonth(day: string, back = 0): string {
  const [y, m] = parts(day);
  return ymd(y, m - back, 1);
}

function firstOfQuarter(day: string): string {
  const [y, m] = parts(day);
  return ymd(y, m - ((m - 1) % 3), 1);
}

/** The same span moved back by `months` (clipped inside the earlier period's own bounds). */
function sameDaysBefore(from: string, to: string, months: number): Period {
  return { from: addMonths(from, -months), to: addMonths(to, -months) };
}

/**
 * The period and comparison of a preset, with `today` the current day in the reporting time zone.
 * Month-based presets compare with the same days of the previous month, quarter or year; the
 * others with the same number of days just before.
 */
export function presetPeriod(
  preset: Exclude<Preset, "custom">,
  today: string,
): Period & {
  previous: Period & { name: string };
} {
  const lastDays = (n: number) => {
    const from = addDays(today, 1 - n);
    return { from, to: today, previous: { ...previousPeriod(from, today), name: `the previous ${n} days` } };
  };
  switch (preset) {
    case "today":
      return {
        from: today,
        to: today,
        previous: { from: addDays(today, -1), to: addDays(today, -1), name: "the day before" },
      };
    case "7":
    case "30":
    case "90":
      return lastDays(Number(preset));
    case "mtd": {
      const from = firstOfMonth(today);
      return {
        from,
        to: today,
        previous: { ...sameDaysBefore(from, today, 1), name: "the same days last month" },
      };
    }
    case "last_month": {
      const from = firstOfMonth(today, 1);
      const to = addDays(firstOfMonth(today), -1);
      return {
        from,
        to,
        previous: { from: firstOfMonth(today, 2), to: addDays(from, -1), name: "the month before" },
      };
    }
    case "qtd": {
      const from = firstOfQuarter(today);
      return {
        from,
        to: today,
        previous: { ...sameDaysBefore(from, today, 3), name: "the same days last quarter" },
      };
    }
    case "ytd": {
      const from = `${today.slice(0, 4)}-01-01`;
      return {
        from,
        to: today,
        previous: { ...sameDaysBefore(from, today, 12), name: "the same days last year" },
      };
    }
    case "12m": {
      const from = firstOfMonth(today, 11);
      return {
        from,
        to: today,
        previous: { ...sameDaysBefore(from, today, 12), name: "the same months a year before" },
      };
    }
  }
}

/**
 * The period a dashboard shows, from its query string: `preset=` one of PRESETS (the legacy
 * `range=7|30|90|custom` still works) ending today in the reporting time zone, or `from`/`to` for
 * a custom range; `grain=day|week|month`; `currency=usd`. Bad values answer 400 naming the field.
 */
export function parseRange(query: Record<string, string | undefined>, today: string): DashboardRange {
  const checked = parseInput(querySchema, {
    preset: query.preset || query.range || undefined,
    grain: query.grain || undefined,
  });
  let preset: Preset = checked.preset ?? (query.from || query.to ? "custom" : "30");
  // The custom form also carries the current preset: edited dates make it custom, a currency change alone does not.
  if (preset !== "custom" && query.from && query.to) {
    const p = presetPeriod(preset, today);
    if (query.from !== p.from || query.to !== p.to) preset = "custom";
  }
  let period: Period & { previous: DashboardRange["previous"] };
  if (preset === "custom") {
    const from = checkDay(query.from ?? "", "from");
    const to = checkDay(query.to ?? "", "to");
    if (from > to) throw new ValidationError("the start date must not be after the end date", "from");
    const days = eachDay(from, to).length;
    if (days > MAX_RANGE_DAYS) {
      throw new ValidationError(`a range can span at most ${MAX_RANGE_DAYS} days`, "to");
    }
    period = { from, to, previous: { ...previousPeriod(from, to), name: `the previous ${days} days` } };
  } else {
    period = presetPeriod(preset, today);
  }
  const currency = query.currency?.trim().toLowerCase() || undefined;
  if (currency !== undefined && !/^[a-z]{3}$/.test(currency)) {
    throw new ValidationError("currency must be a three-letter ISO code", "currency");
  }
  const grain = checked.grain ?? grainFor(eachDay(period.from, period.to).length);
  return { ...period, preset, grain, grainChosen: checked.grain !== undefined, today, currency };
}

/** The query string for the same page with some parameters changed (`range` is the old name of `preset`). */
export function rangeQuery(range: DashboardRange, change: Partial<Record<string, string>> = {}): string {
  const params = new URLSearchParams();
  const preset = change.preset ?? change.range ?? range.preset;
  params.set("preset", preset);
  if (preset === "custom") {
    params.set("from", change.from ?? range.from);
    params.set("to", change.to ?? range.to);
  }
  const grain = change.grain ?? (range.grainChosen ? range.grain : undefined);
  if (grain) params.set("grain", grain);
  const currency = change.currency ?? range.currency;
  if (currency) params.set("currency", currency);
  return `?${params.toString()}`;
}

/** "1 May – 30 May 2026" (the one date format of the dashboards, see format.ts `day`). */
export function periodLabel(p: Period): string {
  if (p.from === p.to) return formatDay(p.to);
  const sameYear = p.from.slice(0, 4) === p.to.slice(0, 4);
  return `${formatDay(p.from, !sameYear)} – ${formatDay(p.to)}`;
}

/** Offered in the selector beside the default and the chosen one (the selector is a hint, not a list of data). */
const COMMON_CURRENCIES = ["eur", "gbp", "usd"];

/** The currency a dashboard shows and whether it has any data in the range. */
export interface DashboardCurrency {
  currency: string;
  /** Offered in the selector. */
  currencies: string[];
  /** The currencies with data in the range (snapshots): a page for another says "no data". */
  withData: string[];
  hasData: boolean;
}

/** The currency a dashboard shows: the one asked for, else the analytics default (most charges). */
export async function dashboardCurrency(ctx: AppContext, range: DashboardRange): Promise<DashboardCurrency> {
  const fallback = await snapshotDefaultCurrency(ctx, ctx.config.livemode);
  const currency = range.currency ?? fallback;
  if (!isKnownCurrency(currency)) {
    throw new ValidationError(`currency: unknown ISO currency code "${currency}"`, "currency");
  }
  const withData = await currenciesWithData(ctx, {
    from: range.from,
    to: range.to,
    livemode: ctx.config.livemode,
  });
  return {
    currency,
    currencies: [...new Set([fallback, currency, ...withData, ...COMMON_CURRENCIES])].sort(),
    withData,
    hasData: withData.includes(currency),
  };
}
