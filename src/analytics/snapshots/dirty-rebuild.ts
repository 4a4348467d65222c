import { sql } from "drizzle-orm";
import { systemActor } from "../../audit/index.ts";
import type { AppContext } from "../../context.ts";
import { queryRows } from "../../db/sql.ts";
import { addDays } from "../core/periods.ts";
import { buildSnapshots } from "./build.ts";

/**
 * Worker job: rebuild the days marked dirty, contiguous days in one build each, then delete exactly
 * the marks it read. A mark is committed with its change, so every change behind a mark read here is
 * visible to the build that follows; a mark committed meanwhile is not deleted and is rebuilt next time.
 * Returns how many days were rebuilt.
 */
export async function rebuildDirtyDays(ctx: AppContext): Promise<number> {
  const marks = await queryRows<{ id: string | number; day: string }>(
    ctx.db,
    sql`SELECT id, day::text AS day FROM dirty_days ORDER BY id`,
  );
  if (marks.length === 0) return 0;
  const days = [...new Set(marks.map((m) => m.day))];
  for (const range of contiguous(days)) {
    await buildSnapshots(
      ctx.db,
      { ...range, timezone: ctx.config.reportingTimezone, now: ctx.clock.now() },
      systemActor,
    );
  }
  // By id, not by range: a lower id can commit after a higher one, and its change may be unseen.
  const ids = marks.map((m) => Number(m.id));
  for (let i = 0; i < ids.length; i += 10_000) {
    const chunk = `{${ids.slice(i, i + 10_000).join(",")}}`;
    await ctx.db.execute(sql`DELETE FROM dirty_days WHERE id = ANY(${chunk}::bigint[])`);
  }
  return days.length;
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
