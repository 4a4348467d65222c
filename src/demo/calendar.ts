const DAY_MS = 86_400_000;

/** Relative order volume by month (Jan…Dec): a summer lull, a November build-up, a December peak. */
const SEASON = [0.85, 0.8, 0.9, 0.95, 1, 0.95, 0.88, 0.92, 1, 1.05, 1.3, 1.8];

/** The same UTC midnight `months` calendar months earlier. */
function monthsBefore(day: number, months: number): number {
  const d = new Date(day);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.getTime();
}

/** Expected orders on a day: season × weekday × slow growth over the history. */
export function dayWeight(day: number, progress: number): number {
  const d = new Date(day);
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 1.15 : 1;
  return SEASON[d.getUTCMonth()]! * weekend * (0.8 + 0.4 * progress);
}

export { DAY_MS };

/** `YYYY-MM-DD` the same day `months` calendar months earlier. */
export function monthsBeforeDay(day: string, months: number): string {
  return new Date(monthsBefore(Date.parse(`${day}T00:00:00Z`), months)).toISOString().slice(0, 10);
}
