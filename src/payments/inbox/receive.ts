import type { AppContext } from "../../context.ts";
import { type Database, DEFAULT_POOL_SIZE, withPreparedStatements } from "../../db/client.ts";
import { raiseFailedEventIssue } from "../../monitoring/index.ts";
import { Gate } from "../../shared/gate.ts";
import { MAX_WEBHOOK_BYTES, storableEvent, verifyEvent, WebhookError } from "../stripe/sign.ts";
import type { StripeEventObject } from "../stripe/stripe-objects.ts";
import { handlerFor } from "../stripe/webhooks/index.ts";
import { type EventOutcome, failedState } from "./process.ts";
import {
  type EventSource,
  foreignState,
  insertEvent,
  insertNewEventUnanswered,
  isDuplicateEvent,
  receivedSeqOf,
} from "./store.ts";

export interface ReceiveResult {
  eventId: string;
  duplicate: boolean;
  outcome: EventOutcome;
}

/**
 * The one webhook path (the route, the offline simulator and tests all come here): verify the
 * signature, then store and process the event in one transaction. Verification failures throw a
 * WebhookError (→ 400) before anything is stored; a handler error never throws (the event is
 * stored `failed` and retried by the worker).
 */
export async function receiveWebhook(
  ctx: AppContext,
  body: Uint8Array | string,
  signature: string | undefined,
  source: EventSource = "webhook",
): Promise<ReceiveResult> {
  const raw = typeof body === "string" ? Buffer.from(body) : Buffer.from(body);
  if (raw.byteLength > MAX_WEBHOOK_BYTES) {
    throw new WebhookError("webhook.too_large", "Webhook payload is larger than 1 MiB");
  }
  const event = verifyEvent(raw, signature, ctx.config.stripeWebhookSecrets, undefined, {
    now: ctx.clock.now(),
  }) as unknown as StripeEventObject;
  // The envelope must be what Stripe sends before anything is stored (found by the webhook fuzz suite:
  // a signed body with a junk `created` or `api_version` used to reach the insert and answer 500).
  const e = event as unknown as Record<string, unknown>;
  if (
    typeof e.id !== "string" ||
    e.id === "" ||
    typeof e.type !== "string" ||
    e.type === "" ||
    !Number.isSafeInteger(e.created) ||
    (e.created as number) < 0 ||
    (e.created as number) > 253_402_300_799 ||
    typeof e.livemode !== "boolean" ||
    (e.api_version != null && typeof e.api_version !== "string") ||
    typeof e.data !== "object" ||
    e.data === null
  ) {
    throw new WebhookError("webhook.malformed_json", "Payload is not a Stripe event");
  }
  // JSON may escape a NUL or a lone surrogate, which PostgreSQL refuses: store and apply U+FFFD instead
  // (found by the webhook fuzz suite: such an event failed its insert with 500 and was retried forever).
  const storable = storableEvent(event);
  const payload = storable.replaced ? JSON.stringify(storable.event) : raw.toString("utf8");
  const gate = deliveryGate(ctx.database);
  const apply = () => applyNewEvent(ctx, storable.event, payload, source);
  return gate ? gate.run(apply) : apply();
}

/** Pooled connections a burst of deliveries leaves to everything else (sign-ins, dashboards, checkout). */
export const CONNECTIONS_KEPT_FROM_DELIVERIES = 2;
const gates = new WeakMap<Database, Gate>();

/**
 * Deliveries store and apply their events at most `pool size − CONNECTIONS_KEPT_FROM_DELIVERIES` at
 * once (at least two) on one PostgreSQL pool; the others wait here in arrival order, as they would
 * have waited for a connection. Without it a burst holds every connection and each page's query
 * queues behind the whole burst. The embedded database has one connection: no gate.
 */
export function deliveryGate(database: Database): Gate | undefined {
  if (database.kind !== "postgres" || database.pool === undefined) return undefined;
  let gate = gates.get(database);
  if (gate === undefined) {
    const size = database.pool.options.max ?? DEFAULT_POOL_SIZE;
    gate = new Gate(Math.max(2, size - CONNECTIONS_KEPT_FROM_DELIVERIES));
    gates.set(database, gate);
  }
  return gate;
}

/** Transient conflicts between concurrent deliveries that touch the same rows: try again at once. */
const RETRYABLE = new Set(["40001", "40P01"]);
const ATTEMPTS = 3;

/**
 * Stores a verified event and applies it in ONE transaction: the inbox row (inserted as `processed`)
 * and the handler's writes commit together, so the sender's 2xx means both are durable, and a crash
 * before the commit leaves nothing (the sender retries). A duplicate delivery's insert fails on the
 * row's key (a concurrent one waits on it first) and its transaction rolls back: it changes nothing.
 * When the handler fails, everything rolls back and the event is stored `failed` for the worker's
 * retries.
 */
async function applyNewEvent(
  ctx: AppContext,
  event: StripeEventObject,
  payload: string,
  source: EventSource,
): Promise<ReceiveResult> {
  const now = ctx.clock.now();
  const base = { eventId: event.id, duplicate: false };
  if (event.livemode !== ctx.config.livemode) {
    const seq = await insertEvent(ctx, event, { payload, source, now, state: foreignState(event, now) });
    return seq === null ? { ...base, duplicate: true, outcome: "skipped" } : { ...base, outcome: "ignored" };
  }
  const handler = handlerFor(event.type);
  if (!handler) {
    const state = { ...SETTLED, status: "ignored" as const, processedAt: now };
    const seq = await insertEvent(ctx, event, { payload, source, now, state });
    return seq === null ? { ...base, duplicate: true, outcome: "skipped" } : { ...base, outcome: "ignored" };
  }
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      // Key lookups and inserts only: each connection prepares them once (see withPreparedStatements).
      return await withPreparedStatements(() =>
        ctx.db.transaction(async (tx): Promise<ReceiveResult> => {
          const state = { ...SETTLED, status: "processed" as const, processedAt: now };
          // Sent with the handler's first statement (one round trip less per delivery); a duplicate
          // fails the transaction there, before anything of it commits (caught below).
          await insertNewEventUnanswered({ ...ctx, db: tx }, event, { payload, source, now, state });
          const receivedSeq = () => receivedSeqOf({ ...ctx, db: tx }, event.id);
          await handler({ ctx, tx, event, receivedSeq, source: "webhook" });
          return { ...base, outcome: "processed" };
        }),
      );
    } catch (err) {
      // Already in the inbox (an earlier or concurrent delivery): it changes nothing.
      if (isDuplicateEvent(err)) return { ...base, duplicate: true, outcome: "skipped" };
      lastError = err;
      if (!RETRYABLE.has(sqlState(err) ?? "")) break;
    }
  }
  const state = failedState(ctx, event, lastError, now, 1);
  // The failure and its data-quality issue are stored together: ops see it now, not at the next run.
  const seq = await ctx.db.transaction(async (tx) => {
    const stored = await insertEvent({ ...ctx, db: tx }, event, { payload, source, now, state });
    if (stored !== null)
      await raiseFailedEventIssue(tx, { id: event.id, type: event.type, attempts: 1, receivedAt: now }, now);
    return stored;
  });
  // `null`: a concurrent delivery stored (and maybe applied) it meanwhile.
  return seq === null ? { ...base, duplicate: true, outcome: "skipped" } : { ...base, outcome: "failed" };
}

const SETTLED = { attempts: 1, lastError: null, nextAttemptAt: null };

function sqlState(err: unknown): string | undefined {
  let current: unknown = err;
  while (current instanceof Error) {
    if ("code" in current && typeof current.code === "string") return current.code;
    current = current.cause;
  }
  return undefined;
}
