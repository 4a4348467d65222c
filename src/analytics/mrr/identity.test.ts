import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { subscriptionMrr } from "../core/mrr-formula.ts";
import { addDays } from "../core/periods.ts";
import type { HistoryState } from "./history.ts";
import { mrrPeriodFromHistory } from "./reference.ts";
import { customerMrrChanges } from "./timeline.ts";

const START = Date.parse("2026-03-01T00:00:00Z");
const stateArb = fc.record({
  sub: fc.integer({ min: 1, max: 6 }),
  // whole seconds over 20 days, with many same-second collisions
  second: fc.oneof(fc.integer({ min: 0, max: 20 * 86_400 }), fc.constantFrom(86_400, 5 * 86_400 + 7)),
  status: fc.constantFrom("active", "past_due", "trialing", "canceled", "paused", "incomplete"),
  unitAmount: fc.integer({ min: 1, max: 100_000 }),
  interval: fc.constantFrom("day", "week", "month", "year") as fc.Arbitrary<
    "day" | "week" | "month" | "year"
  >,
  intervalCount: fc.integer({ min: 1, max: 4 }),
  percentOff: fc.option(fc.integer({ min: 0, max: 100 })),
  periodStart: fc.option(fc.integer({ min: 0, max: 3 })),
  seq: fc.integer({ min: 1, max: 1000 }),
});

function toStates(list: Array<typeof stateArb extends fc.Arbitrary<infer T> ? T : never>): HistoryState[] {
  return list.map((s) => ({
    subscriptionId: `sub_${s.sub}`,
    customerKey: String((s.sub % 3) + 1),
    currency: "usd",
    livemode: false,
    status: s.status,
    eventCreated: new Date(START + s.second * 1000),
    receivedSeq: s.seq,
    currentPeriodStart: s.periodStart === null ? null : new Date(START + s.periodStart * 86_400_000),
    canceledAt: s.status === "canceled" ? new Date(START + s.second * 1000) : null,
    endedAt: null,
    mrr: subscriptionMrr({
      status: s.status,
      items: [
        { unitAmount: s.unitAmount, quantity: 1, interval: s.interval, intervalCount: s.intervalCount },
      ],
      percentOff: s.percentOff,
    }),
  }));
}

const periodArb = fc
  .tuple(fc.integer({ min: -2, max: 21 }), fc.integer({ min: 0, max: 21 }))
  .map(([a, n]) => ({ from: addDays("2026-03-01", a), to: addDays("2026-03-01", a + n) }));

describe("MRR movements", () => {
  it("net = mrr(end) − mrr(start) for random subscription histories (reference path)", () => {
    fc.assert(
      fc.property(
        fc.array(stateArb, { maxLength: 30 }),
        periodArb,
        fc.constantFrom("UTC", "America/New_York"),
        (list, period, timezone) => {
          const m = mrrPeriodFromHistory(toStates(list), { ...period, timezone, currency: "usd" });
          const mv = m.movements;
          expect(mv.net).toBe(m.mrrEnd - m.mrrStart);
          expect(mv.net).toBe(mv.new + mv.expansion + mv.reactivation - mv.contraction - mv.churn);
          for (const v of [mv.new, mv.expansion, mv.contraction, mv.churn, mv.reactivation])
            expect(v).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it("the one-pass sweep of the snapshots gives the reference's movements and MRR", () => {
    fc.assert(
      fc.property(
        fc.array(stateArb, { maxLength: 30 }),
        periodArb,
        fc.constantFrom("UTC", "America/New_York"),
        (list, period, timezone) => {
          const states = toStates(list);
          const reference = mrrPeriodFromHistory(states, { ...period, timezone, currency: "usd" });
          const changes = customerMrrChanges(states, timezone);
          const at = (day: string) => {
            const latest = new Map<string, number>();
            for (const c of [...changes].sort((a, b) => a.day.localeCompare(b.day)))
              if (c.day <= day) latest.set(c.customerKey, c.mrr);
            return [...latest.values()].reduce((s, v) => s + v, 0);
          };
          expect(at(period.to)).toBe(reference.mrrEnd);
          expect(at(addDays(period.from, -1))).toBe(reference.mrrStart);
          const sum = (kind: string) =>
            changes
              .filter((c) => c.movement === kind && c.day >= period.from && c.day <= period.to)
              .reduce((s, c) => s + Math.abs(c.mrr - c.prevMrr), 0);
          expect({
            new: sum("new"),
            expansion: sum("expansion"),
            contraction: sum("contraction"),
            churn: sum("churn"),
            reactivation: sum("reactivation"),
          }).toEqual({
            new: reference.movements.new,
            expansion: reference.movements.expansion,
            contraction: reference.movements.contraction,
            churn: reference.movements.churn,
            reactivation: reference.movements.reactivation,
          });
        },
      ),
      { numRuns: 300, seed: 43 },
    );
  });
});
