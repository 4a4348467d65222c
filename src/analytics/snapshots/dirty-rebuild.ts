import { sql } from "drizzle-orm";
import { systemActor } from "../../audit/index.ts";
import type { AppContext } from "../../context.ts";
import { queryRows } from "../../db/sql.ts";
import { addDays } from "../core/periods.ts";
import { buildSnapshots } from "./build.ts";

/**
 * Worker job: rebuild the days marked dirty, contiguous days in one build each, then forget the
 * marks that were not renewed meanwhile (a day marked again during the build stays dirty).
 * Returns how many days were rebuilt.
 */
export async function rebuildDirtyDays(ctx: AppContext): Promise<number> {
  const marks = await queryRows<{ day: string; marked_at: Date | string }>(
    ctx.db,
    sql`SELECT day::text AS day, marked_at FROM dirty_days ORDER BY day`,
  );
  if (marks.length === 0) return 0;
  for (const range of contiguous(marks.map((m) => m.day))) {
    await buildSnapshots(
      ctx.db,
      { ...range, timezone: ctx.config.reportingTimezone, now: ctx.clock.now() },
      systemActor,
    );
  }
  for (const m of marks) {
    const markedAt = m.marked_at instanceof Date ? m.marked_at : new Date(m.marked_at);
    await ctx.db.execute(sql`DELETE FROM dirty_days WHERE day = ${m.day}::date AND marked_at <= ${markedAt}`);
  }
  return marks.length;
}

export function contiguous(days: string[]): Array<{ from: string; to: string }> {
  const ranges: Array<{ from: string; to: string }> = [];
  for (const day of [...days].sort()) {
    const last = ranges[ranges.length - 1];
    if (last && addDays(last.to, 1) === day) last.to = day;
    else ranges.push({ from: day, to: day });
  }
  return ranges;
}
