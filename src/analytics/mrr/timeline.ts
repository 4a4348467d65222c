import { dayOf } from "../core/periods.ts";
import { splitByPlan } from "../core/plan-split.ts";
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
    for (const { day, state, instant } of stateChanges(sorted, tz)) {
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

/**
 * The instants at which one subscription's MRR may change (each event and each start or end of one
 * of its discounts), in time order, with the state then and the reporting day whose end sees it.
 * `sorted` is the subscription's history rows by event time.
 */
export function* stateChanges(
  sorted: HistoryState[],
  tz: string,
): Generator<{ day: string; state: HistoryState; instant: Date }> {
  const instants = new Map<number, Date>();
  for (const row of sorted) {
    instants.set(row.eventCreated.getTime(), row.eventCreated);
    for (const b of row.discountBoundaries ?? []) instants.set(b.getTime(), b);
  }
  for (const instant of [...instants.values()].sort((a, b) => a.getTime() - b.getTime())) {
    const state = stateAt(sorted, instant);
    if (state !== null) yield { day: effectiveDay(instant, tz), state, instant };
  }
}

/** A day on which a plan's MRR (or its count of paying subscriptions) changed, in one currency and mode. */
export interface PlanMrrChange {
  livemode: boolean;
  currency: string;
  planId: string;
  day: string;
  mrr: number;
  subscriptions: number;
}

/**
 * A day on which one subscription's part of one plan's MRR (or the subscription's whole MRR while
 * that part is above 0) changed, with the day of its next change for the same plan (`validTo`).
 */
export interface SubscriptionPlanChange {
  livemode: boolean;
  currency: string;
  planId: string;
  subscriptionId: string;
  customerKey: string;
  day: string;
  /** The plan's part of the subscription's MRR at the end of `day` (`splitByPlan`). */
  mrr: number;
  /** The subscription's whole MRR then. */
  subscriptionMrr: number;
  /** The day of the next row of the same subscription and plan ('infinity' for its latest). */
  validTo: string;
}

/**
 * Each subscription's part of each of its plans at the end of every day on which it changed: the
 * subscription's MRR (kpis.md) at each instant it may change, split between its items' plans; a plan
 * the subscription left drops to 0 for it. The latest instant of a day decides the day. Rows in
 * subscription, plan and day order.
 */
export function subscriptionPlanChanges(states: HistoryState[], tz: string): SubscriptionPlanChange[] {
  const changes: SubscriptionPlanChange[] = [];
  for (const rows of bySubscription(states).values()) {
    const sorted = [...rows].sort((a, b) => a.eventCreated.getTime() - b.eventCreated.getTime());
    const head = sorted[sorted.length - 1]!;
    // plan → day → { part, whole } at the end of that day
    const perPlan = new Map<string, Map<string, { part: number; whole: number }>>();
    let previous = new Set<string>();
    for (const { day, state, instant } of stateChanges(sorted, tz)) {
      const whole = stateMrrAt(state, instant);
      const parts = splitByPlan(whole, state.plans ?? []);
      for (const planId of previous) if (!parts.has(planId)) parts.set(planId, 0);
      previous = new Set([...parts.keys()].filter((planId) => parts.get(planId)! > 0));
      for (const [planId, part] of parts) {
        const days = perPlan.get(planId) ?? new Map<string, { part: number; whole: number }>();
        perPlan.set(planId, days);
        days.set(day, { part, whole });
      }
    }
    for (const planId of [...perPlan.keys()].sort()) {
      const days = perPlan.get(planId)!;
      let last = null as SubscriptionPlanChange | null;
      for (const day of [...days.keys()].sort()) {
        const { part, whole } = days.get(day)!;
        const before: number = last?.mrr ?? 0;
        // A row when the part moves, or when the whole MRR it is part of moves while it counts.
        if (part === before && (part === 0 || whole === last?.subscriptionMrr)) continue;
        if (last) last.validTo = day;
        last = {
          livemode: head.livemode,
          currency: head.currency,
          planId,
          subscriptionId: head.subscriptionId,
          customerKey: head.customerKey,
          day,
          mrr: part,
          subscriptionMrr: whole,
          validTo: "infinity",
        };
        changes.push(last);
      }
    }
  }
  return changes;
}

/**
 * MRR by plan at the end of each day on which it changed: the subscriptions' parts of the plan
 * (`subscriptionPlanChanges`) summed per plan, so a plan's figure is exactly the sum of the parts
 * its records list. Per currency and mode, the plans' MRR always add up to the MRR total of the same
 * day.
 */
export function planMrrChanges(
  states: HistoryState[],
  tz: string,
  parts: SubscriptionPlanChange[] = subscriptionPlanChanges(states, tz),
): PlanMrrChange[] {
  // (livemode, currency, plan) → day → subscription → the plan's part of its MRR at the end of that day
  const perPlan = new Map<string, { head: SubscriptionPlanChange; days: Map<string, Map<string, number>> }>();
  for (const change of parts) {
    const key = `${change.livemode}|${change.currency}|${change.planId}`;
    let entry = perPlan.get(key);
    if (!entry) {
      entry = { head: change, days: new Map() };
      perPlan.set(key, entry);
    }
    const subs = entry.days.get(change.day) ?? new Map<string, number>();
    entry.days.set(change.day, subs);
    subs.set(change.subscriptionId, change.mrr);
  }
  const changes: PlanMrrChange[] = [];
  for (const { head, days } of perPlan.values()) {
    const current = new Map<string, number>();
    let prev = { mrr: 0, subscriptions: 0 };
    for (const day of [...days.keys()].sort()) {
      for (const [sub, amount] of days.get(day)!) current.set(sub, amount);
      let mrr = 0;
      let subscriptions = 0;
      for (const v of current.values()) {
        mrr += v;
        if (v > 0) subscriptions += 1;
      }
      if (mrr === prev.mrr && subscriptions === prev.subscriptions) continue;
      changes.push({
        livemode: head.livemode,
        currency: head.currency,
        planId: head.planId,
        day,
        mrr,
        subscriptions,
      });
      prev = { mrr, subscriptions };
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
