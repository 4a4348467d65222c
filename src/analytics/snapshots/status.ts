import { desc, eq, max, min, sql } from "drizzle-orm";
import { auditLog } from "../../audit/schema.ts";
import type { ServiceContext } from "../../context.ts";
import { dirtyDays, snapBuiltDays, snapDailyLedger } from "../schema.ts";

/** One rebuild as its audit row states it (the worker's, the CLI's or an admin's). */
export interface SnapshotBuildRecord {
  at: Date;
  actorType: string;
  actorId: string | null;
  actorRole: string | null;
  from: string | null;
  to: string | null;
  days: number | null;
  rows: number | null;
}

/** What the snapshots cover and what waits for the worker: the admin page's summary. */
export interface SnapshotStatus {
  /** The days the snapshots cover, or null before any build. */
  covered: SnapshotCoverage | null;
  /** Days marked dirty and not rebuilt yet (the worker drains them every minute). */
  waiting: { days: number; from: string; to: string; oldestMark: Date } | null;
  /** The latest rebuilds, newest first. */
  recent: SnapshotBuildRecord[];
}

/**
 * First and last day built, from the record every build keeps of the days it wrote and their zone.
 * Snapshots built before that record existed show only their ledger's first and last day.
 */
export interface SnapshotCoverage {
  from: string;
  to: string;
  /**
   * Days between `from` and `to` (inclusive) no build wrote; null when the range comes from the
   * ledger alone (snapshots built before builds recorded their days).
   */
  gaps: number | null;
  /** Days last built in another zone than the reporting zone (their days are cut differently). */
  otherZone: number;
}

const RECENT_BUILDS = 10;

export async function snapshotStatus(ctx: ServiceContext): Promise<SnapshotStatus> {
  const [built] = await ctx.readDb
    .select({
      from: min(snapBuiltDays.day),
      to: max(snapBuiltDays.day),
      gaps: sql<number>`(max(${snapBuiltDays.day}) - min(${snapBuiltDays.day}) + 1 - count(*))::int`,
      otherZone: sql<number>`(count(*) FILTER (WHERE ${snapBuiltDays.timezone} <> ${ctx.config.reportingTimezone}))::int`,
    })
    .from(snapBuiltDays);
  const covered =
    built?.from && built.to
      ? { from: built.from, to: built.to, gaps: built.gaps, otherZone: built.otherZone }
      : await ledgerCoverage(ctx);
  // Read from the primary: marks are written there and drained there.
  const [waiting] = await ctx.db
    .select({
      days: sql<number>`count(DISTINCT ${dirtyDays.day})::int`,
      from: min(dirtyDays.day),
      to: max(dirtyDays.day),
      oldestMark: min(dirtyDays.markedAt),
    })
    .from(dirtyDays);
  const builds = await ctx.readDb
    .select()
    .from(auditLog)
    .where(eq(auditLog.action, "snapshots.build"))
    .orderBy(desc(auditLog.seq))
    .limit(RECENT_BUILDS);
  return {
    covered,
    waiting:
      waiting && waiting.days > 0 && waiting.from && waiting.to && waiting.oldestMark
        ? { days: waiting.days, from: waiting.from, to: waiting.to, oldestMark: waiting.oldestMark }
        : null,
    recent: builds.map(buildRecord),
  };
}

/** Snapshots built before builds recorded their days: the ledger's first and last day. */
async function ledgerCoverage(ctx: ServiceContext): Promise<SnapshotCoverage | null> {
  const [ledger] = await ctx.readDb
    .select({ from: min(snapDailyLedger.day), to: max(snapDailyLedger.day) })
    .from(snapDailyLedger);
  return ledger?.from && ledger.to ? { from: ledger.from, to: ledger.to, gaps: null, otherZone: 0 } : null;
}

function buildRecord(row: typeof auditLog.$inferSelect): SnapshotBuildRecord {
  const after = (row.after ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" ? v : null);
  const count = (v: unknown) => (typeof v === "number" ? v : null);
  return {
    at: row.at,
    actorType: row.actorType,
    actorId: row.actorId,
    actorRole: row.actorRole,
    from: text(after.from),
    to: text(after.to),
    days: count(after.days),
    rows: count(after.rows),
  };
}
