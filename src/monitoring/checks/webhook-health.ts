import { sql } from "drizzle-orm";
import { subscriptionHistory as history, stripeEvents, subscriptions } from "../../db/schema.ts";
import { queryRows } from "../../db/sql.ts";
import type { Check, Finding } from "../types.ts";

/** An event is applied in the request that stores it; still `received` after this, its processing died. */
export const STUCK_AFTER_MS = 10 * 60_000;

export type EventRow = {
  id: string;
  type: string;
  status: string;
  attempts: number;
  received_at: Date | string;
};
type GapRow = {
  id: string;
  status: string;
  current_period_start: Date | string;
  latest_event: Date | string;
};

/** Failed or stuck inbox events, and subscriptions whose state moved on without an event telling us. */
export const webhookHealth: Check = {
  name: "webhook-health",
  description:
    "Stripe events that failed or are stuck in `received` for over 10 minutes; subscriptions whose latest event is older than their current period start (a missed webhook).",
  severity: "warning",
  fix: "Read the event's last_error, fix the cause, then `revintel stripe replay --failed` (or `--event ID`). For a subscription gap, `revintel stripe sync --since <period start>` fetches what was missed; check the webhook endpoint and signing secret in the Stripe dashboard.",
  async run({ db, now }) {
    const stuckBefore = new Date(now.getTime() - STUCK_AFTER_MS).toISOString();
    const events = await queryRows<EventRow>(
      db,
      sql`SELECT ${stripeEvents.id}, ${stripeEvents.type}, ${stripeEvents.status}, ${stripeEvents.attempts}, ${stripeEvents.receivedAt} FROM ${stripeEvents}
          WHERE ${stripeEvents.status} = 'failed' OR (${stripeEvents.status} = 'received' AND ${stripeEvents.receivedAt} < ${stuckBefore}::timestamptz)
          ORDER BY ${stripeEvents.receivedAt}, ${stripeEvents.id}`,
    );
    // A renewal moves current_period_start and Stripe sends an event for it; a newer period start
    // than any event we applied means the state came from a sync and the event never arrived.
    const gaps = await queryRows<GapRow>(
      db,
      sql`SELECT ${subscriptions.id}, ${subscriptions.status}, ${subscriptions.currentPeriodStart}, h.latest_event
          FROM ${subscriptions}
          JOIN (SELECT ${history.subscriptionId} AS subscription_id, MAX(${history.eventCreated}) AS latest_event
                FROM ${history} GROUP BY ${history.subscriptionId}) h ON h.subscription_id = ${subscriptions.id}
          WHERE ${subscriptions.currentPeriodStart} IS NOT NULL AND h.latest_event < ${subscriptions.currentPeriodStart}
          ORDER BY ${subscriptions.id}`,
    );
    const findings: Finding[] = events.map((e) => eventFinding(e));
    for (const g of gaps) {
      findings.push({
        fingerprint: `subscription:${g.id}`,
        title: `Subscription ${g.id}: no event since ${iso(g.latest_event)}, but its period started ${iso(g.current_period_start)}`,
        details: {
          subscriptionId: g.id,
          status: g.status,
          currentPeriodStart: iso(g.current_period_start),
          latestEventCreated: iso(g.latest_event),
        },
      });
    }
    return findings;
  },
};

/**
 * The finding of one failed or stuck event. The inbox raises the same finding the moment an event
 * fails (`raiseFailedEventIssue`), so the hourly run finds the issue already open and agrees with it.
 */
export function eventFinding(e: EventRow): Finding {
  return {
    fingerprint: eventFingerprint(e.id),
    title:
      e.status === "failed"
        ? `Stripe event ${e.id} (${e.type}) failed after ${e.attempts} attempt(s)`
        : `Stripe event ${e.id} (${e.type}) stuck in received since ${iso(e.received_at)}`,
    details: {
      eventId: e.id,
      type: e.type,
      status: e.status,
      attempts: e.attempts,
      receivedAt: iso(e.received_at),
    },
    severity: e.status === "failed" ? "critical" : "warning",
  };
}

export function eventFingerprint(eventId: string): string {
  return `event:${eventId}`;
}

export function iso(value: Date | string): string {
  return new Date(value).toISOString();
}
