import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { convertMinor, type FxRateRow, RateBook } from "../../fx/index.ts";
import { subscriptionMrr } from "../core/mrr-formula.ts";
import { addDays } from "../core/periods.ts";
import type { HistoryState } from "../mrr/history.ts";
import { mrrPeriodFromHistory } from "../mrr/reference.ts";
import { convertPeriod } from "./core.ts";
import { subscriptionMrrChanges } from "./subscription-mrr.ts";

const START = Date.parse("2026-03-01T00:00:00Z");
const CURRENCIES = ["usd", "jpy", "kwd"] as const;

const stateArb = fc.record({
  sub: fc.integer({ min: 1, max: 8 }),
  second: fc.integer({ min: 0, max: 20 * 86_400 }),
  status: fc.constantFrom("active", "active", "past_due", "canceled", "paused"),
  unitAmount: fc.integer({ min: 1, max: 100_000 }),
  interval: fc.constantFrom("week", "month", "year") as fc.Arbitrary<"week" | "month" | "year">,
  seq: fc.integer({ min: 1, max: 1000 }),
});
type StateInput = typeof stateArb extends fc.Arbitrary<infer T> ? T : never;

/** A subscription keeps one currency and customer (by its number); customers span currencies. */
function toStates(list: StateInput[], currencies: readonly string[]): HistoryState[] {
  return list.map((s) => ({
    subscriptionId: `sub_${s.sub}`,
    customerKey: String((s.sub % 3) + 1),
    currency: currencies[s.sub % currencies.length]!,
    livemode: false,
    status: s.status,
    eventCreated: new Date(START + s.second * 1000),
    receivedSeq: s.seq,
    currentPeriodStart: null,
    canceledAt: s.status === "canceled" ? new Date(START + s.second * 1000) : null,
    endedAt: null,
    mrr: subscriptionMrr({
      status: s.status,
      items: [{ unitAmount: s.unitAmount, quantity: 1, interval: s.interval, intervalCount: 1 }],
      percentOff: null,
    }),
  }));
}

/** Daily rates per euro from 2026-02-25 (so every day has one on or before it), some days left out. */
const ratesArb = fc
  .array(
    fc.record({
      usd: fc.integer({ min: 5_000, max: 20_000 }),
      jpy: fc.integer({ min: 100, max: 300 }),
      kwd: fc.integer({ min: 2_000, max: 6_000 }),
      skip: fc.boolean(),
    }),
    { minLength: 30, maxLength: 30 },
  )
  .map((days) =>
    days.flatMap((d, i): FxRateRow[] =>
      i > 0 && d.skip
        ? []
        : [
            {
              day: addDays("2026-02-25", i),
              base: "eur",
              quote: "usd",
              rate: `${d.usd / 10_000}`,
              source: "import",
            },
            { day: addDays("2026-02-25", i), base: "eur", quote: "jpy", rate: `${d.jpy}`, source: "import" },
            {
              day: addDays("2026-02-25", i),
              base: "eur",
              quote: "kwd",
              rate: `${d.kwd / 10_000}`,
              source: "import",
            },
          ],
    ),
  );

const periodArb = fc
  .tuple(fc.integer({ min: 0, max: 21 }), fc.integer({ min: 0, max: 21 }))
  .map(([a, n]) => ({ from: addDays("2026-03-01", a), to: addDays("2026-03-01", a + n) }));

describe("converted MRR (kpis.md Reporting currency)", () => {
  it("net movements, fx included, equal converted mrr(end) − mrr(start) for random histories and rates", () => {
    fc.assert(
      fc.property(
        fc.array(stateArb, { maxLength: 30 }),
        ratesArb,
        periodArb,
        fc.constantFrom(...CURRENCIES),
        (list, rates, period, reporting) => {
          const changes = subscriptionMrrChanges(toStates(list, CURRENCIES), "UTC");
          const book = new RateBook(rates);
          const r = convertPeriod({ ...period, reporting, book, amounts: [], subscriptions: changes });
          const m = r.mrr!;
          const mv = m.movements;
          expect(mv.net).toBe(m.mrrEnd - m.mrrStart);
          expect(mv.net).toBe(mv.new + mv.expansion + mv.reactivation - mv.contraction - mv.churn + mv.fx);
          for (const v of [mv.new, mv.expansion, mv.contraction, mv.churn, mv.reactivation])
            expect(v).toBeGreaterThanOrEqual(0);
          // Independently: each subscription's latest MRR at or before a day, converted at that day's rate.
          const convertedAt = (day: string) => {
            const latest = new Map<string, { currency: string; mrr: number }>();
            for (const c of [...changes].sort((a, b) => a.day.localeCompare(b.day)))
              if (c.day <= day) latest.set(c.subscriptionId, c);
            let sum = 0;
            for (const s of latest.values())
              sum += convertMinor(
                s.mrr,
                book.resolve(s.currency, reporting, day)!.rate,
                s.currency,
                reporting,
              );
            return sum;
          };
          expect(m.mrrEnd).toBe(convertedAt(period.to));
          expect(m.mrrStart).toBe(convertedAt(addDays(period.from, -1)));
        },
      ),
      { numRuns: 300, seed: 2020 },
    );
  });

  it("a single-currency shop's converted view equals its per-currency view exactly (rate 1, fx 0)", () => {
    fc.assert(
      fc.property(fc.array(stateArb, { maxLength: 30 }), ratesArb, periodArb, (list, rates, period) => {
        const states = toStates(list, ["usd"]);
        const reference = mrrPeriodFromHistory(states, { ...period, timezone: "UTC", currency: "usd" });
        const r = convertPeriod({
          ...period,
          reporting: "usd",
          book: new RateBook(rates),
          amounts: [],
          subscriptions: subscriptionMrrChanges(states, "UTC"),
        });
        const m = r.mrr!;
        expect(m.mrrStart).toBe(reference.mrrStart);
        expect(m.mrrEnd).toBe(reference.mrrEnd);
        expect(m.movements).toEqual({ ...reference.movements, fx: 0 });
        expect(m.retention).toEqual(reference.retention);
        expect(r.subscribersEnd).toBe(reference.subscribersEnd);
        expect(r.activeSubscriptions).toBe(reference.activeSubscriptions);
        expect(r.sources.size).toBe(0);
      }),
      { numRuns: 300, seed: 2021 },
    );
  });
});
