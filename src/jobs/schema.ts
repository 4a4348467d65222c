import { index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** One row per job per schedule slot: the insert that wins is the one run (exactly once across workers). */
export const jobRuns = pgTable(
  "job_runs",
  {
    job: text().notNull(),
    slot: timestamp({ withTimezone: true }).notNull(),
    worker: text().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }),
    status: text({ enum: ["running", "ok", "failed"] }).notNull(),
    error: text(),
    items: integer(),
  },
  (t) => [primaryKey({ columns: [t.job, t.slot] }), index("job_runs_started_idx").on(t.startedAt)],
);
