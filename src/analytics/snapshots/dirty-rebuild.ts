import { sql } from "drizzle-orm";
import { systemActor } from "../../audit/index.ts";
import type { ServiceContext } from "../../context.ts";
import { arrayOf } from "../../db/sql.ts";
import { addDays } from "../core/periods.ts";
import { dirtyDays, mrrInputChanges } from "../schema.ts";
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
    .select({
      id: dirtyDays.id,
      day: dirtyDays.day,
      paidOrdersOf: dirtyDays.paidOrdersOf,
      arrivalsOnly: dirtyDays.arrivalsOnly,
    })
    .from(dirtyDays)
    .orderBy(dirtyDays.id);
  if (marks.length === 0) return 0;
  // Read after the marks, so a change behind a mark seen here leaves its row here too.
  const mrrChanges = await ctx.db.select({ id: mrrInputChanges.id }).from(mrrInputChanges);
  const days = [...new Set(marks.map((m) => m.day))];
  let mrrInputsUnchanged = mrrChanges.length === 0;
  for (const range of contiguous(days)) {
    // MRR is recomputed only when the subscription history (or what else it reads) changed; the
    // customer-day rows only for the customers whose paid orders changed, when every mark says whose.
    const inRange = marks.filter((m) => m.day >= range.from && m.day <= range.to);
    const paidOrdersOf = inRange.every((m) => m.paidOrdersOf !== null)
      ? [...new Set(inRange.flatMap((m) => m.paidOrdersOf ?? []))]
      : undefined;
    // The product and amount counts add the new orders and charges alone when every change was one.
    const arrivalsOnly = inRange.every((m) => m.arrivalsOnly);
    await buildSnapshots(
      ctx,
      { ...range, skipUnchangedMrr: true, mrrInputsUnchanged, paidOrdersOf, arrivalsOnly, onStage },
      systemActor,
    );
    // The first build brought MRR up to every change read above; a later change leaves a row of its own.
    mrrInputsUnchanged = true;
  }
  // By id, not by range: a lower id can commit after a higher one, and its change may be unseen.
  await deleteByIds(ctx, dirtyDays, marks);
  await deleteByIds(ctx, mrrInputChanges, mrrChanges);
  return days.length;
}

/** Delete exactly these rows of an append-only table, by id, in chunks of one array parameter each. */
async function deleteByIds(
  ctx: ServiceContext,
  table: typeof dirtyDays | typeof mrrInputChanges,
  rows: Array<{ id: number }>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 10_000) {
    const ids = rows.slice(i, i + 10_000).map((r) => r.id);
    await ctx.db.delete(table).where(sql`${table.id} = ANY(${arrayOf("bigint", ids)})`);
  }
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
