import { dayOf, startOfDay } from "../analytics/core/periods.ts";
import { markDaysDirty, NO_PAID_ORDERS } from "../analytics/dirty.ts";
import type { Actor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import { affectedDays, type ImportResult, importEcbRates, listRates } from "../fx/index.ts";

/** A first import of a long history marks at most this many recent days (a build covers at most 3,700). */
const MAX_DIRTY_DAYS = 3650;

/**
 * `revintel fx import FILE`: the file's rates are stored and every reporting day a changed rate can
 * move is marked for a snapshot rebuild, in one transaction (a bad file changes nothing).
 */
export async function importFxRates(
  ctx: AppContext,
  input: { text: string; name: string },
  actor: Actor,
): Promise<ImportResult & { dirtyDays: number }> {
  const tz = ctx.config.reportingTimezone;
  return ctx.db.transaction(async (tx) => {
    const result = await importEcbRates({ ...ctx, db: tx }, input, actor);
    const pairs = new Map(result.changed.map((r) => [`${r.base}/${r.quote}`, r]));
    const stored = (
      await Promise.all(
        [...pairs.values()].map((r) => listRates({ ...ctx, db: tx }, { base: r.base, quote: r.quote })),
      )
    ).flat();
    const today = dayOf(ctx.clock.now(), tz);
    const days = affectedDays(result.changed, stored, today).slice(-MAX_DIRTY_DAYS);
    await markDaysDirty(
      { ...ctx, db: tx },
      days.map((d) => startOfDay(d, tz)),
      NO_PAID_ORDERS,
    );
    return { ...result, dirtyDays: days.length };
  });
}
