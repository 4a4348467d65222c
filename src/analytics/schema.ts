import { date, pgTable, timestamp } from "drizzle-orm/pg-core";

/** Reporting days whose snapshots must be rebuilt (written by webhook handlers, drained by the worker). */
export const dirtyDays = pgTable("dirty_days", {
  day: date().primaryKey(),
  markedAt: timestamp({ withTimezone: true }).notNull(),
});
