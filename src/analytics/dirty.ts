import type { Db } from "../db/client.ts";
import { dayOf } from "./core/periods.ts";
import { dirtyDays } from "./schema.ts";

/**
 * Mark the reporting days touched by these instants as needing a snapshot rebuild. Call it in the
 * same transaction as the change (a webhook handler, a refund, an order transition).
 */
export async function markDaysDirty(
  db: Db,
  timezone: string,
  instants: Array<Date | null | undefined>,
  now = new Date(),
): Promise<void> {
  const days = [
    ...new Set(instants.filter((d): d is Date => d instanceof Date).map((d) => dayOf(d, timezone))),
  ];
  if (days.length === 0) return;
  // A plain insert: no conflict target, so no row lock that concurrent transactions would queue on.
  await db.insert(dirtyDays).values(days.map((day) => ({ day, markedAt: now })));
}
