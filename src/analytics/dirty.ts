import { sql } from "drizzle-orm";
import type { ServiceContext } from "../context.ts";
import { withoutAnswer } from "../db/client.ts";
import { param, statement } from "../db/prepared.ts";
import { bareList } from "../db/sql.ts";
import { dayOf } from "./core/periods.ts";
import { dirtyDays } from "./schema.ts";

/** What marking needs: the caller's transaction as `db`, the reporting zone and the clock. */
export type DirtyDaysContext = Pick<ServiceContext, "db" | "clock"> & {
  config: Pick<ServiceContext["config"], "reportingTimezone">;
};

/**
 * Mark the reporting days (in `ctx.config.reportingTimezone`) touched by these instants as needing a
 * snapshot rebuild, stamped `ctx.clock.now()`. Call it in the same transaction as the change (a
 * webhook handler, a refund, an order transition): pass `{ ...ctx, db: tx }`.
 */
export async function markDaysDirty(
  ctx: DirtyDaysContext,
  instants: Array<Date | null | undefined>,
): Promise<void> {
  const timezone = ctx.config.reportingTimezone;
  const days = [
    ...new Set(instants.filter((d): d is Date => d instanceof Date).map((d) => dayOf(d, timezone))),
  ];
  if (days.length === 0) return;
  // A plain insert: no conflict target, so no row lock that concurrent transactions would queue on.
  // Nothing reads its answer: on the webhook path it travels with the transaction's next statement.
  const values = { days, at: ctx.clock.now().toISOString() };
  await withoutAnswer(() => insertDirtyDays.run(ctx.db, values));
}

/** One statement text whatever the number of days (built once, see Statement). */
const insertDirtyDays = statement<{ days: string[]; at: string }>()((db) =>
  db.execute(
    sql`INSERT INTO ${dirtyDays} (${bareList(dirtyDays.day, dirtyDays.markedAt)})
        SELECT unnest(${param("days")}::date[]), ${param("at")}::timestamptz`,
  ),
);
