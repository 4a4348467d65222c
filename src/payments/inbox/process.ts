import { eq, sql } from "drizzle-orm";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { clearEventIssue, raiseFailedEventIssue } from "../../monitoring/index.ts";
import { scrubText } from "../../shared/logger.ts";
import { stripeEvents } from "../schema.ts";
import type { StripeEventObject } from "../stripe/stripe-objects.ts";
import { handlerFor } from "../stripe/webhooks/index.ts";
import type { StoredState } from "./store.ts";

export type EventOutcome = "processed" | "failed" | "ignored" | "skipped";

/** Retry schedule of a failed event: 1 min, 5 min, 30 min, 2 h, then every 12 h. */
const BACKOFF_MINUTES = [1, 5, 30, 120, 720];

export function nextAttemptAt(now: Date, attempts: number): Date {
  const minutes = BACKOFF_MINUTES[Math.min(attempts, BACKOFF_MINUTES.length) - 1] ?? 1;
  return new Date(now.getTime() + minutes * 60_000);
}

/** What one attempt did to a stored event: handed to `onSettled` inside the attempt's transaction. */
export interface EventSettlement {
  eventId: string;
  type: string;
  outcome: EventOutcome;
  before: { status: string; attempts: number };
  after: { status: string; attempts: number };
}

export interface ProcessOptions {
  /** Also re-run a `failed` event (replay, worker re-drive); otherwise only `received` ones run. */
  retry?: boolean;
  /**
   * Runs in the same transaction once the event is settled (also when it was skipped because it had
   * already been applied), e.g. to append the audit row of a replay. Not called for an unknown id.
   * If it throws, the whole attempt rolls back.
   */
  onSettled?: (tx: Db, settlement: EventSettlement) => Promise<void>;
}

/**
 * Applies one stored event. The inbox row is locked (`FOR UPDATE`) and the handler runs in the same
 * transaction, so concurrent deliveries, a replay and the worker apply it exactly once. A handler
 * error rolls back the handler's writes only (savepoint) and marks the event `failed`.
 */
export async function processEvent(
  ctx: AppContext,
  eventId: string,
  options: ProcessOptions = {},
): Promise<EventOutcome> {
  return ctx.db.transaction(async (tx) => {
    const e = stripeEvents;
    const [row] = await tx
      .select({
        type: e.type,
        status: e.status,
        attempts: e.attempts,
        payload: e.payload,
        receivedSeq: e.receivedSeq,
        receivedAt: e.receivedAt,
      })
      .from(e)
      .where(eq(e.id, eventId))
      .for("update");
    if (!row) return "skipped";
    const before = { status: row.status as string, attempts: row.attempts };
    const settle = async (outcome: EventOutcome, after: EventSettlement["after"]) => {
      await options.onSettled?.(tx, { eventId, type: row.type, outcome, before, after });
      return outcome;
    };
    const runnable = row.status === "received" || (options.retry === true && row.status === "failed");
    if (!runnable) return settle("skipped", before);
    const now = ctx.clock.now();
    const handler = handlerFor(row.type);
    if (!handler) {
      await finish(tx, eventId, "ignored", now);
      await clearEventIssue(tx, eventId, now);
      return settle("ignored", { status: "ignored", attempts: before.attempts + 1 });
    }
    const event = row.payload as StripeEventObject;
    try {
      await tx.transaction((inner) =>
        handler({ ctx, tx: inner, event, receivedSeq: async () => row.receivedSeq!, source: "webhook" }),
      );
    } catch (err) {
      const failed = failedState(ctx, { id: eventId, type: row.type }, err, now, before.attempts + 1);
      await tx
        .update(stripeEvents)
        .set({
          status: failed.status,
          attempts: failed.attempts,
          lastError: failed.lastError,
          nextAttemptAt: failed.nextAttemptAt,
        })
        .where(eq(stripeEvents.id, eventId));
      const failedEvent = {
        id: eventId,
        type: row.type,
        attempts: failed.attempts,
        receivedAt: row.receivedAt,
      };
      await raiseFailedEventIssue(tx, failedEvent, now);
      return settle("failed", { status: failed.status, attempts: failed.attempts });
    }
    await finish(tx, eventId, "processed", now);
    // A failed (or stuck) event now applied: its data-quality issue is gone at once.
    await clearEventIssue(tx, eventId, now);
    return settle("processed", { status: "processed", attempts: before.attempts + 1 });
  });
}

async function finish(tx: Db, eventId: string, status: "processed" | "ignored", now: Date): Promise<void> {
  await tx
    .update(stripeEvents)
    .set({
      status,
      attempts: sql`${stripeEvents.attempts} + 1`,
      processedAt: now,
      lastError: null,
      nextAttemptAt: null,
    })
    .where(eq(stripeEvents.id, eventId));
}

/**
 * How an event stands after its handler failed on attempt `attempts` (logged without the payload):
 * `failed` with the root cause and the next retry time. Both the webhook path and the worker use it.
 */
export function failedState(
  ctx: AppContext,
  event: { id: string; type: string },
  err: unknown,
  now: Date,
  attempts: number,
): StoredState & { status: "failed" } {
  const message = errorMessage(err);
  ctx.logger.warn({ eventId: event.id, type: event.type, err: message }, "stripe event handler failed");
  return {
    status: "failed",
    attempts,
    lastError: message.slice(0, 1000),
    processedAt: null,
    nextAttemptAt: nextAttemptAt(now, attempts),
  };
}

/**
 * The root cause (drizzle wraps driver errors with the whole query and its parameters), without
 * values the database echoed back: it is stored on the event and shown to ops.
 */
export function errorMessage(err: unknown): string {
  let current: unknown = err;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  const base = current instanceof Error ? current.message : String(current);
  const code = err instanceof Error && "code" in err && typeof err.code === "string" ? `${err.code}: ` : "";
  return scrubText(`${code}${base}`);
}
