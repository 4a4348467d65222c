import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const ISSUE_SEVERITIES = ["info", "warning", "critical"] as const;
export const ISSUE_STATUSES = ["open", "resolved", "ignored"] as const;

/**
 * Data-quality issues (owned by the monitoring domain). One row per occurrence of a condition:
 * while a condition is active (open or ignored) reruns update its row; once it is resolved, a
 * recurrence is a new row, so the history of each occurrence stays readable.
 */
export const dataQualityIssues = pgTable(
  "data_quality_issues",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    check: text().notNull(),
    /** Stable key of the condition within its check (e.g. `order:42`), never PII. */
    fingerprint: text().notNull(),
    severity: text({ enum: ISSUE_SEVERITIES }).notNull(),
    title: text().notNull(),
    /** Ids and amounts involved; no e-mails or names. */
    details: jsonb().notNull().default({}),
    status: text({ enum: ISSUE_STATUSES }).notNull(),
    firstSeen: timestamp({ withTimezone: true }).notNull(),
    lastSeen: timestamp({ withTimezone: true }).notNull(),
    occurrences: integer().notNull().default(1),
    resolvedAt: timestamp({ withTimezone: true }),
    /** `system` when a rerun no longer found the condition, else the user id as text. */
    resolvedBy: text(),
    resolutionNote: text(),
  },
  (t) => [
    uniqueIndex("dq_issues_active_uq")
      .on(t.check, t.fingerprint)
      .where(sql`${t.status} IN ('open', 'ignored')`),
    index("dq_issues_status_idx").on(t.status, t.severity),
    index("dq_issues_check_idx").on(t.check, t.lastSeen),
    // Issues about one entity (a customer profile asks for its orders', charges' and subscriptions').
    index("dq_issues_fingerprint_idx").on(t.fingerprint),
  ],
);
