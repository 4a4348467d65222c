import type { CustomerMrr } from "./movements.ts";

/**
 * Sums over the period's starting customers (customer MRR > 0 at start of period), the inputs of
 * kpis.md's churn and retention rates. A customer who joins during the period is not a starting
 * customer, so joining and leaving inside the period moves none of these sums: churn stays in
 * 0..1 and NRR at or above 0.
 */
export interface RetentionTotals {
  startingCustomers: number;
  /** Starting customers whose MRR is 0 at end of period. */
  churnedCustomers: number;
  /** Σ MRR at start (equals `mrr` at start: other customers have 0). */
  mrrStart: number;
  /** Σ max(0, MRR at start − MRR at end). */
  mrrLost: number;
  /** Σ MRR at end. */
  mrrEnd: number;
  /** Σ min(MRR at start, MRR at end). */
  mrrKept: number;
}

/** The starting-customer sums from each customer's MRR at start and at end of the period. */
export function retentionTotals<Id>(start: CustomerMrr<Id>, end: CustomerMrr<Id>): RetentionTotals {
  const totals = emptyRetention();
  for (const [customer, before] of start) {
    if (before <= 0) continue;
    addStartingCustomer(totals, before, end.get(customer) ?? 0);
  }
  return totals;
}

export function emptyRetention(): RetentionTotals {
  return { startingCustomers: 0, churnedCustomers: 0, mrrStart: 0, mrrLost: 0, mrrEnd: 0, mrrKept: 0 };
}

/** Adds one starting customer (MRR at start > 0) to the sums. */
export function addStartingCustomer(totals: RetentionTotals, before: number, after: number): void {
  totals.startingCustomers += 1;
  if (after === 0) totals.churnedCustomers += 1;
  totals.mrrStart += before;
  totals.mrrLost += Math.max(0, before - after);
  totals.mrrEnd += after;
  totals.mrrKept += Math.min(before, after);
}
