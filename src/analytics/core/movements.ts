/** MRR per customer (minor units) at one instant; a customer who is absent has 0. */
export type CustomerMrr<Id = string> = ReadonlyMap<Id, number>;

/** The five ChartMogul movement types plus their net, each a sum of absolute changes. */
export interface MrrMovements {
  new: number;
  expansion: number;
  contraction: number;
  churn: number;
  reactivation: number;
  net: number;
}

export interface MovementsInput<Id = string> {
  /** Customer MRR at the start of the period (end of the day before `from`). */
  startMrr: CustomerMrr<Id>;
  /** Customer MRR at the end of each day of the period, in order. */
  days: readonly CustomerMrr<Id>[];
  /** Customers with MRR > 0 at any time before the period start: their rise from 0 is a reactivation. */
  everHadMrrBefore: ReadonlySet<Id>;
}

export interface MovementsResult<Id = string> {
  totals: MrrMovements;
  /** One entry per day of `days`, same order. */
  byDay: MrrMovements[];
  /** Customers with at least one `churn` movement, for `customer_churn_rate`. */
  churnedCustomers: Set<Id>;
}

/**
 * kpis.md `mrr_movements`: compare each customer's MRR at the end of each day with the end of the
 * day before. Every day-to-day change of every customer falls in exactly one movement, which is why
 * `net` always equals `mrr(end) − mrr(start)`.
 */
export function mrrMovements<Id>(input: MovementsInput<Id>): MovementsResult<Id> {
  const hadMrr = new Set(input.everHadMrrBefore);
  for (const [customer, mrr] of input.startMrr) if (mrr > 0) hadMrr.add(customer);

  const byDay: MrrMovements[] = [];
  const churnedCustomers = new Set<Id>();
  let previous = input.startMrr;
  for (const current of input.days) {
    const day = emptyMovements();
    for (const customer of new Set([...previous.keys(), ...current.keys()])) {
      const before = mrrOf(previous, customer);
      const after = mrrOf(current, customer);
      if (after > before) {
        if (before > 0) day.expansion += after - before;
        else if (hadMrr.has(customer)) day.reactivation += after;
        else day.new += after;
      } else if (after < before) {
        if (after > 0) day.contraction += before - after;
        else {
          day.churn += before;
          churnedCustomers.add(customer);
        }
      }
      if (after > 0) hadMrr.add(customer);
    }
    byDay.push(withNet(day));
    previous = current;
  }

  const totals = emptyMovements();
  for (const day of byDay) {
    totals.new += day.new;
    totals.expansion += day.expansion;
    totals.contraction += day.contraction;
    totals.churn += day.churn;
    totals.reactivation += day.reactivation;
  }
  return { totals: withNet(totals), byDay, churnedCustomers };
}

function mrrOf<Id>(snapshot: CustomerMrr<Id>, customer: Id): number {
  const mrr = snapshot.get(customer) ?? 0;
  if (!Number.isInteger(mrr) || mrr < 0) {
    throw new RangeError(`customer MRR must be a non-negative integer, got ${mrr} for ${String(customer)}`);
  }
  return mrr;
}

function emptyMovements(): MrrMovements {
  return { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0 };
}

function withNet(m: MrrMovements): MrrMovements {
  return { ...m, net: m.new + m.expansion + m.reactivation - m.contraction - m.churn };
}
