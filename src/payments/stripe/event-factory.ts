/**
 * Deterministic builders of real-shaped Stripe objects and events (API version 2024-06-20, see
 * stripe-objects.ts). Tests, the offline simulator, the demo seed and the fake Stripe server build
 * their Stripe data here, so one seed always gives the same ids, timestamps and payloads.
 */
import { createHash } from "node:crypto";
import { billingBuilders } from "./billing-object-builders.ts";
import { paymentBuilders } from "./payment-object-builders.ts";
import type { StripeEventObject, StripeEventType, StripeObject } from "./stripe-objects.ts";
import { STRIPE_API_VERSION } from "./stripe-objects.ts";

export * from "./stripe-objects.ts";

// ---------------------------------------------------------------------------------------------
// Ids

export interface IdGenerator {
  /** `ch_0001Kq…`: the prefix, a per-prefix counter, then seeded letters up to Stripe's usual length. */
  next(prefix: string, length?: number): string;
  /** A deterministic v4-shaped UUID, as Stripe shows idempotency keys. */
  uuid(): string;
  /** Deterministic upper-case letters (coupon ids, invoice prefixes), different on every call. */
  code(length: number): string;
}

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** Lengths of the random part of Stripe ids, as seen in real payloads; the default is 24. */
const ID_LENGTHS: Record<string, number> = { cus: 14, prod: 14, req: 14 };

export function createIdGenerator(seed: number | string = 1): IdGenerator {
  const counters = new Map<string, number>();
  const tick = (key: string): number => {
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    return n;
  };
  const digest = (label: string): Buffer => createHash("sha256").update(`${seed}:${label}`).digest();
  const letters = (label: string, length: number): string => {
    const bytes = digest(label);
    let out = "";
    for (let i = 0; i < length; i++) out += LETTERS[(bytes[i % bytes.length] ?? 0) % LETTERS.length];
    return out;
  };
  return {
    next(prefix, length = ID_LENGTHS[prefix] ?? 24) {
      const n = tick(prefix);
      const digits = String(n).padStart(4, "0");
      // Letters only after the digits, so the counter is unambiguous and ids never collide.
      return `${prefix}_${digits}${letters(`${prefix}:${n}`, Math.max(4, length - digits.length))}`;
    },
    uuid() {
      const hex = digest(`uuid:${tick("uuid")}`).toString("hex");
      const variant = ((Number.parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
    code(length) {
      return letters(`code:${tick("code")}`, length).toUpperCase();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Factory

/** What every builder needs: the id generator, the factory clock and the default livemode. */
export interface FactoryContext {
  readonly ids: IdGenerator;
  readonly livemode: boolean;
  /** Unix seconds. */
  now(): number;
}

export interface StripeFactoryOptions {
  seed?: number | string;
  livemode?: boolean;
  /** Creation time of anything built without `created`; moved on with `advance` or `setNow`. */
  now?: Date;
}

/** The `request` of an event Stripe raised on its own (renewals, dunning), not from an API call. */
export const AUTOMATIC_REQUEST = { id: null, idempotency_key: null } as const;

export interface EventOptions {
  id?: string;
  /** Unix seconds; defaults to the factory clock. */
  created?: number;
  livemode?: boolean;
  previousAttributes?: Record<string, unknown>;
  request?: { id: string | null; idempotency_key: string | null };
  pendingWebhooks?: number;
}

export type StripeFactory = ReturnType<typeof createStripeFactory>;

const DEFAULT_NOW = new Date("2024-07-01T00:00:00Z");

export function createStripeFactory(options: StripeFactoryOptions = {}) {
  const ids = createIdGenerator(options.seed ?? 1);
  const livemode = options.livemode ?? false;
  let clock = toUnix(options.now ?? DEFAULT_NOW);
  const ctx: FactoryContext = { ids, livemode, now: () => clock };

  function makeEvent<T extends StripeObject>(
    type: StripeEventType,
    object: T,
    opts: EventOptions = {},
  ): StripeEventObject<T> {
    assertEventFitsObject(type, object);
    const event: StripeEventObject<T> = {
      id: opts.id ?? ids.next("evt"),
      object: "event",
      api_version: STRIPE_API_VERSION,
      created: opts.created ?? clock,
      // A snapshot, as Stripe sends it: later changes to the object must not leak into the event.
      data: { object: structuredClone(object) },
      livemode: opts.livemode ?? ("livemode" in object ? object.livemode : livemode),
      pending_webhooks: opts.pendingWebhooks ?? 1,
      request: opts.request ?? { id: ids.next("req"), idempotency_key: ids.uuid() },
      type,
    };
    if (opts.previousAttributes) event.data.previous_attributes = structuredClone(opts.previousAttributes);
    return event;
  }

  return {
    ids,
    livemode,
    /** The factory clock, unix seconds. */
    now: (): number => clock,
    setNow(at: Date): void {
      clock = toUnix(at);
    },
    /** Moves the clock on and returns the new time (unix seconds). */
    advance(seconds: number): number {
      clock += seconds;
      return clock;
    },
    ...paymentBuilders(ctx),
    ...billingBuilders(ctx),
    makeEvent,
  };
}

export function toUnix(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

/** Which object each event family carries; a mismatch is a bug in the test, not a scenario. */
const EVENT_OBJECTS: [prefix: string, object: StripeObject["object"]][] = [
  ["charge.dispute.", "dispute"],
  ["charge.refund.", "refund"],
  ["charge.", "charge"],
  ["refund.", "refund"],
  ["customer.subscription.", "subscription"],
  ["customer.", "customer"],
  ["payment_intent.", "payment_intent"],
  ["checkout.session.", "checkout.session"],
  ["invoice.", "invoice"],
];

function assertEventFitsObject(type: string, object: StripeObject): void {
  const family = EVENT_OBJECTS.find(([prefix]) => type.startsWith(prefix));
  if (family && family[1] !== object.object) {
    throw new TypeError(`A ${type} event carries a ${family[1]}, not a ${object.object}`);
  }
}
