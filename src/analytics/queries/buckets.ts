import { eachDay } from "../core/periods.ts";
import type { Grain } from "../types.ts";

export interface Bucket {
  period: string;
  to: string;
  days: string[];
}

/** Days of `from`..`to` grouped by day, ISO week (Monday) or calendar month, clipped to the range. */
export function bucketsOf(from: string, to: string, grain: Grain): Bucket[] {
  const buckets: Bucket[] = [];
  let current: Bucket | null = null;
  // The days are consecutive: a bucket starts on the first of them and on each day that opens a
  // week (a Monday) or a month (its 1st); the weekday is counted on, not recomputed per day.
  let weekday = (new Date(`${from}T00:00:00Z`).getUTCDay() + 6) % 7; // 0 = Monday
  for (const day of eachDay(from, to)) {
    const opens = grain === "day" || (grain === "week" ? weekday === 0 : day.endsWith("-01"));
    if (current === null || opens) {
      current = { period: day, to: day, days: [] };
      buckets.push(current);
    }
    current.days.push(day);
    current.to = day;
    weekday = (weekday + 1) % 7;
  }
  return buckets;
}
