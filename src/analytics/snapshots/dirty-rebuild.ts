import { sql } from "drizzle-orm";
import { systemActor } from "../../audit/index.ts";
import type { ServiceContext } from "../../context.ts";
import { addDays } from "../core/periods.ts";
import { dirtyDays } from "../schema.ts";
import { type BuildStage, buildSnapshots } from "./build.ts";

/**
 * Worker job: rebuild the days marked dirty, contiguous days in one build each, then delete exactly
 * the marks it read. A mark is committed with its change, so every change behind a mark read here is
 * visible to the build that follows; a mark committed meanwhile is not deleted and is rebuilt next time.
 * Returns how many days were rebuilt.
 */
export async function rebuildDirtyDays(
  ctx: ServiceContext,
  /** Called after each stage of each build (the bench's per-stage figures). */
  onStage?: (stage: BuildStage, ms: number, rows: number) => void,
): Promise<number> {
  const marks = await ctx.db
    .select({ id: dirtyDays.id, day: dirtyDays.day, paidOrdersOf: dirtyDays.paidOrdersOf })
    .from(dirtyDays)
    .orderBy(dirtyDays.id);
  if (marks.length === 0) return 0;
  const days = [...new Set(marks.map((m) => m.day))];
  for (const range of contiguous(days)) {
    // MRR is recomputed only when the subscription history (or what else it reads) changed; the
    // customer-day rows only for the customers whose paid orders changed, when every mark says whose.
    const inRange = marks.filter((m) => m.day >= range.from && m.day <= range.to);
    const paidOrdersOf = inRange.every((m) => m.paidOrdersOf !== null)
      ? [...new Set(inRange.flatMap((m) => m.paidOrdersOf ?? []))]
      : undefined;
    await buildSnapshots(ctx, { ...range, skipUnchangedMrr: true, paidOrdersOf, onStage }, systemActor);
  }
  // By id, not by range: a lower id can commit after a higher one, and its change may be unseen.
  const ids = marks.map((m) => m.id);
  for (let i = 0; i < ids.length; i += 10_000) {
    const chunk = `{${ids.slice(i, i + 10_000).join(",")}}`;
    await ctx.db.delete(dirtyDays).where(sql`${dirtyDays.id} = ANY(${chunk}::bigint[])`);
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
