import { sql } from "drizzle-orm";

/**
 * The kpis.md v2 money rules as SQL over the ledger tables, shared by the raw path, the snapshot
 * builder and the exports so each rule is written once.
 */

/**
 * A succeeded charge's money in gross revenue: what was captured. Rows recorded before captured
 * amounts were kept (null) count `amount`, as they did then.
 */
export const CAPTURED_AMOUNT = sql.raw("coalesce(amount_captured, amount)");

/** A chargeback, not an inquiry (the `warning_*` statuses: no money withdrawn). */
export const IS_CHARGEBACK = sql.raw(
  "status NOT IN ('warning_needs_response', 'warning_under_review', 'warning_closed')",
);

/**
 * When a dispute was lost: the first event that showed it lost; rows from before that was kept
 * fall back to the newest event applied to them.
 */
export const LOST_AT_COLUMN = "coalesce(lost_at, source_event_created)";
export const LOST_AT = sql.raw(LOST_AT_COLUMN);
