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
  for (const day of eachDay(from, to)) {
    const key = bucketKey(day, grain);
    if (current === null || bucketKey(current.days[0]!, grain) !== key) {
      current = { period: day, to: day, days: [] };
      buckets.push(current);
    }
    current.days.push(day);
    current.to = day;
  }
  return buckets;
}

function bucketKey(day: string, grain: Grain): string {
  if (grain === "day") return day;
  if (grain === "month") return day.slice(0, 7);
  const date = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}
