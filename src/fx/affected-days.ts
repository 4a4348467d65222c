import type { FxRateRow } from "./rate-book.ts";

/**
 * The reporting days a changed rate can move: its own day and the following days that take it as
 * the nearest earlier rate (up to the day before the pair's next stored day), never after `today`.
 * `stored` is every stored day of the changed pairs, any source.
 */
export function affectedDays(changed: FxRateRow[], stored: FxRateRow[], today: string): string[] {
  const daysOf = new Map<string, string[]>();
  for (const row of stored) {
    const key = `${row.base}/${row.quote}`;
    daysOf.set(key, [...(daysOf.get(key) ?? []), row.day]);
  }
  for (const list of daysOf.values()) list.sort();
  const days = new Set<string>();
  for (const row of changed) {
    const next = (daysOf.get(`${row.base}/${row.quote}`) ?? []).find((d) => d > row.day);
    const last = next ? addDays(next, -1) : today;
    for (let d = row.day; d <= last && d <= today; d = addDays(d, 1)) days.add(d);
  }
  return [...days].sort();
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
