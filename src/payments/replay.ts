import { sql } from "drizzle-orm";
import type { AppContext } from "../context.ts";
import { queryRows } from "../db/sql.ts";
import { NotFoundError } from "../shared/errors.ts";
import { type EventOutcome, processEvent } from "./inbox/process.ts";

export interface ReplayReport {
  attempted: number;
  processed: number;
  failed: number;
  results: Array<{ eventId: string; type: string; outcome: EventOutcome }>;
}

/** Re-runs one stored event (failed, or received but never processed). Processed ones are left alone. */
export async function replayEvent(ctx: AppContext, eventId: string): Promise<EventOutcome> {
  const [row] = await queryRows<{ id: string }>(
    ctx.db,
    sql`SELECT id FROM stripe_events WHERE id = ${eventId}`,
  );
  if (!row) throw new NotFoundError(`Stripe event ${eventId}`);
  return processEvent(ctx, eventId, { retry: true });
}

/**
 * Re-runs failed events, oldest first. `due: true` (the worker) takes only those whose backoff has
 * passed, plus events stuck in `received` for over a minute (stored but the request died).
 */
export async function replayFailed(
  ctx: AppContext,
  options: { due?: boolean; limit?: number } = {},
): Promise<ReplayReport> {
  const now = ctx.clock.now();
  const stuckBefore = new Date(now.getTime() - 60_000);
  const limit = options.limit ?? 500;
  const rows = options.due
    ? await queryRows<{ id: string; type: string }>(
        ctx.db,
        sql`SELECT id, type FROM stripe_events
            WHERE (status = 'failed' AND (next_attempt_at IS NULL OR next_attempt_at <= ${now}))
               OR (status = 'received' AND received_at <= ${stuckBefore})
            ORDER BY created, received_seq LIMIT ${limit}`,
      )
    : await queryRows<{ id: string; type: string }>(
        ctx.db,
        sql`SELECT id, type FROM stripe_events WHERE status IN ('failed', 'received')
            ORDER BY created, received_seq LIMIT ${limit}`,
      );
  const report: ReplayReport = { attempted: 0, processed: 0, failed: 0, results: [] };
  for (const row of rows) {
    const outcome = await processEvent(ctx, row.id, { retry: true });
    report.attempted += 1;
    if (outcome === "processed") report.processed += 1;
    if (outcome === "failed") report.failed += 1;
    report.results.push({ eventId: row.id, type: row.type, outcome });
  }
  return report;
}
