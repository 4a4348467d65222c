/** One plan's part of a subscription: its items' monthly value before discounts. */
export interface PlanWeight {
  planId: string;
  weight: number;
}

/**
 * A subscription's MRR shared between its plans in proportion to their items' monthly value before
 * discounts (a discount lowers every plan of the subscription alike). Whole minor units by largest
 * remainder (ties: plan id), so the parts always add up to the subscription's MRR exactly. Items of
 * one plan are merged; with no weight at all (free items) the first plan carries the whole MRR.
 */
export function splitByPlan(mrr: number, weights: readonly PlanWeight[]): Map<string, number> {
  const merged = new Map<string, bigint>();
  for (const w of weights) merged.set(w.planId, (merged.get(w.planId) ?? 0n) + BigInt(Math.max(0, w.weight)));
  const result = new Map<string, number>();
  const plans = [...merged.keys()].sort();
  if (plans.length === 0) return result;
  const totalWeight = [...merged.values()].reduce((s, w) => s + w, 0n);
  if (totalWeight === 0n) {
    for (const plan of plans) result.set(plan, 0);
    result.set(weights[0]!.planId, mrr);
    return result;
  }
  const amount = BigInt(mrr);
  const parts = plans.map((plan) => {
    const exact = amount * merged.get(plan)!;
    return { plan, floor: exact / totalWeight, rest: exact % totalWeight };
  });
  let left = amount - parts.reduce((s, p) => s + p.floor, 0n);
  const byRest = [...parts].sort((a, b) =>
    a.rest === b.rest ? a.plan.localeCompare(b.plan) : a.rest > b.rest ? -1 : 1,
  );
  for (const p of byRest) {
    if (left <= 0n) break;
    p.floor += 1n;
    left -= 1n;
  }
  for (const p of parts) result.set(p.plan, Number(p.floor));
  return result;
}
