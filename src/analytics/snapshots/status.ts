import { desc, eq, max, min, sql } from "drizzle-orm";
import { auditLog } from "../../audit/schema.ts";
import type { ServiceContext } from "../../context.ts";
import { dirtyDays, snapDailyLedger } from "../schema.ts";

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
  /** First and last day with a daily ledger snapshot, or null before any build. */
  covered: { from: string; to: string } | null;
  /** Days marked dirty and not rebuilt yet (the worker drains them every minute). */
  waiting: { days: number; from: string; to: string; oldestMark: Date } | null;
  /** The latest rebuilds, newest first. */
  recent: SnapshotBuildRecord[];
}

const RECENT_BUILDS = 10;

export async function snapshotStatus(ctx: ServiceContext): Promise<SnapshotStatus> {
  const [covered] = await ctx.readDb
    .select({ from: min(snapDailyLedger.day), to: max(snapDailyLedger.day) })
    .from(snapDailyLedger);
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
    covered: covered?.from && covered.to ? { from: covered.from, to: covered.to } : null,
    waiting:
      waiting && waiting.days > 0 && waiting.from && waiting.to && waiting.oldestMark
        ? { days: waiting.days, from: waiting.from, to: waiting.to, oldestMark: waiting.oldestMark }
        : null,
    recent: builds.map(buildRecord),
  };
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
