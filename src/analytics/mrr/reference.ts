import { mrrMovements } from "../core/movements.ts";
import { addDays, eachDay, startOfDay } from "../core/periods.ts";
import { retentionTotals } from "../core/retention.ts";
import { stateAt } from "../core/subscription-state.ts";
import { bySubscription, type HistoryState, stateMrrAt } from "./history.ts";
import type { MrrPeriod } from "./period.ts";
import { effectiveDay } from "./timeline.ts";

interface DayValue {
  byCustomer: Map<string, number>;
  subscriptions: number;
}

/**
 * The reference computation, straight from the contract: the state of every subscription at the
 * end of every day (`stateAt`), summed per customer, fed to the movement rules.
 */
export function mrrPeriodFromHistory(
  states: HistoryState[],
  p: { from: string; to: string; timezone: string; currency: string },
  memo: EverHadMemo = new Map(),
): MrrPeriod {
  const subs = [...bySubscription(states).values()].filter(
    (rows) => latest(rows).currency === p.currency.toLowerCase(),
  );
  const dayBefore = addDays(p.from, -1);
  let first = dayBefore;
  for (const rows of subs)
    for (const row of rows) {
      const day = effectiveDay(row.eventCreated, p.timezone);
      if (day < first) first = day;
    }
  const valueAt = (day: string): DayValue => {
    const instant = startOfDay(addDays(day, 1), p.timezone);
    const byCustomer = new Map<string, number>();
    let subscriptions = 0;
    for (const rows of subs) {
      const state = stateAt(rows, instant);
      const mrr = state ? stateMrrAt(state, instant) : 0;
      if (mrr > 0) subscriptions += 1;
      const key = latest(rows).customerKey;
      byCustomer.set(key, (byCustomer.get(key) ?? 0) + mrr);
    }
    return { byCustomer, subscriptions };
  };

  const everHadMrrBefore = customersWithMrr(
    memo,
    `${p.currency.toLowerCase()} ${p.timezone}`,
    first,
    addDays(dayBefore, -1),
    valueAt,
  );
  const start = valueAt(dayBefore);
  const days = eachDay(p.from, p.to).map(valueAt);
  const end = days[days.length - 1] ?? start;
  const result = mrrMovements({
    startMrr: start.byCustomer,
    days: days.map((d) => d.byCustomer),
    everHadMrrBefore,
  });
  return {
    mrrStart: total(start.byCustomer),
    subscribersStart: positive(start.byCustomer),
    mrrEnd: total(end.byCustomer),
    subscribersEnd: positive(end.byCustomer),
    activeSubscriptions: end.subscriptions,
    movements: result.totals,
    retention: retentionTotals(start.byCustomer, end.byCustomer),
  };
}

/** The customers with MRR on some day of `first`..`last`, as last computed. */
interface EverHad {
  first: string;
  last: string;
  customers: Set<string>;
}

/**
 * Per currency and zone, the customers who had MRR before the period of the latest call with one
 * history. Passed to calls on the same states one day after another (the reconciliation check), each
 * extends the previous day's set instead of walking the whole history again; any other period
 * starts it over. Without one, every call starts from nothing.
 */
export type EverHadMemo = Map<string, EverHad>;

function customersWithMrr(
  memo: EverHadMemo,
  key: string,
  first: string,
  last: string,
  valueAt: (day: string) => DayValue,
): Set<string> {
  let known = memo.get(key);
  if (!known || known.first !== first || known.last > last) {
    known = { first, last: addDays(first, -1), customers: new Set() };
    memo.set(key, known);
  }
  for (const day of eachDay(addDays(known.last, 1), last)) {
    for (const [customer, mrr] of valueAt(day).byCustomer) if (mrr > 0) known.customers.add(customer);
  }
  if (last > known.last) known.last = last;
  return known.customers;
}

function latest(rows: HistoryState[]): HistoryState {
  let best = rows[0]!;
  for (const r of rows) if (r.eventCreated.getTime() >= best.eventCreated.getTime()) best = r;
  return best;
}

function total(map: Map<string, number>): number {
  let sum = 0;
  for (const v of map.values()) sum += v;
  return sum;
}

function positive(map: Map<string, number>): number {
  let n = 0;
  for (const v of map.values()) if (v > 0) n += 1;
  return n;
}
