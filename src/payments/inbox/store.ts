import { eq, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context.ts";
import { type Db, withoutAnswer } from "../../db/client.ts";
import { encodeRow, param, rowParams, statement } from "../../db/prepared.ts";
import { stripeEvents } from "../schema.ts";
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
 * received (stored as jsonb); `state` is how the row starts. `ctx.db` may be the caller's
 * transaction (`{ ...ctx, db: tx }`), so the row commits with what the caller writes.
 */
export async function insertEvent(
  ctx: Pick<ServiceContext, "db">,
  event: StripeEventObject,
  options: InsertOptions,
): Promise<number | null> {
  const [inserted] = await insertIfNew.run(ctx.db, rowValues(event, options));
  // An identity column: never null once the row exists.
  return inserted === undefined ? null : inserted.receivedSeq!;
}

/**
 * Writes a verified event to the inbox in the caller's transaction without waiting for an answer:
 * on the webhook path it travels with the handler's first statement (see withoutAnswer). A plain
 * insert: should the event be there already, the transaction fails with `isDuplicateEvent` at that
 * statement or at the commit, and nothing of it stays.
 */
export async function insertNewEventUnanswered(
  ctx: Pick<ServiceContext, "db">,
  event: StripeEventObject,
  options: InsertOptions,
): Promise<void> {
  const values = rowValues(event, options);
  await withoutAnswer(() => insertNew.run(ctx.db, values));
}

/** The failure of `insertNewEventUnanswered` for an event already in the inbox. */
export function isDuplicateEvent(err: unknown): boolean {
  for (let current = err; current instanceof Error; current = current.cause) {
    const fields = current as Error & { code?: unknown; constraint?: unknown };
    if (fields.code === "23505") return fields.constraint === "stripe_events_pkey";
  }
  return false;
}

/** The arrival sequence number of a stored event (in the transaction that stored it, too). */
export async function receivedSeqOf(ctx: Pick<ServiceContext, "db">, eventId: string): Promise<number> {
  const [row] = await seqOf.run(ctx.db, { id: eventId });
  if (row?.receivedSeq == null) throw new Error(`event ${eventId} is not in the inbox`);
  return row.receivedSeq;
}

interface InsertOptions {
  payload?: string;
  source: EventSource;
  now: Date;
  state?: StoredState;
}

function rowValues(event: StripeEventObject, options: InsertOptions): Record<string, unknown> {
  const s = options.state ?? RECEIVED;
  const row = {
    id: event.id,
    type: event.type,
    created: new Date(event.created * 1000),
    livemode: event.livemode,
    apiVersion: event.api_version ?? null,
    receivedAt: options.now,
    status: s.status,
    attempts: s.attempts,
    lastError: s.lastError,
    processedAt: s.processedAt,
    nextAttemptAt: s.nextAttemptAt,
    source: options.source,
  };
  return {
    ...encodeRow(stripeEvents, row, COLUMNS),
    payload: options.payload ?? JSON.stringify(event),
  };
}

const COLUMNS = [
  "id",
  "type",
  "created",
  "livemode",
  "apiVersion",
  "receivedAt",
  "status",
  "attempts",
  "lastError",
  "processedAt",
  "nextAttemptAt",
  "source",
] as const;

// Built once (see Statement).
const newRow = (db: Db) =>
  db.insert(stripeEvents).values({
    ...rowParams(COLUMNS),
    // The verified body as received, cast by the database (the builder would re-serialise a value).
    payload: sql`${param("payload")}::jsonb`,
  });
const insertNew = statement<Record<string, unknown>>()((db) => newRow(db));
const insertIfNew = statement<Record<string, unknown>>()((db) =>
  newRow(db)
    .onConflictDoNothing({ target: stripeEvents.id })
    .returning({ receivedSeq: stripeEvents.receivedSeq }),
);
const seqOf = statement<{ id: string }>()((db) =>
  db
    .select({ receivedSeq: stripeEvents.receivedSeq })
    .from(stripeEvents)
    .where(eq(stripeEvents.id, param("id"))),
);

/**
 * Writes a verified event to the inbox as `received` now (or `ignored` when its livemode is not
 * `ctx.config.livemode`); `false` when it was already there.
 */
export async function storeEvent(
  ctx: Pick<ServiceContext, "db" | "config" | "clock">,
  event: StripeEventObject,
  options: { source: EventSource },
): Promise<boolean> {
  const now = ctx.clock.now();
  const state = event.livemode !== ctx.config.livemode ? foreignState(event, now) : RECEIVED;
  return (await insertEvent(ctx, event, { source: options.source, now, state })) !== null;
}
