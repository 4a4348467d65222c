import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { eventFinding, eventFingerprint, webhookHealth } from "./checks/webhook-health.ts";
import { lockCheckIssues, recordFindings } from "./runner.ts";
import { dataQualityIssues } from "./schema.ts";

export interface FailedEvent {
  id: string;
  type: string;
  attempts: number;
  receivedAt: Date;
}

/**
 * An event's handler just failed: open the `webhook-health` issue the hourly run would open for it,
 * now, in the transaction that stores the failure. Idempotent: an active issue for the event is
 * updated (seen once more, new attempt count), never duplicated; the hourly run then finds it open.
 */
export async function raiseFailedEventIssue(tx: Db, event: FailedEvent, now: Date): Promise<void> {
  const finding = eventFinding({
    id: event.id,
    type: event.type,
    status: "failed",
    attempts: event.attempts,
    received_at: event.receivedAt,
  });
  // `completed: false`: one finding says nothing about the check's other issues.
  await recordFindings({ db: tx }, webhookHealth, [finding], now, false);
}

/**
 * An event that had failed (or was stuck) is now applied: its issue is gone, resolved by `system`
 * as the next run would resolve it. No-op when it had no active issue.
 */
export async function clearEventIssue(tx: Db, eventId: string, now: Date): Promise<void> {
  const active = and(
    eq(dataQualityIssues.check, webhookHealth.name),
    eq(dataQualityIssues.fingerprint, eventFingerprint(eventId)),
    inArray(dataQualityIssues.status, ["open", "ignored"]),
  );
  // Most applied events (every one a sync or the worker applies) never had an issue: one indexed
  // read, and the check's lock only when there is something to resolve.
  const [found] = await tx
    .select({ id: dataQualityIssues.id })
    .from(dataQualityIssues)
    .where(active)
    .limit(1);
  if (!found) return;
  await lockCheckIssues(tx, webhookHealth.name);
  await tx
    .update(dataQualityIssues)
    .set({
      status: "resolved",
      resolvedAt: now,
      resolvedBy: "system",
      resolutionNote: "The event was applied (replay or retry).",
    })
    .where(active);
}
