import { z } from "zod";
import { parseInput } from "./validate.ts";

/**
 * The one range of calendar days any date input accepts (API, dashboards, audit, exports, product
 * form, CLI flags). Outside it, day arithmetic runs into years JavaScript and Postgres read
 * differently (year 0000 does not exist in Postgres; `Date.UTC` maps years 0–99 to 1900–1999;
 * 10000-01-01 no longer fits "YYYY-MM-DD"), so such a date is bad input, never a 500.
 */
export const MIN_DAY = "2000-01-01";
export const MAX_DAY = "2100-12-31";
export const DAY_RANGE_MESSAGE = `expected a date as YYYY-MM-DD from ${MIN_DAY} to ${MAX_DAY}`;
/** How CLI `--help` writes a date flag's value. */
export const DAY_FLAG_HELP = `YYYY-MM-DD, ${MIN_DAY}..${MAX_DAY}`;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** IANA time zones already found valid: checking one builds a formatter (about 150 µs). */
const knownZones = new Set<string>();

/** Whether `zone` is an IANA time zone this runtime knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    return false;
  }
  knownZones.add(zone);
  return true;
}

/** A real calendar day ("2026-02-30" is not) written YYYY-MM-DD, within MIN_DAY..MAX_DAY. */
export function isSupportedDay(s: string): boolean {
  const match = DAY_PATTERN.exec(s);
  if (!match || s < MIN_DAY || s > MAX_DAY) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** One day, as typed (surrounding blanks ignored). */
export const daySchema = z.string().trim().refine(isSupportedDay, DAY_RANGE_MESSAGE);

/** A period of whole days, both ends inclusive: `to` on or after `from`. */
export const dateRangeSchema = z
  .object({ from: daySchema, to: daySchema })
  .refine((r) => r.to >= r.from, { path: ["to"], message: "must be on or after from" });

/** Check one day outside a zod schema; the error names `field` (400 on the web, exit 2 in the CLI). */
export function checkDay(value: unknown, field: string): string {
  // A good day is answered without building a schema (building one per call cost every KPI read).
  if (typeof value === "string" && isSupportedDay(value.trim())) return value.trim();
  return parseInput(z.object({ [field]: daySchema }), { [field]: value })[field] as string;
}

/** Check a period outside a zod schema (`from`, `to`, to ≥ from). */
export function checkDateRange(range: { from: unknown; to: unknown }): { from: string; to: string } {
  return parseInput(dateRangeSchema, range);
}
