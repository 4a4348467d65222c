/**
 * Deterministic builders of real-shaped Stripe objects and events (API version 2024-06-20, see
 * stripe-objects.ts). Tests, the offline simulator, the demo seed and the fake Stripe server build
 * their Stripe data here, so one seed always gives the same ids, timestamps and payloads.
 */

import type {
  StripeEventObject,
  StripeEventType,
  StripeObject,
} from "../../payments/stripe/stripe-objects.ts";
import { STRIPE_API_VERSION } from "../../payments/stripe/stripe-objects.ts";
import { billingBuilders } from "./billing-objects.ts";
import { createIdGenerator, type FactoryContext } from "./factory-context.ts";
import { paymentBuilders } from "./payment-objects.ts";

export * from "../../payments/stripe/stripe-objects.ts";
export { createIdGenerator, type FactoryContext, type IdGenerator } from "./factory-context.ts";

// ---------------------------------------------------------------------------------------------
// Factory

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
