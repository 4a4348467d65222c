import type { AppContext } from "../../../context.ts";
import type { Db } from "../../../db/client.ts";
import type { StripeEventObject } from "../stripe-objects.ts";

/** What a handler gets: the transaction shared with the inbox row update, and the event. */
export interface HandlerInput {
  ctx: AppContext;
  tx: Db;
  event: StripeEventObject;
  /**
   * stripe_events.received_seq, the last tie-breaker for same-second events. A function: on the
   * webhook path the inbox row is written unanswered (with the handler's first statement), so reading
   * it costs a statement that only the handlers that need it pay.
   */
  receivedSeq: () => Promise<number>;
  source: "webhook" | "sync";
}

export type EventHandler = (input: HandlerInput) => Promise<void>;

export function eventCreated(event: StripeEventObject): Date {
  return new Date(event.created * 1000);
}

export function fromUnix(seconds: number | null | undefined): Date | null {
  return typeof seconds === "number" ? new Date(seconds * 1000) : null;
}
