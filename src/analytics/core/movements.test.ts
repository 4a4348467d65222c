import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CustomerMrr, type MrrMovements, mrrMovements } from "./movements.ts";

function mrr(entries: Record<string, number>): CustomerMrr {
  return new Map(Object.entries(entries));
}

function movements(m: Partial<MrrMovements>): MrrMovements {
  return { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0, ...m };
}

function total(snapshot: CustomerMrr): number {
  let sum = 0;
  for (const value of snapshot.values()) sum += value;
  return sum;
}

describe("mrrMovements", () => {
  it("classifies new, then churn, then reactivation of the same customer", () => {
    const result = mrrMovements({
      startMrr: mrr({}),
      days: [mrr({ a: 1000 }), mrr({ a: 0 }), mrr({ a: 1500 })],
      everHadMrrBefore: new Set(),
    });
    expect(result.byDay).toEqual([
      movements({ new: 1000, net: 1000 }),
      movements({ churn: 1000, net: -1000 }),
      movements({ reactivation: 1500, net: 1500 }),
    ]);
    // net = 1000 + 1500 − 1000 = 1500 = end 1500 − start 0
    expect(result.totals).toEqual(movements({ new: 1000, churn: 1000, reactivation: 1500, net: 1500 }));
    expect(result.churnedCustomers).toEqual(new Set(["a"]));
  });

  it("counts a rise from 0 as reactivation when the customer had MRR before the period", () => {
    const result = mrrMovements({
      startMrr: mrr({}),
      days: [mrr({ b: 2000 })],
      everHadMrrBefore: new Set(["b"]),
    });
    expect(result.totals).toEqual(movements({ reactivation: 2000, net: 2000 }));
  });

  it("sums expansions as absolute changes", () => {
    // 1000 → 1500 (+500) → 3000 (+1500): expansion 2000 = 3000 − 1000
    const result = mrrMovements({
      startMrr: mrr({ c: 1000 }),
      days: [mrr({ c: 1500 }), mrr({ c: 3000 })],
      everHadMrrBefore: new Set(["c"]),
    });
    expect(result.totals).toEqual(movements({ expansion: 2000, net: 2000 }));
  });

  it("counts a fall to more than 0 as contraction and an unchanged day as nothing", () => {
    // 3000 → 2000 (−1000) → 2000
    const result = mrrMovements({
      startMrr: mrr({ d: 3000 }),
      days: [mrr({ d: 2000 }), mrr({ d: 2000 })],
      everHadMrrBefore: new Set(["d"]),
    });
    expect(result.byDay).toEqual([movements({ contraction: 1000, net: -1000 }), movements({})]);
    expect(result.churnedCustomers.size).toBe(0);
  });

  it("treats a customer missing from a day as 0 MRR (churn)", () => {
    const result = mrrMovements({
      startMrr: mrr({ e: 700 }),
      days: [mrr({})],
      everHadMrrBefore: new Set(["e"]),
    });
    expect(result.totals).toEqual(movements({ churn: 700, net: -700 }));
    expect(result.churnedCustomers).toEqual(new Set(["e"]));
  });

  it("splits one day's changes across customers", () => {
    // start: c 1000, d 3000, e 700 = 4700; end: a 1000, c 1500, d 2000 = 4500
    // new 1000 + expansion 500 − contraction 1000 − churn 700 = −200 = 4500 − 4700
    const result = mrrMovements({
      startMrr: mrr({ c: 1000, d: 3000, e: 700 }),
      days: [mrr({ a: 1000, c: 1500, d: 2000 })],
      everHadMrrBefore: new Set(["c", "d", "e"]),
    });
    expect(result.totals).toEqual(
      movements({ new: 1000, expansion: 500, contraction: 1000, churn: 700, net: -200 }),
    );
  });

  it("is all zeros for a period with no days", () => {
    const result = mrrMovements({ startMrr: mrr({ a: 500 }), days: [], everHadMrrBefore: new Set(["a"]) });
    expect(result.totals).toEqual(movements({}));
    expect(result.byDay).toEqual([]);
  });

  it("rejects negative customer MRR", () => {
    expect(() =>
      mrrMovements({ startMrr: mrr({ a: -1 }), days: [mrr({})], everHadMrrBefore: new Set() }),
    ).toThrow(RangeError);
  });
});

describe("mrrMovements properties", () => {
  const customer = fc.constantFrom("a", "b", "c", "d", "e");
  const snapshot = fc
    .array(fc.tuple(customer, fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50_000 }))), {
      maxLength: 5,
    })
    .map((entries): CustomerMrr => new Map(entries));
  const history = fc.record({
    startMrr: snapshot,
    days: fc.array(snapshot, { maxLength: 12 }),
    everHadMrrBefore: fc.uniqueArray(customer).map((ids) => new Set(ids)),
  });

  it("net always equals mrr(end) − mrr(start), and per day too", () => {
    fc.assert(
      fc.property(history, (input) => {
        const result = mrrMovements(input);
        const end = input.days.at(-1) ?? input.startMrr;
        expect(result.totals.net).toBe(total(end) - total(input.startMrr));
        let previous = input.startMrr;
        input.days.forEach((day, i) => {
          expect(result.byDay[i]?.net).toBe(total(day) - total(previous));
          previous = day;
        });
      }),
    );
  });

  it("movements are non-negative and the totals are the sum of the days", () => {
    fc.assert(
      fc.property(history, (input) => {
        const result = mrrMovements(input);
        const keys = ["new", "expansion", "contraction", "churn", "reactivation", "net"] as const;
        for (const key of keys) {
          const sum = result.byDay.reduce((acc, day) => acc + day[key], 0);
          expect(result.totals[key]).toBe(sum);
          if (key !== "net") expect(result.totals[key]).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it("never counts new MRR for customers who had MRR before the period", () => {
    fc.assert(
      fc.property(history, (input) => {
        const everyone = new Set(["a", "b", "c", "d", "e"]);
        expect(mrrMovements({ ...input, everHadMrrBefore: everyone }).totals.new).toBe(0);
      }),
    );
  });

  it("churned customers are exactly those with MRR > 0 one day and 0 the next", () => {
    fc.assert(
      fc.property(history, (input) => {
        const expected = new Set<string>();
        let previous = input.startMrr;
        for (const day of input.days) {
          for (const [id, value] of previous) if (value > 0 && (day.get(id) ?? 0) === 0) expected.add(id);
          previous = day;
        }
        expect(mrrMovements(input).churnedCustomers).toEqual(expected);
      }),
    );
  });
});
