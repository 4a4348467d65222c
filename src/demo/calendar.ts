const DAY_MS = 86_400_000;

/** Relative order volume by month (Jan…Dec): a summer lull, a November build-up, a December peak. */
export const SEASON = [0.85, 0.8, 0.9, 0.95, 1, 0.95, 0.88, 0.92, 1, 1.05, 1.3, 1.8];

/** Midnight UTC of the day `at` falls in. */
export function utcDay(at: Date): number {
  return Math.floor(at.getTime() / DAY_MS) * DAY_MS;
}

/** The same UTC midnight `months` calendar months earlier. */
export function monthsBefore(day: number, months: number): number {
  const d = new Date(day);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.getTime();
}

/** `YYYY-MM-DD` of an instant in a timezone. */
export function dayIn(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}

/** Expected orders on a day: season × weekday × slow growth over the history. */
export function dayWeight(day: number, progress: number): number {
  const d = new Date(day);
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 1.15 : 1;
  return SEASON[d.getUTCMonth()]! * weekend * (0.8 + 0.4 * progress);
}

export { DAY_MS };

/** The timezone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(at: number, timezone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return local - Math.floor(at / 1000) * 1000;
}

/** The instant a calendar day (`YYYY-MM-DD`) starts in a timezone. */
export function localMidnight(day: string, timezone: string): number {
  const guess = Date.parse(`${day}T00:00:00Z`);
  return guess - offsetAt(guess - offsetAt(guess, timezone), timezone);
}

/** `YYYY-MM-DD` plus `n` days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` the same day `months` calendar months earlier. */
export function monthsBeforeDay(day: string, months: number): string {
  return new Date(monthsBefore(Date.parse(`${day}T00:00:00Z`), months)).toISOString().slice(0, 10);
}
