import { dayOf } from "../core/periods.ts";
import { stateAt } from "../core/subscription-state.ts";
import { bySubscription, type HistoryState, stateMrrAt } from "./history.ts";

export type Movement = "new" | "expansion" | "contraction" | "churn" | "reactivation";

/** A day on which a customer's end-of-day MRR (or count of paying subscriptions) changed. */
export interface CustomerMrrChange {
  livemode: boolean;
  currency: string;
  customerKey: string;
  day: string;
  mrr: number;
  prevMrr: number;
  subscriptions: number;
  prevSubscriptions: number;
  movement: Movement | null;
}

/**
 * The day whose end-of-day MRR first sees a state that takes effect at `instant`: end of day D is
 * the first instant of D+1 and a state counts "at or before" it, so an event at exactly local
 * midnight already counts for the day before.
 */
export function effectiveDay(instant: Date, tz: string): string {
  return dayOf(new Date(instant.getTime() - 1), tz);
}

/**
 * Sweep every subscription's history once and emit the customer MRR change rows (snapshot path).
 * The state at an instant is the latest row by `compareHistory` among those created at or before it;
 * its MRR is taken at each event and at each start or end of one of its discounts.
 */
export function customerMrrChanges(states: HistoryState[], tz: string): CustomerMrrChange[] {
  // (livemode, currency, customer) → day → subscription → MRR at end of that day
  const perCustomer = new Map<string, { head: HistoryState; days: Map<string, Map<string, number>> }>();
  for (const rows of bySubscription(states).values()) {
    const sorted = [...rows].sort((a, b) => a.eventCreated.getTime() - b.eventCreated.getTime());
    const head = sorted[sorted.length - 1]!;
    const key = `${head.livemode}|${head.currency}|${head.customerKey}`;
    let entry = perCustomer.get(key);
    if (!entry) {
      entry = { head, days: new Map() };
      perCustomer.set(key, entry);
    }
    // MRR changes at each event and wherever a discount of a state starts or stops applying.
    const instants = new Map<number, Date>();
    for (const row of sorted) {
      instants.set(row.eventCreated.getTime(), row.eventCreated);
      for (const b of row.discountBoundaries ?? []) instants.set(b.getTime(), b);
    }
    for (const instant of [...instants.values()].sort((a, b) => a.getTime() - b.getTime())) {
      const state = stateAt(sorted, instant);
      if (state === null) continue;
      const day = effectiveDay(instant, tz);
      let subs = entry.days.get(day);
      if (!subs) {
        subs = new Map();
        entry.days.set(day, subs);
      }
      subs.set(state.subscriptionId, stateMrrAt(state, instant));
    }
  }

  const changes: CustomerMrrChange[] = [];
  for (const { head, days } of perCustomer.values()) {
    const current = new Map<string, number>();
    let prevMrr = 0;
    let prevCount = 0;
    let everHad = false;
    for (const day of [...days.keys()].sort()) {
      for (const [sub, mrr] of days.get(day)!) current.set(sub, mrr);
      let mrr = 0;
      let count = 0;
      for (const value of current.values()) {
        mrr += value;
        if (value > 0) count += 1;
      }
      if (mrr === prevMrr && count === prevCount) continue;
      changes.push({
        livemode: head.livemode,
        currency: head.currency,
        customerKey: head.customerKey,
        day,
        mrr,
        prevMrr,
        subscriptions: count,
        prevSubscriptions: prevCount,
        movement: classify(prevMrr, mrr, everHad),
      });
      if (mrr > 0) everHad = true;
      prevMrr = mrr;
      prevCount = count;
    }
  }
  return changes;
}

/** kpis.md `mrr_movements`: the type of one customer's day-to-day change. */
export function classify(before: number, after: number, everHad: boolean): Movement | null {
  if (after > before) {
    if (before > 0) return "expansion";
    return everHad ? "reactivation" : "new";
  }
  if (after < before) return after > 0 ? "contraction" : "churn";
  return null;
}
