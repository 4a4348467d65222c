import { ValidationError } from "../../shared/errors.ts";

/**
 * Reporting days ("YYYY-MM-DD") cut in an IANA time zone (kpis.md: periods are whole days, both ends
 * inclusive, in REPORTING_TIMEZONE). Calendar arithmetic on day strings is done in UTC, where
 * every day has 24 hours; only `dayOf` and `startOfDay` touch the time zone.
 */
export interface Period {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
/** UTC offsets in use range from −12:00 to +14:00; a margin on both sides brackets any local midnight. */
const SEARCH_BEFORE_MS = 15 * 3_600_000;
const SEARCH_AFTER_MS = 13 * 3_600_000;

/** Validates a day string, rejecting impossible dates such as 2026-02-30. */
export function parseDay(s: string, field?: string): string {
  const match = DAY_PATTERN.exec(s);
  if (match) {
    const [, year, month, day] = match.map(Number) as [number, number, number, number];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() === month - 1 && date.getUTCDate() === day) return s;
  }
  throw new ValidationError(`expected a date as YYYY-MM-DD, got "${s}"`, field);
}

/** The local date of an instant in `tz`. */
export function dayOf(instant: Date, tz: string): string {
  const { year, month, day } = localParts(instant.getTime(), tz);
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}

/**
 * The first instant of a local day. Usually local midnight; where a DST change skips midnight
 * (America/Santiago, Asia/Beirut) it is the instant of the change, the first one dated `day`.
 * A day a zone skipped entirely (Pacific/Apia, 2011-12-30) is empty: it starts where the next one does.
 */
export function startOfDay(day: string, tz: string): Date {
  const midnightAsUtc = utcMidnight(day);
  // Two passes: the offset at the guess may differ from the offset at the answer across a DST change.
  const firstGuess = midnightAsUtc - offsetMs(midnightAsUtc, tz);
  const candidate = midnightAsUtc - offsetMs(firstGuess, tz);
  if (isFirstInstantOf(day, candidate, tz)) return new Date(candidate);
  return new Date(
    searchFirstInstant(day, tz, midnightAsUtc - SEARCH_BEFORE_MS, midnightAsUtc + SEARCH_AFTER_MS),
  );
}

/** kpis.md "end of period": the instant after `to` 23:59:59.999, i.e. the start of the next day. */
export function endOfPeriod(to: string, tz: string): Date {
  return startOfDay(addDays(to, 1), tz);
}

export function addDays(day: string, n: number): string {
  return new Date(utcMidnight(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both inclusive; empty when `to` is before `from`. */
export function eachDay(from: string, to: string): string[] {
  const days: string[] = [];
  const last = utcMidnight(to);
  for (let t = utcMidnight(from); t <= last; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** The period of the same number of days ending the day before `from` (comparison periods). */
export function previousPeriod(from: string, to: string): Period {
  const length = Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS) + 1;
  return { from: addDays(from, -length), to: addDays(from, -1) };
}

/** "YYYY-MM", the cohort month of a day. */
export function monthOf(day: string): string {
  return parseDay(day).slice(0, 7);
}

function utcMidnight(day: string): number {
  return Date.parse(`${parseDay(day)}T00:00:00Z`);
}

function isFirstInstantOf(day: string, instant: number, tz: string): boolean {
  return dayOf(new Date(instant), tz) === day && dayOf(new Date(instant - 1), tz) < day;
}

/** Binary search for the earliest instant in (lo, hi] dated `day` or later; local dates never go back. */
function searchFirstInstant(day: string, tz: string, lo: number, hi: number): number {
  let [before, atOrAfter] = [lo, hi];
  while (atOrAfter - before > 1) {
    const mid = Math.floor((before + atOrAfter) / 2);
    if (dayOf(new Date(mid), tz) >= day) atOrAfter = mid;
    else before = mid;
  }
  return atOrAfter;
}

/** How far local wall-clock time in `tz` is ahead of UTC at `instant`, in ms. */
function offsetMs(instant: number, tz: string): number {
  const p = localParts(instant, tz);
  const wallClockAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const wholeSecond = instant - (((instant % 1000) + 1000) % 1000);
  return wallClockAsUtc - wholeSecond;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock fields of an instant in `tz`, read from the ICU time-zone data (slow: ~10 µs). */
function exactParts(instant: number, tz: string) {
  let formatter = formatters.get(tz);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return { year, month, day, hour, minute, second };
}

const HOUR_MS = 3_600_000;
/** Per zone, per UTC hour: the zone's offset (ms) through that whole hour, or null if it changes in it. */
const hourOffsets = new Map<string, Map<number, number | null>>();
/** Hours remembered per zone before the cache starts over (a few years of instants). */
const MAX_CACHED_HOURS = 100_000;

function exactOffset(instant: number, tz: string): number {
  const p = exactParts(instant, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - instant;
}

/**
 * The wall-clock fields of an instant in `tz`. Sweeps over subscription histories ask for tens of
 * thousands of instants, so the zone's offset is computed once per UTC hour: when it is the same at
 * the hour's first and last second, no transition falls inside it (zones change offset at most once
 * in any hour) and the fields are the instant shifted by it; otherwise the instant is read exactly.
 */
function localParts(instant: number, tz: string) {
  const hour = Math.floor(instant / HOUR_MS);
  let byHour = hourOffsets.get(tz);
  if (!byHour || byHour.size > MAX_CACHED_HOURS) {
    byHour = new Map();
    hourOffsets.set(tz, byHour);
  }
  let offset = byHour.get(hour);
  if (offset === undefined) {
    const first = exactOffset(hour * HOUR_MS, tz);
    offset = first === exactOffset((hour + 1) * HOUR_MS - 1000, tz) ? first : null;
    byHour.set(hour, offset);
  }
  if (offset === null) return exactParts(instant, tz);
  const local = new Date(instant + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
