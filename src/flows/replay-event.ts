import type { Actor } from "../audit/index.ts";
import type { AppContext } from "../context.ts";
import type { EventOutcome } from "../payments/inbox/process.ts";
import { type ReplayReport, replayFailed, replayEvent as replayStoredEvent } from "../payments/replay.ts";

export type { ReplayReport };

/**
 * An operator re-runs one stored Stripe event: it is applied again through the inbox (ledger,
 * orders, subscriptions, each safe to run twice) and the replay is audited in the same transaction.
 */
export function replayEvent(ctx: AppContext, eventId: string, actor: Actor): Promise<EventOutcome> {
  return replayStoredEvent(ctx, eventId, actor);
}

/** Re-runs the failed (and stuck) events, oldest first; each replay audited. */
export function replayFailedEvents(
  ctx: AppContext,
  actor: Actor,
  options: { due?: boolean; limit?: number } = {},
): Promise<ReplayReport> {
  return replayFailed(ctx, actor, options);
}
