import { bySubscription, type HistoryState, stateMrrAt } from "../mrr/history.ts";
import { stateChanges } from "../mrr/timeline.ts";

/** A day at whose end one subscription's MRR differs from the end of the day before. */
export interface SubscriptionMrrChange {
  livemode: boolean;
  currency: string;
  subscriptionId: string;
  customerKey: string;
  day: string;
  mrr: number;
}

/**
 * Each subscription's MRR at the end of every day on which it changed (the same sweep as the
 * customer MRR rows, one level down): the converted view converts MRR per subscription (kpis.md).
 */
export function subscriptionMrrChanges(states: HistoryState[], tz: string): SubscriptionMrrChange[] {
  const changes: SubscriptionMrrChange[] = [];
  for (const rows of bySubscription(states).values()) {
    const sorted = [...rows].sort((a, b) => a.eventCreated.getTime() - b.eventCreated.getTime());
    const head = sorted[sorted.length - 1]!;
    const endOfDay = new Map<string, number>();
    for (const { day, state, instant } of stateChanges(sorted, tz))
      endOfDay.set(day, stateMrrAt(state, instant));
    let previous = 0;
    for (const day of [...endOfDay.keys()].sort()) {
      const mrr = endOfDay.get(day)!;
      if (mrr === previous) continue;
      changes.push({
        livemode: head.livemode,
        currency: head.currency,
        subscriptionId: head.subscriptionId,
        customerKey: head.customerKey,
        day,
        mrr,
      });
      previous = mrr;
    }
  }
  return changes;
}
