import { sql } from "drizzle-orm";
import { charges, disputes } from "../db/schema.ts";

/**
 * The kpis.md v2 money rules as SQL over the ledger tables, shared by the raw path, the snapshot
 * builder and the exports so each rule is written once. Each names its table's columns (rendered
 * qualified, so the query reads that table without an alias).
 */

/**
 * A succeeded charge's money in gross revenue: what was captured. Rows recorded before captured
 * amounts were kept (null) count `amount`, as they did then.
 */
export const CAPTURED_AMOUNT = sql`coalesce(${charges.amountCaptured}, ${charges.amount})`;

/** A chargeback, not an inquiry (the `warning_*` statuses: no money withdrawn). */
export const IS_CHARGEBACK = sql`${disputes.status} NOT IN ('warning_needs_response', 'warning_under_review', 'warning_closed')`;

/**
 * When a dispute was lost: the first event that showed it lost; rows from before that was kept
 * fall back to the newest event applied to them.
 */
export const LOST_AT = sql`coalesce(${disputes.lostAt}, ${disputes.sourceEventCreated})`;
