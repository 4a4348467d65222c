import { convertMinor, type FxSource, type RateBook, type Rational } from "../../fx/index.ts";
import { addDays, eachDay } from "../core/periods.ts";
import { addStartingCustomer, emptyRetention, type RetentionTotals } from "../core/retention.ts";
import { AMOUNT_KINDS, type AmountCount, type AmountKind } from "./amounts.ts";
import type { SubscriptionMrrChange } from "./subscription-mrr.ts";

/** kpis.md's five movements plus `fx`, the change of converted MRR from rate changes alone. */
export interface ConvertedMovements {
  new: number;
  expansion: number;
  contraction: number;
  churn: number;
  reactivation: number;
  fx: number;
  net: number;
}

export interface ConvertedMrr {
  mrrStart: number;
  mrrEnd: number;
  movements: ConvertedMovements;
  retention: RetentionTotals;
  /** Per day of the period: converted MRR at its end and its movements (series). */
  byDay: Map<string, { mrr: number; movements: ConvertedMovements }>;
}

/**
 * One move of converted MRR on a day of the period, as the sweep counts it: a customer's change
 * (typed as kpis.md's movements) or the day's `fx` revaluation. The records of a converted movement.
 */
export interface ConvertedMovementRecord {
  day: string;
  /** The customer key; null for the day's revaluation. */
  customer: string | null;
  movement: Exclude<keyof ConvertedMovements, "net">;
  /**
   * Converted MRR before and after, both at the day's rates (the revaluation: every subscription's
   * MRR at the end of the day before, at that day's rates and at this day's).
   */
  before: number;
  after: number;
  /** The currencies of the MRR that moved. */
  currencies: string[];
  /** The customer's own MRR before and after, when it is in one currency; null otherwise. */
  native: { before: number; after: number } | null;
}

export interface ConvertInput {
  from: string;
  to: string;
  reporting: string;
  book: RateBook;
  /** Record counts by amount of the period's days. */
  amounts: AmountCount[];
  /** Subscription MRR change rows with day on or before `to` (one mode). */
  subscriptions: SubscriptionMrrChange[];
  /** Told each move of converted MRR in the period, in day order (the movements' records). */
  onMovement?: (move: ConvertedMovementRecord) => void;
  /** Told each starting customer with their converted MRR at start and end (the churn and retention rates' records). */
  onStartingCustomer?: (customer: ConvertedStartingCustomer) => void;
}

/**
 * A starting customer (MRR > 0 at the end of the day before the period) as the churn and retention
 * rates count them: converted MRR at start (the start day's rates) and at end (the end day's; 0 when
 * churned).
 */
export interface ConvertedStartingCustomer {
  customer: string;
  start: number;
  end: number;
  churned: boolean;
  /** The currencies of their MRR at start and at end. */
  currencies: string[];
}

export interface ConvertResult {
  /** Converted sum per kind; null when a record of that kind has no rate. */
  ledger: Record<AmountKind, number | null>;
  /** Records with a known fee (fees are null when none). */
  feeRecords: number;
  /** Per day and kind, for series. */
  ledgerByDay: Map<string, Partial<Record<AmountKind, number | null>>>;
  /** Null when a rate MRR needs is missing. */
  mrr: ConvertedMrr | null;
  /** Per day of the period, whatever the rates: customers and subscriptions with MRR > 0 at its end. */
  countsByDay: Map<string, { subscribers: number; subscriptions: number }>;
  /** Counts, whatever the rates: customers with MRR > 0 at the end, subscriptions with MRR > 0. */
  subscribersEnd: number;
  activeSubscriptions: number;
  startingCustomers: number;
  churnedCustomers: number;
  /** Pair ("JPY/USD") → the days with no rate on or before them. */
  missing: Map<string, Set<string>>;
  /** Sources of the stored rates used. */
  sources: Set<FxSource>;
}

const emptyMovements = (): ConvertedMovements => ({
  new: 0,
  expansion: 0,
  contraction: 0,
  churn: 0,
  reactivation: 0,
  fx: 0,
  net: 0,
});

/**
 * The converted view of kpis.md "Reporting currency": every record converted at the rate of its own
 * reporting day and rounded, then summed; MRR converted per subscription at the rate of the instant's
 * day; movements at the rate of the day they happen, with `fx` making `net = mrr(end) − mrr(start)`
 * exact. A customer's MRR is the sum over their subscriptions in every currency.
 */
export function convertPeriod(input: ConvertInput): ConvertResult {
  const rates = rateCache(input);
  const ledger = Object.fromEntries(AMOUNT_KINDS.map((k) => [k, 0])) as Record<AmountKind, number | null>;
  const ledgerByDay = new Map<string, Partial<Record<AmountKind, number | null>>>();
  let feeRecords = 0;
  for (const a of input.amounts) {
    const rate = rates.get(a.currency, a.day);
    const day = ledgerByDay.get(a.day) ?? {};
    ledgerByDay.set(a.day, day);
    if (a.kind === "fee") feeRecords += a.records;
    if (rate === null) {
      ledger[a.kind] = null;
      day[a.kind] = null;
      continue;
    }
    const converted = a.records * convertMinor(a.amount, rate, a.currency, input.reporting);
    if (ledger[a.kind] !== null) ledger[a.kind]! += converted;
    if (day[a.kind] !== null) day[a.kind] = (day[a.kind] ?? 0) + converted;
  }
  const mrr = sweepMrr(input, rates);
  return { ledger, feeRecords, ledgerByDay, ...mrr, missing: rates.missing, sources: rates.sources };
}

interface Sub {
  currency: string;
  customer: string;
  mrr: number;
}

function sweepMrr(input: ConvertInput, rates: ReturnType<typeof rateCache>) {
  const startDay = addDays(input.from, -1);
  const rows = [...input.subscriptions].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const subs = new Map<string, Sub>();
  const subsOf = new Map<string, Set<string>>();
  const everHad = new Set<string>();
  let missing = false;
  const conv = (s: Sub, day: string) => {
    if (s.mrr === 0) return 0;
    const rate = rates.get(s.currency, day);
    if (rate === null) {
      missing = true;
      return 0;
    }
    return convertMinor(s.mrr, rate, s.currency, input.reporting);
  };
  const customerConverted = (customer: string, day: string) =>
    [...(subsOf.get(customer) ?? [])].reduce((sum, id) => sum + conv(subs.get(id)!, day), 0);
  const nativePositive = (customer: string) =>
    [...(subsOf.get(customer) ?? [])].some((id) => subs.get(id)!.mrr > 0);
  const total = (day: string) => [...subs.values()].reduce((sum, s) => sum + conv(s, day), 0);
  const currenciesOf = (ids: Iterable<string>) =>
    [
      ...new Set(
        [...ids]
          .map((id) => subs.get(id)!)
          .filter((s) => s.mrr > 0)
          .map((s) => s.currency),
      ),
    ].sort();
  /** A customer's own MRR (Σ of their subscriptions, meaningful when it is in one currency). */
  const nativeSum = (customer: string) =>
    [...(subsOf.get(customer) ?? [])].reduce((sum, id) => sum + subs.get(id)!.mrr, 0);
  let paying = 0;
  const apply = (r: SubscriptionMrrChange) => {
    if ((subs.get(r.subscriptionId)?.mrr ?? 0) > 0) paying -= 1;
    if (r.mrr > 0) paying += 1;
    subs.set(r.subscriptionId, { currency: r.currency, customer: r.customerKey, mrr: r.mrr });
    const set = subsOf.get(r.customerKey) ?? new Set<string>();
    set.add(r.subscriptionId);
    subsOf.set(r.customerKey, set);
  };

  let i = 0;
  // Before the period: the state and who ever had MRR (judged at ends of days).
  while (i < rows.length && rows[i]!.day <= startDay) {
    const day = rows[i]!.day;
    const touched = new Set<string>();
    for (; i < rows.length && rows[i]!.day === day; i++) {
      apply(rows[i]!);
      touched.add(rows[i]!.customerKey);
    }
    for (const c of touched) if (nativePositive(c)) everHad.add(c);
  }
  const startCustomers = new Map<string, { amount: number; currencies: string[] }>();
  for (const c of subsOf.keys()) {
    if (!nativePositive(c)) continue;
    const currencies = input.onStartingCustomer ? currenciesOf(subsOf.get(c)!) : [];
    startCustomers.set(c, { amount: customerConverted(c, startDay), currencies });
  }
  let subscribers = startCustomers.size;
  const countsByDay = new Map<string, { subscribers: number; subscriptions: number }>();
  const mrrStart = total(startDay);
  let previous = mrrStart;
  const totals = emptyMovements();
  const byDay = new Map<string, { mrr: number; movements: ConvertedMovements }>();
  for (const day of eachDay(input.from, input.to)) {
    const m = emptyMovements();
    // Yesterday's subscriptions at today's rates: what today's movements are measured from.
    const revalued = rates.sameAsDayBefore(day, subs.values()) ? previous : total(day);
    m.fx = revalued - previous;
    if (m.fx !== 0) {
      input.onMovement?.({
        day,
        customer: null,
        movement: "fx",
        before: previous,
        after: revalued,
        currencies: currenciesOf(subs.keys()),
        native: null,
      });
    }
    const touched = new Set<string>();
    for (let j = i; j < rows.length && rows[j]!.day === day; j++) touched.add(rows[j]!.customerKey);
    // The customer's own MRR and currencies only matter to the records (onMovement).
    const records = input.onMovement !== undefined;
    const before = new Map(
      [...touched].map((c) => [
        c,
        {
          amount: customerConverted(c, day),
          had: nativePositive(c),
          native: records ? nativeSum(c) : 0,
          currencies: records ? currenciesOf(subsOf.get(c) ?? []) : [],
        },
      ]),
    );
    for (; i < rows.length && rows[i]!.day === day; i++) apply(rows[i]!);
    let moved = 0;
    for (const [c, b] of before) {
      const after = customerConverted(c, day);
      const positive = nativePositive(c);
      moved += after - b.amount;
      if (after !== b.amount) {
        const movement =
          after > b.amount
            ? b.had
              ? "expansion"
              : everHad.has(c)
                ? "reactivation"
                : "new"
            : positive
              ? "contraction"
              : "churn";
        m[movement] += Math.abs(after - b.amount);
        if (input.onMovement) {
          const currencies = [...new Set([...b.currencies, ...currenciesOf(subsOf.get(c)!)])].sort();
          input.onMovement({
            day,
            customer: c,
            movement,
            before: b.amount,
            after,
            currencies,
            native: currencies.length === 1 ? { before: b.native, after: nativeSum(c) } : null,
          });
        }
      }
      if (positive) everHad.add(c);
      subscribers += (positive ? 1 : 0) - (b.had ? 1 : 0);
    }
    countsByDay.set(day, { subscribers, subscriptions: paying });
    m.net = m.new + m.expansion + m.reactivation - m.contraction - m.churn + m.fx;
    previous = revalued + moved;
    byDay.set(day, { mrr: previous, movements: m });
    for (const k of Object.keys(totals) as Array<keyof ConvertedMovements>) totals[k] += m[k];
  }
  const retention = emptyRetention();
  let churnedCustomers = 0;
  for (const [c, start] of startCustomers) {
    const churned = !nativePositive(c);
    const end = churned ? 0 : customerConverted(c, input.to);
    if (churned) churnedCustomers += 1;
    addStartingCustomer(retention, start.amount, end);
    input.onStartingCustomer?.({
      customer: c,
      start: start.amount,
      end,
      churned,
      currencies: [...new Set([...start.currencies, ...currenciesOf(subsOf.get(c)!)])].sort(),
    });
  }
  const customersEnd = new Set([...subs.values()].filter((s) => s.mrr > 0).map((s) => s.customer));
  return {
    mrr: missing ? null : { mrrStart, mrrEnd: previous, movements: totals, retention, byDay },
    countsByDay,
    subscribersEnd: customersEnd.size,
    activeSubscriptions: [...subs.values()].filter((s) => s.mrr > 0).length,
    startingCustomers: startCustomers.size,
    churnedCustomers,
  };
}

/** Rates by (currency, day) into the reporting currency, remembering what is missing and which sources served. */
function rateCache(input: ConvertInput) {
  const cache = new Map<string, Rational | null>();
  const missing = new Map<string, Set<string>>();
  const sources = new Set<FxSource>();
  const get = (currency: string, day: string): Rational | null => {
    const key = `${currency}|${day}`;
    if (cache.has(key)) return cache.get(key)!;
    const resolved = input.book.resolve(currency, input.reporting, day);
    if (resolved === null) {
      const pair = `${currency.toUpperCase()}/${input.reporting.toUpperCase()}`;
      missing.set(pair, (missing.get(pair) ?? new Set()).add(day));
    } else for (const leg of resolved.legs) sources.add(leg.source);
    cache.set(key, resolved?.rate ?? null);
    return resolved?.rate ?? null;
  };
  /** True when every currency of these subscriptions has the same rate on `day` as the day before. */
  const sameAsDayBefore = (day: string, subs: Iterable<Sub>) => {
    const yesterday = addDays(day, -1);
    const currencies = new Set<string>();
    for (const s of subs) if (s.mrr > 0) currencies.add(s.currency);
    for (const c of currencies) {
      const a = get(c, day);
      const b = get(c, yesterday);
      if (a === null || b === null || a.num * b.den !== b.num * a.den) return false;
    }
    return true;
  };
  return { get, missing, sources, sameAsDayBefore };
}
