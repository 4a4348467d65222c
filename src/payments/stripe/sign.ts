/**
 * Stripe webhook signatures, through the official SDK: `signPayload` signs like Stripe does (tests,
 * the offline simulator), `verifyEvent` checks a delivery against every configured secret so a
 * secret can be rotated without dropping events. Failures are WebhookErrors with a short reason,
 * never the SDK's long messages, because the reason is returned to the sender.
 */
import Stripe from "stripe";
import { AppError } from "../../shared/errors.ts";

export type WebhookErrorCode =
  | "webhook.missing_signature"
  | "webhook.bad_signature"
  | "webhook.stale_timestamp"
  | "webhook.malformed_json"
  | "webhook.too_large";

export class WebhookError extends AppError {
  declare readonly code: WebhookErrorCode;

  constructor(code: WebhookErrorCode, message: string) {
    super(code, message, code === "webhook.too_large" ? 413 : 400);
    this.name = "WebhookError";
  }
}

/** Stripe's own tolerance for the signed timestamp, in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
/** Far above any event Stripe sends; a body this large is refused before any work is done on it. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export interface VerifyOptions {
  /** When the delivery arrived (the injected clock); defaults to now. */
  now?: Date;
  maxBytes?: number;
}

/** The `Stripe-Signature` header Stripe would send for this payload (timestamp in unix seconds). */
export function signPayload(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/** An event serialised as Stripe delivers it (pretty-printed JSON) and its signature header. */
export function signEvent(
  event: object,
  secret: string,
  timestamp?: number,
): { payload: string; header: string } {
  const payload = JSON.stringify(event, null, 2);
  return { payload, header: signPayload(payload, secret, timestamp) };
}

/**
 * Verifies a webhook delivery against each secret in turn and returns the parsed event.
 * The SDK enforces the tolerance; the `t=` part is read here only to tell a stale delivery with a
 * valid signature (a replay or a slow retry) from a forged one.
 */
export function verifyEvent(
  payload: string | Buffer,
  header: string | undefined,
  secrets: string[],
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
  options: VerifyOptions = {},
): Stripe.Event {
  if (secrets.length === 0 || secrets.some((secret) => secret.trim() === "")) {
    // A configuration bug, not a bad delivery: config parsing should have refused to start.
    throw new Error("verifyEvent needs at least one non-blank webhook secret");
  }
  if (!header || header.trim() === "") {
    throw new WebhookError("webhook.missing_signature", "Missing Stripe-Signature header");
  }
  const size = typeof payload === "string" ? Buffer.byteLength(payload) : payload.byteLength;
  if (size > (options.maxBytes ?? MAX_WEBHOOK_BYTES)) {
    throw new WebhookError("webhook.too_large", "Webhook payload is too large");
  }
  const signedAt = parseSignatureHeader(header);
  if (signedAt === null) {
    throw new WebhookError("webhook.bad_signature", "Malformed Stripe-Signature header");
  }
  const receivedAt = (options.now ?? new Date()).getTime();

  const check = (secret: string, tolerance: number): Stripe.Event | "no_match" => {
    try {
      return Stripe.webhooks.constructEvent(payload, header, secret, tolerance, undefined, receivedAt);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) return "no_match";
      // The SDK parses the body only after the signature matched: the sender is genuine.
      if (error instanceof SyntaxError)
        throw new WebhookError("webhook.malformed_json", "Malformed JSON payload");
      throw error;
    }
  };

  for (const secret of secrets) {
    const event = check(secret, toleranceSeconds);
    if (event !== "no_match") return asEvent(event);
  }
  const age = Math.floor(receivedAt / 1000) - signedAt;
  // Tolerance 0 turns the SDK's timestamp check off, so a match now means only the age failed.
  if (toleranceSeconds > 0 && age > toleranceSeconds && secrets.some((s) => check(s, 0) !== "no_match")) {
    throw new WebhookError("webhook.stale_timestamp", `Signature timestamp is ${age}s old`);
  }
  throw new WebhookError("webhook.bad_signature", "No signature matches the payload");
}

/** The `t=` timestamp of a `t=…,v1=…` header, or null when the header is not in that form. */
function parseSignatureHeader(header: string): number | null {
  let timestamp: number | null = null;
  let hasV1 = false;
  for (const part of header.split(",")) {
    const [key, value = ""] = part.trim().split("=", 2);
    if (key === "t" && /^\d+$/.test(value)) timestamp = Number(value);
    if (key === "v1" && value !== "") hasV1 = true;
  }
  return hasV1 ? timestamp : null;
}

/**
 * What PostgreSQL refuses in text and jsonb although JSON allows it as a `\\u` escape: NUL, and a
 * UTF-16 surrogate that is not half of a pair.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this finds.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A verified event as the database can hold it: every such character (in any key or string) becomes
 * U+FFFD, the replacement character, so the event is stored and applied instead of failing the insert.
 * `replaced` says whether the stored text must differ from the signed body.
 */
export function storableEvent<T>(event: T): { event: T; replaced: boolean } {
  let replaced = false;
  const clean = (value: unknown): unknown => {
    if (typeof value === "string") {
      const fixed = value.replace(UNSTORABLE, "\ufffd");
      if (fixed !== value) replaced = true;
      return fixed;
    }
    if (Array.isArray(value)) return value.map(clean);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), clean(v)]));
  };
  const result = clean(event) as T;
  return { event: replaced ? result : event, replaced };
}

/** Valid JSON that is not an event object (`null`, `[]`, `"x"`) is as unusable as broken JSON. */
function asEvent(parsed: unknown): Stripe.Event {
  const candidate = parsed as { id?: unknown; type?: unknown; data?: unknown } | null;
  if (
    candidate === null ||
    typeof candidate !== "object" ||
    Array.isArray(candidate) ||
    typeof candidate.id !== "string" ||
    typeof candidate.type !== "string" ||
    typeof candidate.data !== "object" ||
    candidate.data === null
  ) {
    throw new WebhookError("webhook.malformed_json", "Payload is not a Stripe event");
  }
  return parsed as Stripe.Event;
}
