import type { AppContext } from "../../context.ts";
import { MAX_WEBHOOK_BYTES, verifyEvent, WebhookError } from "../stripe/sign.ts";
import type { StripeEventObject } from "../stripe/stripe-objects.ts";
import { type EventOutcome, processEvent } from "./process.ts";
import { type EventSource, storeEvent } from "./store.ts";

export interface ReceiveResult {
  eventId: string;
  duplicate: boolean;
  outcome: EventOutcome;
}

/**
 * The one webhook path (the route, the offline simulator and tests all come here): verify the
 * signature, store the event in the inbox, then process it. Verification failures throw a
 * WebhookError (→ 400) before anything is stored; once stored, a handler error never throws.
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
  const stored = await storeEvent(ctx.db, event, {
    livemode: ctx.config.livemode,
    source,
    now: ctx.clock.now(),
  });
  if (!stored) return { eventId: event.id, duplicate: true, outcome: "skipped" };
  if (event.livemode !== ctx.config.livemode)
    return { eventId: event.id, duplicate: false, outcome: "ignored" };
  try {
    return { eventId: event.id, duplicate: false, outcome: await processEvent(ctx, event.id) };
  } catch (err) {
    // Stored durably: the worker re-drives `received` events, so the sender still gets a 2xx.
    ctx.logger.error({ eventId: event.id, err }, "stripe event stored but not processed");
    return { eventId: event.id, duplicate: false, outcome: "skipped" };
  }
}
