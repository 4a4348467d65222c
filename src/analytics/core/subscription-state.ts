/** The fields of a stored subscription-history row that decide which state is the later one. */
export interface SubscriptionHistoryRow {
  /** Stripe event `created`, one-second precision. */
  eventCreated: Date;
  /** Order in which we received the event; the last tie-break. */
  receivedSeq: number;
  currentPeriodStart: Date | null;
  canceledAt: Date | null;
  endedAt: Date | null;
}

/**
 * History order for two rows about the same subscription: negative when `a` is the earlier state.
 * Stripe events can arrive out of order, so the event's `created` decides, not arrival. `created`
 * only has whole seconds, so within one second the row whose own fields say it is later wins
 * (kpis.md): a higher `current_period_start`, then the further along the cancellation path
 * (ended after canceled after neither), and only then the row received last.
 */
export function compareHistory(a: SubscriptionHistoryRow, b: SubscriptionHistoryRow): number {
  return (
    compareNumbers(wholeSeconds(a.eventCreated), wholeSeconds(b.eventCreated)) ||
    compareNumbers(timeOrEarliest(a.currentPeriodStart), timeOrEarliest(b.currentPeriodStart)) ||
    compareNumbers(cancellationRank(a), cancellationRank(b)) ||
    compareNumbers(a.receivedSeq, b.receivedSeq)
  );
}

/**
 * The state of a subscription at `instant`: the latest row (by `compareHistory`) whose event was
 * created at or before it, or `null` when the subscription had no known state yet.
 */
export function stateAt<Row extends SubscriptionHistoryRow>(rows: readonly Row[], instant: Date): Row | null {
  const cutoff = instant.getTime();
  let latest: Row | null = null;
  for (const row of rows) {
    if (row.eventCreated.getTime() > cutoff) continue;
    if (latest === null || compareHistory(row, latest) > 0) latest = row;
  }
  return latest;
}

function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function wholeSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** A missing period start sorts before any real one. */
function timeOrEarliest(date: Date | null): number {
  return date === null ? Number.NEGATIVE_INFINITY : date.getTime();
}

function cancellationRank(row: SubscriptionHistoryRow): number {
  if (row.endedAt !== null) return 2;
  if (row.canceledAt !== null) return 1;
  return 0;
}
