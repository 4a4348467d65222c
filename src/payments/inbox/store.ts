import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { queryOne } from "../../db/sql.ts";
import type { StripeEventObject } from "../stripe/stripe-objects.ts";

export type EventSource = "webhook" | "sync" | "simulator";

/** How a new inbox row starts: `received` (to be processed) or already settled by the caller. */
export interface StoredState {
  status: "received" | "processed" | "ignored" | "failed";
  attempts: number;
  lastError: string | null;
  processedAt: Date | null;
  nextAttemptAt: Date | null;
}

const RECEIVED: StoredState = {
  status: "received",
  attempts: 0,
  lastError: null,
  processedAt: null,
  nextAttemptAt: null,
};

/** An event whose livemode is not ours is kept for the record but `ignored`: test and live data never mix. */
export function foreignState(event: StripeEventObject, now: Date): StoredState {
  return {
    status: "ignored",
    attempts: 0,
    lastError: `livemode ${event.livemode} does not match this installation`,
    processedAt: now,
    nextAttemptAt: null,
  };
}

/**
 * Writes a verified event to the inbox and returns its arrival sequence number, or `null` when it
 * was already there (a duplicate delivery changes nothing). `payload` is the verified body as
 * received (stored as jsonb); `state` is how the row starts.
 */
export async function insertEvent(
  db: Db,
  event: StripeEventObject,
  options: { payload?: string; source: EventSource; now: Date; state?: StoredState },
): Promise<number | null> {
  const s = options.state ?? RECEIVED;
  const row = await queryOne<{ received_seq: number }>(
    db,
    sql`INSERT INTO stripe_events
          (id, type, created, livemode, api_version, payload, received_at, status, attempts,
           last_error, processed_at, next_attempt_at, source)
        VALUES (${event.id}, ${event.type}, ${new Date(event.created * 1000)}, ${event.livemode},
                ${event.api_version ?? null}, ${options.payload ?? JSON.stringify(event)}::jsonb, ${options.now},
                ${s.status}, ${s.attempts}, ${s.lastError}, ${s.processedAt}, ${s.nextAttemptAt}, ${options.source})
        ON CONFLICT (id) DO NOTHING
        RETURNING received_seq`,
  );
  return row === undefined ? null : Number(row.received_seq);
}

/**
 * Writes a verified event to the inbox as `received` (or `ignored` when its livemode is not ours);
 * `false` when it was already there.
 */
export async function storeEvent(
  db: Db,
  event: StripeEventObject,
  options: { livemode: boolean; source: EventSource; now: Date },
): Promise<boolean> {
  const state = event.livemode !== options.livemode ? foreignState(event, options.now) : RECEIVED;
  return (await insertEvent(db, event, { source: options.source, now: options.now, state })) !== null;
}
