import { and, asc, eq, inArray, isNull, lte, or } from "drizzle-orm";
import { type Actor, audit } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import type { Db } from "../db/client.ts";
import { NotFoundError } from "../shared/errors.ts";
import { type EventOutcome, type EventSettlement, processEvent } from "./inbox/process.ts";
import { stripeEvents } from "./schema.ts";

export interface ReplayReport {
  attempted: number;
  processed: number;
  failed: number;
  results: Array<{ eventId: string; type: string; outcome: EventOutcome }>;
}

/**
 * Re-runs one stored event (failed, or received but never processed). Processed ones are left alone.
 * Each replay, whatever its outcome, is audited as `webhook.replay` by `actor` in the transaction
 * that applies the event.
 */
export async function replayEvent(ctx: AppContext, eventId: string, actor: Actor): Promise<EventOutcome> {
  const [row] = await ctx.db
    .select({ id: stripeEvents.id })
    .from(stripeEvents)
    .where(eq(stripeEvents.id, eventId));
  if (!row) throw new NotFoundError(`Stripe event ${eventId}`);
  return processEvent(ctx, eventId, { retry: true, onSettled: auditReplay(ctx, actor) });
}

/**
 * Re-runs failed events, oldest first. `due: true` (the worker) takes only those whose backoff has
 * passed, plus events stuck in `received` for over a minute (stored but the request died).
 * Every event replayed gets its own `webhook.replay` audit row by `actor` (the worker: `systemActor`).
 */
export async function replayFailed(
  ctx: AppContext,
  actor: Actor,
  options: { due?: boolean; limit?: number } = {},
): Promise<ReplayReport> {
  const now = ctx.clock.now();
  const stuckBefore = new Date(now.getTime() - 60_000);
  const limit = options.limit ?? 500;
  const e = stripeEvents;
  const due = or(
    and(eq(e.status, "failed"), or(isNull(e.nextAttemptAt), lte(e.nextAttemptAt, now))),
    and(eq(e.status, "received"), lte(e.receivedAt, stuckBefore)),
  );
  const rows = await ctx.db
    .select({ id: e.id, type: e.type })
    .from(e)
    .where(options.due ? due : inArray(e.status, ["failed", "received"]))
    .orderBy(asc(e.created), asc(e.receivedSeq))
    .limit(limit);
  const report: ReplayReport = { attempted: 0, processed: 0, failed: 0, results: [] };
  const onSettled = auditReplay(ctx, actor);
  for (const row of rows) {
    const outcome = await processEvent(ctx, row.id, { retry: true, onSettled });
    report.attempted += 1;
    if (outcome === "processed") report.processed += 1;
    if (outcome === "failed") report.failed += 1;
    report.results.push({ eventId: row.id, type: row.type, outcome });
  }
  return report;
}

/** The audit row of one replayed event (ids, type, statuses and attempt counts: no payload). */
function auditReplay(ctx: AppContext, actor: Actor) {
  return async (tx: Db, s: EventSettlement): Promise<void> => {
    await audit(
      tx,
      actor,
      "webhook.replay",
      { type: "stripe_event", id: s.eventId },
      { type: s.type, outcome: s.outcome, ...s.after },
      s.before,
      ctx.clock.now(),
    );
  };
}
